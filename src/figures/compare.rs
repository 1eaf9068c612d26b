//! The one comparison the site states about a metric's change: two readings, both periods
//! named, the change in the terms its unit calls for, and which way that is for the better.
//! Every sentence, arrow and direction word about a change comes from here, so no two parts
//! of the site can disagree about the same metric.

use std::cmp::Ordering;

use super::{Direction, digits, value_in};
use crate::content::metrics::{Better, Point, Status};
use crate::content::{Metric, Unit};
use crate::i18n::Locale;
#[cfg(test)]
use crate::i18n::english;

/// How a change is measured, as its unit and size call for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Change {
    /// The two readings are equal.
    Unchanged,
    /// A percentage's change, in percentage points, already rounded to the data's precision.
    Points(f64),
    /// A change as a percentage of the earlier reading, rounded to at most three significant
    /// figures.
    Percent(f64),
    /// A change stated as the two values, "from 3 to 2": small counts, ratios, small sums of
    /// money, and anything that crosses zero.
    Number,
}

/// What the site says about the change between two readings of a metric.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Comparison<'a> {
    pub(crate) unit: Unit,
    pub(crate) from: &'a Point,
    pub(crate) to: &'a Point,
    pub(crate) change: Change,
    /// Which way the value itself moved.
    pub(crate) moved: Ordering,
    /// Whether that is for the better, as the metric's `better:` says.
    pub(crate) direction: Direction,
}

/// Counts (and money, in pounds) below this change as numbers: a percentage of a small
/// number overstates it ("down 33.3%" for 3 to 2).
const SMALL_COUNT: f64 = 100.0;
const SMALL_MONEY: f64 = 1000.0;

/// The latest reading against the one before it; `None` for a single reading.
pub(crate) fn latest(m: &Metric) -> Option<Comparison<'_>> {
    let [.., from, to] = m.series.as_slice() else {
        return None;
    };
    Some(compare(m.unit, m.better, from, to))
}

/// The first reading against the latest; `None` for a single reading.
pub(crate) fn whole(m: &Metric) -> Option<Comparison<'_>> {
    let [from, .., to] = m.series.as_slice() else {
        return None;
    };
    Some(compare(m.unit, m.better, from, to))
}

/// How `to` compares with `from`, for a metric of `unit` where `better` values are higher or
/// lower.
pub(crate) fn compare<'a>(
    unit: Unit,
    better: Better,
    from: &'a Point,
    to: &'a Point,
) -> Comparison<'a> {
    let moved = to.value.total_cmp(&from.value);
    let direction = match (moved, better) {
        (Ordering::Equal, _) => Direction::Unchanged,
        (Ordering::Greater, Better::Higher) | (Ordering::Less, Better::Lower) => {
            Direction::Improving
        }
        _ => Direction::Worsening,
    };
    let change = if moved == Ordering::Equal {
        Change::Unchanged
    } else {
        measure(unit, from.value, to.value)
    };
    Comparison {
        unit,
        from,
        to,
        change,
        moved,
        direction,
    }
}

/// The terms a change from `a` to `b` (which differ) is stated in.
fn measure(unit: Unit, a: f64, b: f64) -> Change {
    let small = match unit {
        Unit::Percent => {
            let d = decimals(a).max(decimals(b)).min(2);
            let points = round_to(b - a, d);
            // Equal at the data's precision is still a change in the data: say it as numbers.
            return if points == 0.0 {
                Change::Number
            } else {
                Change::Points(points)
            };
        }
        Unit::Ratio => return Change::Number,
        Unit::Count => SMALL_COUNT,
        Unit::Gbp => SMALL_MONEY,
    };
    // No percentage of a small number, from zero, or across zero.
    if a.abs() < small || b.abs() < small || a.signum() != b.signum() {
        return Change::Number;
    }
    let pct = significant((b - a) / a.abs() * 100.0, 3);
    if pct == 0.0 || !pct.is_finite() {
        Change::Number
    } else {
        Change::Percent(pct)
    }
}

/// How many decimals `v` is written with, as its shortest exact form has it.
fn decimals(v: f64) -> usize {
    let s = format!("{v}");
    s.split_once('.').map_or(0, |(_, f)| f.len())
}

fn round_to(v: f64, decimals: usize) -> f64 {
    let f = 10f64.powi(decimals as i32);
    (v * f).round() / f
}

/// `v` to `sig` significant figures, and to at most one decimal place.
fn significant(v: f64, sig: i32) -> f64 {
    if v == 0.0 {
        return 0.0;
    }
    let magnitude = v.abs().log10().floor() as i32;
    let decimals = sig - 1 - magnitude;
    if decimals >= 0 {
        round_to(v, decimals.min(1) as usize)
    } else {
        let f = 10f64.powi(-decimals);
        (v / f).round() * f
    }
}

/// Two values as the sentence writes them, in full where the scaled form would make them
/// look equal ("£2,000,010" rather than "£2m" twice).
fn pair(locale: &Locale, unit: Unit, a: f64, b: f64) -> (String, String) {
    let (x, y) = (value_in(locale, unit, a), value_in(locale, unit, b));
    if x != y {
        return (x, y);
    }
    let full = |v: f64| match unit {
        Unit::Gbp => {
            let sign = if v < 0.0 { "-" } else { "" };
            let n = locale.decimal(&digits(v.abs(), 2));
            locale.text("value_gbp", &[("sign", sign), ("n", &n)])
        }
        Unit::Percent => {
            let n = locale.decimal(&digits(v, 15));
            locale.text("value_percent", &[("n", &n)])
        }
        Unit::Count | Unit::Ratio => locale.decimal(&digits(v, 15)),
    };
    (full(a), full(b))
}

impl Comparison<'_> {
    /// Whether the later reading is a projection: the change has not happened, and is never
    /// stated as if it had.
    pub(crate) fn projected(&self) -> bool {
        self.to.status == Some(Status::Projected)
    }

    /// "improving", "worsening" or "unchanged" as `better:` says; "projected" when the later
    /// reading is a projection, which is not yet better or worse.
    pub(crate) fn judgement(&self) -> &'static str {
        if self.projected() && self.moved != Ordering::Equal {
            "projected"
        } else {
            self.direction.word()
        }
    }

    /// ↑, ↓ or →: which way the value moved.
    pub(crate) fn arrow(&self) -> &'static str {
        match self.moved {
            Ordering::Greater => "↑",
            Ordering::Less => "↓",
            Ordering::Equal => "→",
        }
    }

    /// The change in words, both periods named: "down 3 percentage points from June 2021 to
    /// December 2021", "up 6.3% from 2021 to 2022", "down from 3 in 2021 to 2 in 2022",
    /// "unchanged at 51% from 2020 to 2021".
    #[cfg(test)]
    pub(crate) fn sentence(&self) -> String {
        self.worded(english(), false)
    }

    /// [`Comparison::sentence`] in `locale`'s words.
    pub(crate) fn sentence_in(&self, locale: &Locale) -> String {
        self.worded(locale, false)
    }

    /// How big the change is, when it is stated as a size: "3 percentage points", "1
    /// percentage point", "6.3%"; none when it is stated as the two values.
    fn size(&self, locale: &Locale) -> Option<String> {
        match self.change {
            Change::Points(d) => {
                Some(locale.counted_digits("change_points", &digits(d.abs(), 2), &[]))
            }
            Change::Percent(p) => {
                let n = locale.decimal(&digits(p.abs(), 1));
                Some(locale.text("value_percent", &[("n", &n)]))
            }
            Change::Unchanged | Change::Number => None,
        }
    }

    /// The sentence with both values said, as a chart's description needs them: "down 17
    /// percentage points from 68% in December 2017 to 51% in December 2021".
    #[cfg(test)]
    pub(crate) fn sentence_with_values(&self) -> String {
        self.worded(english(), true)
    }

    /// [`Comparison::sentence_with_values`] in `locale`'s words.
    pub(crate) fn sentence_with_values_in(&self, locale: &Locale) -> String {
        self.worded(locale, true)
    }

    /// The sentence, with the two values named when `values` (a change stated as the two
    /// values always names them), in the theme's strings `change_*` of `locale`. A change to
    /// a projected reading is worded as a projection ("a projected rise of 131% from 2021 to
    /// 2023"), never as something that happened.
    fn worded(&self, locale: &Locale, values: bool) -> String {
        let (from, to) = (
            locale.period(self.from.period),
            locale.period(self.to.period),
        );
        let span = |values: bool| {
            if values {
                let (a, b) = pair(locale, self.unit, self.from.value, self.to.value);
                locale.text(
                    "change_span_values",
                    &[("a", &a), ("from", &from), ("b", &b), ("to", &to)],
                )
            } else {
                locale.text("change_span", &[("from", &from), ("to", &to)])
            }
        };
        let projected = self.projected();
        // The key's stem: how it moved, or, for a projection, the rise or fall foreseen.
        let how = match (projected, self.moved) {
            (true, Ordering::Greater) => "rise",
            (true, _) => "fall",
            (false, Ordering::Greater) => "up",
            (false, Ordering::Less) => "down",
            (false, Ordering::Equal) => "same",
        };
        match (self.change, self.size(locale)) {
            (Change::Unchanged, _) if projected => {
                locale.text("change_projected_unchanged", &[("span", &span(false))])
            }
            (Change::Unchanged, _) => locale.text(
                "change_unchanged_at",
                &[
                    ("value", &value_in(locale, self.unit, self.to.value)),
                    ("span", &span(false)),
                ],
            ),
            (_, Some(size)) => locale.text(
                &format!("change_{how}_by"),
                &[("size", &size), ("span", &span(values))],
            ),
            (_, None) => locale.text(&format!("change_{how}_between"), &[("span", &span(true))]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Period;
    use proptest::prelude::*;

    fn point(period: Period, value: f64) -> Point {
        Point::at(period, value)
    }

    #[test]
    fn a_projection_is_worded_as_one_and_judged_neither_better_nor_worse() {
        let p = point(Period::Year(2021), 3_200_000.0);
        let mut q = point(Period::Year(2023), 7_400_000.0);
        q.status = Some(Status::Projected);
        let c = compare(Unit::Gbp, Better::Higher, &p, &q);
        assert_eq!(c.sentence(), "a projected rise of 131% from 2021 to 2023");
        assert_eq!(
            c.sentence_with_values(),
            "a projected rise of 131% from £3.2m in 2021 to £7.4m in 2023"
        );
        assert_eq!(c.judgement(), "projected");
        assert_eq!(c.arrow(), "↑");
        q.value = 3_200_000.0;
        let same = compare(Unit::Gbp, Better::Higher, &p, &q);
        assert_eq!(
            same.sentence(),
            "projected to be unchanged from 2021 to 2023"
        );
        assert_eq!(same.judgement(), "unchanged");
        let three = point(Period::Year(2021), 3.0);
        let mut r = point(Period::Year(2023), 2.0);
        r.status = Some(Status::Projected);
        let small = compare(Unit::Count, Better::Lower, &three, &r);
        assert_eq!(
            small.sentence(),
            "a projected fall from 3 in 2021 to 2 in 2023"
        );
        // Provisional and revised readings happened: stated as usual.
        r.status = Some(Status::Provisional);
        let prov = compare(Unit::Count, Better::Lower, &three, &r);
        assert_eq!(prov.sentence(), "down from 3 in 2021 to 2 in 2023");
        assert_eq!(prov.judgement(), "improving");
    }

    fn said(unit: Unit, better: Better, a: f64, b: f64) -> String {
        let (p, q) = (
            point(Period::Month(2021, 6), a),
            point(Period::Month(2021, 12), b),
        );
        compare(unit, better, &p, &q).sentence()
    }

    #[test]
    fn percentages_change_in_percentage_points() {
        assert_eq!(
            said(Unit::Percent, Better::Higher, 54.0, 51.0),
            "down 3 percentage points from June 2021 to December 2021"
        );
        assert_eq!(
            said(Unit::Percent, Better::Higher, 50.0, 51.0),
            "up 1 percentage point from June 2021 to December 2021"
        );
        // Float noise does not show: the data has one decimal, so does the change.
        assert_eq!(
            said(Unit::Percent, Better::Higher, 49.6, 51.3),
            "up 1.7 percentage points from June 2021 to December 2021"
        );
        // Points are fine across zero.
        assert_eq!(
            said(Unit::Percent, Better::Higher, -3.5, 2.0),
            "up 5.5 percentage points from June 2021 to December 2021"
        );
    }

    #[test]
    fn small_counts_change_as_numbers() {
        assert_eq!(
            said(Unit::Count, Better::Lower, 3.0, 2.0),
            "down from 3 in June 2021 to 2 in December 2021"
        );
        assert_eq!(
            said(Unit::Count, Better::Lower, 99.0, 5000.0),
            "up from 99 in June 2021 to 5,000 in December 2021"
        );
        assert_eq!(
            said(Unit::Count, Better::Lower, 1000.0, 937.0),
            "down 6.3% from June 2021 to December 2021"
        );
    }

    #[test]
    fn no_percentage_from_zero_or_across_it() {
        assert_eq!(
            said(Unit::Count, Better::Higher, 0.0, 500.0),
            "up from 0 in June 2021 to 500 in December 2021"
        );
        assert_eq!(
            said(Unit::Count, Better::Higher, -400.0, 500.0),
            "up from -400 in June 2021 to 500 in December 2021"
        );
        assert_eq!(
            said(Unit::Gbp, Better::Higher, -2e6, 3e6),
            "up from -£2m in June 2021 to £3m in December 2021"
        );
        // Both negative: a percentage of the size is still meaningful.
        assert_eq!(
            said(Unit::Count, Better::Higher, -400.0, -300.0),
            "up 25% from June 2021 to December 2021"
        );
    }

    #[test]
    fn percentage_changes_have_at_most_three_significant_figures() {
        assert_eq!(
            said(Unit::Count, Better::Higher, 600.0, 350.0),
            "down 41.7% from June 2021 to December 2021"
        );
        assert_eq!(
            said(Unit::Gbp, Better::Higher, 3.2e6, 7.4e6),
            "up 131% from June 2021 to December 2021"
        );
        assert_eq!(
            said(Unit::Count, Better::Higher, 1000.0, 33_333.0),
            "up 3,230% from June 2021 to December 2021"
        );
        // A change too small to show as a percentage is said as numbers, never "up 0%".
        assert_eq!(
            said(Unit::Count, Better::Higher, 1_000_000.0, 1_000_001.0),
            "up from 1,000,000 in June 2021 to 1,000,001 in December 2021"
        );
        assert_eq!(
            said(Unit::Gbp, Better::Higher, 2e6, 2_000_010.0),
            "up from £2,000,000 in June 2021 to £2,000,010 in December 2021"
        );
    }

    #[test]
    fn ratios_and_small_money_change_as_numbers() {
        assert_eq!(
            said(Unit::Ratio, Better::Lower, 6.4, 5.8),
            "down from 6.4 in June 2021 to 5.8 in December 2021"
        );
        assert_eq!(
            said(Unit::Gbp, Better::Higher, 13.0, 15.0),
            "up from £13 in June 2021 to £15 in December 2021"
        );
        assert_eq!(
            said(Unit::Gbp, Better::Higher, 2e6, 2.5e6),
            "up 25% from June 2021 to December 2021"
        );
    }

    #[test]
    fn equal_values_are_unchanged_and_one_reading_has_no_comparison() {
        assert_eq!(
            said(Unit::Ratio, Better::Lower, 1.5, 1.5),
            "unchanged at 1.5 from June 2021 to December 2021"
        );
        let (p, q) = (
            point(Period::Year(2020), 7.0),
            point(Period::Year(2021), 7.0),
        );
        let c = compare(Unit::Count, Better::Higher, &p, &q);
        assert_eq!((c.arrow(), c.direction), ("→", Direction::Unchanged));
        let mut m = crate::figures::tests::metric(Unit::Count, &[(Period::Year(2021), 5.0)]);
        assert!(latest(&m).is_none() && whole(&m).is_none());
        m.series.push(point(Period::Year(2022), 6.0));
        m.series.push(point(Period::Year(2023), 4.0));
        assert_eq!(
            latest(&m).map(|c| c.sentence()).as_deref(),
            Some("down from 6 in 2022 to 4 in 2023")
        );
        assert_eq!(
            whole(&m).map(|c| c.sentence()).as_deref(),
            Some("down from 5 in 2021 to 4 in 2023")
        );
    }

    #[test]
    fn directions_follow_better() {
        let (p, q) = (
            point(Period::Year(2020), 40.0),
            point(Period::Year(2021), 45.0),
        );
        assert_eq!(
            compare(Unit::Percent, Better::Higher, &p, &q).direction,
            Direction::Improving
        );
        assert_eq!(
            compare(Unit::Percent, Better::Lower, &p, &q).direction,
            Direction::Worsening
        );
    }

    #[test]
    fn values_are_named_when_asked() {
        let (p, q) = (
            point(Period::Month(2017, 12), 68.0),
            point(Period::Month(2021, 12), 51.0),
        );
        assert_eq!(
            compare(Unit::Percent, Better::Higher, &p, &q).sentence_with_values(),
            "down 17 percentage points from 68% in December 2017 to 51% in December 2021"
        );
    }

    fn unit() -> impl Strategy<Value = Unit> {
        prop_oneof![
            Just(Unit::Percent),
            Just(Unit::Count),
            Just(Unit::Ratio),
            Just(Unit::Gbp)
        ]
    }

    proptest! {
        /// The sentence, the arrow, the direction word and the sign of the change never
        /// disagree, and a change is never stated as nothing.
        #[test]
        fn sentence_arrow_and_sign_agree(
            unit in unit(),
            higher in any::<bool>(),
            start in -1_000_000i64..1_000_000,
            // Steps both tiny and large, so near-equal readings, zero and sign changes occur.
            steps in prop::collection::vec(
                prop_oneof![-2i64..=2, -1_000_000i64..1_000_000, Just(0)],
                1..8,
            ),
            scale in prop_oneof![Just(1.0), Just(0.1), Just(0.01), Just(1000.0)],
        ) {
            let better = if higher { Better::Higher } else { Better::Lower };
            let values = steps.iter().scan(start, |v, d| {
                *v += d;
                Some(*v)
            });
            let series: Vec<Point> = std::iter::once(start)
                .chain(values)
                .enumerate()
                .map(|(i, v)| point(Period::Year(2000 + i as i32), round_to(v as f64 * scale, 2)))
                .collect();
            for w in series.windows(2) {
                let c = compare(unit, better, &w[0], &w[1]);
                let s = c.sentence();
                let rose = w[1].value > w[0].value;
                let fell = w[1].value < w[0].value;
                prop_assert_eq!(s.starts_with("up "), rose, "{}", s);
                prop_assert_eq!(s.starts_with("down "), fell, "{}", s);
                prop_assert_eq!(s.starts_with("unchanged "), !rose && !fell, "{}", s);
                prop_assert_eq!(c.arrow() == "↑", rose);
                prop_assert_eq!(c.arrow() == "↓", fell);
                let improving = (rose && higher) || (fell && !higher);
                let worsening = (fell && higher) || (rose && !higher);
                prop_assert_eq!(c.direction == Direction::Improving, improving);
                prop_assert_eq!(c.direction == Direction::Worsening, worsening);
                prop_assert!(!s.contains(" 0 percentage") && !s.contains(" 0%"), "{}", s);
                if let Change::Number = c.change {
                    let (a, b) = pair(english(), unit, w[0].value, w[1].value);
                    prop_assert!(a != b || !(rose || fell), "{}", s);
                }
            }
        }
    }
}
