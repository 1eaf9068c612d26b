//! Which outside addresses the site names, and every place each is written: sources.yaml,
//! document bodies (links and images) and site.yaml. Addresses under the site's own
//! `base_url` are the site's pages, checked at every build, and are left out; those under
//! `external_paths` are another system's, and are requested like any outside address.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::config::SiteConfig;
use crate::content::Site;
use crate::diag::{FileId, SourceFiles};
use crate::graph::self_urls::settings_addresses;
use crate::graph::{Graph, Target};

/// Where an address is written: a byte range in a file the build read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    pub(crate) file: FileId,
    pub(crate) span: Range<usize>,
}

/// Every outside http(s) address, as it is requested (without its `#fragment`), with the
/// places it is written, in the order found.
#[derive(Debug, Default)]
pub(crate) struct Inventory {
    pub(crate) urls: BTreeMap<String, Vec<Place>>,
}

impl Inventory {
    /// Everything the published site names.
    pub(crate) fn of(site: &Site, graph: &Graph, sources: &SourceFiles) -> Inventory {
        let mut inv = Inventory::default();
        let mut add = |url: &str, file: FileId, span: Range<usize>| {
            if let Some(key) = outside(url, &site.config) {
                inv.urls.entry(key).or_default().push(Place { file, span });
            }
        };
        for w in settings_addresses(site, sources) {
            add(&w.address, w.file, w.span);
        }
        body_urls(site, graph, &mut add);
        inv
    }
}

/// The address to request for `url`, or `None` when it is not an outside http(s) address:
/// another scheme, unreadable, or one of the site's own pages (under `base_url` and not under
/// `external_paths`), which the build itself checks.
pub(crate) fn outside(url: &str, config: &SiteConfig) -> Option<String> {
    let mut u = url::Url::parse(url).ok()?;
    if !matches!(u.scheme(), "http" | "https") || u.host_str().is_none_or(str::is_empty) {
        return None;
    }
    if config.own_address(url).is_some() {
        return None;
    }
    u.set_fragment(None);
    Some(u.to_string())
}

/// Links and images in the published documents' bodies that resolve found to be web
/// addresses.
fn body_urls(site: &Site, graph: &Graph, add: &mut impl FnMut(&str, FileId, Range<usize>)) {
    for &i in &graph.published {
        let d = &site.documents[i];
        for l in d.scan.links.iter().chain(&d.scan.images) {
            if let Some(Target::External(url)) = graph.target(i, &l.dest) {
                let off = d.body_offset;
                add(url, d.file, l.span.start + off..l.span.end + off);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_outside_web_addresses_are_requested_without_their_fragment() {
        let text = "title: T\nbase_url: https://example.org/site/\nlanguage: en\nexternal_paths: [/contact/]\n";
        let base = &crate::config::parse(FileId(0), text).unwrap();
        assert_eq!(
            outside("https://Other.org/a#part", base).as_deref(),
            Some("https://other.org/a")
        );
        assert_eq!(
            outside("http://example.org/", base).as_deref(),
            Some("http://example.org/")
        );
        assert_eq!(outside("https://example.org/site/reports/", base), None);
        assert_eq!(outside("http://EXAMPLE.org/site/reports/#x", base), None);
        // Another system serves the site's contact form: it is requested like any other.
        assert_eq!(
            outside("https://example.org/site/contact/form#f", base).as_deref(),
            Some("https://example.org/site/contact/form")
        );
        assert_eq!(outside("mailto:a@example.org", base), None);
        assert_eq!(outside("not a url", base), None);
    }
}
