//! What a link or image destination in a document points at, and why it may not resolve:
//! web addresses, relative paths, and the reference schemes `doc:`, `plan:`, `priority:` and
//! `source:`.

use super::Graph;
use crate::content::{Document, MetricId, Period, PlanId, Site, SourceId};
use crate::diag::suggest;

/// A checked destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// http(s):, mailto:, tel: or protocol-relative: published as written.
    External(String),
    /// `#section` in the same page.
    Fragment(String),
    /// A root-relative path (`/reports/`), published under the base URL's path.
    Rooted(String),
    /// Another document (`doc:` or a relative `.md` path), by index in `Site::documents`.
    Document { index: usize, fragment: String },
    /// A plan page (`plan:`), by the plan document's index.
    Plan(usize),
    /// A priority page (`priority:PLAN/PRIORITY`): plan document index, priority index.
    Priority { plan: usize, priority: usize },
    /// A cited source (`source:`).
    Source(SourceId),
    /// A figure (`metric:ID` or `metric:ID@PERIOD`): metric index, point index.
    Metric { metric: usize, point: usize },
    /// A file under content/ (image, PDF…), by its path there.
    Asset { path: String, suffix: String },
}

/// Why a destination cannot be published; `suggestion` is a close known name, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    UnsafeScheme(String),
    UnknownScheme(String),
    LeavesContent,
    NoDocument {
        path: String,
        suggestion: Option<String>,
    },
    NoFile(String),
    NoHeading {
        path: String,
        fragment: String,
        suggestion: Option<String>,
    },
    NoPlan {
        id: String,
        suggestion: Option<String>,
    },
    NoPriority {
        plan: String,
        priority: String,
        suggestion: Option<String>,
    },
    BadPriority(String),
    NoSource {
        id: String,
        suggestion: Option<String>,
    },
    NoMetric {
        id: String,
        suggestion: Option<String>,
    },
    BadPeriod(String),
    NoMetricPeriod {
        id: String,
        period: String,
        periods: Vec<String>,
    },
    NoPointBefore {
        id: String,
        date: String,
        first: String,
    },
}

fn did_you_mean(s: &Option<String>, otherwise: &str) -> String {
    match s {
        Some(s) => format!("did you mean `{s}`?"),
        None => otherwise.to_string(),
    }
}

impl LinkError {
    /// The message and the advice; `what` names the destination, e.g. "link to `a.md`".
    pub fn describe(&self, what: &str) -> (String, String) {
        match self {
            LinkError::UnsafeScheme(s) => (
                format!("{what} uses the unsafe scheme `{s}:`"),
                "link to an https: address or a file in content/ instead".into(),
            ),
            LinkError::UnknownScheme(s) => (
                format!("{what} uses the unknown scheme `{s}:`"),
                "use https:, mailto:, tel:, doc:, plan:, priority:, source:, metric:, or a path relative to this file".into(),
            ),
            LinkError::LeavesContent => {
                (format!("{what} points outside content/"), "link only to files inside content/".into())
            }
            LinkError::NoDocument { path, suggestion } => (
                format!("{what}: there is no document content/{path}"),
                did_you_mean(suggestion, "check the path; it is relative to this file"),
            ),
            LinkError::NoFile(p) => (
                format!("{what}: there is no file content/{p}"),
                "check the path (relative to this file), or add the file".into(),
            ),
            LinkError::NoHeading { path, fragment, suggestion } => (
                format!("{what}: content/{path} has no heading `#{fragment}`"),
                did_you_mean(suggestion, "link to one of its headings' ids, or to the page without #"),
            ),
            LinkError::NoPlan { id, suggestion } => (
                format!("{what}: there is no plan `{id}`"),
                did_you_mean(suggestion, "a plan is a document with kind: plan; use its id"),
            ),
            LinkError::NoPriority { plan, priority, suggestion } => (
                format!("{what}: plan `{plan}` has no priority `{priority}`"),
                did_you_mean(suggestion, "use one of the priority ids in the plan's front matter"),
            ),
            LinkError::BadPriority(v) => (
                format!("{what}: `{v}` is not PLAN/PRIORITY"),
                "write priority:plan-id/priority-id".into(),
            ),
            LinkError::NoMetric { id, suggestion } => (
                format!("{what}: there is no metric `{id}`"),
                did_you_mean(suggestion, "metrics are files in content/metrics/; use a file's name without .yaml"),
            ),
            LinkError::BadPeriod(p) => (
                format!("{what}: `{p}` is not a period"),
                "write the period as YYYY or YYYY-MM, e.g. @2021-12".into(),
            ),
            LinkError::NoMetricPeriod { id, period, periods } => (
                format!("{what}: metric `{id}` has no value for {period}"),
                format!("its periods are: {}", periods.join(", ")),
            ),
            LinkError::NoPointBefore { id, date, first } => (
                format!("{what}: metric `{id}` has no value on or before this document's date ({date})"),
                format!("name the period you mean, e.g. metric:{id}@{first}"),
            ),
            LinkError::NoSource { id, suggestion } => (
                format!("{what}: there is no source `{id}` in content/sources.yaml"),
                did_you_mean(suggestion, "add it to content/sources.yaml"),
            ),
        }
    }
}

const WEB_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];
const UNSAFE_SCHEMES: [&str; 4] = ["javascript", "data", "vbscript", "file"];

/// `scheme` of `scheme:rest`, if `dest` has one.
fn scheme(dest: &str) -> Option<&str> {
    let (s, _) = dest.split_once(':')?;
    let mut chars = s.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then_some(s)
}

/// Join `rel` onto the folder `dir` (both under content/), refusing to climb out of it.
fn join(dir: &str, rel: &str) -> Result<String, LinkError> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop().ok_or(LinkError::LeavesContent)?;
            }
            s => parts.push(s),
        }
    }
    Ok(parts.join("/"))
}

fn split_fragment(s: &str) -> (&str, &str) {
    s.split_once('#').unwrap_or((s, ""))
}

/// A document by its path under content/ (with `.md`), with its heading checked.
fn document(
    graph: &Graph,
    site: &Site,
    path: &str,
    fragment: &str,
    shown: impl Fn(&str) -> String,
) -> Result<Target, LinkError> {
    let Some(&index) = graph.by_path.get(path) else {
        let suggestion = suggest(
            &shown(path),
            site.documents
                .iter()
                .map(|d| shown(&d.path.0))
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str),
        )
        .map(str::to_string);
        return Err(LinkError::NoDocument {
            path: path.to_string(),
            suggestion,
        });
    };
    let headings = &site.documents[index].scan.headings;
    if !fragment.is_empty() && !headings.iter().any(|h| h == fragment) {
        return Err(LinkError::NoHeading {
            path: path.to_string(),
            fragment: fragment.to_string(),
            suggestion: suggest(fragment, headings.iter().map(String::as_str))
                .map(|s| format!("#{s}")),
        });
    }
    Ok(Target::Document {
        index,
        fragment: fragment.to_string(),
    })
}

pub(super) fn plan(graph: &Graph, id: &str) -> Result<usize, LinkError> {
    graph
        .plan_by_id
        .get(&PlanId(id.to_string()))
        .copied()
        .ok_or_else(|| LinkError::NoPlan {
            id: id.to_string(),
            suggestion: suggest(id, graph.plan_by_id.keys().map(PlanId::as_str))
                .map(str::to_string),
        })
}

pub(super) fn priority(
    graph: &Graph,
    site: &Site,
    plan_id: &str,
    priority_id: &str,
) -> Result<Target, LinkError> {
    let plan_index = plan(graph, plan_id)?;
    let defs = site.documents[plan_index]
        .plan
        .as_ref()
        .map_or(&[][..], |p| &p.priorities[..]);
    match defs.iter().position(|d| d.id.as_str() == priority_id) {
        Some(priority) => Ok(Target::Priority {
            plan: plan_index,
            priority,
        }),
        None => Err(LinkError::NoPriority {
            plan: plan_id.to_string(),
            priority: priority_id.to_string(),
            suggestion: suggest(priority_id, defs.iter().map(|d| d.id.as_str()))
                .map(str::to_string),
        }),
    }
}

pub(super) fn metric_index(graph: &Graph, site: &Site, id: &str) -> Result<usize, LinkError> {
    graph
        .metric_by_id
        .get(&MetricId(id.to_string()))
        .copied()
        .ok_or_else(|| LinkError::NoMetric {
            id: id.to_string(),
            suggestion: suggest(id, site.metrics.iter().map(|m| m.id.as_str())).map(str::to_string),
        })
}

/// `ID@PERIOD` names a point; `ID` alone means the latest point on or before the document's
/// date (or the latest, for undated pages), so new data never changes an old document.
fn metric(graph: &Graph, site: &Site, from: &Document, value: &str) -> Result<Target, LinkError> {
    let (id, period) = value
        .split_once('@')
        .map_or((value, None), |(i, p)| (i, Some(p)));
    let index = metric_index(graph, site, id)?;
    let m = &site.metrics[index];
    let point = match period {
        Some(text) => {
            let p = Period::parse(text).ok_or_else(|| LinkError::BadPeriod(text.to_string()))?;
            m.series.iter().position(|q| q.period == p).ok_or_else(|| {
                LinkError::NoMetricPeriod {
                    id: id.to_string(),
                    period: text.to_string(),
                    periods: m.series.iter().map(|q| q.period.to_string()).collect(),
                }
            })?
        }
        None => match from.date {
            None => m.series.len() - 1,
            Some(date) => m
                .series
                .iter()
                .rposition(|q| q.period.first_day() <= date)
                .ok_or_else(|| LinkError::NoPointBefore {
                    id: id.to_string(),
                    date: date.to_string(),
                    first: m.series[0].period.to_string(),
                })?,
        },
    };
    Ok(Target::Metric {
        metric: index,
        point,
    })
}

pub(super) fn classify(
    graph: &Graph,
    site: &Site,
    from: &Document,
    dest: &str,
) -> Result<Target, LinkError> {
    if let Some(frag) = dest.strip_prefix('#') {
        return Ok(Target::Fragment(frag.to_string()));
    }
    if dest.starts_with("//") {
        return Ok(Target::External(dest.to_string()));
    }
    if let Some(s) = scheme(dest) {
        let value = &dest[s.len() + 1..];
        return match s.to_ascii_lowercase().as_str() {
            "doc" => {
                let (path, fragment) = split_fragment(value);
                // `doc:` paths start at content/, and may not climb out of it.
                let path = format!("{}.md", join("", path)?);
                document(graph, site, &path, fragment, |p| {
                    format!("doc:{}", p.trim_end_matches(".md"))
                })
            }
            "plan" => plan(graph, value).map(Target::Plan),
            "priority" => match value.split_once('/') {
                Some((p, q)) => priority(graph, site, p, q),
                None => Err(LinkError::BadPriority(value.to_string())),
            },
            "source" => {
                let id = SourceId(value.to_string());
                if site.sources.contains_key(&id) {
                    Ok(Target::Source(id))
                } else {
                    let suggestion = suggest(value, site.sources.keys().map(SourceId::as_str))
                        .map(str::to_string);
                    Err(LinkError::NoSource {
                        id: value.to_string(),
                        suggestion,
                    })
                }
            }
            "metric" => metric(graph, site, from, value),
            l if WEB_SCHEMES.contains(&l) => Ok(Target::External(dest.to_string())),
            l if UNSAFE_SCHEMES.contains(&l) => Err(LinkError::UnsafeScheme(s.to_string())),
            _ => Err(LinkError::UnknownScheme(s.to_string())),
        };
    }
    if let Some(rooted) = dest.strip_prefix('/') {
        return Ok(Target::Rooted(rooted.to_string()));
    }
    let cut = dest.find(['#', '?']).unwrap_or(dest.len());
    let (path, suffix) = dest.split_at(cut);
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let joined = join(from.path.dir(), &decoded)?;
    if joined.ends_with(".md") {
        let fragment = suffix.split_once('#').map_or("", |(_, f)| f);
        let dir = from.path.dir().to_string();
        document(graph, site, &joined, fragment, move |p| relative(&dir, p))
    } else if site.assets.contains(&joined) {
        Ok(Target::Asset {
            path: joined,
            suffix: suffix.to_string(),
        })
    } else {
        Err(LinkError::NoFile(joined))
    }
}

/// `path` (under content/) as a link written in a file in folder `dir` would name it.
fn relative(dir: &str, path: &str) -> String {
    let from: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = path.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&to[common..]);
    out.join("/")
}

/// Percent-encode a site path for use in an href, keeping `/`.
pub fn encode_path(path: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(path, SET).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_stays_inside_content() {
        assert_eq!(join("reports/", "../plans/p.md"), Ok("plans/p.md".into()));
        assert_eq!(
            join("reports/", "img/./a.png"),
            Ok("reports/img/a.png".into())
        );
        assert_eq!(
            join("reports/", "../../etc/passwd"),
            Err(LinkError::LeavesContent)
        );
        assert_eq!(join("", "../etc/passwd"), Err(LinkError::LeavesContent));
        assert_eq!(join("", "/reports/a/"), Ok("reports/a".into()));
    }

    #[test]
    fn relative_paths_for_suggestions() {
        assert_eq!(relative("reports/", "plans/p.md"), "../plans/p.md");
        assert_eq!(relative("reports/", "reports/a.md"), "a.md");
        assert_eq!(relative("", "reports/a.md"), "reports/a.md");
    }

    #[test]
    fn schemes() {
        assert_eq!(scheme("https://x"), Some("https"));
        assert_eq!(scheme("doc:reports/x"), Some("doc"));
        assert_eq!(scheme("a.md"), None);
        assert_eq!(scheme("2024-01-01 notes: x.md"), None);
    }

    #[test]
    fn encodes_paths() {
        assert_eq!(
            encode_path("reports/my chart.png"),
            "reports/my%20chart.png"
        );
    }
}
