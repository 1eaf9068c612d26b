//! Addresses of the site itself written in its settings (site.yaml's fields, sources' `url`),
//! checked as links to `/path` are once the pages and files are known; and `external_paths`
//! entries that would hide pages the site makes.

use std::ops::Range;

use super::{Graph, Output, Target, links};
use crate::content::{Site, Source};
use crate::diag::{Diagnostic, FileId, SourceFiles};
use crate::yaml::{self, Seg};

/// An address of the site that a settings file names, kept to be checked each time the files
/// the build publishes may have changed.
#[derive(Debug, Clone)]
pub(crate) struct Named {
    file: FileId,
    span: Range<usize>,
    /// The field, e.g. `accessible_formats.contact_url` or "source `casey` url".
    what: String,
    address: String,
    /// What follows the base URL in it.
    rest: String,
}

impl Named {
    /// `address`, written at `span` in `file` as `what`, when it is an address of the site the
    /// build checks (not under `external_paths`).
    pub(crate) fn new(
        site: &Site,
        file: FileId,
        span: Range<usize>,
        what: String,
        address: &str,
    ) -> Option<Named> {
        let rest = site.config.own_address(address)?;
        Some(Named {
            file,
            span,
            what,
            address: address.to_string(),
            rest,
        })
    }
}

/// Every address of the site that site.yaml and sources.yaml name.
pub(super) fn named(site: &Site, sources: &SourceFiles) -> Vec<Named> {
    let config = &site.config;
    let mut out: Vec<Named> = config
        .urls
        .iter()
        .filter_map(|(field, at)| {
            Named::new(
                site,
                config.file,
                at.span.clone(),
                field.to_string(),
                &at.value,
            )
        })
        .collect();
    for s in site.sources.values() {
        if let Some(u) = &s.url {
            out.extend(source_field(site, sources, s, "url", u));
        }
        if let Some(u) = &s.archived_url {
            out.extend(source_field(site, sources, s, "archived_url", u));
        }
    }
    out
}

/// A source's address field (`url`, or another that holds an address), when it is an address
/// of the site, with the place it is written in sources.yaml.
pub(crate) fn source_field(
    site: &Site,
    sources: &SourceFiles,
    s: &Source,
    field: &str,
    address: &str,
) -> Option<Named> {
    let text = &sources.get(s.file).text;
    let span = yaml::locate(text, &[Seg::Key(s.id.as_str()), Seg::Key(field)])
        .unwrap_or_else(|| s.span.clone());
    let what = format!("source `{}` {field}", s.id);
    Named::new(site, s.file, span, what, address)
}

/// Why `n` names nothing the site publishes, if it does not: no page or file there, a draft's
/// page, a heading the page lacks, or a file under content/ that no published document uses
/// (and so is not copied).
pub(super) fn check(graph: &Graph, site: &Site, n: &Named) -> Option<Diagnostic> {
    let what = format!("{} `{}`", n.what, n.address);
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
            .at(n.file, n.span.clone())
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
