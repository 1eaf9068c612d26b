//! Addresses written in the settings files (site.yaml's fields, sources' `url` and
//! `archived_url`); those of the site itself, checked as links to `/path` are once the pages
//! and files are known; and `external_paths` entries that would hide pages the site makes.

use std::ops::Range;

use super::{Graph, Output, Target, links};
use crate::content::Site;
use crate::diag::{Diagnostic, FileId, SourceFiles};
use crate::yaml::{self, Seg};

/// An address written in a settings file: one of site.yaml's address fields, or a source's
/// `url` or `archived_url`, with the place it is written.
#[derive(Debug, Clone)]
pub(crate) struct Written {
    pub(crate) file: FileId,
    pub(crate) span: Range<usize>,
    /// The field, e.g. `accessible_formats.contact_url` or "source `casey` url".
    pub(crate) what: String,
    pub(crate) address: String,
}

/// Every address site.yaml and sources.yaml write, in that order: what both the build (for
/// the site's own addresses) and `check --links` (for the others) go through.
pub(crate) fn settings_addresses(site: &Site, sources: &SourceFiles) -> Vec<Written> {
    let config = &site.config;
    let settings = config.urls.iter().map(|(field, at)| Written {
        file: config.file,
        span: at.span.clone(),
        what: field.to_string(),
        address: at.value.clone(),
    });
    let cited = site.sources.values().flat_map(|s| {
        let fields = [("url", &s.url), ("archived_url", &s.archived_url)];
        fields.into_iter().filter_map(move |(field, value)| {
            let address = value.as_ref()?;
            let text = sources.text(s.file);
            let span = yaml::locate(text, &[Seg::Key(s.id.as_str()), Seg::Key(field)])
                .unwrap_or_else(|| s.span.clone());
            Some(Written {
                file: s.file,
                span,
                what: format!("source `{}` {field}", s.id),
                address: address.clone(),
            })
        })
    });
    settings.chain(cited).collect()
}

/// An address of the site that a settings file names, kept to be checked each time the files
/// the build publishes may have changed.
#[derive(Debug, Clone)]
pub(crate) struct Named {
    written: Written,
    /// What follows the base URL in it.
    rest: String,
}

/// Every address of the site that site.yaml and sources.yaml name (not under
/// `external_paths`).
pub(super) fn named(site: &Site, sources: &SourceFiles) -> Vec<Named> {
    settings_addresses(site, sources)
        .into_iter()
        .filter_map(|written| {
            let rest = site.config.own_address(&written.address)?;
            Some(Named { written, rest })
        })
        .collect()
}

/// Why `n` names nothing the site publishes, if it does not: no page or file there, a draft's
/// page, a heading the page lacks, or a file under content/ that no published document uses
/// (and so is not copied).
pub(super) fn check(graph: &Graph, site: &Site, n: &Named) -> Option<Diagnostic> {
    let what = format!("{} `{}`", n.written.what, n.written.address);
    let problem = match links::own(graph, site, &n.rest) {
        Err(e) => e.describe(&what),
        Ok(Target::Document { index, .. })
            if site.documents[index].draft && !graph.include_drafts =>
        {
            (
                format!("{what} is the page of the draft content/{}", site.documents[index].path.0),
                "publish it (remove `draft: true`), or give the address of a published page; `--drafts` builds drafts too".to_string(),
            )
        }
        Ok(Target::Asset { path, .. }) if !graph.assets.contains(&path) => (
            format!("{what} names content/{path}, which is published only when a document links to it"),
            "link to the file from a published document, or give the address of a page".to_string(),
        ),
        Ok(_) => return None,
    };
    Some(
        Diagnostic::error(problem.0)
            .at(n.written.file, n.written.span.clone())
            .help(problem.1),
    )
}

/// An `external_paths` entry that covers a page or file the site makes: addresses of it
/// would go unchecked. A warning at the entry, naming one such page.
pub(super) fn hidden_pages(graph: &Graph, site: &Site) -> Vec<Diagnostic> {
    let config = &site.config;
    let mut made: Vec<&str> = graph
        .written
        .iter()
        .filter(|(_, o)| match o {
            Output::Document(i) => graph.include_drafts || !site.documents[*i].draft,
            _ => true,
        })
        .map(|(path, _)| path.strip_suffix("index.html").unwrap_or(path))
        .collect();
    made.sort_unstable();
    config
        .external_paths
        .iter()
        .filter_map(|p| {
            let first = made.iter().find(|m| crate::config::covers(&p.value, m))?;
            Some(
                Diagnostic::warning(format!(
                    "external_paths entry `{}` covers /{first}, which this site makes: addresses of the site under it are not checked",
                    p.value
                ))
                .at(config.file, p.span.clone())
                .help("list only the paths another system serves, e.g. /contact/"),
            )
        })
        .collect()
}
