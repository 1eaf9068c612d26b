//! content/metrics/*.yaml: measured series (values by period) that figures in documents are
//! checked against.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use chrono::NaiveDate;
use serde::Deserialize;

use super::document::{
    At, MetricId, PRIORITY_REF_HELP, PriorityRef, SourceId, check_id, not_a_priority_ref,
};
use super::front_matter;
use crate::config::yaml_diagnostic;
use crate::diag::{Diagnostic, FileId};
use crate::yaml::{self, Seg};

/// How a metric's values are counted, which decides how they are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Unit {
    Percent,
    Count,
    Ratio,
    Gbp,
}

/// Which direction is progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Better {
    Higher,
    Lower,
}

/// The largest value a point may have, either side of zero. Past 2^53 (about 9 * 10^15) a
/// value no longer holds every whole number, so a claim cannot be matched digit for digit, and
/// near 10^308 sums, scales and percentages overflow to infinity (a chart of "NaN" ticks).
pub(crate) const MAX_VALUE: f64 = 1e15;

/// A year or a month: what a data point measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Period {
    Year(i32),
    Month(i32, u32),
}

impl Period {
    /// The year of `s`, if it has the shape of a period (`YYYY` or `YYYY-MM`) but a year outside
    /// [`front_matter::YEARS`].
    pub(crate) fn year_out_of_range(s: &str) -> Option<i32> {
        let y = s.split_once('-').map_or(s, |(y, _)| y);
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        (!front_matter::YEARS.contains(&year)).then_some(year)
    }

    /// `2021` or `2021-12`, in a year of [`front_matter::YEARS`].
    pub(crate) fn parse(s: &str) -> Option<Period> {
        if Self::year_out_of_range(s).is_some() {
            return None;
        }
        let (y, m) = match s.split_once('-') {
            Some((y, m)) => (y, Some(m)),
            None => (s, None),
        };
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        match m {
            None => Some(Period::Year(year)),
            Some(m) if m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit()) => {
                let month: u32 = m.parse().ok()?;
                (1..=12)
                    .contains(&month)
                    .then_some(Period::Month(year, month))
            }
            Some(_) => None,
        }
    }

    /// The first day the period covers: a period counts as "on or before" a date from then.
    pub(crate) fn first_day(self) -> NaiveDate {
        let (y, m) = match self {
            Period::Year(y) => (y, 1),
            Period::Month(y, m) => (y, m),
        };
        NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(NaiveDate::MIN)
    }

    pub(crate) fn is_month(self) -> bool {
        matches!(self, Period::Month(..))
    }

    /// "December 2021" or "2021".
    pub(crate) fn label(self) -> String {
        match self {
            Period::Year(y) => y.to_string(),
            Period::Month(..) => self.first_day().format("%B %Y").to_string(),
        }
    }
}

/// `2021` or `2021-12`, as written in files and links.
impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
        }
    }
}

/// One value of a series.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Point {
    pub(crate) period: Period,
    pub(crate) value: f64,
    pub(crate) note: Option<String>,
    /// The reading's own source, overriding the metric's `source` for it.
    pub(crate) source: Option<At<SourceId>>,
    /// How final the reading is; `None` is a final, published figure. Never set on a target.
    pub(crate) status: Option<Status>,
    /// Where the point is written in its file.
    pub(crate) span: Range<usize>,
}

#[cfg(test)]
impl Point {
    /// A final reading with no note or source of its own, for tests.
    pub(crate) fn at(period: Period, value: f64) -> Point {
        Point {
            period,
            value,
            note: None,
            source: None,
            status: None,
            span: 0..0,
        }
    }
}

/// How final a reading is, as its publisher says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    /// Published, but may change when later returns come in.
    Provisional,
    /// A forecast: something expected, not something that happened.
    Projected,
    /// Changed since it was first published.
    Revised,
}

impl Status {
    const ALL: [Status; 3] = [Status::Provisional, Status::Projected, Status::Revised];

    /// The word written in the YAML, the table and the data files.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Provisional => "provisional",
            Status::Projected => "projected",
            Status::Revised => "revised",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A reading's `status:`: one of the words of [`Status::ALL`].
impl schemars::JsonSchema for Status {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ReadingStatus".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::schema::one_of(
            &Status::ALL.map(Status::as_str),
            "How final the reading is; leave it out for a final, published figure",
        )
    }
}

/// A validated metric.
#[derive(Clone, Debug)]
pub struct Metric {
    pub(crate) id: MetricId,
    pub(crate) file: FileId,
    pub(crate) id_span: Range<usize>,
    pub(crate) title: String,
    pub(crate) unit: Unit,
    pub(crate) better: Better,
    pub(crate) description: Option<String>,
    pub(crate) source: At<SourceId>,
    pub(crate) priorities: Vec<At<PriorityRef>>,
    /// At least one point, periods unique and ascending, one granularity.
    pub(crate) series: Vec<Point>,
    pub(crate) target: Option<Point>,
    /// `updated:`: when the latest reading was published.
    pub(crate) updated: Option<NaiveDate>,
    /// `next_update:`: when the next reading is due.
    pub(crate) next_update: Option<NextUpdate>,
    /// `translations:`: its words in the site's other languages, by language code.
    pub(crate) translations: BTreeMap<String, MetricWords>,
    /// On another language's pages, the language its words are in when it has none in that
    /// one (they are the site's own language's, marked so).
    pub(crate) words_in: Option<String>,
}

/// When a metric's next reading is due: a month, or a day when the publisher names one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NextUpdate {
    Month(i32, u32),
    Day(NaiveDate),
}

impl NextUpdate {
    /// `2025-06` or `2025-06-12`.
    pub(crate) fn parse(s: &str) -> Result<NextUpdate, String> {
        if s.len() == 10 {
            return front_matter::parse_date(s).map(NextUpdate::Day);
        }
        match Period::parse(s) {
            Some(Period::Month(y, m)) => Ok(NextUpdate::Month(y, m)),
            _ => Err(format!("`{s}` is not a month or a date")),
        }
    }

    /// As written: "2025-06" or "2025-06-12".
    pub(crate) fn iso(self) -> String {
        match self {
            NextUpdate::Month(y, m) => Period::Month(y, m).to_string(),
            NextUpdate::Day(d) => d.to_string(),
        }
    }
}

/// The help for a `next_update:` that [`NextUpdate::parse`] refuses.
const NEXT_UPDATE_HELP: &str =
    "write the month or the day the next reading is due: YYYY-MM or YYYY-MM-DD, e.g. 2025-06";

impl Metric {
    pub(crate) fn latest(&self) -> &Point {
        self.series.last().expect("a metric has at least one point")
    }

    /// The source of reading `p`: its own, else the metric's.
    pub(crate) fn source_of<'a>(&'a self, p: &'a Point) -> &'a SourceId {
        p.source.as_ref().map_or(&self.source.value, |s| &s.value)
    }

    /// Whether any reading names a source of its own.
    pub(crate) fn has_reading_sources(&self) -> bool {
        self.series.iter().any(|p| p.source.is_some())
    }
}

/// A measured series, in content/metrics/ID.yaml.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Metric")]
pub(crate) struct Raw {
    /// The metric's id; else the file name without `.yaml`.
    #[schemars(pattern(crate::schema::ID))]
    id: Option<String>,
    /// What is measured.
    #[serde(deserialize_with = "yaml::text")]
    title: String,
    /// How the values are counted.
    unit: Unit,
    /// Which direction is progress.
    better: Better,
    /// What the metric measures, and how.
    description: Option<String>,
    /// The id of the source (in sources.yaml) the readings come from.
    #[schemars(pattern(crate::schema::ID))]
    source: String,
    /// The priorities it measures progress on, each as plan-id/priority-id.
    #[serde(default)]
    #[schemars(inner(pattern(crate::schema::REF)))]
    priorities: Vec<String>,
    /// The readings, oldest first, all years (YYYY) or all months (YYYY-MM).
    series: Vec<RawPoint>,
    /// The value aimed at, for a period.
    #[schemars(with = "Option<TargetPoint>")]
    target: Option<RawPoint>,
    /// The day the latest reading was published, YYYY-MM-DD.
    #[schemars(pattern(crate::schema::DATE))]
    updated: Option<String>,
    /// When the next reading is due: YYYY-MM or YYYY-MM-DD.
    #[schemars(with = "Option<String>", pattern(crate::schema::MONTH_OR_DATE))]
    next_update: Option<RawPeriod>,
    /// Its words in the site's other languages, by language code (site.yaml's `languages:`).
    #[schemars(with = "Option<BTreeMap<String, RawTranslation>>")]
    translations: Option<yaml::UniqueMap<RawTranslation>>,
}

/// A metric's words in another language.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "MetricTranslation")]
struct RawTranslation {
    /// What is measured, in that language.
    #[serde(deserialize_with = "yaml::text")]
    title: String,
    /// What the metric measures, and how, in that language.
    description: Option<String>,
}

/// A metric's title and description in one of the site's other languages.
#[derive(Debug, Clone)]
pub(crate) struct MetricWords {
    pub(crate) title: String,
    pub(crate) description: Option<String>,
    /// Where its language's code is written, for a code the site does not list.
    pub(crate) span: Range<usize>,
}

/// One reading of a series (or a target).
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Reading")]
struct RawPoint {
    /// The year (YYYY) or month (YYYY-MM) the value is for.
    period: RawPeriod,
    /// The value, a plain number.
    #[schemars(range(min = -1e15, max = 1e15))]
    value: f64,
    /// A note shown with the value.
    note: Option<String>,
    /// The reading's own source id, overriding the metric's.
    #[schemars(pattern(crate::schema::ID))]
    source: Option<String>,
    /// How final the reading is; leave it out for a final figure.
    #[schemars(with = "Option<Status>")]
    status: Option<String>,
}

/// A metric's `target:` as editors see it: a reading without the `source` and `status` the
/// build refuses on a target (a target is an aim, with no source or status of its own).
struct TargetPoint;

impl schemars::JsonSchema for TargetPoint {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Target".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut schema = RawPoint::json_schema(generator);
        if let Some(fields) = schema
            .get_mut("properties")
            .and_then(serde_json::Value::as_object_mut)
        {
            fields.remove("source");
            fields.remove("status");
        }
        schema.insert(
            "description".into(),
            "The value aimed at, for a year or a month".into(),
        );
        schema
    }
}

/// YAML reads an unquoted `2021` as a number and `2021-12` as text; both are periods.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawPeriod {
    Year(i64),
    Text(String),
}

/// A year as a number or text (`2021`), or a month as text (`2021-12`).
impl schemars::JsonSchema for RawPeriod {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Period".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::schema::year_or_text(crate::schema::PERIOD, "A year (YYYY) or a month (YYYY-MM)")
    }
}

impl RawPeriod {
    fn text(&self) -> String {
        match self {
            RawPeriod::Year(y) => y.to_string(),
            RawPeriod::Text(s) => s.clone(),
        }
    }
}

/// Parse one metric file (`stem` is its file name without `.yaml`); every problem is reported.
pub(crate) fn parse(file: FileId, stem: &str, text: &str) -> Result<Metric, Vec<Diagnostic>> {
    let raw: Raw = yaml::parse(text).map_err(|e| vec![yaml_diagnostic(file, 0, "metric", e)])?;
    let mut cx = Context {
        file,
        text,
        errors: Vec::new(),
    };
    let (id, id_span) = match &raw.id {
        Some(id) => (id.clone(), cx.at(&[Seg::Key("id")])),
        None => (stem.to_string(), 0..0),
    };
    if let Err(m) = check_id("metric id", &id) {
        cx.errors.push(
            Diagnostic::error(m)
                .at(file, id_span.clone())
                .help("use letters, digits, - and _ only"),
        );
    }
    if raw.title.trim().is_empty() {
        cx.err(
            cx.at(&[Seg::Key("title")]),
            "the metric's title is empty",
            "say what is counted or measured, e.g. Residents who trust us",
        );
    }
    let series = cx.series(&raw.series);
    let target = raw.target.as_ref().and_then(|t| {
        let field = |key: &str| yaml::locate(text, &[Seg::Key("target"), Seg::Key(key)]);
        let span = cx.at(&[Seg::Key("target")]);
        if t.source.is_some() {
            cx.err(
                field("source").unwrap_or_else(|| span.clone()),
                "a target has no source of its own",
                "remove `source:` from the target: only readings in the series name their own source",
            );
        }
        if t.status.is_some() {
            cx.err(
                field("status").unwrap_or_else(|| span.clone()),
                "a target has no status",
                "remove `status:` from the target: a target is an aim, so it is neither provisional, projected nor revised",
            );
        }
        cx.point(t, span, &field)
    });
    let priorities = cx.priorities(&raw.priorities);
    let (updated, next_update) = cx.freshness(&raw);
    if !cx.errors.is_empty() {
        return Err(cx.errors);
    }
    Ok(Metric {
        id: MetricId(id),
        file,
        id_span,
        title: raw.title,
        unit: raw.unit,
        better: raw.better,
        description: raw.description,
        source: At {
            value: SourceId(raw.source),
            span: cx.at(&[Seg::Key("source")]),
        },
        priorities,
        series,
        target,
        updated,
        next_update,
        translations: (raw
            .translations
            .map(|t| t.0)
            .unwrap_or_default()
            .into_iter())
        .map(|(code, t)| {
            let span = cx.at(&[Seg::Key("translations"), Seg::Key(&code)]);
            let words = MetricWords {
                title: t.title.trim().to_string(),
                description: t.description,
                span,
            };
            (code, words)
        })
        .collect(),
        words_in: None,
    })
}

impl Context<'_> {
    /// `updated:` (a date) and `next_update:` (a month or a date), each checked at its line.
    fn freshness(&mut self, raw: &Raw) -> (Option<NaiveDate>, Option<NextUpdate>) {
        let updated = raw.updated.as_deref().and_then(|u| {
            front_matter::parse_date(u.trim())
                .map_err(|m| {
                    self.err(
                        self.at(&[Seg::Key("updated")]),
                        m,
                        "write the day the latest reading was published as YYYY-MM-DD, e.g. 2024-02-21",
                    )
                })
                .ok()
        });
        let next_update = raw.next_update.as_ref().and_then(|n| {
            NextUpdate::parse(n.text().trim())
                .map_err(|m| self.err(self.at(&[Seg::Key("next_update")]), m, NEXT_UPDATE_HELP))
                .ok()
        });
        (updated, next_update)
    }
}

/// One metric file being validated, and the problems found so far.
struct Context<'a> {
    file: FileId,
    text: &'a str,
    errors: Vec<Diagnostic>,
}

impl Context<'_> {
    /// Where the value at `path` is written, or the start of the file.
    fn at(&self, path: &[Seg]) -> Range<usize> {
        yaml::locate(self.text, path).unwrap_or(0..0)
    }

    fn err(&mut self, span: Range<usize>, message: impl Into<String>, help: &str) {
        self.errors
            .push(Diagnostic::error(message).at(self.file, span).help(help));
    }

    /// A point written at `span`; `field` finds one of its fields (else the point is shown).
    fn point(
        &mut self,
        raw: &RawPoint,
        span: Range<usize>,
        field: &dyn Fn(&str) -> Option<Range<usize>>,
    ) -> Option<Point> {
        let field = |key| field(key).unwrap_or_else(|| span.clone());
        let period_text = raw.period.text();
        if let Some(year) = Period::year_out_of_range(&period_text) {
            self.err(
                field("period"),
                front_matter::year_out_of_range(year),
                "check the year: periods are written YYYY or YYYY-MM, e.g. 2021-12",
            );
            return None;
        }
        let Some(period) = Period::parse(&period_text) else {
            self.err(
                field("period"),
                format!("`{period_text}` is not a period"),
                "write periods as YYYY or YYYY-MM, e.g. 2021-12",
            );
            return None;
        };
        if !raw.value.is_finite() {
            self.err(
                field("value"),
                "the value is not a number",
                "give the value as a plain number, e.g. 51 or 4012.5",
            );
            return None;
        }
        if raw.value.abs() > MAX_VALUE {
            self.err(
                field("value"),
                format!("the value {:e} is too large to compare or chart", raw.value),
                "values must be between -10^15 and 10^15 (a thousand trillion); check the number, or change the unit's scale",
            );
            return None;
        }
        let source = raw.source.as_ref().map(|id| At {
            value: SourceId(id.clone()),
            span: field("source"),
        });
        let status = match raw.status.as_deref() {
            None => None,
            Some(s) => Some(self.status(s, field("status"))?),
        };
        Some(Point {
            period,
            value: raw.value,
            note: raw.note.clone(),
            source,
            status,
            span,
        })
    }

    /// A reading's `status:`, one of [`Status::ALL`]; anything else is an error at `span`.
    fn status(&mut self, s: &str, span: Range<usize>) -> Option<Status> {
        if let Some(k) = Status::parse(s) {
            return Some(k);
        }
        let words = Status::ALL.map(Status::as_str);
        let help = match crate::diag::suggest(s, words) {
            Some(w) => crate::diag::did_you_mean(w),
            None => format!(
                "a reading's status is one of {}, or leave it out for a final figure",
                words.join(", ")
            ),
        };
        self.errors.push(
            Diagnostic::error(format!("unknown status `{s}`"))
                .at(self.file, span)
                .help(help),
        );
        None
    }

    /// The `series:`: at least one point, one granularity, periods unique and ascending.
    fn series(&mut self, raw: &[RawPoint]) -> Vec<Point> {
        if raw.is_empty() {
            self.err(
                self.at(&[Seg::Key("series")]),
                "the series has no points",
                "add at least one point: - { period: 2021-12, value: 51 }",
            );
        }
        let mut series: Vec<Point> = Vec::with_capacity(raw.len());
        // Each point's place, found in one reading of the text (one search per point would be
        // quadratic in the length of the series); a field inside a point is looked for in the
        // point alone, else the point is shown.
        let spans = yaml::locate_items(self.text, &[Seg::Key("series")]);
        let text = self.text;
        for (i, rp) in raw.iter().enumerate() {
            let span = spans.get(i).cloned().unwrap_or(0..0);
            let field = |key: &str| yaml::locate_in_item(text, &span, key);
            let Some(p) = self.point(rp, span.clone(), &field) else {
                continue;
            };
            if self.fits(&series, &p) {
                series.push(p);
            }
        }
        series
    }

    /// Whether `p` may follow the points kept so far: the same granularity, a new period, and
    /// a later one.
    fn fits(&mut self, series: &[Point], p: &Point) -> bool {
        let Some(prev) = series.last() else {
            return true;
        };
        if prev.period.is_month() != p.period.is_month() {
            self.err(
                p.span.clone(),
                format!("period {} mixes years and months in one series", p.period),
                "use YYYY for every point, or YYYY-MM for every point",
            );
            return false;
        }
        // The series kept so far is in order, so an earlier equal period is found by
        // halving, not by reading it all.
        if let Ok(first) = series.binary_search_by(|q| q.period.cmp(&p.period)) {
            self.errors.push(
                Diagnostic::error(format!("period {} appears twice in the series", p.period))
                    .at(self.file, p.span.clone())
                    .help("give each period one value")
                    .also(self.file, series[first].span.clone(), "first given here"),
            );
            return false;
        }
        if p.period < prev.period {
            self.err(
                p.span.clone(),
                format!(
                    "period {} comes after {} but is earlier",
                    p.period, prev.period
                ),
                "list the series in time order, oldest first",
            );
            return false;
        }
        true
    }

    /// The `priorities:` this metric measures progress on.
    fn priorities(&mut self, raw: &[String]) -> Vec<At<PriorityRef>> {
        let mut out = Vec::with_capacity(raw.len());
        for (i, s) in raw.iter().enumerate() {
            let span = self.at(&[Seg::Key("priorities"), Seg::Index(i)]);
            let span = if span.is_empty() {
                self.at(&[Seg::Key("priorities")])
            } else {
                span
            };
            match PriorityRef::parse(s) {
                Some(value) => out.push(At { value, span }),
                None => self.err(span, not_a_priority_ref(s), PRIORITY_REF_HELP),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        match parse(FileId(0), "m", text) {
            Ok(_) => vec![],
            Err(ds) => ds.into_iter().map(|d| d.message).collect(),
        }
    }

    const HEAD: &str = "title: T\nunit: percent\nbetter: higher\nsource: s\n";

    #[test]
    fn periods() {
        assert_eq!(Period::parse("2021"), Some(Period::Year(2021)));
        assert_eq!(Period::parse("2021-12"), Some(Period::Month(2021, 12)));
        assert_eq!(Period::parse("2021-13"), None);
        assert_eq!(Period::parse("21-12"), None);
        assert_eq!(Period::Month(2021, 12).label(), "December 2021");
        assert_eq!(Period::Year(2021).label(), "2021");
        assert_eq!(
            Period::Month(2021, 12).first_day(),
            NaiveDate::from_ymd_opt(2021, 12, 1).unwrap()
        );
    }

    #[test]
    fn a_valid_metric_with_unquoted_years() {
        let m = parse(FileId(0), "m", &format!("{HEAD}series:\n  - {{ period: 2016, value: 10 }}\n  - {{ period: 2021, value: 7.5, note: n }}\n")).unwrap();
        assert_eq!(m.series.len(), 2);
        assert_eq!(m.latest().value, 7.5);
        assert_eq!(m.id.as_str(), "m");
    }

    #[test]
    fn series_errors() {
        let bad = |series: &str| errors(&format!("{HEAD}series:\n{series}"));
        assert_eq!(
            bad("  - { period: 2021-12, value: 1 }\n  - { period: 2021-12, value: 2 }\n"),
            vec!["period 2021-12 appears twice in the series"]
        );
        assert_eq!(
            bad("  - { period: 2021-12, value: 1 }\n  - { period: 2020-12, value: 2 }\n"),
            vec!["period 2020-12 comes after 2021-12 but is earlier"]
        );
        assert_eq!(
            bad("  - { period: 2021, value: 1 }\n  - { period: 2022-12, value: 2 }\n"),
            vec!["period 2022-12 mixes years and months in one series"]
        );
        assert_eq!(
            bad("  - { period: Dec 2021, value: 1 }\n"),
            vec!["`Dec 2021` is not a period"]
        );
        assert_eq!(
            bad("  - { period: 2021, value: .nan }\n"),
            vec!["the value is not a number"]
        );
        assert_eq!(
            errors(&format!("{HEAD}series: []\n")),
            vec!["the series has no points"]
        );
        assert!(
            bad("  - { period: 2021, value: lots }\n")[0]
                .starts_with("invalid YAML in metric: series[0].value: invalid type"),
            "{:?}",
            bad("  - { period: 2021, value: lots }\n")
        );
    }

    #[test]
    fn years_and_values_out_of_range_are_errors() {
        let bad = |series: &str| errors(&format!("{HEAD}series:\n{series}"));
        assert_eq!(Period::parse("0000"), None);
        assert_eq!(Period::parse("9999-12"), None);
        assert_eq!(Period::parse("2999-12"), Some(Period::Month(2999, 12)));
        assert_eq!(
            bad("  - { period: 0000, value: 1 }\n  - { period: 9999-01, value: 1 }\n"),
            vec![
                "the year 0000 is outside 1000-2999",
                "the year 9999 is outside 1000-2999"
            ]
        );
        assert_eq!(
            bad("  - { period: 2020, value: 1e308 }\n  - { period: 2021, value: -2e15 }\n"),
            vec![
                "the value 1e308 is too large to compare or chart",
                "the value -2e15 is too large to compare or chart"
            ]
        );
        assert!(
            bad("  - { period: 2020, value: 1e15 }\n  - { period: 2021, value: -1e15 }\n")
                .is_empty()
        );
    }

    #[test]
    fn a_repeated_period_points_at_its_first_place() {
        let text = format!(
            "{HEAD}series:\n  - {{ period: 2019, value: 1 }}\n  - {{ period: 2020, value: 1 }}\n  - {{ period: 2021, value: 1 }}\n  - {{ period: 2020, value: 2 }}\n"
        );
        let Err(ds) = parse(FileId(0), "m", &text) else {
            panic!("accepted")
        };
        let first = text.find("{ period: 2020").unwrap();
        assert_eq!(ds[0].message, "period 2020 appears twice in the series");
        assert_eq!(ds[0].related[0].0.span.start, first);
    }

    #[test]
    fn a_reading_may_name_its_own_source() {
        let text = format!(
            "{HEAD}series:\n  - {{ period: 2016, value: 10, source: old }}\n  - {{ period: 2021, value: 7.5 }}\n"
        );
        let m = parse(FileId(0), "m", &text).unwrap();
        let own = m.series[0].source.as_ref().unwrap();
        assert_eq!(own.value.as_str(), "old");
        assert_eq!(&text[own.span.clone()], "old");
        assert_eq!(m.source_of(&m.series[0]).as_str(), "old");
        assert_eq!(m.source_of(&m.series[1]).as_str(), "s");
        assert!(m.has_reading_sources());
        assert_eq!(
            errors(&format!(
                "{HEAD}series:\n  - {{ period: 2016, value: 10 }}\ntarget: {{ period: 2030, value: 1, source: x }}\n"
            )),
            vec!["a target has no source of its own"]
        );
    }

    #[test]
    fn readings_may_have_a_status_and_targets_may_not() {
        let text = format!(
            "{HEAD}series:\n  - {{ period: 2020, value: 1, status: revised }}\n  - {{ period: 2021, value: 2, status: provisional }}\n  - {{ period: 2022, value: 3, status: projected }}\n  - {{ period: 2023, value: 4 }}\n"
        );
        let m = parse(FileId(0), "m", &text).unwrap();
        let got: Vec<_> = m.series.iter().map(|p| p.status).collect();
        assert_eq!(
            got,
            [
                Some(Status::Revised),
                Some(Status::Provisional),
                Some(Status::Projected),
                None
            ]
        );
        let text = format!("{HEAD}series:\n  - {{ period: 2020, value: 1, status: projeted }}\n");
        let e = parse(FileId(0), "m", &text).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].message, "unknown status `projeted`");
        assert_eq!(e[0].help, "did you mean `projected`?");
        assert_eq!(
            errors(&format!(
                "{HEAD}series:\n  - {{ period: 2020, value: 1, status: final }}\n"
            )),
            vec!["unknown status `final`"]
        );
        assert_eq!(
            errors(&format!(
                "{HEAD}series:\n  - {{ period: 2016, value: 10 }}\ntarget: {{ period: 2030, value: 1, status: projected }}\n"
            )),
            vec!["a target has no status"]
        );
    }

    #[test]
    fn unknown_units_are_errors() {
        let e = errors("title: T\nunit: percnt\nbetter: higher\nsource: s\nseries: []\n");
        assert!(e[0].contains("unknown variant `percnt`"), "{e:?}");
    }
}

#[cfg(test)]
mod freshness_tests {
    use super::*;

    #[test]
    fn next_update_is_a_month_or_a_day() {
        assert_eq!(NextUpdate::parse("2025-06"), Ok(NextUpdate::Month(2025, 6)));
        assert_eq!(
            NextUpdate::parse("2025-06-12"),
            Ok(NextUpdate::Day(
                chrono::NaiveDate::from_ymd_opt(2025, 6, 12).unwrap()
            ))
        );
        assert_eq!(
            NextUpdate::parse("2025"),
            Err("`2025` is not a month or a date".to_string())
        );
        assert_eq!(
            NextUpdate::parse("2025-13"),
            Err("`2025-13` is not a month or a date".to_string())
        );
        assert!(NextUpdate::parse("2025-02-30").is_err());
    }

    #[test]
    fn updated_and_next_update_are_read_and_checked() {
        let head = "title: T\nunit: percent\nbetter: higher\nsource: s\nseries:\n  - { period: 2021, value: 1 }\n";
        let m = parse(
            FileId(0),
            "m",
            &format!("{head}updated: 2022-03-01\nnext_update: 2023-03\n"),
        )
        .unwrap();
        assert_eq!(m.updated, NaiveDate::from_ymd_opt(2022, 3, 1));
        assert_eq!(m.next_update, Some(NextUpdate::Month(2023, 3)));
        let errs: Vec<String> = parse(
            FileId(0),
            "m",
            &format!("{head}updated: March 2022\nnext_update: soon\n"),
        )
        .unwrap_err()
        .into_iter()
        .map(|d| d.message)
        .collect();
        assert_eq!(
            errs,
            vec![
                "`March 2022` is not a date in the form YYYY-MM-DD",
                "`soon` is not a month or a date"
            ]
        );
    }
}
