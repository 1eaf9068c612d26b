//! Being found: Atom feeds that carry what RFC 4287 requires, a sitemap of every public page,
//! robots.txt, and Open Graph and Twitter card metadata, on the demo site.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::atom::*;
use common::*;

fn demo() -> (tempfile::TempDir, std::path::PathBuf) {
    let site = scratch_copy(Path::new(env!("CARGO_MANIFEST_DIR")));
    let out = plainsight(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = site.path().join("public");
    (site, public)
}

#[test]
fn every_feed_has_what_rfc_4287_requires_and_its_newest_entry_date() {
    let (_site, public) = demo();
    let feeds: Vec<String> = tree(&public)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.ends_with("feed.xml"))
        .collect();
    // The feed of progress reports exactly when the demo has the tracker of commitments; its
    // entries are reports on commitments, not documents, so it is counted apart below.
    const PROGRESS: &str = "commitments/feed.xml";
    // One of everything and one per listing (press releases, reports, letters, statements,
    // plans), in English at the root and in Welsh under cy/.
    let listed = [
        "feed.xml",
        "letters/feed.xml",
        "plans/feed.xml",
        "press-releases/feed.xml",
        "reports/feed.xml",
        "statements/feed.xml",
    ];
    for folder in ["", "cy/"] {
        let progress = format!("{folder}{PROGRESS}");
        assert_eq!(
            feeds.contains(&progress),
            public.join(folder).join("commitments/index.html").is_file()
        );
        assert_eq!(
            (feeds.iter())
                .filter(|p| **p != progress
                    && p.starts_with(folder)
                    && (!folder.is_empty() || !p.starts_with("cy/")))
                .cloned()
                .collect::<Vec<_>>(),
            listed.map(|f| format!("{folder}{f}"))
        );
    }
    let (mut entries_in_all, mut entries_in_listings) = (0, 0);
    let mut ids = BTreeMap::new();
    for path in &feeds {
        let text = read(public.join(path));
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let feed = doc.root_element();
        assert_eq!(feed.tag_name().name(), "feed", "{path}");
        assert_eq!(feed.tag_name().namespace(), Some(ATOM), "{path}");
        let id = one_text(feed, "id", path);
        absolute(&id, path);
        assert!(
            ids.insert(id.clone(), path).is_none(),
            "{path} shares its id"
        );
        one_text(feed, "title", path);
        let updated = timestamp(&one_text(feed, "updated", path), path);
        // A feed's author covers its entries; each entry names one too.
        let author = child(feed, "author");
        assert_eq!(author.len(), 1, "{path}");
        one_text(author[0], "name", path);
        let links = child(feed, "link");
        let self_link = links
            .iter()
            .find(|l| l.attribute("rel") == Some("self"))
            .unwrap_or_else(|| panic!("{path}: no rel=self link"));
        assert_eq!(self_link.attribute("href"), Some(id.as_str()), "{path}");
        assert!(
            links.iter().any(|l| l.attribute("rel") == Some("alternate")
                && l.attribute("type") == Some("text/html")),
            "{path}: no alternate page"
        );
        let entries = child(feed, "entry");
        assert!(
            !entries.is_empty() && entries.len() <= 50,
            "{path}: {} entries",
            entries.len()
        );
        let mut previous = None;
        let mut newest = None;
        for (n, entry) in entries.iter().enumerate() {
            let what = format!("{path} entry {}", n + 1);
            let entry_id = one_text(*entry, "id", &what);
            absolute(&entry_id, &what);
            one_text(*entry, "title", &what);
            let when = timestamp(&one_text(*entry, "updated", &what), &what);
            let author = child(*entry, "author");
            assert_eq!(author.len(), 1, "{what}: one author");
            one_text(author[0], "name", &what);
            one_text(*entry, "summary", &what);
            let link = child(*entry, "link")
                .into_iter()
                .find(|l| l.attribute("rel") == Some("alternate"))
                .unwrap_or_else(|| panic!("{what}: no alternate link"));
            let href = link.attribute("href").unwrap();
            if path.ends_with(PROGRESS) {
                // A report's id is its commitment's page with the reporting document as
                // fragment: several reports link the same page.
                assert!(entry_id.starts_with(&format!("{href}#report-")), "{what}");
            } else {
                assert_eq!(href, entry_id, "{what}");
            }
            // The link leads to a page the build wrote.
            let local = href.strip_prefix("https://example.org/").unwrap();
            assert!(
                public.join(local).join("index.html").is_file(),
                "{what}: {href}"
            );
            // Newest first.
            if let Some(p) = previous {
                assert!(when <= p, "{what} is newer than the one before");
            }
            previous = Some(when);
            newest = newest.max(Some(when));
        }
        assert_eq!(
            Some(updated),
            newest,
            "{path}: updated is the newest entry's date"
        );
        // Counted for the English feeds; the Welsh ones list the same documents.
        let path = path.strip_prefix("cy/").unwrap_or(path);
        if path == "feed.xml" {
            entries_in_all += entries.len();
        } else if path != PROGRESS {
            entries_in_listings += entries.len();
        }
    }
    // Every dated document of the demo is in the feed of everything (each is in one listing),
    // in English and in Welsh.
    assert_eq!(entries_in_all, entries_in_listings);
    assert_eq!(entries_in_all, 2 * 8);
    // The newest entry, in full, from the letter's front matter.
    let all = read(public.join("feed.xml"));
    assert!(
        all.contains("<updated>2025-04-02T00:00:00+00:00</updated>"),
        "{all}"
    );
    assert!(
        all.contains("<title>Mayor&apos;s reply on Motion 3.6: Restoring Londoners&apos;"),
        "{all}"
    );
}

#[test]
fn listings_and_pages_announce_their_feeds() {
    let (_site, public) = demo();
    let listing = read(public.join("reports/index.html"));
    for needle in [
        r#"<link rel="alternate" type="application/atom+xml" href="/feed.xml" title="London Policing Accountability: everything published">"#,
        r#"<link rel="alternate" type="application/atom+xml" href="/reports/feed.xml" title="London Policing Accountability: Reports">"#,
        r#"<a href="/reports/feed.xml" type="application/atom+xml">Follow new reports with a feed reader"#,
    ] {
        assert!(listing.contains(needle), "missing {needle}");
    }
    let page = read(public.join("about/index.html"));
    assert!(page.contains(r#"href="/feed.xml""#) && !page.contains("reports/feed.xml"));
}

#[test]
fn the_sitemap_lists_every_public_page_with_its_date() {
    let (_site, public) = demo();
    let mut listed = BTreeMap::new();
    // One sitemap per language: English at the root, Welsh under cy/.
    for folder in ["", "cy/"] {
        listed.extend(sitemap(&public, folder));
    }
    // Exactly the HTML pages a reader can reach: all but the 404 pages.
    let pages: Vec<String> = tree(&public)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.ends_with(".html") && !p.ends_with("404.html"))
        .collect();
    assert_eq!(listed.keys().cloned().collect::<Vec<_>>(), pages);
    // A document's lastmod is its date; a listing's, its newest document's; the home page's,
    // the newest of all. Undated pages have none.
    let lastmod = |p: &str| listed[p].as_deref();
    assert_eq!(
        lastmod("letters/2025-04-02-mayor-letter-motion-3-6/index.html"),
        Some("2025-04-02")
    );
    assert_eq!(lastmod("reports/index.html"), Some("2024-02-21"));
    assert_eq!(lastmod("index.html"), Some("2025-04-02"));
    assert_eq!(lastmod("cy/index.html"), Some("2025-04-02"));
    assert_eq!(lastmod("about/index.html"), None);
    assert_eq!(lastmod("metrics/index.html"), None);

    let robots = read(public.join("robots.txt"));
    assert_eq!(
        robots,
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\nSitemap: https://example.org/cy/sitemap.xml\n"
    );
}

/// The pages the sitemap under `folder` lists (as files under the output folder), each with
/// its lastmod; each of its pages' URLs is under the folder.
fn sitemap(public: &std::path::Path, folder: &str) -> BTreeMap<String, Option<String>> {
    let text = read(public.join(folder).join("sitemap.xml"));
    let doc = roxmltree::Document::parse(&text).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let mut listed = BTreeMap::new();
    for url in root.children().filter(|n| n.is_element()) {
        let field = |name: &str| {
            url.children()
                .find(|c| c.tag_name().name() == name)
                .and_then(|c| c.text())
                .map(str::to_string)
        };
        let loc = field("loc").expect("every url has a loc");
        let path = loc
            .strip_prefix(&format!("https://example.org/{folder}"))
            .map(|p| format!("{folder}{p}"))
            .unwrap_or_else(|| panic!("{loc}"));
        let file = format!("{path}index.html");
        assert!(
            listed.insert(file, field("lastmod")).is_none(),
            "{loc} twice"
        );
    }
    listed
}

#[test]
fn pages_carry_open_graph_and_twitter_card_metadata() {
    let (_site, public) = demo();
    let letter = read(public.join("letters/2025-04-02-mayor-letter-motion-3-6/index.html"));
    for needle in [
        r#"<meta property="og:type" content="article">"#,
        r#"<meta property="og:title" content="Mayor&#39;s reply on Motion 3.6: Restoring Londoners&#39; Confidence in the Met">"#,
        r#"<meta property="og:description" content="The Mayor of London&#39;s reply"#,
        r#"<meta property="og:url" content="https://example.org/letters/2025-04-02-mayor-letter-motion-3-6/">"#,
        r#"<meta property="og:site_name" content="London Policing Accountability">"#,
        r#"<meta property="og:locale" content="en_GB">"#,
        r#"<meta property="article:published_time" content="2025-04-02">"#,
        r#"<meta name="twitter:card" content="summary_large_image">"#,
        r#"<meta property="og:image" content="https://example.org/cards/letters/2025-04-02-mayor-letter-motion-3-6.png">"#,
        r#"<meta property="og:image:alt" content="Letter: Mayor&#39;s reply on Motion 3.6"#,
        r#"<meta name="twitter:title" content="Mayor&#39;s reply on Motion 3.6"#,
        r#"<meta name="twitter:description" content="The Mayor of London&#39;s reply"#,
    ] {
        assert!(letter.contains(needle), "missing {needle}");
    }
    let metrics = read(public.join("metrics/index.html"));
    assert!(metrics.contains(r#"<meta property="og:type" content="website">"#));
    assert!(!metrics.contains("article:published_time"));
    assert!(
        metrics
            .contains(r#"<meta property="og:image" content="https://example.org/cards/site.png">"#)
    );
}
