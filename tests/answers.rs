//! What a link means: front matter `plans:`/`priorities:` answer to a plan, links in the text
//! mention it, and the two are listed apart; plans name the plan they replace.

mod common;

use common::*;

/// The titles of the documents listed in the section headed `id` of `html`.
fn listed(html: &str, id: &str) -> Vec<String> {
    let Some(start) = html.find(&format!("<h2 id=\"{id}\">")) else {
        return Vec::new();
    };
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    section
        .split("<h3><a href=\"")
        .skip(1)
        .map(|item| {
            let title = &item[item.find("\">").unwrap() + 2..];
            title[..title.find("</a>").unwrap()].to_string()
        })
        .collect()
}

#[test]
fn answers_and_mentions_are_listed_apart_on_plan_priority_and_document_pages() {
    let (site, _) = build_fixture("answers-mentions");
    let plan = page(&site, "plans/new-plan");
    // The letter answers to the draft plan, before its date: letters may.
    assert_eq!(
        listed(&plan, "ps-plan-documents"),
        ["Answering report", "Letter on the draft"]
    );
    // Links in the text only: the early release, and a page. The report both answers and
    // links: it is listed once, as answering.
    assert_eq!(
        listed(&plan, "ps-plan-mentions"),
        ["Early release", "About"]
    );
    assert!(plan.contains("<h2 id=\"ps-plan-mentions\">Also mentioned in</h2>"));

    let p1 = page(&site, "plans/new-plan/p1");
    assert_eq!(listed(&p1, "ps-priority-documents"), ["Answering report"]);
    assert_eq!(listed(&p1, "ps-priority-mentions"), ["Early release"]);
    assert!(
        p1.contains("<h2 id=\"ps-priority-documents\">Documents that answer to this priority</h2>")
    );
    // The report answers to the plan, but only links its second priority.
    let p2 = page(&site, "plans/new-plan/p2");
    assert!(listed(&p2, "ps-priority-documents").is_empty());
    assert!(p2.contains("No published document answers to this priority yet."));
    assert_eq!(listed(&p2, "ps-priority-mentions"), ["Answering report"]);

    let report = page(&site, "reports/2023-01-10-answering-report");
    assert_eq!(listed(&report, "ps-doc-mentions"), ["About"]);
    assert!(report.contains("<h2 id=\"ps-doc-mentions\">Mentioned in</h2>"));
    let answers = &report[report.find("ps-answers-to").unwrap()..];
    let answers = &answers[..answers.find("</section>").unwrap()];
    assert!(answers.contains("Priority: <a href=\"/plans/new-plan/p1/\">First priority</a>"));
    assert!(!answers.contains("Second priority"), "{answers}");
    // Nothing mentions the early release.
    let early = page(&site, "press-releases/2022-01-01-early-release");
    assert!(!early.contains("ps-doc-mentions") && !early.contains("Answers to"));
}

#[test]
fn a_replaced_plan_names_the_plans_that_replace_it_and_they_name_it() {
    let (site, _) = build_fixture("answers-mentions");
    let old = page(&site, "plans/old-plan");
    assert!(old.contains(
        "<p class=\"plan-succession\" role=\"note\">Replaced by <a href=\"/plans/other-plan/\">Other plan</a> (<time datetime=\"2023-01-01\">1 January 2023</time>) and <a href=\"/plans/new-plan/\">New plan</a> (<time datetime=\"2022-06-01\">1 June 2022</time>).</p>"
    ), "{old}");
    // Near the top: before the summary and the priorities.
    assert!(old.find("Replaced by").unwrap() < old.find("doc-summary").unwrap());
    for new in ["plans/new-plan", "plans/other-plan"] {
        assert!(page(&site, new).contains(
            "<p class=\"plan-succession\" role=\"note\">Replaces <a href=\"/plans/old-plan/\">Old plan</a>.</p>"
        ));
    }
    assert!(!page(&site, "plans/new-plan").contains("Replaced by"));
    // `priorities: []`: the site does not track them, and says so.
    assert!(
        page(&site, "plans/other-plan")
            .contains("This site does not track this plan's priorities.")
    );
}

#[test]
fn broken_answers_are_reported_with_place_and_advice() {
    let expected = assert_report("broken-answers");
    for needle in [
        "error: a page cannot declare `plans`: it has no date, so it answers to nothing\n  --> content/about.md:3:1",
        "error: a page cannot declare `priorities`: it has no date, so it answers to nothing\n  --> content/guide.md:3:1",
        "warning: this press release is dated 2022-01-01, before the plan `plan-a` it answers to (2023-06-01)\n  --> content/press-releases/early-release.md:5:9",
        "error: unknown plan `plan-aa`\n  --> content/plans/plan-typo.md:6:13",
        "did you mean `plan-a`?",
        "error: `early-release` is a press-release, not a plan: only a plan can be superseded",
        "error: plan `plan-self` cannot supersede itself",
    ] {
        assert!(expected.contains(needle), "expected.txt lacks:\n{needle}");
    }
    // The letter is as early, and may be; a cycle is reported once.
    assert!(!expected.contains("early-letter"));
    assert_eq!(expected.matches("in a cycle").count(), 1);
}
