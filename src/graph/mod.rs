//! Resolve: turns the loaded [`Site`] into a [`Graph`] — id, path and URL tables built once,
//! every link, image and front matter reference checked, backlinks between documents, plans,
//! priorities and sources computed in one pass, drafts applied, listings and the timeline
//! ordered — and reports what does not hold together. Rendering reads the graph; nothing here
//! touches the disk. Every step is linear in the number of documents and references.

mod links;
mod outputs;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use std::hash::{Hash, Hasher};

use chrono::Datelike;
use rayon::prelude::*;

use crate::content::{DocId, Document, Kind, MetricId, PlanId, Site, SitePath, SourceId};
use crate::diag::{Diagnostic, FileId, SourceFiles};
use crate::figures;
use crate::routes::{Claim, Route};
pub use links::{LinkError, Target, encode_path};
use outputs::{Clash, Outputs};

/// Documents per listing page.
pub const PAGE_SIZE: usize = 20;
/// Documents on the home page's "latest" list.
pub const HOME_LATEST: usize = 10;
/// Pages a footer links at most: every page carries the footer, so a site with thousands of
/// pages must not copy them all into each one.
pub const FOOTER_LIMIT: usize = 12;

/// The documents of one kind, newest first, for its paginated listing.
#[derive(Debug)]
pub struct Listing {
    pub kind: Kind,
    pub docs: Vec<usize>,
}

impl Listing {
    pub fn page_count(&self) -> usize {
        self.docs.len().div_ceil(PAGE_SIZE).max(1)
    }

    /// Page 1 is the kind's folder (`reports/`), later pages `reports/page/2/`.
    pub fn page_url(&self, page: usize) -> SitePath {
        let folder = self.kind.folder().unwrap_or("pages");
        if page <= 1 {
            SitePath(format!("{folder}/"))
        } else {
            SitePath(format!("{folder}/page/{page}/"))
        }
    }

    /// The listing's Atom feed: `reports/feed.xml`.
    pub fn feed_path(&self) -> String {
        format!("{}{FEED}", self.page_url(1).0)
    }

    pub fn page(&self, page: usize) -> &[usize] {
        let start = (page - 1) * PAGE_SIZE;
        &self.docs[start.min(self.docs.len())..(start + PAGE_SIZE).min(self.docs.len())]
    }
}

/// A priority: the plan document's index and the priority's index in that plan.
pub type PriorityKey = (usize, usize);

/// What one document answers to and cites, in the order first named (front matter first).
#[derive(Debug, Default, Clone)]
pub struct DocRefs {
    pub plans: Vec<usize>,
    pub priorities: Vec<PriorityKey>,
    pub sources: Vec<SourceId>,
}

fn push_unique<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

/// How much the build checked, for the build report.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub plans: usize,
    pub priorities: usize,
    pub sources: usize,
    pub metrics: usize,
    /// `doc:`, `plan:`, `priority:`, `source:`, `metric:` and relative document links, and
    /// front matter `plans:`/`priorities:`/`metrics:` entries, that resolved.
    pub references: usize,
    /// Figures stated in `metric:` link text and checked against the data.
    pub claims: usize,
}

pub const SOURCES_PAGE: &str = "sources/";
pub const TIMELINE_PAGE: &str = "timeline/";
pub const SEARCH_PAGE: &str = "search/";
/// The feed of every dated document, and each listing's feed's name in its folder.
pub const FEED: &str = "feed.xml";
pub const METRICS_PAGE: &str = "metrics/";
/// The accessibility statement made from site.yaml, unless a document takes this URL.
pub const ACCESSIBILITY_PAGE: &str = "accessibility/";
/// The index of every page (kind `page`), made when some page is not in the footer.
pub const PAGES_INDEX: &str = "pages/";

/// A metric's page: `metrics/ID/`.
pub fn metric_url(m: &crate::content::Metric) -> SitePath {
    SitePath(format!("{METRICS_PAGE}{}/", m.id.as_str()))
}

/// A metric's data as a file next to its page: `metrics/ID/data.csv` (or `.json`).
pub fn metric_data(m: &crate::content::Metric, extension: &str) -> String {
    format!("{METRICS_PAGE}{}/data.{extension}", m.id.as_str())
}

/// What the build writes at an output path, for checking links to `/path`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Output {
    /// A document's page (a draft's too, so that a link to it is reported as one).
    Document(usize),
    /// Any other HTML page.
    Page,
    /// A feed, data file, the sitemap, a theme file…
    File,
}

/// The resolved site: which documents are published and how everything links.
#[derive(Debug)]
pub struct Graph {
    /// Indices into `Site::documents` of the documents to publish, in path order.
    pub published: Vec<usize>,
    pub listings: Vec<Listing>,
    /// Newest dated documents, for the home page.
    pub latest: Vec<usize>,
    /// Published pages (kind `page`), by title, for the index of pages.
    pub pages: Vec<usize>,
    /// The pages marked `footer: true`, by title, at most [`FOOTER_LIMIT`].
    pub footer: Vec<usize>,
    /// Published plans, newest period first.
    pub plans: Vec<usize>,
    /// Published dated documents by year, newest first.
    pub timeline: Vec<(i32, Vec<usize>)>,
    /// Per document (by index): the plans and priorities it answers to and the sources it cites.
    pub refs: Vec<DocRefs>,
    /// Published documents that answer to each plan (or one of its priorities), newest first.
    pub plan_backlinks: HashMap<usize, Vec<usize>>,
    /// Published documents that answer to each priority, newest first.
    pub priority_backlinks: HashMap<PriorityKey, Vec<usize>>,
    /// Published documents that cite each source, newest first.
    pub source_backlinks: BTreeMap<SourceId, Vec<usize>>,
    /// Files under content/ that published documents use.
    pub assets: BTreeSet<String>,
    pub include_drafts: bool,
    pub stats: Stats,
    by_path: HashMap<String, usize>,
    by_id: HashMap<DocId, usize>,
    plan_by_id: BTreeMap<PlanId, usize>,
    metric_by_id: BTreeMap<MetricId, usize>,
    /// Metrics (indices into `Site::metrics`) that serve each priority, and each plan.
    pub priority_metrics: HashMap<PriorityKey, Vec<usize>>,
    pub plan_metrics: HashMap<usize, Vec<usize>>,
    /// What each document's own links came to, by index, kept so that [`Graph::update`] redoes
    /// only the documents that changed.
    resolved: Vec<Resolution>,
    /// Problems in the tables (duplicate ids, clashing output paths, metrics), which depend
    /// only on what [`same_interface`] compares.
    table_problems: Vec<Diagnostic>,
    /// Who writes each output file, to check the files copied from content/.
    outputs: Outputs,
    /// What the build makes at each output path (`reports/index.html`), for `/path` links.
    written: HashMap<String, Output>,
    /// Sources that metrics cite.
    metric_sources: BTreeSet<SourceId>,
    /// How many documents cite each source, and use each file under content/.
    citations: BTreeMap<SourceId, usize>,
    asset_users: BTreeMap<String, usize>,
}

/// What resolving one document's links and references found.
#[derive(Debug, Default, Clone)]
struct Resolution {
    problems: Vec<Diagnostic>,
    /// Files under content/ it uses (only when it is published), each with where it is linked.
    assets: Vec<(String, Range<usize>)>,
    /// Sources it cites with `source:` links.
    cited: Vec<SourceId>,
    references: usize,
    claims: usize,
    /// A digest of where its links and images point, as published.
    targets: u64,
}

impl Graph {
    /// A digest of where document `i`'s links and images point: its page changes when this
    /// does, even if its own text did not.
    pub fn targets_digest(&self, i: usize) -> u64 {
        self.resolved[i].targets
    }

    pub fn document_by_id(&self, id: &DocId) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Whether the build writes its own accessibility statement (a site's own
    /// content/accessibility.md replaces it).
    pub fn makes_accessibility_statement(&self, site: &Site) -> bool {
        !self
            .published
            .iter()
            .any(|&i| site.documents[i].url.0 == ACCESSIBILITY_PAGE)
    }

    /// Whether the build writes the index of pages: when some page is not in the footer, so
    /// that every page stays reachable.
    pub fn makes_page_index(&self) -> bool {
        self.footer.len() < self.pages.len()
    }

    pub fn is_published(&self, doc: usize) -> bool {
        self.published.binary_search(&doc).is_ok()
    }

    /// A priority's page: under its plan's page (`plans/p/reduce-violence/`).
    pub fn priority_url(&self, site: &Site, (plan, priority): PriorityKey) -> SitePath {
        let d = &site.documents[plan];
        let id = d
            .plan
            .as_ref()
            .map_or("", |p| p.priorities[priority].id.as_str());
        SitePath(format!("{}{id}/", d.url.0))
    }

    /// A source's link: its own address, or its entry on the sources page.
    pub fn source_href(&self, site: &Site, id: &SourceId) -> String {
        match site.sources.get(id).and_then(|s| s.url.clone()) {
            Some(url) => url,
            None => format!(
                "{}#source-{}",
                site.config.base_url.href(SOURCES_PAGE),
                id.as_str()
            ),
        }
    }

    /// What a destination written in `from` points at.
    pub fn target(&self, site: &Site, from: &Document, dest: &str) -> Result<Target, LinkError> {
        links::classify(self, site, from, dest)
    }

    /// The href a destination written in `from` publishes as. Only called on destinations
    /// that resolve checked; anything else is published unchanged.
    pub fn href(&self, site: &Site, from: &Document, dest: &str) -> String {
        let base = &site.config.base_url;
        let page = |p: &SitePath| base.href(&encode_path(&p.0));
        match links::classify(self, site, from, dest) {
            Ok(Target::External(u)) => u,
            Ok(Target::Fragment(f)) => format!("#{f}"),
            Ok(Target::Rooted { path, suffix, .. }) => {
                format!("{}{suffix}", base.href(&encode_path(&path)))
            }
            Ok(Target::Document { index, fragment }) => {
                let url = page(&site.documents[index].url);
                if fragment.is_empty() {
                    url
                } else {
                    format!("{url}#{fragment}")
                }
            }
            Ok(Target::Plan(index)) => page(&site.documents[index].url),
            Ok(Target::Priority { plan, priority }) => {
                page(&self.priority_url(site, (plan, priority)))
            }
            Ok(Target::Source(id)) => self.source_href(site, &id),
            Ok(Target::Metric { metric, .. }) => page(&metric_url(&site.metrics[metric])),
            Ok(Target::Asset { path, suffix }) => {
                format!("{}{suffix}", base.href(&encode_path(&path)))
            }
            Err(_) => dest.to_string(),
        }
    }
}

/// The order of every list of documents: newest first, then by title and id.
fn newer(site: &Site, a: usize, b: usize) -> std::cmp::Ordering {
    let (a, b) = (&site.documents[a], &site.documents[b]);
    b.date
        .cmp(&a.date)
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.id.cmp(&b.id))
}

fn newest_first(site: &Site, docs: &mut [usize]) {
    docs.sort_by(|&a, &b| newer(site, a, b));
}

/// Put `doc` in its place in a list kept newest first, unless it is there.
fn insert_sorted(site: &Site, list: &mut Vec<usize>, doc: usize) {
    if let Err(at) = list.binary_search_by(|&x| newer(site, x, doc)) {
        list.insert(at, doc);
    }
}

/// Take `doc` out of a backlink list; true when that leaves it empty (and the caller drops it).
fn take_out(list: Option<&mut Vec<usize>>, doc: usize) -> bool {
    list.is_some_and(|l| {
        l.retain(|&x| x != doc);
        l.is_empty()
    })
}

/// The plans a document answers to, directly or through one of their priorities.
fn plans_of(refs: &DocRefs) -> BTreeSet<usize> {
    refs.plans
        .iter()
        .copied()
        .chain(refs.priorities.iter().map(|&(p, _)| p))
        .collect()
}

/// Where a document's id is written, or the top of the file when it is the file stem.
fn id_place(sources: &SourceFiles, d: &Document) -> (Range<usize>, String) {
    let span = d.id_span.clone().unwrap_or(0..0);
    let (line, col) = sources.line_col(d.file, span.start);
    (span, format!("{}:{line}:{col}", sources.path(d.file)))
}

pub fn resolve(
    site: &Site,
    sources: &SourceFiles,
    include_drafts: bool,
) -> (Graph, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let docs = &site.documents;

    let mut by_id: HashMap<DocId, usize> = HashMap::with_capacity(docs.len());
    let mut by_path = HashMap::with_capacity(docs.len());
    let mut plan_by_id = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        by_path.insert(d.path.0.clone(), i);
        if let Some(&first) = by_id.get(&d.id) {
            let (span, _) = id_place(sources, d);
            let (first_span, first_place) = id_place(sources, &docs[first]);
            diags.push(
                Diagnostic::error(format!(
                    "document id `{}` is also used by {first_place}",
                    d.id
                ))
                .at(d.file, span)
                .help("ids must be unique: give one of them a different `id:`")
                .also(docs[first].file, first_span, "first used here"),
            );
        } else {
            by_id.insert(d.id.clone(), i);
            if d.plan.is_some() {
                plan_by_id.insert(PlanId(d.id.0.clone()), i);
            }
        }
    }

    let published: Vec<usize> = (0..docs.len())
        .filter(|&i| include_drafts || !docs[i].draft)
        .collect();

    let mut listings = Vec::new();
    for kind in Kind::ALL.into_iter().filter(|k| k.is_dated()) {
        let mut list: Vec<usize> = published
            .iter()
            .copied()
            .filter(|&i| docs[i].kind == kind)
            .collect();
        if !list.is_empty() {
            newest_first(site, &mut list);
            listings.push(Listing { kind, docs: list });
        }
    }
    let mut dated: Vec<usize> = published
        .iter()
        .copied()
        .filter(|&i| docs[i].date.is_some())
        .collect();
    newest_first(site, &mut dated);
    let mut timeline: Vec<(i32, Vec<usize>)> = Vec::new();
    for &i in &dated {
        let year = docs[i].date.map_or(0, |d| d.year());
        match timeline.last_mut() {
            Some((y, list)) if *y == year => list.push(i),
            _ => timeline.push((year, vec![i])),
        }
    }
    let latest: Vec<usize> = dated.iter().copied().take(HOME_LATEST).collect();
    let mut pages: Vec<usize> = published
        .iter()
        .copied()
        .filter(|&i| docs[i].kind == Kind::Page)
        .collect();
    pages.sort_by(|&a, &b| docs[a].title.cmp(&docs[b].title));
    let footer = footer_pages(site, &pages, &mut diags);
    let mut plans: Vec<usize> = published
        .iter()
        .copied()
        .filter(|&i| docs[i].plan.is_some() && plan_by_id.values().any(|&p| p == i))
        .collect();
    plans.sort_by(|&a, &b| {
        let start = |i: usize| docs[i].plan.as_ref().map(|p| p.start);
        start(b)
            .cmp(&start(a))
            .then_with(|| docs[a].title.cmp(&docs[b].title))
    });

    let mut graph = Graph {
        published,
        listings,
        latest,
        pages,
        footer,
        plans,
        timeline,
        refs: Vec::new(),
        plan_backlinks: HashMap::new(),
        priority_backlinks: HashMap::new(),
        source_backlinks: BTreeMap::new(),
        assets: BTreeSet::new(),
        include_drafts,
        stats: Stats::default(),
        by_path,
        by_id,
        plan_by_id,
        metric_by_id: BTreeMap::new(),
        priority_metrics: HashMap::new(),
        plan_metrics: HashMap::new(),
        resolved: Vec::new(),
        table_problems: Vec::new(),
        outputs: Outputs::default(),
        written: HashMap::new(),
        metric_sources: BTreeSet::new(),
        citations: BTreeMap::new(),
        asset_users: BTreeMap::new(),
    };

    graph.outputs = check_output_paths(site, sources, &graph, &mut diags);
    graph.written = written(site, sources, &graph);
    resolve_metrics(site, sources, &mut graph, &mut diags);
    graph.table_problems = diags;
    let (refs, resolved) = (0..docs.len())
        .into_par_iter()
        .map(|i| resolve_document(&graph, site, sources, i))
        .unzip();
    graph.refs = refs;
    graph.resolved = resolved;
    let problems = graph.aggregate(site);
    (graph, problems)
}

/// The pages among `pages` that ask for the footer, keeping at most [`FOOTER_LIMIT`]; more is
/// an error at the first one past the limit (by title), which names the others.
fn footer_pages(site: &Site, pages: &[usize], diags: &mut Vec<Diagnostic>) -> Vec<usize> {
    let docs = &site.documents;
    let marked: Vec<(usize, Range<usize>)> = pages
        .iter()
        .filter_map(|&i| docs[i].footer.clone().map(|span| (i, span)))
        .collect();
    if let Some((first, span)) = marked.get(FOOTER_LIMIT) {
        let mut d = Diagnostic::error(format!(
            "{} pages ask for the footer, which links at most {FOOTER_LIMIT}",
            marked.len()
        ))
        .at(docs[*first].file, span.clone())
        .help(format!(
            "keep `footer: true` on the {FOOTER_LIMIT} pages readers need most: every page is \
             listed on /{PAGES_INDEX}, which the footer links"
        ));
        for (i, span) in &marked[FOOTER_LIMIT + 1..] {
            d = d.also(docs[*i].file, span.clone(), "this page asks too");
        }
        diags.push(d);
    }
    marked
        .into_iter()
        .take(FOOTER_LIMIT)
        .map(|(i, _)| i)
        .collect()
}

/// Whether two versions of a document look the same to every other document and to the tables
/// resolve builds: same place, id, kind, title, date, draft state, footer mark, plan and headings. When a
/// change keeps this, [`Graph::update`] can redo that document alone.
pub fn same_interface(a: &Document, b: &Document) -> bool {
    a.path == b.path
        && a.url == b.url
        && a.id == b.id
        && a.id_span == b.id_span
        && a.file == b.file
        && a.kind == b.kind
        && a.title == b.title
        && a.date == b.date
        && a.draft == b.draft
        && a.footer == b.footer
        && a.plan == b.plan
        && a.scan.headings == b.scan.headings
}

impl Graph {
    /// The graph after the documents at `changed` were edited, each keeping
    /// [`same_interface`] with its previous version, and nothing else changed: only those
    /// documents are resolved again. Gives the same graph and problems as [`resolve`].
    pub fn update(
        mut self,
        site: &Site,
        sources: &SourceFiles,
        changed: &[usize],
    ) -> (Graph, Vec<Diagnostic>) {
        let redone: Vec<_> = changed
            .par_iter()
            .map(|&i| (i, resolve_document(&self, site, sources, i)))
            .collect();
        for (i, (refs, resolution)) in redone {
            self.count(site, i, Count::Remove);
            self.refs[i] = refs;
            self.resolved[i] = resolution;
            self.count(site, i, Count::Insert);
        }
        let problems = self.summarise(site);
        (self, problems)
    }

    /// Add document `i`'s backlinks, citations and files to the totals, or take them away: the
    /// one per-document step of both [`Graph::aggregate`] and [`Graph::update`].
    fn count(&mut self, site: &Site, i: usize, how: Count) {
        let r = &self.resolved[i];
        for id in r.cited.iter().filter(|id| site.sources.contains_key(*id)) {
            tally(&mut self.citations, id, how);
        }
        let assets_before = self.asset_users.len();
        for (path, _) in &r.assets {
            tally(&mut self.asset_users, path, how);
        }
        if how != Count::Append && self.asset_users.len() != assets_before {
            self.assets = self.asset_users.keys().cloned().collect();
        }
        if site.documents[i].draft && !self.include_drafts {
            return;
        }
        let refs = &self.refs[i];
        for p in plans_of(refs) {
            if backlink(site, self.plan_backlinks.entry(p).or_default(), i, how) {
                self.plan_backlinks.remove(&p);
            }
        }
        for &key in &refs.priorities {
            if backlink(
                site,
                self.priority_backlinks.entry(key).or_default(),
                i,
                how,
            ) {
                self.priority_backlinks.remove(&key);
            }
        }
        for id in &refs.sources {
            let list = self.source_backlinks.entry(id.clone()).or_default();
            if backlink(site, list, i, how) {
                self.source_backlinks.remove(id);
            }
        }
    }

    /// Everything that sums over documents, from scratch: backlinks, citations, the files to
    /// copy; then [`Graph::summarise`].
    fn aggregate(&mut self, site: &Site) -> Vec<Diagnostic> {
        for i in 0..self.resolved.len() {
            self.count(site, i, Count::Append);
        }
        // Sorted once here rather than kept sorted at each insertion.
        for list in self
            .plan_backlinks
            .values_mut()
            .chain(self.priority_backlinks.values_mut())
            .chain(self.source_backlinks.values_mut())
        {
            newest_first(site, list);
        }
        self.assets = self.asset_users.keys().cloned().collect();
        self.summarise(site)
    }

    /// Statistics, and every problem: the tables', each document's, and those only the whole
    /// site shows (uncited sources, clashing files).
    fn summarise(&mut self, site: &Site) -> Vec<Diagnostic> {
        let docs = &site.documents;
        let mut diags = self.table_problems.clone();
        let (mut references, mut claims) = (0, 0);
        for r in &self.resolved {
            diags.extend(r.problems.iter().cloned());
            references += r.references;
            claims += r.claims;
        }
        for (id, s) in &site.sources {
            if !self.metric_sources.contains(id) && !self.citations.contains_key(id) {
                diags.push(
                    Diagnostic::warning(format!("source `{id}` is never cited"))
                        .at(s.file, s.span.clone())
                        .help(format!("cite it with [text](source:{id}), or remove it")),
                );
            }
        }
        self.stats = Stats {
            plans: self.plans.len(),
            priorities: self
                .plans
                .iter()
                .map(|&p| docs[p].plan.as_ref().map_or(0, |s| s.priorities.len()))
                .sum(),
            sources: site.sources.len(),
            metrics: site.metrics.len(),
            references,
            claims,
        };
        diags.extend(self.asset_clashes(site));
        diags
    }
}

impl Graph {
    /// Files copied from content/ whose output paths clash with each other (`Data.csv` and
    /// `data.csv`): each reported once, at the first link to the later one. Clashes with the
    /// pages and plainsight's own files are reported at every link, by [`resolve_document`].
    fn asset_clashes(&self, site: &Site) -> Vec<Diagnostic> {
        let mut copied = Outputs::default();
        let mut diags = Vec::new();
        for path in &self.assets {
            // Against each other only: the table and its reserved folders were checked at
            // each link.
            let Err(clash) = copied.reserve(path, format!("content/{path}")) else {
                continue;
            };
            let (message, help) = clash.describe(&format!("content/{path}"), path);
            let mut d = Diagnostic::error(message).help(help);
            if let Some((file, span)) = self.first_link(site, path) {
                d = d.at(file, span);
            }
            if let Clash::Case { path: other, .. } | Clash::FileFolder { path: other, .. } = &clash
                && let Some((file, span)) = self.first_link(site, other)
            {
                d = d.also(file, span, format!("content/{other} is linked here"));
            }
            diags.push(d);
        }
        diags
    }

    /// Where a published document first links to the file content/`path`.
    fn first_link(&self, site: &Site, path: &str) -> Option<(FileId, Range<usize>)> {
        self.resolved.iter().enumerate().find_map(|(i, r)| {
            r.assets
                .iter()
                .find(|(p, _)| p == path)
                .map(|(_, span)| (site.documents[i].file, span.clone()))
        })
    }
}

/// How [`Graph::count`] changes the totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Count {
    /// Add a document, keeping each backlink list newest first.
    Insert,
    /// Add a document at the end of each backlink list, which the caller sorts once after
    /// (the whole site at once).
    Append,
    /// Take a document away.
    Remove,
}

/// Count one more (or one fewer) of `key`; a count that reaches zero goes.
fn tally<K: Ord + Clone + std::borrow::Borrow<Q>, Q: Ord + ?Sized + ToOwned<Owned = K>>(
    counts: &mut BTreeMap<K, usize>,
    key: &Q,
    how: Count,
) {
    if how != Count::Remove {
        *counts.entry(key.to_owned()).or_default() += 1;
    } else if let Some(n) = counts.get_mut(key) {
        *n -= 1;
        if *n == 0 {
            counts.remove(key);
        }
    }
}

/// Add `doc` to a backlink list, or take it away; true when that leaves the list empty (and
/// the caller drops it).
fn backlink(site: &Site, list: &mut Vec<usize>, doc: usize, how: Count) -> bool {
    match how {
        Count::Insert => insert_sorted(site, list, doc),
        Count::Append => list.push(doc),
        Count::Remove => return take_out(Some(list), doc),
    }
    false
}

/// Resolve one document's front matter references, links and images against the tables, and
/// check the figures it states.
fn resolve_document(
    graph: &Graph,
    site: &Site,
    sources: &SourceFiles,
    i: usize,
) -> (DocRefs, Resolution) {
    let docs = &site.documents;
    let d = &docs[i];
    let published = graph.include_drafts || !d.draft;
    let mut refs = DocRefs::default();
    let mut out = Resolution::default();
    let mut targets = xxhash_rust::xxh3::Xxh3Default::new();
    let diags = &mut out.problems;

    for m in &d.metrics {
        match links::metric_index(graph, site, m.value.as_str()) {
            Ok(_) => out.references += 1,
            Err(e) if is_echo(site, &e) => {}
            Err(e) => diags.push(reference_error(
                d,
                &m.span,
                &format!("metric `{}`", m.value),
                &e,
            )),
        }
    }
    for p in &d.plans {
        match links::plan(graph, p.value.as_str()) {
            Ok(index) => {
                out.references += 1;
                push_unique(&mut refs.plans, index);
            }
            Err(e) if is_echo(site, &e) => {}
            Err(e) => diags.push(reference_error(
                d,
                &p.span,
                &format!("plan `{}`", p.value),
                &e,
            )),
        }
    }
    for q in &d.priorities {
        let r = &q.value;
        match links::priority(graph, site, r.plan.as_str(), r.priority.as_str()) {
            Ok(Target::Priority { plan, priority }) => {
                out.references += 1;
                push_unique(&mut refs.priorities, (plan, priority));
            }
            Ok(_) => {}
            Err(e) if is_echo(site, &e) => {}
            Err(e) => diags.push(reference_error(d, &q.span, &format!("priority `{r}`"), &e)),
        }
    }

    let body_offset = d.body_offset;
    let located = |span: &Range<usize>| span.start + body_offset..span.end + body_offset;
    // Where a destination points; one that does not resolve is reported at its place.
    let mut classify =
        |dest: &str, span: &Range<usize>, what: &str, diags: &mut Vec<_>| match links::classify(
            graph, site, d, dest,
        ) {
            Ok(t) => {
                digest_target(site, graph, &t, &mut targets);
                Some(t)
            }
            Err(e) if is_echo(site, &e) => None,
            Err(e) => {
                let (msg, help) = e.describe(&format!("{what} `{dest}`"));
                diags.push(Diagnostic::error(msg).at(d.file, located(span)).help(help));
                None
            }
        };
    for link in &d.scan.links {
        let Some(target) = classify(&link.dest, &link.span, "link to", diags) else {
            continue;
        };
        match target {
            Target::Document { index, .. } => {
                out.references += 1;
                if docs[index].draft && !d.draft && !graph.include_drafts {
                    diags.push(
                        Diagnostic::error(format!("link to the draft {}", sources.path(docs[index].file)))
                            .at(d.file, located(&link.span))
                            .help("publish the target (remove `draft: true`), or remove the link; `--drafts` builds drafts too"),
                    );
                }
            }
            Target::Plan(index) => {
                out.references += 1;
                push_unique(&mut refs.plans, index);
            }
            Target::Priority { plan, priority } => {
                out.references += 1;
                push_unique(&mut refs.priorities, (plan, priority));
            }
            Target::Source(id) => {
                out.references += 1;
                push_unique(&mut out.cited, id.clone());
                push_unique(&mut refs.sources, id);
            }
            Target::Metric { metric, point } => {
                out.references += 1;
                let m = &site.metrics[metric];
                let p = &m.series[point];
                let (stated, problem) =
                    figures::check(&link.text, m.unit, p.value, &named_numbers(&link.dest, p));
                if stated > 0 {
                    out.claims += 1;
                }
                if let Some(problem) = problem {
                    diags.push(
                        claim_error(m, p, &problem)
                            .at(d.file, located(&link.span))
                            .also(m.file, p.span.clone(), "the data"),
                    );
                }
                // The metric's source is cited wherever its figures are.
                if site.sources.contains_key(&m.source.value) {
                    push_unique(&mut refs.sources, m.source.value.clone());
                }
            }
            Target::Asset { path, .. } if published => {
                check_copied(
                    graph,
                    &path,
                    &link.dest,
                    "link to",
                    d,
                    located(&link.span),
                    diags,
                );
                out.assets.push((path, located(&link.span)));
            }
            _ => {}
        }
    }
    for image in &d.scan.images {
        let Some(target) = classify(&image.dest, &image.span, "image", diags) else {
            continue;
        };
        match target {
            Target::Asset { path, .. } => {
                if published {
                    let span = located(&image.span);
                    check_copied(graph, &path, &image.dest, "image", d, span.clone(), diags);
                    out.assets.push((path, span));
                }
            }
            // A file the build makes (a theme image) may be shown; a page may not.
            Target::External(_) | Target::Rooted { page: false, .. } => {}
            _ => diags.push(
                Diagnostic::error(format!("image `{}` is not an image file", image.dest))
                    .at(d.file, located(&image.span))
                    .help("point at an image file (e.g. chart.png) relative to this document"),
            ),
        }
    }

    if !site.config.allow_raw_html {
        for (span, what) in &d.scan.unsafe_html {
            diags.push(
                Diagnostic::warning(format!("raw HTML: {what} is removed when published"))
                    .at(d.file, located(span))
                    .help("raw HTML is sanitised; write it in Markdown, or set `allow_raw_html: true` in site.yaml if every author is trusted"),
            );
        }
    }

    // A plan's own page lists its priorities; it does not answer to itself.
    refs.plans.retain(|&p| p != i);
    refs.priorities.retain(|&(p, _)| p != i);
    out.targets = targets.finish();
    (refs, out)
}

/// The whole numbers a metric link names, which its text may state besides the value: the
/// point's year (and month number), and the numbers in the destination (`under-25s`,
/// `since-2016`, `@2021-12`).
fn named_numbers(dest: &str, p: &crate::content::metrics::Point) -> BTreeSet<u64> {
    let mut named: BTreeSet<u64> = dest
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|run| run.parse().ok())
        .collect();
    match p.period {
        crate::content::Period::Year(y) => named.extend(u64::try_from(y).ok()),
        crate::content::Period::Month(y, m) => {
            named.extend(u64::try_from(y).ok());
            named.insert(u64::from(m));
        }
    }
    named
}

/// The error for a metric link whose text states figures the data does not bear out.
fn claim_error(
    m: &crate::content::Metric,
    p: &crate::content::metrics::Point,
    problem: &figures::ClaimError,
) -> Diagnostic {
    let is = format!(
        "{} in {}",
        figures::value(m.unit, p.value),
        p.period.label()
    );
    match problem {
        figures::ClaimError::Unreadable(c) => Diagnostic::error(format!(
            "the text writes a number with `{c}` (U+{:04X}), which cannot be checked against {}",
            u32::from(*c),
            m.id
        ))
        .help(format!(
            "write the figure with digits, as {}; superscripts, fractions and numerals other than a script's decimal digits cannot be read",
            figures::value(m.unit, p.value)
        )),
        figures::ClaimError::Wrong(said) => Diagnostic::error(format!(
            "the text says {} but {} is {is}",
            figures::and_list(said),
            m.id
        ))
        .help("correct the figure, or name the period it describes with @PERIOD"),
        figures::ClaimError::WrongUnit(said) => Diagnostic::error(format!(
            "the text says {} but {} is {}: {is}",
            said.text,
            m.id,
            figures::unit_words(m.unit)
        ))
        .help(format!(
            "write the figure in the metric's unit, as {}",
            figures::value(m.unit, p.value)
        )),
        figures::ClaimError::Extra(said) => Diagnostic::error(format!(
            "the text also says {}, which is neither {}'s value ({is}) nor a period the link names",
            figures::and_list(said),
            m.id
        ))
        .help("a figure's link text states only that figure: link each other figure to its own point (metric:ID@PERIOD), or move it out of the link text"),
    }
}

/// A file under content/ that a published document links (`what` `dest`, at `span`) is copied
/// to the same path in the output: refused where a page or plainsight's own file is, or in a
/// folder plainsight reserves.
fn check_copied(
    graph: &Graph,
    path: &str,
    dest: &str,
    what: &str,
    d: &Document,
    span: Range<usize>,
    diags: &mut Vec<Diagnostic>,
) {
    if let Err(clash) = graph.outputs.check(path) {
        let (message, help) = clash.describe(&format!("{what} `{dest}`: content/{path}"), path);
        diags.push(Diagnostic::error(message).at(d.file, span).help(help));
    }
}

/// Feed what a checked destination publishes as into `h`: the pages it names by their URLs,
/// not by index, since indices move when documents come and go.
fn digest_target(site: &Site, graph: &Graph, t: &Target, h: &mut impl Hasher) {
    match t {
        Target::Document { index, fragment } => {
            (0u8, &site.documents[*index].url.0, fragment).hash(h);
        }
        Target::Plan(index) => (1u8, &site.documents[*index].url.0).hash(h),
        Target::Priority { plan, priority } => {
            (2u8, graph.priority_url(site, (*plan, *priority)).0).hash(h);
        }
        Target::Metric { metric, point } => (3u8, *metric, *point).hash(h),
        // What a `/path` names (a page, a file the build makes, a file under content/) and its
        // published form depend on the rest of the site, not only on the text.
        Target::Rooted { path, suffix, .. } => (4u8, path, suffix).hash(h),
        Target::Asset { path, suffix } => (5u8, path, suffix).hash(h),
        // The rest are written in the document itself, or are data every page depends on.
        Target::External(_) | Target::Fragment(_) | Target::Source(_) => {}
    }
}

/// Metric ids, sources and priorities, checked; metrics attached to their priorities and plans.
fn resolve_metrics(
    site: &Site,
    sources: &SourceFiles,
    graph: &mut Graph,
    diags: &mut Vec<Diagnostic>,
) {
    for (i, m) in site.metrics.iter().enumerate() {
        if let Some(&first) = graph.metric_by_id.get(&m.id) {
            let f = &site.metrics[first];
            diags.push(
                Diagnostic::error(format!(
                    "metric id `{}` is also used by {}",
                    m.id,
                    sources.path(f.file)
                ))
                .at(m.file, m.id_span.clone())
                .help("give one of them a different `id:`")
                .also(f.file, f.id_span.clone(), "first used here"),
            );
            continue;
        }
        graph.metric_by_id.insert(m.id.clone(), i);
        match site.sources.get_key_value(&m.source.value) {
            Some((key, _)) => {
                graph.metric_sources.insert(key.clone());
            }
            None if is_echo(
                site,
                &LinkError::NoSource {
                    id: m.source.value.to_string(),
                    suggestion: None,
                },
            ) => {}
            None => {
                let id = m.source.value.as_str();
                let suggestion =
                    crate::diag::suggest(id, site.sources.keys().map(SourceId::as_str));
                let help = suggestion.map_or_else(
                    || "add it to content/sources.yaml".to_string(),
                    |s| format!("did you mean `{s}`?"),
                );
                diags.push(
                    Diagnostic::error(format!(
                        "unknown source `{id}`: there is no such source in content/sources.yaml"
                    ))
                    .at(m.file, m.source.span.clone())
                    .help(help),
                );
            }
        }
        for q in &m.priorities {
            let r = &q.value;
            match links::priority(graph, site, r.plan.as_str(), r.priority.as_str()) {
                Ok(Target::Priority { plan, priority }) => {
                    graph
                        .priority_metrics
                        .entry((plan, priority))
                        .or_default()
                        .push(i);
                    let list = graph.plan_metrics.entry(plan).or_default();
                    if !list.contains(&i) {
                        list.push(i);
                    }
                }
                Ok(_) => {}
                Err(e) if is_echo(site, &e) => {}
                Err(e) => {
                    let (message, help) = reference_message(&format!("priority `{r}`"), &e);
                    diags.push(
                        Diagnostic::error(message)
                            .at(m.file, q.span.clone())
                            .help(help),
                    );
                }
            }
        }
    }
}

/// Whether a reference failed only because its target exists but could not be loaded: an echo
/// of that file's own errors, which are reported there. A name that was never defined
/// anywhere is still an error, with a suggestion.
fn is_echo(site: &Site, e: &LinkError) -> bool {
    let u = &site.unloaded;
    match e {
        LinkError::NoDocument { path, .. } => u.documents.contains(path),
        LinkError::NoPlan { id, .. } => u.document_ids.contains(id),
        LinkError::NoMetric { id, .. } => u.metrics.contains(id),
        LinkError::NoSource { id, .. } => u.all_sources || u.sources.contains(id),
        _ => false,
    }
}

/// An unknown plan or priority named in front matter, at its place in the list.
fn reference_error(d: &Document, span: &Range<usize>, what: &str, e: &LinkError) -> Diagnostic {
    let (message, help) = reference_message(what, e);
    Diagnostic::error(message)
        .at(d.file, span.clone())
        .help(help)
}

/// "unknown plan `x`" and its advice, for a reference in front matter or a data file.
fn reference_message(what: &str, e: &LinkError) -> (String, String) {
    match e {
        LinkError::NoPlan { id, .. } if what.starts_with("plan") => {
            (format!("unknown plan `{id}`"), e.describe("").1)
        }
        LinkError::NoPlan { id, .. } => (
            format!("unknown {what}: there is no plan `{id}`"),
            e.describe("").1,
        ),
        LinkError::NoPriority { plan, priority, .. } => (
            format!("unknown {what}: plan `{plan}` has no priority `{priority}`"),
            e.describe("").1,
        ),
        LinkError::NoMetric { id, .. } => (format!("unknown metric `{id}`"), e.describe("").1),
        e => e.describe(what),
    }
}

/// What the build writes at each output path: the route table's pages and data files (so
/// that what links are checked against cannot drift from what is written), the theme's static
/// files, and drafts' pages (so that a link to one is reported as a link to a draft). Files
/// under content/ are looked up in the site when a link names them.
fn written(site: &Site, sources: &SourceFiles, graph: &Graph) -> HashMap<String, Output> {
    use crate::routes::{Route, all};
    let mut out: HashMap<String, Output> = all(site, graph)
        .into_iter()
        .map(|route| {
            let entry = route.entry(site, sources, graph);
            let kind = match route {
                Route::Document(i) => Output::Document(i),
                _ if entry.template.is_some() => Output::Page,
                _ => Output::File,
            };
            (entry.path, kind)
        })
        .collect();
    out.extend(
        site.theme
            .assets
            .keys()
            .map(|name| (format!("static/{name}"), Output::File)),
    );
    for (i, d) in site.documents.iter().enumerate() {
        out.entry(d.url.file()).or_insert(Output::Document(i));
    }
    out
}

/// Every output file has one owner: two pages that would be written to the same place, or to
/// paths that differ only in letter case, or a page in a folder plainsight reserves, are errors.
/// Returns the table, so files copied from content/ are checked against it too.
fn check_output_paths(
    site: &Site,
    sources: &SourceFiles,
    graph: &Graph,
    diags: &mut Vec<Diagnostic>,
) -> Outputs {
    let docs = &site.documents;
    let mut outputs = Outputs::default();
    // Claims a path plainsight writes; false (and reported, unless it is an echo) if it clashes.
    let mut generated = |path: String, owner: String, place: Option<(FileId, Range<usize>)>| {
        let Err(clash) = outputs.reserve(&path, owner.clone()) else {
            return true;
        };
        // The same path twice is a duplicate metric or priority id, reported where it is
        // written; only the other clashes are new.
        if !matches!(clash, Clash::Taken { .. }) {
            let (message, help) = clash.describe(&owner, &path);
            let mut d = Diagnostic::error(message).help(help);
            if let Some((file, span)) = place {
                d = d.at(file, span);
            }
            diags.push(d);
        }
        false
    };
    generated(
        crate::output::MARKER.into(),
        "the output folder's marker".into(),
        None,
    );
    let claimed = crate::routes::claimed(site, sources, graph);
    // The theme's files are claimed after the metrics' and listings' pages, before priorities'.
    let (before, after) = claimed.split_at(
        claimed
            .iter()
            .position(|(_, e)| e.claim >= Claim::Priority)
            .unwrap_or(claimed.len()),
    );
    // A metric's three files share one clash: report it once.
    let mut failed_metric = None;
    for (route, entry) in before {
        match *route {
            Route::MetricCsv(i) | Route::MetricJson(i) if failed_metric == Some(i) => continue,
            _ => {}
        }
        if !generated(entry.path.clone(), entry.owner.clone(), entry.place.clone())
            && let Route::Metric(i) | Route::MetricCsv(i) = *route
        {
            failed_metric = Some(i);
        }
    }
    for name in site.theme.assets.keys() {
        generated(
            format!("static/{name}"),
            format!("the theme's static/{name}"),
            None,
        );
    }
    for (route, entry) in after {
        if !matches!(route, Route::Document(_)) {
            generated(entry.path.clone(), entry.owner.clone(), entry.place.clone());
        }
    }
    for (route, entry) in after {
        let Route::Document(i) = *route else {
            continue;
        };
        let d = &docs[i];
        let file = &entry.path;
        let (message, help) = match outputs.claim(file, entry.owner.clone()) {
            Ok(()) => continue,
            Err(Clash::Taken { owner }) => (
                format!(
                    "two files would be written to /{}: this document and {owner}",
                    d.url.0
                ),
                "rename or move one of them".to_string(),
            ),
            Err(Clash::Case { path, owner }) => (
                format!(
                    "/{file} differs from {owner}'s /{path} only in letter case: on macOS and Windows they are one file"
                ),
                "rename one of them so that their paths differ in more than case".to_string(),
            ),
            Err(clash) => clash.describe("this document", file),
        };
        diags.push(Diagnostic::error(message).at(d.file, 0..0).help(help));
    }
    outputs
}
