//! Checks that used to pass silently: every number in a figure's link text (not only the
//! first), its unit, and digits of every script; footnotes defined twice, never reached from
//! the text, or cited from the text and from another note; and one broken file reported once,
//! not once more at every reference to it.

mod common;

use common::*;

const REPORT: &str = "content/reports/2024-01-01-a.md";
const SOURCES: &str = "pas:\n  title: PAS\n  publisher: MOPAC\n  date: 2022-03-01\n";
const PERCENT: &str = "title: Share\nunit: percent\nbetter: higher\nsource: pas\nseries:\n  - {period: 2020, value: 99}\n  - {period: 2021, value: 51}\n";
const COUNT: &str = "title: Officers\nunit: count\nbetter: higher\nsource: pas\nseries:\n  - {period: 2021, value: 51}\n";
const POUNDS: &str = "title: Budget\nunit: gbp\nbetter: higher\nsource: pas\nseries:\n  - {period: 2021, value: 1200000}\n";

fn report(body: &str) -> String {
    format!("---\ntitle: A\ndate: 2024-01-01\nsummary: S.\n---\n{body}")
}

/// A site with the three metrics and one report whose body is `body`.
fn site_saying(body: &str) -> tempfile::TempDir {
    site_with(&[
        ("content/sources.yaml", SOURCES),
        ("content/metrics/share.yaml", PERCENT),
        ("content/metrics/officers.yaml", COUNT),
        ("content/metrics/budget.yaml", POUNDS),
        (REPORT, &report(body)),
    ])
}

fn check(site: &tempfile::TempDir) -> (Option<i32>, String) {
    let out = plainsight(&["check", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    (out.status.code(), err)
}

/// `check` fails with `message` at `place` and `help` under it, and reports exactly `count`.
fn assert_errors(site: &tempfile::TempDir, wanted: &[(&str, &str, &str)], count: &str) {
    let (code, err) = check(site);
    assert_eq!(code, Some(1), "{err}");
    for (message, place, help) in wanted {
        // The arrow is indented by the width of the line numbers shown.
        let at = format!("error: {message}\n");
        let found = err.split(&at).skip(1).any(|after| {
            after.lines().next().map(str::trim_start) == Some(&format!("--> {place}"))
        });
        assert!(found, "wanted:\n{at}  --> {place}\ngot:\n{err}");
        assert!(err.contains(help), "wanted help {help:?}\ngot:\n{err}");
    }
    assert!(
        err.ends_with(&format!("{count}\nCheck failed.\n")),
        "wanted {count:?}, got:\n{err}"
    );
}

fn assert_clean(site: &tempfile::TempDir) -> String {
    let (code, err) = check(site);
    assert_eq!(code, Some(0), "{err}");
    err
}

#[test]
fn every_number_in_a_claim_must_be_the_value_or_a_period_the_link_names() {
    // The value, its year, and numbers in the metric's own name are accounted for.
    let fine = site_saying(
        "[51% (2021)](metric:share@2021), [51 per cent in 2021](metric:share@2021), \
         [51](metric:officers@2021), [£1.2m](metric:budget@2021), [1.2 million](metric:budget@2021), \
         [99%](metric:share@2020), [the latest figure](metric:share).\n",
    );
    let said = assert_clean(&fine);
    assert!(said.contains("6 claims checked"), "{said}");

    let site = site_saying(
        "[51% (down from 99%)](metric:share@2021).\n\n[51% in 2019](metric:share@2021).\n\n[52% in 2019](metric:share@2021).\n",
    );
    assert_errors(
        &site,
        &[
            (
                "the text also says 99%, which is neither share's value (51% in 2021) nor a period the link names",
                "content/reports/2024-01-01-a.md:6:1",
                "link each other figure to its own point (metric:ID@PERIOD), or move it out of the link text",
            ),
            (
                "the text also says 2019, which is neither share's value (51% in 2021) nor a period the link names",
                "content/reports/2024-01-01-a.md:8:1",
                "",
            ),
            (
                "the text says 52% and 2019 but share is 51% in 2021",
                "content/reports/2024-01-01-a.md:10:1",
                "correct the figure, or name the period it describes with @PERIOD",
            ),
        ],
        "3 errors in 1 file",
    );
}

#[test]
fn a_unit_in_the_text_must_be_the_metrics_unit() {
    let site = site_saying(
        "[£51](metric:share@2021)\n\n[51%](metric:officers@2021)\n\n[$1.2m](metric:budget@2021)\n\n[£51%](metric:share@2021)\n",
    );
    assert_errors(
        &site,
        &[
            (
                "the text says £51 but share is a percentage: 51% in 2021",
                "content/reports/2024-01-01-a.md:6:1",
                "write the figure in the metric's unit, as 51%",
            ),
            (
                "the text says 51% but officers is a count: 51 in 2021",
                "content/reports/2024-01-01-a.md:8:1",
                "write the figure in the metric's unit, as 51",
            ),
            (
                "the text says $1.2m but budget is in pounds: £1.2m in 2021",
                "content/reports/2024-01-01-a.md:10:1",
                "as £1.2m",
            ),
            (
                "the text says £51% but share is a percentage: 51% in 2021",
                "content/reports/2024-01-01-a.md:12:1",
                "as 51%",
            ),
        ],
        "4 errors in 1 file",
    );
}

#[test]
fn digits_of_every_script_are_checked_and_other_numerals_refused() {
    // Fullwidth, Arabic-Indic with the Arabic percent sign, Devanagari: read as digits.
    assert_clean(&site_saying(
        "[５１％](metric:share@2021), [٥١٪](metric:share@2021), [५१%](metric:share@2021).\n",
    ));
    let site = site_saying(
        "[５２％](metric:share@2021)\n\n[51% (down from ٩٩٪)](metric:share@2021)\n\n[51²%](metric:share@2021)\n\n[½](metric:share@2021)\n",
    );
    assert_errors(
        &site,
        &[
            (
                "the text says ５２％ but share is 51% in 2021",
                "content/reports/2024-01-01-a.md:6:1",
                "correct the figure",
            ),
            (
                "the text also says ٩٩٪, which is neither share's value (51% in 2021) nor a period the link names",
                "content/reports/2024-01-01-a.md:8:1",
                "",
            ),
            (
                "the text writes a number with `²` (U+00B2), which cannot be checked against share",
                "content/reports/2024-01-01-a.md:10:1",
                "write the figure with digits, as 51%",
            ),
            (
                "the text writes a number with `½` (U+00BD), which cannot be checked against share",
                "content/reports/2024-01-01-a.md:12:1",
                "",
            ),
        ],
        "4 errors in 1 file",
    );
}

#[test]
fn the_demo_sites_claims_still_pass() {
    let demo = scratch_copy(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    let said = assert_clean(&demo);
    assert!(said.contains("21 claims checked"), "{said}");
}

const NOTES_REPORT: &str = "content/reports/2024-01-01-notes.md";

fn notes_site(body: &str) -> tempfile::TempDir {
    site_with(&[(NOTES_REPORT, &report(body))])
}

#[test]
fn a_footnote_defined_twice_is_an_error_at_the_repeat_showing_the_first() {
    let site = notes_site("Text[^a].\n\n[^a]: First.\n\n[^A]: Second.\n");
    assert_errors(
        &site,
        &[(
            "footnote [^A] is defined twice",
            "content/reports/2024-01-01-notes.md:10:1",
            "merge the two notes into the first, or give this one its own label and cite it with [^A-2]",
        )],
        "1 error in 1 file",
    );
    let (_, err) = check(&site);
    assert!(
        err.contains(" 8 | [^a]: First.\n   | ---- first defined here"),
        "{err}"
    );
}

#[test]
fn a_note_never_reached_from_the_text_is_an_error() {
    let site = notes_site("Text.\n\n[^a]: See [^a].\n\n[^b]: See [^c].\n\n[^c]: See [^b].\n");
    assert_errors(
        &site,
        &[
            (
                "footnote [^a] is never reached from the text: it is cited only by itself",
                "content/reports/2024-01-01-notes.md:8:1",
                "cite it in the text with [^a] (or cite a note that cites it), or delete the definition",
            ),
            (
                "footnote [^b] is never reached from the text: it is cited only by [^c]",
                "content/reports/2024-01-01-notes.md:10:1",
                "",
            ),
            (
                "footnote [^c] is never reached from the text: it is cited only by [^b]",
                "content/reports/2024-01-01-notes.md:12:1",
                "",
            ),
        ],
        "3 errors in 1 file",
    );
}

#[test]
fn a_note_cited_from_the_text_and_from_another_note_has_a_back_link_to_each() {
    let site = notes_site(
        "First[^a] and second[^b].\n\n[^a]: Note A.\n\n[^b]: Note B, which cites [^a] and [^b].\n",
    );
    let out = plainsight(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = page(&site, "reports/2024-01-01-notes");
    let ids: Vec<&str> = html
        .split("id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|id| id.starts_with("fnref-"))
        .collect();
    assert_eq!(
        ids,
        ["fnref-1", "fnref-2", "fnref-1-2", "fnref-2-2"],
        "{html}"
    );
    let backs: Vec<&str> = html
        .split("class=\"footnote-back\"")
        .map(|s| {
            s.rsplit("href=\"#")
                .next()
                .unwrap()
                .split('"')
                .next()
                .unwrap()
        })
        .collect();
    // Each back link returns to its own reference, and every reference has one.
    let mut returns: Vec<&str> = backs[..backs.len() - 1].to_vec();
    returns.sort_unstable();
    let mut refs = ids.clone();
    refs.sort_unstable();
    assert_eq!(returns, refs, "{html}");
}

const PLAN: &str = "content/plans/plan-a.md";
const PLAN_TEXT: &str = "---\ntitle: Plan A\ndate: 2022-03-24\nsummary: S.\nowner: Mayor\nperiod: {start: 2022-04-01, end: 2025-03-31}\npriorities:\n  - id: Reduce violence\n    title: V\n    summary: S.\n  - id: trust\n    title: T\n    summary: S.\n---\nText.\n";

/// Reports that name the plan and its priorities in front matter and in links, and a metric
/// attached to one of its priorities.
fn referring(n: usize) -> Vec<(String, String)> {
    (1..=n)
        .map(|i| {
            (
                format!("content/reports/2024-01-0{i}-r.md"),
                format!(
                    "---\ntitle: R{i}\ndate: 2024-01-0{i}\nsummary: S.\nplans: [plan-a]\npriorities: [plan-a/trust]\nmetrics: [share]\n---\n\
                     See [the plan](plan:plan-a), [trust](priority:plan-a/trust), [the notes](doc:reports/2024-01-09-notes), \
                     [the source](source:pas) and [51%](metric:share@2021).\n"
                ),
            )
        })
        .collect()
}

fn site_of(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let refs = referring(3);
    let mut files: Vec<(&str, &str)> = refs.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let defaults = [
        (PLAN, PLAN_TEXT.replace("Reduce violence", "violence")),
        ("content/sources.yaml", SOURCES.to_string()),
        (
            "content/metrics/share.yaml",
            format!("{PERCENT}priorities: [plan-a/trust]\n"),
        ),
        (
            "content/reports/2024-01-09-notes.md",
            "---\ntitle: Notes\ndate: 2024-01-09\nsummary: S.\n---\nText.\n".to_string(),
        ),
    ];
    for (path, text) in &defaults {
        if !extra.iter().any(|(p, _)| p == path) {
            files.push((path, text));
        }
    }
    files.extend_from_slice(extra);
    site_with(&files)
}

#[test]
fn one_broken_file_is_reported_once_not_at_every_reference_to_it() {
    // The control: everything resolves.
    assert_clean(&site_of(&[]));
    // A plan whose priority id is not an id: the plan fails to load; the reports' plan and
    // priority references and the metric's priority are echoes of that one error.
    assert_errors(
        &site_of(&[(PLAN, PLAN_TEXT)]),
        &[(
            "priority id `Reduce violence` has characters that are unsafe in a URL",
            "content/plans/plan-a.md:8:9",
            "use letters, digits, - and _ only",
        )],
        "1 error in 1 file",
    );
    // A document whose `priorities:` has a typo: links to it are echoes.
    assert_errors(
        &site_of(&[(
            "content/reports/2024-01-09-notes.md",
            "---\ntitle: Notes\ndate: 2024-01-09\nsummary: S.\npriorities: [typo]\n---\nText.\n",
        )]),
        &[(
            "`typo` is not a priority reference",
            "content/reports/2024-01-09-notes.md:5:14",
            "write priorities as plan-id/priority-id",
        )],
        "1 error in 1 file",
    );
    // A metric file with an error: links and front matter naming it are echoes.
    assert_errors(
        &site_of(&[(
            "content/metrics/share.yaml",
            &PERCENT.replace("unit: percent", "unit: percentt"),
        )]),
        &[(
            "invalid YAML in metric: unit: unknown variant `percentt`, expected one of `percent`, `count`, `ratio`, `gbp`",
            "content/metrics/share.yaml:2:7",
            "",
        )],
        "1 error in 1 file",
    );
    // sources.yaml that cannot be read: source links and the metric's source are echoes.
    assert_errors(
        &site_of(&[("content/sources.yaml", "pas:\n  titel: PAS\n")]),
        &[(
            "unknown sources.yaml field `titel`",
            "content/sources.yaml:2:3",
            "did you mean `title`?",
        )],
        "1 error in 1 file",
    );
}

#[test]
fn a_reference_to_a_name_that_never_existed_is_still_an_error_with_a_suggestion() {
    let (code, err) = check(&site_of(&[(
        "content/reports/2024-01-05-typo.md",
        "---\ntitle: T\ndate: 2024-01-05\nsummary: S.\n---\n[p](plan:plan-b), [m](metric:shar), [d](doc:reports/2024-01-09-note).\n",
    )]));
    assert_eq!(code, Some(1), "{err}");
    for wanted in [
        "error: link to `plan:plan-b`: there is no plan `plan-b`\n  --> content/reports/2024-01-05-typo.md:6:1",
        "error: link to `metric:shar`: there is no metric `shar`\n  --> content/reports/2024-01-05-typo.md:6:19",
        "did you mean `share`?",
        "error: link to `doc:reports/2024-01-09-note`: there is no document content/reports/2024-01-09-note",
    ] {
        assert!(err.contains(wanted), "wanted:\n{wanted}\ngot:\n{err}");
    }
    // Even when a file of the same kind is broken, an unknown name is reported.
    let (code, err) = check(&site_of(&[
        (PLAN, PLAN_TEXT),
        (
            "content/reports/2024-01-05-typo.md",
            "---\ntitle: T\ndate: 2024-01-05\nsummary: S.\n---\n[p](plan:plan-b).\n",
        ),
    ]));
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("there is no plan `plan-b`"), "{err}");
    assert!(
        err.ends_with("2 errors in 2 files\nCheck failed.\n"),
        "{err}"
    );
}
