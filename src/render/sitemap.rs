//! `sitemap.xml` (every public page, with the date of the documents it shows as `lastmod`) and
//! `robots.txt`, which points crawlers at it.

use std::fmt::Write;

use chrono::NaiveDate;
use quick_xml::escape::escape;

use crate::content::{DocIx, Site};
use crate::diag::SourceFiles;
use crate::graph::Graph;
use crate::routes::Route;
use crate::text::xml_safe;
use crate::urls::encode_path;

/// All that the sitemap shows: each page's absolute URL and last change. Hashed for `serve`'s
/// fingerprints, so it must hold every input.
#[derive(Debug, Hash)]
pub(crate) struct SitemapData {
    urls: Vec<SitemapUrl>,
}

/// One page: its absolute URL, last change, and its versions in the site's languages
/// (`hreflang` and URL, with `x-default` for the site's own), when it has more than one.
#[derive(Debug, Hash)]
struct SitemapUrl {
    url: String,
    lastmod: Option<NaiveDate>,
    alternates: Vec<(String, String)>,
}

/// The routes that the route table puts in the sitemap (pages readers can reach, not the 404
/// page or data files), in the order of `routes`.
pub(crate) fn data(
    site: &Site,
    sources: &SourceFiles,
    graph: &Graph,
    routes: &[Route],
) -> SitemapData {
    let base = &site.config.base_url;
    let docs = &site.documents;
    let newest = |list: &[DocIx]| list.iter().filter_map(|&i| docs[i].date).max();
    let everything = graph.timeline.first().and_then(|(_, l)| newest(l));
    let urls = routes
        .iter()
        .filter_map(|&route| {
            let entry = route.entry(site, sources, graph);
            if !entry.sitemap {
                return None;
            }
            let lastmod = match route {
                // A correction or an update changes the page after it is published.
                Route::Document(i) => docs[i].date.max(docs[i].last_revised()),
                Route::Corrections => graph
                    .corrections
                    .first()
                    .map(|&(i, c)| docs[i].corrections[c].date),
                Route::Listing { listing, page } => newest(graph.listings[listing].page(page)),
                Route::Home | Route::Timeline => everything,
                _ => None,
            };
            let url = encode_path(entry.path.strip_suffix("index.html").unwrap_or(&entry.path));
            let doc = match route {
                Route::Document(i) => Some(&docs[i]),
                _ => None,
            };
            let versions = site.versions(&url, doc);
            let mut alternates: Vec<(String, String)> = (versions.iter())
                .filter_map(|(l, u)| Some((l.code.to_string(), u.clone()?)))
                .collect();
            if let Some(own) = alternates.first().cloned().filter(|_| alternates.len() > 1) {
                alternates.push(("x-default".into(), own.1));
            } else {
                alternates.clear();
            }
            Some(SitemapUrl {
                url: base.absolute(&url),
                lastmod,
                alternates,
            })
        })
        .collect();
    SitemapData { urls }
}

/// The sitemap protocol's XML (sitemaps.org, 0.9).
pub(crate) fn xml(data: &SitemapData) -> Vec<u8> {
    let mut out = String::with_capacity(100 * data.urls.len() + 200);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // Google's extension for a page's versions in other languages, only when there are some.
    if data.urls.iter().any(|u| !u.alternates.is_empty()) {
        out.push_str(
            "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
             xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
    } else {
        out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    }
    for u in &data.urls {
        // `xml_safe`: well-formed whatever reaches the writer (load refuses such characters).
        let _ = write!(out, "<url><loc>{}</loc>", escape(xml_safe(&u.url)));
        if let Some(date) = u.lastmod {
            let _ = write!(out, "<lastmod>{date}</lastmod>");
        }
        for (code, href) in &u.alternates {
            let _ = write!(
                out,
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                escape(xml_safe(code)),
                escape(xml_safe(href))
            );
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out.into_bytes()
}

/// robots.txt: everything may be crawled; the sitemaps (one per language) say what there is.
pub(crate) fn robots(site: &Site) -> Vec<u8> {
    let mut out = String::from("User-agent: *\nAllow: /\n\n");
    for l in site.site_languages() {
        let sitemap = (site.config.base_url).root_absolute(&format!("{}sitemap.xml", l.folder));
        let _ = writeln!(out, "Sitemap: {sitemap}");
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

        /// Whatever reaches the writer, the sitemap is well-formed XML.
        #[test]
        fn a_sitemap_is_well_formed_whatever_its_urls(
            urls in proptest::collection::vec(any::<String>(), 0..5),
            control in proptest::char::range('\0', '\u{9f}'),
        ) {
            let mut urls: Vec<SitemapUrl> = urls.into_iter().map(|url| SitemapUrl { url, lastmod: None, alternates: Vec::new() }).collect();
            urls.push(SitemapUrl {
                url: format!("https://example.org/a{control}<&]]>/"),
                lastmod: NaiveDate::from_ymd_opt(2024, 1, 1),
                alternates: vec![(format!("c{control}<"), format!("https://example.org/b{control}&"))],
            });
            let xml = String::from_utf8(xml(&SitemapData { urls })).unwrap();
            let doc = roxmltree::Document::parse(&xml);
            prop_assert!(doc.is_ok(), "{:?}\n{}", doc.err(), xml);
        }
    }
}
