//! The one pulldown-cmark entry point: [`scan`] reads a body for what the build must check
//! (links, images, footnotes, headings) and [`to_html`] renders it once links are resolved.
//!
//! Spans are byte ranges into the body; callers add the body's offset in the file.

mod highlight;
mod html;

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

pub use html::{Figure, Resolve, to_html};

/// CommonMark plus the GFM extensions the content model promises.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A link or image destination written in the body, with where it is. The link's text is
/// kept only for `metric:` links, whose text may state a figure that must be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub dest: String,
    pub span: Range<usize>,
    pub text: String,
}

/// What the resolve stage needs to know about a body, gathered in one parse.
#[derive(Debug, Default, Clone)]
pub struct Scan {
    /// Ids of the body's headings, in order.
    pub headings: Vec<String>,
    pub links: Vec<Destination>,
    pub images: Vec<Destination>,
    pub has_raw_html: bool,
    pub problems: Vec<Problem>,
}

/// A problem found in the Markdown alone, located in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub help: String,
    pub span: Range<usize>,
}

impl Problem {
    fn new(span: Range<usize>, message: impl Into<String>, help: impl Into<String>) -> Self {
        Problem {
            message: message.into(),
            help: help.into(),
            span,
        }
    }
}

/// GFM footnote labels match case-insensitively.
fn label_key(label: &str) -> String {
    label.to_lowercase()
}

pub fn scan(body: &str) -> Scan {
    let mut out = Scan::default();
    let mut referenced: HashMap<String, ()> = HashMap::new();
    let mut definitions: Vec<(String, Range<usize>)> = Vec::new();
    let mut image: Option<(String, Range<usize>, String)> = None;
    // Text of the `metric:` link being read.
    let mut metric_text: Option<String> = None;
    let mut in_code_block = false;
    let mut text_run: Option<Range<usize>> = None;
    let mut last_heading = 1u8;
    let mut anchors = Anchors::default();
    // Text and explicit id of the heading being read.
    let mut heading: Option<(Option<String>, String)> = None;

    let parser = Parser::new_ext(body, options()).into_offset_iter();
    for (event, range) in parser {
        // Undefined footnote references come through as plain text split over several events;
        // join adjoining text events and look for `[^label]` in the source they cover.
        match &event {
            Event::Text(_) if !in_code_block => {
                text_run = match text_run.take() {
                    Some(run) if run.end == range.start => Some(run.start..range.end),
                    Some(run) => {
                        undefined_footnotes(body, run, &mut out.problems);
                        Some(range.clone())
                    }
                    None => Some(range.clone()),
                };
            }
            _ => {
                if let Some(run) = text_run.take() {
                    undefined_footnotes(body, run, &mut out.problems);
                }
            }
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((id.map(|i| i.to_string()), String::new()));
                let level = level as u8;
                if level == 1 {
                    out.problems.push(Problem::new(
                        heading_marker(body, &range),
                        "a level-1 heading in the body: the title is the page's only h1",
                        "use ## for the top level of sections",
                    ));
                } else if level > last_heading + 1 {
                    out.problems.push(Problem::new(
                        heading_marker(body, &range),
                        format!("heading level skipped: h{level} follows h{last_heading}"),
                        format!(
                            "use {} here, or add the missing level above",
                            "#".repeat(usize::from(last_heading) + 1)
                        ),
                    ));
                }
                last_heading = level.max(2);
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((id, text)) = heading.take() {
                    out.headings.push(anchors.next(id.as_deref(), &text));
                }
            }
            Event::Text(t) | Event::Code(t) if heading.is_some() => {
                if let Some((_, text)) = heading.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            // Email autolinks become mailto: links and need no checking.
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) if link_type != LinkType::Email => {
                if dest_url.starts_with("metric:") {
                    metric_text = Some(String::new());
                }
                out.links.push(Destination {
                    dest: dest_url.into_string(),
                    span: range,
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Link) => {
                if let (Some(text), Some(link)) = (metric_text.take(), out.links.last_mut()) {
                    link.text = text;
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                image = Some((dest_url.into_string(), range, String::new()));
            }
            Event::Text(t) | Event::Code(t) if metric_text.is_some() => {
                if let Some(text) = metric_text.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::Text(t) | Event::Code(t) if image.is_some() => {
                if let Some((_, _, alt)) = image.as_mut() {
                    alt.push_str(&t);
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((dest, span, alt)) = image.take() {
                    if alt.trim().is_empty() {
                        out.problems.push(Problem::new(
                            span.clone(),
                            "image has no alt text",
                            "describe what the image shows between the brackets: ![description](path)",
                        ));
                    }
                    out.images.push(Destination {
                        dest,
                        span,
                        text: String::new(),
                    });
                }
            }
            Event::FootnoteReference(label) => {
                referenced.insert(label_key(&label), ());
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let marker = range.start..(range.start + label.len() + 3).min(body.len());
                definitions.push((label.into_string(), marker));
            }
            Event::Html(_) | Event::InlineHtml(_) => out.has_raw_html = true,
            _ => {}
        }
    }
    if let Some(run) = text_run.take() {
        undefined_footnotes(body, run, &mut out.problems);
    }
    for (label, span) in definitions {
        if !referenced.contains_key(&label_key(&label)) {
            out.problems.push(Problem::new(
                span,
                format!("footnote [^{label}] is defined but never referenced"),
                format!("cite it in the text with [^{label}], or delete the definition"),
            ));
        }
    }
    out.problems.sort_by_key(|p| p.span.start);
    out
}

/// The `#`s of an ATX heading, or the heading's first line for a setext one.
fn heading_marker(body: &str, range: &Range<usize>) -> Range<usize> {
    let text = &body[range.clone()];
    let hashes = text.len() - text.trim_start_matches('#').len();
    if hashes > 0 {
        range.start..range.start + hashes
    } else {
        range.start..range.start + text.find('\n').unwrap_or(text.len())
    }
}

fn undefined_footnotes(body: &str, run: Range<usize>, problems: &mut Vec<Problem>) {
    let text = &body[run.clone()];
    let mut from = 0;
    while let Some(i) = text[from..].find("[^") {
        let start = from + i;
        from = start + 2;
        // `\\[^x]` is an escaped bracket, not a reference; the backslash may sit just before the run.
        let abs = run.start + start;
        if abs > 0 && body.as_bytes()[abs - 1] == b'\\' {
            continue;
        }
        let rest = &text[start + 2..];
        let Some(close) = rest.find(']') else { break };
        let label = &rest[..close];
        if label.is_empty() || label.contains(char::is_whitespace) || label.contains('[') {
            continue;
        }
        let span = run.start + start..run.start + start + close + 3;
        problems.push(Problem::new(
            span,
            format!("footnote [^{label}] is referenced but never defined"),
            format!("add a definition: [^{label}]: ..."),
        ));
    }
}

/// Heading ids for one document, unique within it: an explicit `{#id}` or the slug of the
/// heading's text, with `-2`, `-3`… for repeats. Scanning and rendering both use it, so the
/// ids that links are checked against are the ids pages get.
#[derive(Default)]
pub struct Anchors {
    seen: HashMap<String, usize>,
}

impl Anchors {
    pub fn next(&mut self, explicit: Option<&str>, text: &str) -> String {
        let base = explicit.map_or_else(|| slugify(text), str::to_string);
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        let n = self.seen.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 { base } else { format!("{base}-{n}") }
    }
}

/// A URL fragment for a heading's text: lowercase words joined by hyphens.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !out.ends_with('-')
            && !out.is_empty()
        {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_undefined_and_unused_footnotes_with_spans() {
        let body = "One[^a] two[^b].\n\n[^a]: A\n\n[^c]: C\n";
        let s = scan(body);
        let msgs: Vec<(&str, &str)> = s
            .problems
            .iter()
            .map(|p| (p.message.as_str(), &body[p.span.clone()]))
            .collect();
        assert_eq!(
            msgs,
            vec![
                ("footnote [^b] is referenced but never defined", "[^b]"),
                ("footnote [^c] is defined but never referenced", "[^c]"),
            ]
        );
    }

    #[test]
    fn footnote_syntax_in_code_is_not_a_reference() {
        let body = "`[^x]` and\n\n```\n[^y]\n```\n\nand \\[^z]\n";
        assert!(scan(body).problems.is_empty(), "{:?}", scan(body).problems);
    }

    #[test]
    fn images_need_alt_text() {
        let s = scan("![](a.png) ![ ](b.png) ![A chart](c.png)\n");
        assert_eq!(s.images.len(), 3);
        assert_eq!(s.problems.len(), 2);
        assert!(
            s.problems
                .iter()
                .all(|p| p.message == "image has no alt text")
        );
    }

    #[test]
    fn headings_start_at_two_and_do_not_skip() {
        let body = "# Title again\n\n## A\n\n#### B\n\n### C\n";
        let s = scan(body);
        let msgs: Vec<&str> = s.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            msgs,
            vec![
                "a level-1 heading in the body: the title is the page's only h1",
                "heading level skipped: h4 follows h2"
            ]
        );
        assert_eq!(&body[s.problems[1].span.clone()], "####");
    }

    #[test]
    fn collects_links_but_not_email_autolinks() {
        let s = scan("[a](other.md) <https://x.org> <me@example.org> <b>raw</b>\n");
        let dests: Vec<&str> = s.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(dests, vec!["other.md", "https://x.org"]);
        assert!(s.has_raw_html);
    }

    #[test]
    fn heading_ids_match_what_rendering_gives() {
        let body =
            "## Key details\n\n## Key details\n\n### Custom {#own}\n\n## `code` and *emphasis*\n";
        let s = scan(body);
        assert_eq!(
            s.headings,
            vec!["key-details", "key-details-2", "own", "code-and-emphasis"]
        );
        struct Same;
        impl Resolve for Same {
            fn link(&self, d: &str) -> String {
                d.into()
            }
            fn image(&self, d: &str) -> String {
                d.into()
            }
        }
        let html = to_html(body, &Same, false);
        for id in &s.headings {
            assert!(
                html.contains(&format!("id=\"{id}\"")),
                "{id} missing in {html}"
            );
        }
    }

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Trust and confidence: 2024!"),
            "trust-and-confidence-2024"
        );
        assert_eq!(slugify("  Hello -- World "), "hello-world");
    }
}
