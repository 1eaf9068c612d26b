//! Figures as text: formatting values by unit (en-GB), saying a change or a trend in words,
//! and reading the number a sentence claims so it can be checked against the data.

use crate::content::metrics::{Better, Period};
use crate::content::{Metric, Unit};
use crate::i18n::{Locale, english};

pub(crate) mod compare;

/// `v` rounded to at most `max_decimals`, trailing zeros dropped, as plain digits ("-1234.5",
/// no grouping): what [`Locale::decimal`] writes in a language. No minus sign when the
/// rounded value is zero.
pub(crate) fn digits(v: f64, max_decimals: usize) -> String {
    let s = format!("{:.*}", max_decimals, v.abs());
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("-{s}")
    } else {
        s
    }
}

/// `v` with at most `max_decimals`, trailing zeros dropped, and thousands commas: "4,012",
/// "6.3".
pub(crate) fn number(v: f64, max_decimals: usize) -> String {
    english().decimal(&digits(v, max_decimals))
}

/// A unit's name in the theme's strings (`unit_percent`), for a caption.
pub(crate) fn unit_key(unit: Unit) -> &'static str {
    match unit {
        Unit::Percent => "percent",
        Unit::Count => "count",
        Unit::Ratio => "ratio",
        Unit::Gbp => "gbp",
    }
}

/// A value written for its unit: "51%", "4,012", "6.3", "£13", "£1.2m", "£3.4bn".
pub(crate) fn value(unit: Unit, v: f64) -> String {
    value_in(english(), unit, v)
}

/// [`value`] as `locale` writes it: its digits, and the theme's strings for its units
/// (`value_percent`, `value_gbp`, `value_gbp_millions`, `value_gbp_billions`).
pub(crate) fn value_in(locale: &Locale, unit: Unit, v: f64) -> String {
    let n = |v: f64, max: usize| locale.decimal(&digits(v, max));
    match unit {
        Unit::Percent => locale.text("value_percent", &[("n", &n(v, 2))]),
        Unit::Count | Unit::Ratio => n(v, 2),
        Unit::Gbp => {
            let sign = if v < 0.0 { "-" } else { "" };
            let a = v.abs();
            let (key, amount) = if a >= 1e9 {
                ("value_gbp_billions", n(a / 1e9, 1))
            } else if a >= 1e6 {
                ("value_gbp_millions", n(a / 1e6, 1))
            } else {
                ("value_gbp", n(a, 2))
            };
            locale.text(key, &[("sign", sign), ("n", &amount)])
        }
    }
}

/// Which way a metric last moved, judged by whether higher is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    Improving,
    Worsening,
    Unchanged,
}

impl Direction {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Direction::Improving => "improving",
            Direction::Worsening => "worsening",
            Direction::Unchanged => "unchanged",
        }
    }
}

/// A difference between two values of a unit, in `locale`'s words: "9 percentage points"
/// for percentages, "£2m", "120".
pub(crate) fn difference_in(locale: &Locale, unit: Unit, d: f64) -> String {
    match unit {
        Unit::Percent => locale.counted_digits("change_points", &digits(d.abs(), 1), &[]),
        Unit::Gbp => value_in(locale, Unit::Gbp, d.abs()),
        Unit::Count | Unit::Ratio => locale.decimal(&digits(d.abs(), 2)),
    }
}

/// Whether readings come at a steady interval (every year, every quarter…). A series of one or
/// two readings is steady.
pub(crate) fn evenly_spaced(series: &[crate::content::metrics::Point]) -> bool {
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

/// A metric's trend in words, as a chart's description says it, from [`compare`]: "Down 17
/// percentage points from 68% in December 2017 to 51% in December 2021, 9 percentage points
/// below the March 2025 target of 60%.", then the latest change when there are more than two
/// readings.
#[cfg(test)]
pub(crate) fn trend(m: &Metric) -> String {
    trend_in(m, english())
}

/// [`trend`] in `locale`'s words (the theme's strings `trend_*` and `change_*`).
pub(crate) fn trend_in(m: &Metric, locale: &Locale) -> String {
    let last = m.latest();
    let at = |p: &crate::content::metrics::Point| {
        let mut value = value_in(locale, m.unit, p.value);
        if value_lead(p).is_some() {
            value = format!("{} {value}", locale.text("projected_to_be", &[]));
        }
        let period = locale.period(p.period);
        locale.text("value_in_period", &[("value", &value), ("period", &period)])
    };
    // The whole series, then the latest change when it is not the same pair of readings:
    // both from the one comparison every other page states.
    let mut s = match compare::whole(m) {
        None => capitalised(&at(last)),
        Some(c) => capitalised(&c.sentence_with_values_in(locale)),
    };
    if let Some(t) = &m.target {
        let gap = last.value - t.value;
        let period = locale.period(t.period);
        let target = locale.text(
            "trend_target",
            &[
                ("period", &period),
                ("value", &value_in(locale, m.unit, t.value)),
            ],
        );
        let met = match m.better {
            Better::Higher => gap >= 0.0,
            Better::Lower => gap <= 0.0,
        };
        // A projection has not met anything yet.
        let projected = value_lead(last).is_some();
        let key = match (gap == 0.0, gap < 0.0, met, projected) {
            (true, _, _, true) => "trend_projected_to_meet",
            (true, _, _, false) => "trend_meeting",
            (false, true, false, _) => "trend_below",
            (false, true, true, false) => "trend_below_met",
            (false, true, true, true) => "trend_below_would_meet",
            (false, false, false, _) => "trend_above",
            (false, false, true, false) => "trend_above_met",
            (false, false, true, true) => "trend_above_would_meet",
        };
        let gap = difference_in(locale, m.unit, gap);
        s.push_str(&locale.text(key, &[("gap", &gap), ("target", &target)]));
    }
    s.push('.');
    if m.series.len() > 2
        && let Some(c) = compare::latest(m)
    {
        s.push(' ');
        s.push_str(&locale.text("trend_latest", &[("change", &c.sentence_in(locale))]));
    }
    if !evenly_spaced(&m.series) {
        s.push_str(&gaps(m, locale));
    }
    s
}

/// `s` with its first letter a capital.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// What is missing from a series whose readings are not evenly spaced, after a space.
fn gaps(m: &Metric, locale: &Locale) -> String {
    let years: Option<Vec<i32>> = m
        .series
        .iter()
        .map(|p| match p.period {
            Period::Year(y) => Some(y),
            Period::Month(..) => None,
        })
        .collect();
    let Some(years) = years else {
        return format!(" {}", locale.text("gaps_uneven", &[]));
    };
    // The years are in order, so each is looked up by halving, not by reading them all.
    let missing: Vec<String> = (years[0]..*years.last().unwrap_or(&years[0]))
        .filter(|y| years.binary_search(y).is_err())
        .map(|y| y.to_string())
        .collect();
    let and = locale.text("and", &[]);
    let said = match missing.as_slice() {
        [] => return String::new(),
        [one] => locale.text("gaps_one", &[("year", one)]),
        [a, b] => locale.text("gaps_few", &[("years", &format!("{a} {and} {b}"))]),
        [a, b, c] => locale.text("gaps_few", &[("years", &format!("{a}, {b} {and} {c}"))]),
        _ => {
            let (first, last) = (years[0].to_string(), years[years.len() - 1].to_string());
            locale.counted(
                "gaps_many",
                missing.len(),
                &[("from", &first), ("to", &last)],
            )
        }
    };
    format!(" {said}")
}

/// How a number's unit is written beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    /// No unit: "4,012", "6.3".
    Plain,
    /// "%", "per cent", "percent".
    Percent,
    /// "£".
    Pounds,
    /// Another currency's sign ("$", "€"…), which no metric is counted in.
    Currency(char),
}

/// A number a piece of text states, with the precision and unit it is stated in.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Claim {
    /// The words that state it, as written, e.g. "52%", "£1.2m" or "５２％".
    pub(crate) text: String,
    /// The number as written, before the scale (1.2 for "£1.2m").
    pub(crate) number: f64,
    /// Digits after the decimal point.
    pub(crate) decimals: i32,
    /// 1, or 1e3 / 1e6 / 1e9 for k, m/million, bn/billion.
    pub(crate) scale: f64,
    /// The unit written with it.
    pub(crate) written: Written,
    /// Written with group separators between thousands, in whatever the language groups
    /// with ("4,012", "4\u{202f}012"): such a number is never a bare year or name.
    pub(crate) commas: bool,
}

impl Claim {
    /// Does `value` round to what the text says, at the text's precision, ignoring sign?
    pub(crate) fn matches(&self, value: f64) -> bool {
        let f = 10f64.powi(self.decimals);
        ((value.abs() / self.scale) * f).round() == (self.number * f).round()
    }

    /// Is it written in a way a metric of `unit` can be: "51%" for a percentage, "£1.2m" or
    /// "1.2m" for pounds, a plain number for a count or a ratio.
    pub(crate) fn fits(&self, unit: Unit) -> bool {
        match unit {
            Unit::Percent => {
                matches!(self.written, Written::Plain | Written::Percent) && self.scale == 1.0
            }
            Unit::Count => self.written == Written::Plain,
            Unit::Ratio => self.written == Written::Plain && self.scale == 1.0,
            Unit::Gbp => matches!(self.written, Written::Plain | Written::Pounds),
        }
    }

    /// A whole number written bare, as a year or a number in a name is ("2021", "25").
    fn bare_integer(&self) -> Option<u64> {
        (self.written == Written::Plain
            && self.scale == 1.0
            && self.decimals == 0
            && !self.commas
            && self.number < 1e15)
            .then_some(self.number as u64)
    }
}

/// A word or sign for per cent or for a scale, written after a number.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Word {
    text: &'static str,
    /// 1 for per cent (and so a percentage), else 1e3, 1e6 or 1e9.
    scale: f64,
    /// Whether a space may come between the number and the word ("51 %", "3,4 Md£").
    spaced: bool,
    /// Whether it is read only before a currency sign: French "M" in "3,4 M£", which
    /// otherwise is "Monsieur" ("en 2021 M. Dupont").
    before_sign: bool,
}

const fn word(text: &'static str, scale: f64, spaced: bool) -> Word {
    Word {
        text,
        scale,
        spaced,
        before_sign: false,
    }
}

/// English, as the claim check has always read it.
const ENGLISH_WORDS: [Word; 9] = [
    word("%", 1.0, true),
    word("per cent", 1.0, true),
    word("percent", 1.0, true),
    word("billion", 1e9, true),
    word("million", 1e6, true),
    word("bn", 1e9, false),
    word("m", 1e6, false),
    word("k", 1e3, false),
    word("thousand", 1e3, true),
];

/// Welsh: "51 y cant", "£3.4 biliwn", "5 mil", and the abbreviations Welsh writes as
/// English does ("£3.4bn", "£1.2m", "5k"). Mutated forms are not read: "filiwn" is the soft
/// mutation of both "miliwn" and "biliwn", so "2 filiwn" could be either.
const WELSH_WORDS: [Word; 8] = [
    word("%", 1.0, true),
    word("y cant", 1.0, true),
    word("biliwn", 1e9, true),
    word("miliwn", 1e6, true),
    word("mil", 1e3, true),
    word("bn", 1e9, false),
    word("m", 1e6, false),
    word("k", 1e3, false),
];

/// French: "51,3 %", "51 pour cent", "1,5 million", "3,4 milliards", "3,4 Md£", "3,4 M£",
/// "5 k€", "5k". "mille" is a number word, not a scale after digits, and "m" is metres.
const FRENCH_WORDS: [Word; 10] = [
    word("%", 1.0, true),
    word("pour cent", 1.0, true),
    word("milliards", 1e9, true),
    word("milliard", 1e9, true),
    word("millions", 1e6, true),
    word("million", 1e6, true),
    word("Md", 1e9, true),
    Word {
        before_sign: true,
        ..word("M", 1e6, true)
    },
    Word {
        before_sign: true,
        ..word("k", 1e3, true)
    },
    word("k", 1e3, false),
];

/// How one language writes numbers in prose, for reading the figures a text states: its
/// decimal mark, the marks it groups thousands with, its words for per cent and for scale,
/// and whether a currency sign may follow the number ("51 £").
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NumberReading {
    /// The decimal mark, in the ASCII form [`normalise`] gives it.
    decimal: char,
    /// The marks that may separate groups of three digits, in their normalised forms (every
    /// kind of space is `' '`).
    groups: Vec<char>,
    /// Per cent and scale words, each tried before any shorter one.
    words: Vec<Word>,
    /// Whether a currency sign may follow the number as well as precede it.
    sign_after: bool,
}

impl NumberReading {
    /// English: "4,012", "51.3%", "51 per cent", "£1.2m", "£3.4 billion" (the build reads
    /// English as `for_language` makes it from ICU's marks; tests compare the two).
    #[cfg(test)]
    pub(crate) fn english() -> NumberReading {
        NumberReading::new('.', &[','], &ENGLISH_WORDS, false)
    }

    /// The reading for the language of BCP 47 `tag` ("cy", "fr-CA", "en-GB"), whose decimal
    /// mark and grouping separator are `decimal` and `group` (as CLDR has them: "," and
    /// U+202F for French). The words are chosen by the language subtag: Welsh's, French's,
    /// or else English's. A space groups as any space does, and a currency sign may follow
    /// the number in every language but English and Welsh, which write it first.
    pub(crate) fn for_language(tag: &str, decimal: char, group: char) -> NumberReading {
        let language = tag
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let (words, sign_after): (&[Word], bool) = match language.as_str() {
            "en" => (&ENGLISH_WORDS, false),
            "cy" => (&WELSH_WORDS, false),
            "fr" => (&FRENCH_WORDS, true),
            _ => (&ENGLISH_WORDS, true),
        };
        // Every space that may group digits (U+202F, U+00A0, U+2009) reads as a plain one, so
        // French's narrow no-break space also groups with any other.
        NumberReading::new(
            ascii_form(decimal).unwrap_or(decimal),
            &[ascii_form(group).unwrap_or(group)],
            words,
            sign_after,
        )
    }

    fn new(decimal: char, groups: &[char], words: &[Word], sign_after: bool) -> NumberReading {
        let mut words = words.to_vec();
        // Longest first, so that "milliards" is tried before "milliard" and "Md" before "M"
        // (the sort is stable: words of one length keep their order).
        words.sort_by_key(|w| std::cmp::Reverse(w.text.len()));
        NumberReading {
            decimal,
            groups: groups.iter().copied().filter(|&g| g != decimal).collect(),
            words,
            sign_after,
        }
    }
}

#[cfg(test)]
static ENGLISH: std::sync::LazyLock<NumberReading> =
    std::sync::LazyLock::new(NumberReading::english);

/// Where each script's decimal digits start (Unicode general category Nd, 14.0): every block
/// of them runs 0 to 9, so a digit's value is its distance from the block's zero.
const DIGIT_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// The ASCII digit a decimal digit of any script stands for ("５", "٥", "५" are all 5).
fn ascii_digit(c: char) -> Option<char> {
    let u = u32::from(c);
    let i = DIGIT_ZEROS.partition_point(|&z| z <= u).checked_sub(1)?;
    let d = u - DIGIT_ZEROS[i];
    (d < 10).then(|| char::from(b'0' + d as u8))
}

/// A number written with a character the claim check cannot read: a superscript, a fraction,
/// a circled or Roman numeral, or a digit of a script newer than the table above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unreadable(pub(crate) char);

/// `text` with every script's digits, percent signs, pound signs and decimal and thousands
/// separators in their ASCII forms, and for each byte of it the byte of `text` it came from.
fn normalise(text: &str) -> Result<(String, Vec<usize>), Unreadable> {
    let mut out = String::with_capacity(text.len());
    let mut from = Vec::with_capacity(text.len() + 1);
    for (i, c) in text.char_indices() {
        let n = ascii_form(c)?;
        out.push(n);
        from.extend(std::iter::repeat_n(i, n.len_utf8()));
    }
    from.push(text.len());
    Ok((out, from))
}

/// The form [`normalise`] reads `c` in: a digit of any script as its ASCII digit, the
/// fullwidth and Arabic percent signs, pound sign and separators as ASCII's, every space
/// that may group digits as `' '`; a numeral that is not a decimal digit is refused.
fn ascii_form(c: char) -> Result<char, Unreadable> {
    Ok(match c {
        '\u{FF05}' | '\u{FE6A}' | '\u{066A}' => '%',
        '\u{FFE1}' => '£',
        '\u{066B}' => '.',
        '\u{066C}' => ',',
        '\u{00A0}' | '\u{202F}' | '\u{2009}' => ' ',
        c if c.is_ascii() => c,
        c => match ascii_digit(c) {
            Some(d) => d,
            None if c.is_numeric() => return Err(Unreadable(c)),
            None => c,
        },
    })
}

/// A currency sign other than the pound: "$", "€", "¥" and the Unicode currency block.
fn is_currency(c: char) -> bool {
    matches!(
        c,
        '$' | '¢'
            | '¤'
            | '¥'
            | '\u{058F}'
            | '\u{060B}'
            | '\u{09F2}'
            | '\u{09F3}'
            | '\u{0E3F}'
            | '\u{17DB}'
            | '\u{FDFC}'
            | '\u{FF04}'
            | '\u{FFE0}'
            | '\u{FFE5}'
            | '\u{FFE6}'
    ) || ('\u{20A0}'..='\u{20CF}').contains(&c)
}

/// Every number `text` states, in order, with its unit, read as English writes numbers;
/// digits of every script are read as digits, and a number written some other way (a
/// superscript, a fraction) is refused.
#[cfg(test)]
pub(crate) fn claims(text: &str) -> Result<Vec<Claim>, Unreadable> {
    claims_in(text, &ENGLISH)
}

/// [`claims`] read as `reading`'s language writes numbers: "51,3 %" and "3\u{202f}400 £" in
/// French, "51.3 y cant" in Welsh. Each claim's text is the text as written.
///
/// A language whose decimal mark is not "." does not write "51.3": a number with a "." (or a
/// second decimal mark) between its digits that is not one of its group marks is one claim,
/// quoted whole ("51.3 %", "3,400,000,000 £"), that matches no value, rather than being
/// misread as 51 and 3 or as 3.4.
pub(crate) fn claims_in(text: &str, reading: &NumberReading) -> Result<Vec<Claim>, Unreadable> {
    let (norm, from) = normalise(text)?;
    let b = norm.as_bytes();
    let digit_at = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
    let sign = |c: char| match c {
        '£' => Some(Written::Pounds),
        c if is_currency(c) => Some(Written::Currency(c)),
        _ => None,
    };
    let mut found = Vec::new();
    // Where the last claim ended: a sign it took is not also the next number's.
    let mut taken = 0;
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        // A sign written before it, perhaps with a space: "£51", "$ 51".
        let before = norm[..i].strip_suffix(' ').unwrap_or(&norm[..i]);
        let (written, start) = match before.chars().next_back() {
            Some(c) if before.len() - c.len_utf8() >= taken => match sign(c) {
                Some(w) => (w, before.len() - c.len_utf8()),
                None => (Written::Plain, i),
            },
            _ => (Written::Plain, i),
        };
        // Digits, with group marks only between groups of three. A space is also a gap
        // between words, so it groups only after at most three digits: "2021 100" is two.
        let mut j = i;
        let mut raw = String::new();
        let mut commas = false;
        while j < b.len() {
            if b[j].is_ascii_digit() {
                raw.push(b[j] as char);
                j += 1;
                continue;
            }
            let Some(c) = norm[j..].chars().next() else {
                break;
            };
            let k = j + c.len_utf8();
            let group = reading.groups.contains(&c)
                && (k..k + 3).all(digit_at)
                && !digit_at(k + 3)
                && (c != ' ' || commas || raw.len() <= 3);
            if !group {
                break;
            }
            commas = true;
            j = k;
        }
        let mut decimals = 0;
        let mark = reading.decimal.len_utf8();
        if norm[j..].starts_with(reading.decimal) && digit_at(j + mark) {
            raw.push('.');
            j += mark;
            while digit_at(j) {
                raw.push(b[j] as char);
                decimals += 1;
                j += 1;
            }
        }
        // A "." where the language writes none, or a second decimal mark: not a number as
        // this language writes it.
        let mut foreign = false;
        while reading.decimal != '.' && matches!(b.get(j), Some(b'.' | b',')) && digit_at(j + 1) {
            foreign = true;
            j += 1;
            while digit_at(j) {
                j += 1;
            }
        }
        let rest = &norm[j..];
        let (mut scale, mut end, mut written) = (1.0, j, written);
        let sign_next = |s: &str| {
            s.strip_prefix(' ')
                .unwrap_or(s)
                .chars()
                .next()
                .and_then(sign)
        };
        for w in &reading.words {
            let (gap, tail) = match rest.strip_prefix(' ') {
                Some(t) if w.spaced => (1, t),
                _ => (0, rest),
            };
            let Some(after) = tail.strip_prefix(w.text) else {
                continue;
            };
            let word_end = after.chars().next().is_none_or(|c| !c.is_alphanumeric());
            if (word_end || w.text == "%") && (!w.before_sign || sign_next(after).is_some()) {
                scale = w.scale;
                end = j + gap + w.text.len();
                // "£51%" names two units, which no metric is measured in.
                written = match written {
                    Written::Plain if w.scale == 1.0 => Written::Percent,
                    Written::Pounds if w.scale == 1.0 => Written::Currency('£'),
                    w => w,
                };
                break;
            }
        }
        // A sign after the number, or after its scale, where the language writes it there:
        // "51 £", "3,4 Md£".
        if reading.sign_after && written == Written::Plain {
            let tail = &norm[end..];
            let (gap, tail) = tail.strip_prefix(' ').map_or((0, tail), |t| (1, t));
            if let Some(c) = tail.chars().next()
                && let Some(w) = sign(c)
            {
                written = w;
                end += gap + c.len_utf8();
            }
        }
        // Digits run to at most a few hundred, so this parse always succeeds; a number too
        // long for f64 is read as infinite and matches nothing, as does one not written as
        // the language writes numbers.
        let number: f64 = if foreign {
            f64::NAN
        } else {
            raw.parse().unwrap_or(f64::INFINITY)
        };
        found.push(Claim {
            text: text[from[start]..from[end]].to_string(),
            number,
            decimals,
            scale,
            written,
            commas,
        });
        i = end.max(j);
        taken = i;
    }
    Ok(found)
}

/// What is wrong with the figures a metric link's text states.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ClaimError {
    /// A number written in a form that cannot be read.
    Unreadable(char),
    /// No number is the value; these are the ones that are not.
    Wrong(Vec<Claim>),
    /// The number is the value, but written in another unit ("£51" for 51%).
    WrongUnit(Claim),
    /// The value is there, and so are these other numbers.
    Extra(Vec<Claim>),
}

/// Check the numbers in a metric link's text: each is the point's `value` (at the precision
/// and in the unit it is written), or a whole number the link names (`named`: the period's
/// year and month, or a number in the metric's id such as the 2016 of `change-since-2016`).
/// Returns how many numbers the text states, and what is wrong.
#[cfg(test)]
pub(crate) fn check(
    text: &str,
    unit: Unit,
    value: f64,
    named: &std::collections::BTreeSet<u64>,
) -> (usize, Option<ClaimError>) {
    check_in(text, unit, value, named, &ENGLISH)
}

/// [`check`] for a text whose numbers are written as `reading`'s language writes them. The
/// claims it reports quote the text as written.
pub(crate) fn check_in(
    text: &str,
    unit: Unit,
    value: f64,
    named: &std::collections::BTreeSet<u64>,
    reading: &NumberReading,
) -> (usize, Option<ClaimError>) {
    let all = match claims_in(text, reading) {
        Ok(all) => all,
        Err(Unreadable(c)) => return (1, Some(ClaimError::Unreadable(c))),
    };
    let is_value = |c: &Claim| c.matches(value) && c.fits(unit);
    let is_named = |c: &Claim| c.bare_integer().is_some_and(|n| named.contains(&n));
    let stated = all.iter().any(is_value);
    let others: Vec<Claim> = all
        .iter()
        .filter(|c| !is_value(c) && !is_named(c))
        .cloned()
        .collect();
    let error = if others.is_empty() {
        None
    } else if stated {
        Some(ClaimError::Extra(others))
    } else if let Some(c) = others.iter().find(|c| c.matches(value)) {
        Some(ClaimError::WrongUnit(c.clone()))
    } else {
        Some(ClaimError::Wrong(others))
    };
    (all.len(), error)
}

/// "a percentage", "a count"…: how a metric is measured, in words.
pub(crate) fn unit_words(unit: Unit) -> &'static str {
    match unit {
        Unit::Percent => "a percentage",
        Unit::Count => "a count",
        Unit::Ratio => "a ratio",
        Unit::Gbp => "in pounds",
    }
}

/// Figures as a list in words: "99%", "99% and 12", "99%, 12 and 7".
pub(crate) fn and_list(claims: &[Claim]) -> String {
    match claims {
        [] => String::new(),
        [one] => one.text.clone(),
        [init @ .., last] => {
            let head: Vec<&str> = init.iter().map(|c| c.text.as_str()).collect();
            format!("{} and {}", head.join(", "), last.text)
        }
    }
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

    pub(crate) fn metric(unit: Unit, points: &[(Period, f64)]) -> Metric {
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
                .map(|&(period, value)| crate::content::metrics::Point::at(period, value))
                .collect(),
            target: None,
            updated: None,
            next_update: None,
            translations: Default::default(),
            words_in: None,
        }
    }

    fn with_target(mut m: Metric, better: Better, period: Period, value: f64) -> Metric {
        m.better = better;
        m.target = Some(crate::content::metrics::Point::at(period, value));
        m
    }

    #[test]
    fn trends_in_words() {
        let dec = |y| Period::Month(y, 12);
        let trust = metric(Unit::Percent, &[(dec(2017), 68.0), (dec(2021), 51.0)]);
        let trust = with_target(trust, Better::Higher, Period::Year(2025), 60.0);
        assert_eq!(
            trend(&trust),
            "Down 17 percentage points from 68% in December 2017 to 51% in December 2021, 9 percentage points below the 2025 target of 60%."
        );
        // A single point: no movement, and no direction.
        let one = metric(Unit::Count, &[(Period::Year(2023), 45000.0)]);
        assert_eq!(trend(&one), "45,000 in 2023.");
        // Negative values and zero.
        let change = metric(
            Unit::Percent,
            &[(Period::Year(2020), -3.5), (Period::Year(2021), 0.0)],
        );
        assert_eq!(
            trend(&change),
            "Up 3.5 percentage points from -3.5% in 2020 to 0% in 2021."
        );
        let to_zero = metric(
            Unit::Count,
            &[(Period::Year(2020), 4.0), (Period::Year(2021), 0.0)],
        );
        assert_eq!(trend(&to_zero), "Down from 4 in 2020 to 0 in 2021.");
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
            "Unchanged at 1.5 from 2015 to 2019. Latest change: unchanged at 1.5 from 2016 to 2019. There are no figures for 2017 and 2018."
        );
        let months = metric(
            Unit::Percent,
            &[
                (dec(2017), 68.0),
                (dec(2021), 51.0),
                (Period::Month(2022, 6), 49.6),
            ],
        );
        assert_eq!(
            trend(&months),
            "Down 18.4 percentage points from 68% in December 2017 to 49.6% in June 2022. \
             Latest change: down 1.4 percentage points from December 2021 to June 2022. \
             The readings are not evenly spaced."
        );
        // A target already met, from either side.
        let calls = metric(
            Unit::Count,
            &[(Period::Year(2021), 900.0), (Period::Year(2022), 700.0)],
        );
        let calls = with_target(calls, Better::Lower, Period::Year(2024), 800.0);
        assert_eq!(
            trend(&calls),
            "Down 22.2% from 900 in 2021 to 700 in 2022, 100 below the 2024 target of 800, which it meets."
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

    fn said(text: &str) -> (String, f64, i32, f64) {
        let c = claims(text)
            .ok()
            .and_then(|all| {
                all.into_iter()
                    .find(|c| c.bare_integer().is_none_or(|n| !(1800..=2100).contains(&n)))
            })
            .unwrap_or_else(|| panic!("no claim in {text:?}"));
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
        assert_eq!(said("51 % (French spacing)"), ("51 %".into(), 51.0, 0, 1.0));
    }

    #[test]
    fn every_number_is_read_including_years_and_numbers_inside_words() {
        let all =
            |t: &str| -> Vec<String> { claims(t).unwrap().into_iter().map(|c| c.text).collect() };
        assert_eq!(all("51% (down from 99%)"), ["51%", "99%"]);
        assert_eq!(all("in December 2021, 76% trusted"), ["2021", "76%"]);
        assert_eq!(all("under-25s in Q3"), ["25", "3"]);
        assert_eq!(all(".5% or 1.2.3"), ["5%", "1.2", "3"]);
        assert_eq!(all("Londoners"), Vec::<String>::new());
        let one = |t: &str| claims(t).unwrap().remove(0);
        assert_eq!(one("£51").written, Written::Pounds);
        assert_eq!(one("£ 51").written, Written::Pounds);
        assert_eq!(one("$51").written, Written::Currency('$'));
        assert_eq!(one("€1.2m").written, Written::Currency('€'));
        assert_eq!(one("£51%").written, Written::Currency('£'));
        assert_eq!(one("51 per cent").written, Written::Percent);
        assert!(one("2,021 arrests").commas);
    }

    #[test]
    fn digits_of_every_script_are_read_and_other_numerals_refused() {
        let one = |t: &str| claims(t).unwrap().remove(0);
        // Fullwidth, Arabic-Indic (with the Arabic percent sign and decimal separator),
        // Devanagari, Bengali, Thai, mathematical bold.
        assert_eq!(one("５１％").number, 51.0);
        assert_eq!(one("５１％").text, "５１％");
        assert_eq!(one("５１％").written, Written::Percent);
        assert_eq!(one("٥١٪").written, Written::Percent);
        assert_eq!(one("٥١٫٣").number, 51.3);
        assert_eq!(one("५१%").number, 51.0);
        assert_eq!(one("৫১").number, 51.0);
        assert_eq!(one("๕๑").number, 51.0);
        assert_eq!(one("\u{1D7D3}\u{1D7CF}").number, 51.0);
        assert_eq!(one("￡５１").written, Written::Pounds);
        for refused in ["51²", "½ of", "⑤1", "Ⅻ", "٥¹"] {
            assert!(claims(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn every_number_in_a_claim_is_the_value_or_named_by_the_link() {
        let ok =
            |t: &str, unit, v, named: &[u64]| check(t, unit, v, &named.iter().copied().collect()).1;
        assert_eq!(ok("51%", Unit::Percent, 51.0, &[2021]), None);
        assert_eq!(
            ok("51% in December 2021", Unit::Percent, 51.0, &[2021, 12]),
            None
        );
        assert_eq!(ok("the latest figure", Unit::Percent, 51.0, &[]), None);
        assert_eq!(
            ok(
                "26% lower for under-25s since 2016",
                Unit::Percent,
                -26.0,
                &[25, 2016, 2021]
            ),
            None
        );
        assert_eq!(ok("£1.2m", Unit::Gbp, 1.2e6, &[]), None);
        assert_eq!(ok("1.2 million", Unit::Gbp, 1.2e6, &[]), None);
        assert_eq!(ok("45,000 officers", Unit::Count, 45000.0, &[]), None);
        assert_eq!(ok("５１％", Unit::Percent, 51.0, &[]), None);
        let texts = |e: Option<ClaimError>| match e {
            Some(ClaimError::Wrong(c) | ClaimError::Extra(c)) => {
                c.into_iter().map(|c| c.text).collect::<Vec<_>>()
            }
            Some(ClaimError::WrongUnit(c)) => vec![c.text],
            other => panic!("{other:?}"),
        };
        assert!(matches!(
            ok("51% (down from 99%)", Unit::Percent, 51.0, &[2021]),
            Some(ClaimError::Extra(_))
        ));
        assert_eq!(
            texts(ok("51% (down from 99%)", Unit::Percent, 51.0, &[2021])),
            ["99%"]
        );
        assert!(matches!(
            ok("52%", Unit::Percent, 51.0, &[]),
            Some(ClaimError::Wrong(_))
        ));
        assert_eq!(
            texts(ok("51% in 2019", Unit::Percent, 51.0, &[2021])),
            ["2019"]
        );
        assert_eq!(
            texts(ok("52% in 2019", Unit::Percent, 51.0, &[2021])),
            ["52%", "2019"]
        );
        assert_eq!(texts(ok("５２％", Unit::Percent, 51.0, &[])), ["５２％"]);
        // Units: the number is right but the unit is not the metric's.
        for (text, unit) in [
            ("£51", Unit::Percent),
            ("51%", Unit::Count),
            ("51 per cent", Unit::Gbp),
            ("$51", Unit::Gbp),
            ("51k", Unit::Percent),
            ("£51", Unit::Ratio),
            ("£51%", Unit::Percent),
        ] {
            let got = ok(
                text,
                unit,
                if text.contains('k') { 51e3 } else { 51.0 },
                &[],
            );
            assert!(
                matches!(got, Some(ClaimError::WrongUnit(_))),
                "{text} on {unit:?}: {got:?}"
            );
        }
        // A unit on a number the link names is not a name.
        assert_eq!(
            texts(ok("51% of 2021%", Unit::Percent, 51.0, &[2021])),
            ["2021%"]
        );
        assert_eq!(
            ok("51²%", Unit::Percent, 51.0, &[]),
            Some(ClaimError::Unreadable('²'))
        );
        assert_eq!(
            check("51% and 51.0%", Unit::Percent, 51.0, &Default::default()),
            (2, None)
        );
    }

    #[test]
    fn claims_match_at_the_precision_written_ignoring_sign() {
        let c = |t: &str| claims(t).unwrap().remove(0);
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

    fn welsh() -> NumberReading {
        NumberReading::for_language("cy", '.', ',')
    }

    /// As ICU4X's CLDR data has French: a decimal comma, digits grouped by U+202F.
    fn french() -> NumberReading {
        NumberReading::for_language("fr", ',', '\u{202F}')
    }

    fn one_in(text: &str, reading: &NumberReading) -> Claim {
        let all = claims_in(text, reading).unwrap();
        assert_eq!(all.len(), 1, "{text:?}: {all:?}");
        all.into_iter().next().unwrap()
    }

    /// A claim's text, number, decimals, scale and unit, for comparing exactly.
    fn read_in(text: &str, reading: &NumberReading) -> (String, f64, i32, f64, Written) {
        let c = one_in(text, reading);
        (c.text, c.number, c.decimals, c.scale, c.written)
    }

    fn texts_in(text: &str, reading: &NumberReading) -> Vec<String> {
        claims_in(text, reading)
            .unwrap()
            .into_iter()
            .map(|c| c.text)
            .collect()
    }

    #[test]
    fn english_reading_is_the_one_english_sites_have_always_had() {
        assert_eq!(NumberReading::english(), *ENGLISH);
        for tag in ["en", "en-GB", "EN-us"] {
            assert_eq!(
                NumberReading::for_language(tag, '.', ','),
                NumberReading::english(),
                "{tag}"
            );
        }
        let english = NumberReading::english();
        for text in [
            "51 per cent of Londoners",
            "£1.2m a year",
            "£3.4 billion and 5k calls",
            "in December 2021, 76% trusted",
            ".5% or 1.2.3",
            "51,3 % and 3 400 000 000 £",
        ] {
            assert_eq!(claims_in(text, &english), claims(text), "{text}");
        }
        // English has no decimal comma and no sign after the number.
        assert_eq!(texts_in("51,3 %", &english), ["51", "3 %"]);
        assert_eq!(one_in("51 £", &english).written, Written::Plain);
        // Longer words are tried first, in every language.
        for r in [english, welsh(), french()] {
            for (k, w) in r.words.iter().enumerate() {
                assert!(
                    r.words[..k]
                        .iter()
                        .all(|v| v.text == w.text || !w.text.starts_with(v.text)),
                    "{} after a prefix of it",
                    w.text
                );
            }
        }
    }

    #[test]
    fn welsh_figures_are_read_with_welsh_words() {
        let cy = welsh();
        assert_eq!(
            read_in("51.3 y cant o bobl Llundain", &cy),
            ("51.3 y cant".into(), 51.3, 1, 1.0, Written::Percent)
        );
        assert_eq!(
            read_in("51 y cant.", &cy),
            ("51 y cant".into(), 51.0, 0, 1.0, Written::Percent)
        );
        assert_eq!(
            read_in("51%", &cy),
            ("51%".into(), 51.0, 0, 1.0, Written::Percent)
        );
        assert_eq!(
            read_in("£3.4 biliwn", &cy),
            ("£3.4 biliwn".into(), 3.4, 1, 1e9, Written::Pounds)
        );
        assert_eq!(
            read_in("£3.4bn", &cy),
            ("£3.4bn".into(), 3.4, 1, 1e9, Written::Pounds)
        );
        assert_eq!(
            read_in("1.2 miliwn o alwadau", &cy),
            ("1.2 miliwn".into(), 1.2, 1, 1e6, Written::Plain)
        );
        assert_eq!(
            read_in("£1.2m", &cy),
            ("£1.2m".into(), 1.2, 1, 1e6, Written::Pounds)
        );
        assert_eq!(
            read_in("5 mil o swyddogion", &cy),
            ("5 mil".into(), 5.0, 0, 1e3, Written::Plain)
        );
        assert_eq!(
            read_in("5k", &cy),
            ("5k".into(), 5.0, 0, 1e3, Written::Plain)
        );
        assert_eq!(
            read_in("4,012 o swyddogion", &cy),
            ("4,012".into(), 4012.0, 0, 1.0, Written::Plain)
        );
        assert!(one_in("4,012", &cy).commas);
        // A word must end where the word does: "milltir" (miles) is no thousand.
        assert_eq!(
            read_in("5 milltir", &cy),
            ("5".into(), 5.0, 0, 1.0, Written::Plain)
        );
        // Mutated scale words are not read: "filiwn" mutates both "miliwn" and "biliwn".
        assert_eq!(
            read_in("2 filiwn", &cy),
            ("2".into(), 2.0, 0, 1.0, Written::Plain)
        );
        assert_eq!(texts_in("ym mis Rhagfyr 2021, 76%", &cy), ["2021", "76%"]);
        // English words are not Welsh ones.
        assert_eq!(one_in("51 per cent", &cy).written, Written::Plain);
    }

    #[test]
    fn french_figures_are_read_with_french_separators_and_words() {
        let fr = french();
        assert_eq!(
            read_in("51,3 %", &fr),
            ("51,3 %".into(), 51.3, 1, 1.0, Written::Percent)
        );
        // Quoted as written, with the narrow no-break space.
        assert_eq!(
            read_in("soit 51,3\u{202F}% des Londoniens", &fr),
            ("51,3\u{202F}%".into(), 51.3, 1, 1.0, Written::Percent)
        );
        assert_eq!(
            read_in("51,3 pour cent", &fr),
            ("51,3 pour cent".into(), 51.3, 1, 1.0, Written::Percent)
        );
        let pounds = "3\u{202F}400\u{202F}000\u{202F}000\u{A0}£";
        assert_eq!(
            read_in(&format!("{pounds} par an"), &fr),
            (pounds.into(), 3.4e9, 0, 1.0, Written::Pounds)
        );
        // The same claim as English's "£3,400,000,000", but for its text.
        assert_eq!(
            Claim {
                text: "£3,400,000,000".into(),
                ..one_in(pounds, &fr)
            },
            one_in("£3,400,000,000", &NumberReading::english())
        );
        assert_eq!(
            read_in("51 £", &fr),
            ("51 £".into(), 51.0, 0, 1.0, Written::Pounds)
        );
        assert_eq!(
            read_in("51 €", &fr),
            ("51 €".into(), 51.0, 0, 1.0, Written::Currency('€'))
        );
        // A scale word with no sign is a scale, not pounds.
        assert_eq!(
            read_in("3,4 milliards de livres", &fr),
            ("3,4 milliards".into(), 3.4, 1, 1e9, Written::Plain)
        );
        assert_eq!(
            read_in("1 milliard", &fr),
            ("1 milliard".into(), 1.0, 0, 1e9, Written::Plain)
        );
        assert_eq!(
            read_in("1,5 million", &fr),
            ("1,5 million".into(), 1.5, 1, 1e6, Written::Plain)
        );
        assert_eq!(
            read_in("2 millions d'appels", &fr),
            ("2 millions".into(), 2.0, 0, 1e6, Written::Plain)
        );
        assert_eq!(
            read_in("3,4 Md£", &fr),
            ("3,4 Md£".into(), 3.4, 1, 1e9, Written::Pounds)
        );
        assert_eq!(
            read_in("3,4\u{A0}Md\u{A0}£", &fr),
            ("3,4\u{A0}Md\u{A0}£".into(), 3.4, 1, 1e9, Written::Pounds)
        );
        assert_eq!(
            read_in("3,4 Md de livres", &fr),
            ("3,4 Md".into(), 3.4, 1, 1e9, Written::Plain)
        );
        assert_eq!(
            read_in("1,2 M£", &fr),
            ("1,2 M£".into(), 1.2, 1, 1e6, Written::Pounds)
        );
        assert_eq!(
            read_in("5 k€", &fr),
            ("5 k€".into(), 5.0, 0, 1e3, Written::Currency('€'))
        );
        assert_eq!(
            read_in("5k", &fr),
            ("5k".into(), 5.0, 0, 1e3, Written::Plain)
        );
        // "M" without a sign is Monsieur, and "m" is metres.
        assert_eq!(texts_in("le 3 M. Dupont", &fr), ["3"]);
        assert_eq!(one_in("le 3 M. Dupont", &fr).scale, 1.0);
        assert_eq!(one_in("5m", &fr).scale, 1.0);
        // Groups of three, by any space.
        for text in ["2 500", "2\u{202F}500", "2\u{A0}500"] {
            let c = one_in(text, &fr);
            assert_eq!(
                (c.number, c.decimals, c.commas),
                (2500.0, 0, true),
                "{text}"
            );
            assert_eq!(c.text, text);
        }
        // A comma followed by a space is punctuation, and a year is a bare number.
        assert_eq!(texts_in("en 2021, 34 %", &fr), ["2021", "34 %"]);
        assert_eq!(
            one_in("en 2021", &fr).bare_integer(),
            Some(2021),
            "a year stays bare"
        );
        // A sign after one number is not also before the next.
        let both = claims_in("51 £300", &fr).unwrap();
        assert_eq!(
            both.iter()
                .map(|c| (c.text.as_str(), c.written))
                .collect::<Vec<_>>(),
            [("51 £", Written::Pounds), ("300", Written::Plain)]
        );
        // A group is three digits, no more.
        assert_eq!(texts_in("2 5000 agents", &fr), ["2", "5000"]);
        // A space after four digits is between words, not groups.
        assert_eq!(texts_in("en 2021 100 agents", &fr), ["2021", "100"]);
        // A comma is a decimal mark, never a group mark.
        assert_eq!(
            read_in("1,500", &fr),
            ("1,500".into(), 1.5, 3, 1.0, Written::Plain)
        );
        assert!(!one_in("1,500", &fr).commas);
    }

    #[test]
    fn words_are_chosen_by_the_language_subtag_and_marks_by_the_locale() {
        // Canadian French (CLDR: U+00A0 groups) reads French words.
        let ca = NumberReading::for_language("fr-CA", ',', '\u{A0}');
        assert_eq!(
            read_in("51,3 pour cent", &ca),
            ("51,3 pour cent".into(), 51.3, 1, 1.0, Written::Percent)
        );
        assert_eq!(one_in("2\u{202F}500", &ca).number, 2500.0);
        assert_eq!(NumberReading::for_language("cy-GB", '.', ','), welsh());
        // Another language: English words, its own marks, a sign after the number.
        let de = NumberReading::for_language("de", ',', '.');
        assert_eq!(
            read_in("1.234,5 million", &de),
            ("1.234,5 million".into(), 1234.5, 1, 1e6, Written::Plain)
        );
        assert!(one_in("1.234", &de).commas);
        assert_eq!(
            read_in("51 €", &de),
            ("51 €".into(), 51.0, 0, 1.0, Written::Currency('€'))
        );
        assert!(one_in("51.3", &de).number.is_nan(), "not a group of three");
        assert_eq!(texts_in("51 pour cent", &de), ["51"]);
    }

    /// French does not write "51.3": a "." between digits is read as no number at all, and
    /// the whole figure is quoted as written, so the check says "the text says 51.3 %" rather
    /// than accepting an English decimal point (which in some languages groups thousands:
    /// "1.500") or misreading it as the two numbers 51 and 3. So are English-grouped digits.
    #[test]
    fn an_english_decimal_point_in_french_matches_no_value() {
        let fr = french();
        for text in ["51.3 %", "51.3%", "1.5 million", "3,400,000,000 £", "1,5.2"] {
            let c = one_in(text, &fr);
            assert_eq!(c.text, text);
            assert!(c.number.is_nan(), "{text}: {c:?}");
            for v in [51.3, 513.0, 51.0, 3.0, 1.5e6, 3.4e9, 3.4, 1.5, 15.2] {
                assert!(!c.matches(v), "{text} matches {v}");
            }
        }
        assert_eq!(one_in("51.3 %", &fr).written, Written::Percent);
        assert_eq!(one_in("3,400,000,000 £", &fr).written, Written::Pounds);
    }

    #[test]
    fn figures_in_welsh_and_french_are_checked_against_the_data() {
        let ok = |t: &str, unit, v, named: &[u64], r: &NumberReading| {
            check_in(t, unit, v, &named.iter().copied().collect(), r)
        };
        let said = |e: Option<ClaimError>| match e {
            Some(ClaimError::Wrong(c)) => ("wrong", c.into_iter().map(|c| c.text).collect()),
            Some(ClaimError::Extra(c)) => ("extra", c.into_iter().map(|c| c.text).collect()),
            Some(ClaimError::WrongUnit(c)) => ("unit", vec![c.text]),
            other => panic!("{other:?}"),
        };
        let (fr, cy) = (french(), welsh());
        // French: right figures.
        assert_eq!(ok("51,3 %", Unit::Percent, 51.3, &[], &fr), (1, None));
        assert_eq!(
            ok("en 2021, 34 %", Unit::Percent, 34.0, &[2021], &fr),
            (2, None)
        );
        assert_eq!(ok("3,4 Md£", Unit::Gbp, 3.4e9, &[], &fr), (1, None));
        assert_eq!(
            ok(
                "3\u{202F}400\u{202F}000\u{202F}000 £",
                Unit::Gbp,
                3.4e9,
                &[],
                &fr
            ),
            (1, None)
        );
        assert_eq!(
            ok("3,4 milliards de livres", Unit::Gbp, 3.4e9, &[], &fr),
            (1, None)
        );
        assert_eq!(
            ok("2\u{202F}500 agents", Unit::Count, 2500.0, &[], &fr),
            (1, None)
        );
        // French: wrong figures, quoted as written.
        assert_eq!(
            said(ok("52,3 %", Unit::Percent, 51.3, &[], &fr).1),
            ("wrong", vec!["52,3 %".to_string()])
        );
        assert_eq!(
            said(ok("en 2019, 34 %", Unit::Percent, 34.0, &[2021], &fr).1),
            ("extra", vec!["2019".to_string()])
        );
        assert_eq!(
            said(ok("51 £", Unit::Percent, 51.0, &[], &fr).1),
            ("unit", vec!["51 £".to_string()])
        );
        assert_eq!(
            said(ok("51,3\u{202F}€", Unit::Gbp, 51.3, &[], &fr).1),
            ("unit", vec!["51,3\u{202F}€".to_string()])
        );
        // An English decimal point in French is reported, not read as 51.3.
        assert_eq!(
            said(ok("51.3 %", Unit::Percent, 51.3, &[], &fr).1),
            ("wrong", vec!["51.3 %".to_string()])
        );
        // Digits grouped are no year a link names.
        assert_eq!(
            said(ok("2\u{202F}021 agents", Unit::Count, 45.0, &[2021], &fr).1),
            ("wrong", vec!["2\u{202F}021".to_string()])
        );
        // Welsh.
        assert_eq!(ok("51.3 y cant", Unit::Percent, 51.3, &[], &cy), (1, None));
        assert_eq!(ok("£3.4 biliwn", Unit::Gbp, 3.4e9, &[], &cy), (1, None));
        assert_eq!(
            said(ok("52 y cant", Unit::Percent, 51.0, &[], &cy).1),
            ("wrong", vec!["52 y cant".to_string()])
        );
        assert_eq!(
            said(ok("£51 y cant", Unit::Percent, 51.0, &[], &cy).1),
            ("unit", vec!["£51 y cant".to_string()])
        );
        // The same French text read as English is misread: "51" passes as 51.3 to the nearest
        // whole number, and "3 %" is reported. That is what reading it as French fixes.
        assert_eq!(
            said(check("51,3 %", Unit::Percent, 51.3, &Default::default()).1),
            ("extra", vec!["3 %".to_string()])
        );
    }
}

/// A value exactly as the data has it, for the metric's table: every digit the YAML gives
/// (the shortest text that reads back as the same number, so no float artefacts), thousands
/// commas, never scaled or rounded: "£3,249,999", "49.6%", "1,234,567", "0.75".
#[cfg(test)]
pub(crate) fn exact(unit: Unit, v: f64) -> String {
    exact_in(english(), unit, v)
}

/// [`exact`] as `locale` writes it.
pub(crate) fn exact_in(locale: &Locale, unit: Unit, v: f64) -> String {
    // `-0` reads as zero; and Rust's `Display` for f64 is the shortest round-trip form
    // without an exponent, so every digit written in the YAML, and only those, come back.
    let body = locale.decimal(&(v.abs() + 0.0).to_string());
    let sign = if v < 0.0 { "-" } else { "" };
    match unit {
        Unit::Percent => format!("{sign}{}", locale.text("value_percent", &[("n", &body)])),
        Unit::Count | Unit::Ratio => format!("{sign}{body}"),
        Unit::Gbp => locale.text("value_gbp", &[("sign", sign), ("n", &body)]),
    }
}

/// The words a sentence puts before a reading's value so that it never presents a forecast
/// as something that happened: "projected to be" for a projected reading, else none.
pub(crate) fn value_lead(p: &crate::content::metrics::Point) -> Option<&'static str> {
    (p.status == Some(crate::content::metrics::Status::Projected)).then_some("projected to be")
}

/// A reading's value where it stands alone in a sentence an author wrote (an empty `metric:`
/// link's text), marked when it is not a final figure: "£7.4m (projected)", "51%
/// (provisional)". The mark follows the value, so it reads right wherever the author put it.
pub(crate) fn value_marked_in(
    locale: &Locale,
    unit: Unit,
    p: &crate::content::metrics::Point,
) -> String {
    use crate::content::metrics::Status;
    let value = value_in(locale, unit, p.value);
    match p.status {
        Some(s @ (Status::Projected | Status::Provisional)) => {
            let mark = locale.text(&format!("mark_{}", s.as_str()), &[]);
            locale.text("value_marked", &[("value", &value), ("mark", &mark)])
        }
        Some(Status::Revised) | None => value,
    }
}

/// A reading's value in words for prose: "51%", or "projected to be 51%" for a projection.
#[cfg(test)]
pub(crate) fn value_phrase(unit: Unit, p: &crate::content::metrics::Point) -> String {
    match value_lead(p) {
        Some(lead) => format!("{lead} {}", value(unit, p.value)),
        None => value(unit, p.value),
    }
}

#[cfg(test)]
mod exact_tests {
    use super::*;
    use crate::content::metrics::{Period, Point, Status};

    #[test]
    fn tables_show_every_digit_the_data_has() {
        assert_eq!(exact(Unit::Gbp, 3_249_999.0), "£3,249,999");
        assert_eq!(value(Unit::Gbp, 3_249_999.0), "£3.2m", "prose still scales");
        assert_eq!(exact(Unit::Gbp, -1_500.25), "-£1,500.25");
        assert_eq!(exact(Unit::Percent, 49.6), "49.6%");
        assert_eq!(exact(Unit::Percent, 51.0), "51%");
        assert_eq!(
            exact(Unit::Percent, 12.345),
            "12.345%",
            "not rounded to two places"
        );
        assert_eq!(exact(Unit::Count, 1_234_567.0), "1,234,567");
        assert_eq!(exact(Unit::Count, 999.0), "999");
        assert_eq!(exact(Unit::Ratio, 6.4), "6.4");
        assert_eq!(exact(Unit::Ratio, 0.1 + 0.2), "0.30000000000000004");
        assert_eq!(
            exact(Unit::Ratio, 0.3),
            "0.3",
            "as written, no float artefacts"
        );
        assert_eq!(exact(Unit::Ratio, -0.0), "0");
        assert_eq!(exact(Unit::Count, 1e15), "1,000,000,000,000,000");
    }

    #[test]
    fn a_projection_is_never_stated_as_fact() {
        let mut p = Point::at(Period::Month(2021, 12), 51.0);
        assert_eq!(value_phrase(Unit::Percent, &p), "51%");
        p.status = Some(Status::Provisional);
        assert_eq!(value_phrase(Unit::Percent, &p), "51%");
        p.status = Some(Status::Revised);
        assert_eq!(value_lead(&p), None);
        p.status = Some(Status::Projected);
        assert_eq!(value_phrase(Unit::Percent, &p), "projected to be 51%");
        assert_eq!(value_lead(&p), Some("projected to be"));
    }
}
