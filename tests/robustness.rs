//! The bounded CI harness over the whole pipeline for one document: load, resolve and render
//! through [`Probe::check`], the entry point the fuzz target uses, so a crash either finds is
//! the same crash. Documents come from a grammar of realistic-but-hostile pieces (front matter
//! fields good and bad, headings, nested lists and quotes, tables, code, footnotes, links of
//! every scheme, images, raw HTML), in LF, CRLF and with a BOM; a tenth are arbitrary bytes or
//! a grammar document cut at any byte. Each piece is graded: a document made only of clean
//! pieces must pass, one with a bad piece (and nothing that could swallow it) must fail with an
//! error in the document, and every document, wild ones too, must check without a panic, give
//! the same report twice, and name `file:line:col` for every problem found in it.
//!
//! A crash found here (or by the fuzz target) becomes an example test at the end of this file.

use plainsight::diag::Severity;
use plainsight::pipeline::Outcome;
use plainsight::probe::{Probe, SLOT};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// Cases per run; the whole file stays well under 20 s in a debug build on two cores. Set
/// `PLAINSIGHT_ROBUSTNESS_CASES` for a longer hunt.
const CASES: u32 = 256;

fn cases() -> u32 {
    std::env::var("PLAINSIGHT_ROBUSTNESS_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CASES)
}

/// What a piece does to the document it is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Grade {
    /// Never an error.
    Clean,
    /// Always an error located in the document, unless a wild piece swallows it.
    Bad,
    /// Anything: may be an error, may turn what follows into code or HTML.
    Wild,
}
use Grade::*;

/// Which pieces a document may be made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Clean,
    Bad,
    Wild,
}

impl Mode {
    fn allows(self, g: Grade) -> bool {
        match self {
            Mode::Clean => g == Clean,
            Mode::Bad => g != Wild,
            Mode::Wild => true,
        }
    }
}

type Piece = (String, Grade);

/// One of `pool`'s pieces that `mode` allows; mostly a clean one, so that a bad or wild piece
/// sits among working ones (a broken front matter fence would hide the whole body).
fn pick(pool: &'static [(&'static str, Grade)], mode: Mode) -> BoxedStrategy<Piece> {
    let of = |keep: &dyn Fn(Grade) -> bool| -> Vec<Piece> {
        pool.iter()
            .filter(|(_, g)| keep(*g))
            .map(|(s, g)| (s.to_string(), *g))
            .collect()
    };
    let clean = prop::sample::select(of(&|g| g == Clean));
    if mode == Mode::Clean {
        clean.boxed()
    } else {
        prop_oneof![4 => clean, 1 => prop::sample::select(of(&|g| mode.allows(g)))].boxed()
    }
}

fn wild_line() -> BoxedStrategy<Piece> {
    prop_oneof![
        "[a-z]{1,8}: [^\n]{0,12}".prop_map(|s| (s, Wild)),
        "[^\n]{0,20}".prop_map(|s| (s, Wild)),
    ]
    .boxed()
}

// ---------------------------------------------------------------------------------------------
// Front matter

const TITLE: &[(&str, Grade)] = &[
    ("title: Probe", Clean),
    ("title: \"Trust: Ünïcødé ✓ 日本語 \u{1F600}\"", Clean),
    ("title: <script>alert(1)</script> & co", Clean),
    ("title: ''", Bad),
    ("title: [a, b]", Bad),
    ("", Bad),
];

const DATE: &[(&str, Grade)] = &[
    ("date: 2024-05-01", Clean),
    ("date: 2021-12-01", Clean),
    ("date: '2022-06-30'", Clean),
    ("date: 2023-02-30", Bad),
    ("date: 2024-5-1", Bad),
    ("date: 2024-05-01T10:00:00", Bad),
    ("date: [2024]", Bad),
    ("", Bad),
];

const SUMMARY: &[(&str, Grade)] = &[
    ("summary: S.", Clean),
    ("summary: 'With: a colon ✓'", Clean),
    ("summary: >\n  Folded\n  text.", Clean),
    ("", Clean),
];

/// Optional fields; the clean ones have distinct keys, so any subset of them is clean. A field
/// that is an error only with others (a second `plans:`, a second `title:` when the first is
/// missing, `kind: plan` with all a plan needs) is wild.
const FIELDS: &[(&str, Grade)] = &[
    ("plans: [plan-a]", Clean),
    ("priorities:\n  - plan-a/trust", Clean),
    ("metrics: [pas-good]", Clean),
    ("author: Zoë Ångström", Clean),
    ("language: cy", Clean),
    ("draft: true", Clean),
    ("extra: {colour: red, n: [1, 2]}", Clean),
    ("id: probe-doc", Clean),
    ("kind: letter", Clean),
    ("# a comment ---", Clean),
    ("plans:\n  - plan-a", Wild),
    ("plans: [plan-b]", Bad),
    ("plans: ['bad id']", Bad),
    ("plans: plan-a", Bad),
    ("priorities: [plan-a/nope]", Bad),
    ("priorities: [nonsense]", Bad),
    ("priorities:\n  - id: x\n    title: X\n    summary: s", Bad),
    ("metrics: [nope]", Bad),
    ("kind: repotr", Bad),
    ("kind: plan", Wild),
    ("colour: red", Bad),
    ("language: 12345", Bad),
    ("owner: Mayor", Bad),
    ("period: {start: 2022-01-01, end: 2023-01-01}", Bad),
    ("id: has space", Bad),
    ("id: 2024-01-02-other", Bad),
    ("draft: maybe", Bad),
    ("summary: [unclosed", Bad),
    ("title: again", Wild),
    ("extra:", Wild),
    ("key: 'unterminated", Wild),
    ("&a x: *a", Wild),
    ("? complex", Wild),
    ("\t- tab", Wild),
];

const OPEN: &[(&str, Grade)] = &[
    ("---", Clean),
    ("--- ", Clean),
    ("---\t", Clean),
    ("", Bad),
    ("----", Bad),
    (" ---", Bad),
];

const CLOSE: &[(&str, Grade)] = &[("---", Clean), ("---  ", Clean), ("", Bad), ("...", Bad)];

fn front_matter(mode: Mode) -> BoxedStrategy<Piece> {
    let fields = prop::sample::subsequence(
        FIELDS
            .iter()
            .filter(|(_, g)| mode.allows(*g))
            .map(|(s, g)| (s.to_string(), *g))
            .collect::<Vec<_>>(),
        0..5,
    )
    .prop_shuffle();
    let wild = if mode == Mode::Wild {
        prop::collection::vec(wild_line(), 0..3).boxed()
    } else {
        Just(vec![]).boxed()
    };
    (
        pick(OPEN, mode),
        pick(TITLE, mode),
        pick(DATE, mode),
        pick(SUMMARY, mode),
        fields,
        wild,
        pick(CLOSE, mode),
    )
        .prop_map(|(open, title, date, summary, fields, wild, close)| {
            let mut text = String::new();
            let mut grade = Clean;
            for (line, g) in std::iter::once(open)
                .chain([title, date, summary])
                .chain(fields)
                .chain(wild)
                .chain(std::iter::once(close))
            {
                grade = grade.max(g);
                if !line.is_empty() {
                    text.push_str(&line);
                    text.push('\n');
                }
            }
            (text, grade)
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// Body

const INLINE: &[(&str, Grade)] = &[
    ("Plain words here.", Clean),
    ("Ünïcødé ✓ 日本語 \u{1F600} עברית", Clean),
    ("*emphasis*", Clean),
    ("**strong _and nested_**", Clean),
    ("`code with [^x] and [a](javascript:b)`", Clean),
    ("~~struck~~", Clean),
    ("&amp; &copy; &#x1F600;", Clean),
    ("\\[^escaped]", Clean),
    ("<https://example.org/x>", Clean),
    ("<person@example.org>", Clean),
    ("<span lang=\"cy\">Croeso</span>", Clean),
    ("<b onclick=\"x()\">bold</b>", Clean),
    ("<a href=\"data:text/html,x\">a data link</a>", Clean),
    ("<a href=\"javascript:alert(1)\">a script link</a>", Clean),
    // Alone on a line, a tag starts an HTML block that swallows the lines after it.
    ("<img src=x onerror=alert(1)> after", Clean),
    ("<img src=x onerror=alert(1)>", Wild),
    (
        "[the other report](doc:reports/2024-01-02-other#findings)",
        Clean,
    ),
    ("[the other report](DOC:reports/2024-01-02-other)", Clean),
    ("[the plan](plan:plan-a)", Clean),
    ("[building trust](priority:plan-a/trust)", Clean),
    ("[the survey](source:pas)", Clean),
    ("[51%](metric:pas-good@2021-12)", Clean),
    ("[68 per cent](metric:pas-good@2020-03)", Clean),
    ("[51%](metric:pas-good)", Clean),
    ("[](metric:pas-good)", Clean),
    ("[the latest figure](metric:pas-good)", Clean),
    (
        "[the other report](../reports/2024-01-02-other.md#findings)",
        Clean,
    ),
    ("[the other report](2024-01-02-other.md)", Clean),
    ("[an address](https://example.org/a?b=c#d)", Clean),
    ("[write to us](mailto:a@example.org)", Clean),
    ("[call us](tel:+44-20)", Clean),
    ("[a section](#findings)", Clean),
    ("[the home page](/)", Clean),
    ("[the reports](/reports/)", Clean),
    ("[the plan's page](/plans/plan-a/#x)", Bad),
    ("[nowhere](/does/not/exist)", Bad),
    ("[elsewhere](//example.org/x)", Bad),
    ("![A pixel](//evil.example/t.gif)", Bad),
    (
        "<img alt=\"a pixel\" src=\"&#47;/evil.example/t.gif\"> after",
        Bad,
    ),
    (
        "![A bar chart of trust](https://example.org/chart.png)",
        Clean,
    ),
    ("[evil](javascript:alert(1))", Bad),
    ("[evil](JavaScript:alert(1))", Bad),
    ("[data](data:text/html;base64,PHNjcmlwdD4=)", Bad),
    ("[vb](VBScript:x)", Bad),
    ("[file](file:///etc/passwd)", Bad),
    ("[passwd](../../etc/passwd)", Bad),
    ("[passwd](..%2F..%2Fetc%2Fpasswd)", Bad),
    ("[passwd](doc:../etc/passwd)", Bad),
    ("[nothing](doc:reports/nope)", Bad),
    ("[no heading](doc:reports/2024-01-02-other#nope)", Bad),
    ("[no plan](plan:plan-z)", Bad),
    ("[no priority](priority:plan-a/nope)", Bad),
    ("[bad priority](priority:plan-a)", Bad),
    ("[no source](source:nope)", Bad),
    ("[no metric](metric:nope)", Bad),
    ("[bad period](metric:pas-good@2021-13)", Bad),
    ("[no period](metric:pas-good@1999)", Bad),
    ("[99%](metric:pas-good@2021-12)", Bad),
    ("[unknown](gopher:x)", Bad),
    ("[missing file](missing.pdf)", Bad),
    ("[](doc:reports/2024-01-02-other)", Bad),
    ("![](https://example.org/a.png)", Bad),
    ("![A chart](missing.png)", Bad),
    ("![A chart](doc:reports/2024-01-02-other)", Bad),
    ("[^undefined-1]", Bad),
    ("`", Wild),
    ("*", Wild),
    ("[", Wild),
    ("](", Wild),
    ("<", Wild),
    ("[^", Wild),
    ("<!--", Wild),
    ("\\", Wild),
    ("|", Wild),
    ("<script>", Wild),
    ("[x]: /url", Wild),
    ("[x][]", Wild),
    ("{#id}", Wild),
];

/// Pieces that keep a heading's text non-empty.
const HEADING_TEXT: &[(&str, Grade)] = &[
    ("Findings", Clean),
    ("Ünïcødé ✓ 日本", Clean),
    ("*Key* `points`", Clean),
    ("[the plan](plan:plan-a)", Clean),
    ("Findings {#own-id}", Clean),
    ("[evil](javascript:x)", Bad),
    ("{#}", Wild),
    ("", Bad),
];

const BLOCKS: &[(&str, Grade)] = &[
    ("***", Clean),
    ("- - -", Clean),
    (
        "| Year | Value |\n|------|------:|\n| 2021 | [51%](metric:pas-good@2021-12) |\n| Ü | **b** |",
        Clean,
    ),
    ("|  |  |\n|--|--|\n| 1 | 2 |", Bad),
    (
        "```rust\nfn main() { let x = \"[^x] [a](javascript:y)\"; }\n```",
        Clean,
    ),
    ("~~~\n<script>alert(1)</script>\n~~~", Clean),
    ("```\n```", Clean),
    ("````md\n```\ninner\n```\n````", Clean),
    ("```nosuchlanguage\n# not a heading\n```", Clean),
    ("<div onclick=\"alert(1)\">\n<p>Raw</p>\n</div>", Clean),
    ("<script>alert(1)</script>", Clean),
    ("<style>body { display: none }</style>", Clean),
    ("<!-- a comment [^x] -->", Clean),
    (
        "<details><summary>More</summary>\n\nInside *details*.\n\n</details>",
        Clean,
    ),
    ("<a href=\"data:text/html,x\">x</a>", Clean),
    ("Setext heading\n===", Bad),
    ("## ", Bad),
    ("[^unused-1]: Never cited.", Bad),
    ("```\nnever closed", Wild),
    ("<!-- never closed", Wild),
    ("<script>\nnever closed", Wild),
    ("    indented code", Wild),
    ("[^dup]: a\n\n[^dup]: b", Wild),
];

fn inline(mode: Mode) -> BoxedStrategy<Piece> {
    if mode == Mode::Wild {
        prop_oneof![9 => pick(INLINE, mode), 1 => wild_line()].boxed()
    } else {
        pick(INLINE, mode)
    }
}

/// Inline pieces joined by spaces or soft line breaks.
fn run(mode: Mode, n: std::ops::Range<usize>) -> BoxedStrategy<Piece> {
    prop::collection::vec((inline(mode), any::<bool>()), n)
        .prop_map(|pieces| {
            let mut text = String::new();
            let mut grade = Clean;
            for (i, ((s, g), soft_break)) in pieces.into_iter().enumerate() {
                if i > 0 {
                    text.push(if soft_break { '\n' } else { ' ' });
                }
                text.push_str(&s);
                grade = grade.max(g);
            }
            (text, grade)
        })
        .boxed()
}

/// A body block before headings get their levels: `Heading(raw level, text)`.
#[derive(Clone, Debug)]
enum Block {
    Heading(u8, Piece),
    Other(Piece),
}

/// A list (bulleted or numbered) nested up to three levels, maybe inside block quotes.
fn list(mode: Mode) -> BoxedStrategy<Piece> {
    (
        prop::collection::vec((0usize..3, any::<bool>(), run(mode, 1..3)), 1..6),
        0usize..3,
    )
        .prop_map(|(items, quotes)| {
            let mut text = String::new();
            let mut grade = Clean;
            let mut depth = 0;
            for (want, numbered, (s, g)) in items {
                // Each item is at most one level deeper than the one before.
                depth = want.min(depth + 1);
                let (marker, width) = if numbered { ("1. ", 3) } else { ("- ", 2) };
                let indent = " ".repeat(depth * 3);
                let body = s.replace('\n', &format!("\n{indent}{}", " ".repeat(width)));
                text.push_str(&format!("{indent}{marker}{body}\n"));
                grade = grade.max(g);
            }
            let prefix = "> ".repeat(quotes);
            let quoted = text
                .trim_end()
                .lines()
                .map(|l| format!("{prefix}{l}"))
                .collect::<Vec<_>>()
                .join("\n");
            (quoted, grade)
        })
        .boxed()
}

fn quote(mode: Mode) -> BoxedStrategy<Piece> {
    (1usize..4, run(mode, 1..4))
        .prop_map(|(depth, (s, g))| {
            let prefix = "> ".repeat(depth);
            let text = s
                .lines()
                .map(|l| format!("{prefix}{l}"))
                .collect::<Vec<_>>()
                .join("\n");
            (text, g)
        })
        .boxed()
}

fn block(mode: Mode) -> BoxedStrategy<Block> {
    prop_oneof![
        4 => run(mode, 1..6).prop_map(Block::Other),
        2 => (1u8..=6, pick(HEADING_TEXT, mode)).prop_map(|(l, t)| Block::Heading(l, t)),
        1 => list(mode).prop_map(Block::Other),
        1 => quote(mode).prop_map(Block::Other),
        2 => pick(BLOCKS, mode).prop_map(Block::Other),
    ]
    .boxed()
}

/// Footnotes that are cited and defined: each label is cited as written in `refs` and defined
/// as written in `defs` (labels match case-insensitively).
const FOOTNOTES: &[(&str, &str)] = &[("1", "1"), ("Note", "note"), ("ÜNÏ", "ünï")];

fn body(mode: Mode) -> BoxedStrategy<Piece> {
    (
        prop::collection::vec(block(mode), 0..10),
        prop::sample::subsequence(FOOTNOTES.to_vec(), 0..=FOOTNOTES.len()),
    )
        .prop_map(move |(blocks, notes)| {
            let mut parts = Vec::new();
            let mut grade = Clean;
            // The title is the page's h1; sections start at h2 and go down one level at most.
            let mut last = 1u8;
            for b in blocks {
                let (text, g) = match b {
                    Block::Heading(raw, (text, g)) => {
                        let level = if mode == Mode::Clean {
                            raw.clamp(2, last + 1)
                        } else {
                            raw
                        };
                        let skipped = level == 1 || level > last + 1;
                        last = level.max(2);
                        let g = g.max(if skipped { Bad } else { Clean });
                        (format!("{} {text}", "#".repeat(usize::from(level))), g)
                    }
                    Block::Other(p) => p,
                };
                grade = grade.max(g);
                parts.push(text);
            }
            if !notes.is_empty() {
                let cites: String = notes.iter().map(|(r, _)| format!("[^{r}]")).collect();
                parts.push(format!("Cited here.{cites}"));
                for (_, d) in notes {
                    parts.push(format!("[^{d}]: Said by [the survey](source:pas)."));
                }
            }
            (parts.join("\n\n") + "\n", grade)
        })
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// Whole documents

/// A document to check, and what it must give.
#[derive(Clone)]
struct Case {
    bytes: Vec<u8>,
    grade: Grade,
}

/// As text when it is UTF-8, so a failing case can be read and pasted into a test.
impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match std::str::from_utf8(&self.bytes) {
            Ok(text) => write!(f, "{:?} {text:?}", self.grade),
            Err(_) => write!(f, "{:?} bytes {:?}", self.grade, self.bytes),
        }
    }
}

/// Line endings and a BOM; `mixed` ends each line at random with `\n` or `\r\n`.
fn dress(text: &str, crlf: bool, mixed: &[bool], bom: bool) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    if bom {
        out.push('\u{feff}');
    }
    for (i, line) in text.split_inclusive('\n').enumerate() {
        match line.strip_suffix('\n') {
            Some(l) if crlf || mixed.get(i % mixed.len().max(1)) == Some(&true) => {
                out.push_str(l);
                out.push_str("\r\n");
            }
            _ => out.push_str(line),
        }
    }
    out
}

fn document(mode: Mode) -> BoxedStrategy<Case> {
    let mixed = if mode == Mode::Wild {
        prop::collection::vec(any::<bool>(), 0..4).boxed()
    } else {
        Just(vec![]).boxed()
    };
    (
        front_matter(mode),
        body(mode),
        any::<bool>(),
        mixed,
        prop::bool::weighted(0.2),
    )
        .prop_map(|((fm, g1), (body, g2), crlf, mixed, bom)| Case {
            bytes: dress(&format!("{fm}{body}"), crlf, &mixed, bom).into_bytes(),
            grade: g1.max(g2),
        })
        .boxed()
}

/// Arbitrary bytes, or a grammar document cut at any byte or with a byte changed.
fn bytes() -> BoxedStrategy<Case> {
    prop_oneof![
        any::<Vec<u8>>(),
        (document(Mode::Wild), any::<prop::sample::Index>()).prop_map(|(c, at)| {
            let mut b = c.bytes;
            let n = at.index(b.len() + 1);
            b.truncate(n);
            b
        }),
        (
            document(Mode::Wild),
            any::<prop::sample::Index>(),
            any::<u8>()
        )
            .prop_map(|(c, at, byte)| {
                let mut b = c.bytes;
                let n = at.index(b.len() + 1);
                b.insert(n, byte);
                b
            }),
    ]
    .prop_map(|bytes| Case { bytes, grade: Wild })
    .boxed()
}

fn any_case() -> BoxedStrategy<Case> {
    prop_oneof![
        35 => document(Mode::Clean),
        30 => document(Mode::Bad),
        25 => document(Mode::Wild),
        10 => bytes(),
    ]
    .boxed()
}

// ---------------------------------------------------------------------------------------------
// Properties

/// `file:line:col` of a byte offset, 1-based, the column in characters, a BOM not counted (an
/// editor does not show it): worked out here rather than by the code under test.
fn place(path: &str, text: &str, offset: usize) -> String {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let bom = if before.starts_with('\u{feff}') { 3 } else { 0 };
    let line_start = before.rfind('\n').map_or(bom, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    format!("{path}:{line}:{col}")
}

/// Check `case` twice and hold it to every property; returns the report.
fn check(probe: &Probe, case: &Case) -> Result<String, TestCaseError> {
    let outcome = probe.check(&case.bytes);
    let report = outcome.diagnostics.render(&outcome.sources);
    let again = probe.check(&case.bytes);
    prop_assert_eq!(
        &report,
        &again.diagnostics.render(&again.sources),
        "the same document gave two reports"
    );
    prop_assert_eq!(outcome.pages, again.pages);
    prop_assert_eq!(outcome.stats, again.stats);
    holds(&outcome, &report, case)?;
    Ok(report)
}

fn holds(outcome: &Outcome, report: &str, case: &Case) -> Result<(), TestCaseError> {
    let slot = format!("content/{SLOT}");
    let mut errors_here = 0;
    for d in outcome.diagnostics.iter() {
        let Some(loc) = &d.location else { continue };
        if outcome.sources.path(loc.file) != slot {
            continue;
        }
        let text = outcome.sources.text(loc.file);
        let at = place(&slot, text, loc.span.start);
        prop_assert!(
            report.contains(&format!("--> {at}\n")),
            "`{}` is not reported at {}:\n{}",
            d.message,
            at,
            report
        );
        if d.severity == Severity::Error {
            errors_here += 1;
        }
    }
    if errors_here > 0 || outcome.diagnostics.has_errors() {
        prop_assert!(!outcome.succeeded());
        prop_assert!(report.contains("error: "), "{}", report);
    }
    if std::str::from_utf8(&case.bytes).is_err() {
        prop_assert!(!outcome.succeeded());
        prop_assert!(report.contains("is not valid UTF-8"), "{}", report);
    }
    match case.grade {
        Clean => prop_assert!(outcome.succeeded(), "a clean document failed:\n{}", report),
        Bad => prop_assert!(
            errors_here > 0,
            "a document with a bad piece has no error of its own:\n{}",
            report
        ),
        Wild => {}
    }
    Ok(())
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        // Shrinking a failure re-runs the pipeline; keep it bounded too.
        max_shrink_iters: 2048,
        ..Config::default()
    })
}

#[test]
#[ignore]
fn show_samples() {
    let mut runner = runner(1);
    for _ in 0..12 {
        let case = any_case().new_tree(&mut runner).unwrap().current();
        println!(
            "=== {:?}\n{}",
            case.grade,
            String::from_utf8_lossy(&case.bytes)
        );
    }
}

#[test]
fn any_document_checks_deterministically_and_reports_its_places() {
    let probe = Probe::new().expect("a probe site");
    let started = std::time::Instant::now();
    let tally = std::sync::Mutex::new(std::collections::BTreeMap::new());
    let result = runner(cases()).run(&any_case(), |case| {
        let report = check(&probe, &case)?;
        *tally
            .lock()
            .unwrap()
            .entry((case.grade, report.contains("error: ")))
            .or_insert(0) += 1;
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    eprintln!(
        "{} documents checked in {:?}; (grade, failed): count = {:?}",
        cases(),
        started.elapsed(),
        tally.lock().unwrap()
    );
}

/// The properties hold for the examples they are built on, so they can fail.
#[test]
fn graded_examples() {
    let probe = Probe::new().expect("a probe site");
    let clean = "---\ntitle: Probe\ndate: 2024-05-01\nsummary: S.\n---\n## Findings\n\n\
                 See [51%](metric:pas-good)[^Note] and [the plan](plan:plan-a).\n\n\
                 [^note]: [The survey](source:pas).\n";
    for (crlf, bom) in [(false, false), (true, false), (false, true), (true, true)] {
        let case = Case {
            bytes: dress(clean, crlf, &[], bom).into_bytes(),
            grade: Clean,
        };
        check(&probe, &case).unwrap();
    }
    let bad = Case {
        bytes: format!("{clean}\n[evil](JavaScript:alert(1))\n").into_bytes(),
        grade: Bad,
    };
    let report = check(&probe, &bad).unwrap();
    assert!(
        report.contains(&format!("--> content/{SLOT}:12:1\n")),
        "{report}"
    );
    let not_utf8 = Case {
        bytes: b"---\ntitle: \xff\n---\n".to_vec(),
        grade: Wild,
    };
    let report = check(&probe, &not_utf8).unwrap();
    assert!(
        report.contains(&format!("--> content/{SLOT}:2:8\n")),
        "{report}"
    );
}

// ---------------------------------------------------------------------------------------------
// Regression examples: each crash or wrong report the harness (or the fuzz target) found.

/// A control character in the front matter: serde_yaml gives a position in the YAML alone and
/// no line, and the report pointed at the first key instead.
#[test]
fn control_character_in_front_matter_is_reported_where_it_is() {
    let probe = Probe::new().expect("a probe site");
    let outcome = probe.check(b"---\ntitle: Probe\na: \x0b\n---\n");
    let report = outcome.diagnostics.render(&outcome.sources);
    assert!(
        report.contains(&format!("--> content/{SLOT}:3:4\n")),
        "{report}"
    );
    assert!(!report.contains("position"), "{report}");
}

/// A file saved with a BOM: editors do not show the BOM, but the report counted it as the
/// first line's first column, so every place on line 1 was one column off.
#[test]
fn columns_on_the_first_line_of_a_bom_file_ignore_the_bom() {
    let probe = Probe::new().expect("a probe site");
    let outcome = probe.check("\u{feff}---\ntitle: Probe\n".as_bytes());
    let report = outcome.diagnostics.render(&outcome.sources);
    assert!(report.contains("front matter is never closed"), "{report}");
    assert!(
        report.contains(&format!("--> content/{SLOT}:1:1\n")),
        "{report}"
    );
}
