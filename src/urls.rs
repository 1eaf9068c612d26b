//! Every rule about URLs and output paths: the fixed pages' site paths, a metric's page and data
//! files, a priority's page, a plan's commitments and each commitment's page, the tracker's
//! files, the file a page is written to, percent-encoding a site path for an href, and the base
//! URL that turns a site path into a link.

use crate::content::{Metric, Period, SitePath};

pub(crate) const SOURCES_PAGE: &str = "sources/";
pub(crate) const TIMELINE_PAGE: &str = "timeline/";
pub(crate) const SEARCH_PAGE: &str = "search/";
/// The feed of every dated document, and each listing's feed's name in its folder.
pub(crate) const FEED: &str = "feed.xml";
pub(crate) const METRICS_PAGE: &str = "metrics/";
/// Every correction to the site's documents, made when there is one.
pub(crate) const CORRECTIONS_PAGE: &str = "corrections/";
/// The accessibility statement made from site.yaml, unless a document takes this URL.
pub(crate) const ACCESSIBILITY_PAGE: &str = "accessibility/";
/// The index of every page (kind `page`), made when some page is not in the footer.
pub(crate) const PAGES_INDEX: &str = "pages/";
/// The site-wide tracker of commitments, with its feed and data files in the same folder.
pub(crate) const COMMITMENTS_PAGE: &str = "commitments/";
/// The feed of progress reports.
pub(crate) const COMMITMENTS_FEED: &str = "commitments/feed.xml";

/// The tracker's data as a file next to its page: `commitments/data.csv` (or `.json`).
pub(crate) fn commitments_data(extension: &str) -> String {
    format!("{COMMITMENTS_PAGE}data.{extension}")
}

/// A plan's list of commitments: under its plan's page (`plans/p/commitments/`). No
/// priority can take this path: `commitments` is a reserved priority id.
pub(crate) fn plan_commitments_url(plan_url: &SitePath) -> SitePath {
    SitePath(format!("{}commitments/", plan_url.0))
}

/// A commitment's page: in its plan's list (`plans/p/commitments/community-monitoring/`).
pub(crate) fn commitment_url(plan_url: &SitePath, id: &str) -> SitePath {
    SitePath(format!("{}{id}/", plan_commitments_url(plan_url).0))
}

/// A metric's page: `metrics/ID/`.
pub(crate) fn metric_url(m: &Metric) -> SitePath {
    SitePath(format!("{METRICS_PAGE}{}/", m.id.as_str()))
}

/// The id of a reading's row in its metric page's table, and so the fragment a figure links
/// to: the period as the data writes it (`2021-12`, `2021`). Every other id on a metric page
/// has a letter in it (`ps-…`, `main`), and a period is only digits and `-`, so a row's id
/// can clash with none of them.
pub(crate) fn reading_id(period: &Period) -> String {
    period.to_string()
}

/// A link to one reading: `metrics/ID/#PERIOD` (the site path and its fragment, to go after
/// the base URL's path), so a figure lands on the row it quoted.
pub(crate) fn reading_href(page_href: &str, period: &Period) -> String {
    const FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'<')
        .add(b'>')
        .add(b'`')
        .add(b'#')
        .add(b'%');
    let id = reading_id(period);
    format!(
        "{page_href}#{}",
        percent_encoding::utf8_percent_encode(&id, FRAGMENT)
    )
}

/// A metric's data as a file next to its page: `metrics/ID/data.csv` (or `.json`).
pub(crate) fn metric_data(m: &Metric, extension: &str) -> String {
    format!("{METRICS_PAGE}{}/data.{extension}", m.id.as_str())
}

/// A priority's page: under its plan's page (`plans/p/reduce-violence/`).
pub(crate) fn priority_url(plan_url: &SitePath, priority_id: &str) -> SitePath {
    SitePath(format!("{}{priority_id}/", plan_url.0))
}

impl SitePath {
    /// The file this page is written to, relative to the output folder.
    pub(crate) fn file(&self) -> String {
        format!("{}index.html", self.0)
    }
}

/// Percent-encode a site path for use in an href, keeping `/`.
pub(crate) fn encode_path(path: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(path, SET).to_string()
}

/// The absolute URL the site is published at, always ending in `/`. Pages link to each other
/// with root-relative URLs that start with its path (`/policing/reports/…`), so a site works
/// when served under a sub-path.
///
/// A language other than the site's own publishes its pages under `CODE/`: its base URL
/// carries that folder, which [`BaseUrl::href`] and [`BaseUrl::absolute`] add to the pages
/// of that language, and [`BaseUrl::root_href`] and [`BaseUrl::root_absolute`] leave off for
/// the files every language shares (the style sheet, scripts, images, data files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BaseUrl {
    url: url::Url,
    /// `cy/` for the pages in Welsh of a site whose own language is another; else empty.
    lang: String,
}

impl BaseUrl {
    pub(crate) fn parse(s: &str) -> Result<BaseUrl, String> {
        let mut u =
            url::Url::parse(s).map_err(|e| format!("`{s}` is not an absolute URL ({e})"))?;
        if !matches!(u.scheme(), "http" | "https") {
            return Err(format!("`{s}` must start with https:// or http://"));
        }
        if u.query().is_some() || u.fragment().is_some() {
            return Err(format!("`{s}` must not have a query or #fragment"));
        }
        if !u.path().ends_with('/') {
            let p = format!("{}/", u.path());
            u.set_path(&p);
        }
        Ok(BaseUrl {
            url: u,
            lang: String::new(),
        })
    }

    /// The same site's base URL for the pages in language `code` (`cy`), published under
    /// `cy/`; `None` gives the site's own language, at the root.
    pub(crate) fn in_language(&self, code: Option<&str>) -> BaseUrl {
        BaseUrl {
            url: self.url.clone(),
            lang: code.map_or_else(String::new, |c| format!("{c}/")),
        }
    }

    /// The folder this language's pages are under (`cy/`), or "" for the site's own language.
    pub(crate) fn lang_folder(&self) -> &str {
        &self.lang
    }

    /// The path part, e.g. `/` or `/policing/`: the site's root, whatever the language.
    pub(crate) fn path(&self) -> &str {
        self.url.path()
    }

    /// Root-relative link to a page of this language, by its site path such as `reports/x/`
    /// (no leading slash).
    pub(crate) fn href(&self, site_path: &str) -> String {
        format!("{}{}{}", self.path(), self.lang, site_path)
    }

    /// Absolute URL of a page of this language, for canonical links and feeds.
    pub(crate) fn absolute(&self, site_path: &str) -> String {
        format!("{}{}{}", self.url.as_str(), self.lang, site_path)
    }

    /// Root-relative link to a file every language shares (`static/style.css`).
    pub(crate) fn root_href(&self, site_path: &str) -> String {
        format!("{}{}", self.path(), site_path)
    }

    /// Absolute URL of a file every language shares.
    pub(crate) fn root_absolute(&self, site_path: &str) -> String {
        format!("{}{}", self.url.as_str(), site_path)
    }
}

impl BaseUrl {
    /// The path of `url` below the base URL's path (`reports/x/` for
    /// `https://example.org/policing/reports/x/` under `https://example.org/policing/`), as the
    /// URL writes it (percent-encoded, dot segments resolved), when `url` is an address of this
    /// site; the query and fragment are not part of it. An address of the site has the same
    /// host, compared without regard to case, and the same port; `http:` and `https:` both
    /// count, since a site served over one is the same site when named with the other. Its path
    /// is the base path or under it; the base path without its last `/` is the home page (a
    /// server redirects there), but `/policingx` is not under `/policing/`.
    pub(crate) fn inner_path(&self, url: &url::Url) -> Option<String> {
        if !matches!(url.scheme(), "http" | "https") {
            return None;
        }
        let same_host = match (url.host_str(), self.url.host_str()) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            _ => false,
        };
        if !same_host || url.port() != self.url.port() {
            return None;
        }
        let base = self.path();
        if url.path() == base.trim_end_matches('/') {
            return Some(String::new());
        }
        url.path().strip_prefix(base).map(str::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_gains_a_trailing_slash_and_keeps_its_path() {
        let b = BaseUrl::parse("https://example.org/policing").unwrap();
        assert_eq!(b.path(), "/policing/");
        assert_eq!(b.href("reports/x/"), "/policing/reports/x/");
        assert_eq!(
            b.absolute("reports/x/"),
            "https://example.org/policing/reports/x/"
        );
        assert!(BaseUrl::parse("/policing/").is_err());
        assert!(BaseUrl::parse("ftp://example.org/").is_err());
    }

    #[test]
    fn encodes_paths() {
        assert_eq!(
            encode_path("reports/my chart.png"),
            "reports/my%20chart.png"
        );
    }

    #[test]
    fn a_reading_is_its_row_on_the_metric_page() {
        let month = Period::parse("2021-12").unwrap();
        assert_eq!(reading_id(&month), "2021-12");
        assert_eq!(
            reading_href("/metrics/pas/", &month),
            "/metrics/pas/#2021-12"
        );
        let year = Period::parse("2021").unwrap();
        assert_eq!(reading_href("/m/", &year), "/m/#2021");
        // No letter, so no clash with the page's own ids.
        assert!(!reading_id(&month).chars().any(|c| c.is_alphabetic()));
    }

    #[test]
    fn a_priority_lives_under_its_plan_and_a_page_in_its_index_file() {
        let url = priority_url(&SitePath("plans/p/".into()), "reduce-violence");
        assert_eq!(url.0, "plans/p/reduce-violence/");
        assert_eq!(url.file(), "plans/p/reduce-violence/index.html");
        assert_eq!(SitePath(String::new()).file(), "index.html");
    }

    #[test]
    fn a_commitment_lives_in_its_plans_list_of_commitments() {
        let plan = SitePath("plans/p/".into());
        assert_eq!(plan_commitments_url(&plan).0, "plans/p/commitments/");
        assert_eq!(commitment_url(&plan, "cm").0, "plans/p/commitments/cm/");
        assert_eq!(commitments_data("csv"), "commitments/data.csv");
        assert!(COMMITMENTS_FEED.starts_with(COMMITMENTS_PAGE));
    }

    fn inner(base: &str, address: &str) -> Option<String> {
        let b = BaseUrl::parse(base).unwrap();
        b.inner_path(&url::Url::parse(address).unwrap())
    }

    #[test]
    fn addresses_under_the_base_url_are_the_sites_own() {
        let b = "https://example.org/policing/";
        assert_eq!(
            inner(b, "https://example.org/policing/reports/x/").as_deref(),
            Some("reports/x/")
        );
        // The host in any case, and http: for https:.
        assert_eq!(
            inner(b, "http://EXAMPLE.org/policing/a").as_deref(),
            Some("a")
        );
        // The base path with or without its last slash is the home page.
        assert_eq!(
            inner(b, "https://example.org/policing").as_deref(),
            Some("")
        );
        assert_eq!(
            inner(b, "https://example.org/policing/").as_deref(),
            Some("")
        );
        // A longer name is not under the base path; nor is the path above it.
        assert_eq!(inner(b, "https://example.org/policingx/a/"), None);
        assert_eq!(inner(b, "https://example.org/"), None);
        // The path is case-sensitive; the query and fragment are not part of it.
        assert_eq!(inner(b, "https://example.org/Policing/a"), None);
        assert_eq!(
            inner(b, "https://example.org/policing/a/?q=1#top").as_deref(),
            Some("a/")
        );
        // Dot segments are resolved before the comparison.
        assert_eq!(
            inner(b, "https://example.org/other/../policing/a").as_deref(),
            Some("a")
        );
        // Other hosts and schemes are not the site.
        assert_eq!(inner(b, "https://www.example.org/policing/a"), None);
        assert_eq!(inner(b, "https://example.org.evil/policing/a"), None);
        assert_eq!(inner(b, "ftp://example.org/policing/a"), None);
    }

    #[test]
    fn the_port_must_match() {
        let b = "https://example.org/";
        // The default port, written or not, for either scheme.
        assert_eq!(inner(b, "https://example.org:443/a").as_deref(), Some("a"));
        assert_eq!(inner(b, "http://example.org:80/a").as_deref(), Some("a"));
        assert_eq!(inner(b, "https://example.org:8443/a"), None);
        let b = "http://localhost:8080/site";
        assert_eq!(
            inner(b, "http://localhost:8080/site/a").as_deref(),
            Some("a")
        );
        assert_eq!(inner(b, "http://localhost/site/a"), None);
        assert_eq!(inner(b, "http://localhost:8081/site/a"), None);
    }
}
