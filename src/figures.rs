//! Figures as text: formatting values by unit (en-GB), saying a change in words, and reading
//! the number a sentence claims so it can be checked against the data.

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
        Unit::Count | Unit::Gbp if first.value != 0.0 => {
            format!("{}%", number(diff.abs() / first.value.abs() * 100.0, 1))
        }
        Unit::Gbp => value(Unit::Gbp, diff.abs()),
        Unit::Count | Unit::Ratio => number(diff.abs(), 2),
    };
    Some(format!("{dir} {amount} {since}"))
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
