//! Code highlighting with syntect, emitting CSS classes (`hl-keyword`, …) whose colours live in
//! the theme, so pages need no inline styles and meet contrast in light and dark mode.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::escape_html;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// A `<pre>` block; unknown languages are shown as plain, escaped text.
pub(crate) fn block(lang: Option<&str>, code: &str) -> String {
    let highlighted = lang.and_then(|l| {
        let ss = syntaxes();
        let syntax = ss.find_syntax_by_token(l)?;
        let mut generator = ClassedHTMLGenerator::new_with_class_style(
            syntax,
            ss,
            ClassStyle::SpacedPrefixed { prefix: "hl-" },
        );
        for line in LinesWithEndings::from(code) {
            generator
                .parse_html_for_line_which_includes_newline(line)
                .ok()?;
        }
        Some(generator.finalize())
    });
    let inner = highlighted.unwrap_or_else(|| escape_html(code));
    match lang {
        Some(l) => format!(
            "<pre class=\"code\" tabindex=\"0\"><code class=\"language-{}\">{inner}</code></pre>\n",
            escape_html(l)
        ),
        None => format!("<pre class=\"code\" tabindex=\"0\"><code>{inner}</code></pre>\n"),
    }
}
