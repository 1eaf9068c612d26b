//! A figure lands on its reading: every `metric:` link's href names its metric page and the id
//! of the reading's row there (`/metrics/ID/#PERIOD`), for `metric:ID@PERIOD` and for a bare
//! `metric:ID` (the point it showed), and that row exists and can take focus.

mod common;

use std::path::Path;

use common::*;
use scraper::{Html, Selector};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// The hrefs of the links to metric pages in a page's `<main>`, in order.
fn metric_links(html: &str, base: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    doc.select(&sel("main a[href]"))
        .filter_map(|a| a.value().attr("href"))
        .filter(|h| h.starts_with(&format!("{base}metrics/")) && *h != format!("{base}metrics/"))
        .map(str::to_string)
        .collect()
}

/// The row a figure's href names, checked on its page: the href is `BASE/metrics/ID/#PERIOD`
/// and the page has a `<tr id="PERIOD" tabindex="-1">` whose period is PERIOD. Returns the
/// row's place in the table and the number of rows.
fn landing_row(public: &Path, base: &str, href: &str) -> (usize, usize) {
    let (page, id) = href
        .split_once('#')
        .unwrap_or_else(|| panic!("{href} names no row"));
    let page = page
        .strip_prefix(base)
        .unwrap_or_else(|| panic!("{href} is not under {base}"));
    let html = read(public.join(page).join("index.html"));
    let doc = Html::parse_document(&html);
    let rows: Vec<_> = doc.select(&sel("table tbody tr")).collect();
    let at = rows
        .iter()
        .position(|r| r.value().id() == Some(id))
        .unwrap_or_else(|| panic!("{href}: no row with id {id} on {page}"));
    assert_eq!(rows[at].value().attr("tabindex"), Some("-1"), "{href}");
    let time = rows[at].select(&sel("th time")).next().unwrap();
    assert_eq!(time.value().attr("datetime"), Some(id), "{href}");
    assert_eq!(
        doc.select(&sel(&format!("[id=\"{id}\"]"))).count(),
        1,
        "{href}: the id is unique on its page"
    );
    (at, rows.len())
}

#[test]
fn named_and_bare_figure_links_land_on_their_readings_rows() {
    let (site, _) = build_fixture("rows-links");
    let public = site.path().join("public");
    let base = "/policing/";
    let report = metric_links(&page(&site, "reports/2022-03-24-figures"), base);
    assert_eq!(
        report,
        [
            // A bare link in a document of March 2022: the reading it showed, not the latest.
            "/policing/metrics/good-job/#2021-12",
            "/policing/metrics/good-job/#2017-12",
            "/policing/metrics/burglary/#2021",
            "/policing/metrics/burglary/#2020",
            "/policing/metrics/good-job/#2021-12",
            // The footnote's bare link.
            "/policing/metrics/burglary/#2021",
        ]
    );
    for href in &report {
        landing_row(&public, base, href);
    }
    // The bare link in the report is not the latest row; on an undated page it is.
    assert_eq!(landing_row(&public, base, &report[0]), (1, 3));
    let about = metric_links(&page(&site, "about"), base);
    assert_eq!(about, ["/policing/metrics/good-job/#2022-06"]);
    assert_eq!(landing_row(&public, base, &about[0]), (2, 3));
}

#[test]
fn a_rows_id_clashes_with_no_other_id_on_a_metric_page() {
    let (site, _) = build_fixture("rows-links");
    for metric in ["good-job", "burglary"] {
        let html = page(&site, &format!("metrics/{metric}"));
        let doc = Html::parse_document(&html);
        let ids: Vec<&str> = doc
            .select(&sel("[id]"))
            .filter_map(|e| e.value().id())
            .collect();
        let rows: Vec<&str> = doc
            .select(&sel("tbody tr[id]"))
            .filter_map(|e| e.value().id())
            .collect();
        assert!(!rows.is_empty());
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "{metric}: {ids:?}");
        // Rows' ids are periods (digits and `-`); every other id has a letter.
        let letterless: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| !id.chars().any(|c| c.is_alphabetic()))
            .collect();
        assert_eq!(letterless, rows, "{metric}");
    }
}

/// Every `metric:` destination written in the demo's documents.
fn demo_figure_links(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            let text = read(entry.path());
            // A Welsh translation's links are marked, to be counted apart.
            let mark = if entry.path().to_string_lossy().ends_with(".cy.md") {
                "cy:"
            } else {
                ""
            };
            for part in text.split("](metric:").skip(1) {
                found.push(format!("{mark}{}", &part[..part.find(')').unwrap()]));
            }
        }
    }
    found
}

#[test]
fn every_figure_in_the_demo_lands_on_a_row() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = scratch_copy(root);
    let public = site.path().join("public");
    let b = plainsight(&[
        "build",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        public.to_str().unwrap(),
    ]);
    assert!(b.status.success(), "{}", stderr(&b));
    let written = demo_figure_links(root);
    assert!(
        written.iter().any(|d| !d.contains('@')),
        "a bare metric: link"
    );
    let (mut hrefs, mut welsh) = (Vec::new(), Vec::new());
    for (file, bytes) in tree(&public) {
        let in_welsh = file.starts_with("cy/");
        let page = file.strip_prefix("cy/").unwrap_or(&file);
        if file.ends_with("index.html") && !page.starts_with("metrics/") {
            let html = String::from_utf8(bytes).unwrap();
            let base = if in_welsh { "/cy/" } else { "/" };
            let found = metric_links(&html, base)
                .into_iter()
                .filter(|h| h.contains('#'));
            if in_welsh {
                welsh.extend(found)
            } else {
                hrefs.extend(found)
            }
        }
    }
    // Each written link is published once (pages list cards without a fragment), the English
    // texts' on English pages and the Welsh translations' on Welsh ones, landing on the rows
    // of the Welsh metric pages.
    let in_welsh = written.iter().filter(|w| w.starts_with("cy:")).count();
    assert_eq!(hrefs.len(), written.len() - in_welsh, "{hrefs:?}");
    assert_eq!(welsh.len(), in_welsh, "{welsh:?}");
    assert!(
        welsh.iter().all(|h| h.starts_with("/cy/metrics/")),
        "{welsh:?}"
    );
    for href in &hrefs {
        landing_row(&public, "/", href);
    }
    for href in &welsh {
        landing_row(&public.join("cy"), "/cy/", href);
    }
    for d in written.iter().filter(|d| d.contains('@')) {
        let (id, period) = d.split_once('@').unwrap();
        let (id, href) = match id.strip_prefix("cy:") {
            Some(id) => (id, format!("/cy/metrics/{id}/#{period}")),
            None => (id, format!("/metrics/{id}/#{period}")),
        };
        let published = if href.starts_with("/cy/") {
            &welsh
        } else {
            &hrefs
        };
        assert!(
            published.contains(&href),
            "{id}@{period} is published as {href}"
        );
    }
    // A figure of 2017 quoted in March 2022 lands on its row, not on the latest.
    let old = "/metrics/pas-good-job-locally/#2017-12";
    assert_eq!(landing_row(&public, "/", old), (0, 2));
    // The press release's bare link shows 51%, the reading of December 2021.
    let release =
        read(public.join("press-releases/2022-03-24-police-and-crime-plan-published/index.html"));
    assert!(
        release.contains(r#"<a href="/metrics/pas-good-job-locally/#2021-12">51% figure</a>"#),
        "the bare link lands on the row it showed"
    );
}
