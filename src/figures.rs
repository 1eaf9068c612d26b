//! Figures as text: formatting values by unit (en-GB), saying a change or a trend in words,
//! and reading the number a sentence claims so it can be checked against the data.

use crate::content::metrics::{Better, Period};
use crate::content::{Metric, Unit};

/// `v` with at most `max_decimals`, trailing zeros dropped, and thousands commas: "4,012",
/// "6.3".
pub fn number(v: f64, max_decimals: usize) -> String {
    let s = format!("{:.*}", max_decimals, v.abs());
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A value written for its unit: "51%", "4,012", "6.3", "£13", "£1.2m", "£3.4bn".
pub fn value(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Percent => format!("{}%", number(v, 2)),
        Unit::Count => number(v, 2),
        Unit::Ratio => number(v, 2),
        Unit::Gbp => {
            let sign = if v < 0.0 { "-" } else { "" };
            let a = v.abs();
            if a >= 1e9 {
                format!("{sign}£{}bn", number(a / 1e9, 1))
            } else if a >= 1e6 {
                format!("{sign}£{}m", number(a / 1e6, 1))
            } else {
                format!("{sign}£{}", number(a, 2))
            }
        }
    }
}

/// The change from the first point to the latest, in words: "down 17 percentage points since
/// December 2017", "down 6.3% since 2016". `None` for a single point.
pub fn change(m: &Metric) -> Option<String> {
    let (first, last) = (m.series.first()?, m.series.last()?);
    if m.series.len() < 2 {
        return None;
    }
    let since = format!("since {}", first.period.label());
    let diff = last.value - first.value;
    if diff == 0.0 {
        return Some(format!("unchanged {since}"));
    }
    let dir = if diff > 0.0 { "up" } else { "down" };
    let amount = match m.unit {
        Unit::Percent => {
            let n = number(diff.abs(), 1);
            let word = if n == "1" {
                "percentage point"
            } else {
                "percentage points"
            };
            format!("{n} {word}")
        }
        // A change from a value near zero can be too large a percentage to write.
        Unit::Count | Unit::Gbp
            if first.value != 0.0 && (diff / first.value * 100.0).is_finite() =>
        {
            format!("{}%", number(diff.abs() / first.value.abs() * 100.0, 1))
        }
        Unit::Gbp => value(Unit::Gbp, diff.abs()),
        Unit::Count | Unit::Ratio => number(diff.abs(), 2),
    };
    Some(format!("{dir} {amount} {since}"))
}

/// Which way a metric last moved, judged by whether higher is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Improving,
    Worsening,
    Unchanged,
}

/// How the latest reading compares with the one before it: the direction, and whether the
/// value rose (`Greater`), fell or stayed. `None` for a single reading.
pub fn direction(m: &Metric) -> Option<(Direction, std::cmp::Ordering)> {
    let [.., before, last] = m.series.as_slice() else {
        return None;
    };
    let moved = last.value.total_cmp(&before.value);
    let direction = match (moved, m.better) {
        (std::cmp::Ordering::Equal, _) => Direction::Unchanged,
        (std::cmp::Ordering::Greater, Better::Higher)
        | (std::cmp::Ordering::Less, Better::Lower) => Direction::Improving,
        _ => Direction::Worsening,
    };
    Some((direction, moved))
}

impl Direction {
    pub fn word(self) -> &'static str {
        match self {
            Direction::Improving => "improving",
            Direction::Worsening => "worsening",
            Direction::Unchanged => "unchanged",
        }
    }
}

/// A difference between two values of a unit: "9 points" for percentages, "£2m", "120".
pub fn difference(unit: Unit, d: f64) -> String {
    match unit {
        Unit::Percent => {
            let n = number(d.abs(), 1);
            if n == "1" {
                "1 point".into()
            } else {
                format!("{n} points")
            }
        }
        Unit::Gbp => value(Unit::Gbp, d.abs()),
        Unit::Count | Unit::Ratio => number(d.abs(), 2),
    }
}

/// Whether readings come at a steady interval (every year, every quarter…). A series of one or
/// two readings is steady.
pub fn evenly_spaced(series: &[crate::content::metrics::Point]) -> bool {
    let months = |p: Period| match p {
        Period::Year(y) => i64::from(y) * 12,
        Period::Month(y, m) => i64::from(y) * 12 + i64::from(m),
    };
    let steps: Vec<i64> = series
        .windows(2)
        .map(|w| months(w[1].period) - months(w[0].period))
        .collect();
    steps.windows(2).all(|w| w[0] == w[1])
}

/// A metric's trend in words, as a chart's description says it: "Fell from 68% in December 2017
/// to 51% in December 2021, 9 points below the March 2025 target of 60%."
pub fn trend(m: &Metric) -> String {
    let (first, last) = (&m.series[0], m.latest());
    let at = |p: &crate::content::metrics::Point| {
        format!("{} in {}", value(m.unit, p.value), p.period.label())
    };
    let mut s = if m.series.len() == 1 {
        at(last)
    } else if first.value == last.value {
        format!(
            "Unchanged at {} from {} to {}",
            value(m.unit, last.value),
            first.period.label(),
            last.period.label()
        )
    } else {
        let verb = if last.value > first.value {
            "Rose"
        } else {
            "Fell"
        };
        format!("{verb} from {} to {}", at(first), at(last))
    };
    if let Some(t) = &m.target {
        let gap = last.value - t.value;
        let target = format!(
            "the {} target of {}",
            t.period.label(),
            value(m.unit, t.value)
        );
        let met = match m.better {
            Better::Higher => gap >= 0.0,
            Better::Lower => gap <= 0.0,
        };
        if gap == 0.0 {
            s.push_str(&format!(", meeting {target}"));
        } else {
            let side = if gap < 0.0 { "below" } else { "above" };
            s.push_str(&format!(", {} {side} {target}", difference(m.unit, gap)));
            if met {
                s.push_str(", which it meets");
            }
        }
    }
    s.push('.');
    if !evenly_spaced(&m.series) {
        s.push_str(&gaps(m));
    }
    s
}

/// What is missing from a series whose readings are not evenly spaced.
fn gaps(m: &Metric) -> String {
    let years: Option<Vec<i32>> = m
        .series
        .iter()
        .map(|p| match p.period {
            Period::Year(y) => Some(y),
            Period::Month(..) => None,
        })
        .collect();
    let Some(years) = years else {
        return " The readings are not evenly spaced.".into();
    };
    // The years are in order, so each is looked up by halving, not by reading them all.
    let missing: Vec<String> = (years[0]..*years.last().unwrap_or(&years[0]))
        .filter(|y| years.binary_search(y).is_err())
        .map(|y| y.to_string())
        .collect();
    match missing.as_slice() {
        [] => String::new(),
        [one] => format!(" There is no figure for {one}."),
        [a, b] => format!(" There are no figures for {a} and {b}."),
        [a, b, c] => format!(" There are no figures for {a}, {b} and {c}."),
        _ => format!(
            " There are no figures for {} of the years from {} to {}.",
            missing.len(),
            years[0],
            years[years.len() - 1]
        ),
    }
}

/// A number a piece of text states, with the precision it is stated at.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// The words that state it, e.g. "52%" or "£1.2m".
    pub text: String,
    /// The number as written, before the scale (1.2 for "£1.2m").
    pub number: f64,
    /// Digits after the decimal point.
    pub decimals: i32,
    /// 1, or 1e3 / 1e6 / 1e9 for k, m/million, bn/billion.
    pub scale: f64,
}

impl Claim {
    /// Does `value` round to what the text says, at the text's precision, ignoring sign?
    pub fn matches(&self, value: f64) -> bool {
        let f = 10f64.powi(self.decimals);
        ((value.abs() / self.scale) * f).round() == (self.number * f).round()
    }
}

const SUFFIXES: [(&str, f64, bool); 9] = [
    // (suffix, scale, may follow a space)
    ("%", 1.0, false),
    ("per cent", 1.0, true),
    ("percent", 1.0, true),
    ("billion", 1e9, true),
    ("million", 1e6, true),
    ("bn", 1e9, false),
    ("m", 1e6, false),
    ("k", 1e3, false),
    ("thousand", 1e3, true),
];

/// The first number `text` claims. Four-digit years ("December 2021") are not claims.
pub fn claim(text: &str) -> Option<Claim> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let pound = text[i..].starts_with('£');
        let start = i;
        let digits_at = if pound { i + '£'.len_utf8() } else { i };
        let boundary =
            start == 0 || !(b[start - 1].is_ascii_alphanumeric() || b[start - 1] == b'.');
        if !(boundary && digits_at < b.len() && b[digits_at].is_ascii_digit()) {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        // Digits, with commas only between groups of three.
        let mut j = digits_at;
        let mut raw = String::new();
        let mut commas = false;
        while j < b.len() {
            if b[j].is_ascii_digit() {
                raw.push(b[j] as char);
                j += 1;
            } else if b[j] == b','
                && b.get(j + 1..j + 4)
                    .is_some_and(|g| g.iter().all(u8::is_ascii_digit))
                && !b.get(j + 4).is_some_and(u8::is_ascii_digit)
            {
                commas = true;
                j += 1;
            } else {
                break;
            }
        }
        let mut decimals = 0;
        if j + 1 < b.len() && b[j] == b'.' && b[j + 1].is_ascii_digit() {
            raw.push('.');
            j += 1;
            while j < b.len() && b[j].is_ascii_digit() {
                raw.push(b[j] as char);
                decimals += 1;
                j += 1;
            }
        }
        let rest = &text[j..];
        let mut scale = 1.0;
        let mut end = j;
        let mut suffixed = false;
        for (suffix, s, spaced) in SUFFIXES {
            let (gap, tail) = match rest.strip_prefix(' ') {
                Some(t) if spaced => (1, t),
                _ => (0, rest),
            };
            if let Some(after) = tail.strip_prefix(suffix) {
                let word_end = after.chars().next().is_none_or(|c| !c.is_alphanumeric());
                if word_end || suffix == "%" {
                    scale = s;
                    end = j + gap + suffix.len();
                    suffixed = true;
                    break;
                }
            }
        }
        let number: f64 = raw.parse().ok()?;
        let is_year = !pound
            && !commas
            && decimals == 0
            && !suffixed
            && raw.len() == 4
            && (1800.0..=2100.0).contains(&number);
        if is_year {
            i = j;
            continue;
        }
        return Some(Claim {
            text: text[start..end].to_string(),
            number,
            decimals,
            scale,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Period;

    #[test]
    fn numbers_by_unit() {
        assert_eq!(value(Unit::Percent, 51.0), "51%");
        assert_eq!(value(Unit::Percent, 51.25), "51.25%");
        assert_eq!(value(Unit::Count, 4012.0), "4,012");
        assert_eq!(value(Unit::Count, 1234567.0), "1,234,567");
        assert_eq!(value(Unit::Count, -26.0), "-26");
        assert_eq!(value(Unit::Gbp, 13.0), "£13");
        assert_eq!(value(Unit::Gbp, 1_249_999.0), "£1.2m");
        assert_eq!(value(Unit::Gbp, 3_400_000_000.0), "£3.4bn");
        assert_eq!(value(Unit::Gbp, 2_000_000.0), "£2m");
        assert_eq!(value(Unit::Ratio, 6.3), "6.3");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number(1000.0, 0), "1,000");
    }

    fn metric(unit: Unit, points: &[(Period, f64)]) -> Metric {
        Metric {
            id: crate::content::MetricId("m".into()),
            file: crate::diag::FileId(0),
            id_span: 0..0,
            title: "T".into(),
            unit,
            better: crate::content::metrics::Better::Higher,
            description: None,
            source: crate::content::At {
                value: crate::content::SourceId("s".into()),
                span: 0..0,
            },
            priorities: vec![],
            series: points
                .iter()
                .map(|&(period, value)| crate::content::metrics::Point {
                    period,
                    value,
                    note: None,
                    span: 0..0,
                })
                .collect(),
            target: None,
        }
    }

    #[test]
    fn changes_in_words() {
        let pas = metric(
            Unit::Percent,
            &[
                (Period::Month(2017, 12), 68.0),
                (Period::Month(2021, 12), 51.0),
            ],
        );
        assert_eq!(
            change(&pas).unwrap(),
            "down 17 percentage points since December 2017"
        );
        let burglary = metric(
            Unit::Count,
            &[(Period::Year(2021), 1000.0), (Period::Year(2022), 937.0)],
        );
        assert_eq!(change(&burglary).unwrap(), "down 6.3% since 2021");
        let money = metric(
            Unit::Gbp,
            &[(Period::Year(2021), 2e6), (Period::Year(2022), 2.5e6)],
        );
        assert_eq!(change(&money).unwrap(), "up 25% since 2021");
        let one = metric(Unit::Percent, &[(Period::Year(2021), -26.0)]);
        assert_eq!(change(&one), None);
        let one_point = metric(
            Unit::Percent,
            &[(Period::Year(2020), 50.0), (Period::Year(2021), 51.0)],
        );
        assert_eq!(
            change(&one_point).unwrap(),
            "up 1 percentage point since 2020"
        );
    }

    fn with_target(mut m: Metric, better: Better, period: Period, value: f64) -> Metric {
        m.better = better;
        m.target = Some(crate::content::metrics::Point {
            period,
            value,
            note: None,
            span: 0..0,
        });
        m
    }

    #[test]
    fn trends_in_words() {
        let dec = |y| Period::Month(y, 12);
        let trust = metric(Unit::Percent, &[(dec(2017), 68.0), (dec(2021), 51.0)]);
        let trust = with_target(trust, Better::Higher, Period::Year(2025), 60.0);
        assert_eq!(
            trend(&trust),
            "Fell from 68% in December 2017 to 51% in December 2021, 9 points below the 2025 target of 60%."
        );
        // A single point: no movement, and no direction.
        let one = metric(Unit::Count, &[(Period::Year(2023), 45000.0)]);
        assert_eq!(trend(&one), "45,000 in 2023.");
        assert_eq!(direction(&one), None);
        // Negative values and zero.
        let change = metric(
            Unit::Percent,
            &[(Period::Year(2020), -3.5), (Period::Year(2021), 0.0)],
        );
        assert_eq!(trend(&change), "Rose from -3.5% in 2020 to 0% in 2021.");
        let to_zero = metric(
            Unit::Count,
            &[(Period::Year(2020), 4.0), (Period::Year(2021), 0.0)],
        );
        assert_eq!(trend(&to_zero), "Fell from 4 in 2020 to 0 in 2021.");
        // A gap in the periods is said.
        let gap = metric(
            Unit::Ratio,
            &[
                (Period::Year(2015), 1.5),
                (Period::Year(2016), 1.5),
                (Period::Year(2019), 1.5),
            ],
        );
        assert_eq!(
            trend(&gap),
            "Unchanged at 1.5 from 2015 to 2019. There are no figures for 2017 and 2018."
        );
        let months = metric(
            Unit::Percent,
            &[
                (dec(2017), 68.0),
                (dec(2021), 51.0),
                (Period::Month(2022, 6), 49.6),
            ],
        );
        assert!(trend(&months).ends_with(" The readings are not evenly spaced."));
        // A target already met, from either side.
        let calls = metric(
            Unit::Count,
            &[(Period::Year(2021), 900.0), (Period::Year(2022), 700.0)],
        );
        let calls = with_target(calls, Better::Lower, Period::Year(2024), 800.0);
        assert_eq!(
            trend(&calls),
            "Fell from 900 in 2021 to 700 in 2022, 100 below the 2024 target of 800, which it meets."
        );
        let exact = with_target(
            metric(Unit::Gbp, &[(Period::Year(2022), 2e6)]),
            Better::Higher,
            Period::Year(2022),
            2e6,
        );
        assert_eq!(
            trend(&exact),
            "£2m in 2022, meeting the 2022 target of £2m."
        );
    }

    #[test]
    fn directions_follow_better() {
        let up = metric(
            Unit::Percent,
            &[
                (Period::Year(2020), 50.0),
                (Period::Year(2021), 40.0),
                (Period::Year(2022), 45.0),
            ],
        );
        assert_eq!(
            direction(&up),
            Some((Direction::Improving, std::cmp::Ordering::Greater))
        );
        let mut lower = up.clone();
        lower.better = Better::Lower;
        assert_eq!(direction(&lower).map(|d| d.0), Some(Direction::Worsening));
        let flat = metric(
            Unit::Count,
            &[(Period::Year(2020), 0.0), (Period::Year(2021), 0.0)],
        );
        assert_eq!(direction(&flat).map(|d| d.0.word()), Some("unchanged"));
    }

    fn said(text: &str) -> (String, f64, i32, f64) {
        let c = claim(text).unwrap_or_else(|| panic!("no claim in {text:?}"));
        (c.text, c.number, c.decimals, c.scale)
    }

    #[test]
    fn reads_claims_with_units_and_precision() {
        assert_eq!(
            said("51 per cent of Londoners"),
            ("51 per cent".into(), 51.0, 0, 1.0)
        );
        assert_eq!(said("only 51%"), ("51%".into(), 51.0, 0, 1.0));
        assert_eq!(said("down 26% since 2016"), ("26%".into(), 26.0, 0, 1.0));
        assert_eq!(said("£1.2m a year"), ("£1.2m".into(), 1.2, 1, 1e6));
        assert_eq!(said("£3.4 billion"), ("£3.4 billion".into(), 3.4, 1, 1e9));
        assert_eq!(said("£1,234,567"), ("£1,234,567".into(), 1234567.0, 0, 1.0));
        assert_eq!(said("4,012 officers"), ("4,012".into(), 4012.0, 0, 1.0));
        assert_eq!(
            said("6.3 per cent fewer"),
            ("6.3 per cent".into(), 6.3, 1, 1.0)
        );
        assert_eq!(said("5k calls"), ("5k".into(), 5.0, 0, 1e3));
    }

    #[test]
    fn years_that_name_a_period_are_not_claims() {
        assert_eq!(claim("in December 2021"), None);
        assert_eq!(claim("since 2016"), None);
        assert_eq!(said("in 2021, 76% trusted the police").0, "76%");
        assert_eq!(claim("Londoners"), None);
        // A four-digit count with a comma, or with a unit, is a claim.
        assert_eq!(said("2,021 arrests").1, 2021.0);
        assert_eq!(said("2021%").1, 2021.0);
    }

    #[test]
    fn claims_match_at_the_precision_written_ignoring_sign() {
        let c = |t: &str| claim(t).unwrap();
        assert!(c("51%").matches(51.3));
        assert!(!c("51%").matches(51.6));
        assert!(!c("52%").matches(51.0), "a wrong figure");
        assert!(c("51.3%").matches(51.3));
        assert!(!c("51.3%").matches(51.0));
        assert!(c("down 26%").matches(-26.0), "sign is ignored");
        assert!(c("£1.2m").matches(1_249_999.0));
        assert!(!c("£1.2m").matches(1_250_000.0));
        assert!(c("£1,234,567").matches(1_234_567.0));
        assert!(!c("£1,234,567").matches(1_234_568.0));
        assert!(c("£3.4bn").matches(3.44e9));
        assert!(c("6.3 per cent").matches(-6.3));
    }
}
