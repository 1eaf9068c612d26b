//! Long documents (issue 21 point 2): the "On this page" contents list of a body with three or
//! more `##` sections, and the self-link after every `##` and `###` heading, on the toc fixture.

mod common;

use std::collections::HashMap;

use common::{assert_report, build_fixture, page, plainsight, site_with, stderr};

/// Every `id="..."` on a page, with how many times each occurs.
fn ids(html: &str) -> HashMap<&str, usize> {
    let mut out = HashMap::new();
    for part in html.split(" id=\"").skip(1) {
        let id = &part[..part.find('"').expect("a closing quote")];
        *out.entry(id).or_insert(0) += 1;
    }
    out
}

/// The `href`s of a contents list, in order.
fn contents_hrefs(html: &str) -> Vec<&str> {
    let start = html
        .find("<nav class=\"contents\"")
        .expect("a contents list");
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    nav.split("href=\"")
        .skip(1)
        .map(|p| &p[..p.find('"').unwrap()])
        .collect()
}

#[test]
fn a_long_report_lists_its_sections_under_its_title_and_links_each_heading() {
    let (site, _) = build_fixture("toc");
    let html = page(&site, "reports/2024-02-21-long");
    let nav = html
        .find("<nav class=\"contents\" aria-labelledby=\"ps-contents-label\"")
        .unwrap();
    assert!(
        html.find("</header>").unwrap() < nav,
        "after the title and summary"
    );
    assert!(
        nav < html.find("<div class=\"doc-body\">").unwrap(),
        "before the body"
    );
    assert!(html.contains("<h2 id=\"ps-contents-label\">On this page</h2>"));
    assert_eq!(
        contents_hrefs(&html),
        [
            "#background",
            "#key-details",
            "#section-main",
            "#findings",
            "#key-details-2",
            "#what-happens-next-soon"
        ]
    );
    // ### entries are nested in their ## entry's item.
    assert!(
        html.contains("<li><a href=\"#background\">Background</a>\n<ol>\n<li><a href=\"#key-details\">Key details</a></li>\n</ol>\n</li>"),
        "{html}"
    );
    // The heading called "Main" does not take the main landmark's id; no id occurs twice.
    let ids = ids(&html);
    assert_eq!(ids.get("main"), Some(&1));
    let twice: Vec<_> = ids.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "{twice:?}");
    // Every entry leads to a heading on the page, and every ## and ### in the body links to
    // itself: 4 + 2; the #### does not, nor the notes' heading.
    for href in contents_hrefs(&html) {
        assert_eq!(ids.get(&href[1..]), Some(&1), "{href}");
        assert!(
            html.contains(&format!("<a class=\"heading-link\" href=\"{href}\"")),
            "{href}"
        );
    }
    assert_eq!(html.matches("class=\"heading-link\"").count(), 6);
    assert!(html.contains("<h4 id=\"a-detail-too-deep-to-list\">A detail too deep to list</h4>\n"));
    assert!(html.contains(
        "<span class=\"visually-hidden\">Link to this section: What happens next soon</span>"
    ));
}

#[test]
fn two_sections_get_self_links_but_no_contents_list() {
    let (site, _) = build_fixture("toc");
    let html = page(&site, "press-releases/2024-03-01-short");
    assert!(!html.contains("class=\"contents\""), "{html}");
    assert!(!html.contains("On this page"));
    assert_eq!(html.matches("class=\"heading-link\"").count(), 2);
    // Its links to the report's repeated and renamed headings passed the build's check.
    assert!(
        html.contains("href=\"/reports/2024-02-21-long/#key-details-2\""),
        "{html}"
    );
    assert!(html.contains("href=\"/reports/2024-02-21-long/#section-main\""));
}

#[test]
fn a_plan_lists_its_priorities_then_its_body() {
    let (site, _) = build_fixture("toc");
    let html = page(&site, "plans/a-plan");
    assert_eq!(
        contents_hrefs(&html),
        ["#ps-plan-priorities", "#aims", "#approach", "#review"]
    );
    assert!(html.contains("<li><a href=\"#ps-plan-priorities\">Priorities</a></li>"));
    assert!(html.contains("<h2 id=\"ps-plan-priorities\">Priorities</h2>"));
}

#[test]
fn a_link_to_an_id_the_page_itself_uses_is_refused() {
    let site = site_with(&[
        ("content/a.md", "---\ntitle: A\n---\n## Main\n\nText.\n"),
        ("content/b.md", "---\ntitle: B\n---\nSee [a](a.md#main).\n"),
    ]);
    let out = plainsight(&["check", "--root", site.path().to_str().unwrap()]);
    assert!(!out.status.success());
    let report = stderr(&out);
    // `#main` would land on the page's main landmark, not the section: the section is
    // `#section-main`.
    assert!(
        report.contains("content/a.md has no heading `#main`"),
        "{report}"
    );
}

#[test]
fn an_explicit_id_the_page_uses_is_renamed_with_a_warning_and_links_to_it_fail() {
    let report = assert_report("toc-page-ids");
    assert!(report.contains("warning: heading id `main` is one the page itself uses"));
    assert!(report.contains("1 error, 1 warning in 2 files"));
}
