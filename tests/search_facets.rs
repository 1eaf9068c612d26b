//! What each indexed page gives the search index besides its text (issue 21 point 4): its
//! kind and date as Pagefind meta, its kind and plans as filters (each plan once), the parts
//! that only describe the page marked not to index; and the 404 page's search box. None of it
//! on a site without search.

mod common;

use common::*;

/// The fixture "answers-mentions" built into its `public/`, with `search: true` or not.
fn built(search: bool) -> tempfile::TempDir {
    let site = scratch_copy(&fixture("answers-mentions"));
    let yaml = site.path().join("content/site.yaml");
    if search {
        std::fs::write(&yaml, format!("{}search: true\n", read(&yaml))).unwrap();
    }
    let out = plainsight(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    site
}

/// The values `html` gives the filter or meta `name` (`data-pagefind-filter="kind:Report"`).
fn values(html: &str, attribute: &str, name: &str) -> Vec<String> {
    let mark = format!("{attribute}=\"{name}:");
    html.match_indices(&mark)
        .map(|(i, _)| {
            let rest = &html[i + mark.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

#[test]
fn each_page_gives_its_kind_date_and_plans_once_and_hides_its_details_from_the_index() {
    let site = built(true);
    // The report answers to the new plan and to one of its priorities: the plan once.
    let report = page(&site, "reports/2023-01-10-answering-report");
    assert_eq!(
        values(&report, "data-pagefind-filter", "plan"),
        ["New plan"]
    );
    assert_eq!(values(&report, "data-pagefind-filter", "kind"), ["Report"]);
    assert_eq!(values(&report, "data-pagefind-meta", "kind"), ["Report"]);
    assert_eq!(
        values(&report, "data-pagefind-meta", "date"),
        ["10 January 2023"]
    );
    assert_eq!(
        values(&report, "data-pagefind-meta", "date_iso"),
        ["2023-01-10"]
    );
    for part in [
        "<p class=\"doc-kind\" data-pagefind-ignore>",
        "<dl class=\"doc-meta\" data-pagefind-ignore>",
        "<section class=\"answers-to\" data-pagefind-ignore ",
        "<section class=\"doc-mentions\" data-pagefind-ignore ",
    ] {
        assert!(report.contains(part), "{part} in {report}");
    }
    // A plan is filed under itself; its priority under it.
    let plan = page(&site, "plans/new-plan");
    assert_eq!(values(&plan, "data-pagefind-filter", "plan"), ["New plan"]);
    assert_eq!(values(&plan, "data-pagefind-filter", "kind"), ["Plan"]);
    assert!(plan.contains("<section class=\"plan-documents\" data-pagefind-ignore "));
    let priority = page(&site, "plans/new-plan/p1");
    assert_eq!(
        values(&priority, "data-pagefind-filter", "plan"),
        ["New plan"]
    );
    assert_eq!(
        values(&priority, "data-pagefind-filter", "kind"),
        ["Priority"]
    );
    assert!(values(&priority, "data-pagefind-meta", "date").is_empty());
    // The 404 page's search box is a plain form to the search page.
    let not_found = read(site.path().join("public/404.html"));
    assert!(not_found.contains("<form role=\"search\" method=\"get\" action=\"/search/\""));
    assert!(not_found.contains("<label for=\"q\">Search this site</label>"));
    assert!(not_found.contains("<input type=\"search\" id=\"q\" name=\"q\""));
}

#[test]
fn without_search_no_page_carries_search_marks_and_the_404_page_has_no_search_box() {
    let site = built(false);
    for path in [
        "reports/2023-01-10-answering-report",
        "plans/new-plan",
        "plans/new-plan/p1",
    ] {
        let html = page(&site, path);
        assert!(!html.contains("data-pagefind"), "{path}: {html}");
    }
    let not_found = read(site.path().join("public/404.html"));
    assert!(!not_found.contains("<form"), "{not_found}");
}
