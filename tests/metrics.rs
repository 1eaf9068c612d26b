//! Metrics: pages with data tables, figures in the text resolved to the right period and
//! footnoted with their source, and the claim check refusing a figure the data contradicts.

mod common;

use common::*;

fn built() -> tempfile::TempDir {
    let (site, report) = build_fixture("metrics");
    assert!(
        report.contains("4 metrics; 7 references and 4 claims checked"),
        "{report}"
    );
    site
}

#[test]
fn a_metric_page_has_the_latest_value_the_change_the_data_and_the_source() {
    let site = built();
    insta::assert_snapshot!("metric_main", main_of(&page(&site, "metrics/pas-good")));
}

#[test]
fn figures_link_to_their_metric_and_cite_its_source_once_per_source() {
    let site = built();
    let report = page(&site, "reports/2022-03-24-r");
    // Without @PERIOD: the latest point on or before the document's date (2021-12, not 2022-06).
    assert!(report.contains(r##"<a href="/metrics/pas-good/#2021-12">51 per cent of Londoners</a><sup class="footnote-ref"><a href="#fn-1" id="fnref-1""##), "{report}");
    // Empty link text shows the value itself.
    assert!(report.contains(r##"<a href="/metrics/pas-good/#2017-12">68%</a><sup class="footnote-ref"><a href="#fn-1" id="fnref-1-2""##), "{report}");
    assert!(
        report.contains(
            r##"<a href="/metrics/budget/#2022">£1.2m</a><sup class="footnote-ref"><a href="#fn-2""##
        ),
        "{report}"
    );
    // One note per source, cited by every figure from it.
    assert!(report.contains(r#"<li id="fn-1"><p>Source: <cite><a href="https://www.london.gov.uk/pas">Public Attitude Survey</a></cite>, MOPAC, 1 March 2022."#), "{report}");
    // Inside a note, the source is cited inline rather than in a nested note.
    assert!(
        report.contains(
            r#"The survey figure of <a href="/metrics/pas-good/#2021-12">51%</a> (Source: <cite>"#
        ),
        "{report}"
    );
    // The metric's source joins the page's sources.
    assert!(report[report.find(r#"id="ps-sources""#).unwrap()..].contains("Budget book"));
    // An undated page uses the latest point.
    assert!(page(&site, "about").contains(r#"<a href="/metrics/pas-good/#2022-06">49.6%</a>"#));
}

#[test]
fn priorities_plans_and_the_home_page_lead_to_the_metrics() {
    let site = built();
    let summary = r#"<h3><a href="/metrics/pas-good/">Londoners who think the police do a good job locally</a></h3>
<p><strong class="metric-value">49.6%</strong> in June 2022</p>"#;
    assert!(
        page(&site, "plans/plan-a/trust").contains(summary),
        "{}",
        page(&site, "plans/plan-a/trust")
    );
    // The plan shows each priority with its metrics as cards.
    let plan = page(&site, "plans/plan-a");
    let card = summary.replace("h3>", "h4>");
    assert!(plan.contains(&card), "{plan}");
    assert!(
        plan.contains(r#"<span class="metric-direction metric-worsening"><span aria-hidden="true">↓</span> down 1.4 percentage points from December 2021 to June 2022 (worsening)</span>"#),
        "{plan}"
    );
    assert!(
        plan.contains(r#"<span class="metric-direction metric-improving"><span aria-hidden="true">↓</span> down 9.7% from 2022 to 2023 (improving)</span>"#),
        "a fall is an improvement when lower is better: {plan}"
    );
    assert!(plan.contains(
        r#"<svg class="sparkline" viewBox="0 0 100 28" aria-hidden="true" focusable="false">"#
    ));
    let index = page(&site, "metrics");
    assert!(index.contains(r#"<a href="/metrics/budget/">Violence reduction budget</a>"#));
    assert!(
        index
            .contains("<span aria-hidden=\"true\">↑</span> up 13.6% from 2021 to 2022 (improving)"),
        "{index}"
    );
    // The home page: every plan at a glance, each priority with its metrics' status.
    let home = page(&site, "");
    assert!(home.contains(r#"<a href="/metrics/">The metrics behind these plans</a>"#));
    assert!(
        home.contains(r#"<li><a href="/metrics/knife-injuries/">Knife crime with injury, victims under 25</a>: <strong class="metric-value">1,310</strong> in 2023, <span class="metric-direction metric-improving">"#),
        "{home}"
    );
}

#[test]
fn metric_pages_draw_their_chart_and_offer_their_data() {
    let site = built();
    // Uneven readings with a target: bars, the target dashed and keyed, a noted reading.
    insta::assert_snapshot!("chart_bars", chart_of(&page(&site, "metrics/pas-good")));
    // Evenly spaced years: a line.
    insta::assert_snapshot!(
        "chart_line",
        chart_of(&page(&site, "metrics/knife-injuries"))
    );
    // One reading: no chart of one bar and no headline repeating it, but the number itself,
    // large, under the figure's caption and over its source line.
    let single = page(&site, "metrics/burglary-change");
    assert!(!single.contains("<svg"), "{single}");
    assert!(!single.contains("metric-headline"), "{single}");
    let figure = single
        .split_once("<figure")
        .and_then(|(_, rest)| rest.split_once("</figure>"))
        .map(|(f, _)| f)
        .expect("a figure");
    assert!(
        figure.contains(r#"<p class="metric-big"><strong class="metric-big-value">-6.3%</strong> <span class="metric-big-period">in 2021</span></p>"#),
        "{figure}"
    );
    assert!(figure.contains("<figcaption>"), "{figure}");
    assert!(
        figure.contains(r#"<p class="chart-source">Source: <cite><a href="#),
        "{figure}"
    );

    let metric = page(&site, "metrics/pas-good");
    assert!(metric.contains(r#"Download the figures as <a href="/metrics/pas-good/data.csv" type="text/csv">CSV</a> or <a href="/metrics/pas-good/data.json" type="application/json">JSON</a>."#), "{metric}");
    assert!(!metric.contains(" style="), "no inline styles");
    let out = site.path().join("public/metrics/pas-good");
    assert_eq!(
        read(out.join("data.csv")),
        "period,value,unit,source,note,status\n2017-12,68,percent,pas,,\n2021-12,51,percent,pas,lowest level recorded,\n2022-06,49.6,percent,pas,,\n"
    );
    let json: serde_json::Value = serde_json::from_str(&read(out.join("data.json"))).unwrap();
    assert_eq!(json["id"], "pas-good");
    assert_eq!(json["unit"], "percent");
    assert_eq!(json["page"], "https://example.org/metrics/pas-good/");
    assert_eq!(json["source"]["title"], "Public Attitude Survey");
    assert_eq!(json["series"][1]["note"], "lowest level recorded");
    assert_eq!(json["series"][2]["value"], 49.6);
    assert_eq!(json["series"][2]["source"], "pas");
    assert_eq!(json["sources"][0]["id"], "pas");
    assert!(
        json["target"].get("source").is_none(),
        "a target has no source"
    );
    assert_eq!(json["target"]["period"], "2025-03");
}

/// The chart's SVG in a page.
fn chart_of(html: &str) -> &str {
    let start = html.find("<svg class=\"chart").expect("a chart");
    let end = start + html[start..].find("</svg>").unwrap() + "</svg>".len();
    &html[start..end]
}

#[test]
fn every_metric_error_is_reported_with_its_place() {
    let expected = assert_report("broken-metrics");
    for needle in [
        "error: the text says 52 per cent but good is 51% in December 2021\n  --> content/reports/2022-03-24-claims.md:6:6",
        "|     ------------------------------ the data",
        "error: link to `metric:good`: metric `good` has no value on or before this document's date (2017-06-01)\n  --> content/letters/2017-06-01-early.md:5:16",
        "name the period you mean, e.g. metric:good@2017-12",
        "error: `December 2021` is not a period\n  --> content/metrics/bad-period.yaml:6:15",
        "error: unknown source `pass`: there is no such source in content/sources.yaml\n  --> content/metrics/bad-source.yaml:4:9",
        "error: unknown priority `plan-a/trusst`: plan `plan-a` has no priority `trusst`\n  --> content/metrics/bad-source.yaml:5:14",
        "error: period 2021-12 appears twice in the series\n  --> content/metrics/duplicate-period.yaml:7:5",
        "error: invalid YAML in metric: series[0].value: invalid type: string \"lots\", expected f64\n  --> content/metrics/not-a-number.yaml:6:28",
        "error: period 2020 comes after 2022 but is earlier\n  --> content/metrics/out-of-order.yaml:7:5",
        "error: metric id `good` is also used by content/metrics/good.yaml\n  --> content/metrics/twin.yaml:1:5",
        "error: unknown metric `godo`\n  --> content/reports/2022-03-24-claims.md:4:11",
        "error: link to `metric:goodd`: there is no metric `goodd`",
        "error: link to `metric:good@2019-12`: metric `good` has no value for 2019-12",
        "its periods are: 2017-12, 2021-12",
        "error: link to `metric:good@Dec-2021`: `Dec-2021` is not a period",
        "\n13 errors, 3 warnings in 9 files\n",
    ] {
        assert!(expected.contains(needle), "expected.txt lacks:\n{needle}");
    }
}

#[test]
fn every_page_states_a_metrics_change_in_the_same_words() {
    let site = built();
    // The latest reading against the one before, both periods named, wherever it is said.
    let latest = "down 1.4 percentage points from December 2021 to June 2022";
    let metric = page(&site, "metrics/pas-good");
    assert!(
        metric.contains(&format!("in June 2022, {latest} (worsening).</p>")),
        "{metric}"
    );
    assert!(
        metric.contains(&format!("Latest change: {latest}.")),
        "{metric}"
    );
    for at in ["", "plans/plan-a", "plans/plan-a/trust", "metrics"] {
        let html = page(&site, at);
        assert!(
            html.contains(&format!(
                r#"<span aria-hidden="true">↓</span> {latest} (worsening)</span>"#
            )),
            "/{at}: {html}"
        );
    }
    // The whole series, labelled as such, only where it is not the same pair of readings.
    assert!(
        metric.contains(r#"<p class="metric-whole">Over the whole series, down 18.4 percentage points from December 2017 to June 2022.</p>"#),
        "{metric}"
    );
    assert!(!page(&site, "metrics/budget").contains("metric-whole"));
}
