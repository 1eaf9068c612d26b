//! Readings as the data has them: exact values in a metric's table, reading statuses in the
//! table, the data files and the headline, and sentences where a list would be empty.

mod common;

use common::*;

fn built() -> tempfile::TempDir {
    let (site, report) = build_fixture("smalls-status");
    assert!(report.contains("3 metrics"), "{report}");
    site
}

fn data(site: &tempfile::TempDir, metric: &str, file: &str) -> String {
    read(site.path().join("public/metrics").join(metric).join(file))
}

#[test]
fn the_table_shows_every_digit_and_each_readings_status() {
    let site = built();
    let spend = page(&site, "metrics/spend");
    for row in [
        r#"<td class="align-right">£3,249,999</td><td>Revised</td>"#,
        r#"<td class="align-right">£3,400,000.5</td><td>Provisional</td>"#,
        r#"<td class="align-right">£7,400,000</td><td>Projected</td>"#,
    ] {
        assert!(spend.contains(row), "{row}\n{spend}");
    }
    assert!(spend.contains(r#"<th scope="col">Status</th>"#));
    // The target is a fact of the page, not a row of the table: it keeps the scaled form.
    assert!(spend.contains("<dd>£8m by 2025</dd>"), "{spend}");
    let people = page(&site, "metrics/people");
    assert!(people.contains(r#"<td class="align-right">1,234,567</td><td></td>"#));
    // No reading has a status: no Status column.
    let share = page(&site, "metrics/share");
    assert!(share.contains(r#"<td class="align-right">49.6%</td><td></td></tr>"#));
    assert!(share.contains(r#"<td class="align-right">51%</td>"#));
    assert!(!share.contains(">Status<"), "{share}");
}

#[test]
fn a_projection_is_never_written_as_something_that_happened() {
    let site = built();
    let spend = page(&site, "metrics/spend");
    assert!(
        spend.contains(r#"<p class="metric-headline">Projected to be <strong class="metric-value">£7.4m</strong> in 2023, a projected rise of 118% from 2022 to 2023.</p>"#),
        "{spend}"
    );
    // The chart's description says the same, and a projection meets no target yet.
    assert!(spend.contains("A projected rise of 128% from £3.2m in 2021 to £7.4m in 2023, £600,000 below the 2025 target of £8m. Latest change: a projected rise of 118% from 2022 to 2023."), "{spend}");
    // A forecast is not yet better or worse: no "(improving)" beside it, on any page.
    assert!(
        !spend.contains("(improving)") && !spend.contains("up 118%"),
        "{spend}"
    );
    let card = r#"<p>Projected to be <strong class="metric-value">£7.4m</strong> in 2023</p>"#;
    assert!(page(&site, "plans/plan-a/spend").contains(card));
    assert!(page(&site, "plans/plan-a").contains(card));
    assert!(page(&site, "plans/plan-a").contains(
        r#"<span class="metric-direction metric-projected"><span aria-hidden="true">↑</span> a projected rise of 118% from 2022 to 2023</span>"#
    ));
    assert!(page(&site, "").contains(
        r#"Programme spending</a>: projected to be <strong class="metric-value">£7.4m</strong> in 2023"#
    ));
    // An empty figure link writes the value, marked when it is not final.
    let plan = page(&site, "plans/plan-a");
    for figure in [
        ">£7.4m (projected)</a>",
        ">1,300,000 (provisional)</a>",
        ">£3.2m</a>",
    ] {
        assert!(plan.contains(figure), "{figure}\n{plan}");
    }
    // A provisional reading happened: it is stated as it is.
    assert!(page(&site, "metrics/people").contains(
        r#"<p class="metric-headline"><strong class="metric-value">1,300,000</strong> in 2023"#
    ));
}

#[test]
fn the_data_files_carry_the_raw_value_and_the_status() {
    let site = built();
    assert_eq!(
        data(&site, "spend", "data.csv"),
        "period,value,unit,source,note,status\n2021,3249999,gbp,ledger,,revised\n2022,3400000.5,gbp,ledger,,provisional\n2023,7400000,gbp,ledger,,projected\n"
    );
    assert_eq!(
        data(&site, "share", "data.csv"),
        "period,value,unit,source,note,status\n2021-06,49.6,percent,ledger,,\n2021-12,51,percent,ledger,,\n"
    );
    let json: serde_json::Value = serde_json::from_str(&data(&site, "spend", "data.json")).unwrap();
    assert_eq!(json["series"][0]["value"], 3249999.0);
    assert_eq!(json["series"][0]["status"], "revised");
    assert_eq!(json["series"][2]["status"], "projected");
    assert_eq!(json["target"]["status"], serde_json::Value::Null);
}

#[test]
fn empty_lists_say_so() {
    let site = built();
    let none = "<p>No measure is linked to this priority yet.</p>";
    assert!(page(&site, "plans/plan-a/listen").contains(&format!(
        "<h2 id=\"ps-priority-metrics\">How it is measured</h2>\n{none}"
    )));
    assert!(!page(&site, "plans/plan-a/spend").contains(none));
    let plan = page(&site, "plans/plan-a");
    assert_eq!(plan.matches(none).count(), 1, "{plan}");
    let listen = &plan[plan.find("id=\"priority-listen\"").unwrap()..];
    assert!(listen.contains(none));
    // The home page's plans at a glance, too.
    let home = page(&site, "");
    assert!(
        home.contains(&format!(
            "<li><a href=\"/plans/plan-a/listen/\">Listen more</a>\n{none}\n</li>"
        )),
        "{home}"
    );
    assert!(
        page(&site, "metrics/share")
            .contains("<h2 id=\"ps-metric-priorities\">Priorities it measures</h2>\n<p>This measure is not linked to any priority.</p>")
    );
    assert!(!page(&site, "metrics/spend").contains("not linked to any priority"));
}

#[test]
fn an_unknown_status_is_an_error_at_its_place() {
    let report = assert_report("broken-status");
    assert!(report.contains("did you mean `projected`?"));
}
