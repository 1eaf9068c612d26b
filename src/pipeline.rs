//! Runs the stages: load -> resolve -> render -> write, for `check`, `build` and `serve`.
//! Content problems are collected as diagnostics from every stage that can run; program faults
//! (the output folder cannot be written) are errors. Where pages go is a [`Sink`]: nowhere
//! (`check`) or a staging folder swapped in on success (`build`). `serve` keeps the stages
//! between rebuilds instead: see [`crate::incremental`].

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::content::{self, theme::AssetSource};
use crate::diag::{Diagnostic, Diagnostics, SourceFiles};
use crate::graph;
use crate::output::{OutputError, Staging};
use crate::render::{self, Renderer};
use crate::search;

pub struct Options {
    pub root: PathBuf,
    /// Default: ROOT/public.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    /// Treat warnings as errors.
    pub strict: bool,
}

impl Options {
    pub fn output_dir(&self) -> PathBuf {
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
    pub written_to: Option<PathBuf>,
    /// What resolve found: plans, priorities, sources and checked references.
    pub stats: graph::Stats,
    /// The path of the site's base URL (`/` when site.yaml could not be read).
    pub base_path: String,
    /// How long each stage took.
    pub timings: Timings,
}

/// Wall time per stage; render includes handing pages to the sink.
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    pub load: Duration,
    pub resolve: Duration,
    pub render: Duration,
}

impl Outcome {
    pub fn succeeded(&self) -> bool {
        !self.diagnostics.has_errors()
    }
}

/// Where the bytes of a file that is copied, not rendered, come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileSource {
    Embedded(&'static [u8]),
    Disk(PathBuf),
    Memory(std::sync::Arc<[u8]>),
}

/// Where rendered pages and copied files go. Pages arrive from several threads at once. A sink
/// that cannot write keeps its first error and takes nothing more (see [`Sink::failed`]), so a
/// full disk is one error, not one per file.
pub trait Sink: Sync {
    fn page(&self, path: &str, bytes: Vec<u8>);
    fn file(&self, path: &str, from: FileSource);
    /// Whether a write failed: the run stops handing over files, since the build has failed.
    fn failed(&self) -> bool;
}

/// `check`: render everything, keep nothing.
struct Discard;

impl Sink for Discard {
    fn page(&self, _: &str, _: Vec<u8>) {}
    fn file(&self, _: &str, _: FileSource) {}
    fn failed(&self) -> bool {
        false
    }
}

impl Sink for Staging {
    fn page(&self, path: &str, bytes: Vec<u8>) {
        if !self.has_failed() {
            self.keep_first_error(self.write(path, &bytes));
        }
    }
    fn file(&self, path: &str, from: FileSource) {
        if self.has_failed() {
            return;
        }
        self.keep_first_error(match from {
            FileSource::Embedded(bytes) => self.add(path, bytes),
            FileSource::Memory(bytes) => self.add(path, &bytes),
            FileSource::Disk(src) => self.copy(path, &src),
        });
    }
    fn failed(&self) -> bool {
        self.has_failed()
    }
}

/// Told how a run advances, to draw a progress bar. Called from the render threads.
pub trait Progress: Sync {
    /// A stage begins: "load", "resolve", or "render" with the number of files to make.
    fn stage(&self, _name: &'static str, _files: Option<usize>) {}
    /// One more file made.
    fn made(&self) {}
    /// Another build holds the output folder: this one waits for it to finish.
    fn waiting_for(&self, _output: &Path) {}
}

/// No progress to show.
pub struct Quiet;
impl Progress for Quiet {}

/// Everything but writing: load, resolve and render to nowhere.
pub fn check(root: &Path, drafts: bool, strict: bool) -> Outcome {
    check_with(root, drafts, strict, &Quiet)
}

pub fn check_with(root: &Path, drafts: bool, strict: bool, progress: &dyn Progress) -> Outcome {
    run(root, drafts, strict, &Discard, progress)
}

/// Build the site into the output folder, replacing it only if the build succeeds.
pub fn build(opts: &Options) -> Result<Outcome, OutputError> {
    build_with(opts, &Quiet)
}

pub fn build_with(opts: &Options, progress: &dyn Progress) -> Result<Outcome, OutputError> {
    // Refuse a bad output folder before doing any work.
    let mut staging = Staging::begin(&opts.root, &opts.output_dir(), &|output| {
        progress.waiting_for(output)
    })?;
    let mut outcome = run(&opts.root, opts.drafts, opts.strict, &staging, progress);
    // A write that failed is the build's one error; the previous output stays.
    if let Some(e) = staging.take_error() {
        return Err(e);
    }
    if outcome.succeeded() {
        outcome.written_to = Some(staging.commit()?);
    }
    Ok(outcome)
}

fn run(
    root: &Path,
    drafts: bool,
    strict: bool,
    sink: &dyn Sink,
    progress: &dyn Progress,
) -> Outcome {
    let started = Instant::now();
    progress.stage("load", None);
    let content::Loaded {
        sources,
        mut diagnostics,
        site,
    } = content::load(root);
    if strict {
        diagnostics.make_strict();
    }
    let mut tally = Tally {
        diagnostics,
        stats: graph::Stats::default(),
        timings: Timings {
            load: started.elapsed(),
            ..Timings::default()
        },
    };
    let base_path = site
        .as_ref()
        .map_or_else(|| "/".to_string(), |s| s.config.base_url.path().to_string());
    let pages = match &site {
        Some(site) => resolve_render(site, &sources, drafts, sink, progress, &mut tally),
        None => 0,
    };
    Outcome {
        sources,
        diagnostics: tally.diagnostics,
        pages,
        written_to: None,
        stats: tally.stats,
        base_path,
        timings: tally.timings,
    }
}

/// What the stages found, and how long they took.
struct Tally {
    diagnostics: Diagnostics,
    stats: graph::Stats,
    timings: Timings,
}

/// The stages after load; stops at the first stage that found errors, so a build with errors
/// never completes its output.
fn resolve_render(
    site: &content::Site,
    sources: &SourceFiles,
    drafts: bool,
    sink: &dyn Sink,
    progress: &dyn Progress,
    tally: &mut Tally,
) -> usize {
    let started = Instant::now();
    progress.stage("resolve", None);
    let (graph, problems) = graph::resolve(site, sources, drafts);
    tally.timings.resolve = started.elapsed();
    let started = Instant::now();
    tally.stats = graph.stats;
    tally.diagnostics.extend(problems);
    if tally.diagnostics.has_errors() {
        return 0;
    }
    let renderer = match Renderer::new(site, sources, &graph) {
        Ok(r) => r,
        Err(errors) => {
            tally.diagnostics.extend(errors);
            return 0;
        }
    };
    let jobs = render::jobs(site, &graph);
    progress.stage("render", Some(jobs.len()));
    let written = AtomicUsize::new(0);
    // The pages to index for search, as (root-relative URL, HTML).
    let to_index = Mutex::new(Vec::new());
    // Once a write failed the rest is not rendered: the build has failed, and says why once.
    let result = renderer.render_until(
        &jobs,
        || sink.failed(),
        |page| {
            // Data files (a metric's CSV and JSON) are not counted as pages.
            if page.path.ends_with(".html") {
                written.fetch_add(1, Ordering::Relaxed);
                if site.config.search
                    && let Some(page) = search::indexable(&page.path, &page.bytes)
                    && let Ok(mut list) = to_index.lock()
                {
                    list.push(page);
                }
            }
            sink.page(&page.path, page.bytes);
            progress.made();
            Ok(())
        },
    );
    if let Err(errors) = result {
        tally.diagnostics.extend(errors);
        return 0;
    }
    if site.config.search {
        progress.stage("search", None);
        let pages = to_index.into_inner().unwrap_or_else(|e| e.into_inner());
        if pages.is_empty() {
            tally.diagnostics.push(
                Diagnostic::warning("site.yaml turns search on, but the site has no documents, plans or metrics to index")
                    .help("add content, or remove `search: true` from site.yaml"),
            );
        }
        match search::index(pages, site.config.language.as_str()) {
            Ok(files) => {
                for (path, bytes) in files {
                    sink.page(&path, bytes);
                }
            }
            Err(e) => tally.diagnostics.push(e),
        }
    }
    tally.timings.render = started.elapsed();
    if tally.diagnostics.has_errors() {
        return 0;
    }
    for (path, from) in copied_files(site, &graph) {
        if sink.failed() {
            break;
        }
        sink.file(&path, from);
    }
    written.into_inner()
}

/// The files a build copies rather than renders: the theme's static files and the files under
/// content/ that published documents use, by output path.
pub fn copied_files(site: &content::Site, graph: &graph::Graph) -> Vec<(String, FileSource)> {
    let theme = site.theme.assets.iter().map(|(name, src)| {
        let from = match src {
            AssetSource::Embedded(bytes) => FileSource::Embedded(bytes),
            AssetSource::Disk(path) => FileSource::Disk(path.clone()),
            AssetSource::Built(bytes) => FileSource::Memory(bytes.clone()),
        };
        (format!("static/{name}"), from)
    });
    let content = site.content_dir();
    let used = graph
        .assets
        .iter()
        .map(|path| (path.clone(), FileSource::Disk(content.join(path))));
    theme.chain(used).collect()
}
