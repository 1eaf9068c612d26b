//! Freshness and corrections (issue 20, points 5 and 6): the fixture `fresh` builds a
//! corrections page, "Updated" and "Corrections" on document pages, Atom `<updated>` and
//! sitemap `lastmod` that follow revisions, "Last updated" and "Next update due" on metric
//! pages, "Not updated since" on a stale metric and "Figures as of" on the home page, against
//! a reference date worked out from the content or stated by `as_of:`. `broken-fresh` reports
//! every mistake in these fields word for word.

mod common;

use common::*;

#[test]
fn the_corrections_page_lists_every_correction_newest_first_and_the_footer_links_it() {
    let (site, _) = build_fixture("fresh");
    let html = page(&site, "corrections");
    let main = main_of(&html);
    let letter = main
        .find("Letter on victims")
        .expect("the letter's correction");
    let update = main.find("Trust update").expect("the report's correction");
    assert!(letter < update, "newest first:\n{main}");
    assert!(main.contains(r#"Corrected <time datetime="2024-04-10">10 April 2024</time>"#));
    assert!(main.contains("<p>The survey period was given as 2022; it is 2023.</p>"));
    assert!(main.contains(r#"<a href="/reports/2024-02-21-update/">Trust update</a>"#));
    assert!(!main.contains("draft"), "drafts are not published: {main}");
    let home = page(&site, "");
    assert!(home.contains(r#"<li><a href="/corrections/">Corrections</a></li>"#));
    let sitemap = read(site.path().join("public/sitemap.xml"));
    assert!(sitemap.contains(
        "<url><loc>https://example.org/corrections/</loc><lastmod>2024-04-10</lastmod></url>"
    ));
}

#[test]
fn a_document_shows_when_it_was_updated_and_its_corrections() {
    let (site, _) = build_fixture("fresh");
    let html = page(&site, "reports/2024-02-21-update");
    assert!(html.contains(
        r#"<div><dt>Updated</dt><dd><time datetime="2024-03-01">1 March 2024</time></dd></div>"#
    ));
    assert!(html.contains(r#"<h2 id="ps-corrections">Corrections</h2>"#));
    assert!(html.contains(
        r#"<li><time datetime="2024-02-25">25 February 2024</time>: The survey period was given as 2022; it is 2023.</li>"#
    ));
    // The plan has neither.
    let plan = page(&site, "plans/plan-a");
    assert!(!plan.contains("<dt>Updated</dt>") && !plan.contains("ps-corrections"));
}

#[test]
fn feed_entries_and_the_sitemap_follow_the_latest_revision() {
    let (site, _) = build_fixture("fresh");
    let feed = read(site.path().join("public/feed.xml"));
    // The report: updated 1 March, corrected 25 February: the later wins.
    let report = &feed[feed.find("Trust update").unwrap()..];
    assert!(report.contains("<updated>2024-03-01T00:00:00+00:00</updated>"));
    assert!(report.contains("<published>2024-02-21T00:00:00+00:00</published>"));
    // The feed itself is as new as its newest change: the letter's correction.
    let head = &feed[..feed.find("<entry").unwrap()];
    assert!(
        head.contains("<updated>2024-04-10T00:00:00+00:00</updated>"),
        "{head}"
    );
    let sitemap = read(site.path().join("public/sitemap.xml"));
    assert!(sitemap.contains(
        "<loc>https://example.org/reports/2024-02-21-update/</loc><lastmod>2024-03-01</lastmod>"
    ));
    assert!(sitemap.contains(
        "<loc>https://example.org/reports/2024-01-10-letter/</loc><lastmod>2024-04-10</lastmod>"
    ));
    assert!(
        sitemap
            .contains("<loc>https://example.org/plans/plan-a/</loc><lastmod>2022-03-24</lastmod>")
    );
}

#[test]
fn metric_pages_say_when_they_were_updated_and_when_the_next_update_is_due() {
    let (site, _) = build_fixture("fresh");
    let trust = page(&site, "metrics/trust");
    assert!(trust.contains(
        r#"<div><dt>Last updated</dt><dd><time datetime="2024-02-01">1 February 2024</time></dd></div>"#
    ));
    assert!(trust.contains("<div><dt>Next update due</dt><dd>August 2024</dd></div>"));
    assert!(!trust.contains("Not updated since"));
    let victims = page(&site, "metrics/victims");
    assert!(victims.contains("<div><dt>Next update due</dt><dd>15 September 2024</dd></div>"));
    assert!(!victims.contains("Last updated"));
    // The data file says the same, as written.
    let json = |id: &str| -> serde_json::Value {
        let file = site
            .path()
            .join("public/metrics")
            .join(id)
            .join("data.json");
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
    };
    assert_eq!(json("trust")["updated"], "2024-02-01");
    assert_eq!(json("trust")["next_update"], "2024-08");
    assert_eq!(json("victims")["updated"], serde_json::Value::Null);
    assert_eq!(json("victims")["next_update"], "2024-09-15");
}

#[test]
fn a_metric_older_than_stale_after_months_is_marked_on_its_page_its_cards_and_the_home_page() {
    let (site, _) = build_fixture("fresh");
    // The reference date is the letter's correction, 10 April 2024 (not the draft's date,
    // the plan's end, the target or next_update, all later); 2019 ended more than 18 months
    // before it, December 2023 did not.
    let mark = "Not updated since December 2019";
    let victims = page(&site, "metrics/victims");
    assert!(victims.contains(&format!(r#"<p class="stale-mark">{mark}</p>"#)));
    let metrics = page(&site, "metrics");
    assert_eq!(metrics.matches(mark).count(), 1, "one card of two");
    let priority = page(&site, "plans/plan-a/trust");
    assert_eq!(priority.matches(mark).count(), 1);
    let home = page(&site, "");
    assert!(home.contains(&format!(r#". <span class="stale-mark">{mark}</span></li>"#)));
    assert_eq!(home.matches("stale-mark").count(), 1);
    assert!(home.contains(
        r#"<p class="figures-as-of">Figures as of <time datetime="2024-04-10">10 April 2024</time>.</p>"#
    ));
}

/// The fixture with site.yaml's last lines replaced by `extra`.
fn built_with(extra: &str) -> tempfile::TempDir {
    let site = scratch_copy(&fixture("fresh"));
    let path = site.path().join("content/site.yaml");
    let yaml = read(&path) + extra;
    std::fs::write(&path, yaml).unwrap();
    let out = plainsight(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    site
}

#[test]
fn as_of_overrides_the_reference_date() {
    // 30 June 2021 is 18 months after 2019 ended: not yet stale.
    let site = built_with("as_of: 2021-06-30\n");
    let home = page(&site, "");
    assert!(home.contains(r#"Figures as of <time datetime="2021-06-30">30 June 2021</time>."#));
    assert!(!home.contains("Not updated since"));
    assert!(!page(&site, "metrics/victims").contains("Not updated since"));
    // A day later it is.
    let site = built_with("as_of: 2021-07-01\n");
    assert!(page(&site, "metrics/victims").contains("Not updated since December 2019"));
}

#[test]
fn stale_after_months_sets_how_old_a_reading_may_be() {
    let site = built_with("stale_after_months: 52\n");
    assert!(!page(&site, "").contains("Not updated since"));
    let site = built_with("stale_after_months: 3\n");
    // December 2023 ended more than 3 months before 10 April 2024 too.
    let metrics = page(&site, "metrics");
    assert_eq!(metrics.matches("Not updated since").count(), 2, "{metrics}");
    assert!(page(&site, "metrics/trust").contains("Not updated since February 2024"));
}

#[test]
fn a_site_without_corrections_has_no_corrections_page_and_no_footer_link() {
    let (site, _) = build_fixture("metrics");
    assert!(!site.path().join("public/corrections").exists());
    assert!(!page(&site, "").contains("/corrections/"));
    assert!(!read(site.path().join("public/sitemap.xml")).contains("corrections"));
}

#[test]
fn mistakes_in_freshness_and_corrections_are_reported_at_their_lines() {
    assert_report("broken-fresh");
}

/// `/corrections/` is kept for the corrections page even before the first correction, so that
/// a document published there does not break the site the day a correction is added.
#[test]
fn the_corrections_address_is_reserved_before_the_first_correction() {
    let site = scratch_copy(&fixture("metrics"));
    std::fs::write(
        site.path().join("content/corrections.md"),
        "---\ntitle: Corrections\nsummary: s.\n---\nOurs.\n",
    )
    .unwrap();
    let out = plainsight(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "error: two files would be written to /corrections/: this document and the corrections page"
        ),
        "{}",
        stderr(&out)
    );
}
