//! Splitting a Markdown file into front matter and body, and turning the front matter into a
//! validated [`Document`], reporting every problem with its place in the file.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;

use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::document::*;
use crate::config::{LanguageTag, yaml_diagnostic};
use crate::diag::{Diagnostic, FileId, did_you_mean};
use crate::yaml::{self, Seg};

mod promises;

/// A file cut at its front matter fences; offsets are into the whole file.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Split {
    /// The opening `---`, where problems of the front matter as a whole are shown.
    pub(crate) fence: Range<usize>,
    pub(crate) yaml: Range<usize>,
    pub(crate) body: usize,
}

/// Find the front matter: a first line `---` (after an optional BOM) up to the next `---` line.
pub(crate) fn split(text: &str, file: FileId) -> Result<Split, Diagnostic> {
    let start = crate::diag::bom_len(text);
    if text[start..].trim().is_empty() {
        return Err(Diagnostic::error("the file is empty")
            .at(file, start..start)
            .help("start it with front matter: ---, title: ..., ---, then the text"));
    }
    let mut lines = text[start..]
        .split_inclusive('\n')
        .scan(start, |pos, line| {
            let at = *pos;
            *pos += line.len();
            Some((at, line))
        });
    let (first_at, first) = lines.next().expect("non-empty text has a line");
    if first.trim_end() != "---" {
        let end = first_at + first.trim_end().len();
        return Err(Diagnostic::error("the file has no front matter")
            .at(file, first_at..end.max(first_at))
            .help(
                "start the file with a line ---, then title: ... and the other fields, then ---",
            ));
    }
    let yaml_start = first_at + first.len();
    for (at, line) in lines {
        if line.trim_end() == "---" {
            return Ok(Split {
                fence: first_at..first_at + 3,
                yaml: yaml_start..at,
                body: at + line.len(),
            });
        }
    }
    Err(Diagnostic::error("the front matter is never closed")
        .at(file, first_at..first_at + 3)
        .help("add a line --- after the last front matter field"))
}

/// A document's front matter: the YAML between the `---` lines atop a Markdown file.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "FrontMatter")]
pub(crate) struct Raw {
    /// The document's title.
    #[serde(deserialize_with = "yaml::text")]
    title: String,
    /// What the document is; else the kind its top folder gives (plans/ gives plan), or page.
    #[schemars(with = "Option<Kind>")]
    kind: Option<String>,
    /// The day it was published, YYYY-MM-DD; every kind but page needs one.
    #[schemars(pattern(crate::schema::DATE))]
    date: Option<String>,
    /// One sentence, shown in listings, feeds and search.
    #[serde(default, deserialize_with = "yaml::given_text")]
    summary: Option<String>,
    /// The document's id; else its file name without `.md`.
    #[schemars(pattern(crate::schema::ID))]
    id: Option<String>,
    /// Who wrote it.
    author: Option<String>,
    /// The ids of the plans it answers to (not in a page).
    #[serde(default)]
    #[schemars(inner(pattern(crate::schema::ID)))]
    plans: Vec<String>,
    /// The priorities it answers to (plan-id/priority-id); in a plan, {id, title, summary}.
    #[serde(default)]
    priorities: Vec<PriorityEntry>,
    /// The ids of the metrics it reports on.
    #[serde(default)]
    #[schemars(inner(pattern(crate::schema::ID)))]
    metrics: Vec<String>,
    /// A draft is built only with --drafts.
    #[serde(default)]
    draft: bool,
    /// List the page in the site's footer (pages only).
    #[serde(default)]
    footer: bool,
    /// The document's language when not the site's, a BCP 47 tag such as cy.
    #[schemars(pattern(crate::schema::LANGUAGE))]
    language: Option<String>,
    /// Anything else, for a theme's templates.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, serde_json::Value>")]
    extra: BTreeMap<String, yaml::Value>,
    /// A plan's owner: who is accountable for it (plans only).
    #[serde(default, deserialize_with = "yaml::given_text")]
    owner: Option<String>,
    /// The period a plan covers (plans only).
    period: Option<RawPeriod>,
    /// The id of the plan this plan replaces (plans only).
    #[schemars(pattern(crate::schema::ID))]
    supersedes: Option<String>,
    /// The day it was last updated, YYYY-MM-DD.
    #[schemars(pattern(crate::schema::DATE))]
    updated: Option<String>,
    /// Corrections made since it was published.
    #[serde(default)]
    corrections: Vec<RawCorrection>,
    /// A PNG or JPEG under content/ that shared links show; needs `image_alt`.
    image: Option<String>,
    /// What `image` shows, for people who cannot see it.
    image_alt: Option<String>,
    /// Progress on a plan's commitments, as of the document's date (dated kinds only).
    #[serde(default)]
    progress: Vec<promises::RawProgress>,
}

/// A correction: when it was made and what changed.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Correction")]
struct RawCorrection {
    /// The day of the correction, YYYY-MM-DD.
    #[schemars(pattern(crate::schema::DATE))]
    date: String,
    /// What was corrected.
    #[serde(deserialize_with = "yaml::text")]
    note: String,
}

/// The dates a plan covers.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PlanPeriod")]
struct RawPeriod {
    /// The first day, YYYY-MM-DD.
    #[schemars(pattern(crate::schema::DATE))]
    start: String,
    /// The last day, YYYY-MM-DD.
    #[schemars(pattern(crate::schema::DATE))]
    end: String,
}

/// A priority of a plan.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PriorityDefinition")]
struct RawPriorityDef {
    /// The priority's id, unique in the plan; others name it as plan-id/priority-id.
    #[schemars(pattern(crate::schema::ID))]
    id: String,
    /// The priority's title.
    #[serde(deserialize_with = "yaml::text")]
    title: String,
    /// What the plan promises under it, in a sentence.
    #[serde(deserialize_with = "yaml::text")]
    summary: String,
    /// What the plan commits to under this priority.
    #[serde(default)]
    commitments: Vec<promises::RawCommitment>,
}

/// A `priorities:` item: a `plan/priority` reference in ordinary documents, a definition in
/// plans. Read by hand so each shape keeps serde's located errors.
enum PriorityEntry {
    Ref(String),
    Def(RawPriorityDef),
}

impl<'de> Deserialize<'de> for PriorityEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PriorityEntry;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`plan-id/priority-id`, or in a plan {id, title, summary}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PriorityEntry, E> {
                Ok(PriorityEntry::Ref(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<PriorityEntry, A::Error> {
                RawPriorityDef::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(PriorityEntry::Def)
            }
        }
        d.deserialize_any(V)
    }
}

/// What [`PriorityEntry`]'s hand-written Deserialize takes: a reference, or in a plan a
/// definition.
impl schemars::JsonSchema for PriorityEntry {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Priority".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "anyOf": [
                {
                    "description": "In a document: a priority it answers to, as plan-id/priority-id",
                    "type": "string",
                    "pattern": crate::schema::REF,
                },
                generator.subschema_for::<RawPriorityDef>(),
            ],
        })
    }
}

const DATE_HELP: &str = "write dates as YYYY-MM-DD, e.g. 2024-02-21";

/// The years a date or a period may fall in. Four digits allow 0000 and 9999, which are
/// always typing mistakes, and sort and subtract into nonsense (a trend "since 0000").
pub(crate) const YEARS: std::ops::RangeInclusive<i32> = 1000..=2999;

/// The message for a year outside [`YEARS`].
pub(crate) fn year_out_of_range(year: i32) -> String {
    format!(
        "the year {year:04} is outside {}-{}",
        YEARS.start(),
        YEARS.end()
    )
}

/// A real calendar date written exactly as YYYY-MM-DD, in a year of [`YEARS`].
pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let shape = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shape {
        return Err(format!("`{s}` is not a date in the form YYYY-MM-DD"));
    }
    let year: i32 = s[..4].parse().unwrap_or(0);
    if !YEARS.contains(&year) {
        return Err(year_out_of_range(year));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("{s} is not a real calendar date"))
}

/// Validate the front matter of `text` (file `file` at `path` under content/). The body is
/// scanned by the caller. Returns every problem found.
pub(crate) fn parse(
    file: FileId,
    path: &ContentPath,
    text: &str,
    split: &Split,
) -> Result<Document, Vec<Diagnostic>> {
    let yaml_text = &text[split.yaml.clone()];
    let mut raw: Raw = yaml::parse(yaml_text).map_err(|e| {
        // A missing title is best shown at the opening fence rather than inside the YAML. Only
        // the document's own mapping starts a line: a priority without a title is nested.
        let top_level = yaml_text[..e.span.start.min(yaml_text.len())]
            .rsplit('\n')
            .next()
            .is_none_or(str::is_empty);
        let d = match &e.kind {
            yaml::YamlErrorKind::MissingField { field } if field == "title" && top_level => {
                Diagnostic::error("the document has no title")
                    .at(file, split.fence.clone())
                    .help("add `title: ...` to the front matter")
            }
            _ => yaml_diagnostic(file, split.yaml.start, "front matter", e),
        };
        vec![d]
    })?;
    let mut cx = Context {
        file,
        yaml: yaml_text,
        off: split.yaml.start,
        fence: split.fence.clone(),
        errors: Vec::new(),
        duplicates: Vec::new(),
    };
    let kind = cx.kind(path, raw.kind.as_deref());
    if raw.title.trim().is_empty() {
        cx.err(
            cx.at(&[Seg::Key("title")]),
            "the title is empty",
            "give the document a title",
        );
    }
    let date = cx.date(kind, raw.date.as_deref());
    let (id, id_span) = cx.id(path, raw.id.as_deref());
    let language = raw.language.as_deref().and_then(|l| cx.language(l));
    cx.page_answers(kind, &raw);
    let plans = cx.ids("plans", &raw.plans, PlanId);
    let metrics = cx.ids("metrics", &raw.metrics, MetricId);
    let (priorities, defs) = cx.priorities(kind, std::mem::take(&mut raw.priorities));
    let plan = if kind == Kind::Plan {
        cx.plan(&raw, defs)
    } else {
        cx.no_plan_fields(&raw);
        None
    };
    if raw.footer && kind != Kind::Page {
        cx.err(
            cx.at(&[Seg::Key("footer")]),
            format!("`footer` is only for pages, and this is a {}", kind.name()),
            "remove it: the footer links pages (documents of kind `page`) only",
        );
    }
    let footer = raw.footer.then(|| cx.at(&[Seg::Key("footer")]));
    let progress = cx.progress(kind, &raw);
    let (updated, corrections) = cx.revisions(date, &raw);
    let mut image_errors = Vec::new();
    let image = crate::config::shared_image(
        file,
        "the front matter",
        (&raw.image, &raw.image_alt),
        |key| cx.at(&[Seg::Key(key)]),
        &mut image_errors,
    );
    cx.errors.append(&mut image_errors);
    cx.finish()?;
    Ok(Document {
        file,
        path: path.clone(),
        id: DocId(id),
        id_span,
        kind,
        title: raw.title,
        date,
        summary: raw.summary,
        author: raw.author,
        plans,
        priorities,
        metrics,
        draft: raw.draft,
        footer,
        language,
        extra: raw.extra,
        plan,
        updated,
        corrections,
        progress,
        image,
        body_offset: split.body,
        scan: Default::default(),
        url: SitePath(String::new()),
        elsewhere: None,
        digest: 0,
    })
}

/// The help for a revision dated before the document.
const REVISION_HELP: &str =
    "a document is updated or corrected after it is published: check both dates";

impl Context<'_> {
    /// `updated:` and `corrections:`, each date real and not before the document's `date`.
    fn revisions(
        &mut self,
        date: Option<NaiveDate>,
        raw: &Raw,
    ) -> (Option<NaiveDate>, Vec<Correction>) {
        let updated = raw.updated.as_deref().and_then(|u| {
            let span = self.at(&[Seg::Key("updated")]);
            self.revision_date(date, u, span, "the updated date")
        });
        let mut corrections = Vec::new();
        for (i, c) in raw.corrections.iter().enumerate() {
            let at = |key| [Seg::Key("corrections"), Seg::Index(i), Seg::Key(key)];
            let span = self.at(&at("date"));
            let when = self.revision_date(date, &c.date, span, "the correction's date");
            if c.note.trim().is_empty() {
                self.err(
                    self.at(&at("note")),
                    "the correction's note is empty",
                    "say what was corrected and what it now says",
                );
            }
            if let Some(date) = when {
                let note = c.note.trim().to_string();
                corrections.push(Correction { date, note });
            }
        }
        (updated, corrections)
    }

    /// A revision's date `text` at `span`, checked to be a date not before `published`.
    fn revision_date(
        &mut self,
        published: Option<NaiveDate>,
        text: &str,
        span: Range<usize>,
        what: &str,
    ) -> Option<NaiveDate> {
        let d = parse_date(text.trim())
            .map_err(|m| self.err(span.clone(), m, DATE_HELP))
            .ok()?;
        match published {
            Some(p) if d < p => {
                self.err(
                    span,
                    format!("{what} {d} is before the document's date {p}"),
                    REVISION_HELP,
                );
                None
            }
            _ => Some(d),
        }
    }
}

/// One front matter being validated: where its YAML is, and the problems found so far.
struct Context<'a> {
    file: FileId,
    /// The YAML between the fences.
    yaml: &'a str,
    /// Where the YAML starts in the file.
    off: usize,
    /// The opening `---`, where a problem with no place of its own is shown.
    fence: Range<usize>,
    errors: Vec<Diagnostic>,
    /// Repeated priority ids, reported after every other problem.
    duplicates: Vec<Diagnostic>,
}

impl Context<'_> {
    /// Where the value at `path` is written in the file, or the fence if it is not.
    fn at(&self, path: &[Seg]) -> Range<usize> {
        yaml::locate(self.yaml, path).map_or(self.fence.clone(), |r| self.shift(r))
    }

    /// A range in the YAML as a range in the file.
    fn shift(&self, r: Range<usize>) -> Range<usize> {
        r.start + self.off..r.end + self.off
    }

    fn err(&mut self, span: Range<usize>, msg: impl Into<String>, help: &str) {
        self.errors
            .push(Diagnostic::error(msg).at(self.file, span).help(help));
    }

    /// Every problem found, duplicates last, or nothing.
    fn finish(mut self) -> Result<(), Vec<Diagnostic>> {
        self.errors.append(&mut self.duplicates);
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }

    /// The `kind:` given, else the one its top folder gives.
    fn kind(&mut self, path: &ContentPath, given: Option<&str>) -> Kind {
        let Some(k) = given else {
            let top = path.0.split_once('/').map_or("", |(top, _)| top);
            return Kind::from_folder(top);
        };
        Kind::from_name(k).unwrap_or_else(|| {
            let names = Kind::ALL.map(Kind::name);
            let help = match crate::diag::suggest(k, names) {
                Some(s) => did_you_mean(s),
                None => format!("use one of: {}", names.join(", ")),
            };
            self.err(
                self.at(&[Seg::Key("kind")]),
                format!("unknown kind `{k}`"),
                &help,
            );
            Kind::Page
        })
    }

    /// The `date:`, which every dated kind needs.
    fn date(&mut self, kind: Kind, given: Option<&str>) -> Option<NaiveDate> {
        match given {
            Some(d) => parse_date(d.trim())
                .map_err(|m| self.err(self.at(&[Seg::Key("date")]), m, DATE_HELP))
                .ok(),
            None => {
                if kind.is_dated() {
                    self.err(
                        self.fence.clone(),
                        format!("a {} needs a date", kind.name()),
                        "add `date: YYYY-MM-DD` to the front matter",
                    );
                }
                None
            }
        }
    }

    /// The `id:` and where it is written, else the file stem (which the loader checks with
    /// the rest of the path).
    fn id(&mut self, path: &ContentPath, given: Option<&str>) -> (String, Option<Range<usize>>) {
        let Some(id) = given else {
            let stem = path.0.rsplit('/').next().unwrap_or(&path.0);
            return (stem.trim_end_matches(".md").to_string(), None);
        };
        let span = self.at(&[Seg::Key("id")]);
        if let Err(m) = check_id("id", id) {
            self.err(
                span.clone(),
                m,
                "use letters, digits, - and _ only (e.g. 2024-02-21-qa-session)",
            );
        }
        (id.to_string(), Some(span))
    }

    fn language(&mut self, given: &str) -> Option<LanguageTag> {
        LanguageTag::parse(given).or_else(|| {
            self.err(
                self.at(&[Seg::Key("language")]),
                format!("language `{given}` is not a BCP 47 language tag"),
                "use a tag such as cy or en-GB",
            );
            None
        })
    }

    /// Where item `i` of list `key` is written: its line in a block list, or its text inside a
    /// flow list (`plans: [a, b]`).
    fn item_at(&self, key: &str, i: usize, item: &str) -> Range<usize> {
        if let Some(r) = yaml::locate(self.yaml, &[Seg::Key(key), Seg::Index(i)]) {
            return self.shift(r);
        }
        let Some(r) = yaml::locate(self.yaml, &[Seg::Key(key)]) else {
            return self.fence.clone();
        };
        let list = &self.yaml[r.clone()];
        let found = list.match_indices(item).map(|(j, _)| j).find(|&j| {
            let before = list[..j].chars().next_back();
            let after = list[j + item.len()..].chars().next();
            matches!(before, Some('[' | ',' | ' ' | '"' | '\''))
                && matches!(after, Some(']' | ',' | ' ' | '"' | '\''))
        });
        match found {
            Some(j) => self.shift(r.start + j..r.start + j + item.len()),
            None => self.shift(r),
        }
    }

    /// The valid ids of list `key` (`plans`, `metrics`), each with its place.
    fn ids<T>(&mut self, key: &'static str, list: &[String], wrap: fn(String) -> T) -> Vec<At<T>> {
        let mut out = Vec::with_capacity(list.len());
        for (i, s) in list.iter().enumerate() {
            let span = self.item_at(key, i, s);
            if is_valid_id(s) {
                out.push(At {
                    value: wrap(s.clone()),
                    span,
                });
            } else {
                self.err(
                    span,
                    format!("`{s}` is not a valid {} id", key.trim_end_matches('s')),
                    "ids use letters, digits, - and _ only",
                );
            }
        }
        out
    }

    /// The `priorities:` list: references in ordinary documents, definitions (with their
    /// index in the list) in plans.
    fn priorities(
        &mut self,
        kind: Kind,
        entries: Vec<PriorityEntry>,
    ) -> (Vec<At<PriorityRef>>, Vec<(usize, RawPriorityDef)>) {
        let mut refs = Vec::new();
        let mut defs = Vec::new();
        for (i, entry) in entries.into_iter().enumerate() {
            let here = match &entry {
                PriorityEntry::Ref(r) => self.item_at("priorities", i, r),
                PriorityEntry::Def(_) => self.at(&[Seg::Key("priorities"), Seg::Index(i)]),
            };
            match (entry, kind == Kind::Plan) {
                (PriorityEntry::Ref(r), false) => match PriorityRef::parse(&r) {
                    Some(value) => refs.push(At { value, span: here }),
                    None => self.err(here, not_a_priority_ref(&r), PRIORITY_REF_HELP),
                },
                (PriorityEntry::Def(d), true) => defs.push((i, d)),
                (PriorityEntry::Ref(_), true) => self.err(
                    here,
                    "a plan's priorities are definitions, not references",
                    "write each as {id: ..., title: ..., summary: ...}",
                ),
                (PriorityEntry::Def(_), false) => self.err(
                    here,
                    "only a plan defines priorities",
                    "name a plan's priority as plan-id/priority-id, or set kind: plan",
                ),
            }
        }
        (refs, defs)
    }

    /// A plan's owner, period and priority definitions; `None` without a usable period.
    fn plan(&mut self, raw: &Raw, defs: Vec<(usize, RawPriorityDef)>) -> Option<PlanSpec> {
        let owner = raw.owner.clone().unwrap_or_else(|| {
            self.err(
                self.fence.clone(),
                "a plan needs an owner",
                "add `owner: ...` (who is accountable for the plan)",
            );
            String::new()
        });
        if raw.owner.as_deref().is_some_and(|o| o.trim().is_empty()) {
            self.err(
                self.at(&[Seg::Key("owner")]),
                "the owner is empty",
                "say who is accountable for the plan",
            );
        }
        let period = self.period(raw.period.as_ref());
        // `priorities: []`, written out, says the site does not track them (an older plan
        // kept for the record); only a plan that leaves them out is missing them.
        if defs.is_empty() && yaml::locate_key(self.yaml, "priorities").is_none() {
            self.err(
                self.at(&[Seg::Key("priorities")]),
                "a plan needs at least one priority",
                "add `priorities:` with items {id, title, summary}, or `priorities: []` if this site does not track them",
            );
        }
        let priorities = self.priority_defs(defs);
        if let Some((start, end)) = period {
            self.due_dates(&priorities, start, end);
        }
        let supersedes = self.supersedes(raw.supersedes.as_deref());
        period.map(|(start, end)| PlanSpec {
            owner,
            start,
            end,
            priorities,
            supersedes,
        })
    }

    /// A plan's `supersedes:`, the id of the plan it replaces (checked against the plans
    /// when the site is resolved).
    fn supersedes(&mut self, given: Option<&str>) -> Option<At<PlanId>> {
        let id = given?.trim();
        let span = self.at(&[Seg::Key("supersedes")]);
        if let Err(m) = check_id("plan id", id) {
            self.err(span, m, "name the plan this one replaces by its id");
            return None;
        }
        Some(At {
            value: PlanId(id.to_string()),
            span,
        })
    }

    /// A page has no date, so it cannot answer to a plan or a priority: it can mention them.
    fn page_answers(&mut self, kind: Kind, raw: &Raw) {
        if kind != Kind::Page {
            return;
        }
        for (key, given, link) in [
            ("plans", !raw.plans.is_empty(), "[the plan](plan:PLAN-ID)"),
            (
                "priorities",
                !raw.priorities.is_empty(),
                "[the priority](priority:PLAN-ID/PRIORITY-ID)",
            ),
        ] {
            if given {
                let at =
                    yaml::locate_key(self.yaml, key).map_or(self.fence.clone(), |r| self.shift(r));
                self.err(
                    at,
                    format!("a page cannot declare `{key}`: it has no date, so it answers to nothing"),
                    &format!("remove `{key}:` and link it in the text instead, as {link}: the page is then listed under \"Also mentioned in\""),
                );
            }
        }
    }

    /// A plan's `period:`, its start no later than its end.
    fn period(&mut self, given: Option<&RawPeriod>) -> Option<(NaiveDate, NaiveDate)> {
        let Some(p) = given else {
            self.err(
                self.fence.clone(),
                "a plan needs a period",
                "add `period: {start: YYYY-MM-DD, end: YYYY-MM-DD}`",
            );
            return None;
        };
        let start_at = self.at(&[Seg::Key("period"), Seg::Key("start")]);
        let end_at = self.at(&[Seg::Key("period"), Seg::Key("end")]);
        let start = parse_date(p.start.trim()).map_err(|m| self.err(start_at, m, DATE_HELP));
        let end = parse_date(p.end.trim()).map_err(|m| self.err(end_at.clone(), m, DATE_HELP));
        match (start, end) {
            (Ok(s), Ok(e)) if s > e => {
                self.err(
                    end_at,
                    format!("the period ends ({e}) before it starts ({s})"),
                    "swap start and end",
                );
                None
            }
            (Ok(s), Ok(e)) => Some((s, e)),
            _ => None,
        }
    }

    /// A plan's priorities, each id valid and used once.
    fn priority_defs(&mut self, defs: Vec<(usize, RawPriorityDef)>) -> Vec<PriorityDef> {
        let mut seen: HashMap<String, Range<usize>> = HashMap::new();
        let mut commitment_ids = HashMap::new();
        let mut list = Vec::new();
        for (i, mut d) in defs {
            let here = self.at(&[Seg::Key("priorities"), Seg::Index(i), Seg::Key("id")]);
            self.priority_text(i, &d);
            let commitments =
                self.commitments(i, std::mem::take(&mut d.commitments), &mut commitment_ids);
            if let Err(m) = check_id("priority id", &d.id) {
                self.err(here, m, "use letters, digits, - and _ only");
            } else if d.id == promises::RESERVED_PRIORITY_ID {
                self.err(
                    here,
                    format!("a priority cannot have the id `{}`", d.id),
                    "its page would be the plan's list of commitments, plans/PLAN-ID/commitments/: choose another id",
                );
            } else if let Some(first) = seen.get(&d.id) {
                self.duplicates.push(
                    Diagnostic::error(format!("priority id `{}` is used twice in this plan", d.id))
                        .at(self.file, here)
                        .help("give each priority its own id")
                        .also(self.file, first.clone(), "first used here"),
                );
            } else {
                seen.insert(d.id.clone(), here.clone());
                list.push(PriorityDef {
                    id: PriorityId(d.id),
                    title: d.title,
                    summary: d.summary,
                    span: here,
                    commitments,
                });
            }
        }
        list
    }

    /// A priority definition's title and summary, which its page and the plan's show.
    fn priority_text(&mut self, i: usize, d: &RawPriorityDef) {
        for (key, value, help) in [
            ("title", &d.title, "give the priority a title"),
            (
                "summary",
                &d.summary,
                "say in one sentence what the priority is for",
            ),
        ] {
            if value.trim().is_empty() {
                self.err(
                    self.at(&[Seg::Key("priorities"), Seg::Index(i), Seg::Key(key)]),
                    format!("the priority's {key} is empty"),
                    help,
                );
            }
        }
    }

    /// `owner:` and `period:` outside a plan.
    fn no_plan_fields(&mut self, raw: &Raw) {
        for (key, given) in [
            ("owner", raw.owner.is_some()),
            ("period", raw.period.is_some()),
            ("supersedes", raw.supersedes.is_some()),
        ] {
            if given {
                self.err(
                    self.at(&[Seg::Key(key)]),
                    format!("`{key}` is only for plans"),
                    "remove it, or set `kind: plan`",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errs(path: &str, text: &str) -> Vec<String> {
        let f = FileId(0);
        let s = match split(text, f) {
            Ok(s) => s,
            Err(d) => return vec![d.message],
        };
        match parse(f, &ContentPath(path.into()), text, &s) {
            Ok(_) => vec![],
            Err(ds) => ds.into_iter().map(|d| d.message).collect(),
        }
    }

    #[test]
    fn split_handles_bom_and_crlf() {
        let text = "\u{feff}---\r\ntitle: x\r\n---\r\nbody\r\n";
        let s = split(text, FileId(0)).unwrap();
        assert_eq!(&text[s.yaml.clone()], "title: x\r\n");
        assert_eq!(&text[s.body..], "body\r\n");
    }

    /// `missing field title` comes from serde for any mapping: only the document's own is
    /// "the document has no title"; a priority's is reported where it is.
    #[test]
    fn a_priority_without_a_title_is_not_a_document_without_one() {
        let plan = |priorities: &str| {
            format!(
                "---\ntitle: P\nkind: plan\ndate: 2024-01-01\nsummary: s\nowner: O\n\
                 period: {{start: 2024-01-01, end: 2025-01-01}}\npriorities:{priorities}\n---\n"
            )
        };
        for priorities in [" [{id: a, summary: s}]", "\n  - id: a\n    summary: s"] {
            let messages = errs("plans/p.md", &plan(priorities));
            assert_eq!(messages.len(), 1, "{messages:?}");
            assert_eq!(messages, ["front matter has no `title`"]);
        }
        assert_eq!(
            errs("a.md", "---\n# a comment\nsummary: s\n---\n"),
            vec!["the document has no title"]
        );
    }

    #[test]
    fn split_errors() {
        assert_eq!(errs("a.md", ""), vec!["the file is empty"]);
        assert_eq!(
            errs("a.md", "---\ntitle: x\n"),
            vec!["the front matter is never closed"]
        );
        assert_eq!(
            errs("a.md", "# Hello\n"),
            vec!["the file has no front matter"]
        );
    }

    #[test]
    fn dates_must_be_real() {
        assert_eq!(
            errs("reports/a.md", "---\ntitle: x\ndate: 2023-02-30\n---\n"),
            vec!["2023-02-30 is not a real calendar date"]
        );
        assert_eq!(
            errs("reports/a.md", "---\ntitle: x\n---\n"),
            vec!["a report needs a date"]
        );
        assert!(errs("about.md", "---\ntitle: x\n---\n").is_empty());
    }

    #[test]
    fn plans_are_validated() {
        let text = "---\ntitle: P\ndate: 2022-03-24\nowner: Mayor\nperiod: {start: 2025-01-01, end: 2022-01-01}\npriorities:\n  - id: a\n    title: A\n    summary: s\n  - id: a\n    title: B\n    summary: s\n---\n";
        assert_eq!(
            errs("plans/p.md", text),
            vec![
                "the period ends (2022-01-01) before it starts (2025-01-01)",
                "priority id `a` is used twice in this plan"
            ]
        );
    }

    #[test]
    fn a_page_answers_to_nothing_and_supersedes_is_for_plans() {
        assert_eq!(
            errs(
                "about.md",
                "---\ntitle: x\nplans: [p]\npriorities: [p/a]\n---\n"
            ),
            vec![
                "a page cannot declare `plans`: it has no date, so it answers to nothing",
                "a page cannot declare `priorities`: it has no date, so it answers to nothing"
            ]
        );
        assert_eq!(
            errs(
                "reports/r.md",
                "---\ntitle: x\ndate: 2024-01-01\nsupersedes: p\n---\n"
            ),
            vec!["`supersedes` is only for plans"]
        );
        let plan = |priorities: &str| {
            format!(
                "---\ntitle: P\ndate: 2017-03-01\nowner: O\nsupersedes: old plan\n\
                 period: {{start: 2017-03-01, end: 2021-12-31}}\n{priorities}---\n"
            )
        };
        // `priorities: []` written out says they are not tracked; left out, they are missing.
        assert_eq!(
            errs("plans/p.md", &plan("priorities: []\n")),
            vec!["plan id `old plan` has characters that are unsafe in a URL"]
        );
        assert_eq!(
            errs("plans/p.md", &plan("")),
            vec![
                "a plan needs at least one priority",
                "plan id `old plan` has characters that are unsafe in a URL"
            ]
        );
    }

    #[test]
    fn priority_shapes_depend_on_kind() {
        let text = "---\ntitle: x\ndate: 2022-03-24\npriorities: [plan-a/violence, nonsense]\nowner: me\n---\n";
        assert_eq!(
            errs("reports/r.md", text),
            vec![
                "`nonsense` is not a priority reference",
                "`owner` is only for plans"
            ]
        );
    }
}

/// Property tests of [`split`] (and of [`parse`]'s locations) over realistic-but-nasty files:
/// YAML-ish lines, `---` lines in odd places, CRLF, a BOM, trailing whitespace, unicode.
#[cfg(test)]
mod props {
    use super::*;
    use crate::diag::SourceFiles;
    use proptest::prelude::*;

    const F: FileId = FileId(0);
    const BOM: &str = "\u{feff}";
    const PATH: &str = "reports/2024-05-01-probe.md";

    /// The spec's fence: `---` and nothing after it but whitespace (a `\r` included).
    fn is_fence(line: &str) -> bool {
        line.strip_prefix("---")
            .is_some_and(|rest| rest.chars().all(char::is_whitespace))
    }

    /// Lines of `text` from `from` on, each as (start, content without its `\n`, end including
    /// the `\n`), written without `split_inclusive` so that it does not mirror the code.
    fn lines_from(text: &str, from: usize) -> Vec<(usize, &str, usize)> {
        let mut out = Vec::new();
        let mut at = from;
        while at < text.len() {
            match text[at..].find('\n') {
                Some(n) => {
                    out.push((at, &text[at..at + n], at + n + 1));
                    at += n + 1;
                }
                None => {
                    out.push((at, &text[at..], text.len()));
                    at = text.len();
                }
            }
        }
        out
    }

    fn in_text(text: &str, r: &Range<usize>) -> bool {
        r.start <= r.end
            && r.end <= text.len()
            && text.is_char_boundary(r.start)
            && text.is_char_boundary(r.end)
    }

    /// What `split` must return for `text`, worked out from the spec: an optional BOM, then a
    /// first line `---`, then YAML up to the next `---` line.
    fn expected(text: &str) -> Result<Split, (&'static str, Range<usize>)> {
        let start = if text.starts_with(BOM) { BOM.len() } else { 0 };
        if text[start..].chars().all(char::is_whitespace) {
            return Err(("the file is empty", start..start));
        }
        let lines = lines_from(text, start);
        let (first_at, first, first_end) = lines[0];
        if !is_fence(first) {
            let shown = first.trim_end_matches(char::is_whitespace);
            return Err((
                "the file has no front matter",
                first_at..first_at + shown.len(),
            ));
        }
        match lines[1..].iter().find(|(_, l, _)| is_fence(l)) {
            Some(&(at, _, end)) => Ok(Split {
                fence: first_at..first_at + 3,
                yaml: first_end..at,
                body: end,
            }),
            None => Err(("the front matter is never closed", first_at..first_at + 3)),
        }
    }

    /// Every offset `split` gives is inside `text`, in order, on char boundaries; and the result
    /// is exactly what the spec says.
    fn check_split(text: &str) -> Result<(), TestCaseError> {
        let got = split(text, F);
        match &got {
            Ok(s) => {
                prop_assert!(in_text(text, &s.fence), "fence {:?}", s.fence);
                prop_assert!(in_text(text, &s.yaml), "yaml {:?}", s.yaml);
                prop_assert!(in_text(text, &(s.yaml.end..s.body)), "body {}", s.body);
                prop_assert!(s.fence.end <= s.yaml.start);
                prop_assert_eq!(&text[s.fence.clone()], "---");
            }
            Err(d) => {
                let loc = d.location.as_ref().expect("split errors are located");
                prop_assert_eq!(loc.file, F);
                prop_assert!(in_text(text, &loc.span), "error span {:?}", loc.span);
                prop_assert!(d.related.is_empty());
            }
        }
        let got = got.map_err(|d| (d.message, d.location.map(|l| l.span)));
        let want = expected(text).map_err(|(m, span)| (m.to_string(), Some(span)));
        prop_assert_eq!(got, want, "text {:?}", text);
        Ok(())
    }

    /// Front matter lines: known and unknown fields, good and bad values, block and flow lists,
    /// unicode, YAML syntax errors, and near-fences (never exactly a fence).
    fn yaml_line() -> impl Strategy<Value = String> {
        let fixed = prop::sample::select(vec![
            "title: Probe",
            "title: \"Ünïcødé ✓ 日本語 \u{1F600}\"",
            "title: ''",
            "title:",
            "title: [not, a, string]",
            "date: 2024-05-01",
            "date: 2023-02-30",
            "date: 2024-5-1",
            "date: '2024-05-01 '",
            "summary: A summary with: a colon",
            "summary: >",
            "  folded text",
            "kind: report",
            "kind: repotr",
            "kind: plan",
            "id: my-id",
            "id: has space",
            "author: Ø",
            "draft: true",
            "draft: maybe",
            "language: en-GB",
            "language: 12345678901",
            "owner: Mayor",
            "period: {start: 2022-04-01, end: 2021-03-31}",
            "period:",
            "  start: 2022-04-01",
            "  end: 2025-02-29",
            "plans: [plan-a, 'bad id', plan-b]",
            "plans:",
            "  - plan-a",
            "  - not/valid",
            "priorities: [plan-a/trust, nonsense]",
            "priorities:",
            "  - plan-a/trust",
            "  - id: x",
            "    title: X",
            "    summary: s",
            "metrics: [pas-good]",
            "extra: {colour: red}",
            "extra:",
            "  nested: {a: [1, 2]}",
            "colour: red",
            "titel: typo",
            "title: again",
            "# a comment",
            "",
            "   ",
            "\t",
            "key: 'unterminated",
            "key: \"unterminated",
            "[",
            "{a: b",
            "- item",
            "? complex",
            ": value",
            "&anchor x: *alias",
            "...",
            "----",
            "-- -",
            " ---",
            "---x",
            "--- #",
            "\u{feff}---",
            "\u{00a0}",
        ])
        .prop_map(str::to_string);
        prop_oneof![
            6 => fixed,
            1 => "[a-z]{1,8}: [^\n\r]{0,12}",
            1 => "[^\n\r]{0,16}",
        ]
        .prop_filter("a fence would end the front matter", |l| !is_fence(l))
    }

    /// Body lines, fences included.
    fn body_line() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => yaml_line(),
            1 => prop::sample::select(vec!["---", "--- ", "---\t", "## Heading", "Text ✓"])
                .prop_map(str::to_string),
        ]
    }

    /// A fence as written: `---` with or without trailing spaces and tabs.
    fn fence() -> impl Strategy<Value = String> {
        prop::sample::select(vec!["---", "---", "---", "--- ", "---\t", "---  \t"])
            .prop_map(str::to_string)
    }

    /// Lines of a whole file, fences sometimes missing, doubled or misplaced.
    fn file_lines() -> impl Strategy<Value = Vec<String>> {
        (
            prop::option::weighted(0.9, fence()),
            prop::collection::vec(yaml_line(), 0..8),
            prop::option::weighted(0.8, fence()),
            prop::collection::vec(body_line(), 0..6),
        )
            .prop_map(|(open, yaml, close, body)| {
                open.into_iter()
                    .chain(yaml)
                    .chain(close)
                    .chain(body)
                    .collect()
            })
    }

    fn join(lines: &[String], eol: &str, final_eol: bool) -> String {
        let mut s = lines.join(eol);
        if final_eol && !lines.is_empty() {
            s.push_str(eol);
        }
        s
    }

    /// Where each diagnostic of a file (split, then parse) is: message, help, and the line and
    /// column where each place starts and ends (what `file:line:col` and the caret show).
    type Placed = Vec<(String, String, Vec<((usize, usize), (usize, usize))>)>;

    /// What split, then parse, report for `text` as file `f`.
    fn diagnostics(text: &str, f: FileId) -> Vec<Diagnostic> {
        match split(text, f) {
            Err(d) => vec![d],
            Ok(s) => parse(f, &ContentPath(PATH.into()), text, &s)
                .err()
                .unwrap_or_default(),
        }
    }

    /// Every place a diagnostic points at: its own, then the related ones.
    fn locations(d: &Diagnostic) -> impl Iterator<Item = &crate::diag::Location> {
        d.location.iter().chain(d.related.iter().map(|(l, _)| l))
    }

    fn placed(text: &str) -> Placed {
        let mut sources = SourceFiles::default();
        let f = sources.add("content/x.md", text);
        diagnostics(text, f)
            .into_iter()
            .map(|d| {
                let places = locations(&d)
                    .map(|l| {
                        assert!(in_text(text, &l.span), "{:?} outside {text:?}", l.span);
                        (
                            sources.line_col(f, l.span.start),
                            sources.line_col(f, l.span.end),
                        )
                    })
                    .collect();
                (d.message, d.help, places)
            })
            .collect()
    }

    /// Spans of each diagnostic of a file, by message.
    fn spans(text: &str) -> Vec<(String, Vec<Range<usize>>)> {
        diagnostics(text, F)
            .into_iter()
            .map(|d| {
                let places = locations(&d).map(|l| l.span.clone()).collect();
                (d.message, places)
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn split_matches_the_spec_on_any_string(text in any::<String>()) {
            check_split(&text)?;
        }

        #[test]
        fn split_matches_the_spec_on_nasty_files(
            lines in file_lines(),
            crlf in any::<bool>(),
            final_eol in any::<bool>(),
            bom in any::<bool>(),
            lead in prop::sample::select(vec!["", "", "", "\n", " \n", "\r\n"]),
        ) {
            let text = format!(
                "{}{lead}{}",
                if bom { BOM } else { "" },
                join(&lines, if crlf { "\r\n" } else { "\n" }, final_eol)
            );
            check_split(&text)?;
        }

        /// `---` + YAML + `---` + body gives back exactly that YAML and that body.
        #[test]
        fn split_returns_the_yaml_and_body_it_was_given(
            open in fence(),
            yaml in prop::collection::vec(yaml_line(), 0..10),
            close in fence(),
            body in prop::collection::vec(body_line(), 0..6),
            crlf in any::<bool>(),
            closing_eol in any::<bool>(),
        ) {
            let eol = if crlf { "\r\n" } else { "\n" };
            let yaml: String = yaml.iter().map(|l| format!("{l}{eol}")).collect();
            let body = if closing_eol { join(&body, eol, true) } else { String::new() };
            let text = format!("{open}{eol}{yaml}{close}{}{body}", if closing_eol { eol } else { "" });
            let s = split(&text, F).map_err(|d| TestCaseError::fail(d.message))?;
            prop_assert_eq!(s.fence, 0..3);
            prop_assert_eq!(&text[s.yaml.clone()], yaml.as_str());
            prop_assert_eq!(&text[s.body..], body.as_str());
        }

        /// A CRLF file splits into the same parts (but for `\r`), and every problem split and
        /// parse find in it is reported at the same lines and columns as in the LF file.
        #[test]
        fn crlf_files_split_and_report_like_lf_files(
            lines in file_lines(),
            final_eol in any::<bool>(),
        ) {
            let lf = join(&lines, "\n", final_eol);
            let crlf = join(&lines, "\r\n", final_eol);
            match (split(&lf, F), split(&crlf, F)) {
                (Ok(a), Ok(b)) => {
                    prop_assert_eq!(lf[a.yaml.clone()].to_string(), crlf[b.yaml.clone()].replace("\r\n", "\n"));
                    prop_assert_eq!(lf[a.body..].to_string(), crlf[b.body..].replace("\r\n", "\n"));
                }
                (Err(a), Err(b)) => prop_assert_eq!(a.message, b.message),
                (a, b) => prop_assert!(false, "LF gives {:?}, CRLF gives {:?}", a, b),
            }
            prop_assert_eq!(placed(&lf), placed(&crlf), "LF {:?}", lf);
        }

        /// A BOM changes nothing but the offsets, which move by its 3 bytes.
        #[test]
        fn a_bom_only_shifts_offsets(
            lines in file_lines().prop_filter("a second BOM is text", |l| !l.first().is_some_and(|l| l.starts_with(BOM))),
            crlf in any::<bool>(),
            final_eol in any::<bool>(),
        ) {
            let text = join(&lines, if crlf { "\r\n" } else { "\n" }, final_eol);
            let with = format!("{BOM}{text}");
            let n = BOM.len();
            match (split(&text, F), split(&with, F)) {
                (Ok(a), Ok(b)) => prop_assert_eq!(
                    Split { fence: a.fence.start + n..a.fence.end + n, yaml: a.yaml.start + n..a.yaml.end + n, body: a.body + n },
                    b
                ),
                (Err(a), Err(b)) => prop_assert_eq!(a.message, b.message),
                (a, b) => prop_assert!(false, "without BOM {:?}, with {:?}", a, b),
            }
            let shifted: Vec<_> = spans(&text)
                .into_iter()
                .map(|(m, places)| (m, places.into_iter().map(|r| r.start + n..r.end + n).collect::<Vec<_>>()))
                .collect();
            prop_assert_eq!(shifted, spans(&with), "text {:?}", text);
        }
    }

    /// Found by `crlf_files_split_and_report_like_lf_files`: serde_yaml reports a control
    /// character with "at position N" (an offset into the YAML alone) and no line, and the
    /// report pointed at the first key.
    #[test]
    fn a_control_character_is_reported_where_it_is() {
        let text = "---\ntitle: Probe\na: \u{b}\n---\n";
        let found = placed(text);
        assert_eq!(found.len(), 1, "{found:?}");
        let (message, _, places) = &found[0];
        assert_eq!(places, &vec![((3, 4), (3, 5))], "{message}");
        assert!(!message.contains("position"), "{message}");
        assert!(message.contains("U+000B"), "{message}");
    }

    /// Found by the properties: a YAML error at the end of a line took the line break as its
    /// token, so in an LF file the caret ran onto the next line and in a CRLF file it covered
    /// the `\r`.
    #[test]
    fn a_yaml_error_at_a_line_end_stays_on_its_line() {
        for text in [
            "---\n%\n---\n",
            "---\r\n%\r\n---\r\n",
            "---\n\na: \u{7f}\n---\n",
        ] {
            for (message, places) in spans(text) {
                for r in places {
                    assert!(
                        !text[r.clone()].contains(['\n', '\r']),
                        "{message}: span {r:?} of {text:?} is {:?}",
                        &text[r.clone()]
                    );
                }
            }
        }
    }

    /// Edge cases the properties are built on, pinned as examples.
    #[test]
    fn spec_examples() {
        for text in [
            "",
            "\u{feff}",
            " \n\t\r\n",
            "---",
            "---\n---",
            "---\r\n---\r\n",
            "--- \t\ntitle: x\n---  \nbody",
            "---\ntitle: x\n ---\n----\n",
            "\u{feff}\u{feff}---\n---\n",
            "é\n",
            "---\u{a0}\n---\n",
        ] {
            check_split(text).unwrap();
        }
        assert_eq!(
            split("---\n---", F),
            Ok(Split {
                fence: 0..3,
                yaml: 4..4,
                body: 7
            })
        );
    }
}

#[cfg(test)]
mod revision_tests {
    use super::*;

    fn doc(fields: &str) -> Result<Document, Vec<String>> {
        let text = format!("---\ntitle: T\ndate: 2024-02-21\nsummary: s\n{fields}---\nBody.\n");
        let f = FileId(0);
        let s = split(&text, f).unwrap();
        parse(f, &ContentPath("reports/r.md".into()), &text, &s)
            .map_err(|ds| ds.into_iter().map(|d| d.message).collect())
    }

    #[test]
    fn updates_and_corrections_are_read_and_the_latest_is_the_last_revision() {
        let d = doc("updated: 2024-03-01\ncorrections:\n  - {date: 2024-02-21, note: ' A fix. '}\n  - {date: 2024-04-02, note: Another.}\n").unwrap();
        assert_eq!(d.updated, NaiveDate::from_ymd_opt(2024, 3, 1));
        assert_eq!(d.corrections.len(), 2);
        assert_eq!(d.corrections[0].note, "A fix.");
        assert_eq!(d.last_revised(), NaiveDate::from_ymd_opt(2024, 4, 2));
        assert_eq!(doc("").unwrap().last_revised(), None);
    }

    #[test]
    fn revisions_before_the_document_or_without_a_note_are_errors() {
        assert_eq!(
            doc("updated: 2024-02-20\ncorrections:\n  - {date: 2023-12-31, note: x}\n  - {date: 2024-03-01, note: ''}\n")
                .unwrap_err(),
            vec![
                "the updated date 2024-02-20 is before the document's date 2024-02-21",
                "the correction's date 2023-12-31 is before the document's date 2024-02-21",
                "the correction's note is empty",
            ]
        );
        assert_eq!(
            doc("updated: 2024-02-31\n").unwrap_err(),
            vec!["2024-02-31 is not a real calendar date"]
        );
        let missing = doc("corrections:\n  - {date: 2024-03-01}\n").unwrap_err();
        assert!(missing[0].contains("note"), "{missing:?}");
    }
}
