//! Markdown to HTML: numbered footnotes with back links (DPUB-ARIA roles), tables with header
//! scopes in a focusable scroll region, highlighted code, heading anchors, resolved links, and
//! no inline styles anywhere (the theme's CSP forbids them).

use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;
use std::sync::LazyLock;

use pulldown_cmark::{Alignment, CodeBlockKind, Parser};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{Anchors, escape_html, highlight, label_key, options};
use crate::address::{browser_form, is_protocol_relative};

/// Maps link and image destinations, as written, to the URLs to publish. The resolve stage has
/// already checked them, so this cannot fail.
pub(crate) trait Resolve {
    fn link(&self, dest: &str) -> String;
    fn image(&self, dest: &str) -> String;
    /// What a `metric:` link shows: its value, and the note citing its source.
    fn metric(&self, _dest: &str) -> Option<Figure> {
        None
    }
}

/// A figure from a `metric:` link, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Figure {
    /// The value formatted for its unit ("51%"), shown when the link has no text.
    pub(crate) value: String,
    /// Identifies the note, so figures from one source share one note.
    pub(crate) note_key: String,
    /// The note's HTML: where the figure comes from.
    pub(crate) note_html: String,
}

/// Give empty `metric:` links their value as text, and follow each with a reference to a note
/// citing its source; inside a note, cite the source inline instead (notes do not nest).
fn expand_figures<'a>(
    events: Vec<Event<'a>>,
    resolve: &dyn Resolve,
    in_note: bool,
    notes: &mut Vec<(String, Vec<Event<'a>>)>,
) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut iter = events.into_iter().peekable();
    while let Some(event) = iter.next() {
        let figure = match &event {
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with("metric:") => {
                resolve.metric(dest_url)
            }
            _ => None,
        };
        out.push(event);
        let Some(figure) = figure else { continue };
        if matches!(iter.peek(), Some(Event::End(TagEnd::Link))) {
            out.push(Event::Text(CowStr::from(figure.value.clone())));
        }
        for e in iter.by_ref() {
            let end = matches!(e, Event::End(TagEnd::Link));
            out.push(e);
            if end {
                break;
            }
        }
        if in_note {
            out.push(Event::Html(CowStr::from(format!(
                " ({})",
                figure.note_html
            ))));
        } else {
            // A space cannot occur in an author's footnote label, so this one cannot clash.
            let label = format!("figure source {}", figure.note_key);
            if !notes.iter().any(|(l, _)| *l == label) {
                let body = vec![
                    Event::Start(Tag::Paragraph),
                    Event::Html(CowStr::from(figure.note_html)),
                    Event::End(TagEnd::Paragraph),
                ];
                notes.push((label.clone(), body));
            }
            out.push(Event::FootnoteReference(CowStr::from(label)));
        }
    }
    out
}

/// Render a document body. `sanitize` runs raw HTML through an allow-list (ammonia) and is only
/// paid for by bodies that contain raw HTML.
pub(crate) fn to_html(body: &str, resolve: &dyn Resolve, sanitize: bool) -> String {
    let mut main: Vec<Event> = Vec::new();
    let mut defs: HashMap<String, Vec<Event>> = HashMap::new();
    let mut current_def: Option<(String, Vec<Event>)> = None;
    let mut has_raw_html = false;
    for event in Parser::new_ext(body, options()) {
        if matches!(event, Event::Html(_) | Event::InlineHtml(_)) {
            has_raw_html = true;
        }
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                current_def = Some((label_key(&label), Vec::new()))
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((key, events)) = current_def.take() {
                    defs.entry(key).or_insert(events);
                }
            }
            e => match current_def.as_mut() {
                Some((_, events)) => events.push(e),
                None => main.push(e),
            },
        }
    }

    let (heading_ids, anchors) = heading_ids(&main);
    let mut figure_notes = Vec::new();
    let main = expand_figures(main, resolve, false, &mut figure_notes);
    let mut defs: HashMap<String, Vec<Event>> = defs
        .into_iter()
        .map(|(k, events)| (k, expand_figures(events, resolve, true, &mut Vec::new())))
        .collect();
    for (label, events) in figure_notes {
        defs.entry(label_key(&label)).or_insert(events);
    }

    let mut notes = Notes::default();
    // Numbers follow the order of first reference in the text, then in the notes themselves.
    notes.number(&main);
    let mut i = 0;
    while i < notes.order.len() {
        let key = notes.order[i].clone();
        if let Some(events) = defs.get(&key) {
            notes.number(events);
        }
        i += 1;
    }

    let mut w = Writer {
        resolve,
        notes: &mut notes,
        defs: &defs,
        tables: 0,
        anchors,
        heading_ids,
        in_notes: false,
    };
    let mut out = String::with_capacity(body.len() * 3 / 2);
    w.push(&mut out, main);
    w.push_notes(&mut out);
    if sanitize && has_raw_html {
        out = sanitize_html(&out);
    }
    out
}

#[derive(Default)]
struct Notes {
    order: Vec<String>,
    number_of: HashMap<String, usize>,
    /// How many references to each note have been written so far.
    written: HashMap<String, usize>,
}

impl Notes {
    fn number(&mut self, events: &[Event]) {
        for e in events {
            if let Event::FootnoteReference(label) = e {
                let key = label_key(label);
                if !self.number_of.contains_key(&key) {
                    self.order.push(key.clone());
                    self.number_of.insert(key, self.order.len());
                }
            }
        }
    }
}

fn ref_id(n: usize, k: usize) -> String {
    if k == 1 {
        format!("fnref-{n}")
    } else {
        format!("fnref-{n}-{k}")
    }
}

struct Writer<'a> {
    resolve: &'a dyn Resolve,
    notes: &'a mut Notes,
    defs: &'a HashMap<String, Vec<Event<'a>>>,
    tables: usize,
    anchors: Anchors,
    /// The ids of the text's headings, in order, from [`heading_ids`].
    heading_ids: VecDeque<String>,
    /// Whether the notes are being written: their headings get no self-link.
    in_notes: bool,
}

/// The ids of the text's headings, from the Markdown as written, as [`super::scan`] gives
/// them (so the ids that links and the contents list point to are the ones published): a
/// figure's value, shown in a heading, is not part of its id. The anchors go on to the notes.
fn heading_ids(events: &[Event]) -> (VecDeque<String>, Anchors) {
    let mut anchors = Anchors::default();
    let mut ids = VecDeque::new();
    let mut heading: Option<(Option<&str>, String)> = None;
    for e in events {
        match e {
            Event::Start(Tag::Heading { id, .. }) => heading = Some((id.as_deref(), String::new())),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, text)) = heading.as_mut() {
                    text.push_str(t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((id, text)) = heading.take() {
                    ids.push_back(anchors.next(id, &text));
                }
            }
            _ => {}
        }
    }
    (ids, anchors)
}

/// The table being written: its columns' alignments, whether in its header row, and which cell.
#[derive(Default)]
struct Table {
    alignments: Vec<Alignment>,
    in_head: bool,
    cell: usize,
}

fn html<'a>(s: String) -> Event<'a> {
    Event::Html(CowStr::from(s))
}

impl<'a> Writer<'a> {
    /// Write `events` as HTML: pulldown-cmark's own, except for the elements this renderer
    /// writes itself (footnote references, headings, code, tables, task markers) and the
    /// destinations of links and images, which are resolved.
    fn push(&mut self, out: &mut String, events: Vec<Event<'a>>) {
        let mut transformed: Vec<Event> = Vec::with_capacity(events.len());
        let mut iter = events.into_iter();
        let mut table = Table::default();
        while let Some(e) = iter.next() {
            match e {
                Event::FootnoteReference(label) => transformed.push(self.footnote_ref(label)),
                Event::Start(Tag::Heading { level, id, .. }) => {
                    flush(out, &mut transformed);
                    self.heading(out, level as u8, id.as_deref(), &mut iter);
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    transformed.push(html(code_block(&kind, &mut iter)))
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let dest_url = if matches!(link_type, pulldown_cmark::LinkType::Email) {
                        dest_url
                    } else {
                        CowStr::from(self.resolve.link(&dest_url))
                    };
                    transformed.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let dest_url = CowStr::from(self.resolve.image(&dest_url));
                    transformed.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
                Event::TaskListMarker(done) => transformed.push(html(task_marker(done).into())),
                e => transformed.push(self.table_event(&mut table, e)),
            }
        }
        flush(out, &mut transformed);
    }

    /// A reference to a note, numbered, with the id its back link returns to; a reference to
    /// a note that is not defined stays as written.
    fn footnote_ref(&mut self, label: CowStr<'a>) -> Event<'a> {
        let key = label_key(&label);
        let number = self.notes.number_of.get(&key).copied();
        match number.filter(|_| self.defs.contains_key(&key)) {
            Some(n) => {
                let k = self.notes.written.entry(key).or_insert(0);
                *k += 1;
                // "[2]", not "2": a marker after a figure must not read as its last digit
                // ("5[2] areas", not "52 areas"); the name stays "Footnote 2".
                html(format!(
                    "<sup class=\"footnote-ref\"><a href=\"#fn-{n}\" id=\"{}\" role=\"doc-noteref\" aria-label=\"Footnote {n}\">[{n}]</a></sup>",
                    ref_id(n, *k)
                ))
            }
            None => Event::Text(CowStr::from(format!("[^{label}]"))),
        }
    }

    /// A heading, read to its end, with its unique id.
    fn heading(
        &mut self,
        out: &mut String,
        level: u8,
        id: Option<&str>,
        iter: &mut impl Iterator<Item = Event<'a>>,
    ) {
        let mut inner = Vec::new();
        let mut text = String::new();
        for e in iter.by_ref() {
            match &e {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                _ => {}
            }
            inner.push(e);
        }
        let anchor = match self.heading_ids.pop_front().filter(|_| !self.in_notes) {
            Some(anchor) => anchor,
            None => self.anchors.next(id, &text),
        };
        let self_link = !self.in_notes && matches!(level, 2 | 3);
        if self_link {
            out.push_str("<div class=\"heading-anchored\">");
        }
        let _ = write!(out, "<h{level} id=\"{}\">", escape_html(&anchor));
        self.push(out, inner);
        let _ = write!(out, "</h{level}>");
        if self_link {
            out.push_str(&self_link_html(&anchor, text.trim()));
            out.push_str("</div>");
        }
        out.push('\n');
    }

    /// A table's elements, numbered, in a focusable scroll region, with header scopes and
    /// alignment classes; any other event is returned as it is.
    fn table_event(&mut self, table: &mut Table, e: Event<'a>) -> Event<'a> {
        match e {
            Event::Start(Tag::Table(aligns)) => {
                self.tables += 1;
                table.alignments = aligns;
                html(format!(
                    "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table {}\">\n<table>\n",
                    self.tables
                ))
            }
            Event::End(TagEnd::Table) => html("</tbody>\n</table>\n</div>\n".into()),
            Event::Start(Tag::TableHead) => {
                table.in_head = true;
                table.cell = 0;
                html("<thead>\n<tr>".into())
            }
            Event::End(TagEnd::TableHead) => {
                table.in_head = false;
                html("</tr>\n</thead>\n<tbody>\n".into())
            }
            Event::Start(Tag::TableRow) => {
                table.cell = 0;
                html("<tr>".into())
            }
            Event::End(TagEnd::TableRow) => html("</tr>\n".into()),
            Event::Start(Tag::TableCell) => {
                let class = match table.alignments.get(table.cell) {
                    Some(Alignment::Left) => " class=\"align-left\"",
                    Some(Alignment::Center) => " class=\"align-center\"",
                    Some(Alignment::Right) => " class=\"align-right\"",
                    _ => "",
                };
                html(if table.in_head {
                    format!("<th scope=\"col\"{class}>")
                } else {
                    format!("<td{class}>")
                })
            }
            Event::End(TagEnd::TableCell) => {
                table.cell += 1;
                html(if table.in_head { "</th>" } else { "</td>" }.into())
            }
            e => e,
        }
    }

    fn push_notes(&mut self, out: &mut String) {
        if self.notes.order.is_empty() {
            return;
        }
        self.in_notes = true;
        out.push_str("<section class=\"footnotes\" role=\"doc-endnotes\" aria-labelledby=\"footnotes-label\">\n<h2 id=\"footnotes-label\">Notes</h2>\n<ol>\n");
        // Notes may cite each other, so every note is written before any back link: a
        // reference in a later note still gets its back link in the note it cites.
        let written: Vec<(usize, String, String)> = (0..self.notes.order.len())
            .filter_map(|i| {
                let key = self.notes.order[i].clone();
                let events = self.defs.get(&key)?;
                let mut note = String::new();
                self.push(&mut note, events.clone());
                Some((i + 1, key, note))
            })
            .collect();
        for (n, key, note) in written {
            let refs = self.notes.written.get(&key).copied().unwrap_or(0);
            let mut back = String::new();
            for k in 1..=refs {
                let mark = if refs > 1 {
                    format!("&#x21A9;&#xFE0E;<sup>{k}</sup>")
                } else {
                    "&#x21A9;&#xFE0E;".to_string()
                };
                let _ = write!(
                    back,
                    " <a href=\"#{}\" class=\"footnote-back\" role=\"doc-backlink\" aria-label=\"Back to reference {k} of footnote {n}\">{mark}</a>",
                    ref_id(n, k)
                );
            }
            let note = note.trim_end();
            let note = match note.strip_suffix("</p>") {
                Some(head) => format!("{head}{back}</p>"),
                None => format!("{note}<p>{back}</p>"),
            };
            let _ = writeln!(out, "<li id=\"fn-{n}\">{note}</li>");
        }
        out.push_str("</ol>\n</section>\n");
    }
}

/// The link after a `##` or `###` heading to its own section, so a reader can copy it: a
/// visible "#" hidden from screen readers, named "Link to this section: <heading>" for them.
/// It follows the heading rather than sitting inside it, so the heading's name stays its text;
/// search does not index it.
fn self_link_html(anchor: &str, text: &str) -> String {
    format!(
        "<a class=\"heading-link\" href=\"#{}\" data-pagefind-ignore><span aria-hidden=\"true\">#</span><span class=\"visually-hidden\">Link to this section: {}</span></a>",
        escape_html(anchor),
        escape_html(text)
    )
}

/// A code block, read to its end, highlighted by the language its fence names.
fn code_block<'a>(kind: &CodeBlockKind, iter: &mut impl Iterator<Item = Event<'a>>) -> String {
    let mut code = String::new();
    for e in iter.by_ref() {
        match e {
            Event::End(TagEnd::CodeBlock) => break,
            Event::Text(t) => code.push_str(&t),
            _ => {}
        }
    }
    let lang = match kind {
        CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().filter(|l| !l.is_empty()),
        CodeBlockKind::Indented => None,
    };
    highlight::block(lang, &code)
}

/// A task list's box, drawn as a character, and its state in words for screen readers.
fn task_marker(done: bool) -> &'static str {
    if done {
        "<span class=\"task task-done\" aria-hidden=\"true\">&#x2611;</span><span class=\"visually-hidden\">Done: </span>"
    } else {
        "<span class=\"task\" aria-hidden=\"true\">&#x2610;</span><span class=\"visually-hidden\">To do: </span>"
    }
}

fn flush(out: &mut String, events: &mut Vec<Event>) {
    pulldown_cmark::html::push_html(out, events.drain(..));
}

/// The allow-list raw HTML goes through, built once.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["section", "input"])
            .add_generic_attributes([
                "id",
                "class",
                "role",
                "aria-label",
                "aria-labelledby",
                "aria-hidden",
                "tabindex",
                "data-pagefind-ignore",
            ])
            .add_tag_attributes("th", ["scope"])
            .add_tag_attributes("input", ["type", "checked", "disabled"])
            .link_rel(None);
        b
    });
    &BUILDER
}

/// Allow-list sanitising for bodies with raw HTML: keeps what our own renderer emits, drops
/// scripts, styles, event handlers and unsafe URL schemes.
fn sanitize_html(html: &str) -> String {
    sanitizer().clean(html).to_string()
}

/// Attributes whose value is an address, or a list of them (`srcset`, `ping`).
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "cite",
    "poster",
    "data",
    "ping",
    "background",
    "longdesc",
    "manifest",
    "xlink:href",
];

/// The addresses in an attribute's value, as a browser reads them (see
/// [`crate::address::browser_form`]; the tokenizer has decoded character references already):
/// each candidate's address in a `srcset`, each address in a `ping`, or the whole value.
fn addresses<'v>(attr: &str, value: &'v str) -> Vec<std::borrow::Cow<'v, str>> {
    let parts: Vec<&str> = match attr {
        "srcset" => value
            .split(',')
            .filter_map(|c| c.split_ascii_whitespace().next())
            .collect(),
        "ping" => value.split_ascii_whitespace().collect(),
        _ => vec![value],
    };
    parts.into_iter().map(browser_form).collect()
}

/// What the sanitiser would take out of a start tag that an author likely meant to work: the
/// element itself, an event handler, a `style` attribute, or a script or data URL, however its
/// scheme is spelt (`jav&#x09;ascript:`, `&#106;avascript:`, ` JavaScript:`). `None` when
/// nothing of the kind is there (other attributes it drops go unsaid).
pub(super) fn removed_by_sanitiser(tag: &html5ever::tokenizer::Tag) -> Option<String> {
    static ALLOWED: LazyLock<std::collections::HashSet<&str>> =
        LazyLock::new(|| sanitizer().clone_tags());
    // The tokenizer has lower-cased names already.
    let name: &str = &tag.name;
    if !ALLOWED.contains(name) {
        return Some(format!("the <{name}> element"));
    }
    tag.attrs.iter().find_map(|a| {
        let attr: &str = &a.name.local;
        if attr.starts_with("on") || attr == "style" {
            return Some(format!("the {attr} attribute of <{name}>"));
        }
        if !URL_ATTRIBUTES.contains(&attr) {
            return None;
        }
        addresses(attr, &a.value).iter().find_map(|url| {
            let (scheme, _) = url.split_once(':')?;
            let scheme = scheme.to_ascii_lowercase();
            ["javascript", "vbscript", "data"]
                .contains(&scheme.as_str())
                .then(|| format!("the {scheme}: URL in <{name} {attr}>"))
        })
    })
}

/// Each scheme-relative address (`//host/x`, however spelt) in a start tag, with where it is
/// (`<img src>`). Published as written, it would load from another site over whatever scheme the
/// page came by; it is refused whether raw HTML is sanitised or trusted.
pub(super) fn scheme_relative(tag: &html5ever::tokenizer::Tag) -> Vec<(String, String)> {
    let name: &str = &tag.name;
    tag.attrs
        .iter()
        .filter(|a| URL_ATTRIBUTES.contains(&&*a.name.local))
        .flat_map(|a| {
            let attr: &str = &a.name.local;
            addresses(attr, &a.value)
                .into_iter()
                .filter(|url| is_protocol_relative(url))
                .map(move |url| (format!("<{name} {attr}>"), url.into_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Same;
    impl Resolve for Same {
        fn link(&self, dest: &str) -> String {
            format!("/resolved/{dest}")
        }
        fn image(&self, dest: &str) -> String {
            format!("/img/{dest}")
        }
    }

    #[test]
    fn footnotes_are_numbered_by_first_reference_with_a_back_link_per_reference() {
        let body = "A[^b] B[^a] C[^b].\n\n[^a]: Note A.\n\n[^b]: Note B.\n";
        let html = to_html(body, &Same, false);
        assert!(
            html.contains(
                r##"<a href="#fn-1" id="fnref-1" role="doc-noteref" aria-label="Footnote 1">[1]</a>"##
            ),
            "{html}"
        );
        assert!(html.contains(
            r##"<a href="#fn-2" id="fnref-2" role="doc-noteref" aria-label="Footnote 2">[2]</a>"##
        ));
        assert!(html.contains(
            r##"<a href="#fn-1" id="fnref-1-2" role="doc-noteref" aria-label="Footnote 1">[1]</a>"##
        ));
        assert!(html.contains(r##"<li id="fn-1"><p>Note B. <a href="#fnref-1" class="footnote-back" role="doc-backlink" aria-label="Back to reference 1 of footnote 1">"##));
        assert!(html.contains(r##"<a href="#fnref-1-2" class="footnote-back" role="doc-backlink" aria-label="Back to reference 2 of footnote 1">"##));
        assert!(html.contains(r##"<li id="fn-2"><p>Note A. <a href="#fnref-2""##));
        assert!(html.contains(r#"role="doc-endnotes""#));
    }

    struct Figures;
    impl Resolve for Figures {
        fn link(&self, dest: &str) -> String {
            dest.replace("metric:", "/metrics/")
        }
        fn image(&self, dest: &str) -> String {
            dest.into()
        }
        fn metric(&self, dest: &str) -> Option<Figure> {
            Some(Figure {
                value: "51%".into(),
                note_key: "pas".into(),
                note_html: format!("Source: PAS ({dest})"),
            })
        }
    }

    #[test]
    fn a_heading_with_a_figure_gets_the_id_the_scan_gave_it() {
        // The figure's value is shown in the heading but is not in the Markdown the scan (and
        // so the link check and the contents list) reads: the id comes from the Markdown.
        let body = "## Confidence at [](metric:pas)\n\nText.\n";
        let ids = super::super::scan(body).headings;
        assert_eq!(ids, ["confidence-at"]);
        let html = to_html(body, &Figures, false);
        assert!(
            html.contains(
                "<h2 id=\"confidence-at\">Confidence at <a href=\"/metrics/pas\">51%</a>"
            ),
            "{html}"
        );
        assert!(
            html.contains("Link to this section: Confidence at 51%"),
            "{html}"
        );
    }

    #[test]
    fn a_note_cited_from_the_text_and_from_another_note_gets_both_back_links() {
        let html = to_html(
            "One[^a] two[^b].\n\n[^a]: Note A.\n\n[^b]: Note B, see [^a].\n",
            &Same,
            false,
        );
        // The text's reference and the one in note 2 each have their own id…
        assert!(
            html.contains(r##"<a href="#fn-1" id="fnref-1" role="doc-noteref""##),
            "{html}"
        );
        assert!(
            html.contains(r##"<a href="#fn-1" id="fnref-1-2" role="doc-noteref""##),
            "{html}"
        );
        // …and note 1 links back to both.
        assert!(
            html.contains(r##"<li id="fn-1"><p>Note A. <a href="#fnref-1" class="footnote-back""##),
            "{html}"
        );
        assert!(html.contains(r##"<a href="#fnref-1-2" class="footnote-back" role="doc-backlink" aria-label="Back to reference 2 of footnote 1">"##), "{html}");
        assert_eq!(html.matches("id=\"fnref-1-2\"").count(), 1);
    }

    #[test]
    fn figures_get_their_value_and_one_note_per_source() {
        let body = "Only [](metric:pas@2021-12) of Londoners; [51 per cent](metric:pas) again.[^a]\n\n[^a]: See [the figure](metric:pas).\n";
        let html = to_html(body, &Figures, false);
        assert!(html.contains(r##"Only <a href="/metrics/pas@2021-12">51%</a><sup class="footnote-ref"><a href="#fn-1" id="fnref-1""##), "{html}");
        assert!(html.contains(r##"<a href="/metrics/pas">51 per cent</a><sup class="footnote-ref"><a href="#fn-1" id="fnref-1-2""##), "{html}");
        assert!(
            html.contains(r#"<li id="fn-1"><p>Source: PAS (metric:pas@2021-12)"#),
            "{html}"
        );
        // Inside a note the source is cited inline: no nested note.
        assert!(
            html.contains(
                r#"See <a href="/metrics/pas">the figure</a> (Source: PAS (metric:pas))"#
            ),
            "{html}"
        );
        assert_eq!(html.matches("<li id=\"fn-").count(), 2);
    }

    #[test]
    fn tables_have_scoped_headers_and_no_inline_style() {
        let html = to_html("| a | b |\n|:--|--:|\n| 1 | 2 |\n", &Same, false);
        assert!(
            html.contains(r#"<th scope="col" class="align-left">a</th>"#),
            "{html}"
        );
        assert!(html.contains(r#"<td class="align-right">2</td>"#));
        assert!(html.contains(r#"role="region" tabindex="0" aria-label="Table 1""#));
        assert!(!html.contains("style="));
    }

    /// What the renderer writes itself: task boxes, tables (numbered on, into the notes, each
    /// with its own alignments), an undefined note's reference as written, and email links,
    /// which are not resolved.
    #[test]
    fn tasks_tables_in_notes_unknown_notes_and_email_links() {
        struct Marked;
        impl Resolve for Marked {
            fn link(&self, dest: &str) -> String {
                format!("/r/{dest}")
            }
            fn image(&self, dest: &str) -> String {
                format!("/i/{dest}")
            }
        }
        let body = "- [x] done\n- [ ] to do\n\n<me@example.org> [a](a.md) [^none]\n\n| A | B |\n|:--|--:|\n| 1 | 2 |\n\nSee[^n].\n\n[^n]: A note.\n\n    | C |\n    |:-:|\n    | 3 |\n";
        let html = to_html(body, &Marked, false);
        for want in [
            "<span class=\"task task-done\" aria-hidden=\"true\">&#x2611;</span><span class=\"visually-hidden\">Done: </span>done",
            "<span class=\"task\" aria-hidden=\"true\">&#x2610;</span><span class=\"visually-hidden\">To do: </span>to do",
            "<a href=\"mailto:me@example.org\">",
            "<a href=\"/r/a.md\">a</a> [^none]",
            "aria-label=\"Table 1\">\n<table>\n<thead>\n<tr><th scope=\"col\" class=\"align-left\">A</th><th scope=\"col\" class=\"align-right\">B</th></tr>\n</thead>\n<tbody>\n<tr><td class=\"align-left\">1</td><td class=\"align-right\">2</td></tr>\n</tbody>",
            "aria-label=\"Table 2\">\n<table>\n<thead>\n<tr><th scope=\"col\" class=\"align-center\">C</th></tr>\n</thead>\n<tbody>\n<tr><td class=\"align-center\">3</td></tr>",
        ] {
            assert!(html.contains(want), "{want} missing in {html}");
        }
        assert!(
            html.find("<li id=\"fn-1\">") < html.find("Table 2"),
            "{html}"
        );
    }

    #[test]
    fn code_is_highlighted_with_classes_only() {
        let html = to_html("```rust\nfn main() {}\n```\n", &Same, false);
        assert!(html.contains("hl-"), "{html}");
        assert!(!html.contains("style="));
    }

    #[test]
    fn links_and_images_are_resolved_and_headings_get_unique_ids() {
        let html = to_html("## Hi\n\n## Hi\n\n[x](a.md) ![alt](i.png)\n", &Same, false);
        assert!(html.contains(r#"<h2 id="hi">Hi</h2>"#), "{html}");
        assert!(html.contains(r#"<h2 id="hi-2">Hi</h2>"#));
        assert!(html.contains(r#"href="/resolved/a.md""#));
        assert!(html.contains(r#"src="/img/i.png" alt="alt""#));
    }

    #[test]
    fn section_headings_are_followed_by_a_link_to_themselves() {
        let body =
            "## Why & how\n\nA.[^n]\n\n### Sub\n\n#### Deep\n\n[^n]: Note.\n\n    ## In a note\n";
        for sanitize in [false, true] {
            // Raw HTML makes sanitising run: the self-links must survive it.
            let html = to_html(&format!("<b>x</b>\n\n{body}"), &Same, sanitize);
            assert!(
                html.contains(r##"<div class="heading-anchored"><h2 id="why-how">Why &amp; how</h2><a class="heading-link" href="#why-how" data-pagefind-ignore"##),
                "{html}"
            );
            assert!(html.contains(r#"<span aria-hidden="true">#</span><span class="visually-hidden">Link to this section: Why &amp; how</span></a></div>"#), "{html}");
            assert!(
                html.contains(r##"<h3 id="sub">Sub</h3><a class="heading-link" href="#sub""##),
                "{html}"
            );
            // Only ## and ### get one, and no heading in a note.
            assert!(html.contains("<h4 id=\"deep\">Deep</h4>\n"), "{html}");
            assert_eq!(html.matches("class=\"heading-link\"").count(), 2, "{html}");
        }
    }

    #[test]
    fn raw_html_is_sanitised_when_asked() {
        let body = "<script>alert(1)</script>\n\n<a href=\"javascript:x()\" onclick=\"y()\">x</a> <b style=\"color:red\">b</b>\n";
        let clean = to_html(body, &Same, true);
        assert!(
            !clean.contains("<script")
                && !clean.contains("javascript:")
                && !clean.contains("onclick")
                && !clean.contains("style="),
            "{clean}"
        );
        assert!(to_html(body, &Same, false).contains("<script>"));
    }
}
