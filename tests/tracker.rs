//! The site-wide tracker of commitments (`/commitments/`), on tests/fixtures/tracker (two
//! plans, eight commitments across the standings, six documents reporting nine times, one
//! metric with a target): its groups by standing then plan, its "as of" line, the data
//! attributes its filter reads, the navigation link; its CSV and JSON, one row a commitment;
//! and its Atom feed of progress reports, newest first, with what RFC 4287 requires.

mod common;

use common::atom::*;
use common::*;
use scraper::{Html, Selector};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: scraper::ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn built() -> tempfile::TempDir {
    let (site, report) = build_fixture("tracker");
    assert!(!report.contains("warning"), "{report}");
    site
}

#[test]
fn the_tracker_groups_commitments_by_standing_then_by_plan_as_of_the_reference_date() {
    let site = built();
    let html = Html::parse_document(&page(&site, "commitments"));
    let h1: Vec<String> = html.select(&sel("main h1")).map(text).collect();
    assert_eq!(h1, ["Commitments"]);
    let lead: Vec<String> = html.select(&sel("main p.lead")).map(|e| e.html()).collect();
    assert_eq!(
        lead,
        [r#"<p class="lead">As of <time datetime="2025-04-02">2 April 2025</time></p>"#]
    );
    // Standing::ALL's order, only the standings that have commitments (none is "not started"
    // at the reference date: its one report was overtaken), each with its count.
    let groups: Vec<String> = html.select(&sel("main h2")).map(text).collect();
    assert_eq!(
        groups,
        [
            "Delivered (1)",
            "On track (2)",
            "At risk (1)",
            "Delayed (1)",
            "Overdue (1)",
            "Dropped (1)",
            "No report yet (1)",
        ]
    );
    // Within a standing, the newest plan first, each plan's heading linked to it.
    let on_track = html
        .select(&sel(r#"section.tracker-group[data-status="on-track"]"#))
        .next()
        .expect("an on-track group");
    let plans: Vec<(String, String)> = on_track
        .select(&sel("h3 a"))
        .map(|a| (text(a), a.value().attr("href").unwrap().to_string()))
        .collect();
    assert_eq!(
        plans,
        [
            ("Plan B".to_string(), "/plans/plan-b/".to_string()),
            ("Plan A".to_string(), "/plans/plan-a/".to_string())
        ]
    );
    // Every commitment once, in its group, linked to its page, with owner, due and status.
    let items: Vec<(String, String, String)> = html
        .select(&sel("li.tracker-item"))
        .map(|li| {
            let a = li.select(&sel("a")).next().unwrap();
            let meta = li.select(&sel("p.tracker-meta")).next().unwrap();
            (
                text(a),
                a.value().attr("href").unwrap().to_string(),
                text(meta),
            )
        })
        .collect();
    let expected = [
        (
            "Overhaul community monitoring",
            "/plans/plan-a/commitments/monitoring/",
            "Owner: MOPAC. Due March 2023. Delivered",
        ),
        (
            "Give every officer a body-worn camera",
            "/plans/plan-b/commitments/cameras/",
            "Owner: Met. Due September 2025. On track",
        ),
        (
            "Open a youth panel in every borough",
            "/plans/plan-a/commitments/panels/",
            "Owner: Met. Due March 2026. On track",
        ),
        (
            "Refresh the violence strategy",
            "/plans/plan-a/commitments/refresh/",
            "Owner: MOPAC. Due December 2025. At risk",
        ),
        (
            "Answer 999 calls within ten seconds",
            "/plans/plan-b/commitments/lines/",
            "Owner: Met. Due June 2026. Delayed",
        ),
        (
            "Raise trust in the police to 60%",
            "/plans/plan-a/commitments/survey/",
            "Owner: MOPAC. Due March 2024. Overdue",
        ),
        (
            "Reopen three front counters",
            "/plans/plan-b/commitments/stations/",
            "Owner: Met. Due 2026. Dropped",
        ),
        (
            "Publish every use of Taser",
            "/plans/plan-a/commitments/tasers/",
            "Due 2027. No report yet",
        ),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(items, expected);
    let due: Vec<&str> = html
        .select(&sel("li.tracker-item time"))
        .map(|t| t.value().attr("datetime").unwrap())
        .collect();
    assert_eq!(
        due,
        [
            "2023-03", "2025-09", "2026-03", "2025-12", "2026-06", "2024-03", "2026", "2027"
        ]
    );
}

#[test]
fn each_commitment_carries_what_the_filter_reads_and_the_page_loads_it_deferred() {
    let site = built();
    let html = Html::parse_document(&page(&site, "commitments"));
    let attrs: Vec<(String, String, String)> = html
        .select(&sel("li.tracker-item"))
        .map(|li| {
            let v = li.value();
            let get = |name: &str| v.attr(name).expect(name).to_string();
            (get("data-plan"), get("data-status"), get("data-owner"))
        })
        .collect();
    let expected = [
        ("plan-a", "delivered", "MOPAC"),
        ("plan-b", "on-track", "Met"),
        ("plan-a", "on-track", "Met"),
        ("plan-a", "at-risk", "MOPAC"),
        ("plan-b", "delayed", "Met"),
        ("plan-a", "overdue", "MOPAC"),
        ("plan-b", "dropped", "Met"),
        ("plan-a", "no-report", ""),
    ];
    let expected: Vec<(String, String, String)> = expected
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect();
    assert_eq!(attrs, expected);
    // Each item's status is its group's.
    for group in html.select(&sel("section.tracker-group")) {
        let status = group.value().attr("data-status").unwrap();
        for li in group.select(&sel("li.tracker-item")) {
            assert_eq!(li.value().attr("data-status"), Some(status));
        }
    }
    let tracker = html.select(&sel("#tracker")).next().unwrap();
    assert_eq!(tracker.value().attr("data-total"), Some("8"));
    // The live region is there, empty, for the script to fill; no form until the script runs.
    let status: Vec<String> = html
        .select(&sel(r#"#tracker-status[role="status"]"#))
        .map(text)
        .collect();
    assert_eq!(status, [""]);
    assert_eq!(html.select(&sel("main form")).count(), 0);
    let scripts: Vec<(Option<&str>, Option<&str>)> = html
        .select(&sel("script"))
        .map(|s| (s.value().attr("src"), s.value().attr("defer")))
        .collect();
    assert_eq!(scripts, [(Some("/static/tracker.js"), Some(""))]);
    assert!(site.path().join("public/static/tracker.js").is_file());
    // Only the tracker loads it.
    assert!(!page(&site, "").contains("tracker.js"));
    // The feed and the data files, linked, and the feed announced in the head.
    let links: Vec<(String, String)> = html
        .select(&sel("ul.tracker-files a"))
        .map(|a| (text(a), a.value().attr("href").unwrap().to_string()))
        .collect();
    assert_eq!(
        links,
        [
            (
                "Follow progress reports with a feed reader (Atom feed)".to_string(),
                "/commitments/feed.xml".to_string()
            ),
            ("CSV".to_string(), "/commitments/data.csv".to_string()),
            ("JSON".to_string(), "/commitments/data.json".to_string()),
        ]
    );
    assert!(page(&site, "commitments").contains(
        r#"<link rel="alternate" type="application/atom+xml" href="/commitments/feed.xml" title="Tracker fixture: progress on commitments">"#
    ));
}

#[test]
fn the_navigation_links_the_tracker_only_when_there_is_one() {
    let site = built();
    // (label, href, aria-current) of each link of the main navigation.
    let nav = |html: &str| -> Vec<(String, String, Option<String>)> {
        Html::parse_document(html)
            .select(&sel("nav.site-nav a"))
            .map(|a| {
                let v = a.value();
                (
                    text(a),
                    v.attr("href").unwrap().to_string(),
                    v.attr("aria-current").map(str::to_string),
                )
            })
            .collect()
    };
    let link = |current: Option<&str>| {
        (
            "Commitments".to_string(),
            "/commitments/".to_string(),
            current.map(str::to_string),
        )
    };
    let home = nav(&page(&site, ""));
    assert!(home.contains(&link(None)), "{home:?}");
    // After the metrics, the figures it reports against.
    let labels: Vec<&str> = home.iter().map(|(l, _, _)| l.as_str()).collect();
    let at = labels.iter().position(|&l| l == "Commitments").unwrap();
    assert_eq!(labels[at - 1], "Metrics", "{labels:?}");
    let tracker = nav(&page(&site, "commitments"));
    assert!(tracker.contains(&link(Some("page"))), "{tracker:?}");
    let sitemap = read(site.path().join("public/sitemap.xml"));
    assert!(sitemap.contains("<loc>https://example.org/commitments/</loc>"));

    // A site whose plans make no commitment has no tracker, feed, data files or link.
    let (plain, _) = build_fixture("fresh");
    let public = plain.path().join("public");
    assert!(!public.join("commitments").exists());
    assert!(
        !nav(&page(&plain, ""))
            .iter()
            .any(|(l, h, _)| l == "Commitments" || h.contains("commitments"))
    );
    assert!(!read(public.join("sitemap.xml")).contains("commitments"));
}

/// `/commitments/` is kept for the tracker even before the first commitment, so that a
/// document published there does not break the site the day a plan makes one.
#[test]
fn the_trackers_address_is_reserved_before_the_first_commitment() {
    let site = scratch_copy(&fixture("fresh"));
    std::fs::write(
        site.path().join("content/commitments.md"),
        "---\ntitle: Our commitments\nsummary: s.\n---\nOurs.\n",
    )
    .unwrap();
    let out = plainsight(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "error: two files would be written to /commitments/: this document and the tracker of commitments"
        ),
        "{}",
        stderr(&out)
    );
}

const HEADER: [&str; 13] = [
    "plan",
    "priority",
    "commitment",
    "text",
    "owner",
    "due",
    "status",
    "overdue",
    "last_report_date",
    "last_report_url",
    "metric",
    "target_value",
    "target_verdict",
];

#[test]
fn the_csv_has_one_row_a_commitment_with_its_status_at_the_reference_date() {
    let site = built();
    let text = read(site.path().join("public/commitments/data.csv"));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, HEADER);
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let row = |s: &str| -> Vec<String> { s.split('|').map(str::to_string).collect() };
    let r = "https://example.org/reports/";
    assert_eq!(
        rows,
        [
            // Plan by plan (the newest first), in the order each plan writes them.
            row(&format!(
                "plan-b|reform|lines|Answer 999 calls within ten seconds|Met|2026-06|delayed|false|2024-06-01|{r}2024-06-01-review/|||"
            )),
            row(&format!(
                "plan-b|reform|cameras|Give every officer a body-worn camera|Met|2025-09|on-track|false|2024-06-01|{r}2024-06-01-review/|||"
            )),
            row(&format!(
                "plan-b|reform|stations|Reopen three front counters|Met|2026|dropped|false|2024-06-01|{r}2024-06-01-letter/|||"
            )),
            row(&format!(
                "plan-a|trust|monitoring|Overhaul community monitoring|MOPAC|2023-03|delivered|false|2023-04-15|{r}2023-04-15-update/|||"
            )),
            row(&format!(
                "plan-a|trust|panels|Open a youth panel in every borough|Met|2026-03|on-track|false|2025-01-20|{r}2025-01-20-progress/|||"
            )),
            // Past due and neither delivered nor dropped: overdue, whatever its report said;
            // its target of 60% by March 2024 not met (55% then).
            row(&format!(
                "plan-a|trust|survey|Raise trust in the police to 60%|MOPAC|2024-03|overdue|true|2023-04-15|{r}2023-04-15-update/|trust|60|not-met"
            )),
            row("plan-a|trust|tasers|Publish every use of Taser||2027|no-report|false|||||"),
            row(&format!(
                "plan-a|violence|refresh|Refresh the violence strategy|MOPAC|2025-12|at-risk|false|2024-06-01|{r}2024-06-01-review/|||"
            )),
        ]
    );
}

#[test]
fn the_json_has_the_same_rows_as_of_the_reference_date() {
    let site = built();
    let text = read(site.path().join("public/commitments/data.json"));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["as_of"], "2025-04-02");
    let rows = json["commitments"].as_array().unwrap();
    assert_eq!(rows.len(), 8);
    for r in rows {
        let keys: Vec<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        let mut wanted: Vec<&str> = HEADER.to_vec();
        wanted.push("page");
        wanted.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, wanted);
    }
    let survey = rows.iter().find(|r| r["commitment"] == "survey").unwrap();
    assert_eq!(
        *survey,
        serde_json::json!({
            "plan": "plan-a",
            "priority": "trust",
            "commitment": "survey",
            "text": "Raise trust in the police to 60%",
            "owner": "MOPAC",
            "due": "2024-03",
            "status": "overdue",
            "overdue": true,
            "last_report_date": "2023-04-15",
            "last_report_url": "https://example.org/reports/2023-04-15-update/",
            "metric": "trust",
            "target_value": 60.0,
            "target_verdict": "not-met",
            "page": "https://example.org/plans/plan-a/commitments/survey/",
        })
    );
    let tasers = rows.iter().find(|r| r["commitment"] == "tasers").unwrap();
    for field in [
        "owner",
        "last_report_date",
        "last_report_url",
        "metric",
        "target_value",
        "target_verdict",
    ] {
        assert!(tasers[field].is_null(), "{field}: {}", tasers[field]);
    }
    assert_eq!(tasers["status"], "no-report");
    assert_eq!(tasers["overdue"], false);
    // The same rows, in the same order, as the CSV.
    let csv = read(site.path().join("public/commitments/data.csv"));
    let ids: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap())
        .collect();
    let json_ids: Vec<&str> = rows
        .iter()
        .map(|r| r["commitment"].as_str().unwrap())
        .collect();
    assert_eq!(ids, json_ids);
}

/// The checks tests/discovery.rs makes of every feed of the demo (RFC 4287's required
/// elements, the self and alternate links, entries newest first and the feed's `updated` the
/// newest entry's), and those of this feed: unique ids, no two entries updated at the same
/// instant, titles "COMMITMENT: STATUS" linked to the commitment's page, and content naming
/// and linking the reporting document.
#[test]
fn the_feed_lists_every_report_newest_first_as_rfc_4287_requires() {
    let site = built();
    let public = site.path().join("public");
    let path = "commitments/feed.xml";
    let xml = read(public.join(path));
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));
    let id = one_text(feed, "id", path);
    assert_eq!(id, "https://example.org/commitments/feed.xml");
    assert_eq!(
        one_text(feed, "title", path),
        "Tracker fixture: progress on commitments"
    );
    let updated = timestamp(&one_text(feed, "updated", path), path);
    let author = child(feed, "author");
    assert_eq!(author.len(), 1);
    one_text(author[0], "name", path);
    let links = child(feed, "link");
    let href = |rel: &str| {
        links
            .iter()
            .find(|l| l.attribute("rel") == Some(rel))
            .and_then(|l| l.attribute("href"))
            .unwrap_or_else(|| panic!("no rel={rel} link"))
    };
    assert_eq!(href("self"), id);
    assert_eq!(href("alternate"), "https://example.org/commitments/");

    let entries = child(feed, "entry");
    let mut seen = std::collections::BTreeSet::new();
    let mut times = std::collections::BTreeSet::new();
    let mut previous = None;
    let mut got = Vec::new();
    for (n, entry) in entries.iter().enumerate() {
        let what = format!("{path} entry {}", n + 1);
        let entry_id = one_text(*entry, "id", &what);
        absolute(&entry_id, &what);
        assert!(seen.insert(entry_id.clone()), "{what}: id {entry_id} twice");
        let title = one_text(*entry, "title", &what);
        let when = timestamp(&one_text(*entry, "updated", &what), &what);
        assert!(times.insert(when), "{what}: updated {when} twice");
        if let Some(p) = previous {
            assert!(when < p, "{what} is not older than the one before");
        }
        previous = Some(when);
        let author = child(*entry, "author");
        assert_eq!(author.len(), 1, "{what}");
        one_text(author[0], "name", &what);
        let summary = one_text(*entry, "summary", &what);
        let link = child(*entry, "link")
            .into_iter()
            .find(|l| l.attribute("rel") == Some("alternate"))
            .unwrap_or_else(|| panic!("{what}: no alternate link"));
        let page = link.attribute("href").unwrap().to_string();
        absolute(&page, &what);
        // The id is the commitment's page with the reporting document as its fragment.
        let (id_page, fragment) = entry_id.split_once('#').unwrap();
        assert_eq!(id_page, page, "{what}");
        let content = child(*entry, "content");
        assert_eq!(content.len(), 1, "{what}");
        assert_eq!(content[0].attribute("type"), Some("html"), "{what}");
        let content = content[0].text().unwrap().to_string();
        got.push((
            title,
            when.to_rfc3339(),
            page,
            fragment.to_string(),
            summary,
            content,
        ));
    }
    assert_eq!(
        Some(&updated),
        times.last(),
        "updated is the newest entry's"
    );
    let titles: Vec<(&str, &str, &str)> = got
        .iter()
        .map(|(t, w, p, _, _, _)| {
            (
                t.as_str(),
                w.as_str(),
                p.strip_prefix("https://example.org/plans/").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        titles,
        [
            (
                "Open a youth panel in every borough: On track",
                "2025-01-20T00:00:00+00:00",
                "plan-a/commitments/panels/"
            ),
            // Three documents of 1 June 2024: a second apart, the first listed the latest;
            // the letter before the review by title, the review's reports in its order.
            (
                "Reopen three front counters: Dropped",
                "2024-06-01T00:00:03+00:00",
                "plan-b/commitments/stations/"
            ),
            (
                "Answer 999 calls within ten seconds: Delayed",
                "2024-06-01T00:00:02+00:00",
                "plan-b/commitments/lines/"
            ),
            (
                "Refresh the violence strategy: At risk",
                "2024-06-01T00:00:01+00:00",
                "plan-a/commitments/refresh/"
            ),
            (
                "Give every officer a body-worn camera: On track",
                "2024-06-01T00:00:00+00:00",
                "plan-b/commitments/cameras/"
            ),
            (
                "Overhaul community monitoring: Delivered",
                "2023-04-15T00:00:02+00:00",
                "plan-a/commitments/monitoring/"
            ),
            (
                "Open a youth panel in every borough: On track",
                "2023-04-15T00:00:01+00:00",
                "plan-a/commitments/panels/"
            ),
            (
                "Raise trust in the police to 60%: On track",
                "2023-04-15T00:00:00+00:00",
                "plan-a/commitments/survey/"
            ),
            (
                "Answer 999 calls within ten seconds: Not started",
                "2023-02-01T00:00:00+00:00",
                "plan-b/commitments/lines/"
            ),
        ]
    );
    assert_eq!(got[1].3, "report-2024-06-01-letter");
    // The note and the reporting document, linked, as HTML; the same in words as summary.
    assert_eq!(
        got[1].5,
        r#"<p>The money went to neighbourhood teams &lt;instead&gt; &amp; more.</p><p>Reported in <a href="https://example.org/reports/2024-06-01-letter/">Letter on front counters</a>.</p>"#
    );
    assert_eq!(
        got[1].4,
        "The money went to neighbourhood teams <instead> & more. Reported in Letter on front counters."
    );
    // A report without a note says only where it was made; its author is the document's,
    // else the site's.
    assert_eq!(
        got[3].5,
        r#"<p>Reported in <a href="https://example.org/reports/2024-06-01-review/">Review of reform</a>.</p>"#
    );
    let authors: Vec<String> = entries
        .iter()
        .map(|e| one_text(child(*e, "author")[0], "name", "author"))
        .collect();
    assert_eq!(authors[1], "The Commissioner");
    assert_eq!(authors[0], "Tracker fixture");
    // Each report's status as its category.
    let terms: Vec<&str> = entries
        .iter()
        .map(|e| child(*e, "category")[0].attribute("term").unwrap())
        .collect();
    assert_eq!(
        terms,
        [
            "on-track",
            "dropped",
            "delayed",
            "at-risk",
            "on-track",
            "delivered",
            "on-track",
            "on-track",
            "not-started"
        ]
    );
}
