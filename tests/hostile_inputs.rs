//! Small hostile inputs that once hung the build or slipped past a limit (issue #17, points 7-9
//! and part of 15): HTML nested past the limit in any shape, YAML nested 100,000 levels deep,
//! long metric series, years and values out of range, and alias bombs. Each gets its error at
//! its file:line:col. How long they take is measured by scripts/bench-inputs, not here.

mod common;

use common::*;

const REPORT: &str = "content/reports/2024-01-01-a.md";
const SOURCES: &str = "pas:\n  title: PAS\n  publisher: MOPAC\n  date: 2022-03-01\n";
const METRIC_HEAD: &str = "title: M\nunit: count\nbetter: higher\nsource: pas\nseries:\n";
const TOO_DEEP_HTML: &str =
    "block quotes, lists and HTML elements are nested more than 100 levels deep here";

/// A report whose body starts on line 6.
fn report(body: &str) -> String {
    format!("---\ntitle: A\ndate: 2024-01-01\nsummary: S.\n---\n{body}")
}

/// `check` on a site made of `files`: its exit code and report.
fn check(files: &[(&str, &str)]) -> (Option<i32>, String) {
    let site = site_with(files);
    let out = plainsight(&["check", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    (out.status.code(), err)
}

/// How many times the report has `message` at `place` (file:line:col).
fn count(err: &str, message: &str, place: &str) -> usize {
    let lines: Vec<&str> = err.lines().collect();
    lines
        .windows(2)
        .filter(|w| w[0] == format!("error: {message}") && w[1].trim() == format!("--> {place}"))
        .count()
}

/// `check` fails with `message` at `place` (file:line:col), reported once.
fn assert_error(files: &[(&str, &str)], message: &str, place: &str) {
    let (code, err) = check(files);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(
        count(&err, message, place),
        1,
        "wanted {message} at {place}, got:\n{err}"
    );
}

fn times(s: &str, n: usize) -> String {
    s.repeat(n)
}

#[test]
fn html_nested_past_the_limit_is_an_error_at_the_tag_whatever_its_shape() {
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "10,000 balanced divs on one line",
            format!("{}{}\n", times("<div>", 10_000), times("</div>", 10_000)),
            "6:501",
        ),
        (
            "inline HTML in a paragraph",
            format!("Text {}x{}\n", times("<span>", 150), times("</span>", 150)),
            "6:606",
        ),
        (
            "self-closing syntax, which HTML ignores",
            format!("{}\n", times("<div/>", 150)),
            "6:601",
        ),
        (
            "end tags that close nothing",
            format!("{}\n", times("<div></b>", 150)),
            "6:901",
        ),
        (
            "an HTML block over many lines",
            format!("{}\n", times("<div>\n", 150)),
            "106:1",
        ),
        (
            "unclosed tags in separate blocks",
            times("<section>\n\n", 150),
            "206:1",
        ),
        (
            "raw HTML inside 60 levels of Markdown block quotes",
            format!("{}{}\n", times("> ", 60), times("<div>", 50)),
            "6:321",
        ),
        (
            "raw HTML inside 60 levels of Markdown lists",
            (0..60)
                .map(|i| format!("{}- item\n", "  ".repeat(i)))
                .chain([format!("{}{}\n", "  ".repeat(60), times("<b>", 50))])
                .collect(),
            "66:241",
        ),
    ];
    for (shape, body, line_col) in cases {
        let text = report(&body);
        let (code, err) = check(&[(REPORT, &text)]);
        let place = format!("{REPORT}:{line_col}");
        assert_eq!(code, Some(1), "{shape}: {err}");
        assert_eq!(
            count(&err, TOO_DEEP_HTML, &place),
            1,
            "{shape}: at {place}? {err}"
        );
    }
}

#[test]
fn html_that_does_not_nest_is_not_counted() {
    for (shape, body) in [
        ("void elements", times("<br>", 1000)),
        ("paragraphs", times("<p>x", 1000)),
        ("balanced pairs", times("<div></div>", 1000)),
        (
            "self-closing elements in SVG",
            format!("<svg>{}</svg>", times("<circle r=\"1\"/>", 1000)),
        ),
    ] {
        let text = report(&format!("Text.\n\n{body}\n"));
        let (_, err) = check(&[(REPORT, &text)]);
        assert!(!err.contains(TOO_DEEP_HTML), "{shape}: {err}");
    }
}

const TOO_DEEP_YAML: &str = "nests lists and mappings more than 64 levels deep here";

#[test]
fn yaml_nested_100000_levels_is_refused_at_the_line_where_it_passes_64() {
    let brackets = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let dashes = format!("{}x", "- ".repeat(100_000));
    let braces = format!("{}1{}", "{a: ".repeat(100_000), "}".repeat(100_000));
    // Deeper and deeper indentation, a level a line.
    let indented: String = (0..200).map(|i| format!("{}-\n", "  ".repeat(i))).collect();
    let front_matter =
        format!("---\ntitle: A\ndate: 2024-01-01\nsummary: S.\nextra: {brackets}\n---\nText.\n");
    assert_error(
        &[(REPORT, &front_matter)],
        &format!("front matter {TOO_DEEP_YAML}"),
        &format!("{REPORT}:5:71"),
    );
    let site =
        format!("title: T\nbase_url: https://example.org/\nlanguage: en-GB\nnav:\n{dashes}\n");
    assert_error(
        &[("content/site.yaml", &site)],
        &format!("site.yaml {TOO_DEEP_YAML}"),
        "content/site.yaml:5:129",
    );
    assert_error(
        &[
            ("content/sources.yaml", SOURCES),
            (
                "content/metrics/m.yaml",
                &format!("{METRIC_HEAD}{indented}"),
            ),
        ],
        &format!("metric {TOO_DEEP_YAML}"),
        "content/metrics/m.yaml:70:129",
    );
    assert_error(
        &[("content/sources.yaml", &format!("pas: {braces}\n"))],
        &format!("sources.yaml {TOO_DEEP_YAML}"),
        "content/sources.yaml:1:258",
    );
}

#[test]
fn yaml_nested_a_few_levels_deep_is_read_as_before() {
    let nested = format!("{}1{}", "[".repeat(30), "]".repeat(30));
    let text = format!(
        "---\ntitle: A\ndate: 2024-01-01\nsummary: S.\nextra:\n  deep: {nested}\n  text: \"[[[[\" # [[[[\n  block: |\n    {}\n---\nText.\n",
        "[".repeat(200)
    );
    let (code, err) = check(&[(REPORT, &text)]);
    assert_eq!(code, Some(0), "{err}");
}

/// A monthly series of `n` points from January 1000, one line each (line 6 on).
fn series(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "  - {{ period: {:04}-{:02}, value: {} }}\n",
                1000 + i / 12,
                i % 12 + 1,
                i % 97
            )
        })
        .collect()
}

#[test]
fn a_long_series_is_checked_and_a_repeated_period_is_found_in_it() {
    // Checked and rendered (page, table, chart, CSV, JSON); small, since a debug build reads
    // YAML slowly. scripts/bench-inputs times 100,000 points.
    let metric = format!("{METRIC_HEAD}{}", series(3_000));
    let doc = report("Up to [the latest](metric:m).\n");
    let (code, err) = check(&[
        ("content/sources.yaml", SOURCES),
        ("content/metrics/m.yaml", &metric),
        (REPORT, &doc),
    ]);
    assert_eq!(code, Some(0), "{err}");
    // Point 20,001 repeats point 101 (line 106).
    let metric = format!(
        "{METRIC_HEAD}{}  - {{ period: 1008-05, value: 1 }}\n",
        series(20_000)
    );
    let (code, err) = check(&[
        ("content/sources.yaml", SOURCES),
        ("content/metrics/m.yaml", &metric),
    ]);
    assert_eq!(code, Some(1), "{err}");
    let message = "period 1008-05 appears twice in the series";
    assert_eq!(
        count(&err, message, "content/metrics/m.yaml:20006:5"),
        1,
        "{err}"
    );
    assert!(err.contains("106 |   - { period: 1008-05"), "{err}");
}

#[test]
fn a_year_outside_1000_to_2999_is_an_error_at_its_line() {
    let plan = "---\ntitle: P\nkind: plan\ndate: 2024-01-01\nsummary: S.\nowner: O\nperiod: {start: 2022-04-01, end: 9999-03-31}\npriorities:\n  - id: a\n    title: A\n    summary: S.\n---\nText.\n";
    let (code, err) = check(&[
        (
            "content/sources.yaml",
            "pas:\n  title: PAS\n  publisher: MOPAC\n  date: 0000-03-01\n",
        ),
        (
            "content/metrics/m.yaml",
            &format!(
                "{METRIC_HEAD}  - {{ period: 0999-12, value: 1 }}\n  - {{ period: 3000, value: 2 }}\n"
            ),
        ),
        (
            REPORT,
            "---\ntitle: A\ndate: 9999-01-01\nsummary: S.\n---\nText.\n",
        ),
        ("content/plans/p.md", plan),
    ]);
    assert_eq!(code, Some(1), "{err}");
    for (message, place) in [
        (
            "the year 0000 is outside 1000-2999",
            "content/sources.yaml:4:9",
        ),
        (
            "the year 0999 is outside 1000-2999",
            "content/metrics/m.yaml:6:15",
        ),
        (
            "the year 3000 is outside 1000-2999",
            "content/metrics/m.yaml:7:15",
        ),
        (
            "the year 9999 is outside 1000-2999",
            &format!("{REPORT}:3:7"),
        ),
        (
            "the year 9999 is outside 1000-2999",
            "content/plans/p.md:7:34",
        ),
    ] {
        assert_eq!(
            count(&err, message, place),
            1,
            "{message} at {place}? {err}"
        );
    }
}

#[test]
fn values_too_large_to_chart_are_refused_at_their_line() {
    let metric = format!(
        "{METRIC_HEAD}  - {{ period: 2020, value: 1e308 }}\n  - period: 2021\n    value: -1.7e308\n  - {{ period: 2022, value: 1000000000000000 }}\ntarget: {{ period: 2025, value: 2e15 }}\n"
    );
    let (code, err) = check(&[
        ("content/sources.yaml", SOURCES),
        ("content/metrics/m.yaml", &metric),
    ]);
    assert_eq!(code, Some(1), "{err}");
    for (value, place) in [("1e308", "6:28"), ("-1.7e308", "8:12"), ("2e15", "10:32")] {
        let message = format!("the value {value} is too large to compare or chart");
        let place = format!("content/metrics/m.yaml:{place}");
        assert_eq!(
            count(&err, &message, &place),
            1,
            "{message} at {place}? {err}"
        );
    }
    // 10^15 itself is allowed.
    assert_eq!(err.matches("too large").count(), 3, "{err}");
}

/// Nine anchors, each naming nine aliases of the one before.
fn alias_bomb(indent: &str) -> String {
    let mut lines = vec![format!(
        "{indent}a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"
    )];
    for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        let aliases = vec![format!("*{prev}"); 9].join(",");
        lines.push(format!("{indent}{name}: &{name} [{aliases}]"));
    }
    lines.join("\n") + "\n"
}

#[test]
fn an_alias_bomb_is_reported_at_the_alias_that_expands_most() {
    let text = format!(
        "---\ntitle: A\ndate: 2024-01-01\nsummary: S.\nextra:\n{}---\nText.\n",
        alias_bomb("  ")
    );
    let (code, err) = check(&[(REPORT, &text)]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("error: invalid YAML in front matter: repetition limit exceeded: the alias `*h` here expands")
            && err.contains(&format!("--> {REPORT}:14:10\n")),
        "{err}"
    );
}
