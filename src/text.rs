//! Characters that text may not hold or that can make text read differently from what is
//! stored: control characters (an error where authors write them), unbalanced bidirectional
//! controls (the Trojan Source pattern, a warning), and how both are written when plainsight
//! quotes text to a terminal or into XML.

use std::borrow::Cow;
use std::ops::Range;

use crate::diag::{Diagnostic, FileId};

/// A control character text may not hold: C0 controls other than tab, line feed and carriage
/// return (which are whitespace), DEL, and the C1 controls (U+0080-U+009F, next line included).
/// They are invisible in editors, and a terminal or an XML parser acts on or refuses them.
pub(crate) fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// How a bidirectional formatting character acts on the text after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Bidi {
    /// U+202A-U+202B, U+202D-U+202E: an embedding or override, closed by U+202C.
    OpenEmbedding,
    /// U+2066-U+2068: an isolate, closed by U+2069.
    OpenIsolate,
    /// U+202C POP DIRECTIONAL FORMATTING.
    CloseEmbedding,
    /// U+2069 POP DIRECTIONAL ISOLATE.
    CloseIsolate,
}

impl Bidi {
    pub(crate) fn of(c: char) -> Option<Bidi> {
        match c {
            '\u{202a}' | '\u{202b}' | '\u{202d}' | '\u{202e}' => Some(Bidi::OpenEmbedding),
            '\u{2066}'..='\u{2068}' => Some(Bidi::OpenIsolate),
            '\u{202c}' => Some(Bidi::CloseEmbedding),
            '\u{2069}' => Some(Bidi::CloseIsolate),
            _ => None,
        }
    }
}

/// An invisible character that changes the direction of the text around it: the
/// [`Bidi`] controls and the directional marks (LRM, RLM, ALM).
fn is_bidi_format(c: char) -> bool {
    Bidi::of(c).is_some() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// `U+001B (ESCAPE)`: how messages name a character an author cannot see.
pub(crate) fn describe(c: char) -> String {
    let name = match c {
        '\0' => "NULL",
        '\u{7}' => "BELL",
        '\u{8}' => "BACKSPACE",
        '\u{b}' => "VERTICAL TAB",
        '\u{c}' => "FORM FEED",
        '\u{1b}' => "ESCAPE",
        '\u{7f}' => "DELETE",
        '\u{85}' => "NEXT LINE",
        '\u{9b}' => "CONTROL SEQUENCE INTRODUCER",
        '\u{202a}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202b}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202c}' => "POP DIRECTIONAL FORMATTING",
        '\u{202d}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202e}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        _ => return format!("U+{:04X}", u32::from(c)),
    };
    format!("U+{:04X} ({name})", u32::from(c))
}

/// What to do about a control character, for every message that reports one.
pub(crate) const CONTROL_HELP: &str = "delete it (it is usually invisible in an editor)";

/// An error for each control character written in `text`, which starts at byte `offset` of
/// `file` (e.g. a Markdown body after its front matter).
pub(crate) fn control_errors(file: FileId, text: &str, offset: usize) -> Vec<Diagnostic> {
    text.char_indices()
        .filter(|&(_, c)| is_forbidden_control(c))
        .map(|(i, c)| {
            Diagnostic::error(format!("control character {} in the text", describe(c)))
                .at(file, offset + i..offset + i + c.len_utf8())
                .help(CONTROL_HELP)
        })
        .collect()
}

/// A warning for each bidirectional control of `text` (at byte `offset` of `file`) that is
/// not closed on its line, or closes nothing there. `escaped` adds the controls that YAML
/// escapes write (`"\u202E"`): where the escape is, and the character it stands for; they are
/// taken in order with the characters written as themselves.
pub(crate) fn bidi_warnings(
    file: FileId,
    text: &str,
    offset: usize,
    escaped: &[(Range<usize>, char)],
) -> Vec<Diagnostic> {
    let mut found: Vec<(Range<usize>, char)> = text
        .char_indices()
        .filter(|&(_, c)| Bidi::of(c).is_some())
        .map(|(i, c)| (i..i + c.len_utf8(), c))
        .chain(
            escaped
                .iter()
                .filter(|(_, c)| Bidi::of(*c).is_some())
                .cloned(),
        )
        .collect();
    if found.is_empty() {
        return Vec::new();
    }
    found.sort_by_key(|(r, _)| r.start);
    // The line of each control, counted once over the text.
    let mut lines = Vec::with_capacity(found.len());
    let (mut line, mut counted) = (0, 0);
    for (r, _) in &found {
        line += text[counted..r.start].matches('\n').count();
        counted = r.start;
        lines.push(line);
    }
    let mut out = Vec::new();
    let mut at = 0;
    while at < found.len() {
        let end = lines[at..]
            .iter()
            .position(|&l| l != lines[at])
            .map_or(found.len(), |n| at + n);
        for (span, c, problem) in unbalanced(&found[at..end]) {
            let (message, help) = match problem {
                Unbalanced::NotClosed => (
                    format!(
                        "bidirectional control {} is not closed on its line",
                        describe(c)
                    ),
                    "close it on its line (U+202C ends an embedding, U+2069 an isolate) or \
                     delete it: left open, it makes text read otherwise than it is stored",
                ),
                Unbalanced::ClosesNothing => (
                    format!(
                        "bidirectional control {} closes nothing on its line",
                        describe(c)
                    ),
                    "delete it, or open what it closes on its line",
                ),
            };
            out.push(
                Diagnostic::warning(message)
                    .at(file, span.start + offset..span.end + offset)
                    .help(help),
            );
        }
        at = end;
    }
    out
}

#[derive(Debug, PartialEq, Eq)]
enum Unbalanced {
    NotClosed,
    ClosesNothing,
}

/// The controls of one line (in order) that are unbalanced: an opener never closed, or a
/// closer with nothing open. A U+2069 closes the last open isolate and any embedding opened
/// inside it, as the Unicode bidirectional algorithm does.
fn unbalanced(line: &[(Range<usize>, char)]) -> Vec<(Range<usize>, char, Unbalanced)> {
    let mut open: Vec<(Range<usize>, char, Bidi)> = Vec::new();
    let mut out = Vec::new();
    for (span, c) in line {
        let Some(kind) = Bidi::of(*c) else { continue };
        match kind {
            Bidi::OpenEmbedding | Bidi::OpenIsolate => open.push((span.clone(), *c, kind)),
            Bidi::CloseEmbedding => match open.last() {
                Some((_, _, Bidi::OpenEmbedding)) => {
                    open.pop();
                }
                _ => out.push((span.clone(), *c, Unbalanced::ClosesNothing)),
            },
            Bidi::CloseIsolate => {
                match open.iter().rposition(|(_, _, k)| *k == Bidi::OpenIsolate) {
                    Some(i) => {
                        // Embeddings opened inside the isolate end with it, unclosed.
                        for (s, c, _) in open.drain(i..).skip(1) {
                            out.push((s, c, Unbalanced::NotClosed));
                        }
                    }
                    None => out.push((span.clone(), *c, Unbalanced::ClosesNothing)),
                }
            }
        }
    }
    out.extend(
        open.into_iter()
            .map(|(s, c, _)| (s, c, Unbalanced::NotClosed)),
    );
    out.sort_by_key(|(s, _, _)| s.start);
    out
}

/// Whether a terminal must not receive `c` as it is: a control character or a directional
/// formatting character (line feed and tab excepted where `keep_layout`).
pub(crate) fn is_unprintable(c: char, keep_layout: bool) -> bool {
    if keep_layout && matches!(c, '\n' | '\t') {
        return false;
    }
    c.is_control() || is_bidi_format(c)
}

/// `text` with every control and directional formatting character written as `\u{1b}`, so that
/// quoting content or a file name never lets it drive the terminal (clear the screen, set the
/// window title, reorder what is shown). Line feeds and tabs are kept: messages use them.
pub(crate) fn printable(text: &str) -> Cow<'_, str> {
    escape_if(text, true)
}

/// Like [`printable`], for one-line names (a file name with a line break in it would fake a
/// line of the report): line feeds and tabs are escaped too.
pub(crate) fn printable_name(text: &str) -> Cow<'_, str> {
    escape_if(text, false)
}

fn escape_if(text: &str, keep_layout: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unprintable(c, keep_layout)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unprintable(c, keep_layout) {
            out.push_str(&escaped(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `\u{1b}`: how a character the terminal must not receive is shown instead.
pub(crate) fn escaped(c: char) -> String {
    format!("\\u{{{:x}}}", u32::from(c))
}

/// Whether XML 1.0 allows `c` in a document (its `Char` production), less the C1 controls and
/// DEL it discourages.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || !(c.is_control() || matches!(c, '\u{fffe}' | '\u{ffff}'))
}

/// `text` with each character XML may not hold replaced by U+FFFD, so that an XML file is
/// well-formed whatever reaches its writer (the checks at load refuse such characters first),
/// and line breaks written as line feeds, which is what an XML parser makes of them anyway.
pub(crate) fn xml_safe(text: &str) -> Cow<'_, str> {
    if text.chars().all(|c| is_xml_char(c) && c != '\r') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                '\n'
            }
            c if is_xml_char(c) => c,
            _ => '\u{fffd}',
        });
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;

    const F: FileId = FileId(0);

    #[test]
    fn control_characters_are_errors_at_their_place_whitespace_is_not() {
        let text = "a\tb\r\nc\u{1b}[2J d\u{0}e\u{7f}\u{85}\u{9f}\n";
        let found = control_errors(F, text, 10);
        let places: Vec<_> = found
            .iter()
            .map(|d| d.location.as_ref().unwrap().span.clone())
            .collect();
        let at = |s: &str| 10 + text.find(s).unwrap();
        assert_eq!(
            places,
            vec![
                at("\u{1b}")..at("\u{1b}") + 1,
                at("\u{0}")..at("\u{0}") + 1,
                at("\u{7f}")..at("\u{7f}") + 1,
                at("\u{85}")..at("\u{85}") + 2,
                at("\u{9f}")..at("\u{9f}") + 2,
            ]
        );
        assert!(found[0].message.contains("U+001B (ESCAPE)"), "{found:?}");
        assert!(found.iter().all(|d| d.severity == Severity::Error));
        assert!(control_errors(F, "tab\there\r\nand é ü 中\n", 0).is_empty());
    }

    fn bidi(text: &str) -> Vec<(usize, String)> {
        bidi_warnings(F, text, 0, &[])
            .into_iter()
            .map(|d| (d.location.unwrap().span.start, d.message))
            .collect()
    }

    #[test]
    fn balanced_bidi_controls_are_fine() {
        assert!(bidi("plain text\n").is_empty());
        assert!(bidi("a \u{202b}עברית\u{202c} b\n").is_empty());
        assert!(bidi("\u{2067}مرحبا\u{2069} and \u{2066}x\u{2069}\n").is_empty());
        // Nested, and an isolate closing an embedding opened inside it is still flagged below.
        assert!(bidi("\u{2068}a \u{202e}b\u{202c} c\u{2069}\n").is_empty());
        assert!(bidi("\u{202e}\u{2066}x\u{2069}\u{202c}").is_empty());
    }

    #[test]
    fn unterminated_or_stray_bidi_controls_are_warnings_at_their_place() {
        // The Trojan Source pattern: an override left open to the end of the line.
        let text = "ok\n/* admin \u{202e} } \u{2066}if (x)\u{2069} */\n";
        let found = bidi(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, text.find('\u{202e}').unwrap());
        assert!(found[0].1.contains("U+202E"), "{found:?}");
        assert!(found[0].1.contains("not closed"), "{found:?}");
        // Closed only on the next line is still unterminated on its own line.
        assert_eq!(bidi("a\u{2067}b\nc\u{2069}\n").len(), 2);
        let stray = bidi("x\u{202c}y\u{2069}");
        assert_eq!(stray.len(), 2, "{stray:?}");
        assert!(stray.iter().all(|(_, m)| m.contains("closes nothing")));
        // An isolate's closer ends an embedding opened inside it, which was not closed.
        assert_eq!(bidi("\u{2066}\u{202d}x\u{2069}").len(), 1);
        // A U+202C does not close an isolate.
        assert_eq!(bidi("\u{2066}x\u{202c}").len(), 2);
        let d = &bidi_warnings(F, "\u{202e}", 0, &[])[0];
        assert_eq!(d.severity, Severity::Warning);
    }

    #[test]
    fn escaped_bidi_controls_count_with_the_others() {
        let text = "title: \"a \\u202E b\"\nok: \"\\u2067x\\u2069\"\n";
        let at = |s: &str| text.find(s).unwrap();
        let open = at("\\u202E");
        let escapes = [
            (open..open + 6, '\u{202e}'),
            (at("\\u2067")..at("\\u2067") + 6, '\u{2067}'),
            (at("\\u2069")..at("\\u2069") + 6, '\u{2069}'),
        ];
        let found = bidi_warnings(F, text, 5, &escapes);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].location.as_ref().unwrap().span,
            open + 5..open + 11
        );
    }

    #[test]
    fn printable_escapes_what_drives_a_terminal() {
        assert_eq!(printable("plain é\n\tx"), "plain é\n\tx");
        assert!(matches!(printable("plain"), Cow::Borrowed(_)));
        assert_eq!(
            printable("a\u{1b}]0;t\u{7}b\u{1b}[2J\r\u{9b}\u{202e}\u{200f}"),
            "a\\u{1b}]0;t\\u{7}b\\u{1b}[2J\\u{d}\\u{9b}\\u{202e}\\u{200f}"
        );
        assert_eq!(printable_name("a\nb\t.md"), "a\\u{a}b\\u{9}.md");
    }

    #[test]
    fn xml_safe_replaces_what_xml_forbids() {
        assert_eq!(xml_safe("a\tb\nc"), "a\tb\nc");
        assert_eq!(xml_safe("a\r\nb\rc\r"), "a\nb\nc\n");
        assert_eq!(
            xml_safe("a\u{0}b\u{1}\u{1b}\u{7f}\u{85}\u{fffe}"),
            "a\u{fffd}b\u{fffd}\u{fffd}\u{fffd}\u{fffd}\u{fffd}"
        );
        assert!(matches!(xml_safe("£ 中 \u{202e}"), Cow::Borrowed(_)));
    }
}
