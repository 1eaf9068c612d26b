//! `check --links`: the outside web addresses the site names, requested once each (or taken
//! from the cache of recent answers), and the dead or moved ones reported at every place they
//! are written. Only this module touches the network, and only when asked.
//!
//! [`inventory`] finds the addresses, [`request`] asks for them, [`cache`] remembers the
//! answers, and [`report`] turns verdicts into diagnostics.

mod cache;
mod inventory;
mod request;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use crate::content::Site;
use crate::diag::{Diagnostic, SourceFiles};
use crate::graph::Graph;
use crate::pipeline::Progress;

pub(crate) use inventory::Inventory;
use request::Verdict;

/// How `check --links` checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkOptions {
    /// An address that answered well less than this many days ago is not requested again.
    pub max_age_days: u32,
    /// How long one request (with its connection) may take.
    pub timeout: Duration,
}

impl Default for LinkOptions {
    fn default() -> Self {
        LinkOptions {
            max_age_days: 7,
            timeout: Duration::from_secs(10),
        }
    }
}

/// What `check --links` did, for the line that sums a check up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Checked {
    /// Outside addresses the site names.
    pub addresses: usize,
    /// Those requested this time; the others answered well lately.
    pub requested: usize,
    /// Those found dead.
    pub dead: usize,
    /// `--links-max-age`.
    pub max_age_days: u32,
}

impl Checked {
    /// "7 outside addresses: 5 requested, 2 answered well less than 7 days ago; 1 dead".
    pub(crate) fn summary(&self) -> String {
        let cached = self.addresses - self.requested;
        let mut s = format!(
            "{}: {} requested",
            crate::diag::plural_of(self.addresses, "outside address", "outside addresses"),
            self.requested
        );
        if cached > 0 {
            s.push_str(&format!(
                ", {cached} answered well less than {} ago ({})",
                crate::diag::plural(self.max_age_days as usize, "day"),
                cache::PATH
            ));
        }
        if self.dead > 0 {
            s.push_str(&format!("; {} dead", self.dead));
        }
        s
    }
}

/// Check every outside address of the site in `root`; what was found, as diagnostics.
pub(crate) fn check(
    root: &Path,
    site: &Site,
    graph: &Graph,
    sources: &SourceFiles,
    opts: LinkOptions,
    progress: &dyn Progress,
) -> (Checked, Vec<Diagnostic>) {
    let inventory = Inventory::of(site, graph, sources);
    let mut diagnostics = Vec::new();
    let now = cache::now();
    let cached = cache::read(root).unwrap_or_else(|why| {
        diagnostics.push(
            Diagnostic::note(format!("ignoring {}: {why}", cache::PATH))
                .help("it is replaced with the answers of this check"),
        );
        BTreeMap::new()
    });
    let (mut verdicts, todo) = reuse(&inventory, &cached, now, opts.max_age_days);
    progress.stage("links", Some(todo.len()));
    let client = request::Client::new(opts.timeout);
    let answers = request::check_all(&client, &todo, progress);
    if let Err(e) = cache::write(root, remember(&inventory, cached, &todo, &answers, now)) {
        diagnostics.push(Diagnostic::note(format!(
            "cannot write {}: {e}; the next check will request every address again",
            cache::PATH
        )));
    }
    verdicts.extend(todo.iter().map(String::as_str).zip(answers));
    diagnostics.extend(report(&inventory, &verdicts));
    let checked = Checked {
        addresses: inventory.urls.len(),
        requested: todo.len(),
        dead: (verdicts.values())
            .filter(|v| matches!(v, Verdict::Dead { .. }))
            .count(),
        max_age_days: opts.max_age_days,
    };
    (checked, diagnostics)
}

/// The verdicts of the cache that can be reused (answers that were good less than
/// `max_age_days` ago), and the addresses to request.
fn reuse<'i>(
    inventory: &'i Inventory,
    cached: &BTreeMap<String, cache::Entry>,
    now: chrono::DateTime<chrono::Utc>,
    max_age_days: u32,
) -> (BTreeMap<&'i str, Verdict>, Vec<String>) {
    let mut verdicts = BTreeMap::new();
    let mut todo = Vec::new();
    for url in inventory.urls.keys() {
        match cached.get(url).and_then(|e| e.fresh(now, max_age_days)) {
            Some(v) => {
                verdicts.insert(url.as_str(), v);
            }
            None => todo.push(url.clone()),
        }
    }
    (verdicts, todo)
}

/// The cache to write: this check's answers, and the cached ones it reused; addresses the
/// site no longer names are dropped.
fn remember(
    inventory: &Inventory,
    cached: BTreeMap<String, cache::Entry>,
    requested: &[String],
    answers: &[Verdict],
    now: chrono::DateTime<chrono::Utc>,
) -> BTreeMap<String, cache::Entry> {
    let mut entries: BTreeMap<String, cache::Entry> = cached
        .into_iter()
        .filter(|(url, _)| inventory.urls.contains_key(url))
        .collect();
    for (url, v) in requested.iter().zip(answers) {
        entries.insert(url.clone(), cache::Entry::new(url, v, now));
    }
    entries
}

/// A diagnostic at every place of every address that is dead, moved for good, or could not
/// be checked.
fn report(inventory: &Inventory, verdicts: &BTreeMap<&str, Verdict>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (url, places) in &inventory.urls {
        let Some(verdict) = verdicts.get(url.as_str()) else {
            continue;
        };
        let d = match verdict {
            Verdict::Answered { moved_to: None, .. } => continue,
            Verdict::Answered {
                moved_to: Some(to), ..
            } => Diagnostic::note(format!("`{url}` moved permanently to {to}; update the link"))
                .help(format!("write {to}")),
            Verdict::RateLimited => Diagnostic::note(format!(
                "`{url}` was not checked: the server answered 429 Too Many Requests"
            ))
            .help("it is requested again at the next check"),
            Verdict::Dead { why, .. } => Diagnostic::warning(format!("dead link `{url}`: {why}"))
                .help("correct the address, or link another copy (an archived one, if the page is gone)"),
        };
        for p in places {
            out.push(d.clone().at(p.file, p.span.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_says_what_was_requested_and_what_was_not() {
        let mut c = Checked {
            addresses: 1,
            requested: 1,
            dead: 0,
            max_age_days: 1,
        };
        assert_eq!(c.summary(), "1 outside address: 1 requested");
        c = Checked {
            addresses: 7,
            requested: 5,
            dead: 2,
            max_age_days: 7,
        };
        assert_eq!(
            c.summary(),
            "7 outside addresses: 5 requested, 2 answered well less than 7 days ago (.plainsight/links.json); 2 dead"
        );
    }
}
