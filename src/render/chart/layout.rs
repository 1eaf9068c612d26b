//! Where a chart's readings go: the grid of time slots across, the scale up, and the frame
//! of the drawing that holds them.

use crate::content::Metric;
use crate::content::metrics::{Period, Point, Status};
use crate::figures;
use crate::i18n::Locale;

use super::place::{Anchor, Label, ROW};

/// The drawing's width; the SVG scales to the width of its container.
pub(super) const WIDTH: f64 = 320.0;
/// The plot's right edge.
pub(super) const RIGHT: f64 = 308.0;
/// A line's first and last readings sit this far in from the plot's edges, clear of the
/// axis-break mark and with room for their labels.
pub(super) const INSET: f64 = 16.0;
/// Where the plot starts below the top titles' row, and ends above the period labels.
const TOP: f64 = 44.0;
const HEIGHT: f64 = 230.0;
/// From the plot's bottom to the drawing's: the period labels' row and the axis title's.
pub(super) const BELOW: f64 = 52.0;
/// More time slots than this are too narrow for bars: the readings are drawn as a line.
pub(super) const MAX_SLOTS: usize = 120;

/// A period as a count of steps from year 0: years for yearly data, months for monthly.
fn ordinal(p: Period) -> i64 {
    match p {
        Period::Year(y) => i64::from(y),
        Period::Month(y, m) => i64::from(y) * 12 + i64::from(m) - 1,
    }
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 { a.abs() } else { gcd(b, a % b) }
}

/// The readings on a grid of equal steps of time: the step is the greatest common divisor of
/// the gaps between readings, so a missing period is an empty slot.
#[derive(Clone, Debug)]
pub(super) struct Grid {
    first: i64,
    step: i64,
    pub(super) count: usize,
    /// Each reading's slot, ascending.
    pub(super) slot: Vec<usize>,
    pub(super) yearly: bool,
}

impl Grid {
    pub(super) fn of(series: &[Point]) -> Grid {
        let ords: Vec<i64> = series.iter().map(|p| ordinal(p.period)).collect();
        let first = ords.first().copied().unwrap_or(0);
        let step = ords.windows(2).fold(0, |g, w| gcd(g, w[1] - w[0])).max(1);
        let slot: Vec<usize> = ords
            .iter()
            .map(|o| usize::try_from((o - first) / step).unwrap_or(0))
            .collect();
        Grid {
            first,
            step,
            count: slot.last().map_or(1, |s| s + 1),
            slot,
            yearly: series.first().is_none_or(|p| !p.period.is_month()),
        }
    }

    /// Whether a period is missing between reading `i - 1` and reading `i`.
    pub(super) fn gap_before(&self, i: usize) -> bool {
        i > 0 && self.slot[i] > self.slot[i - 1] + 1
    }

    /// The period of slot `s`.
    pub(super) fn period(&self, s: usize) -> Period {
        let o = self.first + self.step * s as i64;
        if self.yearly {
            Period::Year(i32::try_from(o).unwrap_or(0))
        } else {
            Period::Month(
                i32::try_from(o.div_euclid(12)).unwrap_or(0),
                u32::try_from(o.rem_euclid(12) + 1).unwrap_or(1),
            )
        }
    }
}

/// Whether a metric's readings are drawn as a line: three or more readings filling at least
/// half of their time slots, or too many slots for bars. Else bars, where an empty slot shows a
/// missing period plainly.
pub(super) fn line_for(series: &[Point], grid: &Grid) -> bool {
    series.len() >= 3 && (2 * series.len() >= grid.count || grid.count > MAX_SLOTS)
}

/// Round tick marks covering `lo..=hi`: about four steps of 1, 2 or 5 times a power of ten.
pub(super) fn ticks(lo: f64, hi: f64) -> Vec<f64> {
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

/// Where a metric's readings go in the drawing.
#[derive(Clone, Debug)]
pub(super) struct Plot {
    pub(super) line: bool,
    /// The vertical axis's round values, lowest first; the first and last bound the plot.
    pub(super) ticks: Vec<f64>,
    pub(super) grid: Grid,
    pub(super) left: f64,
    pub(super) top: f64,
    pub(super) bottom: f64,
    pub(super) height: f64,
}

impl Plot {
    /// The plot for `m`, with `extra` rows of room above the highest reading (for bars'
    /// labels), below titles whose last row's baseline is `title_row`.
    pub(super) fn of(m: &Metric, extra: usize, title_row: f64, locale: &Locale) -> Plot {
        let grid = Grid::of(&m.series);
        let line = line_for(&m.series, &grid);
        let values = m.series.iter().chain(&m.target).map(|p| p.value);
        let (mut lo, mut hi) =
            values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        if !line {
            // Bars are measured from zero.
            lo = lo.min(0.0);
            hi = hi.max(0.0);
        }
        let ticks = ticks(lo, hi);
        // The vertical axis's labels end 6 units left of the plot.
        let widest = ticks
            .iter()
            .map(|&t| {
                Label::new(
                    0.0,
                    0.0,
                    Anchor::Start,
                    &figures::value_in(locale, m.unit, t),
                    "",
                )
                .rect()
            })
            .map(|r| r.x1 - r.x0)
            .fold(0.0, f64::max);
        let top = TOP + (title_row - 15.0) + extra as f64 * ROW;
        // Past two extra rows the drawing grows rather than squeezing the plot.
        let height = HEIGHT + (title_row - 15.0) + extra.saturating_sub(2) as f64 * ROW;
        Plot {
            line,
            ticks,
            grid,
            left: (widest + 10.0).max(36.0),
            top,
            bottom: height - BELOW,
            height,
        }
    }

    pub(super) fn kind(&self) -> &'static str {
        if self.line { "line" } else { "bar" }
    }

    /// The lowest and highest values on the vertical axis.
    pub(super) fn range(&self) -> (f64, f64) {
        (self.ticks[0], self.ticks[self.ticks.len() - 1])
    }

    pub(super) fn y(&self, v: f64) -> f64 {
        let (t0, t1) = self.range();
        self.bottom - (v - t0) / (t1 - t0) * (self.bottom - self.top)
    }

    /// The width each time slot takes.
    pub(super) fn band(&self) -> f64 {
        (RIGHT - self.left) / self.grid.count as f64
    }

    /// Where slot `s` is across: a line runs from inset edge to inset edge, a bar is centred
    /// in its band.
    pub(super) fn x_slot(&self, s: usize) -> f64 {
        if self.line {
            let span = RIGHT - self.left - 2.0 * INSET;
            let steps = self.grid.count.saturating_sub(1).max(1) as f64;
            self.left + INSET + s as f64 * span / steps
        } else {
            self.left + self.band() * (s as f64 + 0.5)
        }
    }

    /// Where reading `i` is across.
    pub(super) fn x(&self, i: usize) -> f64 {
        self.x_slot(self.grid.slot[i])
    }

    /// A bar's width: most of its band, never wider than 48.
    pub(super) fn bar_width(&self) -> f64 {
        (self.band() * 0.6).min(48.0)
    }

    /// Where the axis line goes: at zero, or at the bottom when zero is off the scale.
    pub(super) fn base(&self) -> f64 {
        let (t0, t1) = self.range();
        if t0 <= 0.0 && t1 >= 0.0 {
            self.y(0.0)
        } else {
            self.bottom
        }
    }

    /// The value where a line's vertical axis is cut short of zero, if it is.
    pub(super) fn cut(&self) -> Option<f64> {
        let (t0, t1) = self.range();
        match () {
            _ if !self.line => None,
            _ if t0 > 0.0 => Some(t0),
            _ if t1 < 0.0 => Some(t1),
            _ => None,
        }
    }

    /// A bar's top and bottom.
    pub(super) fn bar(&self, v: f64) -> (f64, f64) {
        let base = self.base();
        if v >= 0.0 {
            (self.y(v), base)
        } else {
            (base, self.y(v))
        }
    }
}

/// Whether a reading is drawn hollow: not yet final.
pub(super) fn hollow(p: &Point) -> bool {
    matches!(p.status, Some(Status::Projected | Status::Provisional))
}

pub(super) fn projected(p: &Point) -> bool {
    p.status == Some(Status::Projected)
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

    fn series(periods: &[Period]) -> Vec<Point> {
        periods.iter().map(|&p| Point::at(p, 1.0)).collect()
    }

    #[test]
    fn the_grid_steps_by_the_greatest_common_gap() {
        let g = Grid::of(&series(&[
            Period::Year(2018),
            Period::Year(2019),
            Period::Year(2021),
        ]));
        assert_eq!(
            (g.count, g.slot.clone(), g.yearly),
            (4, vec![0, 1, 3], true)
        );
        assert!(!g.gap_before(1) && g.gap_before(2));
        assert_eq!(g.period(2), Period::Year(2020));
        let g = Grid::of(&series(&[
            Period::Month(2017, 12),
            Period::Month(2021, 12),
            Period::Month(2022, 6),
        ]));
        assert_eq!(
            (g.count, g.slot.clone(), g.yearly),
            (10, vec![0, 8, 9], false)
        );
        assert_eq!(g.period(1), Period::Month(2018, 6));
        let one = Grid::of(&series(&[Period::Year(2020)]));
        assert_eq!((one.count, one.slot.clone()), (1, vec![0]));
    }
}
