//! What templates see: plain, serialisable views of the site, a document, a listing or the
//! home page. Everything a template prints is prepared here (links, formatted dates), so
//! templates stay logic-free.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::AccessibleFormats;
use crate::content::{Document, Site};
use crate::diag::Sources;
use crate::graph::{Graph, Listing, encode_path};
use crate::markdown::{self, Resolve};
use crate::yaml;

/// "24 March 2022".
pub fn format_date(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub label: String,
    pub href: String,
}

#[derive(Serialize, Clone)]
pub struct NavItem {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// The parts of every page that come from the site, built once per build.
#[derive(Serialize, Clone)]
pub struct SiteView {
    pub title: String,
    pub language: String,
    pub publisher: Option<String>,
    pub home: String,
    pub stylesheet: String,
    pub nav: Vec<NavItem>,
    pub pages: Vec<Link>,
}

impl SiteView {
    pub fn new(site: &Site, graph: &Graph) -> Self {
        let base = &site.config.base_url;
        let nav = graph
            .listings
            .iter()
            .map(|l| NavItem {
                label: l.kind.plural_label().into(),
                href: base.href(&l.page_url(1).0),
                current: false,
            })
            .collect();
        let pages = graph
            .pages
            .iter()
            .map(|&i| {
                let d = &site.documents[i];
                Link {
                    label: d.title.clone(),
                    href: base.href(&encode_path(&d.url.0)),
                }
            })
            .collect();
        SiteView {
            title: site.config.title.clone(),
            language: site.config.language.as_str().into(),
            publisher: site.config.publisher.clone(),
            home: base.href(""),
            stylesheet: base.href("static/style.css"),
            nav,
            pages,
        }
    }
}

#[derive(Serialize)]
pub struct PageMeta {
    pub title: String,
    pub description: Option<String>,
    pub canonical: String,
}

#[derive(Serialize)]
pub struct Crumb {
    pub label: String,
    pub href: Option<String>,
}

#[derive(Serialize)]
pub struct DocSummary {
    pub title: String,
    pub href: String,
    pub kind_label: &'static str,
    pub date_iso: Option<String>,
    pub date_text: Option<String>,
    pub summary: Option<String>,
}

#[derive(Serialize)]
pub struct PriorityView {
    pub id: String,
    pub title: String,
    pub summary: String,
}

#[derive(Serialize)]
pub struct PlanView {
    pub owner: String,
    pub start_iso: String,
    pub start_text: String,
    pub end_iso: String,
    pub end_text: String,
    pub priorities: Vec<PriorityView>,
}

#[derive(Serialize)]
pub struct DocView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub date_iso: Option<String>,
    pub date_text: Option<String>,
    pub author: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub language: Option<&'a str>,
    pub draft: bool,
    pub body: String,
    pub extra: &'a BTreeMap<String, yaml::Value>,
    pub plan: Option<PlanView>,
}

#[derive(Serialize)]
pub struct PageLink {
    pub number: usize,
    pub href: String,
    pub current: bool,
}

#[derive(Serialize)]
pub struct ListingView {
    pub title: String,
    pub heading: String,
    pub items: Vec<DocSummary>,
    pub page: usize,
    pub page_count: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

#[derive(Serialize)]
pub struct Context<'a, T: Serialize> {
    pub site: Cow<'a, SiteView>,
    pub page: PageMeta,
    pub breadcrumbs: Vec<Crumb>,
    pub accessible_formats: Option<&'a AccessibleFormats>,
    #[serde(flatten)]
    pub content: T,
}

#[derive(Serialize)]
pub struct DocContent<'a> {
    pub doc: DocView<'a>,
}

#[derive(Serialize)]
pub struct ListingContent {
    pub listing: ListingView,
}

#[derive(Serialize)]
pub struct HomeContent {
    pub latest: Vec<DocSummary>,
    pub sections: Vec<Section>,
}

#[derive(Serialize)]
pub struct Section {
    pub label: String,
    pub href: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct Empty {}

/// Links and image sources of one document, as published.
struct DocLinks<'a> {
    site: &'a Site,
    graph: &'a Graph,
    doc: &'a Document,
}

impl Resolve for DocLinks<'_> {
    fn link(&self, dest: &str) -> String {
        self.graph.href(self.site, self.doc, dest)
    }
    fn image(&self, dest: &str) -> String {
        self.graph.href(self.site, self.doc, dest)
    }
}

pub struct PageBuilder<'a> {
    pub site: &'a Site,
    pub sources: &'a Sources,
    pub graph: &'a Graph,
    pub chrome: &'a SiteView,
}

impl<'a> PageBuilder<'a> {
    fn base(&self) -> &crate::config::BaseUrl {
        &self.site.config.base_url
    }

    /// The shared navigation, with `current` marked when this page is one of its entries.
    fn chrome_for(&self, current: &str) -> Cow<'a, SiteView> {
        if !self.chrome.nav.iter().any(|n| n.href == current) {
            return Cow::Borrowed(self.chrome);
        }
        let mut c = self.chrome.clone();
        for item in &mut c.nav {
            item.current = item.href == current;
        }
        Cow::Owned(c)
    }

    fn summary(&self, i: usize) -> DocSummary {
        let d = &self.site.documents[i];
        DocSummary {
            title: d.title.clone(),
            href: self.base().href(&encode_path(&d.url.0)),
            kind_label: d.kind.label(),
            date_iso: d.date.map(|x| x.to_string()),
            date_text: d.date.map(format_date),
            summary: d.summary.clone(),
        }
    }

    fn home_crumb(&self) -> Crumb {
        Crumb {
            label: "Home".into(),
            href: Some(self.base().href("")),
        }
    }

    pub fn document(&self, d: &'a Document) -> Context<'a, DocContent<'a>> {
        let text = self.sources.text(d.file);
        let links = DocLinks {
            site: self.site,
            graph: self.graph,
            doc: d,
        };
        let body = markdown::to_html(d.body(text), &links, !self.site.config.allow_raw_html);
        let plan = d.plan.as_ref().map(|p| PlanView {
            owner: p.owner.clone(),
            start_iso: p.start.to_string(),
            start_text: format_date(p.start),
            end_iso: p.end.to_string(),
            end_text: format_date(p.end),
            priorities: p
                .priorities
                .iter()
                .map(|q| PriorityView {
                    id: q.id.0.clone(),
                    title: q.title.clone(),
                    summary: q.summary.clone(),
                })
                .collect(),
        });
        let mut breadcrumbs = vec![self.home_crumb()];
        if let Some(folder) = d
            .kind
            .folder()
            .filter(|_| self.graph.listings.iter().any(|l| l.kind == d.kind))
        {
            breadcrumbs.push(Crumb {
                label: d.kind.plural_label().into(),
                href: Some(self.base().href(&format!("{folder}/"))),
            });
        }
        breadcrumbs.push(Crumb {
            label: d.title.clone(),
            href: None,
        });
        Context {
            site: Cow::Borrowed(self.chrome),
            page: PageMeta {
                title: d.title.clone(),
                description: d.summary.clone(),
                canonical: self.site.config.base_url.absolute(&encode_path(&d.url.0)),
            },
            breadcrumbs,
            accessible_formats: self.site.config.accessible_formats.as_ref(),
            content: DocContent {
                doc: DocView {
                    id: d.id.as_str(),
                    title: &d.title,
                    kind: d.kind.name(),
                    kind_label: d.kind.label(),
                    date_iso: d.date.map(|x| x.to_string()),
                    date_text: d.date.map(format_date),
                    author: d.author.as_deref(),
                    summary: d.summary.as_deref(),
                    language: d.language.as_ref().map(|l| l.as_str()),
                    draft: d.draft,
                    body,
                    extra: &d.extra,
                    plan,
                },
            },
        }
    }

    pub fn listing(&self, l: &Listing, page: usize) -> Context<'a, ListingContent> {
        let count = l.page_count();
        let href = |p: usize| self.base().href(&l.page_url(p).0);
        let heading = l.kind.plural_label().to_string();
        let title = if page > 1 {
            format!("{heading}, page {page} of {count}")
        } else {
            heading.clone()
        };
        let mut breadcrumbs = vec![self.home_crumb()];
        if page > 1 {
            breadcrumbs.push(Crumb {
                label: heading.clone(),
                href: Some(href(1)),
            });
        }
        breadcrumbs.push(Crumb {
            label: if page > 1 {
                format!("Page {page}")
            } else {
                heading.clone()
            },
            href: None,
        });
        Context {
            site: self.chrome_for(&href(page)),
            page: PageMeta {
                title,
                description: None,
                canonical: self.site.config.base_url.absolute(&l.page_url(page).0),
            },
            breadcrumbs,
            accessible_formats: None,
            content: ListingContent {
                listing: ListingView {
                    title: heading.clone(),
                    heading,
                    items: l.page(page).iter().map(|&i| self.summary(i)).collect(),
                    page,
                    page_count: count,
                    prev: (page > 1).then(|| href(page - 1)),
                    next: (page < count).then(|| href(page + 1)),
                    pages: (1..=count)
                        .map(|n| PageLink {
                            number: n,
                            href: href(n),
                            current: n == page,
                        })
                        .collect(),
                },
            },
        }
    }

    pub fn home(&self) -> Context<'a, HomeContent> {
        let sections = self
            .graph
            .listings
            .iter()
            .map(|l| Section {
                label: l.kind.plural_label().into(),
                href: self.base().href(&l.page_url(1).0),
                count: l.docs.len(),
            })
            .collect();
        Context {
            site: Cow::Borrowed(self.chrome),
            page: PageMeta {
                title: self.site.config.title.clone(),
                description: None,
                canonical: self.site.config.base_url.absolute(""),
            },
            breadcrumbs: Vec::new(),
            accessible_formats: None,
            content: HomeContent {
                latest: self.graph.latest.iter().map(|&i| self.summary(i)).collect(),
                sections,
            },
        }
    }

    pub fn not_found(&self) -> Context<'a, Empty> {
        Context {
            site: Cow::Borrowed(self.chrome),
            page: PageMeta {
                title: "Page not found".into(),
                description: None,
                canonical: self.site.config.base_url.absolute("404.html"),
            },
            breadcrumbs: Vec::new(),
            accessible_formats: None,
            content: Empty {},
        }
    }
}
