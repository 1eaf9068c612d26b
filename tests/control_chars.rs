//! Terminal and markup injection (issue 17, point 3): control characters in text are an error
//! at their place, written as themselves, as YAML escapes or as character references; unbalanced
//! bidirectional controls are a warning; reports never hand the terminal a control character
//! from content or a file name; every XML file is well-formed.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;
use proptest::prelude::*;

const REPORT: &str = "content/reports/2024-01-01-a.md";

/// The binary under test; `PLAINSIGHT_UNDER_TEST` runs these tests against another build (e.g.
/// the one before the fix, to see them fail).
fn run(args: &[&str]) -> Output {
    let bin = std::env::var("PLAINSIGHT_UNDER_TEST")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_plainsight").to_string());
    Command::new(bin)
        .args(args)
        .output()
        .expect("run plainsight")
}

fn check(site: &Path, strict: bool) -> Output {
    let root = site.to_str().unwrap();
    let args: &[&str] = if strict {
        &["check", "--strict", "--root", root]
    } else {
        &["check", "--root", root]
    };
    run(args)
}

fn report(front: &str, body: &str) -> String {
    format!("---\ntitle: A\ndate: 2024-01-01\nsummary: S.\n{front}---\n{body}")
}

/// Whether a terminal would act on `c` rather than show it.
fn drives_terminal(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// The report, asserting it quotes no control or bidirectional character as it is.
fn printable_report(out: &Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let raw: Vec<char> = err.chars().filter(|&c| drives_terminal(c)).collect();
    assert!(
        raw.is_empty(),
        "the report holds {raw:?} as they are:\n{}",
        err.escape_debug()
    );
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// `check` on a site made of `files` fails (exit 1) with each `(message, file:line:col)`.
fn assert_errors(files: &[(&str, &str)], wanted: &[(&str, &str)]) -> String {
    let site = site_with(files);
    let out = check(site.path(), false);
    // Line numbers of two digits push the arrow right.
    let err = printable_report(&out).replace("\n   --> ", "\n  --> ");
    assert_eq!(out.status.code(), Some(1), "{err}");
    for (message, place) in wanted {
        let want = format!("error: {message}\n  --> {place}\n");
        assert!(err.contains(&want), "wanted:\n{want}\ngot:\n{err}");
    }
    err
}

#[test]
fn control_characters_in_a_body_are_errors_at_their_place() {
    let body = "A \u{1b}]0;owned\u{7} b\nc \0 d \u{7f} e \u{9b} f\ng &#x1B; and `&#27;` [x](a&#1;b)\n\n<span>&#x7;</span>\n";
    let err = assert_errors(
        &[(REPORT, &report("", body))],
        &[
            (
                "control character U+001B (ESCAPE) in the text",
                "content/reports/2024-01-01-a.md:6:3",
            ),
            (
                "control character U+0007 (BELL) in the text",
                "content/reports/2024-01-01-a.md:6:12",
            ),
            (
                "control character U+0000 (NULL) in the text",
                "content/reports/2024-01-01-a.md:7:3",
            ),
            (
                "control character U+007F (DELETE) in the text",
                "content/reports/2024-01-01-a.md:7:7",
            ),
            (
                "control character U+009B (CONTROL SEQUENCE INTRODUCER) in the text",
                "content/reports/2024-01-01-a.md:7:11",
            ),
            (
                "the character reference `&#x1B;` writes control character U+001B (ESCAPE)",
                "content/reports/2024-01-01-a.md:8:3",
            ),
            (
                "the character reference `&#1;` writes control character U+0001",
                "content/reports/2024-01-01-a.md:8:27",
            ),
            (
                "the character reference `&#x7;` writes control character U+0007 (BELL)",
                "content/reports/2024-01-01-a.md:10:7",
            ),
        ],
    );
    // In a code span a reference is text, not a character: nothing to report there. The link
    // is also reported as broken, its target quoted escaped.
    assert!(err.contains("link to `a\\u{1}b`"), "{err}");
    assert_eq!(err.matches("error: ").count(), 9, "{err}");
    assert!(err.contains("A \\u{1b}]0;owned\\u{7} b"), "{err}");
}

#[test]
fn tabs_and_line_breaks_are_allowed() {
    let site = site_with(&[(
        REPORT,
        "---\r\ntitle: \"A\\tB\"\r\ndate: 2024-01-01\r\nsummary: \"S.\\r\\nT.\"\r\n---\r\n\tcode\r\nText\rmore\n",
    )]);
    let out = check(site.path(), true);
    let err = printable_report(&out);
    assert!(out.status.success(), "{err}");
}

#[test]
fn yaml_escapes_that_write_control_characters_are_errors_at_the_escape() {
    for (front, message, place) in [
        (
            "author: \"x \\u0001\"\n",
            "the escape `\\u0001` in front matter writes control character U+0001",
            "5:12",
        ),
        (
            "author: \"\\x1b[2J\"\n",
            "the escape `\\x1b` in front matter writes control character U+001B (ESCAPE)",
            "5:10",
        ),
        (
            "author: \"\\0\"\n",
            "the escape `\\0` in front matter writes control character U+0000 (NULL)",
            "5:10",
        ),
        (
            "author: !!str \"\\e]0;t\\a\"\n",
            "the escape `\\e` in front matter writes control character U+001B (ESCAPE)",
            "5:16",
        ),
        (
            "author: \"\\N\"\n",
            "the escape `\\N` in front matter writes control character U+0085 (NEXT LINE)",
            "5:10",
        ),
    ] {
        assert_errors(
            &[(REPORT, &report(front, "Body.\n"))],
            &[(message, &format!("{REPORT}:{place}"))],
        );
    }
    // The title, and a control character written as itself.
    assert_errors(
        &[(
            REPORT,
            "---\ntitle: \"Q1 \\u0001 report\"\ndate: 2024-01-01\nsummary: S.\n---\nBody.\n",
        )],
        &[(
            "the escape `\\u0001` in front matter writes control character U+0001",
            "content/reports/2024-01-01-a.md:2:12",
        )],
    );
    assert_errors(
        &[(REPORT, &report("author: \"a\u{b}\"\n", "Body.\n"))],
        &[(
            "control character U+000B (VERTICAL TAB) in front matter",
            "content/reports/2024-01-01-a.md:5:11",
        )],
    );
}

#[test]
fn control_characters_in_data_files_are_errors_at_their_place() {
    assert_errors(
        &[(
            "content/site.yaml",
            "title: \"Site \\e]0;owned\\a\"\nbase_url: https://example.org/\nlanguage: en-GB\n",
        )],
        &[(
            "the escape `\\e` in site.yaml writes control character U+001B (ESCAPE)",
            "content/site.yaml:1:14",
        )],
    );
    assert_errors(
        &[(
            "content/sources.yaml",
            "pas:\n  title: \"PAS \\x07\"\n  publisher: MOPAC\n  date: 2022-03-01\n",
        )],
        &[(
            "the escape `\\x07` in sources.yaml writes control character U+0007 (BELL)",
            "content/sources.yaml:2:15",
        )],
    );
    assert_errors(
        &[
            (
                "content/sources.yaml",
                "pas:\n  title: PAS\n  publisher: MOPAC\n  date: 2022-03-01\n",
            ),
            (
                "content/metrics/m.yaml",
                "title: \"M \\u009b2J\"\nunit: percent\nbetter: higher\nsource: pas\nseries:\n  - period: 2023\n    value: 1\n",
            ),
        ],
        &[(
            "the escape `\\u009b` in metric writes control character U+009B (CONTROL SEQUENCE INTRODUCER)",
            "content/metrics/m.yaml:1:11",
        )],
    );
}

#[test]
fn file_names_and_paths_are_quoted_escaped() {
    let name = "content/reports/2024-01-02-b\u{1b}[2J\u{1b}]0;owned\u{7}.md";
    let err = assert_errors(
        &[
            (REPORT, &report("", "Body.\n")),
            (name, &report("", "Body.\n")),
        ],
        &[],
    );
    assert!(
        err.contains("--> content/reports/2024-01-02-b\\u{1b}[2J\\u{1b}]0;owned\\u{7}.md:1:1\n"),
        "{err}"
    );
    // A site folder whose name holds an escape sequence, quoted in a message's help.
    let parent = tempfile::tempdir().unwrap();
    let root = parent.path().join("site\u{1b}[2J");
    std::fs::create_dir_all(root.join("content")).unwrap();
    let out = check(&root, false);
    let err = printable_report(&out);
    // Not a site (no content/site.yaml): a usage problem, exit code 2.
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("site\\u{1b}[2J"), "{err}");
}

#[test]
fn unbalanced_bidi_controls_warn_and_balanced_ones_do_not() {
    let front = "author: \"\\u202Eevil\"\nextra:\n  note: \"ok \\u2067x\\u2069\"\n";
    let body = "Balanced: \u{2067}שלום\u{2069} and \u{202b}עברית\u{202c}.\n\
                Trojan: /* \u{202e} } \u{2066}if (admin)\u{2069} { */\n\
                Stray: \u{2069}\n\
                References: &#x2067;abc&#x2069; and &#x202E;x\n";
    let files = [
        (
            REPORT,
            format!(
                "---\ntitle: \"A \u{202e}b\"\ndate: 2024-01-01\nsummary: S.\n{front}---\n{body}"
            ),
        ),
        (
            "content/site.yaml",
            "title: \"Site \u{2066}x\"\nbase_url: https://example.org/\nlanguage: en-GB\n".into(),
        ),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let site = site_with(&files);
    let out = check(site.path(), false);
    // Line numbers of two digits push the arrow right.
    let err = printable_report(&out).replace("\n   --> ", "\n  --> ");
    assert!(out.status.success(), "warnings only: {err}");
    for (c, place) in [
        (
            "U+202E (RIGHT-TO-LEFT OVERRIDE) is not closed",
            "content/reports/2024-01-01-a.md:2:11",
        ),
        (
            "U+202E (RIGHT-TO-LEFT OVERRIDE) is not closed",
            "content/reports/2024-01-01-a.md:5:10",
        ),
        (
            "U+202E (RIGHT-TO-LEFT OVERRIDE) is not closed",
            "content/reports/2024-01-01-a.md:10:12",
        ),
        (
            "U+2069 (POP DIRECTIONAL ISOLATE) closes nothing",
            "content/reports/2024-01-01-a.md:11:8",
        ),
        (
            "U+202E (RIGHT-TO-LEFT OVERRIDE) is not closed",
            "content/reports/2024-01-01-a.md:12:37",
        ),
        (
            "U+2066 (LEFT-TO-RIGHT ISOLATE) is not closed",
            "content/site.yaml:1:14",
        ),
    ] {
        let want = format!("warning: bidirectional control {c} on its line\n  --> {place}\n");
        assert!(err.contains(&want), "wanted:\n{want}\ngot:\n{err}");
    }
    assert_eq!(err.matches("warning: ").count(), 6, "{err}");
    let out = check(site.path(), true);
    assert_eq!(out.status.code(), Some(1), "--strict refuses them");
}

/// Every `.xml` file under `public`, parsed; returns the titles of the feed at `feed`.
fn parse_xml(public: &Path, feed: &str) -> Vec<String> {
    let mut titles = None;
    let mut seen = 0;
    for (path, bytes) in tree(public) {
        if !path.ends_with(".xml") {
            continue;
        }
        seen += 1;
        let text = String::from_utf8(bytes).unwrap();
        let doc = roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{path} is not well-formed: {e}\n{text}"));
        if path == feed {
            titles = Some(
                doc.descendants()
                    .filter(|n| n.has_tag_name("title"))
                    .map(|n| n.text().unwrap_or("").to_string())
                    .collect(),
            );
        }
    }
    assert!(seen >= 3, "feed.xml, reports/feed.xml, sitemap.xml");
    titles.expect("the feed")
}

fn yaml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Build a site whose document has `title` and `summary`; every XML file must parse, and the
/// feed must carry the title as written.
fn build_and_parse(title: &str, summary: &str) {
    let doc = format!(
        "---\ntitle: {}\ndate: 2024-01-01\nsummary: {}\n---\nBody.\n",
        yaml_string(title),
        yaml_string(summary)
    );
    let site = site_with(&[(REPORT, &doc)]);
    let out = run(&["build", "--root", site.path().to_str().unwrap()]);
    let err = printable_report(&out);
    assert!(out.status.success(), "{err}");
    let titles = parse_xml(&site.path().join("public"), "feed.xml");
    assert_eq!(titles, vec!["Scratch".to_string(), title.to_string()]);
}

#[test]
fn feeds_and_sitemap_are_well_formed_with_hostile_titles() {
    build_and_parse(
        "<script>alert(1)</script> & ]]> \"q\" 'a' \t \u{2067}שלום\u{2069} \u{fffd} 😀",
        "<b>&amp;</b> ]]> \u{202b}x\u{202c}",
    );
}

/// Any text an author may write: printable characters, XML's specials and tabs.
fn title() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            // Less what YAML itself refuses or reads as a line break.
            any::<char>().prop_filter("printable", |&c| {
                !drives_terminal(c)
                    && !matches!(
                        c,
                        '\n' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                    )
            }),
            proptest::sample::select(vec!['<', '>', '&', '"', '\'', ']', '\t', ';', '\u{fffd}']),
        ],
        1..30,
    )
    .prop_map(|cs| cs.into_iter().collect::<String>())
    .prop_filter("a title with text", |s| {
        !s.trim().is_empty() && s.trim() == s
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn feeds_are_well_formed_for_any_title_an_author_may_write(t in title(), s in title()) {
        build_and_parse(&t, &s);
    }
}

/// What the issue found: a `"\u0001"` title built, and broke feed.xml. Now refused at load; a
/// control character that got past load would still not reach the XML (see the unit tests of
/// the feed and sitemap writers).
#[test]
fn a_control_character_in_a_title_never_reaches_the_output() {
    let site = site_with(&[(REPORT, &report("", "Body.\n"))]);
    let root = site.path().to_str().unwrap();
    let out = run(&["build", "--root", root]);
    assert!(out.status.success(), "{}", printable_report(&out));
    let feed = read(site.path().join("public/feed.xml"));
    std::fs::write(
        site.path().join(REPORT),
        "---\ntitle: \"Q1 \\u0001\"\ndate: 2024-01-01\nsummary: S.\n---\nBody.\n",
    )
    .unwrap();
    let out = run(&["build", "--root", root]);
    let err = printable_report(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(read(site.path().join("public/feed.xml")), feed);
}
