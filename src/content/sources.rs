//! content/sources.yaml: the publications documents cite, by id.

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::NaiveDate;
use serde::Deserialize;

use super::document::{SourceId, check_id};
use super::front_matter::parse_date;
use crate::config::yaml_diagnostic;
use crate::diag::{Diagnostic, FileId};
use crate::yaml::{self, Seg};

/// A cited publication.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub(crate) id: SourceId,
    pub(crate) title: String,
    pub(crate) publisher: String,
    pub(crate) date: NaiveDate,
    pub(crate) url: Option<String>,
    /// An archived copy (e.g. in a web archive), absolute http(s) like `url`.
    pub(crate) archived_url: Option<String>,
    /// The date the link was last checked by whoever wrote the entry.
    pub(crate) accessed: Option<NaiveDate>,
    /// Where its id is written in sources.yaml.
    pub(crate) file: FileId,
    pub(crate) span: Range<usize>,
}

/// A publication the site cites, under its id in content/sources.yaml.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Source")]
pub(crate) struct Raw {
    /// The publication's title.
    #[serde(deserialize_with = "yaml::text")]
    title: String,
    /// Who published it.
    #[serde(deserialize_with = "yaml::text")]
    publisher: String,
    /// When it was published, YYYY-MM-DD.
    #[schemars(pattern(crate::schema::DATE))]
    date: String,
    /// Its address: an absolute http(s) URL.
    #[schemars(pattern(crate::schema::HTTP_URL))]
    url: Option<String>,
    /// An archived copy (e.g. in a web archive): an absolute http(s) URL.
    #[schemars(pattern(crate::schema::HTTP_URL))]
    archived_url: Option<String>,
    /// The date the link was last checked, YYYY-MM-DD; only beside a `url`.
    #[schemars(pattern(crate::schema::DATE))]
    accessed: Option<String>,
}

/// Whether `u` is an absolute http(s) URL as written: it is published as written, and without
/// `//` a browser would read it as a page of this site (`https:x`).
fn is_absolute_http(u: &str) -> bool {
    url::Url::parse(u).is_ok_and(|p| {
        matches!(p.scheme(), "http" | "https") && u[p.scheme().len() + 1..].starts_with("//")
    })
}

/// The ids sources.yaml writes whose entries did not load (`loaded` holds those that did), so
/// that references to them can be told from references to ids that never existed; `None` when
/// the file is not a mapping at all, so that no id can be told.
pub(crate) fn left_out(
    text: &str,
    loaded: &BTreeMap<SourceId, Source>,
) -> Option<std::collections::BTreeSet<String>> {
    let written = yaml::parse::<serde_yaml::Mapping>(text).ok()?;
    Some(
        written
            .keys()
            .filter_map(|k| k.as_str())
            .filter(|id| !loaded.contains_key(&SourceId((*id).to_string())))
            .map(str::to_string)
            .collect(),
    )
}

/// Parse sources.yaml; every problem is reported, and the valid sources are kept.
pub(crate) fn parse(file: FileId, text: &str) -> (BTreeMap<SourceId, Source>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let raw = match yaml::parse::<yaml::UniqueMap<Raw>>(text) {
        Ok(r) => r.0,
        Err(e) => {
            return (
                BTreeMap::new(),
                vec![yaml_diagnostic(file, 0, "sources.yaml", e)],
            );
        }
    };
    let mut out = BTreeMap::new();
    for (id, r) in raw {
        let key = yaml::locate_key(text, &id).unwrap_or(0..0);
        let at = |field: &str| {
            yaml::locate(text, &[Seg::Key(&id), Seg::Key(field)]).unwrap_or(key.clone())
        };
        let mut ok = true;
        if let Err(m) = check_id("source id", &id) {
            errors.push(
                Diagnostic::error(m)
                    .at(file, key.clone())
                    .help("use letters, digits, - and _ only"),
            );
            ok = false;
        }
        for (field, value, help) in [
            (
                "title",
                &r.title,
                "give the publication's title, as it is written on it",
            ),
            ("publisher", &r.publisher, "say who published it"),
        ] {
            if value.trim().is_empty() {
                errors.push(
                    Diagnostic::error(format!("the source's {field} is empty"))
                        .at(file, at(field))
                        .help(help),
                );
            }
        }
        let date = parse_date(r.date.trim()).map_err(|m| {
            errors.push(
                Diagnostic::error(m)
                    .at(file, at("date"))
                    .help("write dates as YYYY-MM-DD, e.g. 2024-02-21"),
            );
        });
        if let Some(u) = &r.url
            && !is_absolute_http(u)
        {
            errors.push(
                Diagnostic::error(format!("source url `{u}` is not an absolute http(s) URL"))
                    .at(file, at("url"))
                    .help("give the full address, e.g. https://www.london.gov.uk/..."),
            );
            ok = false;
        }
        ok &= check_archive(&r, &at, file, &mut errors);
        let accessed = accessed(&r, &at, file, &mut errors);
        ok &= accessed.is_ok();
        if let (Ok(date), true) = (date, ok) {
            let id = SourceId(id);
            out.insert(
                id.clone(),
                Source {
                    id,
                    title: r.title,
                    publisher: r.publisher,
                    date,
                    url: r.url,
                    archived_url: r.archived_url,
                    accessed: accessed.ok().flatten(),
                    file,
                    span: key.clone(),
                },
            );
        }
    }
    (out, errors)
}

/// `archived_url`, if given, is an absolute http(s) URL; false (reported) when it is not.
fn check_archive(
    r: &Raw,
    at: &dyn Fn(&str) -> Range<usize>,
    file: FileId,
    errors: &mut Vec<Diagnostic>,
) -> bool {
    let Some(u) = &r.archived_url else {
        return true;
    };
    if is_absolute_http(u) {
        return true;
    }
    errors.push(
        Diagnostic::error(format!(
            "source archived_url `{u}` is not an absolute http(s) URL"
        ))
        .at(file, at("archived_url"))
        .help("give the full address of the archived copy, e.g. https://web.archive.org/web/2022/https://www.london.gov.uk/..."),
    );
    false
}

/// `accessed`: a real date, and only beside a `url` (it says when that link was checked).
fn accessed(
    r: &Raw,
    at: &dyn Fn(&str) -> Range<usize>,
    file: FileId,
    errors: &mut Vec<Diagnostic>,
) -> Result<Option<NaiveDate>, ()> {
    let Some(text) = &r.accessed else {
        return Ok(None);
    };
    let date = parse_date(text.trim()).map_err(|m| {
        errors.push(
            Diagnostic::error(m)
                .at(file, at("accessed"))
                .help("write the date the link was checked as YYYY-MM-DD, e.g. 2024-03-03"),
        );
    })?;
    if r.url.is_none() {
        errors.push(
            Diagnostic::error("`accessed` is given but the source has no `url`")
                .at(file, at("accessed"))
                .help("`accessed` is the date the source's link was checked: add its `url`, or remove `accessed`"),
        );
        return Err(());
    }
    Ok(Some(date))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_validates_sources() {
        let text = "casey:\n  title: Casey Review\n  publisher: Baroness Casey\n  date: 2023-03-21\n  url: https://example.org/casey\nbad:\n  title: B\n  publisher: P\n  date: 2023-02-30\n";
        let (sources, errors) = parse(FileId(0), text);
        assert_eq!(sources.len(), 1);
        assert_eq!(sources[&SourceId("casey".into())].span, 0..5);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, "2023-02-30 is not a real calendar date");
        assert_eq!(
            &text[errors[0].location.as_ref().unwrap().span.clone()],
            "2023-02-30"
        );
    }

    #[test]
    fn unknown_fields_are_errors_with_a_suggestion() {
        let (_, errors) = parse(
            FileId(0),
            "x:\n  title: T\n  publisher: P\n  date: 2023-01-01\n  ulr: https://example.org\n",
        );
        assert_eq!(errors[0].message, "unknown sources.yaml field `ulr`");
        assert_eq!(errors[0].help, "did you mean `url`?");
        let (_, errors) = parse(
            FileId(0),
            "x:\n  title: T\n  publisher: P\n  date: 2023-01-01\n  archive_url: https://example.org\n",
        );
        assert_eq!(
            errors[0].message,
            "unknown sources.yaml field `archive_url`"
        );
        assert_eq!(errors[0].help, "did you mean `archived_url`?");
    }

    #[test]
    fn archived_url_and_accessed_are_validated() {
        let head = "x:\n  title: T\n  publisher: P\n  date: 2023-01-01\n";
        let one = |rest: &str| {
            let (sources, errors) = parse(FileId(0), &format!("{head}{rest}"));
            (
                sources.into_values().next(),
                errors.into_iter().map(|e| e.message).collect::<Vec<_>>(),
            )
        };
        let (s, e) = one(
            "  url: https://example.org/x\n  archived_url: https://web.archive.org/web/2022/https://example.org/x\n  accessed: 2024-03-03\n",
        );
        assert!(e.is_empty(), "{e:?}");
        let s = s.unwrap();
        assert_eq!(
            s.archived_url.as_deref(),
            Some("https://web.archive.org/web/2022/https://example.org/x")
        );
        assert_eq!(s.accessed, NaiveDate::from_ymd_opt(2024, 3, 3));
        assert_eq!(
            one("  archived_url: web.archive.org/x\n").1,
            vec!["source archived_url `web.archive.org/x` is not an absolute http(s) URL"]
        );
        assert_eq!(
            one("  url: https://example.org/x\n  accessed: 2024-02-30\n").1,
            vec!["2024-02-30 is not a real calendar date"]
        );
        assert_eq!(
            one("  url: https://example.org/x\n  accessed: 3 March 2024\n").1,
            vec!["`3 March 2024` is not a date in the form YYYY-MM-DD"]
        );
        let (s, e) = one("  accessed: 2024-03-03\n");
        assert!(s.is_none());
        assert_eq!(e, vec!["`accessed` is given but the source has no `url`"]);
    }
}
