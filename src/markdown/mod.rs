//! The one pulldown-cmark entry point: [`scan`] reads a body for what the build must check
//! (links, images, footnotes, headings) and [`to_html`] renders it once links are resolved.
//! `escape_html` is the escaping for all HTML the crate writes outside templates.
//!
//! Spans are byte ranges into the body; callers add the body's offset in the file.

mod highlight;
mod html;
mod nesting;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::diag::Severity;

pub(crate) use html::{Figure, Resolve, to_html};
pub(crate) use nesting::MAX_NESTING;

/// CommonMark plus the GFM extensions the content model promises.
pub(crate) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Escape text for HTML written outside templates (a heading's id, code, a chart's title, a
/// figure's note), safe in text and in an attribute in either quote: the one escaping the
/// crate's hand-written HTML uses.
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).expect("writing to a String cannot fail");
    out
}

/// A link or image destination written in the body, with where it is. The link's text is
/// kept only for `metric:` links, whose text may state a figure that must be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Destination {
    pub(crate) dest: String,
    pub(crate) span: Range<usize>,
    pub(crate) text: String,
}

/// What the resolve stage needs to know about a body, gathered in one parse.
#[derive(Debug, Default, Clone)]
pub(crate) struct Scan {
    /// Ids of the body's headings, in order.
    pub(crate) headings: Vec<String>,
    /// The body's headings outside notes, in order, for the page's contents list.
    pub(crate) outline: Vec<Heading>,
    pub(crate) links: Vec<Destination>,
    pub(crate) images: Vec<Destination>,
    pub(crate) has_raw_html: bool,
    /// Raw HTML the sanitiser would take out (an element, an event handler, a script URL),
    /// described, with where it is; resolve warns about it unless the site allows raw HTML.
    pub(crate) unsafe_html: Vec<(Range<usize>, String)>,
    /// Numeric character references that write a bidirectional control (`&#x202E;`), with the
    /// character: checked for balance with the ones written as themselves.
    pub(crate) bidi_references: Vec<(Range<usize>, char)>,
    pub(crate) problems: Vec<Problem>,
}

/// A heading of the body: its level (2 for `##`), its id and its text as plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Heading {
    pub(crate) level: u8,
    pub(crate) id: String,
    pub(crate) text: String,
}

/// A problem found in the Markdown alone, located in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) severity: Severity,
    pub(crate) message: String,
    pub(crate) help: String,
    pub(crate) span: Range<usize>,
    /// Another place in the body the problem involves, and what it is.
    pub(crate) related: Option<(Range<usize>, String)>,
}

impl Problem {
    fn new(span: Range<usize>, message: impl Into<String>, help: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Error,
            message: message.into(),
            help: help.into(),
            span,
            related: None,
        }
    }

    fn related(mut self, span: Range<usize>, label: impl Into<String>) -> Self {
        self.related = Some((span, label.into()));
        self
    }

    fn warning(span: Range<usize>, message: impl Into<String>, help: impl Into<String>) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::new(span, message, help)
        }
    }
}

/// Whether `c` is a character a numeric character reference may not hide from the checks on
/// the text as written: a control character (an error) or a bidirectional control (checked for
/// balance).
fn is_hidden(c: char) -> bool {
    crate::text::is_forbidden_control(c) || crate::text::Bidi::of(c).is_some()
}

/// The numeric character references (`&#27;`, `&#x202E;`) in `body[range]` that write a
/// control character or a bidirectional control, where `decoded`, the text Markdown makes of
/// them, holds one (`None` for raw HTML, which is published as written and decoded by the
/// browser). Controls are errors; bidirectional controls are kept for the balance check.
fn hidden_references(body: &str, range: &Range<usize>, decoded: Option<&str>, out: &mut Scan) {
    if decoded.is_some_and(|d| !d.chars().any(is_hidden)) {
        return;
    }
    let written = &body[range.clone()];
    let mut from = 0;
    while let Some(i) = written[from..].find("&#").map(|i| from + i) {
        from = i + 2;
        let rest = &written[from..];
        let (digits, radix) = match rest.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (rest, 10),
        };
        let len = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        if !digits[len..].starts_with(';') {
            continue;
        }
        let Some(c) = u32::from_str_radix(&digits[..len], radix)
            .ok()
            .and_then(char::from_u32)
            .filter(|&c| is_hidden(c))
        else {
            continue;
        };
        let end = from + (rest.len() - digits.len()) + len + 1;
        let span = range.start + i..range.start + end;
        if crate::text::is_forbidden_control(c) {
            out.problems.push(Problem::new(
                span,
                format!(
                    "the character reference `{}` writes control character {}",
                    &written[i..end],
                    crate::text::describe(c)
                ),
                "delete it: text may not hold control characters",
            ));
        } else {
            out.bidi_references.push((span, c));
        }
    }
}

/// The link being read: where it is, what it says, and whether it holds an image.
struct OpenLink {
    span: Range<usize>,
    metric: bool,
    text: String,
    has_image: bool,
}

/// Link text that means nothing out of context, as screen reader users often hear links.
const VAGUE_LINK_TEXT: [&str; 8] = [
    "click here",
    "here",
    "read more",
    "more",
    "this link",
    "link",
    "this page",
    "learn more",
];

fn is_bare_url(text: &str) -> bool {
    let t = text.trim();
    (t.starts_with("http://") || t.starts_with("https://") || t.starts_with("www."))
        && !t.contains(' ')
}

/// Alt text that names the file or just says "image" tells the reader nothing.
fn is_useless_alt(alt: &str) -> bool {
    let a = alt.trim().to_lowercase();
    let file_name = !a.contains(' ')
        && [".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif"]
            .iter()
            .any(|e| a.ends_with(e));
    file_name
        || [
            "image", "picture", "photo", "img", "graphic", "chart", "figure",
        ]
        .contains(&a.as_str())
}

fn too_deep(body: &str, range: Range<usize>) -> Problem {
    // Only the first line: the element may run to the end of the body.
    let end = body[range.clone()]
        .find('\n')
        .map_or(range.end, |i| range.start + i);
    Problem::new(
        range.start..end,
        format!(
            "block quotes, lists and HTML elements are nested more than {MAX_NESTING} levels deep here"
        ),
        "flatten the structure: readers (and screen readers, which announce every level) cannot follow it",
    )
}

/// GFM footnote labels match case-insensitively.
fn label_key(label: &str) -> String {
    label.to_lowercase()
}

/// Read a body once for what the resolve stage checks: the link and image destinations, the
/// heading ids (the same ones [`to_html`] gives), raw HTML the sanitiser would change, and the
/// problems found in the Markdown alone (headings, link and alt text, tables, footnotes,
/// nesting, hidden characters), sorted by where they are.
pub(crate) fn scan(body: &str) -> Scan {
    let mut scanner = Scanner::new(body);
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        scanner.hidden(&event, &range);
        scanner.join_text(&event, &range);
        scanner.event(event, range);
    }
    scanner.finish()
}

/// The state of one [`scan`]: what has been gathered, and the element being read of each kind
/// whose checks need its whole text.
struct Scanner<'b> {
    body: &'b str,
    out: Scan,
    notes: NoteGraph,
    /// The image being read: its destination, where it is, and its alt text so far.
    image: Option<(String, Range<usize>, String)>,
    link: Option<OpenLink>,
    /// Where the table header being read is, and its text, if in one.
    table_head: Option<(Range<usize>, String)>,
    in_code_block: bool,
    /// Adjoining text events not yet searched for undefined footnote references.
    text_run: Option<Range<usize>>,
    last_heading: u8,
    anchors: Anchors,
    /// Explicit id and text of the heading being read.
    heading: Option<(Option<String>, String)>,
    /// Level of the heading being read.
    heading_level: u8,
    /// Whether a footnote's definition is being read (its headings are not in the outline).
    in_note: bool,
    nesting: nesting::Nesting,
}

impl<'b> Scanner<'b> {
    fn new(body: &'b str) -> Self {
        Scanner {
            body,
            out: Scan::default(),
            notes: NoteGraph::default(),
            image: None,
            link: None,
            table_head: None,
            in_code_block: false,
            text_run: None,
            last_heading: 1,
            anchors: Anchors::default(),
            heading: None,
            heading_level: 2,
            in_note: false,
            nesting: nesting::Nesting::new(),
        }
    }

    /// Character references that write a control character: in text, code, raw HTML, and a
    /// link's or image's destination and title.
    fn hidden(&mut self, event: &Event, range: &Range<usize>) {
        let (body, out) = (self.body, &mut self.out);
        match event {
            Event::Text(t) | Event::Code(t) => hidden_references(body, range, Some(t), out),
            Event::Html(_) | Event::InlineHtml(_) => hidden_references(body, range, None, out),
            Event::Start(
                Tag::Link {
                    dest_url, title, ..
                }
                | Tag::Image {
                    dest_url, title, ..
                },
            ) => {
                for t in [dest_url, title] {
                    hidden_references(body, range, Some(t), out);
                }
            }
            _ => {}
        }
    }

    /// Undefined footnote references come through as plain text split over several events;
    /// join adjoining text events and look for `[^label]` in the source they cover.
    fn join_text(&mut self, event: &Event, range: &Range<usize>) {
        match event {
            Event::Text(_) if !self.in_code_block => {
                self.text_run = match self.text_run.take() {
                    Some(run) if run.end == range.start => Some(run.start..range.end),
                    Some(run) => {
                        undefined_footnotes(self.body, run, &mut self.out.problems);
                        Some(range.clone())
                    }
                    None => Some(range.clone()),
                };
            }
            _ => self.end_text_run(),
        }
    }

    fn end_text_run(&mut self) {
        if let Some(run) = self.text_run.take() {
            undefined_footnotes(self.body, run, &mut self.out.problems);
        }
    }

    /// The checks each kind of event starts or finishes.
    fn event(&mut self, event: Event, range: Range<usize>) {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                self.heading = Some((id.map(|i| i.to_string()), String::new()));
                self.heading_level = level as u8;
                self.heading_level(level as u8, &range);
            }
            Event::End(TagEnd::Heading(_)) => self.heading_end(&range),
            Event::Text(t) | Event::Code(t) => self.text(&t),
            Event::Start(Tag::TableHead) => self.table_head = Some((range, String::new())),
            Event::End(TagEnd::TableHead) => self.table_head_end(),
            Event::Start(Tag::CodeBlock(_)) => self.in_code_block = true,
            Event::End(TagEnd::CodeBlock) => self.in_code_block = false,
            // Email autolinks become mailto: links and need no checking.
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) if link_type != LinkType::Email => {
                self.link = Some(OpenLink {
                    span: range.clone(),
                    metric: dest_url.starts_with("metric:"),
                    text: String::new(),
                    has_image: false,
                });
                self.out.links.push(Destination {
                    dest: dest_url.into_string(),
                    span: range,
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Link) => self.link_end(),
            Event::Start(Tag::Image { dest_url, .. }) => {
                if let Some(l) = self.link.as_mut() {
                    l.has_image = true;
                }
                self.image = Some((dest_url.into_string(), range, String::new()));
            }
            Event::End(TagEnd::Image) => self.image_end(),
            Event::FootnoteReference(label) => self.notes.cite(&label),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let marker = range.start..(range.start + label.len() + 3).min(self.body.len());
                self.notes.define(&label, marker, &mut self.out.problems);
                self.in_note = true;
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                self.notes.end();
                self.in_note = false;
            }
            Event::Html(html) | Event::InlineHtml(html) => self.raw_html(&html, range),
            Event::Start(Tag::BlockQuote(_) | Tag::List(_)) => {
                // Opening counts the level, so it is not a match guard.
                let past_limit = self.nesting.open();
                if past_limit {
                    self.out.problems.push(too_deep(self.body, range));
                }
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_)) => self.nesting.close(),
            _ => {}
        }
    }

    /// Text belongs to every element being read that it is inside.
    fn text(&mut self, t: &str) {
        if let Some((_, text)) = self.heading.as_mut() {
            text.push_str(t);
        }
        if let Some(l) = self.link.as_mut() {
            l.text.push_str(t);
        }
        if let Some((_, _, alt)) = self.image.as_mut() {
            alt.push_str(t);
        }
        if let Some((_, text)) = self.table_head.as_mut() {
            text.push_str(t);
        }
    }

    /// The body's headings start at level 2 (the title is the h1) and skip no level.
    fn heading_level(&mut self, level: u8, range: &Range<usize>) {
        let last = self.last_heading;
        if level == 1 {
            self.out.problems.push(Problem::new(
                heading_marker(self.body, range),
                "a level-1 heading in the body: the title is the page's only h1",
                "use ## for the top level of sections",
            ));
        } else if level > last + 1 {
            self.out.problems.push(Problem::new(
                heading_marker(self.body, range),
                format!("heading level skipped: h{level} follows h{last}"),
                format!(
                    "use {} here, or add the missing level above",
                    "#".repeat(usize::from(last) + 1)
                ),
            ));
        }
        self.last_heading = level.max(2);
    }

    fn heading_end(&mut self, range: &Range<usize>) {
        let Some((id, text)) = self.heading.take() else {
            return;
        };
        if text.trim().is_empty() && id.is_none() {
            self.out.problems.push(Problem::new(
                heading_marker(self.body, range),
                "empty heading",
                "give the heading text, or remove it",
            ));
        }
        if let Some(taken) = id.as_deref().filter(|i| is_page_id(i)) {
            self.out.problems.push(Problem::warning(
                heading_marker(self.body, range),
                format!("heading id `{taken}` is one the page itself uses"),
                format!("the heading gets `section-{taken}` instead: choose another {{#id}}"),
            ));
        }
        let id = self.anchors.next(id.as_deref(), &text);
        if !self.in_note {
            self.out.outline.push(Heading {
                level: self.heading_level,
                id: id.clone(),
                text: text.trim().to_string(),
            });
        }
        self.out.headings.push(id);
    }

    fn table_head_end(&mut self) {
        let Some((span, text)) = self.table_head.take() else {
            return;
        };
        if text.trim().is_empty() {
            let first_line = self.body[span.clone()]
                .find('\n')
                .map_or(span.end, |n| span.start + n);
            self.out.problems.push(Problem::new(
                span.start..first_line,
                "a table without a header row",
                "give each column a header, e.g. | Year | Value |",
            ));
        }
    }

    /// A link's text must say where it goes; a `metric:` link's text is kept to be checked as
    /// a claim instead.
    fn link_end(&mut self) {
        let Some(l) = self.link.take() else {
            return;
        };
        let text = l.text.trim();
        if l.metric {
            // An empty metric link shows its value; the text is checked as a claim.
            if let Some(d) = self.out.links.last_mut() {
                d.text = l.text.clone();
            }
        } else if text.is_empty() && !l.has_image {
            self.out.problems.push(Problem::new(
                l.span,
                "empty link",
                "give the link text that says where it goes",
            ));
        } else if VAGUE_LINK_TEXT.contains(&text.to_lowercase().as_str()) {
            self.out.problems.push(Problem::warning(
                l.span,
                format!("link text \"{text}\" says nothing on its own"),
                "say where the link goes, e.g. [the Police and Crime Plan](...)",
            ));
        } else if is_bare_url(text) {
            self.out.problems.push(Problem::warning(
                l.span,
                "link text is a bare URL",
                "say where the link goes, e.g. [the Police and Crime Plan](https://...)",
            ));
        }
    }

    fn image_end(&mut self) {
        let Some((dest, span, alt)) = self.image.take() else {
            return;
        };
        if alt.trim().is_empty() {
            self.out.problems.push(Problem::new(
                span.clone(),
                "image has no alt text",
                "describe what the image shows between the brackets: ![description](path)",
            ));
        } else if is_useless_alt(&alt) {
            self.out.problems.push(Problem::warning(
                span.clone(),
                format!("alt text \"{}\" does not describe the image", alt.trim()),
                "say what the image shows, e.g. ![Bar chart: knife crime fell 26% from 2016 to 2021](chart.png)",
            ));
        }
        self.out.images.push(Destination {
            dest,
            span,
            text: String::new(),
        });
    }

    /// Raw HTML: what the sanitiser would remove, scheme-relative addresses, and elements
    /// nested too deep.
    fn raw_html(&mut self, html: &str, range: Range<usize>) {
        let body = self.body;
        self.out.has_raw_html = true;
        let past_limit = self.nesting.raw_html(html);
        // An HTML block runs to a blank line; point at its first line.
        let line = body[range.clone()].find(['\n', '\r']);
        let first_line = range.start..line.map_or(range.end, |n| range.start + n);
        if let Some(what) = self.nesting.removed() {
            self.out.unsafe_html.push((first_line.clone(), what));
        }
        for (place, url) in self.nesting.scheme_relative() {
            let what = format!("raw HTML: the address `{url}` in {place}");
            let (message, help) = crate::address::scheme_relative_message(&what, &url);
            self.out
                .problems
                .push(Problem::new(first_line.clone(), message, help));
        }
        if let Some(at) = past_limit {
            // At the tag, when the HTML is the text as written (not inside a block
            // quote, whose `>` markers it leaves out).
            let tag = (body.get(range.clone()) == Some(html)).then(|| {
                let start = range.start + at;
                let end = body[start..range.end]
                    .find(['>', '\n', '\r'])
                    .map_or(range.end, |n| {
                        start + n + usize::from(body.as_bytes()[start + n] == b'>')
                    });
                start..end
            });
            self.out.problems.push(too_deep(body, tag.unwrap_or(range)));
        }
    }

    /// The checks that need the whole body, and the problems in order.
    fn finish(mut self) -> Scan {
        self.end_text_run();
        self.notes.unreached(&mut self.out.problems);
        let mut out = self.out;
        // A link's text is read as its own text and again within the link: keep each reference
        // once (sorted, not searched on each insert, which was quadratic in their number).
        out.bidi_references.sort_by_key(|(r, _)| r.start);
        out.bidi_references.dedup_by_key(|(r, _)| r.start);
        out.problems.sort_by_key(|p| p.span.start);
        out
    }
}

/// Which footnotes cite which, to find the notes the text never reaches: a note is shown only
/// when the text cites it, or cites a note that cites it, and so on.
#[derive(Default)]
struct NoteGraph {
    /// Each label's first definition: the label as written, and its marker.
    defined: HashMap<String, (String, Range<usize>)>,
    /// Labels in the order they are defined.
    order: Vec<String>,
    /// Labels the text itself cites.
    from_text: Vec<String>,
    /// For each label, the notes whose definitions cite it.
    cited_by: HashMap<String, Vec<String>>,
    /// For each note, the labels its definition cites.
    cites: HashMap<String, Vec<String>>,
    /// The definition being read: its label, or `None` in the text or in a dropped repeat.
    in_note: Option<String>,
    /// Whether the definition being read is a dropped repeat.
    in_repeat: bool,
}

impl NoteGraph {
    fn define(&mut self, label: &str, marker: Range<usize>, problems: &mut Vec<Problem>) {
        let key = label_key(label);
        if let Some((_, first)) = self.defined.get(&key) {
            // Only the first definition is shown; citations in the repeat lead nowhere.
            problems.push(
                Problem::new(
                    marker,
                    format!("footnote [^{label}] is defined twice"),
                    format!("merge the two notes into the first, or give this one its own label and cite it with [^{label}-2]"),
                )
                .related(first.clone(), "first defined here"),
            );
            self.in_note = None;
            self.in_repeat = true;
            return;
        }
        self.defined
            .insert(key.clone(), (label.to_string(), marker));
        self.order.push(key.clone());
        self.in_note = Some(key);
        self.in_repeat = false;
    }

    fn end(&mut self) {
        self.in_note = None;
        self.in_repeat = false;
    }

    fn cite(&mut self, label: &str) {
        let key = label_key(label);
        match (&self.in_note, self.in_repeat) {
            (Some(note), _) => {
                self.cites
                    .entry(note.clone())
                    .or_default()
                    .push(key.clone());
                self.cited_by.entry(key).or_default().push(note.clone());
            }
            (None, true) => {
                self.cited_by.entry(key).or_default();
            }
            (None, false) => self.from_text.push(key),
        }
    }

    /// An error at each definition the text never reaches.
    fn unreached(&self, problems: &mut Vec<Problem>) {
        let mut reached: HashSet<&str> = HashSet::new();
        let mut queue: Vec<&str> = self.from_text.iter().map(String::as_str).collect();
        while let Some(key) = queue.pop() {
            if reached.insert(key) {
                // Notes this one cites are reached through it.
                if let Some(cited) = self.cites.get(key) {
                    queue.extend(cited.iter().map(String::as_str));
                }
            }
        }
        for key in &self.order {
            if reached.contains(key.as_str()) {
                continue;
            }
            let (label, span) = &self.defined[key];
            let by = self.cited_by.get(key).filter(|by| !by.is_empty());
            let problem = match by {
                None if !self.cited_by.contains_key(key) => Problem::new(
                    span.clone(),
                    format!("footnote [^{label}] is defined but never referenced"),
                    format!("cite it in the text with [^{label}], or delete the definition"),
                ),
                None => Problem::new(
                    span.clone(),
                    format!(
                        "footnote [^{label}] is cited only by a repeated definition, which is dropped"
                    ),
                    format!("cite it in the text with [^{label}], or delete the definition"),
                ),
                Some(by) => {
                    let mut names: Vec<String> = by
                        .iter()
                        .map(|b| {
                            if b == key {
                                "itself".to_string()
                            } else {
                                format!("[^{}]", self.defined[b].0)
                            }
                        })
                        .collect();
                    names.dedup();
                    Problem::new(
                        span.clone(),
                        format!(
                            "footnote [^{label}] is never reached from the text: it is cited only by {}",
                            names.join(" and ")
                        ),
                        format!(
                            "cite it in the text with [^{label}] (or cite a note that cites it), or delete the definition"
                        ),
                    )
                }
            };
            problems.push(problem);
        }
    }
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
/// An id the page itself uses (see [`is_page_id`]) is not given to a heading: it gets the
/// `section-` prefix instead.
#[derive(Default)]
pub(crate) struct Anchors {
    seen: HashMap<String, usize>,
    /// Every id given so far, so a numbered repeat never takes an id given already ("Hi",
    /// "Hi", "Hi 2" are `hi`, `hi-2`, `hi-2-2`).
    given: HashSet<String>,
}

impl Anchors {
    pub(crate) fn next(&mut self, explicit: Option<&str>, text: &str) -> String {
        let base = explicit.map_or_else(|| slugify(text), str::to_string);
        let base = if base.is_empty() {
            "section".to_string()
        } else if is_page_id(&base) {
            format!("section-{base}")
        } else {
            base
        };
        let n = self.seen.entry(base.clone()).or_insert(0);
        let id = loop {
            *n += 1;
            let id = if *n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            if !self.given.contains(&id) {
                break id;
            }
        };
        self.given.insert(id.clone());
        id
    }
}

/// Whether a document's page, or the theme around its body, may use `id` itself: the skip
/// link's target `main`, the notes' heading, the theme's own `ps-` ids (its sections and the
/// contents list), notes `fn-N` and their references `fnref-N`, `fnref-N-K`.
fn is_page_id(id: &str) -> bool {
    let numbered = |rest: &str| {
        !rest.is_empty()
            && rest
                .split('-')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    };
    matches!(id, "main" | "footnotes-label")
        || id.starts_with("ps-")
        || id.strip_prefix("fn-").is_some_and(numbered)
        || id.strip_prefix("fnref-").is_some_and(numbered)
}

/// A URL fragment for a heading's text: lowercase words joined by hyphens.
pub(crate) fn slugify(text: &str) -> String {
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

    fn problems(body: &str) -> Vec<(String, &str, Option<&str>)> {
        scan(body)
            .problems
            .into_iter()
            .map(|p| (p.message, &body[p.span], p.related.map(|(r, _)| &body[r])))
            .collect()
    }

    #[test]
    fn a_footnote_defined_twice_is_an_error_at_the_repeat_showing_the_first() {
        let body = "One[^a].\n\n[^a]: First.\n\n[^A]: Second.\n";
        let got = problems(body);
        assert_eq!(
            got,
            [(
                "footnote [^A] is defined twice".to_string(),
                "[^A]",
                Some("[^a]")
            )]
        );
        let at = scan(body).problems[0].span.start;
        assert_eq!(at, body.find("[^A]:").unwrap());
    }

    #[test]
    fn notes_the_text_never_reaches_are_errors() {
        // Cites only itself.
        assert_eq!(
            problems("Text.\n\n[^a]: See [^a].\n"),
            [(
                "footnote [^a] is never reached from the text: it is cited only by itself"
                    .to_string(),
                "[^a]",
                None
            )]
        );
        // A cycle with no citation from the text: both notes are reported.
        let got = problems("Text.\n\n[^a]: See [^b].\n\n[^b]: See [^a].\n");
        assert_eq!(
            got.iter().map(|p| p.0.as_str()).collect::<Vec<_>>(),
            [
                "footnote [^a] is never reached from the text: it is cited only by [^b]",
                "footnote [^b] is never reached from the text: it is cited only by [^a]",
            ]
        );
        // Reached through another note, or citing itself once cited: fine.
        assert!(problems("Text[^a].\n\n[^a]: See [^b].\n\n[^b]: See [^a].\n").is_empty());
        assert!(problems("Text[^a].\n\n[^a]: See [^a].\n").is_empty());
        // Cited only from a dropped repeat.
        let got = problems("T[^a].\n\n[^a]: A.\n\n[^a]: See [^c].\n\n[^c]: C.\n");
        assert_eq!(
            got.iter().map(|p| p.0.as_str()).collect::<Vec<_>>(),
            [
                "footnote [^a] is defined twice",
                "footnote [^c] is cited only by a repeated definition, which is dropped",
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

    fn messages(body: &str) -> Vec<(Severity, String)> {
        scan(body)
            .problems
            .into_iter()
            .map(|p| (p.severity, p.message))
            .collect()
    }

    #[test]
    fn lints_link_text_alt_text_empty_links_headings_and_tables() {
        use Severity::*;
        let body = "[click here](a.md) [Read more](b.md) <https://example.org> [](c.md) [![A chart](d.png)](e.png) [](metric:x)\n\n![image](f.png) ![chart-2021.png](g.png)\n\n## \n\n|  |  |\n|--|--|\n| 1 | 2 |\n";
        assert_eq!(
            messages(body),
            vec![
                (
                    Warning,
                    "link text \"click here\" says nothing on its own".to_string()
                ),
                (
                    Warning,
                    "link text \"Read more\" says nothing on its own".to_string()
                ),
                (Warning, "link text is a bare URL".to_string()),
                (Error, "empty link".to_string()),
                (
                    Warning,
                    "alt text \"image\" does not describe the image".to_string()
                ),
                (
                    Warning,
                    "alt text \"chart-2021.png\" does not describe the image".to_string()
                ),
                (Error, "empty heading".to_string()),
                (Error, "a table without a header row".to_string()),
            ]
        );
        assert!(messages("[the plan](a.md) ![A bar chart of officer numbers](c.png)\n\n| Year |\n|--|\n| 1 |\n").is_empty());
    }

    /// Every spelling of a script address that a browser would still run is named as the
    /// plain one is; a lookalike that no browser runs is not.
    #[test]
    fn script_addresses_in_raw_html_are_named_however_spelt() {
        let named = |html: &str| {
            let s = scan(&format!("{html}\n"));
            s.unsafe_html
                .into_iter()
                .map(|(_, what)| what)
                .collect::<Vec<_>>()
        };
        for spelling in [
            "javascript:x()",
            "JaVaScRiPt:x()",
            "jav&#x09;ascript:x()",
            "jav&#9;ascript:x()",
            "java&#x0A;script:x()",
            "java&NewLine;script:x()",
            "&#106;avascript:x()",
            "&#x6A;avascript:x()",
            "javascript&colon;x()",
            "&#x20;javascript:x()",
            "&#x01;&#x1f;javascript:x()",
            " \tjavascript:x() ",
        ] {
            assert_eq!(
                named(&format!("<a href=\"{spelling}\">a</a>")),
                ["the javascript: URL in <a href>"],
                "{spelling}"
            );
        }
        assert_eq!(
            named("<img alt=\"a\" srcset=\"a.png 1x, &#100;ata:image/png,x 2x\">"),
            ["the data: URL in <img srcset>"]
        );
        // A no-break space is not dropped: this is a relative path, not a script.
        assert!(named("<a href=\"&#xA0;javascript:x()\">a</a>").is_empty());
    }

    /// A scheme-relative address in a raw HTML attribute is an error at the tag, however spelt,
    /// each one reported.
    #[test]
    fn scheme_relative_addresses_in_raw_html_are_errors() {
        let body = "<img alt=\"a\" src=\"//evil.example/t.gif\">\n\nText <a href=\"&#47;&#47;evil.example/a\" ping=\"\\\\evil.example/p\">a</a>\n\n<a href=\"/reports/\">fine</a> <!-- <img src=\"//in.a.comment\"> -->\n";
        let s = scan(body);
        let found: Vec<(&str, &str)> = s
            .problems
            .iter()
            .map(|p| (p.message.as_str(), &body[p.span.clone()]))
            .collect();
        let msg = |url: &str, place: &str| {
            crate::address::scheme_relative_message(
                &format!("raw HTML: the address `{url}` in {place}"),
                url,
            )
            .0
        };
        assert_eq!(
            found,
            [
                (
                    msg("//evil.example/t.gif", "<img src>").as_str(),
                    "<img alt=\"a\" src=\"//evil.example/t.gif\">"
                ),
                (
                    msg("//evil.example/a", "<a href>").as_str(),
                    "<a href=\"&#47;&#47;evil.example/a\" ping=\"\\\\evil.example/p\">"
                ),
                (
                    msg("\\\\evil.example/p", "<a ping>").as_str(),
                    "<a href=\"&#47;&#47;evil.example/a\" ping=\"\\\\evil.example/p\">"
                ),
            ]
        );
    }

    #[test]
    fn collects_links_but_not_email_autolinks() {
        let s = scan("[a](other.md) <https://x.org> <me@example.org> <b>raw</b>\n");
        let dests: Vec<&str> = s.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(dests, vec!["other.md", "https://x.org"]);
        assert!(s.has_raw_html);
    }

    #[test]
    fn heading_ids_are_unique_and_never_ids_the_page_uses() {
        let body = "## Hi\n\n## Hi\n\n## Hi 2\n\n## Main\n\n## Fn 1\n\n## fnref 2 3\n\n## PS answers to\n\n## Footnotes label\n\n### Own {#main}\n\n## Fn one\n\n## Main street\n";
        assert_eq!(
            scan(body).headings,
            [
                "hi",
                "hi-2",
                "hi-2-2",
                "section-main",
                "section-fn-1",
                "section-fnref-2-3",
                "section-ps-answers-to",
                "section-footnotes-label",
                "section-main-2",
                "fn-one",
                "main-street",
            ]
        );
    }

    #[test]
    fn an_explicit_id_the_page_uses_is_a_warning_at_the_heading() {
        let body = "## A {#main}\n\n## B {#fn-2}\n\n## C {#own}\n\n## Main\n";
        let s = scan(body);
        let found: Vec<(Severity, &str, &str)> = s
            .problems
            .iter()
            .map(|p| (p.severity, p.message.as_str(), &body[p.span.clone()]))
            .collect();
        assert_eq!(
            found,
            [
                (
                    Severity::Warning,
                    "heading id `main` is one the page itself uses",
                    "##"
                ),
                (
                    Severity::Warning,
                    "heading id `fn-2` is one the page itself uses",
                    "##"
                ),
            ]
        );
        assert_eq!(
            s.problems[0].help,
            "the heading gets `section-main` instead: choose another {#id}"
        );
        assert_eq!(
            s.headings,
            ["section-main", "section-fn-2", "own", "section-main-2"]
        );
    }

    #[test]
    fn the_outline_has_each_headings_level_id_and_plain_text() {
        let s = scan("## A *b* `c`\n\n### D {#e}\n\n#### F\n");
        let got: Vec<(u8, &str, &str)> = s
            .outline
            .iter()
            .map(|h| (h.level, h.id.as_str(), h.text.as_str()))
            .collect();
        assert_eq!(got, [(2, "a-b-c", "A b c"), (3, "e", "D"), (4, "f", "F")]);
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
    fn escaping_covers_text_and_quoted_attributes() {
        assert_eq!(
            escape_html("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(escape_html("plain"), "plain");
    }

    /// Each element's checks see only the text inside it, however the elements nest, and
    /// problems come out in the order of the body whatever the event that found them.
    #[test]
    fn text_goes_to_each_element_it_is_inside_and_problems_are_in_body_order() {
        let body =
            "[^x]\n\n## [![](a.png)](b.md)\n\n| ![here](c.png) |\n|--|\n| 1 |\n\n[here](d.md)\n";
        let s = scan(body);
        assert_eq!(s.headings, ["section"]);
        assert_eq!(
            s.images.iter().map(|d| d.dest.as_str()).collect::<Vec<_>>(),
            ["a.png", "c.png"]
        );
        let got: Vec<(&str, &str)> = s
            .problems
            .iter()
            .map(|p| (p.message.as_str(), &body[p.span.clone()]))
            .collect();
        assert_eq!(
            got,
            [
                ("footnote [^x] is referenced but never defined", "[^x]"),
                // Found at the heading's end, after the image inside it.
                ("empty heading", "##"),
                ("image has no alt text", "![](a.png)"),
                ("link text \"here\" says nothing on its own", "[here](d.md)"),
            ]
        );
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
