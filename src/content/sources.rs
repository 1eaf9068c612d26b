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
    /// Where its id is written in sources.yaml.
    pub(crate) file: FileId,
    pub(crate) span: Range<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    title: String,
    publisher: String,
    date: String,
    url: Option<String>,
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
        let date = parse_date(r.date.trim()).map_err(|m| {
            errors.push(
                Diagnostic::error(m)
                    .at(file, at("date"))
                    .help("write dates as YYYY-MM-DD, e.g. 2024-02-21"),
            );
        });
        if let Some(u) = &r.url {
            // It is published as written: without `//` a browser would read it as a page of
            // this site (`https:x`).
            let good = url::Url::parse(u).is_ok_and(|p| {
                matches!(p.scheme(), "http" | "https")
                    && u[p.scheme().len() + 1..].starts_with("//")
            });
            if !good {
                errors.push(
                    Diagnostic::error(format!("source url `{u}` is not an absolute http(s) URL"))
                        .at(file, at("url"))
                        .help("give the full address, e.g. https://www.london.gov.uk/..."),
                );
                ok = false;
            }
        }
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
                    file,
                    span: key.clone(),
                },
            );
        }
    }
    (out, errors)
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
    }
}
