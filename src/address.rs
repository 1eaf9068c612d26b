//! How a browser reads an address written in a page: the characters its URL parser drops
//! before anything else, and which addresses it sends to another host. The link checks look
//! at what the browser will see, not at what the author typed, so that `jav&#x09;ascript:`
//! and ` //host` are judged as `javascript:` and `//host`.

use std::borrow::Cow;

/// `dest` as the WHATWG URL parser starts reading it: C0 controls and spaces trimmed from both
/// ends, then every ASCII tab and newline removed wherever it is. (Character references are
/// decoded before this: by the HTML tokenizer in attributes, by the Markdown parser in link
/// destinations.)
pub(crate) fn browser_form(dest: &str) -> Cow<'_, str> {
    let trimmed = dest.trim_matches(|c: char| c <= ' ');
    if trimmed.contains(['\t', '\n', '\r']) {
        Cow::Owned(trimmed.replace(['\t', '\n', '\r'], ""))
    } else {
        Cow::Borrowed(trimmed)
    }
}

/// Whether `dest` (in browser form) is a scheme-relative address, `//host/path`: the page's
/// scheme with another host. In an http(s) page a browser reads `\` as `/` here, so `\\host`
/// and `/\host` are the same thing.
pub(crate) fn is_protocol_relative(dest: &str) -> bool {
    let mut chars = dest.chars();
    let slash = |c: Option<char>| matches!(c, Some('/' | '\\'));
    slash(chars.next()) && slash(chars.next())
}

/// The message and advice for a scheme-relative address; `what` names it (e.g. "image
/// `//host/x.gif`").
pub(crate) fn scheme_relative_message(what: &str, dest: &str) -> (String, String) {
    let rest = dest.trim_start_matches(['/', '\\']);
    (
        format!(
            "{what} has no scheme: `//` addresses load from another site over whatever protocol the page came by"
        ),
        format!("write the address in full: `https://{rest}`"),
    )
}

/// Noise that browsers drop, for property tests here and of the link checks.
#[cfg(test)]
pub(crate) mod noise {
    use proptest::prelude::*;

    /// Tabs, newlines, controls and spaces placed where browsers drop them.
    pub(crate) fn noise() -> impl Strategy<Value = (String, Vec<(usize, char)>, String)> {
        let junk = "[\\x00-\\x20]{0,3}";
        (
            junk,
            prop::collection::vec(
                (any::<usize>(), prop::sample::select(vec!['\t', '\n', '\r'])),
                0..4,
            ),
            junk,
        )
    }

    pub(crate) fn noisy(
        s: &str,
        (lead, inner, trail): &(String, Vec<(usize, char)>, String),
    ) -> String {
        let mut chars: Vec<char> = s.chars().collect();
        for &(at, c) in inner {
            chars.insert(at % (chars.len() + 1), c);
        }
        format!("{lead}{}{trail}", chars.into_iter().collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::noise::{noise, noisy};
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn drops_what_browsers_drop() {
        assert_eq!(
            browser_form(" \u{1}jav\tas\ncri\rpt:x\u{0} "),
            "javascript:x"
        );
        assert_eq!(
            browser_form("https://example.org/a b"),
            "https://example.org/a b"
        );
        // Only ASCII whitespace goes: a no-break space is part of the address.
        assert_eq!(browser_form("\u{a0}//x"), "\u{a0}//x");
    }

    #[test]
    fn scheme_relative_addresses() {
        for dest in [
            "//evil.example/t.gif",
            "\\\\evil.example",
            "/\\evil.example",
            "\\/x",
        ] {
            assert!(is_protocol_relative(dest), "{dest}");
        }
        for dest in ["/", "/reports/", "/ /x", "https://x", "x//y", ""] {
            assert!(!is_protocol_relative(dest), "{dest}");
        }
        let help = |d: &str| scheme_relative_message("link", d).1;
        assert_eq!(
            help("//evil.example/t.gif"),
            "write the address in full: `https://evil.example/t.gif`"
        );
        assert_eq!(
            help("\\/evil.example"),
            "write the address in full: `https://evil.example`"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, failure_persistence: None, ..ProptestConfig::default() })]

        /// The url crate (a WHATWG URL parser, as in browsers) agrees: an address is
        /// scheme-relative exactly when, read in an https page, it goes to another host; and
        /// noise around or inside an address never changes where it goes.
        #[test]
        fn agrees_with_a_whatwg_parser(
            dest in prop_oneof![
                "[/\\\\]{0,3}[a-z.]{0,8}(/[a-z]{0,3})?",
                "[a-z]{1,6}:[/\\\\]{0,3}[a-z.]{1,8}",
                any::<String>(),
            ],
            noise in noise(),
        ) {
            let base = url::Url::parse("https://site.invalid/a/b/").unwrap();
            let clean = browser_form(&dest);
            // Without a scheme (nothing like `x:` before the first slash) it is read relative
            // to the page; an address the parser refuses goes nowhere on this site either.
            let schemeless = !clean.split(['/', '\\']).next().unwrap_or("").contains(':');
            if schemeless {
                let elsewhere = base
                    .join(&clean)
                    .map_or(true, |u| u.host_str() != Some("site.invalid"));
                prop_assert_eq!(is_protocol_relative(&clean), elsewhere, "{:?}", clean);
            }
            let noisy = noisy(&dest, &noise);
            prop_assert_eq!(browser_form(&noisy), browser_form(&dest).replace(['\t', '\n', '\r'], ""));
            prop_assert_eq!(
                base.join(&noisy).map(String::from).ok(),
                base.join(&dest).map(String::from).ok(),
                "{:?} / {:?}", noisy, dest
            );
        }
    }
}
