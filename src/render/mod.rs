//! Render: the minijinja environment, built once from the theme, turns each route of the
//! route table ([`crate::routes`]) into bytes, in parallel: a page through its template, a data
//! file from its data. Pages go to a sink (the writer, or nothing for `check`) as they are
//! made, so a large site is never held in memory whole.

pub(crate) mod cards;
pub mod chart;
mod contents;
pub(crate) mod data;
pub(crate) mod feed;
mod fingerprint;
pub(crate) mod icons;
pub(crate) mod jsonld;
mod scorecard;
pub(crate) mod share;
pub(crate) mod sitemap;
pub(crate) mod tracker;
pub(crate) mod view;

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use rayon::prelude::*;
use serde::Serialize;

use crate::content::Site;
use crate::diag::{Diagnostic, SourceFiles};
use crate::graph::Graph;
use crate::routes::{Make, Route};
pub(crate) use fingerprint::{Fingerprinted, Fingerprints};

/// One output file: its path under the output folder and its bytes.
pub struct Page {
    pub path: String,
    pub bytes: Vec<u8>,
    /// Whether search indexes it (its route says so).
    pub(crate) search: bool,
}

pub(crate) struct Renderer<'a> {
    env: Environment<'a>,
    site: &'a Site,
    sources: &'a SourceFiles,
    graph: &'a Graph,
    chrome: view::SiteView,
}

impl<'a> Renderer<'a> {
    /// Compile every template once; a template with a syntax error is reported at its line.
    pub(crate) fn new(
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
                (AutoEscape::Html, Some(s)) if !value.is_safe() => out
                    .write_str(&crate::markdown::escape_html(s))
                    .map_err(|_| fmt_error()),
                _ => minijinja::escape_formatter(out, state, value),
            },
        );
        let locale = site.locale.clone();
        env.add_function("t", move |key: &str, kwargs: minijinja::value::Kwargs| {
            crate::i18n::template_text(&locale, key, &kwargs)
        });
        let locale = site.locale.clone();
        env.add_filter("num", move |n: i64| locale.integer(n));
        let locale = site.locale.clone();
        env.add_function("script_strings", move |keys: Vec<String>| {
            crate::i18n::script_strings(&locale, &keys)
        });
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

    /// Render every route and hand each page to `sink`, skipping the routes not yet started
    /// once `stop` says so (the pages can no longer be written); returns how many were made.
    pub(crate) fn render_until<F, S>(
        &self,
        routes: &[Route],
        stop: S,
        sink: F,
    ) -> Result<usize, Vec<Diagnostic>>
    where
        F: Fn(Page) -> Result<(), Diagnostic> + Sync,
        S: Fn() -> bool + Sync,
    {
        let mut errors: Vec<Diagnostic> = routes
            .par_iter()
            .filter(|_| !stop())
            .filter_map(|&route| self.render(route).and_then(&sink).err())
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
            Ok(routes.len())
        } else {
            Err(errors)
        }
    }

    /// Make one route's file, as the route table says.
    pub(crate) fn render(&self, route: Route) -> Result<Page, Diagnostic> {
        let entry = route.entry(self.site, self.sources, self.graph);
        let bytes = route.make(
            &self.builder(None),
            Render {
                renderer: self,
                template: entry.template,
            },
        )?;
        Ok(Page {
            path: entry.path,
            bytes,
            search: entry.search,
        })
    }

    /// What builds the pages' views; with `for_fingerprint`'s digests, views for fingerprints.
    pub(crate) fn builder<'b>(
        &'b self,
        for_fingerprint: Option<&'b view::Digests>,
    ) -> view::PageBuilder<'b> {
        view::PageBuilder {
            site: self.site,
            sources: self.sources,
            graph: self.graph,
            chrome: &self.chrome,
            for_fingerprint,
        }
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

/// Renders what a route makes: its context through its template, or its data into bytes.
struct Render<'r, 'a> {
    renderer: &'r Renderer<'a>,
    template: Option<&'static str>,
}

impl Make for Render<'_, '_> {
    type Out = Result<Vec<u8>, Diagnostic>;

    fn page<T: Serialize>(self, context: &T) -> Self::Out {
        let name = self
            .template
            .ok_or_else(|| Diagnostic::error("a page route has no template in the route table"))?;
        Ok(self.renderer.template(name, context)?.into_bytes())
    }

    fn data<D: std::hash::Hash>(self, data: D, bytes: fn(D) -> Vec<u8>) -> Self::Out {
        Ok(bytes(data))
    }

    fn failed(self, error: Diagnostic) -> Self::Out {
        Err(error)
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
        let outcome = crate::pipeline::check(&root, crate::pipeline::CheckOptions::default());
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
