//! Every source can be found: where a source is cited and on the sources page, a reader learns
//! where to read it (its link, an archived copy, when the link was checked) or that it is not
//! online; readings name their own sources, which the metric page, the data files and the
//! sources page follow.

mod common;

use common::*;

fn built() -> tempfile::TempDir {
    let (site, report) = build_fixture("sources-findable");
    assert!(
        report.contains("3 sources, 2 metrics; 5 references and 3 claims checked"),
        "{report}"
    );
    site
}

#[test]
fn a_source_without_a_url_says_so_where_it_is_cited() {
    let site = built();
    let review = page(&site, "reports/2023-07-01-review");
    // The document's source list: the title still names the link (to the sources page entry).
    assert!(review.contains(r#"<li><cite><a href="/sources/#source-annual-report">Annual report 2023</a></cite>, Police Authority, <time datetime="2023-06-30">30 June 2023</time>. Not available online: ask the publisher.</li>"#), "{review}");
    // A figure's footnote cites the source of the reading it states, not the metric's.
    assert!(review.contains(r#"<p>Source: <cite><a href="/sources/#source-survey-2017">Survey of residents 2017 to 2019</a></cite>, Borough Council, 20 January 2020. Not available online: ask the publisher."#), "{review}");
    // A source with a link: an archived copy and the date the link was checked, beside it.
    let beside = r#"<cite><a href="https://example.com/survey-2021">Survey of residents 2021</a></cite>, Borough Council, <time datetime="2022-01-15">15 January 2022</time> (<a href="https://web.archive.org/web/2022/https://example.com/survey-2021">archived copy</a>; link checked <time datetime="2024-03-03">3 March 2024</time>)"#;
    assert!(review.contains(&format!("<li>{beside}</li>")), "{review}");
    // The footnote ends its sentence.
    assert!(
        review.contains(&format!(
            "<p>Source: {}.",
            beside.replace(
                r#"<time datetime="2022-01-15">15 January 2022</time>"#,
                "15 January 2022"
            )
        )),
        "{review}"
    );
    let metric = page(&site, "metrics/officers");
    // Under the chart, inside its figure.
    assert!(metric.contains(r#"<p class="chart-source">Source: <cite><a href="/sources/#source-annual-report">Annual report 2023</a></cite>, Police Authority, <time datetime="2023-06-30">30 June 2023</time>. Not available online: ask the publisher.</p>
</figure>"#), "{metric}");
    assert!(
        !metric.contains(r#"<th scope="col">Source</th>"#),
        "no Source column when no reading has its own source: {metric}"
    );
}

#[test]
fn the_sources_page_says_where_to_find_each_source_and_who_cites_it() {
    let site = built();
    let sources = main_of_owned(page(&site, "sources"));
    assert!(sources.contains(r#"<h2>Annual report 2023</h2>
<p class="doc-list-meta">Police Authority, <time datetime="2023-06-30">30 June 2023</time></p>
<p class="source-offline">Not available online: to read it, ask Police Authority for “Annual report 2023”, dated <time datetime="2023-06-30">30 June 2023</time>.</p>
<h3>Documents that cite it</h3>
<ul>
<li><a href="/reports/2023-07-01-review/">Review of policing</a></li>
</ul>
<h3>Metrics that cite it</h3>
<ul>
<li><a href="/metrics/officers/">Officers on patrol</a>: 2022, 2023</li>
</ul>"#), "{sources}");
    assert!(sources.contains(r#"<h2><a href="https://example.com/survey-2021">Survey of residents 2021</a></h2>
<p class="doc-list-meta">Borough Council, <time datetime="2022-01-15">15 January 2022</time> (<a href="https://web.archive.org/web/2022/https://example.com/survey-2021">archived copy</a>; link checked <time datetime="2024-03-03">3 March 2024</time>)</p>"#), "{sources}");
    // Each metric is listed under the sources its readings use, with those readings.
    assert!(sources.contains(r#"<li><a href="/metrics/satisfaction/">Residents satisfied with policing</a>: 2017, 2019</li>"#), "{sources}");
    assert!(sources.contains(r#"<li><a href="/metrics/satisfaction/">Residents satisfied with policing</a>: 2021</li>"#), "{sources}");
    assert_eq!(sources.matches("Not available online").count(), 2);
}

#[test]
fn readings_with_their_own_source_show_it_in_the_table_and_the_data() {
    let site = built();
    let metric = page(&site, "metrics/satisfaction");
    assert!(
        metric.contains(r#"<th scope="col">Note</th><th scope="col">Source</th></tr>"#),
        "{metric}"
    );
    assert!(metric.contains(r#"<td class="align-right">60%</td><td></td><td><a href="/sources/#source-survey-2017">Survey of residents 2017 to 2019</a></td></tr>"#), "{metric}");
    assert!(metric.contains(r#"<td class="align-right">55%</td><td></td><td><a href="/sources/#source-survey-2021">Survey of residents 2021</a></td></tr>"#), "{metric}");
    // The page credits every source its readings use, in the order of first use.
    let credit = metric
        .find("<div class=\"chart-source\">\n<p>Sources:</p>")
        .expect("both sources credited");
    let (older, newer) = (
        metric[credit..]
            .find("Survey of residents 2017 to 2019")
            .unwrap(),
        metric[credit..].find("Survey of residents 2021").unwrap(),
    );
    assert!(older < newer, "{metric}");
    let out = site.path().join("public/metrics/satisfaction");
    assert_eq!(
        read(out.join("data.csv")),
        "period,value,unit,source,note,status\n2017,60,percent,survey-2017,,\n2019,58,percent,survey-2017,,\n2021,55,percent,survey-2021,,\n"
    );
    let json: serde_json::Value = serde_json::from_str(&read(out.join("data.json"))).unwrap();
    assert_eq!(json["source"]["id"], "survey-2021");
    let readings: Vec<_> = json["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["source"].as_str().unwrap())
        .collect();
    assert_eq!(readings, ["survey-2017", "survey-2017", "survey-2021"]);
    assert_eq!(json["sources"][0]["id"], "survey-2017");
    assert_eq!(json["sources"][1]["id"], "survey-2021");
    assert_eq!(
        json["sources"][1]["archived_url"],
        "https://web.archive.org/web/2022/https://example.com/survey-2021"
    );
    assert_eq!(json["sources"][1]["accessed"], "2024-03-03");
}

#[test]
fn every_source_error_is_reported_with_its_place() {
    let expected = assert_report("broken-sources");
    for needle in [
        "error: unknown source `survey-2071`: there is no such source in content/sources.yaml\n  --> content/metrics/satisfaction.yaml:7:40",
        "did you mean `survey-2017`?",
        "error: 2024-02-30 is not a real calendar date\n  --> content/sources.yaml:7:13",
        "error: `accessed` is given but the source has no `url`\n   --> content/sources.yaml:16:13",
        "error: source archived_url `web.archive.org/web/2023/https://example.org/annual` is not an absolute http(s) URL",
    ] {
        assert!(expected.contains(needle), "expected.txt lacks:\n{needle}");
    }
}

fn main_of_owned(html: String) -> String {
    main_of(&html).to_string()
}
