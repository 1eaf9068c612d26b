//! Runs the stages: load -> resolve -> render -> write, for `check`, `build` and `serve`.
//! Content problems are diagnostics, collected from every stage that can run; a stage that
//! found errors stops the run. Render is one [`Driver`] for the three commands: it makes the
//! stale routes of [`crate::routes`] (every route for `check` and `build`; for `serve`, see
//! [`crate::incremental`], those whose fingerprint changed), indexes them for search and hands
//! them to a [`Sink`]: nowhere (`check`), a staging folder swapped in on success (`build`), or
//! memory (`serve`). A file that cannot be written is not a diagnostic: the build stops and
//! returns it as an [`OutputError`], and the previous output stays.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::content::{self, theme::AssetSource};
use crate::diag::{Diagnostic, Diagnostics, SourceFiles};
use crate::graph;
use crate::output::{OutputError, Staging};
use crate::render::{Fingerprinted, Fingerprints, Renderer};
use crate::routes::{self, Entry, Route};
use crate::search;

use rayon::prelude::*;

pub struct Options {
    pub root: PathBuf,
    /// Default: ROOT/public.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// Treat warnings as errors.
    pub strict: bool,
}

impl Options {
    pub(crate) fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a run found and made.
pub struct Outcome {
    pub sources: SourceFiles,
    pub diagnostics: Diagnostics,
    /// Pages rendered (and written, for a successful build).
    pub pages: usize,
    /// Where the site was written, when it was.
    pub(crate) written_to: Option<PathBuf>,
    /// What resolve found: plans, priorities, sources and checked references.
    pub stats: graph::Stats,
    /// What `check --links` did, when it ran.
    pub links: Option<crate::linkcheck::Checked>,
}

/// Wall time per stage; render includes handing pages to the sink.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Timings {
    pub(crate) load: Duration,
    pub(crate) resolve: Duration,
    pub(crate) render: Duration,
}

impl Outcome {
    pub fn succeeded(&self) -> bool {
        !self.diagnostics.has_errors()
    }
}

/// Where rendered pages and copied files go. Pages arrive from several threads at once. A sink
/// that cannot write keeps its first error and takes nothing more (see [`Sink::failed`]), so a
/// full disk is one error, not one per file.
pub(crate) trait Sink: Sync {
    fn page(&self, path: &str, bytes: Vec<u8>);
    fn file(&self, path: &str, from: AssetSource);
    /// Whether a write failed: the run stops handing over files, since the build has failed.
    fn failed(&self) -> bool;
    /// Whether what it is handed is kept: nothing is made for a sink that drops it (the
    /// search index for `check`).
    fn keeps(&self) -> bool {
        true
    }
}

/// `check`: render everything, keep nothing.
struct Discard;

impl Sink for Discard {
    fn page(&self, _: &str, _: Vec<u8>) {}
    fn file(&self, _: &str, _: AssetSource) {}
    fn failed(&self) -> bool {
        false
    }
    fn keeps(&self) -> bool {
        false
    }
}

impl Sink for Staging {
    fn page(&self, path: &str, bytes: Vec<u8>) {
        if !self.has_failed() {
            self.keep_first_error(self.write(path, &bytes));
        }
    }
    fn file(&self, path: &str, from: AssetSource) {
        if self.has_failed() {
            return;
        }
        self.keep_first_error(match from {
            AssetSource::Embedded(bytes) => self.add(path, bytes),
            AssetSource::Built(bytes) => self.add(path, &bytes),
            AssetSource::Disk(src) => self.copy(path, &src),
        });
    }
    fn failed(&self) -> bool {
        self.has_failed()
    }
}

/// Told how a run advances, to draw a progress bar. Called from the render threads.
pub(crate) trait Progress: Sync {
    /// A stage begins: "load", "resolve", or "render" with the number of files to make.
    fn stage(&self, _name: &'static str, _files: Option<usize>) {}
    /// One more file made.
    fn made(&self) {}
    /// Another build holds the output folder: this one waits for it to finish.
    fn waiting_for(&self, _output: &Path) {}
}

/// No progress to show.
pub(crate) struct Quiet;
impl Progress for Quiet {}

/// What a run checks besides the published documents, and how strictly.
#[derive(Debug, Clone, Copy, Default)]
pub struct CheckOptions {
    /// Include drafts, as published pages.
    pub drafts: bool,
    /// Treat warnings as errors.
    pub strict: bool,
    /// Also request the outside addresses the site names (`check --links`); only then is the
    /// network used.
    pub links: Option<crate::linkcheck::LinkOptions>,
}

/// Everything but writing: load, resolve and render to nowhere.
pub fn check(root: &Path, opts: CheckOptions) -> Outcome {
    check_with(root, opts, &Quiet)
}

pub(crate) fn check_with(root: &Path, opts: CheckOptions, progress: &dyn Progress) -> Outcome {
    run(root, opts, &Discard, progress)
}

/// Build the site into the output folder, replacing it only if the build succeeds.
pub fn build(opts: &Options) -> Result<Outcome, OutputError> {
    build_with(opts, &Quiet)
}

pub(crate) fn build_with(opts: &Options, progress: &dyn Progress) -> Result<Outcome, OutputError> {
    // Refuse a bad output folder before doing any work.
    let mut staging = Staging::begin(&opts.root, &opts.output_dir(), &|output| {
        progress.waiting_for(output)
    })?;
    let checks = CheckOptions {
        drafts: opts.drafts,
        strict: opts.strict,
        links: None,
    };
    let mut outcome = run(&opts.root, checks, &staging, progress);
    // A write that failed is the build's one error; the previous output stays.
    if let Some(e) = staging.take_error() {
        return Err(e);
    }
    if outcome.succeeded() {
        outcome.written_to = Some(staging.commit()?);
    }
    Ok(outcome)
}

fn run(root: &Path, opts: CheckOptions, sink: &dyn Sink, progress: &dyn Progress) -> Outcome {
    progress.stage("load", None);
    let content::Loaded {
        sources,
        mut diagnostics,
        site,
    } = content::load(root);
    // `check` notes the documents a language has no translation of (load makes them errors
    // when site.yaml requires translations). Notes never fail a run, even a strict one.
    if let Some(site) = site
        .as_ref()
        .filter(|s| !sink.keeps() && !s.config.require_translations)
    {
        diagnostics.extend(content::translation::missing(site, &sources));
    }
    if opts.strict {
        diagnostics.make_strict();
    }
    let mut tally = Tally {
        diagnostics,
        stats: graph::Stats::default(),
        links: None,
    };
    let pages = match &site {
        Some(site) => resolve_render(site, &sources, opts, sink, progress, &mut tally),
        None => 0,
    };
    Outcome {
        sources,
        diagnostics: tally.diagnostics,
        pages,
        written_to: None,
        stats: tally.stats,
        links: tally.links,
    }
}

/// What the stages found.
struct Tally {
    diagnostics: Diagnostics,
    stats: graph::Stats,
    links: Option<crate::linkcheck::Checked>,
}

/// The stages after load; stops at the first stage that found errors, so a build with errors
/// never completes its output.
fn resolve_render(
    site: &content::Site,
    sources: &SourceFiles,
    opts: CheckOptions,
    sink: &dyn Sink,
    progress: &dyn Progress,
    tally: &mut Tally,
) -> usize {
    progress.stage("resolve", None);
    let (graph, problems) = graph::resolve(site, sources, opts.drafts);
    tally.stats = graph.stats;
    tally.diagnostics.extend(problems);
    if tally.diagnostics.has_errors() {
        return 0;
    }
    // The site in each of its other languages, resolved before anything is rendered: search
    // indexes every language's pages together, Pagefind's index of each language beside the
    // others.
    let mut others = Vec::new();
    for language in 0..site.config.languages.len() {
        let site = site.in_language(language);
        let (graph, problems) = graph::resolve(&site, sources, opts.drafts);
        tally.diagnostics.extend(own_problems(&site, problems));
        others.push((site, graph));
    }
    if tally.diagnostics.has_errors() {
        return 0;
    }
    let searched = site.config.search && sink.keeps();
    let shared = (searched && !others.is_empty()).then(|| {
        let mut paths = search_paths(site, sources, &graph);
        for (site, graph) in &others {
            paths.extend(search_paths(site, sources, graph));
        }
        search::Indexer::start(paths, &search::index_language(&site.config))
    });
    let search = match &shared {
        Some(indexer) => Search::Shared(indexer),
        None if searched => Search::Own,
        None => Search::Off,
    };
    let driver = Driver {
        site,
        sources,
        graph: &graph,
        stale: Stale::All,
        sink,
        progress,
        search,
    };
    let mut pages = driver.run(&mut tally.diagnostics).map_or(0, |r| r.pages);
    for (site, graph) in &others {
        if tally.diagnostics.has_errors() || sink.failed() {
            return 0;
        }
        let folder = site.config.base_url.lang_folder().to_string();
        let driver = Driver {
            site,
            sources,
            graph,
            stale: Stale::All,
            sink: &InFolder { folder, sink },
            progress,
            search: shared.as_ref().map_or(Search::Off, Search::Shared),
        };
        pages += driver.run(&mut tally.diagnostics).map_or(0, |r| r.pages);
    }
    if let Some(indexer) = shared
        && !tally.diagnostics.has_errors()
    {
        write_index(indexer, sink, progress, &mut tally.diagnostics);
    }
    if let Some(links) = opts.links {
        let (checked, found) =
            crate::linkcheck::check(&site.root, site, &graph, sources, links, progress);
        tally.diagnostics.extend(found);
        tally.links = Some(checked);
    }
    pages
}

/// The output paths of `site`'s pages that search indexes, under its language's folder.
fn search_paths(site: &content::Site, sources: &SourceFiles, graph: &graph::Graph) -> Vec<String> {
    routes::all(site, graph)
        .into_par_iter()
        .filter_map(|r| indexed_path(site, sources, graph, r))
        .collect()
}

/// The output path of route `r`, under its language's folder (`cy/reports/x/index.html`),
/// when search indexes it.
fn indexed_path(
    site: &content::Site,
    sources: &SourceFiles,
    graph: &graph::Graph,
    r: Route,
) -> Option<String> {
    let entry = r.entry(site, sources, graph);
    let folder = site.config.base_url.lang_folder();
    entry.search.then(|| format!("{folder}{}", entry.path))
}

/// Write the search index once every page is in it.
fn write_index(
    indexer: search::Indexer,
    sink: &dyn Sink,
    progress: &dyn Progress,
    diagnostics: &mut Diagnostics,
) {
    progress.stage("search", None);
    match indexer.finish() {
        Ok(files) => {
            for (path, bytes) in files {
                sink.page(&path, bytes);
            }
        }
        Err(e) => diagnostics.push(e),
    }
}

/// Of what resolve found in `site` (the site in one of its other languages), what is its own:
/// problems in the bodies of its translations. The rest, in the files every language shares,
/// was found in the site's own language. A translated document keeps its original's front
/// matter, with the original's places but the translation's file: what resolve finds there
/// was reported at the original, and is left out when its place falls before the body (see
/// docs/languages.md for when it may not).
pub(crate) fn own_problems(
    site: &content::Site,
    problems: Vec<Diagnostic>,
) -> impl Iterator<Item = Diagnostic> {
    let bodies: std::collections::HashMap<crate::diag::FileId, usize> = site
        .translations
        .iter()
        .filter(|t| Some(t.language) == site.config.current)
        .map(|t| (t.file, t.body_offset))
        .collect();
    problems.into_iter().filter(move |d| {
        d.location.as_ref().is_some_and(|l| {
            bodies
                .get(&l.file)
                .is_some_and(|&body| l.span.start >= body)
        })
    })
}

/// A sink that puts what it is handed under a folder (`cy/`) of another.
pub(crate) struct InFolder<'s> {
    pub(crate) folder: String,
    pub(crate) sink: &'s dyn Sink,
}

impl Sink for InFolder<'_> {
    fn page(&self, path: &str, bytes: Vec<u8>) {
        self.sink.page(&format!("{}{path}", self.folder), bytes);
    }
    fn file(&self, path: &str, from: AssetSource) {
        self.sink.file(&format!("{}{path}", self.folder), from);
    }
    fn failed(&self) -> bool {
        self.sink.failed()
    }
    fn keeps(&self) -> bool {
        self.sink.keeps()
    }
}

/// Which routes to render.
pub(crate) enum Stale<'p> {
    /// Every route (`check`, `build`): no fingerprint is worked out.
    All,
    /// Those whose fingerprint is not in `previous` (`serve`); `data` is a digest of site.yaml,
    /// sources.yaml and the metric files.
    Changed {
        previous: &'p Fingerprinted,
        data: u64,
    },
}

/// The render stage, for `check`, `build` and `serve` alike: make the stale routes, hand their
/// files to the sink, index them for search, then copy the files that are not rendered.
pub(crate) struct Driver<'r> {
    pub(crate) site: &'r content::Site,
    pub(crate) sources: &'r SourceFiles,
    pub(crate) graph: &'r graph::Graph,
    pub(crate) stale: Stale<'r>,
    pub(crate) sink: &'r dyn Sink,
    pub(crate) progress: &'r dyn Progress,
    /// Whether to index the pages made for search (`serve` makes its index on demand).
    pub(crate) search: Search<'r>,
}

/// What the render stage does for search.
pub(crate) enum Search<'r> {
    /// Nothing.
    Off,
    /// Index the pages it makes and write the index.
    Own,
    /// Hand the pages it makes to an index of several renders (a site's languages), which its
    /// caller writes.
    Shared(&'r search::Indexer),
}

/// What the render stage made.
pub(crate) struct Rendered {
    /// HTML pages made (data files are not counted).
    pub(crate) pages: usize,
    /// Every route's fingerprint, when the routes to make were picked by them.
    pub(crate) fingerprints: Fingerprinted,
}

impl Driver<'_> {
    /// Render; `None` when it found errors, which go to `diagnostics`.
    pub(crate) fn run(&self, diagnostics: &mut Diagnostics) -> Option<Rendered> {
        let renderer = match Renderer::new(self.site, self.sources, self.graph) {
            Ok(r) => r,
            Err(errors) => {
                diagnostics.extend(errors);
                return None;
            }
        };
        let (mut todo, fingerprints) = self.pick(&renderer);
        // Search indexes a page in another language under its full path (`cy/reports/x/`).
        let folder = self.site.config.base_url.lang_folder();
        let own = matches!(self.search, Search::Own).then(|| self.indexer(&todo));
        let indexer = match self.search {
            Search::Shared(indexer) => Some(indexer),
            _ => own.as_ref(),
        };
        if let Some(indexer) = indexer {
            self.rank(&mut todo, indexer);
        }
        self.progress.stage("render", Some(todo.len()));
        let written = AtomicUsize::new(0);
        // Pages marked for search, to warn when search is on and there are none.
        let marked = AtomicUsize::new(0);
        let sink = self.sink;
        // Once a write failed the rest is not rendered: the build has failed, and says why once.
        let result = renderer.render_until(
            &todo,
            || sink.failed(),
            |page| {
                // Data files (a metric's CSV and JSON) are not counted as pages.
                if page.path.ends_with(".html") {
                    written.fetch_add(1, Ordering::Relaxed);
                }
                if self.site.config.search && page.search && search::is_marked(&page.bytes) {
                    marked.fetch_add(1, Ordering::Relaxed);
                }
                if let Some(indexer) = &indexer {
                    indexer.page(&format!("{folder}{}", page.path), &page.bytes);
                }
                sink.page(&page.path, page.bytes);
                self.progress.made();
                Ok(())
            },
        );
        if let Err(errors) = result {
            diagnostics.extend(errors);
            return None;
        }
        if self.site.config.search && matches!(self.stale, Stale::All) && marked.into_inner() == 0 {
            diagnostics.push(
                Diagnostic::warning("site.yaml turns search on, but the site has no documents, plans or metrics to index")
                    .help("add content, or remove `search: true` from site.yaml"),
            );
        }
        if let Some(indexer) = own {
            write_index(indexer, sink, self.progress, diagnostics);
        }
        if diagnostics.has_errors() {
            return None;
        }
        // Every language shares the theme's files and those under content/.
        let shared = self.site.config.base_url.lang_folder().is_empty();
        for (path, from) in copied_files(self.site, self.graph)
            .into_iter()
            .filter(|_| shared)
        {
            if sink.failed() {
                break;
            }
            sink.file(&path, from);
        }
        Some(Rendered {
            pages: written.into_inner(),
            fingerprints,
        })
    }

    /// Start the search index of the pages among `todo` that search indexes.
    fn indexer(&self, todo: &[Route]) -> search::Indexer {
        search::Indexer::start(
            self.search_paths(todo).into_iter().flatten().collect(),
            &search::index_language(&self.site.config),
        )
    }

    /// The output path of each of `todo` that search indexes, under its language's folder.
    fn search_paths(&self, todo: &[Route]) -> Vec<Option<String>> {
        todo.par_iter()
            .map(|&r| indexed_path(self.site, self.sources, self.graph, r))
            .collect()
    }

    /// Put the pages `indexer` takes first, in the order it takes them, so that indexing
    /// starts with the first page made rather than waiting for the page it needs next.
    fn rank(&self, todo: &mut Vec<Route>, indexer: &search::Indexer) {
        let paths = self.search_paths(todo);
        let mut ranked: Vec<(usize, Route)> = paths
            .iter()
            .zip(todo.iter())
            .map(|(path, &r)| {
                let rank = path.as_deref().and_then(|p| indexer.rank(p));
                (rank.unwrap_or(usize::MAX), r)
            })
            .collect();
        // Stable: the pages not indexed keep their order after the others.
        ranked.sort_by_key(|(rank, _)| *rank);
        *todo = ranked.into_iter().map(|(_, r)| r).collect();
    }

    /// The routes to make, and every route's fingerprint when they are picked by it.
    fn pick(&self, renderer: &Renderer) -> (Vec<Route>, Fingerprinted) {
        let routes = routes::all(self.site, self.graph);
        let Stale::Changed { previous, data } = self.stale else {
            return (routes, Fingerprinted::default());
        };
        let entries: Vec<(Route, Entry)> = routes
            .into_par_iter()
            .map(|r| (r, r.entry(self.site, self.sources, self.graph)))
            .collect();
        let prints = Fingerprints::new(renderer, self.sources, data, entries.iter().map(|e| &e.1));
        let planned: Vec<(Route, String, u64)> = entries
            .into_par_iter()
            .map(|(r, e)| {
                let f = prints.of(r, &e);
                (r, e.path, f)
            })
            .collect();
        let todo = planned
            .iter()
            .filter(|(_, path, f)| previous.get(path) != Some(f))
            .map(|(r, ..)| *r)
            .collect();
        let fingerprints = planned.into_iter().map(|(_, path, f)| (path, f)).collect();
        (todo, fingerprints)
    }
}

/// The files a build copies rather than renders: the theme's static files and the files under
/// content/ that published documents use, by output path.
pub(crate) fn copied_files(
    site: &content::Site,
    graph: &graph::Graph,
) -> Vec<(String, AssetSource)> {
    let theme = site
        .theme
        .assets
        .iter()
        .map(|(name, src)| (format!("static/{name}"), src.clone()));
    let content = site.content_dir();
    let used = graph
        .assets
        .iter()
        .map(|path| (path.clone(), AssetSource::Disk(content.join(path))));
    theme.chain(used).collect()
}
