//! The route table: the only list of what the site outputs. Each [`Route`] is one file the
//! render stage makes; [`Route::entry`] says, in one arm per kind of route, where it is written,
//! who owns that path (for resolve's clash check), which template makes it, and whether the
//! sitemap lists it and search indexes it; [`Route::make`] builds its view or its data. The
//! clash check, the links to `/path`, render, the sitemap, the feeds, search and `serve`'s
//! fingerprints all read it. It sits between resolve and render: it needs a resolved graph.

use std::hash::Hash;
use std::ops::Range;

use serde::Serialize;

use crate::content::{DocIx, Metric, MetricIx, PlanIx, Site, SitePath};
use crate::diag::{Diagnostic, FileId, SourceFiles};
use crate::graph::commitments::{CommitmentKey, plan_commitments};
use crate::graph::{Graph, PriorityKey};
use crate::render::feed::{self, Feed};
use crate::render::view::PageBuilder;
use crate::render::{cards, data, icons, share, sitemap, tracker};
use crate::urls::{
    ACCESSIBILITY_PAGE, COMMITMENTS_FEED, COMMITMENTS_PAGE, CORRECTIONS_PAGE, FEED, METRICS_PAGE,
    PAGES_INDEX, SEARCH_PAGE, SOURCES_PAGE, TIMELINE_PAGE, commitments_data, metric_data,
    metric_url,
};

/// One file the site renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Route {
    Home,
    NotFound,
    Document(DocIx),
    Listing {
        listing: usize,
        page: usize,
    },
    /// A priority's page.
    Priority(PriorityKey),
    /// A commitment's page, under its plan's.
    Commitment(CommitmentKey),
    /// The list of a plan's commitments, for a plan that makes some.
    PlanCommitments(PlanIx),
    Sources,
    Timeline,
    Metric(MetricIx),
    /// A metric's data as CSV, and as JSON, next to its page.
    MetricCsv(MetricIx),
    MetricJson(MetricIx),
    Metrics,
    Accessibility,
    /// The index of every page (kind `page`), when the footer does not link them all.
    PageIndex,
    Feed(Feed),
    Sitemap,
    Robots,
    /// The search page, when site.yaml asks for search.
    Search,
    /// Every correction to a published document, newest first, when there is one.
    Corrections,
    /// Every commitment of the published plans, by where it stands, when there is one.
    Tracker,
    /// The tracker's rows as CSV, and as JSON, next to it.
    TrackerCsv,
    TrackerJson,
    /// The site's icon in its own format (/favicon.svg or /favicon.png).
    Icon,
    /// The icon as /favicon.ico, which browsers ask for whatever a page links.
    Ico,
    /// A document's social card, with site.yaml `social_cards: true`.
    Card(DocIx),
    /// The site's card, drawn once, when site.yaml names no `image:`.
    SiteCard,
    /// site.yaml's `image:`, published for shared links.
    SiteImage,
}

/// What the table says of one route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Where it is written, under the output folder.
    pub(crate) path: String,
    /// Who writes it, as a clash with it names it ("the sources page").
    pub(crate) owner: String,
    /// Where a clash with it is reported, when it comes from one place in the content.
    pub(crate) place: Option<(FileId, Range<usize>)>,
    /// When the clash check claims it: paths are claimed in this order, so a clash is
    /// reported at the later of two routes (documents come last).
    pub(crate) claim: Claim,
    /// The template that makes it; data files are written without one.
    pub(crate) template: Option<&'static str>,
    /// Whether the sitemap lists it.
    pub(crate) sitemap: bool,
    /// Whether search indexes it (when its template marks a part of it to index).
    pub(crate) search: bool,
}

/// Who owns the tracker's page and data files, as a clash names it.
const TRACKER: &str = "the tracker of commitments";

/// The order in which the clash check claims output paths, earliest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Claim {
    /// plainsight's own pages at fixed paths.
    Fixed,
    /// Pages made from site.yaml's settings (search, the accessibility statement).
    Settings,
    /// A metric's page and data files.
    Metric,
    /// A listing's pages, then its feed.
    Listing(usize),
    /// The theme's static files come here (they are not routes), then priorities' pages.
    Priority,
    /// Documents' pages, which are checked against everything else.
    Document,
}

/// Paths the site keeps even when it has nothing to put there, so that a document published
/// at one today does not clash with the site once it has, say, its first dated document.
const ALWAYS_CLAIMED: [Route; 7] = [
    Route::Feed(Feed::All),
    Route::Timeline,
    Route::Sources,
    Route::Metrics,
    Route::PageIndex,
    Route::Corrections,
    Route::Tracker,
];

impl Entry {
    /// A page at `url` that plainsight makes at a fixed place, unless the caller says more.
    fn page(url: SitePath, owner: impl Into<String>, template: &'static str) -> Entry {
        Entry {
            path: url.file(),
            owner: owner.into(),
            place: None,
            claim: Claim::Fixed,
            template: Some(template),
            sitemap: true,
            search: false,
        }
    }

    /// A page at one of plainsight's own folders (`timeline/`).
    fn fixed(folder: &str, owner: &str, template: &'static str) -> Entry {
        Entry::page(SitePath(folder.into()), owner, template)
    }

    /// A data file at `path`.
    fn file(path: impl Into<String>, owner: impl Into<String>) -> Entry {
        Entry {
            path: path.into(),
            owner: owner.into(),
            place: None,
            claim: Claim::Fixed,
            template: None,
            sitemap: false,
            search: false,
        }
    }
}

impl Route {
    /// The table's row for this route. `sources` names the files owners come from.
    pub(crate) fn entry(self, site: &Site, sources: &SourceFiles, graph: &Graph) -> Entry {
        let listing_kind = |l: usize| graph.listings[l].kind.plural_label().to_lowercase();
        match self {
            Route::Home => Entry::fixed("", "the home page", "home.html"),
            Route::NotFound => Entry {
                path: "404.html".into(),
                sitemap: false,
                ..Entry::fixed("", "the 404 page", "404.html")
            },
            Route::Sitemap => Entry::file("sitemap.xml", "the sitemap"),
            Route::Robots => Entry::file("robots.txt", "robots.txt"),
            Route::Feed(Feed::All) => Entry::file(FEED, "the feed of everything"),
            Route::Timeline => Entry::fixed(TIMELINE_PAGE, "the timeline", "timeline.html"),
            Route::Sources => Entry::fixed(SOURCES_PAGE, "the sources page", "sources.html"),
            Route::Metrics => Entry::fixed(METRICS_PAGE, "the metrics page", "metrics.html"),
            Route::PageIndex => Entry::fixed(PAGES_INDEX, "the index of pages", "pages.html"),
            Route::Corrections => {
                Entry::fixed(CORRECTIONS_PAGE, "the corrections page", "corrections.html")
            }
            Route::Tracker => Entry::fixed(COMMITMENTS_PAGE, TRACKER, "tracker.html"),
            Route::TrackerCsv => Entry::file(commitments_data("csv"), TRACKER),
            Route::TrackerJson => Entry::file(commitments_data("json"), TRACKER),
            Route::Feed(Feed::Commitments) => {
                Entry::file(COMMITMENTS_FEED, "the feed of progress on commitments")
            }
            Route::Search => Entry {
                claim: Claim::Settings,
                ..Entry::fixed(SEARCH_PAGE, "the search page", "search.html")
            },
            Route::Accessibility => Entry {
                claim: Claim::Settings,
                ..Entry::fixed(
                    ACCESSIBILITY_PAGE,
                    "the accessibility statement",
                    "accessibility.html",
                )
            },
            Route::Metric(i) | Route::MetricCsv(i) | Route::MetricJson(i) => {
                self.metric_entry(&site.metrics[i], sources)
            }
            Route::Listing { listing, page } => Entry {
                claim: Claim::Listing(listing),
                ..Entry::page(
                    graph.listings[listing].page_url(page),
                    format!("the {} listing", listing_kind(listing)),
                    "listing.html",
                )
            },
            Route::Feed(Feed::Listing(l)) => Entry {
                claim: Claim::Listing(l),
                ..Entry::file(
                    graph.listings[l].feed_path(),
                    format!("the {} feed", listing_kind(l)),
                )
            },
            Route::Priority(key) => priority_entry(site, sources, graph, key),
            Route::Commitment(key) => commitment_entry(site, sources, graph, key),
            Route::PlanCommitments(p) => {
                let d = &site.documents[p];
                Entry {
                    place: Some((d.file, 0..0)),
                    claim: Claim::Priority,
                    ..Entry::page(
                        graph.plan_commitments_url(site, p),
                        format!("the list of commitments of {}", sources.path(d.file)),
                        "plan-commitments.html",
                    )
                }
            }
            Route::Icon => Entry::file(site.shared.icon.format.path(), "the site's icon"),
            Route::Ico => Entry::file(icons::ICO_PATH, "the site's icon"),
            Route::SiteCard => Entry::file(share::SITE_CARD, "the site's social card"),
            Route::SiteImage => Entry::file(
                site.shared
                    .image
                    .as_ref()
                    .map_or_else(String::new, |i| i.path()),
                "site.yaml's image",
            ),
            Route::Card(i) => Entry {
                place: Some((site.documents[i].file, 0..0)),
                ..Entry::file(
                    share::card_path(site, i),
                    format!(
                        "the social card of {}",
                        sources.path(site.documents[i].file)
                    ),
                )
            },
            Route::Document(i) => {
                let d = &site.documents[i];
                Entry {
                    place: Some((d.file, 0..0)),
                    claim: Claim::Document,
                    search: true,
                    ..Entry::page(d.url.clone(), sources.path(d.file), "document.html")
                }
            }
        }
    }

    /// The entry of a metric's page, or of its CSV or JSON: one owner, one place.
    fn metric_entry(self, m: &Metric, sources: &SourceFiles) -> Entry {
        let owner = format!("the page of metric {}", sources.path(m.file));
        let entry = match self {
            Route::MetricCsv(_) => Entry::file(metric_data(m, "csv"), owner),
            Route::MetricJson(_) => Entry::file(metric_data(m, "json"), owner),
            _ => Entry {
                search: true,
                ..Entry::page(metric_url(m), owner, "metric.html")
            },
        };
        Entry {
            place: Some((m.file, m.id_span.clone())),
            claim: Claim::Metric,
            ..entry
        }
    }

    /// Build this route's page context (handed to `out.page`) or its data (to `out.data`).
    pub(crate) fn make<M: Make>(self, v: &PageBuilder, out: M) -> M::Out {
        let (site, graph) = (v.site, v.graph);
        match self {
            Route::Home => out.page(&v.home()),
            Route::NotFound => out.page(&v.not_found()),
            Route::Listing { listing, page } => {
                out.page(&v.listing(&graph.listings[listing], page))
            }
            Route::Document(i) => match v.document(i) {
                Ok(view) => out.page(&view),
                Err(e) => out.failed(e),
            },
            Route::Priority(key) => out.page(&v.priority(key)),
            Route::Commitment(key) => out.page(&v.commitment(key)),
            Route::PlanCommitments(p) => out.page(&v.plan_commitments(p)),
            Route::Sources => out.page(&v.sources_page()),
            Route::Timeline => out.page(&v.timeline()),
            Route::Accessibility => out.page(&v.accessibility()),
            Route::PageIndex => out.page(&v.page_index()),
            Route::Corrections => out.page(&v.corrections()),
            Route::Tracker => out.page(&v.tracker()),
            Route::Metrics => out.page(&v.metrics_page()),
            Route::Metric(i) => out.page(&v.metric(i)),
            Route::Search => out.page(&v.search()),
            // Small files: their bytes are the data they are made from.
            Route::MetricCsv(i) => out.data(data::csv(&site.metrics[i]), |b| b),
            Route::MetricJson(i) => out.data(data::json(site, i), |b| b),
            Route::TrackerCsv => out.data(tracker::data(site, graph), tracker::csv),
            Route::TrackerJson => out.data(tracker::data(site, graph), tracker::json),
            Route::Robots => out.data(sitemap::robots(site), |b| b),
            Route::Icon => out.data(site.shared.icon.bytes.clone(), |b| b.to_vec()),
            Route::Ico => out.data(site.shared.icon.ico.clone(), |b| b.to_vec()),
            Route::SiteImage => {
                let bytes = site.shared.image.as_ref().map(|i| i.bytes.clone());
                out.data(bytes, |b| b.map_or_else(Vec::new, |b| b.to_vec()))
            }
            Route::SiteCard => out.data(share::site_card(site), cards::png),
            Route::Card(i) => out.data(share::document_card(site, i), cards::png),
            Route::Feed(f) => out.data(feed::data(site, graph, f), |d| feed::atom(&d)),
            Route::Sitemap => {
                let data = sitemap::data(site, v.sources, graph, &all(site, graph));
                out.data(data, |d| sitemap::xml(&d))
            }
        }
    }
}

/// The entry of a priority's page, reported at the priority in its plan.
fn priority_entry(site: &Site, sources: &SourceFiles, graph: &Graph, key: PriorityKey) -> Entry {
    let d = &site.documents[key.plan];
    let priority = d.plan.as_ref().map(|plan| &plan.priorities[key.priority]);
    let owner = format!(
        "the page of priority `{}` in {}",
        priority.map_or("", |priority| priority.id.as_str()),
        sources.path(d.file)
    );
    Entry {
        place: priority.map(|priority| (d.file, priority.span.clone())),
        claim: Claim::Priority,
        search: true,
        ..Entry::page(graph.priority_url(site, key), owner, "priority.html")
    }
}

/// The entry of a commitment's page, reported at the commitment's id in its plan.
fn commitment_entry(
    site: &Site,
    sources: &SourceFiles,
    graph: &Graph,
    key: CommitmentKey,
) -> Entry {
    let d = &site.documents[key.plan()];
    let def = key.def(site);
    Entry {
        place: Some((d.file, def.span.clone())),
        claim: Claim::Priority,
        search: true,
        ..Entry::page(
            graph.commitment_url(site, key),
            format!(
                "the page of commitment `{}` in {}",
                def.id.as_str(),
                sources.path(d.file)
            ),
            "commitment.html",
        )
    }
}

/// What is done with what a route makes: render it, or fingerprint it.
pub(crate) trait Make {
    type Out;
    /// A page: the context its template is given.
    fn page<T: Serialize>(self, context: &T) -> Self::Out;
    /// A data file: what it is made from, and how it becomes bytes.
    fn data<D: Hash>(self, data: D, bytes: fn(D) -> Vec<u8>) -> Self::Out;
    /// A view that could not be built (a link resolve never checked: a bug, reported).
    fn failed(self, error: Diagnostic) -> Self::Out;
}

/// Every route of the site, in a fixed order. The pages that list the whole site (sources,
/// timeline, priorities) come first: each is one thread's long job, and started last it would
/// leave the other threads idle at the end of the build.
pub(crate) fn all(site: &Site, graph: &Graph) -> Vec<Route> {
    let mut routes = all_here(site, graph);
    // In another language than the site's own, under its folder, the pages are made again
    // in that language; the files every language shares are made once, at the root.
    if !site.config.base_url.lang_folder().is_empty() {
        routes.retain(|r| {
            !matches!(
                r,
                Route::MetricCsv(_)
                    | Route::MetricJson(_)
                    | Route::TrackerCsv
                    | Route::TrackerJson
                    | Route::Robots
                    | Route::Icon
                    | Route::Ico
                    | Route::SiteCard
                    | Route::SiteImage
            )
        });
    }
    routes
}

/// Every route of the site in the language it is in, documents published in another left out.
fn all_here(site: &Site, graph: &Graph) -> Vec<Route> {
    let mut routes = Vec::new();
    if !site.sources.is_empty() {
        routes.push(Route::Sources);
    }
    if !graph.timeline.is_empty() {
        routes.push(Route::Timeline);
    }
    for &p in &graph.plans {
        let count = site.documents[p]
            .plan
            .as_ref()
            .map_or(0, |s| s.priorities.len());
        routes
            .extend((0..count).map(|priority| Route::Priority(PriorityKey { plan: p, priority })));
        let commitments = plan_commitments(site, p);
        if !commitments.is_empty() {
            routes.push(Route::PlanCommitments(p));
            routes.extend(commitments.into_iter().map(Route::Commitment));
        }
    }
    routes.extend([Route::Home, Route::NotFound]);
    for (listing, l) in graph.listings.iter().enumerate() {
        routes.extend((1..=l.page_count()).map(|page| Route::Listing { listing, page }));
    }
    let here = |i: &&DocIx| site.documents[**i].elsewhere.is_none();
    routes.extend(
        graph
            .published
            .iter()
            .filter(here)
            .map(|&i| Route::Document(i)),
    );
    if graph.makes_accessibility_statement(site) {
        routes.push(Route::Accessibility);
    }
    if graph.makes_page_index() {
        routes.push(Route::PageIndex);
    }
    if !site.metrics.is_empty() {
        routes.push(Route::Metrics);
        for i in site.metric_ixs() {
            routes.extend([Route::Metric(i), Route::MetricCsv(i), Route::MetricJson(i)]);
        }
    }
    if site.config.search {
        routes.push(Route::Search);
    }
    if !graph.corrections.is_empty() {
        routes.push(Route::Corrections);
    }
    if tracker::makes_tracker(site, graph) {
        routes.extend([Route::Tracker, Route::TrackerCsv, Route::TrackerJson]);
    }
    routes.extend(feed::feeds(site, graph).into_iter().map(Route::Feed));
    routes.extend([Route::Sitemap, Route::Robots]);
    routes.extend(shared_routes(site, graph));
    routes
}

/// The icon, and the pictures shared links show: the site's, and each document's card.
fn shared_routes(site: &Site, graph: &Graph) -> Vec<Route> {
    let mut routes = vec![Route::Icon, Route::Ico];
    if share::has_site_card(site) {
        routes.push(Route::SiteCard);
    } else {
        routes.push(Route::SiteImage);
    }
    routes.extend(
        graph
            .published
            .iter()
            .filter(|&&i| share::has_card(site, i) && site.documents[i].elsewhere.is_none())
            .map(|&i| Route::Card(i)),
    );
    routes
}

/// Every route of the site with its entry, in the order of [`all`].
pub(crate) fn entries(site: &Site, sources: &SourceFiles, graph: &Graph) -> Vec<(Route, Entry)> {
    all(site, graph)
        .into_iter()
        .map(|r| (r, r.entry(site, sources, graph)))
        .collect()
}

/// The routes of [`ALWAYS_CLAIMED`] the site does not make (`made`, from [`entries`]), with
/// their entries: their paths are kept all the same.
pub(crate) fn reserved(
    site: &Site,
    sources: &SourceFiles,
    graph: &Graph,
    made: &[(Route, Entry)],
) -> Vec<(Route, Entry)> {
    ALWAYS_CLAIMED
        .into_iter()
        .filter(|r| !made.iter().any(|(m, _)| m == r))
        .map(|r| (r, r.entry(site, sources, graph)))
        .collect()
}

/// Every route whose path the site keeps, `made` and `reserved`, in the order the clash check
/// claims them: by [`Entry::claim`], and within a claim in the order of [`all`] (a listing's
/// pages before its feed).
pub(crate) fn claim_order<'e>(
    made: &'e [(Route, Entry)],
    reserved: &'e [(Route, Entry)],
) -> Vec<&'e (Route, Entry)> {
    let mut order: Vec<&(Route, Entry)> = made.iter().chain(reserved).collect();
    order.sort_by_key(|(_, e)| e.claim);
    order
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::mem::{Discriminant, discriminant};

    use super::*;
    use crate::render::Renderer;

    /// Whether a route makes a page (with a context) or a data file.
    struct IsPage;

    impl Make for IsPage {
        type Out = bool;
        fn page<T: Serialize>(self, _: &T) -> bool {
            true
        }
        fn data<D: Hash>(self, _: D, _: fn(D) -> Vec<u8>) -> bool {
            false
        }
        fn failed(self, _: Diagnostic) -> bool {
            true
        }
    }

    /// Run `check` on the site at `dir` under the repository ("" for the demo).
    fn with_site<T>(dir: &str, check: impl FnOnce(&Site, &SourceFiles, &Graph) -> T) -> T {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let loaded = crate::content::load(&root);
        let site = loaded.site.expect("the site loads");
        let (graph, _) = crate::graph::resolve(&site, &loaded.sources, false);
        check(&site, &loaded.sources, &graph)
    }

    /// Every route of the site at `dir` has a template exactly when it makes a page, and the
    /// sitemap lists the pages readers reach; returns the kinds of route it has.
    fn check_templates(dir: &str, extra: &[Route]) -> HashSet<Discriminant<Route>> {
        with_site(dir, |site, sources, graph| {
            let renderer = Renderer::new(site, sources, graph).expect("the theme compiles");
            let builder = renderer.builder(None);
            let mut routes = all(site, graph);
            routes.extend(extra);
            for &route in &routes {
                let entry = route.entry(site, sources, graph);
                assert_eq!(entry.template.is_some(), route.make(&builder, IsPage));
                // The sitemap lists the pages readers reach, and only those.
                let reachable = entry.template.is_some() && route != Route::NotFound;
                assert_eq!(entry.sitemap, reachable, "{route:?}");
            }
            routes.iter().map(discriminant).collect()
        })
    }

    #[test]
    fn a_route_has_a_template_exactly_when_it_makes_a_page() {
        // The demo's footer links every page, so it has no index of pages: add it.
        let mut kinds = check_templates("", &[Route::PageIndex]);
        // And a fixture whose commitments have targets and overdue dates.
        kinds.extend(check_templates("tests/fixtures/commitments", &[]));
        // Every kind of route but site.yaml's image (the demo shows the site's card
        // instead), so each arm of the table is checked.
        assert_eq!(kinds.len(), 27);
    }

    #[test]
    fn every_route_has_its_own_path_and_documents_are_claimed_last() {
        for dir in ["", "tests/fixtures/commitments"] {
            own_paths(dir);
        }
    }

    fn own_paths(dir: &str) {
        with_site(dir, |site, sources, graph| {
            let made = entries(site, sources, graph);
            let reserved = reserved(site, sources, graph, &made);
            let claimed = claim_order(&made, &reserved);
            let paths: HashSet<&str> = claimed.iter().map(|(_, e)| e.path.as_str()).collect();
            assert_eq!(paths.len(), claimed.len());
            for r in all(site, graph).into_iter().chain(ALWAYS_CLAIMED) {
                assert!(claimed.iter().any(|(c, _)| *c == r), "{r:?} is not claimed");
            }
            let first_document = claimed
                .iter()
                .position(|(r, _)| matches!(r, Route::Document(_)))
                .expect("the site has documents");
            assert!(
                claimed[first_document..]
                    .iter()
                    .all(|(r, _)| matches!(r, Route::Document(_)))
            );
        });
    }

    #[test]
    fn a_commitments_pages_sit_under_its_plan_and_are_searched() {
        with_site("tests/fixtures/commitments", |site, sources, graph| {
            let made = entries(site, sources, graph);
            let entry = |path: &str| {
                made.iter()
                    .find(|(_, e)| e.path == path)
                    .map(|(r, e)| (*r, e.clone()))
                    .unwrap_or_else(|| panic!("{path} is made"))
            };
            let (route, list) = entry("plans/safer-streets/commitments/index.html");
            assert!(matches!(route, Route::PlanCommitments(_)));
            assert_eq!(
                list.owner,
                "the list of commitments of content/plans/safer-streets.md"
            );
            assert!(list.sitemap && !list.search);
            let (route, page) = entry("plans/safer-streets/commitments/patrols/index.html");
            assert!(matches!(route, Route::Commitment(_)));
            assert_eq!(
                page.owner,
                "the page of commitment `patrols` in content/plans/safer-streets.md"
            );
            assert!(page.sitemap && page.search);
            assert_eq!(page.template, Some("commitment.html"));
            let commitments = made
                .iter()
                .filter(|(r, _)| matches!(r, Route::Commitment(_)))
                .count();
            assert_eq!(commitments, 5);
        });
    }
}
