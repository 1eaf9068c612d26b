//! The chart's drawing, checked: placement, statuses, gaps, and whole drawings as snapshots.

use super::labels::{Labels, obstacles, target_box};
use super::place::Rect;
use super::*;

/// A metric of `unit` from YAML series lines (`- { period: .., value: .. }`) and an optional
/// `target:` line.
fn metric_of(unit: &str, series: &str, target: &str) -> Metric {
    let text =
        format!("title: T\nunit: {unit}\nbetter: lower\nsource: s\nseries:\n{series}{target}");
    crate::content::metrics::parse(crate::diag::FileId(0), "t", &text).expect("a metric")
}

fn metric(series: &str, target: &str) -> Metric {
    metric_of("count", series, target)
}

/// Series lines for `(period, value, extra)`.
fn lines(points: &[(&str, f64, &str)]) -> String {
    points
        .iter()
        .map(|(p, v, extra)| format!("  - {{ period: \"{p}\", value: {v}{extra} }}\n"))
        .collect()
}

fn yearly(from: i32, values: &[f64]) -> String {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("  - {{ period: \"{}\", value: {v} }}\n", from + i as i32))
        .collect()
}

/// The SVG is well-formed XML with one image and no style or script.
fn well_formed(svg: &str) {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
    assert!(!svg.contains("style") && !svg.contains("<script"), "{svg}");
    assert_eq!(
        doc.descendants()
            .filter(|n| n.attribute("role") == Some("img"))
            .count(),
        1
    );
}

#[test]
fn lines_run_between_insets_and_bars_sit_in_their_bands() {
    let m = metric(&yearly(2019, &[50.0, 60.0, 70.0]), "");
    let (line, _) = Labels::lay_out(&m, crate::i18n::english());
    assert!(line.line);
    assert_eq!(
        (line.x(0), line.x(2)),
        (line.left + layout::INSET, RIGHT - layout::INSET)
    );
    // Zero is off this scale, so the axis is drawn at the bottom, with a break.
    assert_eq!(line.range(), (50.0, 70.0));
    assert_eq!(line.base(), line.bottom);
    assert_eq!(line.cut(), Some(50.0));
    assert_eq!((line.y(50.0), line.y(70.0)), (line.bottom, line.top));

    // Two readings are bars, measured from zero, which the target's value extends.
    let m = metric(
        "  - { period: 2020, value: -20 }\n  - { period: 2021, value: 10 }\n",
        "target: { period: 2023, value: 20 }\n",
    );
    let (bars, _) = Labels::lay_out(&m, crate::i18n::english());
    assert!(!bars.line);
    assert_eq!(bars.range(), (-20.0, 20.0));
    assert_eq!(bars.x(0), bars.left + (RIGHT - bars.left) / 4.0);
    assert_eq!(bars.base(), bars.y(0.0));
    assert_eq!(bars.cut(), None, "bars start at zero");
}

#[test]
fn a_bar_chart_hangs_negative_readings_from_the_axis_and_labels_every_bar() {
    let m = metric(
        "  - { period: 2020, value: -20, note: revised }\n  - { period: 2021, value: 10 }\n",
        "target: { period: 2023, value: 20 }\n",
    );
    let svg = metric_chart(&m, "c");
    well_formed(&svg);
    let (plot, _) = Labels::lay_out(&m, crate::i18n::english());
    let zero = c(plot.y(0.0));
    assert!(svg.starts_with("<svg class=\"chart chart-bar\""), "{svg}");
    assert!(
        svg.contains(&format!(
            "y=\"{zero}\" width=\"48\" height=\"{}\"",
            c(plot.y(-20.0) - plot.y(0.0))
        )),
        "the bar below zero starts at the axis: {svg}"
    );
    assert!(svg.contains("Readings marked * have a note in the table.</desc>"));
    assert!(svg.contains(">-20*</text>"), "{svg}");
    assert!(svg.contains(">10</text>"), "{svg}");
    assert_eq!(
        svg.matches("class=\"chart-note\"").count(),
        0,
        "the * is in the label"
    );
    assert!(svg.contains(">Target 20 (2023)</text>"));
    assert!(svg.contains(">Year</text>"));
    assert_eq!(svg.matches("<g ").count(), svg.matches("</g>").count());
}

#[test]
fn a_line_breaks_at_a_missing_year_and_never_crosses_it() {
    let m = metric(
        &lines(&[
            ("2018", 10.0, ""),
            ("2019", 12.0, ""),
            ("2021", 11.0, ""),
            ("2022", 9.0, ""),
        ]),
        "",
    );
    let svg = metric_chart(&m, "c");
    well_formed(&svg);
    let (plot, _) = Labels::lay_out(&m, crate::i18n::english());
    assert!(plot.line);
    assert_eq!(plot.grid.count, 5);
    let d = format!(
        "d=\"M{} {} L{} {} M{} {} L{} {}\"",
        c(plot.x(0)),
        c(plot.y(10.0)),
        c(plot.x(1)),
        c(plot.y(12.0)),
        c(plot.x(2)),
        c(plot.y(11.0)),
        c(plot.x(3)),
        c(plot.y(9.0))
    );
    assert!(svg.contains(&d), "{d} in {svg}");
    // 2020 has an empty slot between 2019 and 2021.
    assert!((plot.x(2) - plot.x(1) - 2.0 * (plot.x(1) - plot.x(0))).abs() < 1e-9);
    let spark = sparkline(&m);
    assert_eq!(
        spark.matches(" M").count() + spark.matches("\"M").count(),
        2,
        "{spark}"
    );
}

#[test]
fn bars_leave_an_empty_slot_for_a_missing_period() {
    let m = metric_of(
        "percent",
        &lines(&[
            ("2017-12", 68.0, ""),
            ("2021-12", 51.0, ""),
            ("2022-06", 49.6, ""),
        ]),
        "",
    );
    let (plot, labels) = Labels::lay_out(&m, crate::i18n::english());
    assert!(!plot.line, "three readings over ten half-year slots");
    assert_eq!(plot.grid.count, 10);
    assert_eq!(labels.values.len(), 3, "every bar has its value");
    let svg = metric_chart(&m, "c");
    assert!(svg.contains(">Month</text>"));
    assert!(svg.contains(">Dec 2017</text>"), "{svg}");
}

#[test]
fn statuses_are_drawn_and_said() {
    let pts = [
        ("2019", 10.0, ""),
        ("2020", 11.0, ", status: revised"),
        ("2021", 12.0, ""),
        ("2022", 13.0, ", status: provisional"),
        ("2023", 14.0, ", status: projected"),
        ("2024", 15.0, ", status: projected"),
    ];
    let m = metric(&lines(&pts), "");
    let svg = metric_chart(&m, "c");
    well_formed(&svg);
    assert_eq!(svg.matches("chart-point chart-hollow").count(), 3);
    assert_eq!(
        svg.matches("class=\"chart-series chart-projected\"")
            .count(),
        1
    );
    assert!(
        svg.contains(" r</text>") || svg.contains(">r</text>"),
        "{svg}"
    );
    assert!(svg.contains(
        "Readings for 2023 and 2024 are projected. The 2022 reading is provisional. The 2020 reading is revised."
    ), "{svg}");
    let spark = sparkline(&m);
    assert!(
        spark.contains("chart-projected") && spark.contains("chart-hollow"),
        "{spark}"
    );

    let bars = metric(
        &lines(&[pts[1], pts[3], ("2027", 15.0, ", status: projected")]),
        "",
    );
    let svg = metric_chart(&bars, "b");
    well_formed(&svg);
    assert!(svg.contains("<pattern id=\"b-hatch\""));
    assert!(svg.contains("class=\"chart-bar-hatched\" fill=\"url(#b-hatch)\""));
    assert!(svg.contains("class=\"chart-bar-outline\""));
    assert!(svg.contains(">11 r</text>"), "{svg}");
}

#[test]
fn a_cut_axis_is_marked_and_said() {
    let m = metric_of("ratio", &yearly(2019, &[6.4, 6.1, 5.6]), "");
    let svg = metric_chart(&m, "c");
    assert!(svg.contains("class=\"chart-break\""));
    assert!(
        svg.contains("The vertical axis starts at 5.5, not at zero."),
        "{svg}"
    );
    let below = metric_of("percent", &yearly(2019, &[-40.0, -30.0, -35.0]), "");
    assert!(metric_chart(&below, "c").contains("The vertical axis ends at -30%, not at zero."));
    let bars = metric(&yearly(2019, &[6.4, 5.6]), "");
    let svg = metric_chart(&bars, "c");
    assert!(!svg.contains("chart-break") && !svg.contains("not at zero"));
}

#[test]
fn one_reading_never_panics() {
    let m = metric_of("count", &lines(&[("2023-07", 45000.0, "")]), "");
    well_formed(&metric_chart(&m, "c"));
    assert!(sparkline(&m).contains("<circle"));
    assert!(key(&m, "c", crate::i18n::english()).is_empty());
}

/// Every awkward series: long values, negatives, many bars, a long monthly line, flat ones.
fn awkward() -> Vec<Metric> {
    let many: Vec<f64> = (0..13)
        .map(|i| {
            if i % 2 == 0 {
                3_249_999.0
            } else {
                -1_234_567.0
            }
        })
        .collect();
    let twelve: Vec<f64> = (0..12).map(|i| 45_000.0 + f64::from(i) * 1_234.5).collect();
    let months: String = (0..150)
        .filter(|i| i % 17 != 5)
        .map(|i| {
            format!(
                "  - {{ period: \"{}-{:02}\", value: {}, note: n }}\n",
                2005 + i / 12,
                i % 12 + 1,
                50.0 + f64::from(i % 7) * 3.3
            )
        })
        .collect();
    let target = "target: { period: 2030, value: 4000000 }\n";
    vec![
        metric_of("gbp", &yearly(2000, &many), ""),
        metric_of("gbp", &yearly(2000, &many[..12]), target),
        metric_of(
            "count",
            &yearly(2010, &twelve),
            "target: { period: 2030, value: 1000000 }\n",
        ),
        metric_of("count", &yearly(2010, &twelve[..5]), ""),
        metric_of(
            "percent",
            &months,
            "target: { period: 2030-03, value: 60.25 }\n",
        ),
        metric_of(
            "percent",
            &lines(&[
                ("2017-12", 68.0, ", note: n"),
                ("2021-12", 51.0, ", status: revised, note: n"),
                ("2022-06", 49.6, ", status: projected"),
            ]),
            "target: { period: 2025-03, value: 60 }\n",
        ),
        metric_of("ratio", &yearly(2019, &[5.6, 6.4, 5.6, 6.4, 5.6]), ""),
        metric_of("ratio", &yearly(2019, &[1.0, 1.0, 1.0]), ""),
        metric_of(
            "count",
            &lines(&[("2023-07", 45000.0, ", note: n")]),
            "target: { period: 2030-01, value: 1000000 }\n",
        ),
        metric_of("count", &yearly(2019, &[0.0, 0.0]), ""),
        metric_of(
            "count",
            &lines(&[
                ("1990", 5.0, ""),
                ("2024", 3.0, ", status: revised"),
                ("2025", 2.0, ", note: n"),
            ]),
            "",
        ),
        metric_of(
            "percent",
            &yearly(2019, &[-40.0, -30.0, -35.0, -20.0, -25.0, -21.0]),
            "target: { period: 2030, value: -10 }\n",
        ),
        metric(
            &lines(&[
                ("2018", 1960.0, ""),
                ("2019", 1880.0, ""),
                ("2020", 1410.0, ", note: n"),
                ("2021", 1390.0, ""),
                ("2022", 1450.0, ""),
                ("2023", 1310.0, ""),
            ]),
            "target: { period: 2025, value: 1200 }\n",
        ),
    ]
}

#[test]
fn no_label_overlaps_another_the_marks_or_the_edge() {
    for m in awkward() {
        let (plot, labels) = Labels::lay_out(&m, crate::i18n::english());
        let svg = metric_chart(&m, "c");
        well_formed(&svg);
        let mut boxes: Vec<(String, Rect)> = labels
            .axes
            .iter()
            .chain(&labels.periods)
            .chain(&labels.values)
            .chain(&labels.marks)
            .map(|l| (l.text.clone(), l.rect()))
            .collect();
        if let Some(l) = &labels.target {
            boxes.push(("target".into(), target_box(l)));
        }
        let edge = Rect::new(0.0, 0.0, WIDTH, plot.height);
        for (i, (a, ra)) in boxes.iter().enumerate() {
            assert!(
                ra.x0 >= edge.x0 && ra.x1 <= edge.x1 && ra.y0 >= edge.y0 && ra.y1 <= edge.y1,
                "{a} crosses the edge: {svg}"
            );
            for (b, rb) in &boxes[i + 1..] {
                assert!(!ra.meets(rb), "{a} overlaps {b}: {svg}");
            }
        }
        // Values and marks clear the line, points, bars and the target line.
        let marks = obstacles(&m, &plot);
        for l in labels.values.iter().chain(&labels.marks) {
            let mut clear = marks.clone();
            clear.bounds = edge;
            assert!(clear.free(&l.rect()), "{} touches a mark: {svg}", l.text);
        }
        // A long series is a line however sparse.
        if plot.grid.count > layout::MAX_SLOTS {
            assert!(plot.line);
        }
        // Bars' values are all there; a line's latest always is.
        let n = m.series.len();
        let want = if plot.line {
            1
        } else if n <= 12 {
            n
        } else {
            4
        };
        assert!(
            labels.values.len() >= want,
            "{} of {want} values: {svg}",
            labels.values.len()
        );
        assert!(labels.periods.len() >= 2.min(plot.grid.count), "{svg}");
    }
}

#[test]
fn the_key_lists_each_mark_drawn_in_order() {
    let m = metric(
        &lines(&[
            ("2019", 1.0, ", note: n"),
            ("2020", 2.0, ", status: projected"),
            ("2021", 3.0, ", status: revised"),
        ]),
        "target: { period: 2025, value: 5 }\n",
    );
    let labels: Vec<String> = key(&m, "c", crate::i18n::english())
        .into_iter()
        .map(|k| k.label)
        .collect();
    assert_eq!(
        labels,
        [
            "Target",
            "Projected",
            "Revised",
            "Has a note: see the table below"
        ]
    );
    assert!(key(&m, "c", crate::i18n::english())[0].swatch.starts_with("<svg class=\"chart-swatch\" viewBox=\"0 0 24 16\" aria-hidden=\"true\" focusable=\"false\">"));
}

fn statuses_line() -> Metric {
    metric_of(
        "gbp",
        &lines(&[
            ("2019", 5_100_000.0, ""),
            ("2020", 5_600_000.0, ", status: revised"),
            ("2021", 6_050_000.0, ""),
            ("2022", 6_400_000.0, ", status: provisional"),
            ("2023", 7_000_000.0, ", status: projected"),
            ("2024", 7_400_000.0, ", status: projected"),
        ]),
        "",
    )
}

fn statuses_bars() -> Metric {
    metric_of(
        "gbp",
        &lines(&[
            ("2016", 5_100_000.0, ""),
            ("2021", 5_600_000.0, ", status: revised"),
            ("2023", 6_400_000.0, ", status: provisional"),
            ("2027", 7_400_000.0, ", status: projected"),
        ]),
        "",
    )
}

#[test]
fn snapshot_a_yearly_line_with_a_gap() {
    let m = metric(
        &lines(&[
            ("2016", 210.0, ""),
            ("2017", 190.0, ""),
            ("2018", 205.0, ""),
            ("2020", 150.0, ""),
            ("2021", 160.0, ""),
            ("2022", 140.0, ""),
        ]),
        "",
    );
    insta::assert_snapshot!(metric_chart(&m, "gap"));
}

#[test]
fn snapshot_a_cut_axis() {
    let m = metric_of("ratio", &yearly(2019, &[6.4, 6.2, 5.9, 5.6]), "");
    insta::assert_snapshot!(metric_chart(&m, "cut"));
}

#[test]
fn snapshot_statuses_as_a_line() {
    insta::assert_snapshot!(metric_chart(&statuses_line(), "st"));
}

#[test]
fn snapshot_statuses_as_bars() {
    insta::assert_snapshot!(metric_chart(&statuses_bars(), "sb"));
}

#[test]
fn snapshot_the_statuses_key() {
    let show = |m: &Metric, id: &str| {
        key(m, id, crate::i18n::english())
            .into_iter()
            .map(|k| format!("{}\n  {}\n", k.label, k.swatch))
            .collect::<String>()
    };
    insta::assert_snapshot!(format!(
        "line:\n{}bars:\n{}",
        show(&statuses_line(), "st"),
        show(&statuses_bars(), "sb")
    ));
}

#[test]
fn snapshot_a_target_and_notes() {
    let m = metric_of(
        "percent",
        &lines(&[
            ("2017-12", 68.0, ", note: n"),
            ("2018-12", 61.0, ""),
            ("2019-12", 57.0, ""),
            ("2020-12", 55.0, ", note: n"),
            ("2021-12", 51.0, ", note: lowest"),
        ]),
        "target: { period: 2025-03, value: 60 }\n",
    );
    insta::assert_snapshot!(metric_chart(&m, "tn"));
}

#[test]
fn coordinates_are_short() {
    assert_eq!(c(12.0).to_string(), "12");
    assert_eq!(c(12.345).to_string(), "12.3");
    assert_eq!(c(-0.04).to_string(), "0");
    assert_eq!(c(-0.25).to_string(), "-0.3");
    assert_eq!(c(-12.25).to_string(), "-12.3");
}
