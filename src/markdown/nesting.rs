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
pub const MAX_NESTING: usize = 100;

/// Elements that never contain others, and elements whose end tag may be left out (a new one
/// closes the last): neither makes the tree deeper, so neither is counted.
const NOT_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody",
    "tfoot", "colgroup", "caption", "rb", "rt", "rtc", "rp", "html", "head", "body",
];

/// Counts open raw HTML elements from the tokens alone, which takes linear time; and keeps the
/// first thing the sanitiser would remove since it was last asked.
#[derive(Default)]
struct OpenElements {
    open: Cell<usize>,
    removed: RefCell<Option<String>>,
    /// Scheme-relative addresses in start tags since last asked: where, and the address.
    scheme_relative: RefCell<Vec<(String, String)>>,
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
        if !NOT_NESTING.contains(&&*tag.name) {
            let open = self.open.get();
            match tag.kind {
                TagKind::StartTag if !tag.self_closing => self.open.set(open + 1),
                TagKind::EndTag => self.open.set(open.saturating_sub(1)),
                TagKind::StartTag => {}
            }
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
    pub fn new() -> Self {
        Nesting {
            markdown: 0,
            html: Tokenizer::new(OpenElements::default(), TokenizerOpts::default()),
            passed: false,
        }
    }

    /// A block quote or list opens; true if this passes the limit for the first time.
    pub fn open(&mut self) -> bool {
        self.markdown += 1;
        self.check()
    }

    pub fn close(&mut self) {
        self.markdown = self.markdown.saturating_sub(1);
    }

    /// Raw HTML, in the order it appears; true if it passes the limit for the first time.
    pub fn raw_html(&mut self, html: &str) -> bool {
        let input = BufferQueue::default();
        input.push_back(StrTendril::from(html));
        let _ = self.html.feed(&input);
        self.check()
    }

    /// What the sanitiser would remove from the raw HTML read since the last call, if anything.
    pub fn removed(&mut self) -> Option<String> {
        self.html.sink.removed.take()
    }

    /// The scheme-relative addresses in the raw HTML read since the last call: where each is
    /// (`<img src>`), and the address.
    pub fn scheme_relative(&mut self) -> Vec<(String, String)> {
        self.html.sink.scheme_relative.take()
    }

    fn check(&mut self) -> bool {
        let depth = self.markdown + self.html.sink.open.get();
        let first = depth > MAX_NESTING && !self.passed;
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
        n.html.sink.open.get()
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
    fn the_limit_is_passed_once() {
        let mut n = Nesting::new();
        for _ in 0..MAX_NESTING {
            assert!(!n.open());
        }
        assert!(n.raw_html("<div>"));
        assert!(!n.raw_html("<div>"));
        assert!(!n.open());
    }
}
