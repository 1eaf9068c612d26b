//! Resolve: turns the loaded [`Site`] into a [`Graph`] — id, path and URL tables built once,
//! every link and image checked, drafts applied, listings ordered — and reports what does not
//! hold together. Rendering reads the graph; nothing here touches the disk.

mod links;

use std::collections::{BTreeSet, HashMap};

use crate::content::{DocId, Document, Kind, Site, SitePath};
use crate::diag::{Diagnostic, Sources};
pub use links::{LinkError, Target, encode_path};

/// Documents per listing page.
pub const PAGE_SIZE: usize = 20;
/// Documents on the home page's "latest" list.
pub const HOME_LATEST: usize = 10;

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

    pub fn page(&self, page: usize) -> &[usize] {
        let start = (page - 1) * PAGE_SIZE;
        &self.docs[start.min(self.docs.len())..(start + PAGE_SIZE).min(self.docs.len())]
    }
}

/// The resolved site: which documents are published and how they link.
#[derive(Debug)]
pub struct Graph {
    /// Indices into `Site::documents` of the documents to publish, in path order.
    pub published: Vec<usize>,
    pub listings: Vec<Listing>,
    /// Newest dated documents, for the home page.
    pub latest: Vec<usize>,
    /// Undated pages (kind `page`), by title, for the footer.
    pub pages: Vec<usize>,
    /// Files under content/ that published documents use.
    pub assets: BTreeSet<String>,
    pub include_drafts: bool,
    by_path: HashMap<String, usize>,
    by_id: HashMap<DocId, usize>,
}

impl Graph {
    pub fn document_by_id(&self, id: &DocId) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The href a destination written in `from` publishes as. Only called on destinations
    /// that resolve checked; anything else is published unchanged.
    pub fn href(&self, site: &Site, from: &Document, dest: &str) -> String {
        let base = &site.config.base_url;
        match links::classify(self, site, from, dest) {
            Ok(Target::External(u)) => u,
            Ok(Target::Fragment(f)) => format!("#{f}"),
            Ok(Target::Rooted(p)) => base.href(&p),
            Ok(Target::Document { index, fragment }) => {
                let url = base.href(&encode_path(&site.documents[index].url.0));
                if fragment.is_empty() {
                    url
                } else {
                    format!("{url}#{fragment}")
                }
            }
            Ok(Target::Asset { path, suffix }) => {
                format!("{}{suffix}", base.href(&encode_path(&path)))
            }
            Err(_) => dest.to_string(),
        }
    }
}

fn newest_first(site: &Site, docs: &mut [usize]) {
    docs.sort_by(|&a, &b| {
        let (a, b) = (&site.documents[a], &site.documents[b]);
        b.date
            .cmp(&a.date)
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.id.cmp(&b.id))
    });
}

pub fn resolve(site: &Site, sources: &Sources, include_drafts: bool) -> (Graph, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let docs = &site.documents;

    let mut by_id: HashMap<DocId, usize> = HashMap::with_capacity(docs.len());
    let mut by_path = HashMap::with_capacity(docs.len());
    for (i, d) in docs.iter().enumerate() {
        by_path.insert(d.path.0.clone(), i);
        if let Some(&first) = by_id.get(&d.id) {
            let span = d.id_span.clone().unwrap_or(0..0);
            diags.push(
                Diagnostic::error(format!(
                    "document id `{}` is also used by {}",
                    d.id,
                    sources.path(docs[first].file)
                ))
                .at(d.file, span)
                .help("ids must be unique: give one of them a different `id:`"),
            );
        } else {
            by_id.insert(d.id.clone(), i);
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
    let mut latest: Vec<usize> = published
        .iter()
        .copied()
        .filter(|&i| docs[i].kind.is_dated())
        .collect();
    newest_first(site, &mut latest);
    latest.truncate(HOME_LATEST);
    let mut pages: Vec<usize> = published
        .iter()
        .copied()
        .filter(|&i| docs[i].kind == Kind::Page)
        .collect();
    pages.sort_by(|&a, &b| docs[a].title.cmp(&docs[b].title));

    let mut graph = Graph {
        published,
        listings,
        latest,
        pages,
        assets: BTreeSet::new(),
        include_drafts,
        by_path,
        by_id,
    };

    // Every output file has one owner.
    let mut owners: HashMap<String, String> = HashMap::new();
    owners.insert(SitePath(String::new()).file(), "the home page".into());
    owners.insert("404.html".into(), "the 404 page".into());
    for l in &graph.listings {
        for p in 1..=l.page_count() {
            owners.insert(
                l.page_url(p).file(),
                format!("the {} listing", l.kind.plural_label().to_lowercase()),
            );
        }
    }
    for name in site.theme.assets.keys() {
        owners.insert(
            format!("static/{name}"),
            format!("the theme's static/{name}"),
        );
    }
    for &i in &graph.published {
        let d = &docs[i];
        let file = d.url.file();
        if let Some(other) = owners.get(&file) {
            diags.push(
                Diagnostic::error(format!(
                    "two files would be written to /{}: this document and {other}",
                    d.url.0
                ))
                .at(d.file, 0..0)
                .help("rename or move one of them"),
            );
        } else {
            owners.insert(file, sources.path(d.file).to_string());
        }
    }

    for d in docs {
        // Only published documents bring their files into the output.
        let published = include_drafts || !d.draft;
        let body_offset = d.body_offset;
        let located =
            |span: &std::ops::Range<usize>| span.start + body_offset..span.end + body_offset;
        for link in &d.scan.links {
            match links::classify(&graph, site, d, &link.dest) {
                Err(e) => {
                    let (msg, help) = e.describe(&format!("link to `{}`", link.dest));
                    diags.push(
                        Diagnostic::error(msg)
                            .at(d.file, located(&link.span))
                            .help(help),
                    );
                }
                Ok(Target::Document { index, .. })
                    if docs[index].draft && !d.draft && !include_drafts =>
                {
                    diags.push(
                        Diagnostic::error(format!("link to the draft {}", sources.path(docs[index].file)))
                            .at(d.file, located(&link.span))
                            .help("publish the target (remove `draft: true`), or remove the link; `--drafts` builds drafts too"),
                    );
                }
                Ok(Target::Asset { path, .. }) if published => {
                    graph.assets.insert(path);
                }
                Ok(_) => {}
            }
        }
        for image in &d.scan.images {
            match links::classify(&graph, site, d, &image.dest) {
                Err(e) => {
                    let (msg, help) = e.describe(&format!("image `{}`", image.dest));
                    diags.push(
                        Diagnostic::error(msg)
                            .at(d.file, located(&image.span))
                            .help(help),
                    );
                }
                Ok(Target::Asset { path, .. }) => {
                    if published {
                        graph.assets.insert(path);
                    }
                }
                Ok(Target::External(_)) => {}
                Ok(_) => diags.push(
                    Diagnostic::error(format!("image `{}` is not an image file", image.dest))
                        .at(d.file, located(&image.span))
                        .help("point at an image file (e.g. chart.png) relative to this document"),
                ),
            }
        }
    }
    for path in &graph.assets {
        if let Some(other) = owners.get(path.as_str()) {
            diags.push(
                Diagnostic::error(format!("content/{path} would overwrite {other}"))
                    .help("rename the file"),
            );
        }
    }
    (graph, diags)
}
