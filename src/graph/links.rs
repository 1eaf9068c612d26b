//! What a link or image destination in a document points at, and why it may not resolve:
//! web addresses, paths from the site's root, relative paths, and the reference schemes
//! `doc:`, `plan:`, `priority:`, `source:` and `metric:`. A destination is judged as a browser
//! reads it (see [`crate::address`]).

use super::{Graph, Output, PriorityKey};
use crate::address::{browser_form, is_protocol_relative, scheme_relative_message};
use crate::content::{DocIx, Document, MetricId, MetricIx, Period, PlanId, PlanIx, Site, SourceId};
use crate::diag::suggest;

/// A checked destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// http(s):, mailto: or tel:, published as the browser reads it (see [`browser_form`]).
    External(String),
    /// `#section` in the same page.
    Fragment(String),
    /// A page or file the build makes, named from the site's root (`/reports/`,
    /// `/metrics/x/data.csv`): its path (`reports/`), what followed it (`?q=x#y`), and whether
    /// it is an HTML page. Published under the base URL's path.
    Rooted {
        path: String,
        suffix: String,
        page: bool,
    },
    /// Another document (`doc:` or a relative `.md` path).
    Document { index: DocIx, fragment: String },
    /// A plan page (`plan:`).
    Plan(PlanIx),
    /// A priority page (`priority:PLAN/PRIORITY`).
    Priority(PriorityKey),
    /// A cited source (`source:`).
    Source(SourceId),
    /// A figure (`metric:ID` or `metric:ID@PERIOD`): the metric, and the point's place in
    /// its series.
    Metric { metric: MetricIx, point: usize },
    /// A file under content/ (image, PDF…), by its path there.
    Asset { path: String, suffix: String },
}

/// Why a destination cannot be published; `suggestion` is a close known name, if any, and
/// `hint` that or the known names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LinkError {
    UnsafeScheme(String),
    UnknownScheme(String),
    /// `//host/path` (or `\\host`): another site, over whichever scheme the page came by.
    ProtocolRelative(String),
    /// `https:` or `http:` without `//` and a host, or that a browser cannot read.
    NoHost(String),
    LeavesContent,
    /// A `/path` that climbs above the site's root.
    LeavesSite,
    /// A `/path` that names nothing the build makes; `suggestion` is written as a link.
    NoPage {
        path: String,
        suggestion: Option<String>,
    },
    /// A `/path` that starts with the base URL's path, which `/` links get anyway: `without`
    /// is the link without it.
    BasePathTwice {
        path: String,
        without: String,
    },
    NoDocument {
        path: String,
        /// Written `doc:`, whose path starts at content/, rather than relative to the file.
        from_content: bool,
        hint: Hint,
    },
    NoFile(String),
    NoHeading {
        path: String,
        fragment: String,
        suggestion: Option<String>,
    },
    NoPlan {
        id: String,
        hint: Hint,
    },
    NoPriority {
        plan: String,
        priority: String,
        hint: Hint,
    },
    BadPriority(String),
    NoSource {
        id: String,
        hint: Hint,
    },
    NoMetric {
        id: String,
        hint: Hint,
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
    /// An address under the site's base URL that names nothing the build makes;
    /// `suggestion` is written as a full address.
    NoSelfPage {
        suggestion: Option<String>,
    },
}

/// A series' periods for a message: all of a short one; the first and last few of a long one,
/// so a bad link to a series of thousands of points does not print them all.
fn some_periods(periods: &[String]) -> String {
    const SHOWN: usize = 3;
    if periods.len() <= 3 * SHOWN {
        return periods.join(", ");
    }
    format!(
        "{}, … ({} more) …, {}",
        periods[..SHOWN].join(", "),
        periods.len() - 2 * SHOWN,
        periods[periods.len() - SHOWN..].join(", ")
    )
}

/// What the help offers for an id or path that names nothing: a close known one, else the
/// known ones, so that a writer who guessed can see what there is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Hint {
    /// A close known name, as it would be written.
    Near(String),
    /// No close one: the known names, as [`crate::diag::known_list`] writes them; empty when
    /// there are none.
    Known(String),
}

impl Hint {
    /// The hint for `word` among `known`, which are offered in the order given.
    pub(crate) fn new<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> Hint {
        let known: Vec<&str> = known.into_iter().collect();
        match suggest(word, known.iter().copied()) {
            Some(s) => Hint::Near(s.to_string()),
            None => Hint::Known(crate::diag::known_list(&known)),
        }
    }

    /// The help: "did you mean", else `listed` followed by the known names, else `otherwise`
    /// (when there are none).
    pub(crate) fn help(&self, listed: &str, otherwise: &str) -> String {
        match self {
            Hint::Near(s) => crate::diag::did_you_mean(s),
            Hint::Known(list) if list.is_empty() => otherwise.to_string(),
            Hint::Known(list) => format!("{listed}{list}"),
        }
    }
}

fn did_you_mean(s: &Option<String>, otherwise: &str) -> String {
    match s {
        Some(s) => crate::diag::did_you_mean(s),
        None => otherwise.to_string(),
    }
}

impl LinkError {
    /// The message and the advice; `what` names the destination, e.g. "link to `a.md`".
    pub(crate) fn describe(&self, what: &str) -> (String, String) {
        match self {
            LinkError::UnsafeScheme(s) => (
                format!("{what} uses the unsafe scheme `{s}:`"),
                "link to an https: address or a file in content/ instead".into(),
            ),
            LinkError::UnknownScheme(s) => (
                format!("{what} uses the unknown scheme `{s}:`"),
                "use https:, mailto:, tel:, doc:, plan:, priority:, source:, metric:, or a path relative to this file".into(),
            ),
            LinkError::ProtocolRelative(d) => scheme_relative_message(what, d),
            LinkError::NoHost(s) => (
                format!("{what} is not a valid {s}: address"),
                format!("write it as {s}://host/path; for a page of this site use doc:, a `/` path or a path relative to this file"),
            ),
            LinkError::LeavesContent => {
                (format!("{what} points outside content/"), "link only to files inside content/".into())
            }
            LinkError::LeavesSite => (
                format!("{what} climbs above the site's root"),
                "`/` paths start at the site's root; link to one of its pages".into(),
            ),
            LinkError::NoPage { path, suggestion } => (
                format!("{what}: the site has no page or file `/{path}`"),
                did_you_mean(
                    suggestion,
                    "`/` paths name the pages and files the build makes, from the site's root; to link a document, use doc:PATH or a path relative to this file",
                ),
            ),
            LinkError::BasePathTwice { path, without } => (
                format!("{what}: `/{path}` starts with the base URL's path, which is added to every `/` link"),
                format!("write `/{without}`"),
            ),
            LinkError::NoDocument { path, from_content, hint } => {
                let advice = if *from_content {
                    "check the path; doc: paths start at content/, not at this file's folder"
                } else {
                    "check the path; it is relative to this file"
                };
                (
                    format!("{what}: there is no document content/{path}"),
                    hint.help(&format!("{advice}; known documents: "), advice),
                )
            }
            LinkError::NoFile(p) => (
                format!("{what}: there is no file content/{p}"),
                "check the path (relative to this file), or add the file".into(),
            ),
            LinkError::NoHeading { path, fragment, suggestion } => (
                format!("{what}: content/{path} has no heading `#{fragment}`"),
                did_you_mean(suggestion, "link to one of its headings' ids, or to the page without #"),
            ),
            LinkError::NoPlan { id, hint } => (
                format!("{what}: there is no plan `{id}`"),
                hint.help("known plans: ", "a plan is a document with kind: plan; use its id"),
            ),
            LinkError::NoPriority { plan, priority, hint } => (
                format!("{what}: plan `{plan}` has no priority `{priority}`"),
                hint.help(
                    &format!("plan `{plan}`'s priorities are: "),
                    &format!("plan `{plan}` defines no priorities: add them to its front matter, as `priorities:`"),
                ),
            ),
            LinkError::BadPriority(v) => (
                format!("{what}: `{v}` is not PLAN/PRIORITY"),
                "write priority:plan-id/priority-id".into(),
            ),
            LinkError::NoMetric { id, hint } => (
                format!("{what}: there is no metric `{id}`"),
                hint.help("known metrics: ", "metrics are files in content/metrics/; use a file's name without .yaml"),
            ),
            LinkError::BadPeriod(p) => (
                format!("{what}: `{p}` is not a period"),
                "write the period as YYYY or YYYY-MM, e.g. @2021-12".into(),
            ),
            LinkError::NoMetricPeriod { id, period, periods } => (
                format!("{what}: metric `{id}` has no value for {period}"),
                format!("its periods are: {}", some_periods(periods)),
            ),
            LinkError::NoPointBefore { id, date, first } => (
                format!("{what}: metric `{id}` has no value on or before this document's date ({date})"),
                format!("name the period you mean, e.g. metric:{id}@{first}"),
            ),
            LinkError::NoSelfPage { suggestion } => (
                format!("{what} is under the site's base_url, but the site has no page or file there"),
                did_you_mean(
                    suggestion,
                    "addresses under base_url name the pages and files the build makes; if another system serves this one, add its path to external_paths in site.yaml",
                ),
            ),
            LinkError::NoSource { id, hint } => (
                format!("{what}: there is no source `{id}` in content/sources.yaml"),
                hint.help(SOURCE_KNOWN, SOURCE_ADVICE),
            ),
        }
    }
}

/// The advice for an unknown source, and its start when there are sources to list.
pub(crate) const SOURCE_ADVICE: &str = "add it to content/sources.yaml";
pub(crate) const SOURCE_KNOWN: &str = "add it to content/sources.yaml, or use a known source: ";

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

/// A document by its path under content/ (with `.md`), with its heading checked; `from_content`
/// when the link was `doc:` rather than a relative path.
fn document(
    graph: &Graph,
    site: &Site,
    path: &str,
    fragment: &str,
    from_content: bool,
    shown: impl Fn(&str) -> String,
) -> Result<Target, LinkError> {
    let Some(&index) = graph.by_path.get(path) else {
        let known: Vec<String> = site.documents.iter().map(|d| shown(&d.path.0)).collect();
        return Err(LinkError::NoDocument {
            path: path.to_string(),
            from_content,
            hint: Hint::new(&shown(path), known.iter().map(String::as_str)),
        });
    };
    heading(site, index, fragment)
}

/// Document `index`, at its heading `fragment` (none if empty), which it must have.
fn heading(site: &Site, index: DocIx, fragment: &str) -> Result<Target, LinkError> {
    let d = &site.documents[index];
    let headings = &d.scan.headings;
    if !fragment.is_empty() && !headings.iter().any(|h| h == fragment) {
        return Err(LinkError::NoHeading {
            path: d.path.0.clone(),
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

/// A path from the site's root (`rest` is what follows the `/`): a page or file the build
/// makes, or a file under content/ (which the link publishes). A folder without its last `/`
/// is taken as the folder (servers redirect there; the link gets the `/`).
fn rooted(graph: &Graph, site: &Site, rest: &str) -> Result<Target, LinkError> {
    let cut = rest.find(['#', '?']).unwrap_or(rest.len());
    let (path, suffix) = rest.split_at(cut);
    let fragment = suffix.split_once('#').map_or("", |(_, f)| f);
    let Some(asked) = site_path(path)? else {
        return Err(no_page(graph, site, path, path));
    };
    let folder = asked.is_empty() || asked.ends_with('/');
    let index = |folder: &str| {
        let folder = if folder.is_empty() || folder.ends_with('/') {
            folder.to_string()
        } else {
            format!("{folder}/")
        };
        let page = graph.written.get(&format!("{folder}index.html"));
        page.map(|o| (*o, folder))
    };
    let found = if folder {
        index(&asked)
    } else {
        let file = graph.written.get(&asked).map(|o| (*o, asked.clone()));
        file.or_else(|| index(&asked))
    };
    match found {
        Some((Output::Document(index), _)) => heading(site, index, fragment),
        Some((kind, path)) => Ok(Target::Rooted {
            path,
            suffix: suffix.to_string(),
            page: kind == Output::Page,
        }),
        None if !folder && site.assets.contains(&asked) => Ok(Target::Asset {
            path: asked,
            suffix: suffix.to_string(),
        }),
        None => Err(no_page(graph, site, path, &asked)),
    }
}

/// The file a browser asks for at `/path` (`path` without its `/`), as the URL standard reads
/// it: `.` and `..` segments (also spelt `%2e`) resolved, empty segments kept, the rest
/// percent-decoded. `None` when a segment decodes to a slash, which no file name holds.
fn site_path(path: &str) -> Result<Option<String>, LinkError> {
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    let mut out: Vec<String> = Vec::with_capacity(segments.len());
    for (i, segment) in segments.iter().enumerate() {
        let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
        match decoded.as_ref() {
            ".." => {
                out.pop().ok_or(LinkError::LeavesSite)?;
            }
            "." => {}
            s if s.contains(['/', '\\']) => return Ok(None),
            s => {
                out.push(s.to_string());
                continue;
            }
        }
        // A dot segment at the end leaves a folder.
        if i == last {
            out.push(String::new());
        }
    }
    Ok(Some(out.join("/")))
}

/// Why `/path` names nothing, with the likeliest link meant: the same path without the base
/// URL's path, the page of a document named by its file, or a close name.
fn no_page(graph: &Graph, site: &Site, path: &str, joined: &str) -> LinkError {
    let base = site.config.base_url.path().trim_start_matches('/');
    let folder = if joined.is_empty() || joined.ends_with('/') {
        joined.to_string()
    } else {
        format!("{joined}/")
    };
    if let Some(without) = folder.strip_prefix(base).filter(|_| !base.is_empty())
        && rooted(graph, site, without).is_ok()
    {
        return LinkError::BasePathTwice {
            path: path.to_string(),
            without: without.to_string(),
        };
    }
    let document = graph
        .by_path
        .get(joined)
        .map(|&i| format!("/{}", site.documents[i].url.0));
    let suggestion = document.or_else(|| {
        let mut links: Vec<String> = graph
            .written
            .keys()
            .map(|f| f.strip_suffix("index.html").unwrap_or(f))
            .chain(site.assets.iter().map(String::as_str))
            .map(|f| format!("/{f}"))
            .collect();
        // Sorted, so that of two equally close names the same one is offered every time.
        links.sort_unstable();
        suggest(&format!("/{path}"), links.iter().map(String::as_str)).map(str::to_string)
    });
    LinkError::NoPage {
        path: path.to_string(),
        suggestion,
    }
}

pub(super) fn plan(graph: &Graph, id: &str) -> Result<PlanIx, LinkError> {
    graph
        .plan_by_id
        .get(&PlanId(id.to_string()))
        .copied()
        .ok_or_else(|| LinkError::NoPlan {
            id: id.to_string(),
            hint: Hint::new(id, graph.plan_by_id.keys().map(PlanId::as_str)),
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
        Some(priority) => Ok(Target::Priority(PriorityKey {
            plan: plan_index,
            priority,
        })),
        None => Err(LinkError::NoPriority {
            plan: plan_id.to_string(),
            priority: priority_id.to_string(),
            hint: Hint::new(priority_id, defs.iter().map(|d| d.id.as_str())),
        }),
    }
}

pub(super) fn metric_index(graph: &Graph, site: &Site, id: &str) -> Result<MetricIx, LinkError> {
    graph
        .metric_by_id
        .get(&MetricId(id.to_string()))
        .copied()
        .ok_or_else(|| LinkError::NoMetric {
            id: id.to_string(),
            hint: Hint::new(id, site.metrics.iter().map(|m| m.id.as_str())),
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
            // A series is in time order: halve it rather than read it.
            m.series
                .binary_search_by(|q| q.period.cmp(&p))
                .map_err(|_| LinkError::NoMetricPeriod {
                    id: id.to_string(),
                    period: text.to_string(),
                    periods: m.series.iter().map(|q| q.period.to_string()).collect(),
                })?
        }
        None => match from.date {
            None => m.series.len() - 1,
            Some(date) => m
                .series
                .partition_point(|q| q.period.first_day() <= date)
                .checked_sub(1)
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
    let dest = browser_form(dest);
    let dest = dest.as_ref();
    if let Some(frag) = dest.strip_prefix('#') {
        return Ok(Target::Fragment(frag.to_string()));
    }
    if is_protocol_relative(dest) {
        return Err(LinkError::ProtocolRelative(dest.to_string()));
    }
    if let Some(s) = scheme(dest) {
        let value = &dest[s.len() + 1..];
        return match s.to_ascii_lowercase().as_str() {
            "doc" => {
                let (path, fragment) = split_fragment(value);
                // `doc:` paths start at content/, and may not climb out of it.
                let path = format!("{}.md", join("", path)?);
                document(graph, site, &path, fragment, true, |p| {
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
                    Err(LinkError::NoSource {
                        id: value.to_string(),
                        hint: Hint::new(value, site.sources.keys().map(SourceId::as_str)),
                    })
                }
            }
            "metric" => metric(graph, site, from, value),
            "http" | "https" if !has_host(dest, value) => Err(LinkError::NoHost(s.to_string())),
            "http" | "https" => match site.config.own_address(dest) {
                Some(rest) => own(graph, site, &rest),
                None => Ok(Target::External(dest.to_string())),
            },
            l if WEB_SCHEMES.contains(&l) => Ok(Target::External(dest.to_string())),
            l if UNSAFE_SCHEMES.contains(&l) => Err(LinkError::UnsafeScheme(s.to_string())),
            _ => Err(LinkError::UnknownScheme(s.to_string())),
        };
    }
    if let Some(rest) = dest.strip_prefix('/') {
        return rooted(graph, site, rest);
    }
    let cut = dest.find(['#', '?']).unwrap_or(dest.len());
    let (path, suffix) = dest.split_at(cut);
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let joined = join(from.path.dir(), &decoded)?;
    if joined.ends_with(".md") {
        let fragment = suffix.split_once('#').map_or("", |(_, f)| f);
        let dir = from.path.dir().to_string();
        document(graph, site, &joined, fragment, false, move |p| {
            relative(&dir, p)
        })
    } else if site.assets.contains(&joined) {
        Ok(Target::Asset {
            path: joined,
            suffix: suffix.to_string(),
        })
    } else {
        Err(LinkError::NoFile(joined))
    }
}

/// An address of this site, by what follows its base URL: what a `/` link to the same path
/// names (a page or file the build makes, a document's heading, a file under content/), or
/// why not, with the nearest page as a full address.
pub(super) fn own(graph: &Graph, site: &Site, rest: &str) -> Result<Target, LinkError> {
    let base = &site.config.base_url;
    rooted(graph, site, rest).map_err(|e| match e {
        LinkError::NoPage { suggestion, .. } => LinkError::NoSelfPage {
            suggestion: suggestion
                .map(|s| base.absolute(&crate::urls::encode_path(s.trim_start_matches('/')))),
        },
        LinkError::BasePathTwice { without, .. } => LinkError::NoSelfPage {
            suggestion: Some(base.absolute(&crate::urls::encode_path(&without))),
        },
        e => e,
    })
}

/// Whether an `http:` or `https:` address has `//` and a host, and is one a browser can read
/// (by the url crate, a WHATWG parser as in browsers). Without `//` a browser reads it against
/// the page's own address (`https:x` is a page of this site); one it cannot read goes nowhere.
fn has_host(dest: &str, value: &str) -> bool {
    value.starts_with("//")
        && url::Url::parse(dest).is_ok_and(|u| u.host_str().is_some_and(|h| !h.is_empty()))
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

#[cfg(test)]
mod tests {
    #[test]
    fn a_long_series_is_not_listed_whole_in_a_message() {
        let periods: Vec<String> = (2000..2024).map(|y| y.to_string()).collect();
        assert_eq!(
            some_periods(&periods),
            "2000, 2001, 2002, … (18 more) …, 2021, 2022, 2023"
        );
        assert_eq!(some_periods(&periods[..2]), "2000, 2001");
    }

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
}

/// Property tests of the reference parser: [`scheme`], [`join`], [`split_fragment`] against
/// small models, and [`classify`] on a small loaded site (the probe site plus a few documents
/// in nested folders with awkward headings).
#[cfg(test)]
mod props {
    use super::*;
    use crate::address::noise::{noise, noisy};
    use crate::content::{self, Document};
    use crate::probe::Probe;
    use proptest::prelude::*;

    /// RFC 3986: `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`, checked byte by byte.
    fn is_rfc3986_scheme(s: &str) -> bool {
        let b = s.as_bytes();
        !b.is_empty()
            && b[0].is_ascii_alphabetic()
            && b[1..]
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || c == b'+' || c == b'-' || c == b'.')
    }

    /// How deep below content/ a path climbs at its lowest: the model of [`join`]. `None` when
    /// some `..` would leave content/; otherwise the segments of the result.
    fn model_join(dir: &str, rel: &str) -> Option<Vec<String>> {
        let mut depth: usize = 0;
        let mut out: Vec<String> = Vec::new();
        let segments = dir
            .split('/')
            .filter(|s| !s.is_empty())
            .chain(rel.split('/'));
        for seg in segments {
            if seg == ".." {
                depth = depth.checked_sub(1)?;
                out.truncate(depth);
            } else if !seg.is_empty() && seg != "." {
                out.truncate(depth);
                out.push(seg.to_string());
                depth += 1;
            }
        }
        Some(out)
    }

    /// Path segments, with the ones that look like `..` but are not.
    fn segment() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "..", "..", "..", ".", "", "a", "b", "reports", "x.md", "...", ".. ", "a..b", "..a",
            "é", "%2e%2e", "\\..", "..\\",
        ])
    }

    fn rel_path() -> impl Strategy<Value = String> {
        (
            any::<bool>(),
            prop::collection::vec(segment(), 0..8),
            any::<bool>(),
        )
            .prop_map(|(lead, segs, trail)| {
                let mut s = segs.join("/");
                if lead {
                    s.insert(0, '/');
                }
                if trail {
                    s.push('/');
                }
                s
            })
    }

    fn dir() -> impl Strategy<Value = String> {
        prop::sample::select(vec!["", "reports/", "a/b/", "plans/", "a/b/c/d/"])
            .prop_map(String::from)
    }

    /// The probe site with a few more documents: an undated page at the top, a folder index,
    /// a deep one, each with headings that repeat, have unicode or an explicit id.
    struct Fixture {
        _probe: Probe,
        site: Site,
        graph: Graph,
    }

    const EXTRA: &[(&str, &str)] = &[
        (
            "content/about.md",
            "---\ntitle: About\n---\n## Who we are\n\n## Who we are\n\n### Ünïcode ✓ 日本\n",
        ),
        (
            "content/guides/index.md",
            "---\ntitle: Guides\n---\n## Start {#own-id}\n\nText.\n",
        ),
        (
            "content/a/b/deep-doc.md",
            "---\ntitle: Deep\n---\n## Deep *heading*\n\n## `code` heading\n\nSee [About](../../about.md#who-we-are), [trust](priority:plan-a/trust) and [the survey](source:pas).\n",
        ),
        (
            "content/reports/2024-05-01-probe.md",
            "---\ntitle: Probe\ndate: 2024-05-01\nsummary: S.\n---\n## Findings\n\n## 2024\n",
        ),
    ];

    fn fixture() -> Fixture {
        let probe = Probe::new().expect("probe site");
        for (path, text) in EXTRA {
            let path = probe.root().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let loaded = content::load(probe.root());
        let site = loaded.site.expect("the fixture site loads");
        assert_eq!(
            site.documents.len(),
            6,
            "{:?}",
            loaded.diagnostics.render(&loaded.sources)
        );
        let (graph, problems) = super::super::resolve(&site, &loaded.sources, false);
        assert!(problems.is_empty(), "{problems:?}");
        Fixture {
            _probe: probe,
            site,
            graph,
        }
    }

    impl Fixture {
        /// The index of the probe document, which the examples link from.
        fn probe(&self) -> usize {
            self.site
                .documents
                .iter()
                .position(|d| d.path.0 == "reports/2024-05-01-probe.md")
                .unwrap()
        }

        fn classify(&self, from: usize, dest: &str) -> Result<Target, LinkError> {
            classify(&self.graph, &self.site, &self.site.documents[from], dest)
        }

        fn docs(&self) -> impl Strategy<Value = (usize, usize)> {
            let n = self.site.documents.len();
            (0..n, 0..n)
        }

        fn doc(&self, i: usize) -> &Document {
            &self.site.documents[i]
        }
    }

    /// Another way to write the path `path` (segments joined by `/`) that means the same:
    /// `./` and `x/../` detours, doubled slashes, a leading slash.
    fn respell(path: &str, noise: &[(u8, bool)], lead: bool) -> String {
        let mut out: Vec<String> = Vec::new();
        for (i, seg) in path.split('/').enumerate() {
            if let Some(&(kind, double)) = noise.get(i) {
                match kind % 4 {
                    0 => out.push(".".into()),
                    1 => out.push("detour/..".into()),
                    2 => out.push("./.".into()),
                    _ => {}
                }
                if double {
                    out.push(String::new());
                }
            }
            out.push(seg.to_string());
        }
        let s = out.join("/");
        if lead { format!("/{s}") } else { s }
    }

    /// Percent-encode the characters of `s` chosen by `mask` (and always any `%`).
    fn percent_encode_some(s: &str, mask: &[bool]) -> String {
        s.chars()
            .enumerate()
            .map(|(i, c)| {
                if c == '%' || (c != '/' && c != '.' && mask.get(i).copied().unwrap_or(false)) {
                    let mut buf = [0; 4];
                    c.encode_utf8(&mut buf)
                        .bytes()
                        .map(|b| format!("%{b:02X}"))
                        .collect()
                } else {
                    c.to_string()
                }
            })
            .collect()
    }

    fn random_case(s: &str, mask: &[bool]) -> String {
        s.chars()
            .enumerate()
            .map(|(i, c)| {
                if mask.get(i).copied().unwrap_or(false) {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect()
    }

    /// Destinations as authors write them, and as they should not.
    fn destination() -> impl Strategy<Value = String> {
        let fixed = prop::sample::select(vec![
            "doc:reports/2024-01-02-other#findings",
            "doc:reports/2024-01-02-other",
            "doc:",
            "doc:#",
            "doc:../x",
            "plan:plan-a",
            "plan:",
            "priority:plan-a/trust",
            "priority:plan-a/",
            "priority:/",
            "priority:plan-a",
            "priority:a/b/c",
            "source:pas",
            "source:",
            "metric:pas-good@2021-12",
            "metric:pas-good",
            "metric:pas-good@",
            "metric:pas-good@2021-13",
            "metric:pas-good@1999",
            "metric:@",
            "metric:nope@2021",
            "../../etc/passwd",
            "../reports/2024-01-02-other.md#findings",
            "2024-01-02-other.md?x=1#findings",
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>",
            "vbscript:x",
            "file:///etc/passwd",
            "https://example.org/a#b",
            "mailto:a@example.org",
            "tel:+44",
            "//example.org",
            "/reports/",
            "#",
            "#findings",
            "?",
            ":",
            "%",
            "%zz",
            "%ff%fe",
            "a%2F..%2F..%2Fetc",
            "\u{0}",
            "é:x",
            "1http:x",
            // Scheme-relative, however spelt.
            "//evil.example/t.gif",
            "\\\\evil.example",
            "/\\evil.example",
            "\\/evil.example",
            " //evil.example",
            "/\t/evil.example",
            "&#47;&#47;evil.example",
            // Script addresses as a browser would still read them.
            "jav\tascript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:alert(1)",
            " JavaScript:alert(1)",
            // Web addresses without a host.
            "https:evil.example",
            "https:",
            "http:/x",
            "https:///x",
            "https://",
            // Paths from the site's root.
            "/",
            "/reports",
            "/reports/index.html",
            "/does/not/exist",
            "/../x",
            "/%2e%2e/x",
            "/./reports/../plans/plan-a/",
            "/reports/2024-01-02-other/#findings",
            "/reports/2024-01-02-other/#nope",
            "/reports/2024-01-02-other.md",
            "/probe/reports/",
            "/metrics/pas-good/data.csv",
            "/metrics/pas-good/data.csv/",
            "/feed.xml",
            "/sitemap.xml?x#y",
            "/static/",
            "/search/",
        ])
        .prop_map(String::from);
        prop_oneof![
            4 => fixed,
            2 => (
                prop::sample::select(vec!["doc:", "plan:", "priority:", "source:", "metric:", "", "/", "#", "https:", "//", "\\\\", "https://"]),
                rel_path(),
                prop::option::of("[#@?%/:a-z0-9é-]{0,6}"),
            ).prop_map(|(s, p, tail)| format!("{s}{p}{}", tail.unwrap_or_default())),
            1 => any::<String>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1024, failure_persistence: None, ..ProptestConfig::default() })]

        /// `scheme` accepts exactly RFC 3986 scheme syntax before the first `:`.
        #[test]
        fn scheme_is_rfc3986_before_the_first_colon(
            prefix in prop_oneof![
                "[A-Za-z][A-Za-z0-9+.-]{0,8}",
                "[A-Za-z0-9+.\\-_ é/#?@%]{0,6}",
                any::<String>(),
            ],
            rest in prop_oneof![Just(None), any::<String>().prop_map(Some)],
        ) {
            let dest = match &rest {
                Some(r) => format!("{prefix}:{r}"),
                None => prefix.clone(),
            };
            let before = dest.split(':').next().unwrap_or_default();
            let want = (dest.contains(':') && is_rfc3986_scheme(before)).then_some(before);
            prop_assert_eq!(scheme(&dest), want, "dest {:?}", dest);
        }

        #[test]
        fn split_fragment_cuts_at_the_first_hash(s in "[a-z#/.é]{0,10}") {
            let (path, fragment) = split_fragment(&s);
            prop_assert!(!path.contains('#'));
            if s.contains('#') {
                prop_assert_eq!(format!("{path}#{fragment}"), s.clone());
            } else {
                prop_assert_eq!((path, fragment), (s.as_str(), ""));
            }
        }

        /// `join` never returns a climbing or absolute path, and refuses exactly the paths
        /// whose `..` climb above content/.
        #[test]
        fn join_stays_in_content_exactly_as_the_model_says(dir in dir(), rel in rel_path()) {
            let got = join(&dir, &rel);
            match (&got, model_join(&dir, &rel)) {
                (Ok(p), Some(segs)) => {
                    prop_assert_eq!(p, &segs.join("/"));
                    prop_assert!(!p.starts_with('/'));
                    prop_assert!(p.split('/').all(|s| s != ".." && s != "."));
                    prop_assert!(p.is_empty() || p.split('/').all(|s| !s.is_empty()));
                }
                (Err(LinkError::LeavesContent), None) => {}
                (got, want) => prop_assert!(false, "join({:?}, {:?}) = {:?}, model {:?}", dir, rel, got, want),
            }
        }

        /// Joining in two steps is joining once; the folder is just a prefix.
        #[test]
        fn join_composes(dir in dir(), a in rel_path(), b in rel_path()) {
            let once = join(&dir, &format!("{a}/{b}"));
            let twice = join(&dir, &a).and_then(|p| join(&p, &b));
            prop_assert_eq!(&once, &twice);
            prop_assert_eq!(join("", &format!("{dir}/{a}")), join(&dir, &a));
        }
    }

    /// A runner for one property on the fixture (a runner counts its successes across runs).
    fn runner() -> proptest::test_runner::TestRunner {
        proptest::test_runner::TestRunner::new(ProptestConfig {
            cases: 512,
            failure_persistence: None,
            ..ProptestConfig::default()
        })
    }

    /// Never panics; what it publishes as written is a web address with a host, as a browser
    /// (the url crate) reads it; everything else stays on the site, under its base path.
    #[test]
    fn classify_never_panics_and_keeps_links_on_the_site() {
        let fx = fixture();
        let n = fx.site.documents.len();
        let page = url::Url::parse("https://example.org/probe/reports/x/").unwrap();
        runner()
            .run(&(0..n, destination()), |(from, dest)| {
                match fx.classify(from, &dest) {
                    Ok(Target::External(u)) => {
                        prop_assert_eq!(&u, &browser_form(&dest));
                        let read = url::Url::parse(&u);
                        let web = read
                            .as_ref()
                            .is_ok_and(|r| WEB_SCHEMES.contains(&r.scheme()));
                        prop_assert!(web, "{:?} published as written", u);
                        let r = read.unwrap();
                        prop_assert!(
                            !r.scheme().starts_with("http")
                                || r.host_str().is_some_and(|h| !h.is_empty())
                        );
                    }
                    // A source's address comes from sources.yaml, not from the link.
                    Ok(Target::Source(_)) | Err(_) => {}
                    Ok(target) => {
                        let href = fx.graph.href(&fx.site, &target);
                        let read = page.join(&href);
                        let home = read.as_ref().is_ok_and(|r| {
                            r.host_str() == Some("example.org") && r.path().starts_with("/probe/")
                        });
                        prop_assert!(
                            home,
                            "{:?} published as {:?}, read as {:?}",
                            dest,
                            href,
                            read
                        );
                    }
                }
                Ok(())
            })
            .unwrap();
    }

    /// What a browser drops (tabs and newlines anywhere, controls and spaces at the ends)
    /// changes nothing.
    #[test]
    fn what_a_browser_drops_changes_nothing() {
        let fx = fixture();
        let n = fx.site.documents.len();
        runner()
            .run(&(0..n, destination(), noise()), |(from, dest, noise)| {
                let noisy = noisy(&dest, &noise);
                prop_assert_eq!(
                    fx.classify(from, &noisy),
                    fx.classify(from, &dest),
                    "{:?}",
                    noisy
                );
                Ok(())
            })
            .unwrap();
    }

    /// Scheme-relative addresses are refused however they are spelt.
    #[test]
    fn scheme_relative_addresses_are_refused() {
        let fx = fixture();
        let n = fx.site.documents.len();
        let elsewhere = (
            0..n,
            prop::sample::select(vec!["//", "\\\\", "/\\", "\\/"]),
            "[a-z.]{1,12}(/[a-z.?#]{0,6})?",
            noise(),
        );
        runner()
            .run(&elsewhere, |(from, lead, rest, noise)| {
                let dest = noisy(&format!("{lead}{rest}"), &noise);
                let refused = matches!(
                    fx.classify(from, &dest),
                    Err(LinkError::ProtocolRelative(_))
                );
                prop_assert!(refused, "{:?}", dest);
                Ok(())
            })
            .unwrap();
    }

    /// A `/path` resolves exactly when the page or file a browser would ask for (read by
    /// the url crate, with what the link's published form percent-encodes) is one the build
    /// makes or a file under content/; and what it names is published there.
    #[test]
    fn rooted_paths_resolve_exactly_to_what_the_build_makes() {
        let fx = fixture();
        let n = fx.site.documents.len();
        let page = url::Url::parse("https://example.org/probe/reports/x/").unwrap();
        runner()
            .run(&(0..n, rooted_path()), |(from, dest)| {
                let root = url::Url::parse("https://example.org/").unwrap();
                let got = fx.classify(from, &dest);
                if is_protocol_relative(&dest) {
                    prop_assert!(
                        matches!(got, Err(LinkError::ProtocolRelative(_))),
                        "{:?}",
                        dest
                    );
                    return Ok(());
                }
                // Published under a base path, where does a browser go? One that climbs above
                // it is refused even if it climbs back (`/../probe/x`): that depends on the
                // base path's name, so the base here is one no generated path names.
                let asked = root
                    .join(&format!("/base-{}", dest.replace('\\', "%5C")))
                    .unwrap();
                let Some(path) = asked.path().strip_prefix("/base-/") else {
                    prop_assert_eq!(
                        got,
                        Err(LinkError::LeavesSite),
                        "{:?} goes to {}",
                        dest,
                        asked
                    );
                    return Ok(());
                };
                let path = percent_encoding::percent_decode_str(path)
                    .decode_utf8_lossy()
                    .into_owned();
                let folder = path.is_empty() || path.ends_with('/');
                let made = |p: &str| fx.graph.written.contains_key(p);
                let exists = if folder {
                    made(&format!("{path}index.html"))
                } else {
                    made(&path)
                        || made(&format!("{path}/index.html"))
                        || fx.site.assets.contains(&path)
                };
                // A document's page that lacks the `#heading` exists, but the link is refused.
                let found = got.is_ok() || matches!(got, Err(LinkError::NoHeading { .. }));
                prop_assert_eq!(found, exists, "{:?} ({:?}): {:?}", dest, path, got);
                if let Ok(target) = &got {
                    let href = fx.graph.href(&fx.site, target);
                    let read = page.join(&href).unwrap();
                    let written = read.path().strip_prefix("/probe/").unwrap_or_default();
                    let written = percent_encoding::percent_decode_str(written).decode_utf8_lossy();
                    let file = if written.is_empty() || written.ends_with('/') {
                        format!("{written}index.html")
                    } else {
                        written.into_owned()
                    };
                    prop_assert!(
                        made(&file) || fx.site.assets.contains(&file),
                        "{:?} published as {:?}",
                        dest,
                        href
                    );
                }
                Ok(())
            })
            .unwrap();
    }

    /// `doc:PATH` and `doc:PATH#heading`, however spelt, resolve to that document.
    #[test]
    fn doc_paths_resolve_however_spelt() {
        let fx = fixture();
        let spelling = (
            fx.docs(),
            prop::collection::vec((any::<u8>(), any::<bool>()), 0..6),
            any::<bool>(),
            prop::collection::vec(any::<bool>(), 3),
            any::<prop::sample::Index>(),
        );
        runner()
            .run(&spelling, |((from, to), noise, lead, case, heading)| {
                let d = fx.doc(to);
                let path = d.path.0.trim_end_matches(".md");
                let headings = &d.scan.headings;
                let fragment = if headings.is_empty() || heading.index(3) == 0 {
                    String::new()
                } else {
                    headings[heading.index(headings.len())].clone()
                };
                let hash = if fragment.is_empty() {
                    String::new()
                } else {
                    format!("#{fragment}")
                };
                let dest = format!(
                    "{}:{}{hash}",
                    random_case("doc", &case),
                    respell(path, &noise, lead)
                );
                let want = Target::Document {
                    index: DocIx(to),
                    fragment: fragment.clone(),
                };
                prop_assert_eq!(fx.classify(from, &dest), Ok(want.clone()), "{:?}", dest);

                // The same document by a path relative to the linking one, percent-encoded in
                // places.
                let rel = relative(fx.doc(from).path.dir(), &d.path.0);
                let rel = format!(
                    "{}{hash}",
                    percent_encode_some(&rel, &case.repeat(rel.len()))
                );
                prop_assert_eq!(
                    fx.classify(from, &rel),
                    Ok(want),
                    "{:?} from {}",
                    rel,
                    fx.doc(from).path.0
                );

                // A heading it does not have is refused.
                let missing = format!("doc:{path}#{fragment}-not-there");
                let refused = matches!(
                    fx.classify(from, &missing),
                    Err(LinkError::NoHeading { .. })
                );
                prop_assert!(refused, "{:?}", missing);

                // Enough `../` leave content/.
                let up = "../".repeat(1 + noise.len());
                prop_assert_eq!(
                    fx.classify(from, &format!("doc:{up}{path}")),
                    Err(LinkError::LeavesContent)
                );
                let depth = fx.doc(from).path.dir().matches('/').count();
                let up = "../".repeat(depth + 1 + noise.len());
                prop_assert_eq!(
                    fx.classify(from, &format!("{up}{}", d.path.0)),
                    Err(LinkError::LeavesContent)
                );
                Ok(())
            })
            .unwrap();
    }

    /// `doc:` with any path leaves content/ exactly when the model says so.
    #[test]
    fn doc_leaves_content_exactly_as_the_model_says() {
        let fx = fixture();
        let n = fx.site.documents.len();
        runner()
            .run(&(0..n, rel_path()), |(from, rel)| {
                let got = fx.classify(from, &format!("doc:{rel}"));
                // Read as a browser reads it: a space at the end is dropped.
                let rel = browser_form(&rel);
                let rel = rel.split('#').next().unwrap_or_default();
                prop_assert_eq!(
                    matches!(got, Err(LinkError::LeavesContent)),
                    model_join("", rel).is_none(),
                    "doc:{} gives {:?}",
                    rel,
                    got
                );
                Ok(())
            })
            .unwrap();
    }

    /// The unsafe schemes are refused in any letter case, whatever follows.
    #[test]
    fn unsafe_schemes_are_refused_in_any_case() {
        let fx = fixture();
        let n = fx.site.documents.len();
        let unsafe_dest = (
            0..n,
            prop::sample::select(UNSAFE_SCHEMES.to_vec()),
            prop::collection::vec(any::<bool>(), 10),
            any::<String>(),
        );
        runner()
            .run(&unsafe_dest, |(from, s, case, rest)| {
                let s = random_case(s, &case);
                let dest = format!("{s}:{rest}");
                prop_assert_eq!(
                    fx.classify(from, &dest),
                    Err(LinkError::UnsafeScheme(s)),
                    "{:?}",
                    dest
                );
                Ok(())
            })
            .unwrap();
    }

    /// Any other scheme that is not one of ours is unknown; web ones are published as written.
    #[test]
    fn other_schemes_are_unknown_or_web() {
        let fx = fixture();
        let n = fx.site.documents.len();
        runner()
            .run(
                &(0..n, "[A-Za-z][A-Za-z0-9+.-]{0,10}", "[^#]{0,8}"),
                |(from, s, rest)| {
                    let dest = format!("{s}:{rest}");
                    let lower = s.to_ascii_lowercase();
                    let got = fx.classify(from, &dest);
                    if WEB_SCHEMES.contains(&lower.as_str()) {
                        prop_assert_eq!(got, Ok(Target::External(dest)));
                    } else if UNSAFE_SCHEMES.contains(&lower.as_str()) {
                        prop_assert_eq!(got, Err(LinkError::UnsafeScheme(s)));
                    } else if !["doc", "plan", "priority", "source", "metric"]
                        .contains(&lower.as_str())
                    {
                        prop_assert_eq!(got, Err(LinkError::UnknownScheme(s)));
                    }
                    Ok(())
                },
            )
            .unwrap();
    }

    /// Paths from the site's root: segments of the pages and files the probe site makes, and
    /// of ones it does not, with `.`, `..`, encodings and a query or fragment.
    fn rooted_path() -> impl Strategy<Value = String> {
        let segment = prop::sample::select(vec![
            "reports",
            "plans",
            "plan-a",
            "metrics",
            "pas-good",
            "data.csv",
            "data.json",
            "feed.xml",
            "sitemap.xml",
            "robots.txt",
            "404.html",
            "index.html",
            "static",
            "sources",
            "timeline",
            "2024-01-02-other",
            "2024-05-01-probe",
            "about",
            "guides",
            "a",
            "b",
            "deep-doc",
            "trust",
            "probe",
            "..",
            ".",
            "",
            "%2e%2e",
            "%72eports",
            "x",
        ]);
        (
            prop::collection::vec(segment, 0..5),
            any::<bool>(),
            prop::sample::select(vec!["", "?q=1", "#findings", "?a#b"]),
        )
            .prop_map(|(segs, slash, tail)| {
                let mut s = format!("/{}", segs.join("/"));
                if slash && !s.ends_with('/') {
                    s.push('/');
                }
                format!("{s}{tail}")
            })
    }

    /// `/path` links, `//host` addresses and web addresses without a host, as examples.
    #[test]
    fn rooted_and_scheme_relative_examples() {
        let fx = fixture();
        let probe = fx.probe();
        let href = |dest: &str| fx.graph.href(&fx.site, &fx.classify(probe, dest).unwrap());
        assert_eq!(href("/"), "/probe/");
        assert_eq!(href("/reports"), "/probe/reports/");
        assert_eq!(
            href("/metrics/pas-good/data.csv?x#y"),
            "/probe/metrics/pas-good/data.csv?x#y"
        );
        assert_eq!(
            href("/reports/2024-01-02-other/index.html#findings"),
            "/probe/reports/2024-01-02-other/#findings"
        );
        assert_eq!(
            fx.classify(probe, "/does/not/exist"),
            Err(LinkError::NoPage {
                path: "does/not/exist".into(),
                suggestion: None
            })
        );
        assert_eq!(
            fx.classify(probe, "/reports/2024-01-02-othr/"),
            Err(LinkError::NoPage {
                path: "reports/2024-01-02-othr/".into(),
                suggestion: Some("/reports/2024-01-02-other/".into())
            })
        );
        assert_eq!(
            fx.classify(probe, "/probe/reports/"),
            Err(LinkError::BasePathTwice {
                path: "probe/reports/".into(),
                without: "reports/".into()
            })
        );
        assert_eq!(fx.classify(probe, "/a/../../x"), Err(LinkError::LeavesSite));
        assert!(matches!(
            fx.classify(probe, "/reports/2024-01-02-other/#nope"),
            Err(LinkError::NoHeading { .. })
        ));
        for dest in [
            "//evil.example/t.gif",
            "\\\\evil.example",
            " /\t/evil.example",
        ] {
            assert!(
                matches!(
                    fx.classify(probe, dest),
                    Err(LinkError::ProtocolRelative(_))
                ),
                "{dest:?}"
            );
        }
        // Percent-encoded slashes are not slashes to a browser: a path, and not one we make.
        assert!(matches!(
            fx.classify(probe, "/%2F%2Fevil.example"),
            Err(LinkError::NoPage { .. })
        ));
        assert!(matches!(
            fx.classify(probe, "%2F%2Fevil.example"),
            Err(LinkError::NoFile(_))
        ));
        assert_eq!(
            fx.classify(probe, "https:evil.example"),
            Err(LinkError::NoHost("https".into()))
        );
        assert_eq!(
            fx.classify(probe, "jav\tascript:alert(1)"),
            Err(LinkError::UnsafeScheme("javascript".into()))
        );
        assert_eq!(
            fx.classify(probe, " https://example.org/a\n"),
            Ok(Target::External("https://example.org/a".into()))
        );
    }

    /// The fixture's documents, their headings and a few fixed destinations, as examples.
    #[test]
    fn classify_examples() {
        let fx = fixture();
        let at = |p: &str| {
            fx.site
                .documents
                .iter()
                .position(|d| d.path.0 == p)
                .unwrap()
        };
        let probe = at("reports/2024-05-01-probe.md");
        assert_eq!(
            fx.doc(at("about.md")).scan.headings,
            ["who-we-are", "who-we-are-2", "ünïcode-日本"]
        );
        assert_eq!(
            fx.classify(probe, "doc:about#ünïcode-日本"),
            Ok(Target::Document {
                index: DocIx(at("about.md")),
                fragment: "ünïcode-日本".into()
            })
        );
        assert_eq!(
            fx.classify(probe, "../guides/index.md#own-id"),
            Ok(Target::Document {
                index: DocIx(at("guides/index.md")),
                fragment: "own-id".into()
            })
        );
        assert_eq!(
            fx.classify(probe, "../../etc/passwd"),
            Err(LinkError::LeavesContent)
        );
        assert_eq!(
            fx.classify(probe, "..%2F..%2Fetc%2Fpasswd"),
            Err(LinkError::LeavesContent)
        );
        assert_eq!(
            fx.classify(probe, "doc:reports/../../etc/passwd"),
            Err(LinkError::LeavesContent)
        );
        assert_eq!(
            fx.classify(probe, "JavaScript:alert(1)"),
            Err(LinkError::UnsafeScheme("JavaScript".into()))
        );
        assert_eq!(
            fx.classify(probe, "metric:pas-good@2021-12"),
            Ok(Target::Metric {
                metric: MetricIx(0),
                point: 1
            })
        );
        assert!(matches!(
            fx.classify(probe, "priority:plan-a/trust"),
            Ok(Target::Priority(PriorityKey { priority: 0, .. }))
        ));
    }

    /// An address under the base URL (`https://example.org/probe/`) names what the same `/`
    /// path names, over http: or https: and in any host case; one that names nothing offers
    /// the nearest page as a full address; a longer name than the base path is another site's.
    #[test]
    fn addresses_under_the_base_url_are_classified_as_paths_from_the_root() {
        let fx = fixture();
        let probe = fx.probe();
        for (address, path) in [
            (
                "https://example.org/probe/about/#who-we-are",
                "/about/#who-we-are",
            ),
            (
                "HTTP://Example.ORG/probe/reports/2024-05-01-probe/",
                "/reports/2024-05-01-probe/",
            ),
            (
                "https://example.org/probe/sources/?q=1#x",
                "/sources/?q=1#x",
            ),
            ("https://example.org/probe", "/"),
            (
                "https://example.org/probe/about/#nowhere",
                "/about/#nowhere",
            ),
        ] {
            let (a, p) = (fx.classify(probe, address), fx.classify(probe, path));
            assert!(
                a == p && !matches!(a, Ok(Target::External(_))),
                "{address}: {a:?} {p:?}"
            );
        }
        assert_eq!(
            fx.classify(probe, "https://example.org/probe/abot/"),
            Err(LinkError::NoSelfPage {
                suggestion: Some("https://example.org/probe/about/".into())
            })
        );
        assert_eq!(
            fx.classify(probe, "https://example.org/probex/about/"),
            Ok(Target::External("https://example.org/probex/about/".into()))
        );
    }

    /// Resolve keeps what each destination a document writes came to, which render looks up:
    /// the same as classifying it again; one it never saw is not there.
    #[test]
    fn resolve_keeps_each_documents_targets() {
        let fx = fixture();
        let mut seen = 0;
        for (i, d) in fx.site.documents.iter().enumerate() {
            for l in d.scan.links.iter().chain(&d.scan.images) {
                assert_eq!(
                    fx.graph.target(DocIx(i), &l.dest),
                    fx.classify(i, &l.dest).ok().as_ref(),
                    "{} in {}",
                    l.dest,
                    d.path.0
                );
                seen += 1;
            }
        }
        assert!(seen > 0, "the fixture links nothing");
        let probe = fx.probe();
        assert_eq!(fx.graph.target(DocIx(probe), "doc:about"), None);
        assert_eq!(fx.graph.target(DocIx(fx.site.documents.len()), "#x"), None);
    }

    /// A missing document's help says where its path starts: content/ for `doc:`, the linking
    /// file's folder for a relative path, and lists the documents as the link would name them;
    /// a close name is still offered instead.
    #[test]
    fn missing_document_help_says_where_the_path_starts() {
        let fx = fixture();
        let probe = fx.probe();
        let help = |dest: &str| fx.classify(probe, dest).unwrap_err().describe("link").1;
        assert_eq!(
            help("doc:2024-05-01-probe"),
            "check the path; doc: paths start at content/, not at this file's folder; known \
             documents: `doc:a/b/deep-doc`, `doc:about`, `doc:guides/index`, `doc:plans/plan-a`, \
             `doc:reports/2024-01-02-other`, `doc:reports/2024-05-01-probe`"
        );
        assert_eq!(
            help("no-such-report.md"),
            "check the path; it is relative to this file; known documents: `../a/b/deep-doc.md`, \
             `../about.md`, `../guides/index.md`, `../plans/plan-a.md`, `2024-01-02-other.md`, \
             `2024-05-01-probe.md`"
        );
        assert_eq!(
            help("doc:reports/2024-05-01-prob"),
            "did you mean `doc:reports/2024-05-01-probe`?"
        );
        assert_eq!(
            help("2024-05-01-prob.md"),
            "did you mean `2024-05-01-probe.md`?"
        );
    }
}

#[cfg(test)]
mod hint_tests {
    use super::Hint;

    /// A close name is offered alone; otherwise up to ten known names, then how many more;
    /// with none known, the advice.
    #[test]
    fn a_hint_offers_a_near_name_else_the_known_ones() {
        let ids: Vec<String> = (1..=12).map(|i| format!("plan-{i:02}")).collect();
        let ids = || ids.iter().map(String::as_str);
        assert_eq!(
            Hint::new("plan-1", ids()).help("known plans: ", "none"),
            "did you mean `plan-01`?"
        );
        assert_eq!(
            Hint::new("housing", ids()).help("known plans: ", "none"),
            "known plans: `plan-01`, `plan-02`, `plan-03`, `plan-04`, `plan-05`, `plan-06`, \
             `plan-07`, `plan-08`, `plan-09`, `plan-10`, and 2 more"
        );
        assert_eq!(
            Hint::new("housing", []).help("known plans: ", "add a plan"),
            "add a plan"
        );
    }
}
