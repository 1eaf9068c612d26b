//! Runs the stages: load -> resolve -> render -> write, for `check` and `build`. Content
//! problems are collected as diagnostics from every stage that can run; program faults (the
//! output folder cannot be written) are errors.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::content::{self, theme::AssetSource};
use crate::diag::{Diagnostic, Diagnostics, SourceFiles};
use crate::graph;
use crate::output::{OutputError, Staging};
use crate::render::{self, Renderer};

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
}

impl Outcome {
    pub fn succeeded(&self) -> bool {
        !self.diagnostics.has_errors()
    }
}

/// Everything but writing: load, resolve and render to nowhere.
pub fn check(root: &Path, drafts: bool, strict: bool) -> Outcome {
    run(root, drafts, strict, None).expect("no output folder, so no output error")
}

/// Build the site into the output folder, replacing it only if the build succeeds.
pub fn build(opts: &Options) -> Result<Outcome, OutputError> {
    // Refuse a bad output folder before doing any work.
    crate::output::check_target(&opts.root, &opts.output_dir())?;
    run(
        &opts.root,
        opts.drafts,
        opts.strict,
        Some(&opts.output_dir()),
    )
}

fn run(
    root: &Path,
    drafts: bool,
    strict: bool,
    output: Option<&Path>,
) -> Result<Outcome, OutputError> {
    let content::Loaded {
        sources,
        mut diagnostics,
        site,
    } = content::load(root);
    if strict {
        diagnostics.make_strict();
    }
    let mut stats = graph::Stats::default();
    let (pages, written_to) = match &site {
        Some(site) => {
            resolve_render_write(site, &sources, drafts, output, &mut diagnostics, &mut stats)?
        }
        None => (0, None),
    };
    Ok(Outcome {
        sources,
        diagnostics,
        pages,
        written_to,
        stats,
    })
}

/// The stages after load; stops at the first stage that found errors, so a build with errors
/// never touches the output folder.
fn resolve_render_write(
    site: &content::Site,
    sources: &SourceFiles,
    drafts: bool,
    output: Option<&Path>,
    diagnostics: &mut Diagnostics,
    stats: &mut graph::Stats,
) -> Result<(usize, Option<PathBuf>), OutputError> {
    let (graph, problems) = graph::resolve(site, sources, drafts);
    *stats = graph.stats;
    diagnostics.extend(problems);
    if diagnostics.has_errors() {
        return Ok((0, None));
    }
    let renderer = match Renderer::new(site, sources, &graph) {
        Ok(r) => r,
        Err(errors) => {
            diagnostics.extend(errors);
            return Ok((0, None));
        }
    };
    let jobs = render::jobs(site, &graph);
    let staging = output.map(|o| Staging::begin(&site.root, o)).transpose()?;
    let written = AtomicUsize::new(0);
    let result = renderer.render_all(&jobs, |page| {
        if let Some(s) = &staging {
            s.write(&page.path, &page.bytes)
                .map_err(|e| Diagnostic::error(e.to_string()))?;
        }
        written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    });
    if let Err(errors) = result {
        diagnostics.extend(errors);
        return Ok((0, None));
    }
    let pages = written.into_inner();
    let Some(staging) = staging else {
        return Ok((pages, None));
    };
    for (name, src) in &site.theme.assets {
        let rel = format!("static/{name}");
        match src {
            AssetSource::Embedded(bytes) => staging.write(&rel, bytes)?,
            AssetSource::Disk(path) => staging.copy(&rel, path)?,
        }
    }
    for path in &graph.assets {
        staging.copy(path, &site.content_dir().join(path))?;
    }
    Ok((pages, Some(staging.commit()?)))
}
