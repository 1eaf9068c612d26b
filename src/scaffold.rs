//! `init` and `new`: a new site that builds at once, and new documents and metrics with their
//! front matter filled in. Nothing is ever overwritten.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use crate::content::Kind;

/// Why a file could not be made.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ScaffoldError {
    #[error("{0} already exists; plainsight never overwrites a file")]
    Exists(PathBuf),
    #[error("{path} already has content; choose an empty or new folder")]
    NotEmpty { path: PathBuf },
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{0}` cannot be made into a file name: use letters or digits")]
    BadName(String),
}

/// Today's date (UTC), for new documents' names and `date:`.
pub(crate) fn today() -> NaiveDate {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|epoch| epoch.checked_add_days(chrono::Days::new(days)))
        .unwrap_or(NaiveDate::MIN)
}

/// `Police and Crime Plan 2022–25` -> `police-and-crime-plan-2022-25`.
pub(crate) fn slug(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    // At most 80 characters (all ASCII), never ending in a dash.
    out.truncate(80);
    out.trim_end_matches('-').to_string()
}

/// YAML for a one-line text: quoted, so colons and the like stay text.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn write_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    if path.exists() {
        return Err(ScaffoldError::Exists(path.to_path_buf()));
    }
    let io = |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    // `create_new` so that a file appearing meanwhile is not overwritten either.
    use std::io::Write as _;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(io)
}

/// The files `init` writes, by path under the site folder.
fn starter_site(today: NaiveDate) -> Vec<(String, String)> {
    let date = today.to_string();
    let year = today.year();
    let plan_id = format!("our-plan-{year}-{}", (year + 3) % 100);
    let end = NaiveDate::from_ymd_opt(year + 3, today.month(), 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(today);
    vec![
        (
            // What the build writes and keeps beside the content (the site, the link-check
            // results and the drawn social cards) is not for version control.
            ".gitignore".into(),
            "/public/\n/.plainsight/\n".into(),
        ),
        (
            "content/site.yaml".into(),
            "# Settings for the whole site: see docs/content-model.md in plainsight's repository.\n\
             title: Our commitments\n\
             base_url: https://example.org/\n\
             language: en-GB\n\
             publisher: Our organisation\n\
             # A search page at /search/, indexed when the site is built.\n\
             search: true\n"
                .into(),
        ),
        (
            "content/sources.yaml".into(),
            format!(
                "# Publications the site cites, each cited with [text](source:ID).\n\
                 residents-survey-{year}:\n  \
                 title: Residents' survey {year}\n  \
                 publisher: Our organisation\n  \
                 date: {date}\n"
            ),
        ),
        (
            format!("content/plans/{plan_id}.md"),
            format!(
                "---\n\
                 title: Our plan {year} to {}\n\
                 date: {date}\n\
                 summary: What we promise to do over the next three years, in two priorities.\n\
                 owner: Our organisation\n\
                 period:\n  start: {date}\n  end: {end}\n\
                 priorities:\n  \
                 - id: safer-streets\n    title: Safer streets\n    summary: Fewer people hurt on our streets.\n  \
                 - id: trust\n    title: Trust\n    summary: More residents who trust us to act on what they tell us.\n\
                 ---\n\n\
                 This plan sets out two priorities. Every document that answers to them is listed here,\n\
                 and every figure we quote is checked against [our data](source:residents-survey-{year}).\n",
                year + 3
            ),
        ),
        (
            format!("content/press-releases/{date}-plan-published.md"),
            format!(
                "---\n\
                 title: We publish our plan\n\
                 date: {date}\n\
                 summary: Our plan for the next three years is published, with two priorities and the figures we will report against.\n\
                 author: Press office\n\
                 plans:\n  - {plan_id}\n\
                 ---\n\n\
                 Today we published [our plan](plan:{plan_id}). Its first priority is\n\
                 [safer streets](priority:{plan_id}/safer-streets).\n\n\
                 In our latest survey, [](metric:residents-who-trust-us) of residents said they trust us\n\
                 to act on what they tell us.[^survey]\n\n\
                 [^survey]: [Residents' survey {year}](source:residents-survey-{year}).\n"
            ),
        ),
        (
            "content/metrics/residents-who-trust-us.yaml".into(),
            format!(
                "# An example metric: replace the figures with your own before publishing.\n\
                 title: Residents who trust us to act on what they tell us\n\
                 unit: percent\n\
                 better: higher\n\
                 description: Example figures, to be replaced with the survey's.\n\
                 source: residents-survey-{year}\n\
                 priorities: [{plan_id}/trust]\n\
                 series:\n  \
                 - {{ period: {}, value: 50 }}\n  \
                 - {{ period: {year}, value: 55 }}\n",
                year - 1
            ),
        ),
    ]
}

/// Create a working site in `dir` (new or empty), with the schemas of its files and the
/// settings that point VS Code's YAML extension at them; returns the files written.
pub(crate) fn init(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    let has_content = std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some());
    if has_content {
        return Err(ScaffoldError::NotEmpty {
            path: dir.to_path_buf(),
        });
    }
    let mut written = Vec::new();
    let schemas = crate::schema::files()
        .into_iter()
        .map(|f| (format!("schemas/{}", f.name), f.text));
    // Editors check the YAML files as they are typed (docs/editors.md).
    let editor = (
        ".vscode/settings.json".to_string(),
        crate::schema::VSCODE_SETTINGS.to_string(),
    );
    for (rel, text) in starter_site(today())
        .into_iter()
        .chain(schemas)
        .chain([editor])
    {
        let path = dir.join(rel);
        write_new(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

/// What a new document's front matter names from the site, so that it need not be looked up:
/// its published plans with their priorities, and who publishes it.
#[derive(Debug, Default)]
struct SiteFacts {
    /// `plan-id` and its `plan-id/priority-id`s, the newest plan first.
    plans: Vec<(String, Vec<String>)>,
    publisher: Option<String>,
}

/// How many plans, and priorities, a new document's comments offer before `...`.
const PLANS_SHOWN: usize = 5;
const PRIORITIES_SHOWN: usize = 8;

impl SiteFacts {
    /// Read the site under `root`; nothing is known of a site that cannot be read.
    fn read(root: &Path) -> SiteFacts {
        let Some(site) = crate::content::Workspace::load(root).site else {
            return SiteFacts::default();
        };
        let mut plans: Vec<&crate::content::Document> = (site.documents.iter())
            .filter(|d| d.plan.is_some() && !d.draft)
            .collect();
        // The newest first: a new document most likely answers to the current plan.
        plans.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.0.cmp(&b.id.0)));
        SiteFacts {
            plans: plans
                .iter()
                .map(|d| {
                    let id = d.id.0.clone();
                    let priorities = (d.plan.iter().flat_map(|p| &p.priorities))
                        .map(|p| format!("{id}/{}", p.id.as_str()))
                        .collect();
                    (id, priorities)
                })
                .collect(),
            publisher: site.config.publisher.filter(|p| !p.trim().is_empty()),
        }
    }

    /// The commented `plans:` and `priorities:` lines of a new dated document: the site's
    /// own ids, or placeholders when it has no plans.
    fn answers_comment(&self) -> String {
        if self.plans.is_empty() {
            return "# plans: [PLAN-ID]            the plans it answers to
# priorities: [PLAN-ID/PRIORITY-ID]
"
            .into();
        }
        let plans: Vec<&str> = self.plans.iter().map(|(id, _)| id.as_str()).collect();
        let priorities: Vec<&str> = (self.plans.iter().flat_map(|(_, p)| p))
            .map(String::as_str)
            .collect();
        format!(
            "# The plans and priorities it answers to, from this site's:
# plans: [{}]
# priorities: [{}]
",
            shown(&plans, PLANS_SHOWN),
            shown(&priorities, PRIORITIES_SHOWN)
        )
    }
}

/// Up to `n` of `ids`, comma-separated, then `...` if there are more.
fn shown(ids: &[&str], n: usize) -> String {
    let mut list = ids.iter().take(n).copied().collect::<Vec<_>>().join(", ");
    if ids.len() > n {
        list.push_str(", ...");
    }
    list
}

/// Create a document of `kind` titled `title` under `root`, dated `date`; returns its path.
pub(crate) fn new_document(
    root: &Path,
    kind: Kind,
    title: &str,
    date: NaiveDate,
) -> Result<PathBuf, ScaffoldError> {
    let stem = slug(title);
    if stem.is_empty() {
        return Err(ScaffoldError::BadName(title.to_string()));
    }
    // Dated kinds get the date in their file name, so folders list in order; a plan's file
    // name is its id, which other documents write, so it stays short.
    let path = match kind.folder() {
        Some(folder) if kind == Kind::Plan => {
            root.join("content").join(folder).join(format!("{stem}.md"))
        }
        Some(folder) => root
            .join("content")
            .join(folder)
            .join(format!("{date}-{stem}.md")),
        None => root.join("content").join(format!("{stem}.md")),
    };
    let facts = SiteFacts::read(root);
    let mut text = format!("---\ntitle: {}\n", quoted(title));
    if kind.is_dated() {
        let _ = write!(
            text,
            "date: {date}\nsummary: \"\"  # one sentence: listings, feeds and search show it\n"
        );
    }
    if kind == Kind::Plan {
        let end = NaiveDate::from_ymd_opt(date.year() + 3, date.month(), 1)
            .and_then(|d| d.pred_opt())
            .unwrap_or(date);
        // The site's publisher is the likeliest owner; without one, the empty owner is an
        // error at its line until it is filled in.
        let owner = facts
            .publisher
            .as_deref()
            .map_or_else(|| "\"\"".into(), quoted);
        let _ = write!(
            text,
            "owner: {owner}  # who is answerable for the plan\nperiod:\n  start: {date}\n  end: {end}\npriorities:\n  - id: first-priority\n    title: First priority\n    summary: What the plan promises here.\n"
        );
    } else if kind.is_dated() {
        text.push_str(&facts.answers_comment());
    }
    text.push_str("---\n\nWrite here.\n");
    write_new(&path, &text)?;
    Ok(path)
}

/// Create `content/metrics/ID.yaml` citing `source` (when the site has one); returns its path.
/// Its series is empty on purpose: the build says so until real figures are added.
pub(crate) fn new_metric(
    root: &Path,
    id: &str,
    source: Option<&str>,
) -> Result<PathBuf, ScaffoldError> {
    if !crate::content::is_valid_id(id) {
        return Err(ScaffoldError::BadName(id.to_string()));
    }
    let path = root.join("content/metrics").join(format!("{id}.yaml"));
    let text = format!(
        "title: {}\n\
         unit: percent       # percent | count | ratio | gbp\n\
         better: higher      # higher | lower\n\
         description: \"\"\n\
         source: {}\n\
         priorities: []      # [PLAN-ID/PRIORITY-ID]\n\
         # One line per reading, oldest first, e.g. - {{ period: 2024, value: 51, note: optional }}\n\
         series: []\n\
         # target: {{ period: 2026, value: 60 }}\n",
        quoted(id),
        source.unwrap_or("SOURCE-ID  # an id from content/sources.yaml")
    );
    write_new(&path, &text)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(
            slug("Police and Crime Plan 2022–25"),
            "police-and-crime-plan-2022-25"
        );
        assert_eq!(slug("  What's next?  "), "what-s-next");
        assert_eq!(slug("£££"), "");
        assert!(crate::content::is_valid_id(&slug("A: B / C")));
    }

    #[test]
    fn a_long_list_of_ids_is_cut_short() {
        assert_eq!(shown(&["a", "b"], 2), "a, b");
        assert_eq!(shown(&["a", "b", "c"], 2), "a, b, ...");
        let facts = SiteFacts {
            plans: vec![("p".into(), vec!["p/x".into(), "p/y".into()])],
            publisher: None,
        };
        assert_eq!(
            facts.answers_comment(),
            "# The plans and priorities it answers to, from this site's:\n# plans: [p]\n# priorities: [p/x, p/y]\n"
        );
    }

    #[test]
    fn titles_are_quoted_for_yaml() {
        assert_eq!(quoted(r#"Plan: "A" \ B"#), r#""Plan: \"A\" \\ B""#);
    }
}
