//! Output that grows with the site only where it must (issue 17, point 11): a listing page's
//! page-number navigation links a bounded window of pages, yet every page stays reachable from
//! the first; the footer, on every page, links only the pages marked for it, and an index of
//! pages links the rest.

mod common;

use std::collections::{BTreeSet, VecDeque};
use std::path::Path;

use common::*;

/// Write `n` tiny reports (one line of text each) under `content/reports/`.
fn tiny_reports(root: &Path, n: usize) {
    let dir = root.join("content/reports");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..n {
        let date = format!(
            "20{:02}-{:02}-{:02}",
            10 + i % 15,
            1 + i / 28 % 12,
            1 + i % 28
        );
        std::fs::write(
            dir.join(format!("r{i}.md")),
            format!("---\ntitle: Report {i}\ndate: {date}\n---\nText.\n"),
        )
        .unwrap();
    }
}

/// Write `n` pages `content/p{i}.md`, those in `footer` with `footer: true`.
fn pages(root: &Path, n: usize, footer: &[usize]) {
    for i in 0..n {
        let mark = if footer.contains(&i) {
            "footer: true\n"
        } else {
            ""
        };
        std::fs::write(
            root.join(format!("content/p{i:03}.md")),
            format!("---\ntitle: Page {i:03}\nsummary: Page number {i}.\n{mark}---\nText.\n"),
        )
        .unwrap();
    }
}

fn build_ok(root: &Path) {
    let out = plainsight(&["build", "--root", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// The part of a page between `start` and the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in page"));
    let rest = &html[from..];
    &rest[..rest.find(end).expect("closed")]
}

/// The hrefs of every `<a>` in `html`.
fn hrefs(html: &str) -> Vec<&str> {
    html.split("<a href=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect()
}

/// Listing pages are at most this many bytes, and link at most this many page numbers,
/// whatever the number of pages (the old navigation linked all 300: 20 KB of links a page).
/// Nine numbers: the first and last, five around the current page, and the pages a gap of one
/// would have hidden on either side.
const LISTING_BYTES: usize = 16_000;
const PAGE_NUMBERS: usize = 9;

#[test]
fn a_listing_of_300_pages_links_a_window_of_numbers_and_every_page_is_reachable() {
    let site = site_with(&[]);
    tiny_reports(site.path(), 300 * 20);
    build_ok(site.path());
    let public = site.path().join("public");
    let file = |url: &str| public.join(url.trim_start_matches('/')).join("index.html");
    assert!(file("/reports/page/300/").exists() && !file("/reports/page/301/").exists());

    // Follow the pagination links only, from page 1.
    let mut seen = BTreeSet::from(["/reports/".to_string()]);
    let mut queue = VecDeque::from(["/reports/".to_string()]);
    while let Some(url) = queue.pop_front() {
        let html = read(file(&url));
        assert!(html.len() <= LISTING_BYTES, "{url} is {} bytes", html.len());
        let nav = between(
            &html,
            "<nav class=\"pagination\" aria-label=\"Pagination\">",
            "</nav>",
        );
        let numbers = nav
            .matches("<span class=\"visually-hidden\">Page </span>")
            .count();
        assert!(
            numbers <= PAGE_NUMBERS,
            "{url} links {numbers} page numbers:\n{nav}"
        );
        assert_eq!(nav.matches("aria-current=\"page\"").count(), 1, "{nav}");
        assert!(nav.contains(&format!("<a href=\"{url}\" aria-current=\"page\">")));
        // Pages left out are an ellipsis that is not a link and that screen readers skip.
        if url == "/reports/page/150/" {
            assert_eq!(
                nav.matches("<li class=\"pagination-gap\" aria-hidden=\"true\">…</li>")
                    .count(),
                2,
                "{nav}"
            );
        }
        for next in hrefs(nav) {
            if seen.insert(next.to_string()) {
                queue.push_back(next.to_string());
            }
        }
    }
    assert_eq!(seen.len(), 300, "reachable from page 1: {seen:?}");
}

#[test]
fn the_footer_links_only_marked_pages_and_the_index_of_pages_lists_them_all() {
    let site = site_with(&[]);
    pages(site.path(), 200, &[7, 3, 150]);
    tiny_reports(site.path(), 3);
    build_ok(site.path());
    let public = site.path().join("public");
    for page in ["p042/", "reports/r1/", "reports/", ""] {
        let html = read(public.join(page).join("index.html"));
        let footer = between(&html, "<footer", "</footer>");
        assert_eq!(
            hrefs(footer),
            ["/p003/", "/p007/", "/p150/", "/pages/", "/accessibility/"],
            "footer of /{page}"
        );
        assert!(
            footer.contains("<a href=\"/pages/\">All pages</a>"),
            "{footer}"
        );
    }
    let index = read(public.join("pages/index.html"));
    let main = main_of(&index);
    let listed = hrefs(main);
    assert_eq!(listed.len(), 200, "{main}");
    for i in 0..200 {
        assert!(listed.contains(&format!("/p{i:03}/").as_str()), "p{i:03}");
    }
    assert!(main.contains("<p>Page number 42.</p>"));
    // The index is a page like the others: in the sitemap, not in the search index.
    let sitemap = read(public.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://example.org/pages/</loc>"));
    assert!(!index.contains("data-pagefind-body"));
}

#[test]
fn when_the_footer_links_every_page_there_is_no_index_of_pages() {
    // The demo's case: its one page is in the footer, as it was before the footer was bounded.
    let site = site_with(&[]);
    pages(site.path(), 2, &[0, 1]);
    build_ok(site.path());
    let html = read(site.path().join("public/index.html"));
    let footer = between(&html, "<footer", "</footer>");
    assert_eq!(hrefs(footer), ["/p000/", "/p001/", "/accessibility/"]);
    assert!(!site.path().join("public/pages").exists());
}

#[test]
fn the_demo_footer_links_its_about_page_and_nothing_else() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = plainsight(&["check", "--root", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let about = read(root.join("content/about.md"));
    assert!(about.lines().any(|l| l == "footer: true"), "{about}");
}

/// `check` on a site made of `files` fails (exit 1, no panic); its report.
fn check_fails(files: &[(&str, &str)]) -> String {
    let site = site_with(files);
    let out = plainsight(&["check", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// `check` fails with `message` at `place` (file:line:col), once.
fn assert_error(files: &[(&str, &str)], message: &str, place: &str) -> String {
    let err = check_fails(files);
    let wanted = format!("error: {message}\n  --> {place}\n");
    assert_eq!(
        err.matches(&wanted).count(),
        1,
        "wanted:\n{wanted}\ngot:\n{err}"
    );
    err
}

#[test]
fn the_footer_field_is_checked_at_its_line() {
    // Only pages go in the footer.
    let err = assert_error(
        &[(
            "content/reports/r.md",
            "---\ntitle: R\ndate: 2024-01-01\nfooter: true\n---\nText.\n",
        )],
        "`footer` is only for pages, and this is a report",
        "content/reports/r.md:4:9",
    );
    assert!(err.contains("remove it: the footer links pages"), "{err}");
    // A value that is not a boolean, and a misspelt field name with a suggestion.
    let err = check_fails(&[(
        "content/a.md",
        "---\ntitle: A\nfooter: yes please\n---\nText.\n",
    )]);
    assert!(err.contains("--> content/a.md:3:9"), "{err}");
    let err = check_fails(&[("content/a.md", "---\ntitle: A\nfooters: true\n---\nText.\n")]);
    assert!(
        err.contains("--> content/a.md:3:1") && err.contains("did you mean `footer`?"),
        "{err}"
    );
}

#[test]
fn more_pages_than_the_footer_holds_is_an_error_at_the_first_past_the_limit() {
    let site = site_with(&[]);
    pages(site.path(), 20, &(0..14).collect::<Vec<_>>());
    let out = plainsight(&["check", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let wanted =
        "error: 14 pages ask for the footer, which links at most 12\n  --> content/p012.md:4:9\n";
    assert!(err.contains(wanted), "{err}");
    assert!(err.contains("content/p013.md:4:9"), "{err}");
    assert_eq!(err.matches("error:").count(), 1, "{err}");
}

#[test]
fn the_index_of_pages_is_a_reserved_path() {
    assert_error(
        &[("content/pages.md", "---\ntitle: Pages\n---\nText.\n")],
        "two files would be written to /pages/: this document and the index of pages",
        "content/pages.md:1:1",
    );
}
