//! Charts drawn at build time as inline SVG: a metric's chart for its page, the key to its
//! marks, and the sparkline on metric cards. No scripts and no `style` attributes (a site's
//! Content-Security-Policy may forbid them): colours come from the theme's `chart-*` classes.
//! The chart is one image to assistive technology, named by its `<title>` and described by its
//! `<desc>`, which says the trend in words; the data table beside it holds every figure.
//!
//! **Time runs across.** Readings sit on a grid of equal time slots whose step is the greatest
//! common divisor of the gaps between readings (months, or years for yearly data), so a missing
//! period is an empty slot: a break in a line (no segment ever crosses a missing period), an
//! empty place between bars.
//!
//! **Line or bars.** Three or more readings that fill at least half of their slots are drawn
//! as a line; fewer readings, or readings mostly apart, as bars measured from zero. Past
//! [`layout::MAX_SLOTS`] slots bars would be slivers, so the readings are a line placed by time.
//!
//! **Statuses.** On a line, projected and provisional readings are hollow points and the
//! segment into a projected reading is dashed; as bars, a projected reading is hatched and a
//! provisional one outlined. A revised reading has an "r" after its value or above it, a
//! reading with a note a "*". [`key`] lists each mark a chart draws, for the visible key.
//!
//! **Labels never overlap.** Every text's box is estimated at the theme's largest chart font
//! and placed at the first free spot among its candidates ([`place`]); an optional label
//! (a line's first, lowest and highest values, middle period labels) is dropped rather than
//! drawn over anything, and bars get more room above them until every value fits.

use crate::i18n::Locale;
use std::fmt::Write as _;

use crate::content::Metric;
use crate::content::metrics::{Period, Point, Status};
use crate::figures;
use crate::markdown::escape_html;

mod key;
mod labels;
mod layout;
mod place;

// The metric page's template lists the key under the chart.
pub(crate) use key::{KeyEntry, key};
use labels::Labels;
use layout::{Plot, RIGHT, WIDTH};
use place::Label;

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
fn short(p: Period, locale: &Locale) -> String {
    match p {
        Period::Year(y) => y.to_string(),
        Period::Month(y, m) => locale.month_short(y, m),
    }
}

/// Whether the metric is drawn as a line (else as bars).
pub(crate) fn is_line(m: &Metric) -> bool {
    layout::line_for(&m.series, &layout::Grid::of(&m.series))
}

/// The chart for a metric's page, in English; `id` makes its element ids unique in the page.
pub fn metric_chart(m: &Metric, id: &str) -> String {
    metric_chart_in(m, id, crate::i18n::english())
}

/// [`metric_chart`] in `locale`'s words and figures.
pub(crate) fn metric_chart_in(m: &Metric, id: &str, locale: &Locale) -> String {
    let (plot, labels) = Labels::lay_out(m, locale);
    let mut svg = String::with_capacity(4096);
    open(&mut svg, m, &plot, id, locale);
    grid(&mut svg, &plot, &labels);
    let base = plot.base();
    let _ = writeln!(
        svg,
        "<line class=\"chart-axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        c(plot.left),
        c(base),
        c(RIGHT),
        c(base)
    );
    if let Some(cut) = plot.cut() {
        axis_break(&mut svg, &plot, cut);
    }
    if plot.line {
        line(&mut svg, m, &plot);
    } else {
        bars(&mut svg, m, &plot, id);
    }
    if let (Some(t), Some(key)) = (&m.target, &labels.target) {
        target(&mut svg, &plot, t, key);
    }
    for l in labels.values.iter().chain(&labels.marks) {
        text(&mut svg, l);
    }
    svg.push_str("</svg>");
    svg
}

/// A label as SVG text.
fn text(svg: &mut String, l: &Label) {
    let class = if l.class.is_empty() {
        String::new()
    } else {
        format!(" class=\"{}\"", l.class)
    };
    let _ = writeln!(
        svg,
        "<text{class} x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text>",
        c(l.x),
        c(l.y),
        l.anchor.as_str(),
        escape_html(&l.text)
    );
}

/// The `<svg>` element's start, with the chart's name and its description in words.
fn open(svg: &mut String, m: &Metric, plot: &Plot, id: &str, locale: &Locale) {
    let kind = plot.kind();
    let _ = write!(
        svg,
        "<svg class=\"chart chart-{kind}\" viewBox=\"0 0 {} {}\" role=\"img\" focusable=\"false\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\">\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
        c(WIDTH),
        c(plot.height),
        escape_html(&locale.text(&format!("chart_title_{kind}"), &[("title", &m.title)])),
        escape_html(&description(m, plot, locale)),
    );
}

/// What the `<desc>` says: the trend, which readings are not final, whether the vertical axis
/// is cut, and the notes.
fn description(m: &Metric, plot: &Plot, locale: &Locale) -> String {
    let mut s = figures::trend_in(m, locale);
    for status in [Status::Projected, Status::Provisional, Status::Revised] {
        let periods: Vec<String> = m
            .series
            .iter()
            .filter(|p| p.status == Some(status))
            .map(|p| locale.period(p.period))
            .collect();
        let word = locale.text(&format!("reading_{}", status.as_str()), &[]);
        match periods.as_slice() {
            [] => {}
            [one] => {
                s.push(' ');
                s.push_str(&locale.text("chart_reading_is", &[("period", one), ("status", &word)]));
            }
            [rest @ .., last] => {
                let list = format!("{} {} {last}", rest.join(", "), locale.text("and", &[]));
                s.push(' ');
                s.push_str(&locale.text(
                    "chart_readings_are",
                    &[("periods", &list), ("status", &word)],
                ));
            }
        }
    }
    if let Some(cut) = plot.cut() {
        let key = if cut > 0.0 {
            "chart_axis_starts"
        } else {
            "chart_axis_ends"
        };
        s.push(' ');
        s.push_str(&locale.text(key, &[("value", &figures::value_in(locale, m.unit, cut))]));
    }
    if m.series.iter().any(|p| p.note.is_some()) {
        s.push(' ');
        s.push_str(&locale.text("chart_notes", &[]));
    }
    s
}

/// The grid, the axes' titles and labels.
fn grid(svg: &mut String, plot: &Plot, labels: &Labels) {
    svg.push_str("<g class=\"chart-grid\">\n");
    for &t in &plot.ticks {
        let _ = writeln!(
            svg,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            c(plot.left),
            c(plot.y(t)),
            c(RIGHT),
            c(plot.y(t))
        );
    }
    svg.push_str("</g>\n<g class=\"chart-labels\">\n");
    for l in labels.axes.iter().chain(&labels.periods) {
        text(svg, l);
    }
    svg.push_str("</g>\n");
}

/// Two slanted strokes across the axis line where a line chart's vertical axis is cut short
/// of zero: at the bottom when the values are above zero, at the top when below.
fn axis_break(svg: &mut String, plot: &Plot, cut: f64) {
    let y = if cut > 0.0 { plot.bottom } else { plot.top };
    let x = plot.left;
    let _ = writeln!(
        svg,
        "<path class=\"chart-break\" d=\"M{} {} L{} {} M{} {} L{} {}\"/>",
        c(x + 1.0),
        c(y + 5.0),
        c(x + 5.0),
        c(y - 5.0),
        c(x + 6.0),
        c(y + 5.0),
        c(x + 10.0),
        c(y - 5.0)
    );
}

/// The segments of a line through `at` (each reading's spot): solid, and dashed into a
/// projected reading, never across a missing period. Returns the two paths' `d`.
fn segments(
    m: &Metric,
    gap_before: impl Fn(usize) -> bool,
    at: impl Fn(usize) -> (f64, f64),
) -> (String, String) {
    let (mut solid, mut dashed) = (String::new(), String::new());
    // Where each path's pen is: a segment from there continues it, else it moves first.
    let (mut solid_pen, mut dashed_pen) = (None, None);
    for i in 1..m.series.len() {
        if gap_before(i) {
            continue;
        }
        let ((x0, y0), (x1, y1)) = (at(i - 1), at(i));
        let (d, pen) = if layout::projected(&m.series[i]) {
            (&mut dashed, &mut dashed_pen)
        } else {
            (&mut solid, &mut solid_pen)
        };
        if *pen != Some(i - 1) {
            let sep = if d.is_empty() { "" } else { " " };
            let _ = write!(d, "{sep}M{} {}", c(x0), c(y0));
        }
        let _ = write!(d, " L{} {}", c(x1), c(y1));
        *pen = Some(i);
    }
    (solid, dashed)
}

/// The two paths of a line, as SVG.
fn paths(svg: &mut String, (solid, dashed): (String, String)) {
    if !solid.is_empty() {
        let _ = writeln!(svg, "<path class=\"chart-series\" d=\"{solid}\"/>");
    }
    if !dashed.is_empty() {
        let _ = writeln!(
            svg,
            "<path class=\"chart-series chart-projected\" d=\"{dashed}\"/>"
        );
    }
}

/// The readings as a line with a point at each, hollow where a reading is not final.
fn line(svg: &mut String, m: &Metric, plot: &Plot) {
    let at = |i: usize| (plot.x(i), plot.y(m.series[i].value));
    paths(svg, segments(m, |i| plot.grid.gap_before(i), at));
    for (i, p) in m.series.iter().enumerate() {
        let class = if layout::hollow(p) {
            "chart-point chart-hollow"
        } else {
            "chart-point"
        };
        let _ = writeln!(
            svg,
            "<circle class=\"{class}\" cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
            c(plot.x(i)),
            c(plot.y(p.value)),
            labels::POINT_R
        );
    }
}

/// The readings as bars from the axis line, up or down (a zero is still a sliver): hatched
/// when projected, outlined when provisional.
fn bars(svg: &mut String, m: &Metric, plot: &Plot, id: &str) {
    if m.series.iter().any(layout::projected) {
        let _ = writeln!(svg, "<defs>{}</defs>", hatch(&format!("{id}-hatch")));
    }
    let w = plot.bar_width();
    for (i, p) in m.series.iter().enumerate() {
        let (top, bottom) = plot.bar(p.value);
        let look = match p.status {
            Some(Status::Projected) => {
                format!("class=\"chart-bar-hatched\" fill=\"url(#{id}-hatch)\"")
            }
            Some(Status::Provisional) => "class=\"chart-bar-outline\"".into(),
            _ => "class=\"chart-bar\"".into(),
        };
        let _ = writeln!(
            svg,
            "<rect {look} x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            c(plot.x(i) - w / 2.0),
            c(top),
            c(w),
            c((bottom - top).max(0.5))
        );
    }
}

/// The hatching a projected bar is filled with; its strokes take their colour from a class.
fn hatch(id: &str) -> String {
    format!(
        "<pattern id=\"{id}\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><line class=\"chart-hatch\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"5\"/></pattern>"
    )
}

/// The target: a dashed line across the chart, and its key above the plot at the right: the
/// text ends where the dashed sample begins.
fn target(svg: &mut String, plot: &Plot, t: &Point, key: &Label) {
    let _ = writeln!(
        svg,
        "<line class=\"chart-target\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        c(plot.left),
        c(plot.y(t.value)),
        c(RIGHT),
        c(plot.y(t.value))
    );
    text(svg, key);
    let _ = writeln!(
        svg,
        "<line class=\"chart-target\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        c(WIDTH - 28.0),
        c(key.y - 4.0),
        c(WIDTH - 4.0),
        c(key.y - 4.0)
    );
}

/// A small line of the readings for a metric card; decorative, since the card says the latest
/// value and its direction in words. It breaks at a missing period like the chart, and is
/// dashed into a projected reading.
pub fn sparkline(m: &Metric) -> String {
    const W: f64 = 100.0;
    const H: f64 = 28.0;
    let grid = layout::Grid::of(&m.series);
    let values: Vec<f64> = m.series.iter().map(|p: &Point| p.value).collect();
    let lo = values.iter().copied().fold(f64::MAX, f64::min);
    let hi = values.iter().copied().fold(f64::MIN, f64::max);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let steps = grid.count.saturating_sub(1);
    let x = |i: usize| {
        if steps == 0 {
            W / 2.0
        } else {
            3.0 + grid.slot[i] as f64 * (W - 6.0) / steps as f64
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
    let (solid, dashed) = segments(m, |i| grid.gap_before(i), |i| (x(i), y(values[i])));
    for (class, d) in [
        ("chart-series", solid),
        ("chart-series chart-projected", dashed),
    ] {
        if !d.is_empty() {
            let _ = write!(svg, "<path class=\"{class}\" d=\"{d}\"/>");
        }
    }
    let Some(last) = m.series.last() else {
        svg.push_str("</svg>");
        return svg;
    };
    let class = if layout::hollow(last) {
        "chart-point chart-hollow"
    } else {
        "chart-point"
    };
    let n = values.len();
    let _ = write!(
        svg,
        "<circle class=\"{class}\" cx=\"{}\" cy=\"{}\" r=\"3\"/></svg>",
        c(x(n - 1)),
        c(y(values[n - 1]))
    );
    svg
}

#[cfg(test)]
mod tests;
