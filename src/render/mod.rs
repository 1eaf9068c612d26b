//! Render: the minijinja environment, built once from the theme, turns each page of the
//! [`Graph`] into bytes, in parallel. Pages go to a sink (the writer, or nothing for `check`)
//! as they are made, so a large site is never held in memory whole.

pub mod chart;
mod data;
pub mod feed;
mod fingerprint;
mod sitemap;
mod view;

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use rayon::prelude::*;
use serde::Serialize;

use crate::content::{DocIx, MetricIx, Site, SitePath};
use crate::diag::{Diagnostic, SourceFiles};
use crate::graph::{Graph, PriorityKey};
use crate::urls::{
    ACCESSIBILITY_PAGE, METRICS_PAGE, PAGES_INDEX, SEARCH_PAGE, SOURCES_PAGE, TIMELINE_PAGE,
    metric_data, metric_url,
};
pub use fingerprint::Fingerprints;
pub use view::format_date;

/// One output file: its path under the output folder and its bytes.
pub struct Page {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A page to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    Home,
    NotFound,
    Document(DocIx),
    Listing {
        listing: usize,
        page: usize,
    },
    /// A priority's page.
    Priority(PriorityKey),
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
    Feed(feed::Feed),
    Sitemap,
    Robots,
    /// The search page, when site.yaml asks for search.
    Search,
}

impl Job {
    /// The template that makes this page; data files are written without one.
    pub fn template(self) -> Option<&'static str> {
        Some(match self {
            Job::MetricCsv(_) | Job::MetricJson(_) | Job::Feed(_) | Job::Sitemap | Job::Robots => {
                return None;
            }
            Job::Home => "home.html",
            Job::NotFound => "404.html",
            Job::Document(_) => "document.html",
            Job::Listing { .. } => "listing.html",
            Job::Priority(..) => "priority.html",
            Job::Sources => "sources.html",
            Job::Timeline => "timeline.html",
            Job::Metric(_) => "metric.html",
            Job::Metrics => "metrics.html",
            Job::Accessibility => "accessibility.html",
            Job::PageIndex => "pages.html",
            Job::Search => "search.html",
        })
    }

    /// Where the page is written, under the output folder.
    pub fn output_path(self, site: &Site, graph: &Graph) -> String {
        let url = match self {
            Job::NotFound => return "404.html".into(),
            Job::MetricCsv(i) => return metric_data(&site.metrics[i], "csv"),
            Job::MetricJson(i) => return metric_data(&site.metrics[i], "json"),
            Job::Feed(f) => return f.path(graph),
            Job::Sitemap => return "sitemap.xml".into(),
            Job::Robots => return "robots.txt".into(),
            Job::Home => SitePath(String::new()),
            Job::Document(i) => site.documents[i].url.clone(),
            Job::Listing { listing, page } => graph.listings[listing].page_url(page),
            Job::Priority(key) => graph.priority_url(site, key),
            Job::Sources => SitePath(SOURCES_PAGE.into()),
            Job::Timeline => SitePath(TIMELINE_PAGE.into()),
            Job::Metric(i) => metric_url(&site.metrics[i]),
            Job::Metrics => SitePath(METRICS_PAGE.into()),
            Job::Accessibility => SitePath(ACCESSIBILITY_PAGE.into()),
            Job::PageIndex => SitePath(PAGES_INDEX.into()),
            Job::Search => SitePath(SEARCH_PAGE.into()),
        };
        url.file()
    }
}

/// Every page of the site, in a fixed order. The pages that list the whole site (sources,
/// timeline, priorities) come first: each is one thread's long job, and started last it would
/// leave the other threads idle at the end of the build.
pub fn jobs(site: &Site, graph: &Graph) -> Vec<Job> {
    let mut jobs = Vec::new();
    if !site.sources.is_empty() {
        jobs.push(Job::Sources);
    }
    if !graph.timeline.is_empty() {
        jobs.push(Job::Timeline);
    }
    for &p in &graph.plans {
        let count = site.documents[p]
            .plan
            .as_ref()
            .map_or(0, |s| s.priorities.len());
        jobs.extend((0..count).map(|priority| Job::Priority(PriorityKey { plan: p, priority })));
    }
    jobs.extend([Job::Home, Job::NotFound]);
    for (listing, l) in graph.listings.iter().enumerate() {
        jobs.extend((1..=l.page_count()).map(|page| Job::Listing { listing, page }));
    }
    jobs.extend(graph.published.iter().map(|&i| Job::Document(i)));
    if graph.makes_accessibility_statement(site) {
        jobs.push(Job::Accessibility);
    }
    if graph.makes_page_index() {
        jobs.push(Job::PageIndex);
    }
    if !site.metrics.is_empty() {
        jobs.push(Job::Metrics);
        for i in site.metric_ixs() {
            jobs.extend([Job::Metric(i), Job::MetricCsv(i), Job::MetricJson(i)]);
        }
    }
    if site.config.search {
        jobs.push(Job::Search);
    }
    jobs.extend(feed::feeds(graph).into_iter().map(Job::Feed));
    jobs.extend([Job::Sitemap, Job::Robots]);
    jobs
}

pub struct Renderer<'a> {
    env: Environment<'a>,
    site: &'a Site,
    sources: &'a SourceFiles,
    graph: &'a Graph,
    chrome: view::SiteView,
}

impl<'a> Renderer<'a> {
    /// Compile every template once; a template with a syntax error is reported at its line.
    pub fn new(
        site: &'a Site,
        sources: &'a SourceFiles,
        graph: &'a Graph,
    ) -> Result<Self, Vec<Diagnostic>> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // minijinja names an undefined value (`doc.subtitle` is undefined) only in debug mode,
        // which otherwise follows cfg!(debug_assertions): release builds would lose the name.
        env.set_debug(true);
        // Autoescape stays on for .html templates (minijinja's default by extension); escape
        // only what HTML needs, so URLs read `/reports/` rather than `&#x2f;reports&#x2f;`.
        env.set_formatter(
            |out, state, value| match (state.auto_escape(), value.as_str()) {
                (AutoEscape::Html, Some(s)) if !value.is_safe() => {
                    let mut escaped = String::with_capacity(s.len());
                    pulldown_cmark_escape::escape_html(&mut escaped, s).map_err(|_| fmt_error())?;
                    out.write_str(&escaped).map_err(|_| fmt_error())
                }
                _ => minijinja::escape_formatter(out, state, value),
            },
        );
        let mut errors = Vec::new();
        for (name, &file) in &site.theme.templates {
            if let Err(e) = env.add_template(name, sources.text(file)) {
                errors.push(template_diagnostic(site, sources, &e));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let chrome = view::SiteView::new(site, graph);
        Ok(Renderer {
            env,
            site,
            sources,
            graph,
            chrome,
        })
    }

    /// The parts of every page that come from the site (navigation, footer links).
    pub fn chrome(&self) -> &view::SiteView {
        &self.chrome
    }

    /// Render every job and hand each page to `sink`; returns how many pages were made.
    pub fn render_all<F>(&self, jobs: &[Job], sink: F) -> Result<usize, Vec<Diagnostic>>
    where
        F: Fn(Page) -> Result<(), Diagnostic> + Sync,
    {
        self.render_until(jobs, || false, sink)
    }

    /// [`Renderer::render_all`], skipping the jobs not yet started once `stop` says so (the
    /// pages can no longer be written).
    pub fn render_until<F, S>(
        &self,
        jobs: &[Job],
        stop: S,
        sink: F,
    ) -> Result<usize, Vec<Diagnostic>>
    where
        F: Fn(Page) -> Result<(), Diagnostic> + Sync,
        S: Fn() -> bool + Sync,
    {
        let mut errors: Vec<Diagnostic> = jobs
            .par_iter()
            .filter(|_| !stop())
            .filter_map(|&job| self.render(job).and_then(&sink).err())
            .collect();
        // One broken template fails every page that uses it: report it once.
        let key = |d: &Diagnostic| {
            let loc = d
                .location
                .as_ref()
                .map(|l| (l.file, l.span.start, l.span.end));
            (loc, d.message.clone())
        };
        errors.sort_by_key(key);
        errors.dedup_by_key(|d| key(d));
        if errors.is_empty() {
            Ok(jobs.len())
        } else {
            Err(errors)
        }
    }

    pub fn render(&self, job: Job) -> Result<Page, Diagnostic> {
        let v = view::PageBuilder {
            site: self.site,
            sources: self.sources,
            graph: self.graph,
            chrome: &self.chrome,
        };
        let path = job.output_path(self.site, self.graph);
        let Some(name) = job.template() else {
            let bytes = match job {
                Job::MetricCsv(i) => data::csv(&self.site.metrics[i]),
                Job::MetricJson(i) => data::json(self.site, i),
                Job::Feed(f) => feed::atom(&feed::data(self.site, self.graph, f)),
                Job::Sitemap => {
                    let all = jobs(self.site, self.graph);
                    sitemap::xml(&sitemap::data(self.site, self.graph, &all))
                }
                Job::Robots => sitemap::robots(self.site),
                _ => unreachable!("every other job has a template"),
            };
            return Ok(Page { path, bytes });
        };
        let html = match job {
            Job::Home => self.template(name, &v.home()),
            Job::NotFound => self.template(name, &v.not_found()),
            Job::Listing { listing, page } => {
                self.template(name, &v.listing(&self.graph.listings[listing], page))
            }
            Job::Document(i) => self.template(name, &v.document(i)?),
            Job::Priority(key) => self.template(name, &v.priority(key)),
            Job::Sources => self.template(name, &v.sources_page()),
            Job::Timeline => self.template(name, &v.timeline()),
            Job::Accessibility => self.template(name, &v.accessibility()),
            Job::PageIndex => self.template(name, &v.page_index()),
            Job::Metrics => self.template(name, &v.metrics_page()),
            Job::Metric(i) => self.template(name, &v.metric(i)),
            Job::Search => self.template(name, &v.search()),
            Job::MetricCsv(_) | Job::MetricJson(_) | Job::Feed(_) | Job::Sitemap | Job::Robots => {
                unreachable!("these files have no template")
            }
        }?;
        Ok(Page {
            path,
            bytes: html.into_bytes(),
        })
    }

    fn template<S: Serialize>(&self, name: &str, ctx: &S) -> Result<String, Diagnostic> {
        let t = self
            .env
            .get_template(name)
            .map_err(|e| template_diagnostic(self.site, self.sources, &e))?;
        t.render(minijinja::value::Serde(ctx))
            .map_err(|e| template_diagnostic(self.site, self.sources, &e))
    }
}

fn fmt_error() -> minijinja::Error {
    minijinja::Error::new(
        minijinja::ErrorKind::WriteFailure,
        "could not write template output",
    )
}

/// A minijinja error located in the template file it comes from.
fn template_diagnostic(site: &Site, sources: &SourceFiles, e: &minijinja::Error) -> Diagnostic {
    let detail = e
        .detail()
        .map_or_else(|| e.kind().to_string(), |d| format!("{}: {d}", e.kind()));
    let file = e.name().and_then(|n| site.theme.templates.get(n)).copied();
    let Some(file) = file else {
        return Diagnostic::error(format!("template error: {detail}"))
            .help("check that the theme has this template");
    };
    let text = sources.text(file);
    let span = e
        .range()
        .filter(|r| r.end <= text.len())
        .unwrap_or_else(|| {
            let line = e.line().unwrap_or(1);
            let start = text
                .split_inclusive('\n')
                .take(line - 1)
                .map(str::len)
                .sum::<usize>()
                .min(text.len());
            let end = text[start..].find('\n').map_or(text.len(), |n| start + n);
            start..end
        });
    Diagnostic::error(format!("template error: {detail}"))
        .at(file, span)
        .help("fix the template here")
}

#[cfg(test)]
mod tests {
    /// minijinja says which value was undefined only in its debug mode, which by default
    /// follows cfg!(debug_assertions): the name must be in the message of a release build too
    /// (`cargo test --release --lib unknown_variable`).
    #[test]
    fn an_unknown_variable_is_named_whatever_the_build_profile() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/unknown-variable");
        let outcome = crate::pipeline::check(&root, false, false);
        let messages: Vec<&str> = outcome
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            messages,
            ["template error: undefined value: `doc.subtitle` is undefined"]
        );
    }
}
