//! Resolve: turns the loaded [`Site`] into a [`Graph`] — id, path and URL tables built once,
//! every link, image and front matter reference checked (and where each link points kept, so
//! that render looks links up rather than resolving them), backlinks between documents, plans,
//! priorities and sources computed in one pass, drafts applied, listings and the timeline
//! ordered — and reports what does not hold together. Rendering reads the graph; nothing here
//! touches the disk. Every step is linear in the number of documents and references.

pub(crate) mod commitments;
pub(crate) mod freshness;
mod links;
mod outputs;
pub(crate) mod self_urls;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use std::hash::{Hash, Hasher};

use chrono::Datelike;
use rayon::prelude::*;

use crate::content::{
    DocId, DocIx, Document, Kind, MetricId, MetricIx, PlanId, PlanIx, Site, SitePath, SourceId,
};
use crate::diag::{Diagnostic, FileId, SourceFiles};
use crate::figures;
use crate::markdown::Destination;
use crate::routes::{Claim, Entry, Route};
use crate::urls::{
    self, ACCESSIBILITY_PAGE, FEED, PAGES_INDEX, SOURCES_PAGE, encode_path, metric_url,
    reading_href,
};
pub(crate) use links::{LinkError, Target};
use outputs::{Clash, Outputs};

/// Documents per listing page.
pub(crate) const PAGE_SIZE: usize = 20;
/// Documents on the home page's "latest" list.
pub(crate) const HOME_LATEST: usize = 10;
/// Pages a footer links at most: every page carries the footer, so a site with thousands of
/// pages must not copy them all into each one.
pub(crate) const FOOTER_LIMIT: usize = 12;

/// The documents of one kind, newest first, for its paginated listing.
#[derive(Debug)]
pub(crate) struct Listing {
    pub(crate) kind: Kind,
    pub(crate) docs: Vec<DocIx>,
}

impl Listing {
    pub(crate) fn page_count(&self) -> usize {
        self.docs.len().div_ceil(PAGE_SIZE).max(1)
    }

    /// Page 1 is the kind's folder (`reports/`), later pages `reports/page/2/`.
    pub(crate) fn page_url(&self, page: usize) -> SitePath {
        let folder = self.kind.folder().unwrap_or("pages");
        if page <= 1 {
            SitePath(format!("{folder}/"))
        } else {
            SitePath(format!("{folder}/page/{page}/"))
        }
    }

    /// The listing's Atom feed: `reports/feed.xml`.
    pub(crate) fn feed_path(&self) -> String {
        format!("{}{FEED}", self.page_url(1).0)
    }

    pub(crate) fn page(&self, page: usize) -> &[DocIx] {
        let start = (page - 1) * PAGE_SIZE;
        &self.docs[start.min(self.docs.len())..(start + PAGE_SIZE).min(self.docs.len())]
    }
}

/// A priority: its plan, and its place in that plan's list of priorities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct PriorityKey {
    pub(crate) plan: PlanIx,
    pub(crate) priority: usize,
}

/// What one document answers to and cites, in the order first named.
#[derive(Debug, Default, Clone)]
pub(crate) struct DocRefs {
    /// The plans it answers to: its front matter `plans:`.
    pub(crate) plans: Vec<PlanIx>,
    /// The priorities it answers to: its front matter `priorities:`.
    pub(crate) priorities: Vec<PriorityKey>,
    pub(crate) sources: Vec<SourceId>,
    /// What its text links to without answering to it.
    pub(crate) mentions: Mentions,
    /// The commitments its `progress:` reports on, each with its place in that list.
    pub(crate) reports: Vec<(commitments::CommitmentKey, usize)>,
}

/// What a document's text mentions (`plan:`, `priority:`, `doc:` and relative links to
/// documents) and does not answer to: a link names a subject, it does not make the document
/// a response to it. A plan or priority it also answers to is not repeated here.
#[derive(Debug, Default, Clone)]
pub(crate) struct Mentions {
    /// Plans linked (with `plan:` or as a document), or named through one of their priorities.
    pub(crate) plans: Vec<PlanIx>,
    pub(crate) priorities: Vec<PriorityKey>,
    /// Documents other than plans.
    pub(crate) documents: Vec<DocIx>,
}

fn push_unique<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

/// How much the build checked, for the build report.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub(crate) plans: usize,
    pub(crate) priorities: usize,
    pub(crate) sources: usize,
    pub(crate) metrics: usize,
    /// `doc:`, `plan:`, `priority:`, `source:`, `metric:` and relative document links, and
    /// front matter `plans:`/`priorities:`/`metrics:` entries, that resolved.
    pub(crate) references: usize,
    /// Figures stated in `metric:` link text and checked against the data.
    pub(crate) claims: usize,
}

/// What the build writes at an output path, for checking links to `/path`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Output {
    /// A document's page (a draft's too, so that a link to it is reported as one).
    Document(DocIx),
    /// Any other HTML page.
    Page,
    /// A feed, data file, the sitemap, a theme file…
    File,
}

/// The resolved site: which documents are published and how everything links.
#[derive(Debug)]
pub(crate) struct Graph {
    /// Indices into `Site::documents` of the documents to publish, in path order.
    pub(crate) published: Vec<DocIx>,
    pub(crate) listings: Vec<Listing>,
    /// Newest dated documents, for the home page.
    pub(crate) latest: Vec<DocIx>,
    /// Published pages (kind `page`), by title, for the index of pages.
    pub(crate) pages: Vec<DocIx>,
    /// The pages marked `footer: true`, by title, at most [`FOOTER_LIMIT`].
    pub(crate) footer: Vec<DocIx>,
    /// Published plans, newest period first.
    pub(crate) plans: Vec<PlanIx>,
    /// Published dated documents by year, newest first.
    pub(crate) timeline: Vec<(i32, Vec<DocIx>)>,
    /// Per document (by index): the plans and priorities it answers to and the sources it cites.
    pub(crate) refs: Vec<DocRefs>,
    /// Published documents that answer to each plan (or one of its priorities), newest first.
    pub(crate) plan_backlinks: HashMap<PlanIx, Vec<DocIx>>,
    /// Published documents that answer to each priority, newest first.
    pub(crate) priority_backlinks: HashMap<PriorityKey, Vec<DocIx>>,
    /// Published documents that mention each plan, priority or document without answering to
    /// it, newest first.
    pub(crate) plan_mentions: HashMap<PlanIx, Vec<DocIx>>,
    pub(crate) priority_mentions: HashMap<PriorityKey, Vec<DocIx>>,
    pub(crate) doc_mentions: HashMap<DocIx, Vec<DocIx>>,
    /// The plans that name each plan in `supersedes:`, and the plan each one names.
    pub(crate) replaced_by: HashMap<PlanIx, Vec<PlanIx>>,
    pub(crate) replaces: HashMap<PlanIx, PlanIx>,
    /// Published documents that cite each source, newest first.
    pub(crate) source_backlinks: BTreeMap<SourceId, Vec<DocIx>>,
    /// Metrics whose readings cite each source, with those readings (indexes into the
    /// series), in metric order.
    pub(crate) source_metrics: BTreeMap<SourceId, Vec<(MetricIx, Vec<usize>)>>,
    /// Files under content/ that published documents use.
    pub(crate) assets: BTreeSet<String>,
    /// The date the site's figures are as of (see [`freshness::reference_date`]); none for a
    /// site with no dates and no readings.
    pub(crate) reference: Option<freshness::ReferenceDate>,
    /// The progress reports of published documents on each commitment, newest first.
    pub(crate) reports: HashMap<commitments::CommitmentKey, Vec<commitments::ReportRef>>,
    /// Published documents with corrections, newest correction first: each correction with
    /// its document.
    pub(crate) corrections: Vec<(DocIx, usize)>,
    pub(crate) include_drafts: bool,
    pub(crate) stats: Stats,
    by_path: HashMap<String, DocIx>,
    plan_by_id: BTreeMap<PlanId, PlanIx>,
    metric_by_id: BTreeMap<MetricId, MetricIx>,
    /// Metrics that serve each priority, and each plan.
    pub(crate) priority_metrics: HashMap<PriorityKey, Vec<MetricIx>>,
    pub(crate) plan_metrics: HashMap<PlanIx, Vec<MetricIx>>,
    /// What each document's own links came to, by index, kept so that [`Graph::update`] redoes
    /// only the documents that changed.
    resolved: Vec<Resolution>,
    /// Problems in the tables (duplicate ids, clashing output paths, metrics), which depend
    /// only on what [`same_interface`] compares.
    table_problems: Vec<Diagnostic>,
    /// Who writes each output file, to check the files copied from content/.
    outputs: Outputs,
    /// What the build makes at each output path (`reports/index.html`), for `/path` links.
    pub(crate) written: HashMap<String, Output>,
    /// Sources that metrics cite.
    metric_sources: BTreeSet<SourceId>,
    /// How many documents cite each source, and use each file under content/.
    citations: BTreeMap<SourceId, usize>,
    asset_users: BTreeMap<String, usize>,
    /// Addresses of the site that site.yaml and sources.yaml name, checked in
    /// [`Graph::summarise`] since the files copied from content/ can change.
    own_addresses: Vec<self_urls::Named>,
}

/// Lists kept by document, indexed by [`DocIx`].
macro_rules! by_document {
    ($($t:ty),*) => {$(
        impl std::ops::Index<DocIx> for Vec<$t> {
            type Output = $t;
            fn index(&self, i: DocIx) -> &$t {
                &self[i.0]
            }
        }
        impl std::ops::IndexMut<DocIx> for Vec<$t> {
            fn index_mut(&mut self, i: DocIx) -> &mut $t {
                &mut self[i.0]
            }
        }
    )*};
}
by_document!(DocRefs, Resolution);

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
    /// Where each destination it writes points, for those that resolved: render looks its
    /// links up here rather than resolving them again.
    links: HashMap<String, Target, xxhash_rust::xxh3::Xxh3DefaultBuilder>,
}

impl Graph {
    /// A digest of where document `i`'s links and images point: its page changes when this
    /// does, even if its own text did not.
    pub(crate) fn targets_digest(&self, i: DocIx) -> u64 {
        self.resolved[i].targets
    }

    /// Whether the build writes its own accessibility statement (a site's own
    /// content/accessibility.md replaces it).
    pub(crate) fn makes_accessibility_statement(&self, site: &Site) -> bool {
        !self
            .published
            .iter()
            .any(|&i| site.documents[i].url.0 == ACCESSIBILITY_PAGE)
    }

    /// Whether the build writes the index of pages: when some page is not in the footer, so
    /// that every page stays reachable.
    pub(crate) fn makes_page_index(&self) -> bool {
        self.footer.len() < self.pages.len()
    }

    /// A priority's page: under its plan's page (`plans/p/reduce-violence/`).
    pub(crate) fn priority_url(
        &self,
        site: &Site,
        PriorityKey { plan, priority }: PriorityKey,
    ) -> SitePath {
        let d = &site.documents[plan];
        let id = d
            .plan
            .as_ref()
            .map_or("", |p| p.priorities[priority].id.as_str());
        urls::priority_url(&d.url, id)
    }

    /// A source's link: its own address, or its entry on the sources page.
    pub(crate) fn source_href(&self, site: &Site, id: &SourceId) -> String {
        match site.sources.get(id).and_then(|s| s.url.clone()) {
            Some(url) => url,
            None => format!(
                "{}#source-{}",
                site.config.base_url.href(SOURCES_PAGE),
                id.as_str()
            ),
        }
    }

    /// What the destination `dest`, written in document `doc`, points at, as resolve checked
    /// it; `None` when resolve did not accept it (or never saw it: a bug in the caller).
    pub(crate) fn target(&self, doc: DocIx, dest: &str) -> Option<&Target> {
        self.resolved.get(doc.0)?.links.get(dest)
    }

    /// The href a checked target publishes as.
    pub(crate) fn href(&self, site: &Site, target: &Target) -> String {
        let base = &site.config.base_url;
        let page = |p: &SitePath| base.href(&encode_path(&p.0));
        match target {
            Target::External(u) => u.clone(),
            Target::Fragment(f) => format!("#{f}"),
            Target::Rooted { path, suffix, .. } | Target::Asset { path, suffix } => {
                format!("{}{suffix}", base.root_href(&encode_path(path)))
            }
            Target::Document { index, fragment } => {
                let url = site.doc_href(&site.documents[*index]);
                if fragment.is_empty() {
                    url
                } else {
                    format!("{url}#{fragment}")
                }
            }
            Target::Plan(index) => site.doc_href(&site.documents[*index]),
            Target::Priority(key) => page(&self.priority_url(site, *key)),
            Target::Source(id) => self.source_href(site, id),
            Target::Metric { metric, point } => {
                let m = &site.metrics[*metric];
                reading_href(&page(&metric_url(m)), &m.series[*point].period)
            }
        }
    }
}

/// The order of every list of documents: newest first, then by title and id.
fn newer(site: &Site, a: DocIx, b: DocIx) -> std::cmp::Ordering {
    let (a, b) = (&site.documents[a], &site.documents[b]);
    b.date
        .cmp(&a.date)
        .then_with(|| a.title.cmp(&b.title))
        .then_with(|| a.id.cmp(&b.id))
}

fn newest_first(site: &Site, docs: &mut [DocIx]) {
    docs.sort_by(|&a, &b| newer(site, a, b));
}

/// Put `doc` in its place in a list kept newest first, unless it is there.
fn insert_sorted(site: &Site, list: &mut Vec<DocIx>, doc: DocIx) {
    if let Err(at) = list.binary_search_by(|&x| newer(site, x, doc)) {
        list.insert(at, doc);
    }
}

/// Take `doc` out of a backlink list; true when that leaves it empty (and the caller drops it).
fn take_out(list: Option<&mut Vec<DocIx>>, doc: DocIx) -> bool {
    list.is_some_and(|l| {
        l.retain(|&x| x != doc);
        l.is_empty()
    })
}

/// The plans a document answers to, directly or through one of their priorities.
fn plans_of(refs: &DocRefs) -> BTreeSet<PlanIx> {
    refs.plans
        .iter()
        .copied()
        .chain(refs.priorities.iter().map(|k| k.plan))
        .collect()
}

/// Document `i`'s mentions as listed: a priority's plan is mentioned with it; what it
/// answers to, and itself, are left out (it is listed once, as answering).
fn settle_mentions(refs: &mut DocRefs, i: DocIx) {
    let answered = plans_of(refs);
    let m = &mut refs.mentions;
    for k in m.priorities.clone() {
        push_unique(&mut m.plans, k.plan);
    }
    m.plans.retain(|p| p.doc() != i && !answered.contains(p));
    m.priorities
        .retain(|k| k.plan.doc() != i && !refs.priorities.contains(k));
    m.documents.retain(|&d| d != i);
}

/// Where a document's id is written, or the top of the file when it is the file stem.
fn id_place(sources: &SourceFiles, d: &Document) -> (Range<usize>, String) {
    let span = d.id_span.clone().unwrap_or(0..0);
    let (line, col) = sources.line_col(d.file, span.start);
    (span, format!("{}:{line}:{col}", sources.path(d.file)))
}

/// Resolve the loaded site: the tables, the lists, then each document (in parallel), then the
/// totals over documents.
pub(crate) fn resolve(
    site: &Site,
    sources: &SourceFiles,
    include_drafts: bool,
) -> (Graph, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let docs = &site.documents;
    let IdTables {
        by_path,
        plan_by_id,
    } = id_tables(site, sources, &mut diags);
    let published: Vec<DocIx> = site
        .doc_ixs()
        .filter(|&i| include_drafts || !docs[i].draft)
        .collect();
    let listings = listings(site, &published);
    let timeline = timeline(site, &published);
    let latest: Vec<DocIx> = timeline
        .iter()
        .flat_map(|(_, list)| list)
        .copied()
        .take(HOME_LATEST)
        .collect();
    let mut pages: Vec<DocIx> = published
        .iter()
        .copied()
        .filter(|&i| docs[i].kind == Kind::Page)
        .collect();
    pages.sort_by(|&a, &b| docs[a].title.cmp(&docs[b].title));
    let footer = footer_pages(site, &pages, &mut diags);
    let plans = published_plans(site, &published, &plan_by_id);

    let reference = freshness::reference_date(site, &published);
    let corrections = freshness::corrections(site, &published);
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
        plan_mentions: HashMap::new(),
        priority_mentions: HashMap::new(),
        doc_mentions: HashMap::new(),
        replaced_by: HashMap::new(),
        replaces: HashMap::new(),
        source_backlinks: BTreeMap::new(),
        source_metrics: BTreeMap::new(),
        assets: BTreeSet::new(),
        reference,
        reports: HashMap::new(),
        corrections,
        include_drafts,
        stats: Stats::default(),
        by_path,
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
        own_addresses: Vec::new(),
    };

    // Every route's entry, worked out once for both the clash check and links to `/path`.
    let made = crate::routes::entries(site, sources, &graph);
    graph.outputs = check_output_paths(site, sources, &graph, &made, &mut diags);
    graph.written = written(site, &made);
    graph.own_addresses = self_urls::named(site, sources);
    diags.extend(self_urls::hidden_pages(&graph, site));
    resolve_metrics(site, sources, &mut graph, &mut diags);
    resolve_supersedes(site, &mut graph, &mut diags);
    commitments::check_definitions(site, &graph, &mut diags);
    graph.table_problems = diags;
    let (refs, resolved) = (0..docs.len())
        .into_par_iter()
        .map(|i| resolve_document(&graph, site, sources, DocIx(i)))
        .unzip();
    graph.refs = refs;
    graph.resolved = resolved;
    let problems = graph.aggregate(site);
    (graph, problems)
}

/// The tables documents are found by: path and plan id.
struct IdTables {
    by_path: HashMap<String, DocIx>,
    plan_by_id: BTreeMap<PlanId, PlanIx>,
}

/// The id, path and plan tables; a duplicate id is an error, and the first document keeps it.
fn id_tables(site: &Site, sources: &SourceFiles, diags: &mut Vec<Diagnostic>) -> IdTables {
    let docs = &site.documents;
    let mut by_id: HashMap<DocId, DocIx> = HashMap::with_capacity(docs.len());
    let mut by_path = HashMap::with_capacity(docs.len());
    let mut plan_by_id = BTreeMap::new();
    for (i, d) in site.doc_ixs().zip(docs) {
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
                plan_by_id.insert(PlanId(d.id.0.clone()), PlanIx(i));
            }
        }
    }
    IdTables {
        by_path,
        plan_by_id,
    }
}

/// One listing per dated kind that has published documents, newest first.
fn listings(site: &Site, published: &[DocIx]) -> Vec<Listing> {
    let docs = &site.documents;
    let mut listings = Vec::new();
    for kind in Kind::ALL.into_iter().filter(|k| k.is_dated()) {
        let mut list: Vec<DocIx> = published
            .iter()
            .copied()
            .filter(|&i| docs[i].kind == kind)
            .collect();
        if !list.is_empty() {
            newest_first(site, &mut list);
            listings.push(Listing { kind, docs: list });
        }
    }
    listings
}

/// The published dated documents, newest first, by year.
fn timeline(site: &Site, published: &[DocIx]) -> Vec<(i32, Vec<DocIx>)> {
    let docs = &site.documents;
    let mut dated: Vec<DocIx> = published
        .iter()
        .copied()
        .filter(|&i| docs[i].date.is_some())
        .collect();
    newest_first(site, &mut dated);
    let mut timeline: Vec<(i32, Vec<DocIx>)> = Vec::new();
    for &i in &dated {
        let year = docs[i].date.map_or(0, |d| d.year());
        match timeline.last_mut() {
            Some((y, list)) if *y == year => list.push(i),
            _ => timeline.push((year, vec![i])),
        }
    }
    timeline
}

/// The published plans that own their id, newest period first, then by title.
fn published_plans(
    site: &Site,
    published: &[DocIx],
    plan_by_id: &BTreeMap<PlanId, PlanIx>,
) -> Vec<PlanIx> {
    let docs = &site.documents;
    let mut plans: Vec<PlanIx> = published
        .iter()
        .map(|&i| PlanIx(i))
        // A plan whose id another document took first is not one (its id is reported).
        .filter(|&p| {
            docs[p].plan.is_some() && plan_by_id.get(&PlanId(docs[p].id.0.clone())) == Some(&p)
        })
        .collect();
    plans.sort_by(|&a, &b| {
        let start = |p: PlanIx| docs[p].plan.as_ref().map(|p| p.start);
        start(b)
            .cmp(&start(a))
            .then_with(|| docs[a].title.cmp(&docs[b].title))
    });
    plans
}

/// The pages among `pages` that ask for the footer, keeping at most [`FOOTER_LIMIT`]; more is
/// an error at the first one past the limit (by title), which names the others.
fn footer_pages(site: &Site, pages: &[DocIx], diags: &mut Vec<Diagnostic>) -> Vec<DocIx> {
    let docs = &site.documents;
    let marked: Vec<(DocIx, Range<usize>)> = pages
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
pub(crate) fn same_interface(a: &Document, b: &Document) -> bool {
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
        && a.updated == b.updated
        && a.corrections == b.corrections
        && a.scan.headings == b.scan.headings
}

impl Graph {
    /// The graph after the documents at `changed` were edited, each keeping
    /// [`same_interface`] with its previous version, and nothing else changed: only those
    /// documents are resolved again. Gives the same graph and problems as [`resolve`].
    pub(crate) fn update(
        mut self,
        site: &Site,
        sources: &SourceFiles,
        changed: &[DocIx],
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
        // Changed documents keep their dates (see `same_interface`), but the reference
        // date depends on every document, so it is worked out again rather than trusted.
        self.reference = freshness::reference_date(site, &self.published);
        self.corrections = freshness::corrections(site, &self.published);
        let problems = self.summarise(site);
        (self, problems)
    }

    /// Add document `i`'s backlinks, citations and files to the totals, or take them away: the
    /// one per-document step of both [`Graph::aggregate`] and [`Graph::update`].
    fn count(&mut self, site: &Site, i: DocIx, how: Count) {
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
        self.count_reports(site, i, how);
        self.count_mentions(site, i, how);
    }

    /// Document `i`'s progress reports, added to each commitment's reports or taken away.
    fn count_reports(&mut self, site: &Site, i: DocIx, how: Count) {
        for &(key, entry) in &self.refs[i].reports {
            let report = commitments::ReportRef { doc: i, entry };
            let list = self.reports.entry(key).or_default();
            match how {
                Count::Append => list.push(report),
                Count::Insert => {
                    let newer = |a: &commitments::ReportRef, b: &commitments::ReportRef| {
                        newer(site, a.doc, b.doc).then(a.entry.cmp(&b.entry))
                    };
                    if let Err(at) = list.binary_search_by(|x| newer(x, &report)) {
                        list.insert(at, report);
                    }
                }
                Count::Remove => {
                    list.retain(|r| *r != report);
                    if list.is_empty() {
                        self.reports.remove(&key);
                    }
                }
            }
        }
    }

    /// Document `i`'s mentions, added to the lists of mentions or taken away.
    fn count_mentions(&mut self, site: &Site, i: DocIx, how: Count) {
        let m = &self.refs[i].mentions;
        for &p in &m.plans {
            if backlink(site, self.plan_mentions.entry(p).or_default(), i, how) {
                self.plan_mentions.remove(&p);
            }
        }
        for &key in &m.priorities {
            if backlink(site, self.priority_mentions.entry(key).or_default(), i, how) {
                self.priority_mentions.remove(&key);
            }
        }
        for &d in &m.documents {
            if backlink(site, self.doc_mentions.entry(d).or_default(), i, how) {
                self.doc_mentions.remove(&d);
            }
        }
    }

    /// Everything that sums over documents, from scratch: backlinks, citations, the files to
    /// copy; then [`Graph::summarise`].
    fn aggregate(&mut self, site: &Site) -> Vec<Diagnostic> {
        for i in site.doc_ixs() {
            self.count(site, i, Count::Append);
        }
        // Sorted once here rather than kept sorted at each insertion.
        for list in self
            .plan_backlinks
            .values_mut()
            .chain(self.priority_backlinks.values_mut())
            .chain(self.source_backlinks.values_mut())
            .chain(self.plan_mentions.values_mut())
            .chain(self.priority_mentions.values_mut())
            .chain(self.doc_mentions.values_mut())
        {
            newest_first(site, list);
        }
        for list in self.reports.values_mut() {
            list.sort_by(|a, b| newer(site, a.doc, b.doc).then(a.entry.cmp(&b.entry)));
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
        let own = self.own_addresses.iter();
        diags.extend(own.filter_map(|n| self_urls::check(self, site, n)));
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
        site.doc_ixs().zip(&self.resolved).find_map(|(i, r)| {
            r.assets
                .iter()
                .find(|(p, _)| p == path)
                .map(|(_, span)| (site.documents[i].file, span.clone()))
        })
    }
}

/// The help for a reference from a published document to a draft.
const DRAFT_HELP: &str = "publish the target (remove `draft: true`), or remove the reference; `--drafts` builds drafts too";

/// The help for a front matter `image:` that is not a picture a shared link can show.
const SHARED_IMAGE_HELP: &str = "give the path of a PNG or JPEG file under content/, relative to this document, e.g. ../images/share.png";

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
fn backlink(site: &Site, list: &mut Vec<DocIx>, doc: DocIx, how: Count) -> bool {
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
    i: DocIx,
) -> (DocRefs, Resolution) {
    let d = &site.documents[i];
    let mut r = DocResolver {
        graph,
        site,
        sources,
        i,
        d,
        published: graph.include_drafts || !d.draft,
        refs: DocRefs::default(),
        out: Resolution::default(),
        targets: xxhash_rust::xxh3::Xxh3Default::new(),
        drafts: Vec::new(),
    };
    r.front_matter();
    r.progress();
    r.shared_image();
    for link in &d.scan.links {
        r.link(link);
    }
    for image in &d.scan.images {
        r.image(image);
    }
    r.raw_html();
    r.finish()
}

/// A front matter entry answering to a plan published after the document.
struct EarlyEntry {
    plan: PlanIx,
    span: Range<usize>,
    key: &'static str,
    dest: String,
}

/// One document being resolved: what it is checked against, and what it has come to so far.
struct DocResolver<'a> {
    graph: &'a Graph,
    site: &'a Site,
    sources: &'a SourceFiles,
    i: DocIx,
    d: &'a Document,
    /// Whether it is published: only then are the files it uses copied.
    published: bool,
    refs: DocRefs,
    out: Resolution,
    /// The digest of where its links and images point, fed as they resolve.
    targets: xxhash_rust::xxh3::Xxh3Default,
    /// Where it names draft plans, reported once per plan when it is done.
    drafts: Vec<(PlanIx, Range<usize>)>,
}

impl DocResolver<'_> {
    /// The front matter's `metrics:`, `plans:` and `priorities:`.
    fn front_matter(&mut self) {
        let (graph, site, d) = (self.graph, self.site, self.d);
        let mut early = Vec::new();
        for m in &d.metrics {
            match links::metric_index(graph, site, m.value.as_str()) {
                Ok(_) => self.out.references += 1,
                Err(e) => self.reference_failed(&m.span, &format!("metric `{}`", m.value), &e),
            }
        }
        for p in &d.plans {
            match links::plan(graph, p.value.as_str()) {
                Ok(index) if self.names_draft_plan(index, &p.span) => {}
                Ok(index) => {
                    self.out.references += 1;
                    if self.answers_early(index) {
                        early.push(EarlyEntry {
                            plan: index,
                            span: p.span.clone(),
                            key: "plans",
                            dest: format!("plan:{}", p.value),
                        });
                    }
                    push_unique(&mut self.refs.plans, index);
                }
                Err(e) => self.reference_failed(&p.span, &format!("plan `{}`", p.value), &e),
            }
        }
        for q in &d.priorities {
            let r = &q.value;
            match links::priority(graph, site, r.plan.as_str(), r.priority.as_str()) {
                Ok(Target::Priority(key)) if self.names_draft_plan(key.plan, &q.span) => {}
                Ok(Target::Priority(key)) => {
                    self.out.references += 1;
                    if self.answers_early(key.plan) {
                        early.push(EarlyEntry {
                            plan: key.plan,
                            span: q.span.clone(),
                            key: "priorities",
                            dest: format!("priority:{r}"),
                        });
                    }
                    push_unique(&mut self.refs.priorities, key);
                }
                Ok(_) => {}
                Err(e) => self.reference_failed(&q.span, &format!("priority `{r}`"), &e),
            }
        }
        self.report_early(early);
    }

    /// Whether `plan` is a draft that this published document may not name: the plan's pages
    /// (its own, its priorities' and its commitments') are not published, so the reference
    /// would lead nowhere. Reported at `span`, a place in the file.
    fn names_draft_plan(&mut self, plan: PlanIx, span: &Range<usize>) -> bool {
        let p = &self.site.documents[plan];
        if !p.draft || self.d.draft || self.graph.include_drafts {
            return false;
        }
        self.drafts.push((plan, span.clone()));
        true
    }

    /// One error per draft plan this document names, at the first place, with the others.
    fn report_drafts(&mut self) {
        let mut plans: Vec<PlanIx> = Vec::new();
        for &(p, _) in &self.drafts {
            push_unique(&mut plans, p);
        }
        for plan in plans {
            let p = &self.site.documents[plan];
            let mut places = self.drafts.iter().filter(|(q, _)| *q == plan);
            let Some((_, first)) = places.next() else {
                continue;
            };
            let mut e = Diagnostic::error(format!(
                "plan `{}` is a draft, so it is not published ({})",
                p.id,
                self.sources.path(p.file)
            ))
            .at(self.d.file, first.clone())
            .help(DRAFT_HELP);
            for (_, span) in places {
                e = e.also(self.d.file, span.clone(), "named here too");
            }
            self.out.problems.push(e);
        }
    }

    /// Whether this document answers to `plan` too early: it is dated before the plan, and is
    /// not a letter (letters answer to draft plans) or the plan itself.
    fn answers_early(&self, plan: PlanIx) -> bool {
        let (d, p) = (self.d, &self.site.documents[plan]);
        match (d.date, p.date) {
            (Some(date), Some(plan_date)) => {
                date < plan_date && d.kind != Kind::Letter && plan.doc() != self.i
            }
            _ => false,
        }
    }

    /// One warning per plan answered to too early, at its first `plans:` or `priorities:` entry,
    /// with the plan's other entries marked: one cause, reported once.
    fn report_early(&mut self, early: Vec<EarlyEntry>) {
        let d = self.d;
        let mut plans: Vec<PlanIx> = Vec::new();
        for e in &early {
            push_unique(&mut plans, e.plan);
        }
        for plan in plans {
            let p = &self.site.documents[plan];
            let mut entries = early.iter().filter(|e| e.plan == plan);
            let Some(first) = entries.next() else {
                continue;
            };
            let (Some(date), Some(plan_date)) = (d.date, p.date) else {
                continue;
            };
            let mut w = Diagnostic::warning(format!(
                "this {} is dated {date}, before the plan `{}` it answers to ({plan_date})",
                d.kind.label().to_lowercase(),
                p.id
            ))
            .at(d.file, first.span.clone())
            .help(format!(
                "a document cannot answer to a plan not yet published: remove this entry from `{}:` and mention it in the text instead, as [text]({})",
                first.key, first.dest
            ));
            for e in entries {
                w = w.also(
                    d.file,
                    e.span.clone(),
                    format!("remove this one too; mention it as [text]({})", e.dest),
                );
            }
            self.out.problems.push(w);
        }
    }

    /// A front matter reference that does not resolve, reported unless it is an echo.
    fn reference_failed(&mut self, span: &Range<usize>, what: &str, e: &LinkError) {
        if !is_echo(self.site, e) {
            (self.out.problems).push(reference_error(self.d, span, what, e));
        }
    }

    /// A span in the body, as a span in the file.
    fn located(&self, span: &Range<usize>) -> Range<usize> {
        span.start + self.d.body_offset..span.end + self.d.body_offset
    }

    /// Where a destination points, kept for render; one that does not resolve is reported
    /// at its place (`what` says what it is: "link to", "image").
    fn classify(&mut self, dest: &str, span: &Range<usize>, what: &str) -> Option<Target> {
        // The same destination written again points at the same place.
        if let Some(t) = self.out.links.get(dest) {
            digest_target(self.site, self.graph, t, &mut self.targets);
            return Some(t.clone());
        }
        match links::classify(self.graph, self.site, self.d, dest) {
            Ok(t) => {
                digest_target(self.site, self.graph, &t, &mut self.targets);
                self.out.links.insert(dest.to_string(), t.clone());
                Some(t)
            }
            Err(e) if is_echo(self.site, &e) => None,
            Err(e) => {
                let (msg, help) = e.describe(&format!("{what} `{dest}`"));
                let at = self.located(span);
                (self.out.problems).push(Diagnostic::error(msg).at(self.d.file, at).help(help));
                None
            }
        }
    }

    /// A link in the body: counted, and what it answers to, cites or uses recorded.
    fn link(&mut self, link: &Destination) {
        let Some(target) = self.classify(&link.dest, &link.span, "link to") else {
            return;
        };
        let site = self.site;
        match target {
            Target::Document { index, .. } => {
                self.out.references += 1;
                self.mentions_document(index);
                let to = &site.documents[index];
                if to.draft && !self.d.draft && !self.graph.include_drafts {
                    let at = self.located(&link.span);
                    self.out.problems.push(
                        Diagnostic::error(format!("link to the draft {}", self.sources.path(to.file)))
                            .at(self.d.file, at)
                            .help("publish the target (remove `draft: true`), or remove the link; `--drafts` builds drafts too"),
                    );
                }
            }
            Target::Plan(index) | Target::Priority(PriorityKey { plan: index, .. })
                if self.names_draft_plan(index, &self.located(&link.span)) => {}
            Target::Plan(index) => {
                self.out.references += 1;
                push_unique(&mut self.refs.mentions.plans, index);
            }
            Target::Priority(key) => {
                self.out.references += 1;
                push_unique(&mut self.refs.mentions.priorities, key);
            }
            Target::Source(id) => {
                self.out.references += 1;
                push_unique(&mut self.out.cited, id.clone());
                push_unique(&mut self.refs.sources, id);
            }
            Target::Metric { metric, point } => self.figure(link, metric, point),
            Target::Asset { path, .. } if self.published => {
                self.uses(path, &link.dest, "link to", &link.span);
            }
            _ => {}
        }
    }

    /// A `metric:` link: the figures its text states are checked against the data, and the
    /// source of the reading it states is cited wherever its figures are.
    fn figure(&mut self, link: &Destination, metric: MetricIx, point: usize) {
        self.out.references += 1;
        let m = &self.site.metrics[metric];
        let p = &m.series[point];
        // Read as the page's language writes numbers ("51,3 %" in French).
        let reading = self.site.locale.number_reading();
        let named = named_numbers(&link.dest, p);
        let (stated, problem) = figures::check_in(&link.text, m.unit, p.value, &named, reading);
        if stated > 0 {
            self.out.claims += 1;
        }
        if let Some(problem) = problem {
            let at = self.located(&link.span);
            self.out.problems.push(
                claim_error(m, p, &problem, &self.site.locale)
                    .at(self.d.file, at)
                    .also(m.file, p.span.clone(), "the data"),
            );
        }
        let source = m.source_of(p);
        if self.site.sources.contains_key(source) {
            push_unique(&mut self.refs.sources, source.clone());
        }
    }

    /// A file under content/ that the published document uses, checked against the output.
    fn uses(&mut self, path: String, dest: &str, what: &str, span: &Range<usize>) {
        let at = self.located(span);
        let (graph, d) = (self.graph, self.d);
        check_copied(
            graph,
            &path,
            dest,
            what,
            d,
            at.clone(),
            &mut self.out.problems,
        );
        self.out.assets.push((path, at));
    }

    /// An image in the body: a file under content/, or one the build makes; not a page.
    fn image(&mut self, image: &Destination) {
        let Some(target) = self.classify(&image.dest, &image.span, "image") else {
            return;
        };
        match target {
            Target::Asset { path, .. } => {
                if self.published {
                    self.uses(path, &image.dest, "image", &image.span);
                }
            }
            // A file the build makes (a theme image) may be shown; a page may not.
            Target::External(_) | Target::Rooted { page: false, .. } => {}
            _ => {
                let at = self.located(&image.span);
                self.out.problems.push(
                    Diagnostic::error(format!("image `{}` is not an image file", image.dest))
                        .at(self.d.file, at)
                        .help("point at an image file (e.g. chart.png) relative to this document"),
                );
            }
        }
    }

    /// The front matter's `image:`: a PNG, JPEG, GIF or WebP file under content/, published
    /// with the document, which a shared link to it shows.
    fn shared_image(&mut self) {
        let Some(image) = &self.d.image else {
            return;
        };
        let (dest, span) = (image.path.value.as_str(), image.path.span.clone());
        let error = |message: String, help: &str| {
            Diagnostic::error(message)
                .at(self.d.file, span.clone())
                .help(help.to_string())
        };
        let target = match links::classify(self.graph, self.site, self.d, dest) {
            Ok(t) => t,
            Err(e) if is_echo(self.site, &e) => return,
            Err(e) => {
                let (msg, help) = e.describe(&format!("image `{dest}`"));
                self.out.problems.push(error(msg, &help));
                return;
            }
        };
        let Target::Asset { path, .. } = &target else {
            let message = format!("image `{dest}` is not a file under content/");
            self.out.problems.push(error(message, SHARED_IMAGE_HELP));
            return;
        };
        let lower = path.to_ascii_lowercase();
        if ![".png", ".jpg", ".jpeg", ".gif", ".webp"]
            .iter()
            .any(|e| lower.ends_with(e))
        {
            let message = format!("image `{dest}` is not a PNG, JPEG, GIF or WebP file");
            self.out.problems.push(error(message, SHARED_IMAGE_HELP));
            return;
        }
        digest_target(self.site, self.graph, &target, &mut self.targets);
        if self.published {
            let path = path.clone();
            check_copied(
                self.graph,
                &path,
                dest,
                "image",
                self.d,
                span.clone(),
                &mut self.out.problems,
            );
            self.out.assets.push((path, span));
        }
        self.out.links.insert(dest.to_string(), target);
    }

    /// Raw HTML that publishing removes, when the site does not allow it.
    fn raw_html(&mut self) {
        if self.site.config.allow_raw_html {
            return;
        }
        for (span, what) in &self.d.scan.unsafe_html {
            let at = self.located(span);
            self.out.problems.push(
                Diagnostic::warning(format!("raw HTML: {what} is removed when published"))
                    .at(self.d.file, at)
                    .help("raw HTML is sanitised; write it in Markdown, or set `allow_raw_html: true` in site.yaml if every author is trusted"),
            );
        }
    }

    /// A link to document `index`: a mention of it, or of the plan it is.
    fn mentions_document(&mut self, index: DocIx) {
        let plan = PlanIx(index);
        let id = &self.site.documents[index].id;
        if self.graph.plan_by_id.get(&PlanId(id.0.clone())) == Some(&plan) {
            push_unique(&mut self.refs.mentions.plans, plan);
        } else {
            push_unique(&mut self.refs.mentions.documents, index);
        }
    }

    /// What the document came to, with the digest of its targets.
    fn finish(mut self) -> (DocRefs, Resolution) {
        self.report_drafts();
        // A plan's own page lists its priorities; it does not answer to itself.
        let i = self.i;
        self.refs.plans.retain(|&p| p.doc() != i);
        self.refs.priorities.retain(|k| k.plan.doc() != i);
        settle_mentions(&mut self.refs, i);
        self.out.targets = self.targets.finish();
        (self.refs, self.out)
    }
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
    locale: &crate::i18n::Locale,
) -> Diagnostic {
    // A number the page's language does not write so ("51.3 %" in French): its marks.
    if let figures::ClaimError::Wrong(said) = problem
        && said.iter().all(|c| c.number.is_nan())
    {
        return Diagnostic::error(format!(
            "the text writes {}, which is not how `{}` writes a number, so it cannot be checked against {}",
            figures::and_list(said),
            locale.tag,
            m.id
        ))
        .help(format!(
            "write it with the page's decimal mark and grouping, as {}",
            figures::value_in(locale, m.unit, p.value)
        ));
    }
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
        Target::Priority(key) => (2u8, graph.priority_url(site, *key).0).hash(h),
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
    for (i, m) in site.metric_ixs().zip(&site.metrics) {
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
        if let Some(key) = known_source(site, m, &m.source, diags) {
            graph.metric_sources.insert(key);
        }
        let mut readings: BTreeMap<SourceId, Vec<usize>> = BTreeMap::new();
        for (n, p) in m.series.iter().enumerate() {
            let known = match &p.source {
                Some(own) => known_source(site, m, own, diags),
                None => site
                    .sources
                    .contains_key(&m.source.value)
                    .then(|| m.source.value.clone()),
            };
            if let Some(key) = known {
                graph.metric_sources.insert(key.clone());
                readings.entry(key).or_default().push(n);
            }
        }
        for (key, list) in readings {
            graph.source_metrics.entry(key).or_default().push((i, list));
        }
        let mut drafts: Vec<(PlanIx, Diagnostic)> = Vec::new();
        for q in &m.priorities {
            let r = &q.value;
            match links::priority(graph, site, r.plan.as_str(), r.priority.as_str()) {
                Ok(Target::Priority(key))
                    if site.documents[key.plan].draft && !graph.include_drafts =>
                {
                    // A metric's page is always published: it cannot serve a draft plan.
                    match drafts.iter_mut().find(|(p, _)| *p == key.plan) {
                        Some((_, d)) => {
                            *d = d.clone().also(m.file, q.span.clone(), "named here too")
                        }
                        None => {
                            let p = &site.documents[key.plan];
                            drafts.push((
                                key.plan,
                                Diagnostic::error(format!(
                                    "plan `{}` is a draft, so it is not published ({})",
                                    p.id,
                                    sources.path(p.file)
                                ))
                                .at(m.file, q.span.clone())
                                .help(DRAFT_HELP),
                            ));
                        }
                    }
                }
                Ok(Target::Priority(key)) => {
                    graph.priority_metrics.entry(key).or_default().push(i);
                    let list = graph.plan_metrics.entry(key.plan).or_default();
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
        diags.extend(drafts.into_iter().map(|(_, d)| d));
    }
}

/// The source `at` names (a metric's or one reading's), if sources.yaml has it; an unknown id
/// is an error at its place, with a suggestion.
fn known_source(
    site: &Site,
    m: &crate::content::Metric,
    at: &crate::content::At<SourceId>,
    diags: &mut Vec<Diagnostic>,
) -> Option<SourceId> {
    if let Some((key, _)) = site.sources.get_key_value(&at.value) {
        return Some(key.clone());
    }
    let id = at.value.as_str();
    let hint = links::Hint::new(id, site.sources.keys().map(SourceId::as_str));
    let help = hint.help(links::SOURCE_KNOWN, links::SOURCE_ADVICE);
    let echo = LinkError::NoSource {
        id: id.to_string(),
        hint,
    };
    if is_echo(site, &echo) {
        return None;
    }
    diags.push(
        Diagnostic::error(format!(
            "unknown source `{id}`: there is no such source in content/sources.yaml"
        ))
        .at(m.file, at.span.clone())
        .help(help),
    );
    None
}

/// Each plan's `supersedes:`, checked: the plan it names must be another plan, and no chain
/// of them may come back to where it started. What holds is kept both ways round.
fn resolve_supersedes(site: &Site, graph: &mut Graph, diags: &mut Vec<Diagnostic>) {
    let mut edges: BTreeMap<PlanIx, PlanIx> = BTreeMap::new();
    for &p in graph.plan_by_id.values() {
        let d = &site.documents[p];
        let Some(named) = d.plan.as_ref().and_then(|s| s.supersedes.as_ref()) else {
            continue;
        };
        match supersedes_target(site, graph, d, named) {
            Ok(old) => {
                edges.insert(p, old);
            }
            Err(Some(e)) => diags.push(e),
            Err(None) => {}
        }
    }
    for cycle in supersedes_cycles(&edges) {
        diags.push(cycle_error(site, &cycle));
        for p in &cycle {
            edges.remove(p);
        }
    }
    for (&new, &old) in &edges {
        graph.replaces.insert(new, old);
        graph.replaced_by.entry(old).or_default().push(new);
    }
}

/// The plan `named` in document `d`'s `supersedes:`, or the error (none for an echo).
fn supersedes_target(
    site: &Site,
    graph: &Graph,
    d: &Document,
    named: &crate::content::At<PlanId>,
) -> Result<PlanIx, Option<Diagnostic>> {
    let id = named.value.as_str();
    let error = |message: String, help: String| {
        Some(
            Diagnostic::error(message)
                .at(d.file, named.span.clone())
                .help(help),
        )
    };
    if id == d.id.as_str() {
        return Err(error(
            format!("plan `{id}` cannot supersede itself"),
            "name the older plan this one replaces, or remove `supersedes:`".into(),
        ));
    }
    match links::plan(graph, id) {
        Ok(p) => Ok(p),
        Err(_) if let Some(other) = site.documents.iter().find(|o| o.id.as_str() == id) => {
            Err(error(
                format!(
                    "`{id}` is a {}, not a plan: only a plan can be superseded",
                    other.kind.name()
                ),
                "name the plan this one replaces by its id".into(),
            ))
        }
        Err(e) if is_echo(site, &e) => Err(None),
        Err(e) => {
            let (message, help) = reference_message("plan", &e);
            Err(error(message, help))
        }
    }
}

/// The cycles among `supersedes:` (each plan names at most one), each once, its members in
/// the order the chain runs from its first plan.
fn supersedes_cycles(edges: &BTreeMap<PlanIx, PlanIx>) -> Vec<Vec<PlanIx>> {
    let mut done: BTreeSet<PlanIx> = BTreeSet::new();
    let mut cycles = Vec::new();
    for &start in edges.keys() {
        let mut path: Vec<PlanIx> = Vec::new();
        let mut at = Some(start);
        while let Some(p) = at {
            if done.contains(&p) {
                break;
            }
            if let Some(pos) = path.iter().position(|&q| q == p) {
                let mut cycle = path[pos..].to_vec();
                let first = (0..cycle.len()).min_by_key(|&k| cycle[k]).unwrap_or(0);
                cycle.rotate_left(first);
                cycles.push(cycle);
                break;
            }
            path.push(p);
            at = edges.get(&p).copied();
        }
        done.extend(path);
    }
    cycles
}

/// One error for a cycle of `supersedes:`, at its first plan, pointing at the others.
fn cycle_error(site: &Site, cycle: &[PlanIx]) -> Diagnostic {
    let at = |p: PlanIx| {
        let d = &site.documents[p];
        let span = d
            .plan
            .as_ref()
            .and_then(|s| s.supersedes.as_ref())
            .map_or(0..0, |s| s.span.clone());
        (d.file, span)
    };
    let chain = cycle
        .iter()
        .chain(cycle.first())
        .map(|&p| format!("`{}`", site.documents[p].id))
        .collect::<Vec<_>>()
        .join(" supersedes ");
    let (file, span) = at(cycle[0]);
    let mut d = Diagnostic::error(format!("plans supersede each other in a cycle: {chain}"))
        .at(file, span)
        .help("a plan replaces an older one: remove `supersedes:` from the plan that is not newer");
    for &p in &cycle[1..] {
        let (file, span) = at(p);
        d = d.also(file, span, "part of the cycle");
    }
    d
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
fn written(site: &Site, made: &[(Route, Entry)]) -> HashMap<String, Output> {
    let mut out: HashMap<String, Output> = made
        .iter()
        .map(|(route, entry)| {
            let kind = match *route {
                Route::Document(i) => Output::Document(i),
                _ if entry.template.is_some() => Output::Page,
                _ => Output::File,
            };
            (entry.path.clone(), kind)
        })
        .collect();
    out.extend(
        site.theme
            .assets
            .keys()
            .map(|name| (format!("static/{name}"), Output::File)),
    );
    for (i, d) in site.doc_ixs().zip(&site.documents) {
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
    made: &[(Route, Entry)],
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
    let reserved = crate::routes::reserved(site, sources, graph, made);
    let claimed = crate::routes::claim_order(made, &reserved);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cycle_of_supersedes_is_found_once_from_its_first_plan() {
        let p = |i| PlanIx(DocIx(i));
        // 3 -> 1 -> 2 -> 1 (a cycle of two, reached from 3), 4 -> 4 never an edge, 5 -> 6.
        let edges: BTreeMap<PlanIx, PlanIx> =
            [(p(3), p(1)), (p(1), p(2)), (p(2), p(1)), (p(5), p(6))]
                .into_iter()
                .collect();
        assert_eq!(supersedes_cycles(&edges), vec![vec![p(1), p(2)]]);
        let three: BTreeMap<PlanIx, PlanIx> = [(p(7), p(8)), (p(8), p(9)), (p(9), p(7))]
            .into_iter()
            .collect();
        assert_eq!(supersedes_cycles(&three), vec![vec![p(7), p(8), p(9)]]);
        assert!(supersedes_cycles(&BTreeMap::new()).is_empty());
    }

    #[test]
    fn what_a_document_answers_to_is_not_also_a_mention() {
        let (plan, other) = (PlanIx(DocIx(1)), PlanIx(DocIx(2)));
        let key = |plan, priority| PriorityKey { plan, priority };
        let mut refs = DocRefs {
            plans: vec![],
            priorities: vec![key(plan, 0)],
            sources: vec![],
            mentions: Mentions {
                plans: vec![plan],
                priorities: vec![key(plan, 0), key(plan, 1), key(other, 0)],
                documents: vec![DocIx(0), DocIx(5)],
            },
            reports: vec![],
        };
        settle_mentions(&mut refs, DocIx(0));
        // It answers to `plan` through priority 0: only priority 1 and `other` are mentions,
        // and `other` through its priority; a link to itself is not one.
        assert_eq!(refs.mentions.plans, vec![other]);
        assert_eq!(refs.mentions.priorities, vec![key(plan, 1), key(other, 0)]);
        assert_eq!(refs.mentions.documents, vec![DocIx(5)]);
    }
}
