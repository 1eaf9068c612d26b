//! Every text in a chart, placed so that none overlaps another, the line, a bar, a point or
//! the edge: the axes' titles and labels, the target's key, the readings' values and their
//! `*` and "r" marks.

use crate::content::Metric;
use crate::content::metrics::{Point, Status, Unit};
use crate::figures;

use super::layout::{INSET, Plot, RIGHT, WIDTH};
use super::place::{Anchor, FONT, Label, Placer, ROW, Rect};
use super::short;
use crate::i18n::Locale;

/// A point's radius.
pub(super) const POINT_R: f64 = 3.5;
/// Where the target's key text ends: the dashed sample follows it.
pub(super) const TARGET_TEXT_END: f64 = WIDTH - 34.0;
/// The first row's baseline (the vertical axis's title), and the second's.
const ROW_1: f64 = 15.0;
const ROW_2: f64 = ROW_1 + ROW + 2.0;
/// At most this many rows of room are added above bars to fit their values.
const MAX_EXTRA: usize = 8;
/// How many of [`around`]'s spots are near the point: above, below and beside it, and a
/// row further above and below.
const NEAR: usize = 14;
/// Up to this many bars, each has its value; past it, the first, last, lowest and highest.
const ALL_BAR_VALUES: usize = 12;

/// A chart's texts, placed.
#[derive(Debug)]
pub(super) struct Labels {
    /// The axes' titles and the vertical axis's values.
    pub(super) axes: Vec<Label>,
    pub(super) periods: Vec<Label>,
    pub(super) values: Vec<Label>,
    pub(super) marks: Vec<Label>,
    /// The target's key text, when there is a target.
    pub(super) target: Option<Label>,
    /// Whether every value that must be labelled is.
    complete: bool,
}

/// The target's key text at `row`: "Target 60% (Mar 2025)", or without its period when that
/// is too long for the top of the drawing ("Target 1,000,000"; the key under the chart and the
/// description still say it).
fn target_label(unit: Unit, t: &Point, row: f64, full: bool, locale: &Locale) -> Label {
    let value = figures::value_in(locale, unit, t.value);
    let text = if full {
        let period = short(t.period, locale);
        locale.text(
            "chart_target_when",
            &[("value", &value), ("period", &period)],
        )
    } else {
        locale.text("chart_target", &[("value", &value)])
    };
    Label::new(
        TARGET_TEXT_END,
        row,
        Anchor::End,
        &text,
        "chart-target-label",
    )
}

/// Where the target's key goes: on the top row when clear of the vertical axis's title, else
/// on the row below; shortened if it would cross the edge.
fn place_target(unit: Unit, t: &Point, y_title: &Label, locale: &Locale) -> Label {
    let options = [(ROW_1, true), (ROW_2, true), (ROW_1, false), (ROW_2, false)];
    options
        .iter()
        .map(|&(row, full)| target_label(unit, t, row, full, locale))
        .find(|l| {
            let r = target_box(l);
            r.x0 >= 0.0 && !r.meets(&y_title.rect())
        })
        .unwrap_or_else(|| target_label(unit, t, ROW_2, false, locale))
}

fn y_title(unit: Unit, locale: &Locale) -> String {
    locale.text(&format!("chart_axis_{}", figures::unit_key(unit)), &[])
}

/// The target's key, text and dashed sample, as one box.
pub(super) fn target_box(l: &Label) -> Rect {
    let r = l.rect();
    Rect::new(r.x0, r.y0, WIDTH - 4.0, r.y1)
}

/// A reading's value as labelled: with "*" when it has a note and "r" when revised.
fn value_text(unit: Unit, p: &Point, locale: &Locale) -> String {
    let mut s = figures::value_in(locale, unit, p.value);
    if p.note.is_some() {
        s.push('*');
    }
    if p.status == Some(Status::Revised) {
        s.push_str(" r");
    }
    s
}

impl Labels {
    /// The plot and its labels: bars get more room above them until every value that must
    /// be labelled fits.
    pub(super) fn lay_out(m: &Metric, locale: &Locale) -> (Plot, Labels) {
        let y_title = Label::new(
            4.0,
            ROW_1,
            Anchor::Start,
            &y_title(m.unit, locale),
            "chart-axis-title",
        );
        let target = m
            .target
            .as_ref()
            .map(|t| place_target(m.unit, t, &y_title, locale));
        let row = target.as_ref().map_or(ROW_1, |l| l.y);
        let mut extra = 0;
        loop {
            let plot = Plot::of(m, extra, row, locale);
            let labels = Labels::place(m, &plot, &y_title, target.clone(), locale);
            if labels.complete || extra == MAX_EXTRA {
                return (plot, labels);
            }
            extra += 1;
        }
    }

    fn place(
        m: &Metric,
        plot: &Plot,
        y_title: &Label,
        target: Option<Label>,
        locale: &Locale,
    ) -> Labels {
        let mut axes = vec![y_title.clone()];
        for &t in &plot.ticks {
            axes.push(Label::new(
                plot.left - 6.0,
                plot.y(t) + 5.0,
                Anchor::End,
                &figures::value_in(locale, m.unit, t),
                "",
            ));
        }
        let x_title = locale.text(
            if plot.grid.yearly {
                "chart_axis_year"
            } else {
                "chart_axis_month"
            },
            &[],
        );
        axes.push(Label::new(
            (plot.left + RIGHT) / 2.0,
            plot.height - 4.0,
            Anchor::Middle,
            &x_title,
            "chart-axis-title",
        ));
        let mut p = obstacles(m, plot);
        p.boxes.extend(target.as_ref().map(target_box));
        p.boxes.extend(axes.iter().map(Label::rect));
        let (values, complete) = values(m, plot, &mut p, locale);
        let labelled: Vec<usize> = values.iter().map(|(i, _)| *i).collect();
        let marks = marks(m, plot, &labelled, &mut p);
        let values = values.into_iter().map(|(_, l)| l).collect();
        let periods = periods(plot, &axes, locale);
        Labels {
            target,
            axes,
            periods,
            values,
            marks,
            complete,
        }
    }
}

/// What a value label may not touch: points, bars, the line, the target
/// line, the axis line and its break; and where it may go, between the top row and the plot's
/// bottom (the period labels' row is theirs).
pub(super) fn obstacles(m: &Metric, plot: &Plot) -> Placer {
    let mut p = Placer::new(Rect::new(0.0, 0.0, WIDTH, plot.bottom + 4.0));
    if let Some(t) = &m.target {
        let y = plot.y(t.value);
        p.segments.push(((plot.left, y), (RIGHT, y)));
    }
    let base = plot.base();
    p.segments.push(((plot.left, base), (RIGHT, base)));
    if let Some(cut) = plot.cut() {
        let y = if cut > 0.0 { plot.bottom } else { plot.top };
        p.boxes
            .push(Rect::new(plot.left, y - 5.0, plot.left + 11.0, y + 5.0));
    }
    let w = plot.bar_width();
    for (i, pt) in m.series.iter().enumerate() {
        let x = plot.x(i);
        if plot.line {
            let y = plot.y(pt.value);
            let r = POINT_R + 1.5;
            p.boxes.push(Rect::new(x - r, y - r, x + r, y + r));
            if i > 0 && !plot.grid.gap_before(i) {
                p.segments
                    .push(((plot.x(i - 1), plot.y(m.series[i - 1].value)), (x, y)));
            }
        } else {
            let (top, bottom) = plot.bar(pt.value);
            p.boxes.push(Rect::new(
                x - w / 2.0 - 1.0,
                top,
                x + w / 2.0 + 1.0,
                bottom.max(top + 0.5),
            ));
        }
    }
    p
}

/// Spots for a text beside a reading at (`x`, `y`), nearest first: above, below, to the
/// sides, then row by row further away (over or under a crowded line).
fn around(x: f64, y: f64, text: &str, class: &'static str) -> Vec<Label> {
    // Clear of the point's box, whose half-width is POINT_R + 1.5 (see `obstacles`).
    let gap = POINT_R + 4.0;
    let above = y - gap - 0.25 * FONT;
    let below = y + gap + 0.95 * FONT;
    let mut out = Vec::new();
    for k in 0..=MAX_EXTRA + 4 {
        let far = k as f64 * ROW;
        for yy in [above - far, below + far] {
            out.push(Label::new(x, yy, Anchor::Middle, text, class));
            out.push(Label::new(x + gap, yy, Anchor::End, text, class));
            out.push(Label::new(x - gap, yy, Anchor::Start, text, class));
        }
        if k == 0 {
            out.push(Label::new(
                x + gap + 2.0,
                y + 5.0,
                Anchor::Start,
                text,
                class,
            ));
            out.push(Label::new(x - gap - 2.0, y + 5.0, Anchor::End, text, class));
        }
    }
    out
}

/// Spots for a bar's text: above its end, row by row (below a bar under zero, then above
/// the axis), centred on the bar or, near an edge, leaning in from its side.
fn beside_bar(plot: &Plot, v: f64, x: f64, text: &str, class: &'static str) -> Vec<Label> {
    let (top, bottom) = plot.bar(v);
    let half = plot.bar_width() / 2.0;
    let row = |y: f64| {
        [
            Label::new(x, y, Anchor::Middle, text, class),
            Label::new(x + half, y, Anchor::End, text, class),
            Label::new(x - half, y, Anchor::Start, text, class),
        ]
    };
    let rows = (0..=MAX_EXTRA + 4).map(|k| k as f64 * ROW);
    let over = rows.clone().flat_map(|d| row(top - 5.0 - d));
    if v >= 0.0 {
        over.collect()
    } else {
        rows.flat_map(|d| row(bottom + 4.0 + 0.95 * FONT + d))
            .chain(over)
            .collect()
    }
}

/// Where a reading's text may go. Only a text that must be shown may go further from a
/// point on a line than the nearest spots: an optional one far off would be misread.
fn spots(
    plot: &Plot,
    m: &Metric,
    i: usize,
    text: &str,
    class: &'static str,
    required: bool,
) -> Vec<Label> {
    let v = m.series[i].value;
    if plot.line {
        let mut all = around(plot.x(i), plot.y(v), text, class);
        if !required {
            all.truncate(NEAR);
        }
        all
    } else {
        beside_bar(plot, v, plot.x(i), text, class)
    }
}

/// The index of the lowest and of the highest reading (the first of equals).
fn extremes(series: &[Point]) -> (usize, usize) {
    let mut lo = 0;
    let mut hi = 0;
    for (i, p) in series.iter().enumerate() {
        if p.value < series[lo].value {
            lo = i;
        }
        if p.value > series[hi].value {
            hi = i;
        }
    }
    (lo, hi)
}

/// The readings' values: which must be labelled (every bar up to 12, else the first, last,
/// lowest and highest; a line's latest) and which may be (a line's first, lowest and highest),
/// placed in that order. Returns them and whether every one that must be is.
fn values(m: &Metric, plot: &Plot, p: &mut Placer, locale: &Locale) -> (Vec<(usize, Label)>, bool) {
    let n = m.series.len();
    let Some(last) = n.checked_sub(1) else {
        return (Vec::new(), true);
    };
    let (lo, hi) = extremes(&m.series);
    let (must, may): (Vec<usize>, Vec<usize>) = if plot.line {
        (vec![last], vec![hi, lo, 0])
    } else if n <= ALL_BAR_VALUES {
        (std::iter::once(last).chain(0..last).collect(), vec![])
    } else {
        (vec![last, 0, lo, hi], vec![])
    };
    let mut done: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    let mut complete = true;
    for (i, required) in must
        .into_iter()
        .map(|i| (i, true))
        .chain(may.into_iter().map(|i| (i, false)))
    {
        if done.contains(&i) {
            continue;
        }
        done.push(i);
        let class = if i == last {
            "chart-value chart-latest"
        } else {
            "chart-value"
        };
        let text = value_text(m.unit, &m.series[i], locale);
        match p.place(spots(plot, m, i, &text, class, required)) {
            Some(l) => out.push((i, l)),
            None => complete &= !required,
        }
    }
    out.sort_by_key(|(i, _)| *i);
    (out, complete)
}

/// The `*` and "r" marks of readings whose value is not labelled (a label carries its
/// reading's marks).
fn marks(m: &Metric, plot: &Plot, labelled: &[usize], p: &mut Placer) -> Vec<Label> {
    let mut out = Vec::new();
    for (i, pt) in m.series.iter().enumerate() {
        if labelled.contains(&i) {
            continue;
        }
        if pt.note.is_some() {
            out.extend(p.place(spots(plot, m, i, "*", "chart-note", false)));
        }
        if pt.status == Some(Status::Revised) {
            out.extend(p.place(spots(plot, m, i, "r", "chart-revised", false)));
        }
    }
    out
}

/// The period labels across: evenly spaced slots, as many as fit, with the last slot when it
/// fits too.
fn periods(plot: &Plot, axes: &[Label], locale: &Locale) -> Vec<Label> {
    let mut base = Placer::new(Rect::new(0.0, plot.bottom + 4.0, WIDTH, plot.bottom + 30.0));
    base.boxes.extend(axes.iter().map(Label::rect));
    let count = plot.grid.count;
    let spots = |s: usize| {
        let x = plot.x_slot(s);
        let text = short(plot.grid.period(s), locale);
        let y = plot.bottom + 24.0;
        let mut v = vec![Label::new(x, y, Anchor::Middle, &text, "")];
        // The first and last may lean inwards rather than cross the edge.
        if s == 0 {
            v.push(Label::new(x - INSET.min(6.0), y, Anchor::Start, &text, ""));
        }
        if s + 1 == count {
            v.push(Label::new(x + INSET.min(6.0), y, Anchor::End, &text, ""));
        }
        v
    };
    let lay = |slots: &[usize]| -> Option<Vec<Label>> {
        let mut p = base.clone();
        slots.iter().map(|&s| p.place(spots(s))).collect()
    };
    for stride in 1..=count {
        let even: Vec<usize> = (0..count).step_by(stride).collect();
        let Some(found) = lay(&even) else { continue };
        if even.last() == Some(&(count - 1)) {
            return found;
        }
        // The last slot too, in place of the one before it if need be.
        let mut with_last = even.clone();
        with_last.push(count - 1);
        if let Some(l) = lay(&with_last) {
            return l;
        }
        if even.len() < 2 {
            return found;
        }
        with_last.remove(with_last.len() - 2);
        return lay(&with_last).unwrap_or(found);
    }
    Vec::new()
}
