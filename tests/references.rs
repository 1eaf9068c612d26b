//! Plans, priorities, sources and checked cross-references: every reference kind resolves to
//! the right page, backlinks run both ways, drafts stay out of them, and every broken
//! reference is reported with its place and a suggestion.

mod common;

use common::*;

fn built() -> tempfile::TempDir {
    build_fixture("references").0
}

#[test]
fn every_reference_kind_resolves_to_its_page() {
    let site = built();
    let report = page(&site, "reports/2024-02-21-report");
    for needle in [
        r#"<a href="/plans/plan-a/">the plan</a>"#,
        r#"<a href="/plans/plan-a/p1/">its first priority</a>"#,
        r#"<a href="https://www.london.gov.uk/pas">the survey</a>"#,
        r#"<a href="/sources/#source-casey">The Casey Review</a>"#,
        r#"<a href="/letters/2025-01-01-letter/#reply">the reply</a>"#,
    ] {
        assert!(report.contains(needle), "missing {needle}");
    }
    // The heading anchor exists on the target page.
    assert!(page(&site, "letters/2025-01-01-letter").contains(r#"<h2 id="reply">Reply</h2>"#));
}

#[test]
fn a_document_shows_what_it_answers_to_and_the_sources_it_cites() {
    let site = built();
    let report = page(&site, "reports/2024-02-21-report");
    let answers = &report[report.find("Answers to").unwrap()..];
    assert!(answers.contains(r#"<li>Plan: <a href="/plans/plan-a/">Plan A</a></li>"#));
    // Its text links priority p1 too: a mention, not an answer.
    assert!(!answers[..answers.find("</section>").unwrap()].contains("Priority:"));
    let sources = &report[report
        .find(r#"<h2 id="ps-sources">Sources</h2>"#)
        .expect("sources section")..];
    let pas = sources.find("Public Attitude Survey").unwrap();
    let casey = sources.find("Baroness Casey Review").unwrap();
    assert!(pas < casey, "sources are listed in order of first citation");
    // Front matter `priorities:` also counts.
    assert!(
        page(&site, "letters/2025-01-01-letter")
            .contains(r#"Priority: <a href="/plans/plan-a/p2/">Build trust</a>"#)
    );
}

#[test]
fn plans_and_priorities_link_back_to_the_documents_that_name_them() {
    let site = built();
    let plan = page(&site, "plans/plan-a");
    assert!(plan.contains(
        "<li id=\"priority-p1\">\n<h3><a href=\"/plans/plan-a/p1/\">Reduce violence</a></h3>\n<p>Fewer people hurt.</p>"
    ), "{plan}");
    let backlinks = &plan[plan.find("Documents that answer to this plan").unwrap()..];
    let letter = backlinks
        .find("The letter")
        .expect("letter names p2 of the plan");
    let report = backlinks.find("The report").expect("report names the plan");
    assert!(letter < report, "newest first");
    assert!(!plan.contains("Draft release"), "drafts are not backlinks");

    let p1 = page(&site, "plans/plan-a/p1");
    assert!(p1.contains("<h1>Reduce violence</h1>"));
    assert!(p1.contains(r#"<dt>Plan</dt><dd><a href="/plans/plan-a/">Plan A</a></dd>"#));
    // The report names p1 only in its text: it is listed as mentioning it.
    let (answering, mentioning) = p1.split_at(p1.find("Also mentioned in").unwrap());
    assert!(!answering.contains("The report"));
    assert!(mentioning.contains(r#"<a href="/reports/2024-02-21-report/">The report</a>"#));
    assert!(!p1.contains("The letter") && !p1.contains("Draft release"));
    assert!(p1.contains("<title>Reduce violence: Plan A – References fixture</title>"));
    let p2 = page(&site, "plans/plan-a/p2");
    assert!(
        p2.contains(r#"<a href="/letters/2025-01-01-letter/">The letter</a>"#)
            && !p2.contains("The report")
    );
}

#[test]
fn drafts_join_backlinks_when_drafts_are_built() {
    let site = scratch_copy(&fixture("references"));
    let out = plainsight(&["build", "--root", site.path().to_str().unwrap(), "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(page(&site, "plans/plan-a/p1").contains("Draft release"));
}

#[test]
fn the_sources_page_lists_every_source_with_the_pages_citing_it() {
    let site = built();
    let sources = page(&site, "sources");
    insta::assert_snapshot!("sources_main", main_of(&sources));
}

#[test]
fn the_timeline_groups_dated_documents_by_year_newest_first() {
    let site = built();
    let timeline = page(&site, "timeline");
    let years: Vec<usize> = ["2025", "2024", "2022"]
        .iter()
        .map(|y| {
            timeline
                .find(&format!("<h2 id=\"year-{y}\">{y}</h2>"))
                .unwrap()
        })
        .collect();
    assert!(years.windows(2).all(|w| w[0] < w[1]), "years newest first");
    assert!(!timeline.contains("Draft release"));
    let home = page(&site, "");
    assert!(home.contains(r#"<h3><a href="/plans/plan-a/">Plan A</a></h3>"#));
    assert!(home.contains(
        "<li><a href=\"/plans/plan-a/p2/\">Build trust</a>\n<p>No measure is linked to this priority yet.</p>\n</li>"
    ));
    assert!(home.contains(r#"<a href="/timeline/">All documents on the timeline</a>"#));
    assert!(home.contains(r#"<li><a href="/sources/">Sources</a></li>"#));
}

#[test]
fn broken_references_are_reported_with_place_and_suggestion() {
    let expected = assert_report("broken-references");
    for needle in [
        "error: unknown plan `plan-aa`\n  --> content/reports/2024-01-01-refs.md:4:9",
        "^^^^^^^ did you mean `plan-a`?",
        "error: unknown priority `plan-a/p3`: plan `plan-a` has no priority `p3`\n  --> content/reports/2024-01-01-refs.md:6:5",
        "error: unknown priority `plan-x/p1`: there is no plan `plan-x`\n  --> content/reports/2024-01-01-refs.md:7:5",
        "error: link to `doc:reports/2024-01-02-other`: there is no document content/reports/2024-01-02-other.md\n  --> content/reports/2024-01-01-refs.md:9:5",
        "did you mean `doc:reports/2024-01-02-others`?",
        "error: link to `plan:plan-b2`: there is no plan `plan-b2`\n  --> content/reports/2024-01-01-refs.md:9:55",
        "error: link to `priority:plan-a/p9`: plan `plan-a` has no priority `p9`\n   --> content/reports/2024-01-01-refs.md:10:1",
        "error: link to `source:pass`: there is no source `pass` in content/sources.yaml\n   --> content/reports/2024-01-01-refs.md:10:35",
        "did you mean `pas`?",
        "error: link to `doc:reports/2024-01-02-others#sumary`: content/reports/2024-01-02-others.md has no heading `#sumary`\n   --> content/reports/2024-01-01-refs.md:11:1",
        "did you mean `#summary`?",
        "error: link to `priority:plan-a`: `plan-a` is not PLAN/PRIORITY",
        "error: priority id `safety` is used twice in this plan\n   --> content/plans/plan-b.md:10:9",
        "|         ------ first used here",
        "error: document id `refs-twin` is also used by content/letters/2024-01-03-twin.md:4:5\n  --> content/reports/2024-01-02-others.md:4:5",
        "|     --------- first used here",
        "warning: source `unused` is never cited\n  --> content/sources.yaml:5:1",
        "error: 2023-02-30 is not a real calendar date\n   --> content/sources.yaml:12:9",
        // With no close name, the help lists the known ones.
        "error: unknown plan `housing-strategy`\n  --> content/reports/2024-01-04-far.md:5:9\n  |\n5 | plans: [housing-strategy]\n  |         ^^^^^^^^^^^^^^^^ known plans: `plan-a`\n",
        "6 | priorities: [plan-a/cleaner-air]\n  |              ^^^^^^^^^^^^^^^^^^ plan `plan-a`'s priorities are: `p1`, `p2`\n",
        "^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ add it to content/sources.yaml, or use a known source: `pas`, `unused`\n",
        "error: link to `plan:housing-strategy`: there is no plan `housing-strategy`\n  --> content/reports/2024-01-04-far.md:8:39",
        "^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ known plans: `plan-a`\n",
        "^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ plan `plan-a`'s priorities are: `p1`, `p2`\n",
        "error: link to `metric:crime-rate`: there is no metric `crime-rate`\n  --> content/reports/2024-01-04-far.md:9:37",
        "^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ known metrics: `people-hurt`\n",
        "^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ check the path; doc: paths start at content/, not at this file's folder; known documents: `doc:letters/2024-01-03-twin`, `doc:plans/plan-a`, `doc:reports/2024-01-01-refs`, `doc:reports/2024-01-02-others`, `doc:reports/2024-01-04-far`\n",
        "\n19 errors, 5 warnings in 7 files\n",
    ] {
        assert!(expected.contains(needle), "expected.txt lacks:\n{needle}");
    }
}

#[test]
fn an_uncited_source_is_a_warning_that_does_not_fail_the_build() {
    let site = scratch_copy(&fixture("references"));
    let sources = site.path().join("content/sources.yaml");
    std::fs::write(
        &sources,
        format!(
            "{}spare:\n  title: Spare\n  publisher: P\n  date: 2020-01-01\n",
            read(&sources)
        ),
    )
    .unwrap();
    let out = plainsight(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with(
            "warning: source `spare` is never cited\n   --> content/sources.yaml:10:1"
        ),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("1 warning in 1 file"));
}

#[test]
fn the_build_report_counts_plans_priorities_sources_and_checked_references() {
    let root = fixture("references");
    let out = plainsight(&["check", "--root", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    // 6 references in the report, 3 in the letter, 1 in the draft's front matter.
    assert!(
        stderr(&out).starts_with(
            "Checked 13 pages (1 plan, 2 priorities, 2 sources, 0 metrics; 10 references and 0 claims checked) in "
        ),
        "{}",
        stderr(&out)
    );
}
