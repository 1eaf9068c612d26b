//! Charts drawn at build time as inline SVG: a metric's chart for its page, and the sparkline
//! on metric cards. No scripts and no `style` attributes (a site's Content-Security-Policy may
//! forbid them): colours come from the theme's `chart-*` classes. The chart is one image to
//! assistive technology, named by its `<title>` and described by its `<desc>`, which says the
//! trend in words; the data table beside it holds every figure.
//!
//! A metric with three or more evenly spaced readings is drawn as a line; fewer readings, or
//! readings at uneven intervals, as bars, so that no line implies a steady change between
//! readings years apart.

use std::fmt::Write as _;

use crate::content::Metric;
use crate::content::metrics::{Period, Point, Unit};
use crate::figures;
use crate::markdown::escape_html;

/// The drawing's coordinate system; the SVG scales to the width of its container.
const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 304.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 164.0;

/// Labels on the horizontal axis at most: years are short, "Dec 2021" is not. Room is left
/// for the larger text the theme uses on narrow screens.
const MAX_YEAR_LABELS: usize = 6;
const MAX_MONTH_LABELS: usize = 4;

/// A coordinate, rounded to a tenth so the markup stays short and stable; written straight
/// into the output (a chart has dozens).
struct C(f64);

impl std::fmt::Display for C {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tenths = (self.0 * 10.0).round() as i64;
        let (whole, frac) = (tenths / 10, (tenths % 10).abs());
        if frac == 0 {
            write!(f, "{whole}")
        } else if tenths < 0 && whole == 0 {
            write!(f, "-0.{frac}")
        } else {
            write!(f, "{whole}.{frac}")
        }
    }
}

fn c(v: f64) -> C {
    C(v)
}

/// A short period label for the axis: "2021", "Dec 2021".
fn short(p: Period) -> String {
    match p {
        Period::Year(y) => y.to_string(),
        Period::Month(..) => p.first_day().format("%b %Y").to_string(),
    }
}

/// Round tick marks covering `lo..=hi`: about four steps of 1, 2 or 5 times a power of ten.
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let (lo, hi) = if (hi - lo).abs() < f64::EPSILON {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        (lo - pad, hi + pad)
    } else {
        (lo, hi)
    };
    let raw = (hi - lo) / 4.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let first = (lo / step).floor() as i64;
    let last = (hi / step).ceil() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

fn axis_title(unit: Unit) -> &'static str {
    match unit {
        Unit::Percent => "Per cent",
        Unit::Count => "Number",
        Unit::Ratio => "Ratio",
        Unit::Gbp => "Pounds",
    }
}

/// Whether the metric is drawn as a line (else as bars).
pub(crate) fn is_line(m: &Metric) -> bool {
    m.series.len() >= 3 && figures::evenly_spaced(&m.series)
}

/// Where a metric's readings go in the drawing: the scale of each axis, and whether the
/// readings are drawn as a line or as bars.
struct Plot {
    line: bool,
    /// The vertical axis's round values, lowest first; the first and last bound the plot.
    ticks: Vec<f64>,
    /// How many readings.
    n: usize,
}

impl Plot {
    fn of(m: &Metric) -> Plot {
        let line = is_line(m);
        let values = m.series.iter().chain(&m.target).map(|p| p.value);
        let (mut lo, mut hi) =
            values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        if !line {
            // Bars are measured from zero.
            lo = lo.min(0.0);
            hi = hi.max(0.0);
        }
        Plot {
            line,
            ticks: ticks(lo, hi),
            n: m.series.len(),
        }
    }

    fn kind(&self) -> &'static str {
        if self.line { "line" } else { "bar" }
    }

    /// The lowest and highest values on the vertical axis.
    fn range(&self) -> (f64, f64) {
        (self.ticks[0], self.ticks[self.ticks.len() - 1])
    }

    fn y(&self, v: f64) -> f64 {
        let (t0, t1) = self.range();
        BOTTOM - (v - t0) / (t1 - t0) * (BOTTOM - TOP)
    }

    /// The width each bar's place takes.
    fn band(&self) -> f64 {
        (RIGHT - LEFT) / self.n as f64
    }

    /// Where reading `i` is across: a line runs edge to edge, a bar is centred in its band.
    fn x(&self, i: usize) -> f64 {
        if self.line {
            LEFT + i as f64 * (RIGHT - LEFT) / (self.n - 1) as f64
        } else {
            LEFT + self.band() * (i as f64 + 0.5)
        }
    }

    /// Where the axis line goes: at zero, or at the bottom when zero is off the scale.
    fn base(&self) -> f64 {
        let (t0, t1) = self.range();
        if t0 <= 0.0 && t1 >= 0.0 {
            self.y(0.0)
        } else {
            BOTTOM
        }
    }

    /// Where a label above a reading goes: over the point, or over the bar's top.
    fn above(&self, v: f64) -> f64 {
        self.y(if self.line { v } else { v.max(0.0) })
    }
}

/// The chart for a metric's page; `id` makes its element ids unique in the page.
pub fn metric_chart(m: &Metric, id: &str) -> String {
    let plot = Plot::of(m);
    let mut svg = String::with_capacity(2048);
    open(&mut svg, m, &plot, id);
    grid(&mut svg, m, &plot);
    period_labels(&mut svg, m, &plot);
    // The axis line at zero (or at the bottom), drawn over the grid.
    let base = plot.base();
    let _ = writeln!(
        svg,
        "<line class=\"chart-axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        c(LEFT),
        c(base),
        c(RIGHT),
        c(base)
    );
    if plot.line {
        line(&mut svg, m, &plot);
    } else {
        bars(&mut svg, m, &plot);
    }
    note_marks(&mut svg, m, &plot);
    if let Some(t) = &m.target {
        target(&mut svg, m.unit, t, &plot);
    }
    latest(&mut svg, m, &plot);
    svg.push_str("</svg>");
    svg
}

/// The `<svg>` element's start, with the chart's name and its description in words.
fn open(svg: &mut String, m: &Metric, plot: &Plot, id: &str) {
    let kind = plot.kind();
    let _ = write!(
        svg,
        "<svg class=\"chart chart-{kind}\" viewBox=\"0 0 {} {}\" role=\"img\" focusable=\"false\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\">\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}{}</desc>\n",
        c(WIDTH),
        c(HEIGHT),
        escape_html(&format!("{} ({} chart)", m.title, kind)),
        escape_html(&figures::trend(m)),
        if m.series.iter().any(|p| p.note.is_some()) {
            " Readings marked * have a note in the table."
        } else {
            ""
        }
    );
}

/// The grid, and the vertical axis's title and labels; leaves the labels' group open for
/// [`period_labels`].
fn grid(svg: &mut String, m: &Metric, plot: &Plot) {
    svg.push_str("<g class=\"chart-grid\">\n");
    for &t in &plot.ticks {
        let _ = writeln!(
            svg,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            c(LEFT),
            c(plot.y(t)),
            c(RIGHT),
            c(plot.y(t))
        );
    }
    svg.push_str("</g>\n<g class=\"chart-labels\">\n");
    let _ = writeln!(
        svg,
        "<text class=\"chart-axis-title\" x=\"{}\" y=\"14\">{}</text>",
        c(4.0),
        axis_title(m.unit)
    );
    for &t in &plot.ticks {
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            c(LEFT - 6.0),
            c(plot.y(t) + 4.0),
            figures::value(m.unit, t)
        );
    }
}

/// The horizontal axis's labels and title, closing the labels' group: every reading when
/// there are few, else evenly spaced ones, always with the latest.
fn period_labels(svg: &mut String, m: &Metric, plot: &Plot) {
    let n = plot.n;
    let monthly = m.series[0].period.is_month();
    let most = if monthly {
        MAX_MONTH_LABELS
    } else {
        MAX_YEAR_LABELS
    };
    let every = n.div_ceil(most);
    let mut labelled: Vec<usize> = (0..n).step_by(every).collect();
    if labelled.last() != Some(&(n - 1)) {
        if labelled.last().is_some_and(|&l| n - 1 - l < every) {
            labelled.pop();
        }
        labelled.push(n - 1);
    }
    for i in labelled {
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            c(plot.x(i)),
            c(BOTTOM + 16.0),
            short(m.series[i].period)
        );
    }
    let _ = writeln!(
        svg,
        "<text class=\"chart-axis-title\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
        c((LEFT + RIGHT) / 2.0),
        c(HEIGHT - 4.0),
        if monthly { "Month" } else { "Year" }
    );
    svg.push_str("</g>\n");
}

/// The readings as a line through a point at each, a larger point where a reading has a note.
fn line(svg: &mut String, m: &Metric, plot: &Plot) {
    svg.push_str("<polyline class=\"chart-series\" points=\"");
    for (i, p) in m.series.iter().enumerate() {
        let sep = if i == 0 { "" } else { " " };
        let _ = write!(svg, "{sep}{},{}", c(plot.x(i)), c(plot.y(p.value)));
    }
    svg.push_str("\"/>\n");
    for (i, p) in m.series.iter().enumerate() {
        let class = if p.note.is_some() {
            "chart-point chart-noted"
        } else {
            "chart-point"
        };
        let _ = writeln!(
            svg,
            "<circle class=\"{class}\" cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
            c(plot.x(i)),
            c(plot.y(p.value)),
            if p.note.is_some() { 4.5 } else { 3.0 }
        );
    }
}

/// The readings as bars from the axis line, up or down; a zero is still a sliver.
fn bars(svg: &mut String, m: &Metric, plot: &Plot) {
    let base = plot.base();
    let w = (plot.band() * 0.6).min(48.0);
    for (i, p) in m.series.iter().enumerate() {
        let (top, bottom) = if p.value >= 0.0 {
            (plot.y(p.value), base)
        } else {
            (base, plot.y(p.value))
        };
        let _ = writeln!(
            svg,
            "<rect class=\"chart-bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            c(plot.x(i) - w / 2.0),
            c(top),
            c(w),
            c((bottom - top).max(0.5))
        );
    }
}

/// Notes are marked with an asterisk above their reading (the latest's is in its label).
fn note_marks(svg: &mut String, m: &Metric, plot: &Plot) {
    for (i, p) in m.series.iter().enumerate() {
        if p.note.is_some() && i + 1 != plot.n {
            let _ = writeln!(
                svg,
                "<text class=\"chart-note\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">*</text>",
                c(plot.x(i)),
                c(plot.above(p.value) - 8.0)
            );
        }
    }
}

/// The target: a dashed line across the chart, labelled.
fn target(svg: &mut String, unit: Unit, t: &Point, plot: &Plot) {
    let _ = writeln!(
        svg,
        "<line class=\"chart-target\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        c(LEFT),
        c(plot.y(t.value)),
        c(RIGHT),
        c(plot.y(t.value))
    );
    // Its key sits above the plot at the right, clear of the readings: the text ends
    // where the dashed sample begins, so it needs no measuring.
    let _ = writeln!(
        svg,
        "<text class=\"chart-target-label\" x=\"{}\" y=\"14\" text-anchor=\"end\">Target {} ({})</text>",
        c(WIDTH - 34.0),
        figures::value(unit, t.value),
        short(t.period)
    );
    let _ = writeln!(
        svg,
        "<line class=\"chart-target\" x1=\"{}\" y1=\"10\" x2=\"{}\" y2=\"10\"/>",
        c(WIDTH - 28.0),
        c(WIDTH - 4.0)
    );
}

/// The latest value, labelled at its reading.
fn latest(svg: &mut String, m: &Metric, plot: &Plot) {
    let last = m.latest();
    let mark = if last.note.is_some() { "*" } else { "" };
    let _ = writeln!(
        svg,
        "<text class=\"chart-latest\" x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}{mark}</text>",
        c(plot.x(plot.n - 1)),
        c(plot.above(last.value) - 9.0),
        if plot.line { "end" } else { "middle" },
        figures::value(m.unit, last.value)
    );
}

/// One entry of a chart's visible key: a small drawing of a mark and what it means.
#[derive(serde::Serialize)]
pub(crate) struct KeyEntry {
    pub(crate) swatch: String,
    pub(crate) label: String,
}

/// PLACEHOLDER, replaced by the chart helper's version at merge.
pub(crate) fn key(m: &Metric, _id: &str) -> Vec<KeyEntry> {
    let mut out = Vec::new();
    if m.target.is_some() {
        out.push(KeyEntry { swatch: "<svg class=\"chart-swatch\" viewBox=\"0 0 24 12\" aria-hidden=\"true\" focusable=\"false\"><line class=\"chart-target\" x1=\"0\" y1=\"6\" x2=\"24\" y2=\"6\"/></svg>".into(), label: "Target".into() });
    }
    if m.series.iter().any(|p| p.note.is_some()) {
        out.push(KeyEntry {
            swatch: "<span class=\"chart-swatch-mark\" aria-hidden=\"true\">*</span>".into(),
            label: "Has a note: see the table below".into(),
        });
    }
    out
}

/// A small line of the readings for a metric card; decorative, since the card says the latest
/// value and its direction in words.
pub fn sparkline(m: &Metric) -> String {
    const W: f64 = 100.0;
    const H: f64 = 28.0;
    let values: Vec<f64> = m.series.iter().map(|p: &Point| p.value).collect();
    let lo = values.iter().copied().fold(f64::MAX, f64::min);
    let hi = values.iter().copied().fold(f64::MIN, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let n = values.len();
    let x = |i: usize| {
        if n == 1 {
            W / 2.0
        } else {
            3.0 + i as f64 * (W - 6.0) / (n - 1) as f64
        }
    };
    let y = |v: f64| {
        if hi > lo {
            H - 4.0 - (v - lo) / span * (H - 8.0)
        } else {
            H / 2.0
        }
    };
    let mut svg = format!(
        "<svg class=\"sparkline\" viewBox=\"0 0 {} {}\" aria-hidden=\"true\" focusable=\"false\">",
        c(W),
        c(H)
    );
    if n > 1 {
        svg.push_str("<polyline class=\"chart-series\" points=\"");
        for (i, &v) in values.iter().enumerate() {
            let sep = if i == 0 { "" } else { " " };
            let _ = write!(svg, "{sep}{},{}", c(x(i)), c(y(v)));
        }
        svg.push_str("\"/>");
    }
    let _ = write!(
        svg,
        "<circle class=\"chart-point\" cx=\"{}\" cy=\"{}\" r=\"3\"/></svg>",
        c(x(n - 1)),
        c(y(values[n - 1]))
    );
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(ticks(49.6, 68.0), vec![45.0, 50.0, 55.0, 60.0, 65.0, 70.0]);
        assert_eq!(ticks(0.0, 1.0), vec![0.0, 0.5, 1.0]);
        assert_eq!(ticks(-26.0, 0.0), vec![-30.0, -20.0, -10.0, 0.0]);
        // A flat series still gets a range.
        assert_eq!(ticks(5.0, 5.0), vec![4.5, 5.0, 5.5]);
        assert_eq!(ticks(0.0, 0.0), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
    }

    fn metric(series: &str, target: &str) -> Metric {
        let text =
            format!("title: T\nunit: count\nbetter: lower\nsource: s\nseries:\n{series}{target}");
        crate::content::metrics::parse(crate::diag::FileId(0), "t", &text).expect("a metric")
    }

    #[test]
    fn lines_run_edge_to_edge_and_bars_sit_in_their_bands() {
        let line = Plot::of(&metric(
            "  - { period: 2019, value: 50 }\n  - { period: 2020, value: 60 }\n  - { period: 2021, value: 70 }\n",
            "",
        ));
        assert!(line.line);
        assert_eq!((line.x(0), line.x(2)), (LEFT, RIGHT));
        // Zero is off this scale, so the axis is drawn at the bottom.
        assert_eq!(line.range(), (50.0, 70.0));
        assert_eq!(line.base(), BOTTOM);
        assert_eq!((line.y(50.0), line.y(70.0)), (BOTTOM, TOP));

        // Two readings are bars, measured from zero, which the target's value extends.
        let bars = Plot::of(&metric(
            "  - { period: 2020, value: -20 }\n  - { period: 2021, value: 10 }\n",
            "target: { period: 2023, value: 20 }\n",
        ));
        assert!(!bars.line);
        assert_eq!(bars.range(), (-20.0, 20.0));
        assert_eq!(bars.x(0), LEFT + (RIGHT - LEFT) / 4.0);
        assert_eq!(bars.base(), bars.y(0.0));
        assert_eq!(
            bars.above(-20.0),
            bars.y(0.0),
            "a label above a bar below zero"
        );
    }

    #[test]
    fn a_bar_chart_hangs_negative_readings_from_the_axis_and_marks_notes() {
        let m = metric(
            "  - { period: 2020, value: -20, note: revised }\n  - { period: 2021, value: 10 }\n",
            "target: { period: 2023, value: 20 }\n",
        );
        let svg = metric_chart(&m, "c");
        let plot = Plot::of(&m);
        let zero = c(plot.y(0.0));
        assert!(svg.starts_with("<svg class=\"chart chart-bar\""), "{svg}");
        assert!(svg.ends_with("</svg>"));
        assert!(
            svg.contains(&format!(
                "y=\"{zero}\" width=\"48\" height=\"{}\"",
                c(plot.y(-20.0) - plot.y(0.0))
            )),
            "the bar below zero starts at the axis: {svg}"
        );
        assert!(svg.contains(&format!(
            "<line class=\"chart-axis\" x1=\"56\" y1=\"{zero}\""
        )));
        assert!(svg.contains("Readings marked * have a note in the table.</desc>"));
        assert_eq!(svg.matches("class=\"chart-note\"").count(), 1);
        assert!(svg.contains(">Target 20 (2023)</text>"));
        // Every group opened is closed.
        assert_eq!(svg.matches("<g ").count(), svg.matches("</g>").count());
    }

    #[test]
    fn coordinates_are_short() {
        assert_eq!(c(12.0).to_string(), "12");
        assert_eq!(c(12.345).to_string(), "12.3");
        assert_eq!(c(-0.04).to_string(), "0");
        assert_eq!(c(-0.25).to_string(), "-0.3");
        assert_eq!(c(-12.25).to_string(), "-12.3");
    }
}
