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
        /// Written `doc:`, whose path starts at content/, rather than relative to the file.
        from_content: bool,
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
            LinkError::NoDocument { path, from_content, suggestion } => (
                format!("{what}: there is no document content/{path}"),
                did_you_mean(
                    suggestion,
                    if *from_content {
                        "check the path; doc: paths start at content/, not at this file's folder"
                    } else {
                        "check the path; it is relative to this file"
                    },
                ),
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
                format!("its periods are: {}", some_periods(periods)),
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
            from_content,
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

    #[test]
    fn encodes_paths() {
        assert_eq!(
            encode_path("reports/my chart.png"),
            "reports/my%20chart.png"
        );
    }
}

/// Property tests of the reference parser: [`scheme`], [`join`], [`split_fragment`] against
/// small models, and [`classify`] on a small loaded site (the probe site plus a few documents
/// in nested folders with awkward headings).
#[cfg(test)]
mod props {
    use super::*;
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
            "---\ntitle: Deep\n---\n## Deep *heading*\n\n## `code` heading\n",
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
        ])
        .prop_map(String::from);
        prop_oneof![
            4 => fixed,
            2 => (
                prop::sample::select(vec!["doc:", "plan:", "priority:", "source:", "metric:", "", "/", "#", "https:"]),
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

    #[test]
    fn classify_properties_on_a_small_site() {
        let fx = fixture();
        let n = fx.site.documents.len();
        // A runner counts its successes across runs: each property needs its own.
        let runner = || {
            proptest::test_runner::TestRunner::new(ProptestConfig {
                cases: 512,
                failure_persistence: None,
                ..ProptestConfig::default()
            })
        };

        // Never panics, and what it publishes as written is never a script.
        runner()
            .run(&(0..n, destination()), |(from, dest)| {
                if let Ok(Target::External(u)) = fx.classify(from, &dest) {
                    prop_assert_eq!(&u, &dest);
                    let s = scheme(&u).map(str::to_ascii_lowercase);
                    prop_assert!(
                        u.starts_with("//") || s.is_some_and(|s| WEB_SCHEMES.contains(&s.as_str())),
                        "{:?} published as written",
                        u
                    );
                }
                Ok(())
            })
            .unwrap();

        // `doc:PATH` and `doc:PATH#heading`, however spelt, resolve to that document.
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
                    index: to,
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

        // `doc:` with any path leaves content/ exactly when the model says so.
        runner()
            .run(&(0..n, rel_path()), |(from, rel)| {
                let got = fx.classify(from, &format!("doc:{rel}"));
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

        // The unsafe schemes are refused in any letter case, whatever follows.
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

        // Any other scheme that is not one of ours is unknown; web ones are published as written.
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
                index: at("about.md"),
                fragment: "ünïcode-日本".into()
            })
        );
        assert_eq!(
            fx.classify(probe, "../guides/index.md#own-id"),
            Ok(Target::Document {
                index: at("guides/index.md"),
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
                metric: 0,
                point: 1
            })
        );
        assert!(matches!(
            fx.classify(probe, "priority:plan-a/trust"),
            Ok(Target::Priority { priority: 0, .. })
        ));
    }

    /// A missing document's help says where its path starts: content/ for `doc:`, the linking
    /// file's folder for a relative path; a close name is still offered instead.
    #[test]
    fn missing_document_help_says_where_the_path_starts() {
        let fx = fixture();
        let probe = fx
            .site
            .documents
            .iter()
            .position(|d| d.path.0 == "reports/2024-05-01-probe.md")
            .unwrap();
        let help = |dest: &str| fx.classify(probe, dest).unwrap_err().describe("link").1;
        assert_eq!(
            help("doc:2024-05-01-probe"),
            "check the path; doc: paths start at content/, not at this file's folder"
        );
        assert_eq!(
            help("no-such-report.md"),
            "check the path; it is relative to this file"
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
