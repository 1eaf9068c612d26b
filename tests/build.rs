//! Sites that build: the demo site, footnotes, drafts, template overrides, a base URL with a
//! path, pagination, raw HTML, and byte-identical output whatever the thread count.

mod common;

use std::path::Path;

use common::*;

fn build(root: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", "--root", root.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = plainsight(&args);
    assert!(
        out.status.success(),
        "build of {} failed:\n{}",
        root.display(),
        stderr(&out)
    );
    out
}

#[test]
fn demo_site_checks_and_builds_with_no_warnings() {
    let site = scratch_copy(Path::new(env!("CARGO_MANIFEST_DIR")));
    let check = plainsight(&["check", "--root", site.path().to_str().unwrap()]);
    assert!(check.status.success(), "{}", stderr(&check));
    // Notes only: which documents have no Welsh translation yet, and how many have one.
    let said = stderr(&check);
    assert!(
        said.lines()
            .last()
            .is_some_and(|l| l.starts_with("Checked "))
            && !said.contains("warning")
            && !said.contains("error")
            && said.contains("note: `cy` (Cymraeg): 3 of 9 documents translated"),
        "unexpected output: {said}"
    );
    let out = build(site.path(), &[]);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    let public = site.path().join("public");
    let pages: Vec<_> = tree(&public)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .collect();
    assert!(pages.len() >= 14, "only {} pages", pages.len());
    for (path, bytes) in &pages {
        let html = String::from_utf8(bytes.clone()).unwrap();
        // The Welsh pages are under cy/, each in Welsh.
        let (lang, path) = match path.strip_prefix("cy/") {
            Some(welsh) => ("cy", welsh.to_string()),
            None => ("en-GB", path.clone()),
        };
        assert!(
            html.starts_with(&format!("<!DOCTYPE html>\n<html lang=\"{lang}\">")),
            "{path}"
        );
        assert_eq!(html.matches("<h1").count(), 1, "{path} must have one h1");
        assert!(
            html.contains("<a class=\"skip-link\" href=\"#main\">"),
            "{path}"
        );
        assert!(html.contains("<main id=\"main\""), "{path}");
        assert!(!html.contains("style="), "{path} has an inline style");
        // Only the search page and the tracker's filter have a script (a file; tests/netlify.rs
        // checks there is nothing inline). Documents and metrics carry a JSON-LD block, which
        // is data, not script.
        let scripts = html.matches("<script").count()
            - html
                .matches(r#"<script type="application/ld+json">"#)
                .count();
        let scripted = ["search/index.html", "commitments/index.html"];
        assert_eq!(
            scripts > 0,
            scripted.contains(&path.as_str()),
            "{path}: scripts"
        );
    }
    // The stylesheet is published minified under a name with its hash, and only so.
    let css = stylesheet(&public, "style");
    assert!(!public.join("static/style.css").exists());
    let minified = read(public.join("static").join(&css));
    assert!(
        minified.lines().count() < 5 && !minified.contains("/*"),
        "not minified"
    );
    for (path, bytes) in &pages {
        let link = format!(r#"<link rel="stylesheet" href="/static/{css}">"#);
        assert!(
            String::from_utf8_lossy(bytes).contains(&link),
            "{path} lacks {link}"
        );
    }
    assert!(public.join(".plainsight-output").is_file());
}

#[test]
fn footnote_referenced_twice_gets_two_back_links() {
    let site = scratch_copy(&fixture("footnotes"));
    build(site.path(), &[]);
    let html = read(
        site.path()
            .join("public/reports/2024-02-21-notes/index.html"),
    );
    insta::assert_snapshot!("footnotes_main", main_of(&html));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = scratch_copy(&fixture("drafts"));
    build(site.path(), &[]);
    let public = site.path().join("public");
    assert!(
        public
            .join("press-releases/2024-01-01-published/index.html")
            .is_file()
    );
    assert!(!public.join("press-releases/2024-03-01-embargoed").exists());
    assert!(!read(public.join("press-releases/index.html")).contains("Embargoed"));
    assert!(!read(public.join("index.html")).contains("Embargoed"));

    build(site.path(), &["--drafts"]);
    let page = read(public.join("press-releases/2024-03-01-embargoed/index.html"));
    assert!(page.contains("(draft)"));
    assert!(read(public.join("press-releases/index.html")).contains("Embargoed"));
}

#[test]
fn a_site_overrides_templates_and_adds_assets() {
    let site = scratch_copy(&fixture("override"));
    build(site.path(), &[]);
    let public = site.path().join("public");
    let page = read(public.join("about/index.html"));
    assert!(
        page.contains("<article class=\"custom\">"),
        "override not used:\n{page}"
    );
    assert!(
        page.contains("Our ref: MGLA250924-1674"),
        "extra fields reach templates"
    );
    // Templates not overridden still come from the embedded theme.
    assert!(page.contains("<a class=\"skip-link\" href=\"#main\">"));
    stylesheet(&public, "extra");
    stylesheet(&public, "style");
}

#[test]
fn a_base_url_with_a_path_prefixes_every_internal_link() {
    let site = scratch_copy(&fixture("base-path"));
    build(site.path(), &[]);
    let public = site.path().join("public");
    let page = read(public.join("reports/2024-02-21-qa-session/index.html"));
    for needle in [
        r#"href="/policing/letters/2025-04-02-letter/#reply""#,
        r#"src="/policing/reports/img/chart.svg" alt="A bar chart of officer numbers""#,
        r#"href="/policing/reports/files/report.pdf""#,
        r#"<link rel="stylesheet" href="/policing/static/style."#,
        r#"<link rel="canonical" href="https://example.org/policing/reports/2024-02-21-qa-session/">"#,
        r#"<a href="/policing/">Base path fixture</a>"#,
        r#"<li><a href="/policing/reports/">Reports</a></li>"#,
    ] {
        assert!(page.contains(needle), "missing {needle} in\n{page}");
    }
    // Every root-relative link in every page stays under the base path.
    for (path, bytes) in tree(&public)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
    {
        let html = String::from_utf8(bytes).unwrap();
        for part in html
            .split("href=\"/")
            .skip(1)
            .chain(html.split("src=\"/").skip(1))
        {
            assert!(
                part.starts_with("policing/"),
                "{path} links outside the base path: /{}",
                &part[..part.find('"').unwrap()]
            );
        }
    }
    assert!(public.join("reports/img/chart.svg").is_file());
    assert!(public.join("reports/files/report.pdf").is_file());
    assert!(
        !public.join("reports/unused.png").exists(),
        "unreferenced files are not published"
    );
}

#[test]
fn long_listings_are_paginated_with_an_accessible_nav() {
    let dir = site_with(&[(
        "content/site.yaml",
        "title: Many\nbase_url: https://example.org/\nlanguage: en-GB\n",
    )]);
    let reports = dir.path().join("content/reports");
    std::fs::create_dir_all(&reports).unwrap();
    for n in 1..=45 {
        let date = format!("2024-{:02}-{:02}", 1 + (n - 1) / 28, 1 + (n - 1) % 28);
        std::fs::write(
            reports.join(format!("{date}-r.md")),
            format!("---\ntitle: Report {n}\ndate: {date}\nid: r{n}\n---\nText.\n"),
        )
        .unwrap();
    }
    build(dir.path(), &[]);
    let public = dir.path().join("public/reports");
    let first = read(public.join("index.html"));
    let third = read(public.join("page/3/index.html"));
    assert!(!public.join("page/4").exists());
    assert!(first.contains("<nav class=\"pagination\" aria-label=\"Pagination\">"));
    assert!(first.contains(
        r#"<a href="/reports/" aria-current="page"><span class="visually-hidden">Page </span>1</a>"#
    ));
    assert!(first.contains(r#"<a href="/reports/page/2/" rel="next">"#));
    // Newest first: page 1 starts at the 45th, page 3 holds the five oldest.
    assert!(first.find("Report 45").unwrap() < first.find("Report 44").unwrap());
    assert_eq!(third.matches("<li>\n<h2>").count(), 5);
    assert!(
        third.contains("Report 1<") && third.contains("<title>Reports, page 3 of 3 – Many</title>")
    );
}

#[test]
fn raw_html_is_sanitised_unless_the_site_opts_in() {
    let yaml = "title: Raw\nbase_url: https://example.org/\nlanguage: en-GB\n";
    let dir = site_with(&[
        ("content/site.yaml", yaml),
        (
            "content/page.md",
            "---\ntitle: Raw HTML\n---\n<script>alert(1)</script>\n\n<p onclick=\"x()\" style=\"color:red\">Kept <abbr title=\"Mayor's Office for Policing and Crime\">MOPAC</abbr></p>\n\n<style>p{}</style><iframe src=\"https://example.org/\"></iframe><object data=\"x.swf\"></object><embed src=\"x.swf\"><form action=\"https://example.org/\"><input name=q></form>\n\n<a href=\"javascript:alert(1)\">j</a> <a href=\" JaVaScRiPt:alert(1)\">k</a> <a href=\"data:text/html,x\">d</a> <img src=\"data:image/svg+xml,x\" alt=\"i\" onerror=\"x()\"> <svg onload=\"x()\"></svg> <a href=\"https://example.org/ok\">ok</a>\n",
        ),
    ]);
    let out = build(dir.path(), &[]);
    // The author is told what goes, where it is, and how to keep it.
    let err = stderr(&out);
    for (what, place) in [
        ("the <script> element", "4:1"),
        ("the onclick attribute of <p>", "6:1"),
        ("the <style> element", "8:1"),
        ("the javascript: URL in <a href>", "10:1"),
        ("the javascript: URL in <a href>", "10:37"),
        ("the data: URL in <a href>", "10:74"),
        ("the data: URL in <img src>", "10:107"),
        ("the <svg> element", "10:162"),
    ] {
        let wanted = format!("warning: raw HTML: {what} is removed when published");
        let placed = err.lines().zip(err.lines().skip(1)).any(|(message, at)| {
            message == wanted && at.trim_start() == format!("--> content/page.md:{place}")
        });
        assert!(placed, "wanted {wanted} at {place}, got:\n{err}");
    }
    assert_eq!(err.matches("warning: raw HTML").count(), 8, "{err}");
    assert!(err.contains("set `allow_raw_html: true` in site.yaml if every author is trusted"));
    let page = read(dir.path().join("public/page/index.html"));
    let body = main_of(&page);
    for banned in [
        "<script",
        "onclick",
        "style=",
        "<style",
        "<iframe",
        "<object",
        "<embed",
        "<form",
        "javascript:",
        "JaVaScRiPt",
        "data:",
        "onerror",
        "<svg",
        "onload",
    ] {
        assert!(!body.contains(banned), "{banned} in {body}");
    }
    assert!(
        body.contains("<a href=\"https://example.org/ok\">ok</a>"),
        "{body}"
    );
    assert!(
        page.contains("<abbr title=\"Mayor's Office for Policing and Crime\">MOPAC</abbr>"),
        "{page}"
    );

    std::fs::write(
        dir.path().join("content/site.yaml"),
        format!("{yaml}allow_raw_html: true\n"),
    )
    .unwrap();
    let out = build(dir.path(), &[]);
    assert!(read(dir.path().join("public/page/index.html")).contains("<script>alert(1)</script>"));
    assert!(!stderr(&out).contains("raw HTML"), "{}", stderr(&out));
}

#[test]
fn output_is_byte_identical_across_runs_and_thread_counts() {
    let site = scratch_copy(Path::new(env!("CARGO_MANIFEST_DIR")));
    let root = site.path().to_str().unwrap();
    let mut trees = Vec::new();
    for threads in ["1", "4"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_plainsight"))
            .args(["build", "--root", root])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        trees.push(tree(&site.path().join("public")));
    }
    assert!(
        trees[0] == trees[1],
        "output differs between 1 and 4 threads"
    );
}

#[test]
fn a_site_can_name_its_own_theme_which_falls_back_to_the_default() {
    let site = scratch_copy(&fixture("override"));
    let root = site.path();
    std::fs::rename(root.join("themes/default"), root.join("themes/civic")).unwrap();
    let yaml = root.join("content/site.yaml");
    std::fs::write(&yaml, format!("{}theme: civic\n", read(&yaml))).unwrap();
    build(root, &[]);
    let page = read(root.join("public/about/index.html"));
    assert!(page.contains("<article class=\"custom\">"), "{page}");
    // Missing files fall back to the embedded theme.
    stylesheet(&root.join("public"), "style");
}

#[test]
fn an_accessibility_statement_is_made_from_site_yaml_unless_the_site_writes_its_own() {
    let site = scratch_copy(Path::new(env!("CARGO_MANIFEST_DIR")));
    build(site.path(), &[]);
    let statement = read(site.path().join("public/accessibility/index.html"));
    assert!(statement.contains("<h1>Accessibility statement</h1>"));
    assert!(statement.contains("This statement applies to London Policing Accountability, published by London Assembly (demo)."));
    assert!(statement.contains(r#"<a href="https://example.org/contact">contact us</a>. We will reply within 5 working days."#), "{statement}");
    assert!(
        statement.contains("Enforcement procedure"),
        "en-GB sites name the UK enforcement procedure"
    );
    assert!(
        read(site.path().join("public/index.html"))
            .contains(r#"<li><a href="/accessibility/">Accessibility statement</a></li>"#)
    );

    let own = site_with(&[(
        "content/accessibility.md",
        "---\ntitle: Our accessibility statement\n---\nWritten by us.\n",
    )]);
    build(own.path(), &[]);
    let page = read(own.path().join("public/accessibility/index.html"));
    assert!(
        page.contains("<h1>Our accessibility statement</h1>") && page.contains("Written by us.")
    );
}

#[test]
fn a_build_off_a_terminal_ends_with_one_summary_line_and_no_progress_bar() {
    let site = site_with(&[(
        "content/reports/2024-01-01-no-summary.md",
        "---\ntitle: No summary\ndate: 2024-01-01\n---\nText.\n",
    )]);
    let out = build(site.path(), &[]);
    let err = stderr(&out);
    assert!(
        !err.contains('\x1b') && !err.contains('\r'),
        "terminal codes: {err:?}"
    );
    let last = err.lines().last().unwrap();
    assert!(
        last.starts_with("Built 6 pages (") && last.ends_with(" ms, with 1 warning"),
        "{err}"
    );
}

#[test]
fn search_with_nothing_to_index_is_a_warning() {
    let site = site_with(&[(
        "content/site.yaml",
        "title: Empty\nbase_url: https://example.org/\nlanguage: en-GB\nsearch: true\n",
    )]);
    let out = build(site.path(), &[]);
    assert!(
        stderr(&out).contains("warning: site.yaml turns search on, but the site has no documents, plans or metrics to index"),
        "{}",
        stderr(&out)
    );
    assert!(site.path().join("public/search/index.html").is_file());
}
