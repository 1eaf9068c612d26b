//! Commitments' pages (issue 22): the fixture `commitments` has a plan with two priorities and
//! five commitments (a target met, a target not met, one overdue, one delivered, one with no
//! report yet), three dated updates that report progress, one metric, and `as_of: 2025-04-02`.
//! Each commitment's page says where it stands and why; the plan's list, the plan page and the
//! priority pages carry the scorecard; the updates show "Progress reported".

mod common;

use common::*;

/// The text of a page's `<main>`, with every status icon taken out, so assertions read the
/// words a reader reads.
fn main_text(site: &tempfile::TempDir, path: &str) -> String {
    let html = page(site, path);
    let mut main = main_of(&html).to_string();
    while let Some(start) = main.find("<svg class=\"status-icon\"") {
        let end = main[start..].find("</svg>").expect("an icon closes") + start + "</svg>".len();
        main.replace_range(start..end, "");
    }
    main
}

/// `<span class="status-badge status-SLUG"><span class="status-word">LABEL</span></span>`,
/// icon taken out.
fn badge(slug: &str, label: &str) -> String {
    format!(
        r#"<span class="status-badge status-{slug}"><span class="status-word">{label}</span></span>"#
    )
}

const PLAN: &str = "plans/safer-streets";

#[test]
fn an_overdue_commitment_says_so_with_its_latest_report_and_history() {
    let (site, report) = build_fixture("commitments");
    assert!(!report.contains("warning"), "{report}");
    let main = main_text(&site, &format!("{PLAN}/commitments/street-lights"));
    assert!(
        main.contains("<h1>Fix every broken street light</h1>"),
        "{main}"
    );
    assert!(main.contains(&format!(
        r#"<p class="commitment-status">{} <span class="commitment-as-of">as of <time datetime="2025-04-02">2 April 2025</time></span></p>"#,
        badge("overdue", "Overdue")
    )), "{main}");
    assert!(main.contains(
        r#"<strong>Overdue:</strong> due <time datetime="2023-06">June 2023</time> and not reported delivered or dropped; the latest report says at risk.</p>"#
    ), "{main}");
    assert!(main.contains(r#"<div><dt>Priority</dt><dd><a href="/plans/safer-streets/safety/">Safer streets</a></dd></div>"#));
    assert!(main.contains("<div><dt>Owner</dt><dd>Council</dd></div>"));
    assert!(
        main.contains(
            r#"<div><dt>Due</dt><dd><time datetime="2023-06">June 2023</time></dd></div>"#
        )
    );
    assert!(main.contains(&format!(
        r#"<p class="report-head"><time datetime="2023-05-10">10 May 2023</time>: {}</p>
<p>Parts for the lights are late.</p>
<p class="report-source">Reported in <a href="/reports/2023-05-10-spring-update/">Spring update</a></p>"#,
        badge("at-risk", "At risk")
    )), "{main}");
    // Breadcrumbs: Home > Plans > the plan > Commitments > this one.
    let html = page(&site, &format!("{PLAN}/commitments/street-lights"));
    let crumbs = &html[html.find("class=\"breadcrumbs\"").unwrap()..html.find("<main").unwrap()];
    let expected = [
        r#"<li><a href="/">Home</a></li>"#,
        r#"<li><a href="/plans/">Plans</a></li>"#,
        r#"<li><a href="/plans/safer-streets/">Safer Streets Plan</a></li>"#,
        r#"<li><a href="/plans/safer-streets/commitments/">Commitments</a></li>"#,
        r#"<li aria-current="page"><span>Fix every broken street light</span></li>"#,
    ];
    let mut at = 0;
    for crumb in expected {
        at += crumbs[at..]
            .find(crumb)
            .unwrap_or_else(|| panic!("{crumb} in order: {crumbs}"));
    }
}

#[test]
fn a_target_is_judged_by_the_reading_at_its_date() {
    let (site, _) = build_fixture("commitments");
    let met = main_text(&site, &format!("{PLAN}/commitments/trust-target"));
    assert!(
        met.contains(
            r#"<p>Measured by <a href="/metrics/trust/">People who trust the police</a>.</p>"#
        ),
        "{met}"
    );
    assert!(met.contains(
        r#"<p class="commitment-target">Target: 60% by March 2024. <strong class="verdict verdict-met">Met: 62% in March 2024.</strong></p>"#
    ), "{met}");
    assert!(met.contains(&badge("delivered", "Delivered")));
    // History, newest first: delivered in June 2024, on track in May 2023, each linked.
    let delivered = met
        .find(r#"<time datetime="2024-06-01">1 June 2024</time>"#)
        .unwrap();
    let on_track = met
        .find(r#"<time datetime="2023-05-10">10 May 2023</time>"#)
        .unwrap();
    assert!(delivered < on_track, "{met}");
    assert!(
        met[delivered..on_track]
            .contains(r#"<a href="/reports/2024-06-01-summer-update/">Summer update</a>"#)
    );
    assert!(met[on_track..].contains("<p>Trust is rising.</p>"));
    assert!(met[on_track..].contains(&badge("on-track", "On track")));

    let not_met = main_text(&site, &format!("{PLAN}/commitments/confidence-target"));
    assert!(not_met.contains(
        r#"Target: 80% by March 2024. <strong class="verdict verdict-not-met">Not met: 62% in March 2024.</strong>"#
    ), "{not_met}");
    assert!(not_met.contains(&badge("delayed", "Delayed")));
    assert!(
        !not_met.contains("<strong>Overdue:</strong>"),
        "due March 2026: {not_met}"
    );
}

#[test]
fn a_commitment_with_no_report_says_so() {
    let (site, _) = build_fixture("commitments");
    let main = main_text(&site, &format!("{PLAN}/commitments/patrols"));
    assert!(
        main.contains(&badge("no-report", "No report yet")),
        "{main}"
    );
    assert!(main.contains("<p>No progress has been reported on this commitment yet.</p>"));
    assert!(!main.contains("<dt>Due</dt>") && !main.contains("<dt>Owner</dt>"));
}

#[test]
fn the_plans_list_groups_its_commitments_by_priority_with_their_status() {
    let (site, _) = build_fixture("commitments");
    let main = main_text(&site, &format!("{PLAN}/commitments"));
    assert!(
        main.contains("<h1>Commitments of Safer Streets Plan</h1>"),
        "{main}"
    );
    let trust = main
        .find(r#"<a href="/plans/safer-streets/trust/">Build trust</a></h2>"#)
        .unwrap();
    let safety = main
        .find(r#"<a href="/plans/safer-streets/safety/">Safer streets</a></h2>"#)
        .unwrap();
    assert!(trust < safety);
    let (first, second) = (&main[trust..safety], &main[safety..]);
    assert!(first.contains(&format!(
        r#"<li><a href="/plans/safer-streets/commitments/confidence-target/">Raise trust in the police to 80%</a> {}
<span class="commitment-meta">MOPAC; due <time datetime="2026-03">March 2026</time></span></li>"#,
        badge("delayed", "Delayed")
    )), "{first}");
    assert!(second.contains(&format!(
        r#"<li><a href="/plans/safer-streets/commitments/patrols/">Double foot patrols in town centres</a> {}</li>"#,
        badge("no-report", "No report yet")
    )), "{second}");
    assert!(second.contains("Fix every broken street light") && !first.contains("street light"));
    // It is in the sitemap, and so is each commitment's page.
    let sitemap = read(site.path().join("public/sitemap.xml"));
    assert!(sitemap.contains("<loc>https://example.org/plans/safer-streets/commitments/</loc>"));
    assert!(
        sitemap.contains("<loc>https://example.org/plans/safer-streets/commitments/patrols/</loc>")
    );
}

/// The scorecard's counts, row by row, from its table: (label, count).
fn scorecard_rows(main: &str) -> Vec<(String, usize)> {
    let table = &main[main
        .find("<table class=\"scorecard-table\">")
        .expect("a scorecard")..];
    let body = &table[table.find("<tbody>").unwrap()..table.find("</tbody>").unwrap()];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            let word = row.split("<span class=\"status-word\">").nth(1).unwrap();
            let label = word[..word.find('<').unwrap()].to_string();
            let count = row.split("<td class=\"align-right\">").nth(1).unwrap();
            (label, count[..count.find('<').unwrap()].parse().unwrap())
        })
        .collect()
}

#[test]
fn the_scorecard_counts_every_standing_in_a_table_and_in_words() {
    let (site, _) = build_fixture("commitments");
    let plan = main_text(&site, PLAN);
    let rows = scorecard_rows(&plan);
    let expected = [
        ("Delivered", 2),
        ("On track", 0),
        ("At risk", 0),
        ("Delayed", 1),
        ("Overdue", 1),
        ("Not started", 0),
        ("Dropped", 0),
        ("No report yet", 1),
    ];
    let expected: Vec<(String, usize)> =
        expected.iter().map(|(l, n)| (l.to_string(), *n)).collect();
    assert_eq!(rows, expected);
    assert!(plan.contains(r#"<tr><th scope="row">Total</th><td class="align-right">5</td></tr>"#));
    assert!(plan.contains(
        r#"<caption id="ps-scorecard-caption">Commitments by status, as of 2 April 2025</caption>"#
    ));
    assert!(plan.contains(
        r#"<desc id="ps-scorecard-desc">5 commitments as of 2 April 2025: 2 delivered, 1 delayed, 1 overdue and 1 with no report yet.</desc>"#
    ), "{plan}");
    // One image, and a segment for each count that is not zero.
    assert_eq!(plan.matches("role=\"img\"").count(), 1);
    let bar = &plan[plan.find("<svg class=\"scorecard-bar\"").unwrap()..];
    let bar = &bar[..bar.find("</svg>").unwrap()];
    assert_eq!(
        bar.matches("<rect class=\"scorecard-segment").count(),
        4,
        "{bar}"
    );
    // Each priority lists its commitments, linked, with their status.
    assert!(plan.contains(&format!(
        r#"<a href="/plans/safer-streets/commitments/street-lights/">Fix every broken street light</a> {}"#,
        badge("overdue", "Overdue")
    )));
    assert!(plan.contains(
        r#"<a href="/plans/safer-streets/commitments/">Every commitment, by priority</a>"#
    ));
    // The plan's list has the same scorecard; a priority's page has its own.
    assert_eq!(
        scorecard_rows(&main_text(&site, &format!("{PLAN}/commitments"))),
        rows
    );
    let safety = main_text(&site, &format!("{PLAN}/safety"));
    assert!(safety.contains(
        "<desc id=\"ps-scorecard-desc\">3 commitments as of 2 April 2025: 1 delivered, 1 overdue and 1 with no report yet.</desc>"
    ), "{safety}");
    assert!(safety.contains(
        r#"<a href="/plans/safer-streets/commitments/youth-centres/">Open four youth centres</a>"#
    ));
    assert!(
        !safety.contains("Raise trust"),
        "only its own commitments: {safety}"
    );
}

#[test]
fn a_document_shows_the_progress_it_reports() {
    let (site, _) = build_fixture("commitments");
    let main = main_text(&site, "reports/2023-05-10-spring-update");
    let section = &main[main
        .find("<h2 id=\"ps-progress-reported\">Progress reported</h2>")
        .expect("the section")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert!(section.contains(&format!(
        r#"<li><a href="/plans/safer-streets/commitments/street-lights/">Fix every broken street light</a> (Safer Streets Plan): {}
<p>Parts for the lights are late.</p></li>"#,
        badge("at-risk", "At risk")
    )), "{section}");
    assert!(section.contains(&format!(
        r#"<li><a href="/plans/safer-streets/commitments/youth-centres/">Open four youth centres</a> (Safer Streets Plan): {}</li>"#,
        badge("on-track", "On track")
    )), "{section}");
    assert_eq!(section.matches("<li>").count(), 3);
    // Reporting progress makes the document answer to the plan.
    assert!(
        main.contains(r#"<li>Plan: <a href="/plans/safer-streets/">Safer Streets Plan</a></li>"#)
    );
    // A document without `progress:` has no such section.
    assert!(!main_text(&site, PLAN).contains("Progress reported"));
}

#[test]
fn every_status_badge_has_its_own_shape_hidden_from_assistive_technology() {
    let (site, _) = build_fixture("commitments");
    let html = page(&site, PLAN);
    let table = &html[html.find("<table class=\"scorecard-table\">").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let icons: Vec<&str> = table
        .split("<svg class=\"status-icon\" viewBox=\"0 0 16 16\" aria-hidden=\"true\" focusable=\"false\">")
        .skip(1)
        .map(|s| &s[..s.find("</svg>").unwrap()])
        .collect();
    assert_eq!(icons.len(), 8, "{table}");
    let shapes: std::collections::HashSet<&str> = icons.iter().copied().collect();
    assert_eq!(shapes.len(), 8, "each standing its own shape: {icons:?}");
}

#[test]
fn the_home_page_sums_up_each_plan_s_commitments_with_the_scorecard_s_words() {
    let (site, _) = build_fixture("commitments");
    let home = page(&site, "");
    assert!(
        home.contains(r#"<p class="plan-commitments"><a href="/plans/safer-streets/commitments/">5 commitments</a> as of 2 April 2025: 2 delivered, 1 delayed, 1 overdue and 1 with no report yet.</p>"#),
        "{home}"
    );
    // The same sentence the plan's scorecard gives a screen reader.
    let plan = page(&site, PLAN);
    assert!(plan.contains(
        "5 commitments as of 2 April 2025: 2 delivered, 1 delayed, 1 overdue and 1 with no report yet."
    ));
}
