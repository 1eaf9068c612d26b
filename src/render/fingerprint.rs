//! Fingerprints: for each page, a digest of everything its template is given, worked out from
//! the graph without rendering the page. `serve` renders again only the pages whose
//! fingerprint changed, so this must follow what `view` puts in each page's context: a page
//! whose inputs change while its fingerprint does not would be served stale.
//!
//! Documents enter a fingerprint through their digest (their page's own text) and their
//! *card*: what other pages show of them (title, address, kind, date, summary, and for a plan
//! its period and priorities). site.yaml, sources.yaml and the metrics enter every fingerprint,
//! as do the shared parts of the theme and the site's navigation.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3Default;

use super::{Job, view};
use crate::content::{DocIx, Document, PlanIx, Site};
use crate::diag::SourceFiles;
use crate::graph::{Graph, PriorityKey};

/// The templates a page is made with directly; every other template (base.html, macros) is
/// shared, and a change to it changes every page.
const PAGE_TEMPLATES: [&str; 12] = [
    "home.html",
    "404.html",
    "document.html",
    "listing.html",
    "priority.html",
    "sources.html",
    "timeline.html",
    "metric.html",
    "metrics.html",
    "accessibility.html",
    "pages.html",
    "search.html",
];

pub struct Fingerprints<'a> {
    site: &'a Site,
    graph: &'a Graph,
    /// Per document: what other pages show of it.
    cards: Vec<u64>,
    /// What every output depends on: the data files and the drafts setting.
    data: u64,
    /// What every page depends on besides: the navigation and the stylesheet's name.
    common: u64,
    /// Per page template: its text with the shared templates'.
    templates: BTreeMap<&'a str, u64>,
}

fn digest(parts: impl Hash) -> u64 {
    let mut h = Xxh3Default::new();
    parts.hash(&mut h);
    h.finish()
}

fn card(d: &Document) -> u64 {
    // Fields joined by a byte that cannot occur in them, then hashed in one go (much faster
    // than feeding a streaming hasher field by field).
    let mut buf = String::with_capacity(256);
    let mut field = |s: &str| {
        buf.push_str(s);
        buf.push('\0');
    };
    field(&d.title);
    field(&d.url.0);
    field(d.kind.name());
    field(&d.date.map(|x| x.to_string()).unwrap_or_default());
    field(d.summary.as_deref().unwrap_or("\u{1}"));
    field(if d.draft { "draft" } else { "" });
    if let Some(p) = &d.plan {
        field(&p.owner);
        field(&p.start.to_string());
        field(&p.end.to_string());
        for q in &p.priorities {
            field(q.id.as_str());
            field(&q.title);
            field(&q.summary);
        }
    }
    xxhash_rust::xxh3::xxh3_64(buf.as_bytes())
}

impl<'a> Fingerprints<'a> {
    /// `data` is a digest of site.yaml, sources.yaml and the metric files; `chrome` the
    /// navigation the renderer built.
    pub fn new(
        site: &'a Site,
        sources: &SourceFiles,
        graph: &'a Graph,
        chrome: &view::SiteView,
        data: u64,
    ) -> Self {
        let cards = site.documents.par_iter().map(card).collect();
        // Data files carry no navigation or stylesheet, so a theme change leaves them be.
        let data = digest((data, graph.include_drafts));
        let common = digest((data, chrome));
        let text = |name: &str| {
            site.theme
                .templates
                .get(name)
                .map(|&f| xxhash_rust::xxh3::xxh3_64(sources.text(f).as_bytes()))
        };
        let shared = digest(
            site.theme
                .templates
                .keys()
                .filter(|n| !PAGE_TEMPLATES.contains(&n.as_str()))
                .map(|n| (n, text(n)))
                .collect::<Vec<_>>(),
        );
        let templates = PAGE_TEMPLATES
            .iter()
            .map(|&n| (n, digest((text(n), shared))))
            .collect();
        Fingerprints {
            site,
            graph,
            cards,
            data,
            common,
            templates,
        }
    }

    pub fn of(&self, job: Job) -> u64 {
        let mut h = Xxh3Default::new();
        match job.template() {
            Some(t) => (self.common, self.templates.get(t)).hash(&mut h),
            None => self.data.hash(&mut h),
        }
        job.output_path(self.site, self.graph).hash(&mut h);
        let g = self.graph;
        match job {
            Job::Home => {
                self.hash_cards(&g.plans, &mut h);
                self.hash_cards(&g.latest, &mut h);
                for l in &g.listings {
                    (l.kind, l.docs.len()).hash(&mut h);
                }
                g.timeline.is_empty().hash(&mut h);
            }
            Job::Document(i) => {
                let d = &self.site.documents[i];
                (d.digest, self.cards[i.0], g.targets_digest(i)).hash(&mut h);
                let refs = &g.refs[i];
                self.hash_cards(&refs.plans, &mut h);
                self.priorities(&refs.priorities, &mut h);
                refs.sources.hash(&mut h);
                self.hash_cards(
                    g.plan_backlinks.get(&PlanIx(i)).map_or(&[], Vec::as_slice),
                    &mut h,
                );
                g.plan_metrics.get(&PlanIx(i)).hash(&mut h);
            }
            Job::Listing { listing, page } => {
                let l = &g.listings[listing];
                (l.kind, page, l.page_count()).hash(&mut h);
                self.hash_cards(l.page(page), &mut h);
            }
            Job::Priority(key) => {
                (self.cards[key.plan.doc().0], key.priority).hash(&mut h);
                self.hash_cards(
                    g.priority_backlinks.get(&key).map_or(&[], Vec::as_slice),
                    &mut h,
                );
                g.priority_metrics.get(&key).hash(&mut h);
            }
            Job::Sources => {
                for (id, list) in &g.source_backlinks {
                    id.hash(&mut h);
                    self.hash_cards(list, &mut h);
                }
            }
            Job::PageIndex => self.hash_cards(&g.pages, &mut h),
            Job::Timeline => {
                for (year, list) in &g.timeline {
                    year.hash(&mut h);
                    self.hash_cards(list, &mut h);
                }
            }
            Job::Metric(i) => {
                let keys: BTreeSet<PriorityKey> = g
                    .priority_metrics
                    .iter()
                    .filter(|(_, list)| list.contains(&i))
                    .map(|(&k, _)| k)
                    .collect();
                self.priorities(&keys.into_iter().collect::<Vec<_>>(), &mut h);
            }
            Job::Feed(f) => super::feed::data(self.site, g, f).hash(&mut h),
            Job::Sitemap => {
                let all = super::jobs(self.site, g);
                super::sitemap::data(self.site, g, &all).hash(&mut h);
            }
            // Data files hold only the metric, its source and the site's address: data.
            // The search page links the listings, as the home page does.
            Job::Search => {
                for l in &g.listings {
                    (l.kind, l.docs.len()).hash(&mut h);
                }
            }
            Job::Robots
            | Job::NotFound
            | Job::Metrics
            | Job::Accessibility
            | Job::MetricCsv(_)
            | Job::MetricJson(_) => {}
        }
        h.finish()
    }

    /// Priorities as a page links them: each shows its plan's card.
    fn priorities(&self, keys: &[PriorityKey], h: &mut Xxh3Default) {
        keys.len().hash(h);
        for k in keys {
            (self.cards[k.plan.doc().0], k.priority).hash(h);
        }
    }

    /// A list of documents (or plans) as a page shows them: by their cards.
    fn hash_cards<T: Copy + Into<DocIx>>(&self, list: &[T], h: &mut Xxh3Default) {
        list.len().hash(h);
        for &i in list {
            self.cards[i.into().0].hash(h);
        }
    }
}
