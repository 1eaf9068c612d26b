//! How deeply a body nests block quotes, lists and raw HTML elements. Past a few hundred levels
//! browsers flatten the tree, HTML parsers slow down (html5ever's tree builder, which the
//! sanitiser uses, looks through every open element at each new one), and no reader can follow
//! the page; so past [`MAX_NESTING`] levels the build stops with an error instead. The same
//! reading of the raw HTML also notes what the sanitiser would remove from it.

use std::cell::{Cell, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// The deepest a body may nest block quotes, lists and raw HTML elements, counted together.
pub(crate) const MAX_NESTING: usize = 100;

/// Elements that never contain others, and elements whose end tag may be left out (a new one
/// closes the last): neither makes the tree deeper, so neither is counted.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody",
    "tfoot", "colgroup", "caption", "rb", "rt", "rtc", "rp", "html", "head", "body",
];

/// Elements in which `<x/>` closes itself (SVG and MathML); in HTML the slash means nothing and
/// `<div/>` opens a `<div>`.
const FOREIGN: &[&str] = &["svg", "math"];

/// Follows the open raw HTML elements from the tokens alone, as a browser would nest them, and
/// notes the deepest point; keeps the first thing the sanitiser would remove since it was last
/// asked. The depth is checked at every tag, not once per chunk of HTML: a single line of
/// `<div></div>` pairs may go a thousand levels deep in between.
#[derive(Default)]
struct OpenElements {
    /// Names of the open elements, outermost first; never longer than the limit plus one, so
    /// that looking through it for an end tag's element costs a bounded time.
    open: RefCell<Vec<String>>,
    /// Block quotes and lists open around the HTML being read.
    markdown: Cell<usize>,
    /// Set at the first tag that takes the depth past the limit.
    passed: Cell<bool>,
    removed: RefCell<Option<String>>,
    /// Scheme-relative addresses in start tags since last asked: where, and the address.
    scheme_relative: RefCell<Vec<(String, String)>>,
}

impl OpenElements {
    fn start(&self, name: &str, self_closing: bool) {
        let mut open = self.open.borrow_mut();
        let foreign = open.iter().any(|e| FOREIGN.contains(&e.as_str()));
        if NOT_NESTING.contains(&name) || (self_closing && foreign) {
            return;
        }
        if self.markdown.get() + open.len() >= MAX_NESTING {
            self.passed.set(true);
        }
        if open.len() <= MAX_NESTING {
            open.push(name.to_string());
        }
    }

    /// An end tag closes its element and every element opened inside it; an end tag with no
    /// open element of its name is ignored, as browsers ignore it.
    fn end(&self, name: &str) {
        let mut open = self.open.borrow_mut();
        if let Some(i) = open.iter().rposition(|e| e == name) {
            open.truncate(i);
        }
    }
}

impl TokenSink for OpenElements {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind == TagKind::StartTag && self.removed.borrow().is_none() {
            *self.removed.borrow_mut() = super::html::removed_by_sanitiser(&tag);
        }
        if tag.kind == TagKind::StartTag {
            let found = super::html::scheme_relative(&tag);
            self.scheme_relative.borrow_mut().extend(found);
        }
        match tag.kind {
            TagKind::StartTag => self.start(&tag.name, tag.self_closing),
            TagKind::EndTag => self.end(&tag.name),
        }
        TokenSinkResult::Continue
    }
}

/// Follows one body's events; says when the limit is first passed.
pub(super) struct Nesting {
    markdown: usize,
    html: Tokenizer<OpenElements>,
    passed: bool,
}

impl Nesting {
    pub(crate) fn new() -> Self {
        Nesting {
            markdown: 0,
            html: Tokenizer::new(OpenElements::default(), TokenizerOpts::default()),
            passed: false,
        }
    }

    /// A block quote or list opens; true if this passes the limit for the first time.
    pub(crate) fn open(&mut self) -> bool {
        self.markdown += 1;
        let past = self.markdown + self.html.sink.open.borrow().len() > MAX_NESTING;
        self.first(past)
    }

    pub(crate) fn close(&mut self) {
        self.markdown = self.markdown.saturating_sub(1);
    }

    /// Raw HTML, in the order it appears: if it passes the limit for the first time, where in
    /// `html` (the start of the tag that does).
    pub(crate) fn raw_html(&mut self, html: &str) -> Option<usize> {
        self.html.sink.markdown.set(self.markdown);
        // Fed a tag at a time, to know which tag passes the limit.
        let mut at = None;
        let starts = html.match_indices('<').map(|(i, _)| i).filter(|&i| i > 0);
        let mut from = 0;
        for to in starts.chain([html.len()]) {
            let input = BufferQueue::default();
            input.push_back(StrTendril::from(&html[from..to]));
            let _ = self.html.feed(&input);
            if at.is_none() && self.first(self.html.sink.passed.get()) {
                at = Some(from);
            }
            from = to;
        }
        at
    }

    /// What the sanitiser would remove from the raw HTML read since the last call, if anything.
    pub(crate) fn removed(&mut self) -> Option<String> {
        self.html.sink.removed.take()
    }

    /// The scheme-relative addresses in the raw HTML read since the last call: where each is
    /// (`<img src>`), and the address.
    pub(crate) fn scheme_relative(&mut self) -> Vec<(String, String)> {
        self.html.sink.scheme_relative.take()
    }

    fn first(&mut self, past: bool) -> bool {
        let first = past && !self.passed;
        self.passed |= first;
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html_depth(html: &str) -> usize {
        let mut n = Nesting::new();
        n.raw_html(html);
        n.html.sink.open.borrow().len()
    }

    fn removed_by_sanitiser(html: &str) -> Option<String> {
        let mut n = Nesting::new();
        n.raw_html(html);
        n.removed()
    }

    #[test]
    fn what_the_sanitiser_removes_is_named() {
        for (html, removed) in [
            ("<script>alert(1)</script>", Some("the <script> element")),
            ("<IFRAME src=x>", Some("the <iframe> element")),
            ("<b onclick=\"x()\">", Some("the onclick attribute of <b>")),
            (
                "<p style=\"color:red\">",
                Some("the style attribute of <p>"),
            ),
            (
                "<a href=\" JavaScript:x\">",
                Some("the javascript: URL in <a href>"),
            ),
            (
                "<img alt=\"a\" src=\"data:image/png,x\">",
                Some("the data: URL in <img src>"),
            ),
            ("<span lang=\"cy\">Croeso</span>", None),
            ("<abbr title=\"data: a word\">D</abbr>", None),
            ("<details><summary>More</summary>", None),
            ("<a href=\"https://example.org/a:b\">x</a>", None),
            ("</div>", None),
            ("<!-- <script> -->", None),
            ("not html at all", None),
        ] {
            assert_eq!(removed_by_sanitiser(html).as_deref(), removed, "{html}");
        }
    }

    #[test]
    fn counts_elements_that_nest_and_only_those() {
        assert_eq!(html_depth("<div><section><span>"), 3);
        assert_eq!(html_depth("<div><span></span></div><div>"), 1);
        assert_eq!(html_depth("<br><img src=x><hr/><p>a<p>b"), 0);
        assert_eq!(html_depth(&"<tr><td>x".repeat(500)), 0);
        assert_eq!(html_depth("</div></div><div>"), 1);
    }

    #[test]
    fn nests_as_a_browser_would() {
        // `/>` closes only in SVG and MathML; an end tag with nothing of its name open is
        // ignored, and one that is open closes what was opened inside it.
        assert_eq!(html_depth("<div/><div/>"), 2);
        assert_eq!(html_depth("<svg><path/><circle/>"), 1);
        assert_eq!(html_depth("<div></b><div></span>"), 2);
        assert_eq!(html_depth("<div><section><span></div>"), 0);
    }

    #[test]
    fn the_depth_is_checked_at_every_tag_not_once_per_chunk() {
        let mut n = Nesting::new();
        let balanced = format!("{}{}", "<div>".repeat(1000), "</div>".repeat(1000));
        assert_eq!(n.raw_html(&balanced), Some(MAX_NESTING * 5));
        let mut n = Nesting::new();
        for _ in 0..10 {
            n.open();
        }
        assert_eq!(n.raw_html(&"<b>".repeat(100)), Some((MAX_NESTING - 10) * 3));
    }

    #[test]
    fn the_limit_is_passed_once() {
        let mut n = Nesting::new();
        for _ in 0..MAX_NESTING {
            assert!(!n.open());
        }
        assert_eq!(n.raw_html("<div>"), Some(0));
        assert_eq!(n.raw_html("<div>"), None);
        assert!(!n.open());
    }
}
