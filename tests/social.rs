//! Found and shared (issue 21 point 5): the favicon and /favicon.ico, og:image on every page,
//! social cards (byte-identical between builds, reused from `.plainsight/cards/`), a
//! document's own picture, and the errors of the new fields, word for word.

mod common;

use std::path::Path;

use common::*;
use scraper::{Html, Selector};

/// `<meta property|name=KEY content>` of a page, if any.
fn meta(html: &Html, key: &str) -> Option<String> {
    let s = Selector::parse(&format!(r#"meta[property="{key}"], meta[name="{key}"]"#)).unwrap();
    html.select(&s)
        .next()
        .and_then(|m| m.value().attr("content").map(str::to_string))
}

/// The file an absolute URL of the demo names in `public`.
fn published(public: &Path, url: &str) -> std::path::PathBuf {
    public.join(
        url.strip_prefix("https://example.org/")
            .expect("an absolute URL of the site"),
    )
}

#[test]
fn every_page_has_an_icon_and_an_absolute_og_image_that_exists() {
    let site = scratch_copy(Path::new(env!("CARGO_MANIFEST_DIR")));
    let out = plainsight(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = site.path().join("public");
    let icons = Selector::parse(r#"link[rel="icon"]"#).unwrap();
    let mut pages = 0;
    let mut cards = 0;
    for (path, bytes) in tree(&public) {
        if !path.ends_with(".html") || path.starts_with("pagefind") {
            continue;
        }
        pages += 1;
        let html = Html::parse_document(&String::from_utf8(bytes).unwrap());
        let image = meta(&html, "og:image").unwrap_or_else(|| panic!("{path}: no og:image"));
        assert!(
            published(&public, &image).is_file(),
            "{path}: {image} is not published"
        );
        assert_eq!(
            meta(&html, "twitter:image").as_deref(),
            Some(image.as_str())
        );
        assert!(
            !meta(&html, "og:image:alt")
                .unwrap_or_default()
                .trim()
                .is_empty(),
            "{path}"
        );
        assert_eq!(
            meta(&html, "twitter:card").as_deref(),
            Some("summary_large_image")
        );
        let hrefs: Vec<_> = html
            .select(&icons)
            .filter_map(|l| l.value().attr("href"))
            .collect();
        assert_eq!(hrefs, ["/favicon.ico", "/favicon.svg"], "{path}");
        if image.contains("/cards/") && !image.ends_with("/cards/site.png") {
            cards += 1;
        }
    }
    // Listings, 404 and search included; the demo draws a card for each of its 9 documents,
    // and for the 3 of them translated into Welsh, a Welsh one.
    assert!(pages > 30, "{pages}");
    assert!(public.join("404.html").is_file() && public.join("search/index.html").is_file());
    assert_eq!(cards, 9 + 3);
    let ico = std::fs::read(public.join("favicon.ico")).unwrap();
    assert_eq!(&ico[..6], &[0, 0, 1, 0, 1, 0], "an ICO holding one image");
    assert_eq!(&ico[22..26], b"\x89PNG");
}

#[test]
fn cards_are_the_same_bytes_every_build_and_a_cached_card_is_reused() {
    let site = scratch_copy(Path::new(env!("CARGO_MANIFEST_DIR")));
    let root = site.path().to_str().unwrap();
    let build = || {
        let out = plainsight(&["build", "--root", root]);
        assert!(out.status.success(), "{}", stderr(&out));
    };
    let card = "public/cards/press-releases/2022-03-24-police-and-crime-plan-published.png";
    let cache = site.path().join(".plainsight/cards");
    build();
    let first = std::fs::read(site.path().join(card)).unwrap();
    assert_eq!(&first[1..4], b"PNG");
    let cached: Vec<_> = tree(&cache).into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        cached.len(),
        9 + 3,
        "one per document card, English and Welsh: {cached:?}"
    );
    // Mark every cached card (a 1x1 PNG in its place): a rebuild that reuses them publishes
    // the marks.
    for name in &cached {
        std::fs::write(cache.join(name), PNG).unwrap();
    }
    build();
    assert_eq!(std::fs::read(site.path().join(card)).unwrap(), PNG);
    // A cached file cut short (a broken disk, a stray tool) is drawn again, never published.
    for name in &cached {
        std::fs::write(cache.join(name), &PNG[..PNG.len() - 4]).unwrap();
    }
    build();
    assert_eq!(std::fs::read(site.path().join(card)).unwrap(), first);
    // Drawn again from nothing, a card is the same bytes.
    std::fs::remove_dir_all(&cache).unwrap();
    build();
    assert_eq!(std::fs::read(site.path().join(card)).unwrap(), first);
    // A changed title draws that card alone, under a new name.
    let doc = site
        .path()
        .join("content/press-releases/2022-03-24-police-and-crime-plan-published.md");
    let text = read(&doc).replacen("title: ", "title: Revised ", 1);
    std::fs::write(&doc, text).unwrap();
    build();
    assert_eq!(tree(&cache).len(), 9 + 3 + 1);
    assert_ne!(std::fs::read(site.path().join(card)).unwrap(), first);
}

/// A 1x1 PNG, written out byte by byte (signature, IHDR, IDAT, IEND).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0xE0, 0xF6, 0x5F, 0xF1,
    0x1F, 0x00, 0x03, 0x6D, 0x02, 0x02, 0x3D, 0xBE, 0xEF, 0xBC, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

#[test]
fn a_document_s_own_picture_and_site_yaml_s_are_shown_and_published() {
    let site = site_with(&[
        (
            "content/site.yaml",
            "title: Pictures\nbase_url: https://example.org/\nlanguage: en-GB\nfavicon: icon.png\nimage: share.png\nimage_alt: The council's logo\nsocial_cards: true\n",
        ),
        (
            "content/reports/2024-01-01-own.md",
            "---\ntitle: Own picture\ndate: 2024-01-01\nimage: chart.png\nimage_alt: A chart of the figures\n---\nText.\n",
        ),
        (
            "content/reports/2024-01-02-card.md",
            "---\ntitle: Drawn card\ndate: 2024-01-02\n---\nText.\n",
        ),
    ]);
    for name in [
        "content/reports/chart.png",
        "content/share.png",
        "content/icon.png",
    ] {
        std::fs::write(site.path().join(name), PNG).unwrap();
    }
    let out = plainsight(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = site.path().join("public");
    let image_of = |path: &str| {
        let html = Html::parse_document(&page(&site, path));
        (
            meta(&html, "og:image").unwrap(),
            meta(&html, "og:image:alt").unwrap(),
        )
    };
    assert_eq!(
        image_of("reports/2024-01-01-own"),
        (
            "https://example.org/reports/chart.png".into(),
            "A chart of the figures".into()
        )
    );
    assert_eq!(
        std::fs::read(public.join("reports/chart.png")).unwrap(),
        PNG
    );
    let (card, alt) = image_of("reports/2024-01-02-card");
    assert_eq!(
        card,
        "https://example.org/cards/reports/2024-01-02-card.png"
    );
    assert_eq!(alt, "Report: Drawn card, 2 January 2024. Pictures");
    assert_eq!(
        image_of("reports"),
        (
            "https://example.org/cards/site-image.png".into(),
            "The council's logo".into()
        )
    );
    assert_eq!(
        std::fs::read(public.join("cards/site-image.png")).unwrap(),
        PNG
    );
    // The PNG icon as given, and inside the ICO; no site card when site.yaml names a picture.
    assert_eq!(std::fs::read(public.join("favicon.png")).unwrap(), PNG);
    assert!(!public.join("cards/site.png").exists());
    let home = page(&site, "");
    assert!(
        home.contains(r#"<link rel="icon" href="/favicon.png" type="image/png" sizes="1x1">"#),
        "{home}"
    );
}

#[test]
fn social_settings_errors_are_reported_at_their_line() {
    assert_report("social-config");
}

#[test]
fn social_file_errors_are_reported_at_their_line() {
    assert_report("social-files");
}
