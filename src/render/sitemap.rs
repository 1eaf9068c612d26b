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
    urls: Vec<(String, Option<NaiveDate>)>,
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
            let url = entry.path.strip_suffix("index.html").unwrap_or(&entry.path);
            Some((base.absolute(&encode_path(url)), lastmod))
        })
        .collect();
    SitemapData { urls }
}

/// The sitemap protocol's XML (sitemaps.org, 0.9).
pub(crate) fn xml(data: &SitemapData) -> Vec<u8> {
    let mut out = String::with_capacity(100 * data.urls.len() + 200);
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, lastmod) in &data.urls {
        // `xml_safe`: well-formed whatever reaches the writer (load refuses such characters).
        let _ = write!(out, "<url><loc>{}</loc>", escape(xml_safe(url)));
        if let Some(date) = lastmod {
            let _ = write!(out, "<lastmod>{date}</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out.into_bytes()
}

/// robots.txt: everything may be crawled; the sitemap says what there is.
pub(crate) fn robots(site: &Site) -> Vec<u8> {
    let sitemap = site.config.base_url.absolute("sitemap.xml");
    format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n").into_bytes()
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
            let mut urls: Vec<(String, Option<NaiveDate>)> = urls.into_iter().map(|u| (u, None)).collect();
            urls.push((format!("https://example.org/a{control}<&]]>/"), NaiveDate::from_ymd_opt(2024, 1, 1)));
            let xml = String::from_utf8(xml(&SitemapData { urls })).unwrap();
            let doc = roxmltree::Document::parse(&xml);
            prop_assert!(doc.is_ok(), "{:?}\n{}", doc.err(), xml);
        }
    }
}
