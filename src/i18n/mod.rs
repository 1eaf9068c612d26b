//! The reader's language: the theme's strings in it ([`strings`]) and its ways of writing
//! dates, numbers and plural forms, from ICU4X's compiled CLDR data (never hand-kept tables).
//! A [`Locale`] is built once per build, from the theme's strings files and the site's
//! `language:`, and shared by the render threads.

pub(crate) mod strings;

use std::collections::BTreeMap;

use chrono::Datelike;
use icu::calendar::{Date, Gregorian};
use icu::datetime::FixedCalendarDateTimeFormatter;
use icu::datetime::fieldsets::{YM, YMD};
use icu::decimal::DecimalFormatter;
use icu::decimal::input::Decimal;
use icu::plurals::PluralRules;

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, FileId, SourceFiles};
use strings::{Catalog, Category, Fill, StringsFile};

/// The language every theme's strings are checked against: the default theme's first.
pub(crate) const REFERENCE: &str = "en";

/// One language's strings and formats.
pub(crate) struct Locale {
    /// The language tag as pages declare it (`<html lang>`), e.g. `en-GB`.
    pub(crate) tag: String,
    strings: Catalog,
    plurals: PluralRules,
    dates: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    months: FixedCalendarDateTimeFormatter<Gregorian, YM>,
    short_months: FixedCalendarDateTimeFormatter<Gregorian, YM>,
    numbers: DecimalFormatter,
    /// How the claim check reads a figure written in this language.
    reading: crate::figures::NumberReading,
}

impl std::fmt::Debug for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Locale")
            .field("tag", &self.tag)
            .finish_non_exhaustive()
    }
}

/// A month through `formatter` (long or short); `YYYY-MM` for a month ICU cannot hold.
fn format_month(
    formatter: &FixedCalendarDateTimeFormatter<Gregorian, YM>,
    year: i32,
    month: u32,
) -> String {
    u8::try_from(month)
        .ok()
        .and_then(|m| Date::try_new_gregorian(year, m, 1).ok())
        .map_or_else(
            || format!("{year}-{month:02}"),
            |date| formatter.format(&date).to_string(),
        )
}

/// The claim check's reading of `tag`, with the decimal mark and group separator `numbers`
/// writes: those of 1234.5 ("1,234.5" in English, "1 234,5" in French).
fn number_reading(tag: &str, numbers: &DecimalFormatter) -> crate::figures::NumberReading {
    let written = Decimal::try_from_str("1234.5")
        .map(|d| numbers.format(&d).to_string())
        .unwrap_or_default();
    let mark = |s: &str| s.chars().find(|c| !c.is_numeric());
    let group = mark(written.split('2').next().unwrap_or("")).unwrap_or(',');
    let decimal = mark(written.rsplit('4').next().unwrap_or("")).unwrap_or('.');
    crate::figures::NumberReading::for_language(tag, decimal, group)
}

/// Why an ICU4X formatter could not be made for a language: it has no data for it.
fn no_data(tag: &str) -> String {
    format!("there is no data to write dates and numbers in `{tag}`")
}

impl Locale {
    /// The formats of `tag` with `strings`; Err when ICU4X cannot read the tag.
    pub(crate) fn new(tag: &str, strings: Catalog) -> Result<Locale, String> {
        let locale = icu::locale::Locale::try_from_str(tag)
            .map_err(|_| format!("`{tag}` is not a language tag ICU can read"))?;
        let plurals =
            PluralRules::try_new((&locale).into(), Default::default()).map_err(|_| no_data(tag))?;
        let dates = FixedCalendarDateTimeFormatter::try_new((&locale).into(), YMD::long())
            .map_err(|_| no_data(tag))?;
        let months = FixedCalendarDateTimeFormatter::try_new((&locale).into(), YM::long())
            .map_err(|_| no_data(tag))?;
        let short_months = FixedCalendarDateTimeFormatter::try_new((&locale).into(), YM::medium())
            .map_err(|_| no_data(tag))?;
        let numbers = DecimalFormatter::try_new((&locale).into(), Default::default())
            .map_err(|_| no_data(tag))?;
        let reading = number_reading(tag, &numbers);
        Ok(Locale {
            short_months,
            tag: tag.to_string(),
            strings,
            plurals,
            dates,
            months,
            numbers,
            reading,
        })
    }

    /// How the claim check reads a figure written in this language: its marks, from ICU4X's
    /// data, and its words for per cent and scale.
    pub(crate) fn number_reading(&self) -> &crate::figures::NumberReading {
        &self.reading
    }

    /// A day as this language writes it in full: "24 March 2022", "24 Mawrth 2022".
    pub(crate) fn date(&self, d: chrono::NaiveDate) -> String {
        // chrono's dates are proleptic Gregorian, as ICU's; every NaiveDate is in range.
        let Ok(month) = u8::try_from(d.month()) else {
            return d.to_string();
        };
        let Ok(day) = u8::try_from(d.day()) else {
            return d.to_string();
        };
        match Date::try_new_gregorian(d.year(), month, day) {
            Ok(date) => self.dates.format(&date).to_string(),
            Err(_) => d.to_string(),
        }
    }

    /// A month as this language writes it: "March 2022", "Mawrth 2022", "mars 2022".
    pub(crate) fn month(&self, year: i32, month: u32) -> String {
        format_month(&self.months, year, month)
    }

    /// A metric's period as this language writes it: `2021`, or "March 2021", "Mawrth 2021".
    pub(crate) fn period(&self, p: crate::content::metrics::Period) -> String {
        match p {
            crate::content::metrics::Period::Year(y) => y.to_string(),
            crate::content::metrics::Period::Month(y, m) => self.month(y, m),
        }
    }

    /// A month in short, as a chart's axis labels it: "Mar 2022".
    pub(crate) fn month_short(&self, year: i32, month: u32) -> String {
        format_month(&self.short_months, year, month)
    }

    /// A whole number with this language's digit grouping: "12,345", "12 345".
    pub(crate) fn integer(&self, n: i64) -> String {
        self.numbers.format(&Decimal::from(n)).to_string()
    }

    /// A number written as plain digits (`-1234.5`: an optional minus, digits, an optional
    /// point and digits) as this language writes it: "-1,234.5", "-1\u{202f}234,5". The
    /// digits are kept as given (the caller has rounded them); text that is not such a number
    /// comes back as it is.
    pub(crate) fn decimal(&self, digits: &str) -> String {
        match Decimal::try_from_str(digits) {
            Ok(d) => self.numbers.format(&d).to_string(),
            Err(_) => digits.to_string(),
        }
    }

    /// The plural category of a number written as plain digits ("1", "1.5"): CLDR's rules look
    /// at the visible decimals, so "1.0" is not "1" in every language.
    pub(crate) fn category_of(&self, digits: &str) -> Category {
        match Decimal::try_from_str(digits) {
            Ok(d) => Category::of(self.plurals.category_for(&d)),
            Err(_) => Category::Other,
        }
    }

    /// [`Locale::counted`] for a number written as plain digits (see [`Locale::decimal`]),
    /// which fills `{count}` as the language writes it.
    pub(crate) fn counted_digits(&self, key: &str, digits: &str, args: &[(&str, &str)]) -> String {
        let count = self.decimal(digits);
        let mut all: Vec<(&str, &str)> = vec![("count", &count)];
        all.extend_from_slice(args);
        self.fill(key, Some(self.category_of(digits)), &all, false)
    }

    /// The plural category of `n` in this language.
    pub(crate) fn category(&self, n: u64) -> Category {
        Category::of(self.plurals.category_for(n))
    }

    /// `key`'s text with `args`, as plain text (a template escapes it where it is printed).
    pub(crate) fn text(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.fill(key, None, args, false)
    }

    /// A plural string's text for `n` things, plain: `n` (grouped as the language groups
    /// digits) fills its `{count}`, and chooses its form by the language's plural rules.
    pub(crate) fn counted(&self, key: &str, n: usize, args: &[(&str, &str)]) -> String {
        let n64 = u64::try_from(n).unwrap_or(u64::MAX);
        let count = self.integer(i64::try_from(n).unwrap_or(i64::MAX));
        let mut all: Vec<(&str, &str)> = vec![("count", &count)];
        all.extend_from_slice(args);
        self.fill(key, Some(self.category(n64)), &all, false)
    }

    /// `key`'s text as HTML: its own words escaped, `args` (markup already) as they are. Every key of
    /// en.yaml is in every loaded catalog (loading checks it), so a key the code names wrongly
    /// is a bug: it shows as the key itself, and fails in debug builds.
    pub(crate) fn markup(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.fill(key, None, args, true)
    }

    fn fill(
        &self,
        key: &str,
        category: Option<Category>,
        args: &[(&str, &str)],
        escape: bool,
    ) -> String {
        let mut out = String::new();
        match self.strings.format(
            key,
            category,
            &Holes {
                values: args,
                escape,
            },
            &mut out,
        ) {
            Ok(()) => out,
            Err(m) => {
                debug_assert!(false, "{m}");
                key.to_string()
            }
        }
    }
}

/// The values a string's holes are filled with, and whether its own words are escaped for
/// HTML (the values are given ready: escaped, or markup already).
struct Holes<'a> {
    values: &'a [(&'a str, &'a str)],
    escape: bool,
}

impl Fill for Holes<'_> {
    fn text(&self, text: &str, out: &mut String) {
        if self.escape {
            escape_text(text, out);
        } else {
            out.push_str(text);
        }
    }

    fn fill(&self, hole: &str, out: &mut String) -> bool {
        self.values
            .iter()
            .find(|(n, _)| *n == hole)
            .map(|(_, v)| out.push_str(v))
            .is_some()
    }
}

/// The templates' `t(key, name=value, ...)`: `key`'s text in the page's language, escaped for
/// HTML, with each value escaped unless it is already markup (a macro's output, a `set` block),
/// whole numbers grouped as the language groups digits, and `count` choosing the plural form.
pub(crate) fn template_text(
    locale: &Locale,
    key: &str,
    kwargs: &minijinja::value::Kwargs,
) -> Result<minijinja::Value, minijinja::Error> {
    use crate::markdown::escape_html;
    let mut values: Vec<(&str, String)> = Vec::new();
    let mut category = None;
    for name in kwargs.args() {
        let v: minijinja::Value = kwargs.get(name)?;
        let text = if v.is_safe() {
            v.to_string()
        } else if let Some(n) = v.as_i64() {
            if name == "count" {
                category = u64::try_from(n).ok().map(|n| locale.category(n));
            }
            locale.integer(n)
        } else {
            escape_html(&v.to_string())
        };
        values.push((name, text));
    }
    let values: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let mut out = String::new();
    locale
        .strings
        .format(
            key,
            category,
            &Holes {
                values: &values,
                escape: true,
            },
            &mut out,
        )
        .map_err(|m| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, m))?;
    Ok(minijinja::Value::from_safe_string(out))
}

/// The templates' `script_strings(["key", ...])`: those strings as written (holes and plural
/// forms kept), for a page's script to fill in; the template hands them over as JSON.
pub(crate) fn script_strings(
    locale: &Locale,
    keys: &[String],
) -> Result<minijinja::Value, minijinja::Error> {
    let mut out = serde_json::Map::new();
    for key in keys {
        let value = locale.strings.for_script(key).ok_or_else(|| {
            minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("the theme has no string `{key}`"),
            )
        })?;
        out.insert(key.clone(), value);
    }
    Ok(minijinja::Value::from(minijinja::value::Serde(out)))
}

/// A string's own words, escaped for HTML text or a double-quoted attribute; an apostrophe,
/// never special there, is kept as written.
fn escape_text(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// The language codes the theme has strings for, each with its files in layering order (the
/// built-in theme's, then the site's theme's), as the theme loader found them.
pub(crate) type StringFiles = BTreeMap<String, Vec<FileId>>;

/// Parse and check every strings file, and make the locales of the site's language and of
/// each of its other languages (site.yaml's `languages:`), in that order. Every problem is
/// reported at once.
pub(crate) fn load(
    files: &StringFiles,
    config: &SiteConfig,
    sources: &SourceFiles,
) -> Result<Vec<Locale>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut parsed: BTreeMap<&str, (PluralRules, Vec<StringsFile>)> = BTreeMap::new();
    for (code, ids) in files {
        let rules = icu::locale::Locale::try_from_str(code)
            .ok()
            .and_then(|l| PluralRules::try_new((&l).into(), Default::default()).ok());
        let Some(rules) = rules else {
            for &id in ids {
                problems.push(
                    Diagnostic::error(format!(
                        "{} is named `{code}`, which is not a language tag",
                        sources.path(id)
                    ))
                    .help("name a strings file after its language: en.yaml, cy.yaml, fr-CA.yaml"),
                );
            }
            continue;
        };
        let mut layers = Vec::new();
        for &id in ids {
            let (file, errors) = strings::parse_file(id, sources.text(id));
            problems.extend(errors);
            layers.push(file);
        }
        parsed.insert(code.as_str(), (rules, layers));
    }
    let reference = Catalog::layered(parsed.get(REFERENCE).into_iter().flat_map(|(_, l)| l));
    let text = sources.text(config.file);
    // The site's own language, then each of `languages:`, with where each is named.
    let mut wanted = vec![(
        config.language.as_str(),
        crate::yaml::locate(text, &[crate::yaml::Seg::Key("language")]).unwrap_or(0..0),
    )];
    wanted.extend((config.languages.iter()).map(|l| (l.code.as_str(), l.span.clone())));
    let codes: Vec<Option<&str>> = wanted
        .iter()
        .map(|(tag, _)| pick(tag, parsed.keys().copied()))
        .collect();
    for (code, (rules, layers)) in &parsed {
        let layers: Vec<&StringsFile> = layers.iter().collect();
        let used = codes.contains(&Some(*code));
        problems.extend(strings::check_against(
            &reference,
            &layers,
            (code, rules),
            sources,
            used,
        ));
    }
    let known: Vec<&str> = parsed.keys().copied().collect();
    let known = match known.as_slice() {
        [rest @ .., last] if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => known.join(""),
    };
    let mut locales = Vec::new();
    for ((tag, at), code) in wanted.iter().zip(&codes) {
        let Some(code) = code else {
            problems.push(
                Diagnostic::error(format!("the theme has no strings in `{tag}`"))
                    .at(config.file, at.clone())
                    .help(format!(
                        "the theme has strings in {known}; to publish in `{tag}`, add themes/{}/strings/{}.yaml with every key of en.yaml",
                        config.theme,
                        primary(tag)
                    )),
            );
            continue;
        };
        let catalog = Catalog::layered(parsed.get(code).into_iter().flat_map(|(_, l)| l));
        match Locale::new(tag, catalog) {
            Ok(locale) => locales.push(locale),
            Err(m) => problems.push(Diagnostic::error(m).at(config.file, at.clone())),
        }
    }
    if problems.is_empty() {
        Ok(locales)
    } else {
        Err(problems)
    }
}

/// The language subtag of a tag: `en` of `en-GB`.
fn primary(tag: &str) -> &str {
    tag.split(['-', '_']).next().unwrap_or(tag)
}

/// The strings file for `tag`: the one named by the whole tag, else by its language subtag,
/// compared without regard to case.
fn pick<'c>(tag: &str, codes: impl Iterator<Item = &'c str> + Clone) -> Option<&'c str> {
    let whole = codes.clone().find(|c| c.eq_ignore_ascii_case(tag));
    whole.or_else(|| {
        let lang = primary(tag);
        codes.into_iter().find(|c| c.eq_ignore_ascii_case(lang))
    })
}

/// The built-in theme's English, as en-GB writes dates and numbers: what plainsight's own
/// reports (diagnostics, which stay English whatever the site's language) say figures with.
pub(crate) fn english() -> &'static Locale {
    static ENGLISH: std::sync::OnceLock<Locale> = std::sync::OnceLock::new();
    ENGLISH.get_or_init(|| builtin("en", "en-GB"))
}

/// The built-in theme's strings in `code` (its file `strings/CODE.yaml`), as `tag` writes
/// dates and numbers. The shipped files are checked by this module's tests.
pub(crate) fn builtin(code: &str, tag: &str) -> Locale {
    let text = match code {
        "en" => include_str!("../../themes/default/strings/en.yaml"),
        "cy" => include_str!("../../themes/default/strings/cy.yaml"),
        "fr" => include_str!("../../themes/default/strings/fr.yaml"),
        _ => panic!("the built-in theme has no strings in {code}"),
    };
    let mut sources = SourceFiles::default();
    let id = sources.add(format!("strings/{code}.yaml"), text);
    let (file, problems) = strings::parse_file(id, text);
    debug_assert!(problems.is_empty(), "{problems:?}");
    Locale::new(tag, Catalog::layered([&file]))
        .unwrap_or_else(|m| panic!("the built-in {code} strings: {m}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locale(tag: &str) -> Locale {
        Locale::new(tag, Catalog::default()).unwrap()
    }

    #[test]
    fn dates_and_numbers_are_written_as_each_language_writes_them() {
        let d = chrono::NaiveDate::from_ymd_opt(2022, 3, 24).unwrap();
        assert_eq!(locale("en-GB").date(d), "24 March 2022");
        assert_eq!(locale("cy").date(d), "24 Mawrth 2022");
        assert_eq!(locale("fr").date(d), "24 mars 2022");
        assert_eq!(locale("en-GB").month(2022, 3), "March 2022");
        assert_eq!(locale("cy").month(2022, 3), "Mawrth 2022");
        assert_eq!(locale("fr").month(2022, 3), "mars 2022");
        // A chart's axis: CLDR's abbreviations (en-GB writes September "Sept").
        let short: Vec<String> = ["en-GB", "cy", "fr"]
            .iter()
            .map(|t| locale(t).month_short(2021, 9))
            .collect();
        assert_eq!(short, ["Sept 2021", "Medi 2021", "sept. 2021"]);
        assert_eq!(locale("en-GB").integer(12345), "12,345");
        // French groups digits with a narrow no-break space.
        assert_eq!(locale("fr").integer(12345), "12\u{202f}345");
    }

    #[test]
    fn welsh_has_six_plural_forms() {
        let cy = locale("cy");
        let forms: Vec<&str> = [0, 1, 2, 3, 6, 7]
            .iter()
            .map(|&n| cy.category(n).name())
            .collect();
        assert_eq!(forms, ["zero", "one", "two", "few", "many", "other"]);
    }

    /// The built-in theme's strings files, read from the folder so that a new language is
    /// checked without being listed here.
    fn shipped() -> (SourceFiles, BTreeMap<String, FileId>) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/strings");
        let mut sources = SourceFiles::default();
        let mut files = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let code = path.file_stem().unwrap().to_str().unwrap().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            files.insert(
                code.clone(),
                sources.add(format!("strings/{code}.yaml"), text),
            );
        }
        (sources, files)
    }

    #[test]
    fn every_shipped_language_gives_every_english_string_in_every_plural_form() {
        let (sources, files) = shipped();
        assert!(files.len() >= 3, "{:?}", files.keys());
        let mut parsed = BTreeMap::new();
        for (code, &id) in &files {
            let rules = PluralRules::try_new(
                (&icu::locale::Locale::try_from_str(code).unwrap()).into(),
                Default::default(),
            )
            .unwrap();
            let (file, problems) = strings::parse_file(id, sources.text(id));
            let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
            assert!(messages.is_empty(), "{code}: {messages:?}");
            parsed.insert(code.as_str(), (rules, file));
        }
        let reference = Catalog::layered([&parsed[REFERENCE].1]);
        for (code, (rules, file)) in &parsed {
            let problems =
                strings::check_against(&reference, &[file], (code, rules), &sources, true);
            let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
            assert!(messages.is_empty(), "{code}: {messages:?}");
        }
    }

    #[test]
    fn every_string_a_template_names_is_in_english() {
        let (sources, files) = shipped();
        let id = files[REFERENCE];
        let (file, _) = strings::parse_file(id, sources.text(id));
        let english = Catalog::layered([&file]);
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        let mut named = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for (at, _) in text.match_indices("t(\"") {
                let key: String = text[at + 3..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                // `t("direction_" ~ m.direction)` names its key as it renders.
                if text[at + 3 + key.len()..].starts_with("\" ~") {
                    assert!(english.keys().any(|k| k.starts_with(&key)), "{key}");
                    continue;
                }
                assert!(english.contains(&key), "{} names `{key}`", path.display());
                named += 1;
            }
        }
        assert!(named > 150, "{named}");
    }

    #[test]
    fn a_strings_file_is_picked_by_whole_tag_then_language() {
        let codes = ["cy", "en", "en-us", "fr"];
        assert_eq!(pick("en-GB", codes.iter().copied()), Some("en"));
        assert_eq!(pick("en-US", codes.iter().copied()), Some("en-us"));
        assert_eq!(pick("CY", codes.iter().copied()), Some("cy"));
        assert_eq!(pick("de", codes.iter().copied()), None);
    }
}
