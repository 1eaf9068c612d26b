//! Fingerprints: for each route, a digest of everything its file is made from, worked out
//! without rendering it. `serve` renders again only the routes whose fingerprint changed.
//!
//! A page's fingerprint is a digest of the very context its template is given (built by the
//! route table, serialised), of its template's text and of the templates (and the theme's
//! strings) every page shares;
//! so it cannot miss a field. Documents' bodies enter it as their digest and the digest of
//! where their links point ([`view::Body::Digest`]), so fingerprinting does not render Markdown;
//! charts are left out, being drawn from their metric alone (which `data` covers).
//! A data file's fingerprint is a digest of the data it is made from. site.yaml, sources.yaml,
//! the metrics and the drafts setting enter every fingerprint, as they did every view.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::Serialize;
use xxhash_rust::xxh3::{Xxh3Default, Xxh3DefaultBuilder, xxh3_64};

use super::{Renderer, view};
use crate::content::Site;
use crate::diag::SourceFiles;
use crate::routes::{Entry, Make, Route};

/// Every route's fingerprint, by output path.
pub(crate) type Fingerprinted = HashMap<String, u64, Xxh3DefaultBuilder>;

pub(crate) struct Fingerprints<'r, 'a> {
    renderer: &'r Renderer<'a>,
    /// The parts many pages share, each digested once.
    digests: view::Digests,
    /// What every output depends on: the data files and the drafts setting.
    data: u64,
    /// Per page template: its text with the shared templates'.
    templates: BTreeMap<&'r str, u64>,
}

impl<'r, 'a> Fingerprints<'r, 'a> {
    /// `data` is a digest of site.yaml, sources.yaml and the metric files; `entries` the
    /// routes' entries, which name the page templates (every other template is shared, and a
    /// change to it changes every page).
    pub(crate) fn new<'e>(
        renderer: &'r Renderer<'a>,
        sources: &SourceFiles,
        data: u64,
        entries: impl IntoIterator<Item = &'e Entry>,
    ) -> Self {
        let builder = renderer.builder(None);
        let site: &Site = builder.site;
        let digests = view::Digests {
            chrome: serialised(builder.chrome),
            summaries: site
                .doc_ixs()
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(|i| serialised(&builder.full_summary(i)))
                .collect(),
            sources: site
                .sources
                .keys()
                .filter_map(|id| Some((id.clone(), serialised(&builder.source(id, false)?))))
                .collect(),
        };
        let pages: BTreeSet<&str> = entries.into_iter().filter_map(|e| e.template).collect();
        let text = |name: &str| {
            site.theme
                .templates
                .get(name)
                .map(|&f| xxh3_64(sources.text(f).as_bytes()))
        };
        // The theme's strings are words of every page, as the shared templates are.
        let strings: Vec<(&str, u64)> = site
            .theme
            .strings
            .iter()
            .flat_map(|(code, files)| {
                files
                    .iter()
                    .map(move |&f| (code.as_str(), xxh3_64(sources.text(f).as_bytes())))
            })
            .collect();
        let shared = digest((
            site.theme
                .templates
                .keys()
                .filter(|n| !pages.contains(n.as_str()))
                .map(|n| (n, text(n)))
                .collect::<Vec<_>>(),
            strings,
        ));
        let templates = site
            .theme
            .templates
            .keys()
            .filter(|n| pages.contains(n.as_str()))
            .map(|n| (n.as_str(), digest((text(n), shared))))
            .collect();
        Fingerprints {
            data: digest((data, builder.graph.include_drafts)),
            renderer,
            digests,
            templates,
        }
    }

    /// The fingerprint of `route`, whose entry is `entry`.
    pub(crate) fn of(&self, route: Route, entry: &Entry) -> u64 {
        route.make(
            &self.renderer.builder(Some(&self.digests)),
            Print {
                prints: self,
                entry,
            },
        )
    }
}

/// A digest of `value`, serialised as render hands it to the template: as CBOR (compact and
/// unambiguous, with no escaping or number formatting, which were most of the cost as JSON),
/// into one buffer per thread kept between calls, and hashed in one go (much faster than a
/// streaming hasher fed field by field, or a new buffer grown for each page).
fn serialised<T: Serialize>(value: &T) -> u64 {
    thread_local! {
        static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        match ciborium::into_writer(value, &mut *buffer) {
            Ok(()) => xxh3_64(buffer),
            Err(_) => never_the_same(),
        }
    })
}

fn digest(parts: impl Hash) -> u64 {
    let mut h = Xxh3Default::new();
    parts.hash(&mut h);
    h.finish()
}

/// Digests what a route makes.
struct Print<'p, 'r, 'a> {
    prints: &'p Fingerprints<'r, 'a>,
    entry: &'p Entry,
}

impl Make for Print<'_, '_, '_> {
    type Out = u64;

    fn page<T: Serialize>(self, context: &T) -> u64 {
        let template = self
            .entry
            .template
            .and_then(|t| self.prints.templates.get(t));
        let context = serialised(context);
        digest((self.prints.data, template, &self.entry.path, context))
    }

    fn data<D: Hash>(self, data: D, _: fn(D) -> Vec<u8>) -> u64 {
        digest((self.prints.data, &self.entry.path, data))
    }

    /// The page fails to render, every time: render it again to report it.
    fn failed(self, _: crate::diag::Diagnostic) -> u64 {
        never_the_same()
    }
}

/// A fingerprint no other call returns, for a context that cannot be serialised: its page is
/// always made again.
fn never_the_same() -> u64 {
    static COUNT: AtomicU64 = AtomicU64::new(0);
    digest(("unserialisable", COUNT.fetch_add(1, Ordering::Relaxed)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Graph;
    use crate::routes::all;

    fn prints(site: &Site, sources: &SourceFiles, graph: &Graph) -> HashMap<Route, u64> {
        let renderer = Renderer::new(site, sources, graph).expect("the theme compiles");
        let entries: Vec<(Route, Entry)> = all(site, graph)
            .into_iter()
            .map(|r| (r, r.entry(site, sources, graph)))
            .collect();
        let prints = Fingerprints::new(&renderer, sources, 0, entries.iter().map(|e| &e.1));
        entries
            .iter()
            .map(|(r, e)| (*r, prints.of(*r, e)))
            .collect()
    }

    /// No list of fields to keep up to date: a document's new title changes the pages that
    /// show it, because their contexts change, and no others.
    #[test]
    fn a_fingerprint_follows_what_the_page_shows() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let loaded = crate::content::load(root);
        let mut site = loaded.site.expect("the demo loads");
        let sources = &loaded.sources;
        let (graph, _) = crate::graph::resolve(&site, sources, false);
        let before = prints(&site, sources, &graph);
        assert_eq!(before, prints(&site, sources, &graph));
        let doc = graph.latest[0];
        site.documents[doc.0].title.push_str(" (revised)");
        let after = prints(&site, sources, &graph);
        let changed: Vec<Route> = before
            .iter()
            .filter(|(r, f)| after.get(r) != Some(f))
            .map(|(r, _)| *r)
            .collect();
        for shows in [Route::Document(doc), Route::Home, Route::Timeline] {
            assert!(changed.contains(&shows), "{shows:?} in {changed:?}");
        }
        for not in [Route::Metrics, Route::Robots, Route::NotFound] {
            assert!(!changed.contains(&not), "{not:?} in {changed:?}");
        }
    }
}
