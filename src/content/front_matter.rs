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
use crate::diag::{Diagnostic, FileId};
use crate::yaml::{self, Seg};

/// A file cut at its front matter fences; offsets are into the whole file.
#[derive(Debug, PartialEq, Eq)]
pub struct Split {
    /// The opening `---`, where problems of the front matter as a whole are shown.
    pub fence: Range<usize>,
    pub yaml: Range<usize>,
    pub body: usize,
}

/// Find the front matter: a first line `---` (after an optional BOM) up to the next `---` line.
pub fn split(text: &str, file: FileId) -> Result<Split, Diagnostic> {
    let start = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    title: String,
    kind: Option<String>,
    date: Option<String>,
    summary: Option<String>,
    id: Option<String>,
    author: Option<String>,
    #[serde(default)]
    plans: Vec<String>,
    #[serde(default)]
    priorities: Vec<PriorityEntry>,
    #[serde(default)]
    metrics: Vec<String>,
    #[serde(default)]
    draft: bool,
    language: Option<String>,
    #[serde(default)]
    extra: BTreeMap<String, yaml::Value>,
    owner: Option<String>,
    period: Option<RawPeriod>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    start: String,
    end: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPriorityDef {
    id: String,
    title: String,
    summary: String,
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

const DATE_HELP: &str = "write dates as YYYY-MM-DD, e.g. 2024-02-21";

/// A real calendar date written exactly as YYYY-MM-DD.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
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
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("{s} is not a real calendar date"))
}

/// Validate the front matter of `text` (file `file` at `path` under content/). The body is
/// scanned by the caller. Returns every problem found.
pub fn parse(
    file: FileId,
    path: &ContentPath,
    text: &str,
    split: &Split,
) -> Result<Document, Vec<Diagnostic>> {
    let yaml_text = &text[split.yaml.clone()];
    let off = split.yaml.start;
    let fence = split.fence.clone();
    let raw: Raw = yaml::parse(yaml_text).map_err(|e| {
        let mut d = yaml_diagnostic(file, off, "front matter", e);
        // A missing field is best shown at the opening fence rather than inside the YAML.
        if d.message.ends_with("has no `title`") {
            d = Diagnostic::error("the document has no title")
                .at(file, fence.clone())
                .help("add `title: ...` to the front matter");
        }
        vec![d]
    })?;
    let at = |p: &[Seg]| {
        yaml::locate(yaml_text, p).map_or(fence.clone(), |r| r.start + off..r.end + off)
    };
    let mut errors = Vec::new();
    let mut duplicates = Vec::new();
    let mut err = |span: Range<usize>, msg: String, help: &str| {
        errors.push(Diagnostic::error(msg).at(file, span).help(help))
    };

    let top = path
        .0
        .split('/')
        .next()
        .filter(|_| path.0.contains('/'))
        .unwrap_or("");
    let kind = match raw.kind.as_deref() {
        None => Kind::from_folder(top),
        Some(k) => Kind::from_name(k).unwrap_or_else(|| {
            let names = Kind::ALL.map(Kind::name);
            let help = match crate::diag::suggest(k, names) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("use one of: {}", names.join(", ")),
            };
            err(
                at(&[Seg::Key("kind")]),
                format!("unknown kind `{k}`"),
                &help,
            );
            Kind::Page
        }),
    };
    if raw.title.trim().is_empty() {
        err(
            at(&[Seg::Key("title")]),
            "the title is empty".into(),
            "give the document a title",
        );
    }
    let date = match raw.date.as_deref() {
        Some(d) => parse_date(d.trim())
            .map_err(|m| err(at(&[Seg::Key("date")]), m, DATE_HELP))
            .ok(),
        None => {
            if kind.is_dated() {
                err(
                    fence.clone(),
                    format!("a {} needs a date", kind.name()),
                    "add `date: YYYY-MM-DD` to the front matter",
                );
            }
            None
        }
    };
    let stem = path
        .0
        .rsplit('/')
        .next()
        .unwrap_or(&path.0)
        .trim_end_matches(".md");
    let (id, id_span) = match raw.id.as_deref() {
        Some(i) => (i.to_string(), Some(at(&[Seg::Key("id")]))),
        None => (stem.to_string(), None),
    };
    // A file stem used as id is checked with the rest of the path, by the loader.
    if let (Some(span), false) = (&id_span, is_valid_id(&id)) {
        err(
            span.clone(),
            format!("id `{id}` has characters that are unsafe in a URL"),
            "use letters, digits, - and _ only (e.g. 2024-02-21-qa-session)",
        );
    }
    let language = raw.language.as_deref().and_then(|l| {
        LanguageTag::parse(l).or_else(|| {
            err(
                at(&[Seg::Key("language")]),
                format!("language `{l}` is not a BCP 47 language tag"),
                "use a tag such as cy or en-GB",
            );
            None
        })
    });
    // Where item `i` of list `key` is written: its line in a block list, or its text inside a
    // flow list (`plans: [a, b]`).
    let item_at = |key: &str, i: usize, item: &str| {
        if let Some(r) = yaml::locate(yaml_text, &[Seg::Key(key), Seg::Index(i)]) {
            return r.start + off..r.end + off;
        }
        match yaml::locate(yaml_text, &[Seg::Key(key)]) {
            Some(r) => {
                let list = &yaml_text[r.clone()];
                let found = list.match_indices(item).map(|(j, _)| j).find(|&j| {
                    let before = list[..j].chars().next_back();
                    let after = list[j + item.len()..].chars().next();
                    matches!(before, Some('[' | ',' | ' ' | '"' | '\''))
                        && matches!(after, Some(']' | ',' | ' ' | '"' | '\''))
                });
                match found {
                    Some(j) => r.start + off + j..r.start + off + j + item.len(),
                    None => r.start + off..r.end + off,
                }
            }
            None => fence.clone(),
        }
    };
    let ids = |key: &'static str,
               list: &[String],
               errs: &mut dyn FnMut(Range<usize>, String, &str)|
     -> Vec<(String, Range<usize>)> {
        list.iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let span = item_at(key, i, s);
                if is_valid_id(s) {
                    Some((s.clone(), span))
                } else {
                    errs(
                        span,
                        format!("`{s}` is not a valid {} id", key.trim_end_matches('s')),
                        "ids use letters, digits, - and _ only",
                    );
                    None
                }
            })
            .collect()
    };
    let plans = ids("plans", &raw.plans, &mut err)
        .into_iter()
        .map(|(id, span)| At {
            value: PlanId(id),
            span,
        })
        .collect();
    let metrics = ids("metrics", &raw.metrics, &mut err)
        .into_iter()
        .map(|(id, span)| At {
            value: MetricId(id),
            span,
        })
        .collect();

    let mut priorities = Vec::new();
    let mut defs = Vec::new();
    for (i, entry) in raw.priorities.into_iter().enumerate() {
        let here = match &entry {
            PriorityEntry::Ref(r) => item_at("priorities", i, r),
            PriorityEntry::Def(_) => at(&[Seg::Key("priorities"), Seg::Index(i)]),
        };
        match (entry, kind == Kind::Plan) {
            (PriorityEntry::Ref(r), false) => match r.split_once('/') {
                Some((p, q)) if is_valid_id(p) && is_valid_id(q) => priorities.push(At {
                    value: PriorityRef {
                        plan: PlanId(p.into()),
                        priority: PriorityId(q.into()),
                    },
                    span: here,
                }),
                _ => err(
                    here,
                    format!("`{r}` is not a priority reference"),
                    "write priorities as plan-id/priority-id",
                ),
            },
            (PriorityEntry::Def(d), true) => defs.push((i, d)),
            (PriorityEntry::Ref(_), true) => err(
                here,
                "a plan's priorities are definitions, not references".into(),
                "write each as {id: ..., title: ..., summary: ...}",
            ),
            (PriorityEntry::Def(_), false) => err(
                here,
                "only a plan defines priorities".into(),
                "name a plan's priority as plan-id/priority-id, or set kind: plan",
            ),
        }
    }

    let plan = if kind == Kind::Plan {
        let owner = raw.owner.clone().unwrap_or_else(|| {
            err(
                fence.clone(),
                "a plan needs an owner".into(),
                "add `owner: ...` (who is accountable for the plan)",
            );
            String::new()
        });
        let period = match &raw.period {
            None => {
                err(
                    fence.clone(),
                    "a plan needs a period".into(),
                    "add `period: {start: YYYY-MM-DD, end: YYYY-MM-DD}`",
                );
                None
            }
            Some(p) => {
                let start = parse_date(p.start.trim())
                    .map_err(|m| err(at(&[Seg::Key("period"), Seg::Key("start")]), m, DATE_HELP));
                let end = parse_date(p.end.trim())
                    .map_err(|m| err(at(&[Seg::Key("period"), Seg::Key("end")]), m, DATE_HELP));
                match (start, end) {
                    (Ok(s), Ok(e)) if s > e => {
                        err(
                            at(&[Seg::Key("period"), Seg::Key("end")]),
                            format!("the period ends ({e}) before it starts ({s})"),
                            "swap start and end",
                        );
                        None
                    }
                    (Ok(s), Ok(e)) => Some((s, e)),
                    _ => None,
                }
            }
        };
        if defs.is_empty() {
            err(
                at(&[Seg::Key("priorities")]),
                "a plan needs at least one priority".into(),
                "add `priorities:` with items {id, title, summary}",
            );
        }
        let mut seen: HashMap<String, Range<usize>> = HashMap::new();
        let mut list = Vec::new();
        for (i, d) in defs {
            let here = at(&[Seg::Key("priorities"), Seg::Index(i), Seg::Key("id")]);
            let first = seen.get(&d.id).cloned();
            if !is_valid_id(&d.id) {
                err(
                    here,
                    format!(
                        "priority id `{}` has characters that are unsafe in a URL",
                        d.id
                    ),
                    "use letters, digits, - and _ only",
                );
            } else if let Some(first) = first {
                duplicates.push(
                    Diagnostic::error(format!("priority id `{}` is used twice in this plan", d.id))
                        .at(file, here)
                        .help("give each priority its own id")
                        .also(file, first, "first used here"),
                );
            } else {
                seen.insert(d.id.clone(), here.clone());
                list.push(PriorityDef {
                    id: PriorityId(d.id),
                    title: d.title,
                    summary: d.summary,
                    span: here,
                });
            }
        }
        period.map(|(start, end)| PlanSpec {
            owner,
            start,
            end,
            priorities: list,
        })
    } else {
        for key in ["owner", "period"] {
            let given = if key == "owner" {
                raw.owner.is_some()
            } else {
                raw.period.is_some()
            };
            if given {
                err(
                    at(&[Seg::Key(key)]),
                    format!("`{key}` is only for plans"),
                    "remove it, or set `kind: plan`",
                );
            }
        }
        None
    };

    errors.append(&mut duplicates);
    if !errors.is_empty() {
        return Err(errors);
    }
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
        language,
        extra: raw.extra,
        plan,
        body_offset: split.body,
        scan: Default::default(),
        url: SitePath(String::new()),
        digest: 0,
    })
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
