//! The browser audit: every page of the demo site (and of a site served under a sub-path) in
//! headless Chromium with axe-core, light and dark, plus keyboard, footnote, link, title and
//! reflow checks, and the Nu Html Checker. A deliberately broken page proves the audit fails.
//! A figure link, followed in the browser, lands focused on its highlighted row. The first
//! screen on a phone and the navigation on a desktop are measured (tests/browser/screen.mjs).
//!
//! The tools are installed by `./scripts/test` (Chromium, Java, `npm ci` in tests/browser).
//! When one is missing these tests fail with the command to run: they never skip.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

fn require_tools() {
    let modules = browser_dir().join("node_modules");
    for (ok, what, fix) in [
        (
            Path::new("/usr/bin/chromium").exists() || std::env::var_os("CHROMIUM").is_some(),
            "Chromium",
            "apt-get install -y chromium",
        ),
        (
            Command::new("java").arg("-version").output().is_ok(),
            "Java",
            "apt-get install -y default-jre-headless",
        ),
        (
            Command::new("node").arg("--version").output().is_ok(),
            "Node.js",
            "apt-get install -y nodejs npm",
        ),
        (
            modules.join("axe-core").is_dir() && modules.join("vnu-jar").is_dir(),
            "the audit's npm packages",
            "cd tests/browser && npm ci --ignore-scripts",
        ),
    ] {
        assert!(
            ok,
            "{what} is missing for the browser audit; run: {fix} (or run ./scripts/test, which installs it)"
        );
    }
}

/// What the audit printed last: `audit: P pages, A axe violations, C custom findings (N custom checks run), T ms`.
struct Summary {
    pages: usize,
    axe: usize,
    custom: usize,
    checks: usize,
    line: String,
    findings: String,
    ok: bool,
}

/// The Content-Security-Policy netlify.toml sends with every path.
fn netlify_csp() -> String {
    let text = read(Path::new(env!("CARGO_MANIFEST_DIR")).join("netlify.toml"));
    let config: toml::Table = text.parse().expect("netlify.toml parses");
    config["headers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["for"].as_str() == Some("/*"))
        .and_then(|h| h["values"]["Content-Security-Policy"].as_str())
        .expect("a Content-Security-Policy for /*")
        .to_string()
}

/// Audit the site in `dir`, served under `base` with netlify.toml's Content-Security-Policy.
fn audit(dir: &Path, base: &str) -> Summary {
    audit_with_targets(dir, base, &[])
}

/// [`audit`], plus axe on each of `targets` (`path#id` under `base`) opened at its fragment.
fn audit_with_targets(dir: &Path, base: &str, targets: &[&str]) -> Summary {
    let mut command = Command::new("node");
    command
        .arg(browser_dir().join("audit.mjs"))
        .args(["--dir", dir.to_str().unwrap(), "--base", base])
        .args(["--csp", &netlify_csp()]);
    if !targets.is_empty() {
        command.args(["--targets", &targets.join(",")]);
    }
    let out = command.output().expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.starts_with("audit: "))
        .unwrap_or_else(|| {
            panic!(
                "no summary from the audit (exit {:?}):\n{stdout}\n{}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            )
        })
        .to_string();
    let numbers: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    assert!(numbers.len() >= 5, "unexpected summary: {line}");
    assert!(
        out.status.code() != Some(2),
        "audit could not run:\n{stdout}"
    );
    Summary {
        pages: numbers[0],
        axe: numbers[1],
        custom: numbers[2],
        checks: numbers[3],
        line,
        findings: stdout
            .lines()
            .filter(|l| l.starts_with("FAIL "))
            .collect::<Vec<_>>()
            .join("\n"),
        ok: out.status.success(),
    }
}

/// Nu Html Checker errors, one per line (empty when the pages are valid).
fn validate(dir: &Path) -> String {
    let jar = browser_dir().join("node_modules/vnu-jar/build/dist/vnu.jar");
    let out = Command::new("java")
        .arg("-jar")
        .arg(jar)
        .args(["--errors-only", "--skip-non-html", "--format", "gnu"])
        .arg(dir)
        .output()
        .expect("run java");
    String::from_utf8_lossy(&out.stderr).trim().to_string()
        + String::from_utf8_lossy(&out.stdout).trim()
}

fn build_into(root: &Path, out: &Path) {
    let b = plainsight(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(b.status.success(), "{}", stderr(&b));
}

#[test]
fn every_demo_page_passes_axe_the_custom_checks_and_the_validator() {
    require_tools();
    let site = scratch_copy(Path::new(env!("CARGO_MANIFEST_DIR")));
    let out = site.path().join("public");
    build_into(site.path(), &out);
    let pages = tree(&out)
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .count();
    // The row a figure of December 2017 links to, highlighted and focused, light and dark.
    let s = audit_with_targets(&out, "/", &["metrics/pas-good-job-locally/#2017-12"]);
    println!("demo: {}", s.line);
    assert_eq!(s.pages, pages, "every page is audited");
    assert!(
        s.ok && s.axe == 0 && s.custom == 0,
        "{}\n{}",
        s.line,
        s.findings
    );
    assert_eq!(
        s.checks,
        pages * 7,
        "custom checks ran (7 a page with --csp): {}",
        s.line
    );
    let errors = validate(&out);
    assert!(errors.is_empty(), "Nu Html Checker errors:\n{errors}");
}

/// The built site at `out`, served under `base`, has no axe violation (light and dark), no
/// custom finding and no validator message; `name` labels its summary line.
fn assert_clean(out: &Path, base: &str, name: &str) {
    let s = audit(out, base);
    println!("{name}: {}", s.line);
    assert!(
        s.ok && s.axe == 0 && s.custom == 0,
        "{}\n{}",
        s.line,
        s.findings
    );
    assert!(validate(out).is_empty());
}

/// Run tests/browser/search.mjs on a built site served under `base`.
fn search_check(dir: &Path, base: &str) -> (bool, String) {
    let out = Command::new("node")
        .arg(browser_dir().join("search.mjs"))
        .args(["--dir", dir.to_str().unwrap(), "--base", base])
        .args(["--csp", &netlify_csp()])
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (
        out.status.success(),
        format!("{stdout}{}", String::from_utf8_lossy(&out.stderr)),
    )
}

#[test]
fn search_works_by_keyboard_under_the_policy_and_says_what_to_do_without_javascript() {
    require_tools();
    let site = scratch_copy(Path::new(env!("CARGO_MANIFEST_DIR")));
    let out = site.path().join("public");
    build_into(site.path(), &out);
    assert!(
        out.join("pagefind/pagefind.js").is_file(),
        "the demo has search: true"
    );
    let (ok, report) = search_check(&out, "/");
    println!("{report}");
    assert!(ok, "{report}");
    assert!(report.contains(" passed, 0 failed"), "{report}");

    // The same site published under a sub-path: results link under it.
    let yaml = site.path().join("content/site.yaml");
    std::fs::write(
        &yaml,
        read(&yaml).replace(
            "base_url: https://example.org/",
            "base_url: https://example.org/policing/",
        ),
    )
    .unwrap();
    build_into(site.path(), &out);
    let (ok, report) = search_check(&out, "/policing/");
    println!("{report}");
    assert!(ok, "{report}");
}

/// Issue 24, "the same search quality": tests/browser/search-golden.mjs runs twenty queries
/// (words, stemmed forms, two words, a number, names, headings, table cells, a details label,
/// a metric, nothing, the kind and plan filters) through Pagefind's JS API on the demo and
/// compares every result's url, meta, excerpt, word count and sub-results, the totals, the
/// filters and the set of indexed pages with tests/browser/search-golden.json, recorded from
/// the index before the indexing was reworked. After a deliberate change to the demo's content
/// or to what is indexed, record it again: `UPDATE_GOLDEN=1 cargo test --test browser golden`.
#[test]
fn search_results_match_the_golden_recorded_before_issue_24() {
    demo_passes("search-golden.mjs");
}

/// Issue 22: the commitments tracker's filter (tests/browser/tracker.mjs) on
/// tests/fixtures/tracker, under the site's CSP: choosing a status, a plan and an owner shows
/// only the matching commitments and says how many in the live region; nothing happens
/// without JavaScript.
#[test]
fn the_tracker_filters_by_status_plan_and_owner_under_the_policy() {
    require_tools();
    let site = scratch_copy(&fixture("tracker"));
    let out = site.path().join("public");
    build_into(site.path(), &out);
    script_passes("tracker.mjs", &out, &["--base", "/"]);
}

#[test]
fn markup_in_titles_shows_as_text_in_search_results() {
    require_tools();
    let (site, _) = build_fixture("markup-titles");
    script_passes("search-markup.mjs", &site.path().join("public"), &[]);
}

#[test]
fn a_site_served_under_a_sub_path_passes_too() {
    require_tools();
    let site = scratch_copy(&fixture("base-path"));
    let out = site.path().join("public");
    build_into(site.path(), &out);
    assert_clean(&out, "/policing/", "base path");
}

/// Issue 25: a Welsh site (`language: cy`) passes the audit, axe's language rules
/// (`html-lang-valid`, `valid-lang`) among its rules, light and dark, and the validator; its
/// search page and tracker write Welsh (tests/browser/languages.mjs).
#[test]
fn a_welsh_site_passes_the_audit_and_its_scripts_write_welsh() {
    require_tools();
    let site = scratch_copy(&fixture("welsh"));
    let out = site.path().join("public");
    build_into(site.path(), &out);
    assert_clean(&out, "/", "welsh");
    script_passes("languages.mjs", &out, &[]);
}

/// A listing long enough for gaps in its page numbers, and the index of pages (made when a
/// page is not in the footer): markup the demo does not have.
#[test]
fn a_long_listing_and_the_index_of_pages_pass_too() {
    require_tools();
    let mut files = vec![
        (
            "content/about.md".to_string(),
            "---\ntitle: About\nfooter: true\n---\nAbout.\n".to_string(),
        ),
        (
            "content/terms.md".to_string(),
            "---\ntitle: Terms\nsummary: The terms of use.\n---\nTerms.\n".to_string(),
        ),
    ];
    for i in 0..150 {
        files.push((
            format!("content/reports/r{i}.md"),
            format!(
                "---\ntitle: Report {i}\ndate: 2024-{:02}-{:02}\n---\nText.\n",
                1 + i / 28 % 12,
                1 + i % 28
            ),
        ));
    }
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let site = site_with(&files);
    let out = site.path().join("public");
    build_into(site.path(), &out);
    assert!(read(out.join("reports/index.html")).contains("pagination-gap"));
    assert!(out.join("pages/index.html").exists());
    let s = audit(&out, "/");
    println!("long listing: {}", s.line);
    assert!(
        s.ok && s.axe == 0 && s.custom == 0,
        "{}\n{}",
        s.line,
        s.findings
    );
    let errors = validate(&out);
    assert!(errors.is_empty(), "Nu Html Checker errors:\n{errors}");
}

/// Commitments in every status (overdue, targets met and missed, no report yet) on their
/// pages, the plans' scorecards and the tracker: badges, bars and tables pass axe (light and
/// dark), the custom checks and the Nu checker, as the demo's pages do.
#[test]
fn commitment_pages_in_every_status_pass_too() {
    require_tools();
    for name in ["commitments", "tracker"] {
        let site = scratch_copy(&fixture(name));
        let out = site.path().join("public");
        build_into(site.path(), &out);
        let s = audit(&out, "/");
        println!("{name}: {}", s.line);
        assert!(
            s.ok && s.axe == 0 && s.custom == 0,
            "{name}: {}\n{}",
            s.line,
            s.findings
        );
        let errors = validate(&out);
        assert!(
            errors.is_empty(),
            "{name}: Nu Html Checker errors:\n{errors}"
        );
    }
}

#[test]
fn every_footnote_back_link_returns_to_its_reference() {
    // The fixture cites one note twice from the text and once from another note.
    require_tools();
    let site = scratch_copy(&fixture("footnotes"));
    let out = site.path().join("public");
    build_into(site.path(), &out);
    let s = audit(&out, "/");
    println!("footnotes: {}", s.line);
    assert!(
        s.ok && s.axe == 0 && s.custom == 0,
        "{}\n{}",
        s.line,
        s.findings
    );
}

/// Structured data is a `<script type="application/ld+json">` block: data the browser never
/// runs, so the site's CSP (no `unsafe-inline`) reports nothing on a page with one, and a title
/// holding `</script><script>…` stays inside it (escaped, it cannot end the block: had it
/// ended, the inline script after it would be a `[csp]` finding).
#[test]
fn a_json_ld_block_raises_no_csp_violation_even_with_a_closing_script_tag_in_its_title() {
    require_tools();
    let site = site_with(&[(
        "content/reports/2024-01-01-tag.md",
        "---\ntitle: \"Knife crime </script><script>document.title='x'</script>\"\ndate: 2024-01-01\nsummary: A report.\n---\nText.\n",
    )]);
    let out = site.path().join("public");
    build_into(site.path(), &out);
    let page = read(out.join("reports/2024-01-01-tag/index.html"));
    assert!(
        page.contains(r#"<script type="application/ld+json">"#),
        "{page}"
    );
    assert!(
        page.contains(r"Knife crime \u003c/script\u003e\u003cscript\u003e"),
        "{page}"
    );
    let s = audit(&out, "/");
    println!("json-ld: {}", s.line);
    assert!(
        s.ok && s.axe == 0 && s.custom == 0,
        "{}\n{}",
        s.line,
        s.findings
    );
    assert!(!s.findings.contains("[csp]"), "{}", s.findings);
}

#[test]
fn the_audit_fails_on_a_deliberately_broken_page() {
    require_tools();
    let site = scratch_copy(&fixture("footnotes"));
    let out = site.path().join("public");
    build_into(site.path(), &out);
    let page = out.join("reports/2024-02-21-notes/index.html");
    let html = read(&page);
    let broken = html
        // No skip link.
        .replace(r##"<a class="skip-link" href="#main">Skip to main content</a>"##, "")
        // The same title as the home page.
        .replace("<title>A report with notes – Footnotes fixture</title>", "<title>Footnotes fixture</title>")
        // A back link that returns nowhere, and a link to a page and a fragment that do not exist.
        .replace(r##"href="#fnref-2""##, r##"href="#nowhere""##)
        .replace(
            "<p>Only 51 per cent",
            r#"<h4>Skipped heading</h4><img src="chart.png"><p class="low">Low contrast</p><div class="wide">wide</div><a href="/missing/">missing page</a> <a href="/#no-such-id">missing fragment</a><p>Only 51 per cent"#,
        )
        // Low contrast and a fixed width wider than a phone, from a stylesheet of the page's own.
        .replace("</head>", "<link rel=\"stylesheet\" href=\"/broken.css\">\n</head>")
        // Inline code, which the Content-Security-Policy refuses.
        .replace("<main", "<p style=\"color:red\">inline style</p><script>document.title='x'</script><main");
    std::fs::write(
        out.join("broken.css"),
        ".low{color:#bbb;background:#fff}.wide{width:2000px}",
    )
    .unwrap();
    assert_ne!(html, broken);
    std::fs::write(&page, broken).unwrap();
    let s = audit(&out, "/");
    println!("broken: {}\n{}", s.line, s.findings);
    assert!(!s.ok, "the audit must fail");
    assert!(
        s.axe > 0,
        "axe finds the missing alt, the skipped heading and the low contrast: {}",
        s.line
    );
    for rule in ["image-alt", "heading-order", "color-contrast"] {
        assert!(
            s.findings.contains(rule),
            "axe did not report {rule}:\n{}",
            s.findings
        );
    }
    for check in [
        "[skip-link]",
        "[footnotes]",
        "[links]",
        "[titles]",
        "[reflow]",
        "[csp] style-src-attr refused inline",
        "[csp] script-src-elem refused inline",
    ] {
        assert!(
            s.findings.contains(check),
            "no {check} finding:\n{}",
            s.findings
        );
    }
    assert!(s.custom >= 5);
    // The validator catches invalid markup too.
    std::fs::write(
        &page,
        read(&page).replace("<main", "<main id=\"dup\"><div id=\"dup\"></div><main"),
    )
    .unwrap();
    assert!(
        !validate(&out).is_empty(),
        "the Nu Html Checker must report invalid HTML"
    );
}

#[test]
fn the_error_overlay_appears_in_the_browser_and_clears_with_the_fix() {
    require_tools();
    let site = scratch_copy(Path::new(env!("CARGO_MANIFEST_DIR")));
    let out = Command::new("node")
        .arg(browser_dir().join("overlay.mjs"))
        .args([
            "--bin",
            env!("CARGO_BIN_EXE_plainsight"),
            "--root",
            site.path().to_str().unwrap(),
            "--doc",
            "letters/2025-04-02-mayor-letter-motion-3-6.md",
            "--marker",
            "A sentence written after the fix.",
        ])
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success() && stdout.contains("overlay: ok"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn under_serve_a_search_finds_an_edit_before_the_index_is_written_whole() {
    require_tools();
    let site = scratch_copy(Path::new(env!("CARGO_MANIFEST_DIR")));
    let hold = tempfile::tempdir().unwrap();
    let out = Command::new("node")
        .arg(browser_dir().join("serve-search.mjs"))
        .args([
            "--bin",
            env!("CARGO_BIN_EXE_plainsight"),
            "--root",
            site.path().to_str().unwrap(),
            "--hold",
            hold.path().join("held").to_str().unwrap(),
            "--doc",
            "letters/2025-04-02-mayor-letter-motion-3-6.md",
            // Only in that letter, and a word in it and in other documents.
            "--gone",
            "constructively",
            "--common",
            "Londoners",
        ])
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    assert!(
        out.status.success() && stdout.contains("serve-search: ok"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_figure_link_lands_focused_on_its_highlighted_row() {
    demo_passes("rows.mjs");
}

/// Run tests/browser/chart.mjs on one page of a built site: what Chromium's accessibility tree
/// says of its images, and the contrast of the chart's marks in light and dark mode.
fn chart_in_browser(dir: &Path, page: &str) -> serde_json::Value {
    let out = Command::new("node")
        .arg(browser_dir().join("chart.mjs"))
        .args(["--dir", dir.to_str().unwrap(), "--page", page])
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{page}: {stdout}");
    serde_json::from_str(stdout.trim()).expect("chart.mjs prints JSON")
}

#[test]
fn a_screen_reader_gets_each_chart_as_one_image_with_its_trend_in_words() {
    require_tools();
    let site = scratch_copy(&fixture("metrics"));
    let out = site.path().join("public");
    build_into(site.path(), &out);
    for (page, name, description) in [
        (
            "/metrics/knife-injuries/",
            "Knife crime with injury, victims under 25 (line chart)",
            "Down 33.2% from 1,960 in 2018 to 1,310 in 2023, 110 above the 2025 target of 1,200. Latest change: down 9.7% from 2022 to 2023. The vertical axis starts at 1,200, not at zero. Readings marked * have a note in the table.",
        ),
        (
            "/metrics/pas-good/",
            "Londoners who think the police do a good job locally (bar chart)",
            "Down 18.4 percentage points from 68% in December 2017 to 49.6% in June 2022, 10.4 percentage points below the March 2025 target of 60%. Latest change: down 1.4 percentage points from December 2021 to June 2022. The readings are not evenly spaced. Readings marked * have a note in the table.",
        ),
    ] {
        let ax = chart_in_browser(&out, page);
        let images = ax["images"].as_array().unwrap();
        assert_eq!(images.len(), 1, "one image, its parts hidden: {images:?}");
        assert_eq!(images[0]["name"], name);
        assert_eq!(images[0]["description"], description);
        for scheme in ["light", "dark"] {
            for mark in ["series", "target", "axis"] {
                let r = ax["contrast"][scheme][format!("{mark}_ratio")]
                    .as_f64()
                    .unwrap_or_else(|| panic!("{page} {scheme}: no {mark} measured: {ax}"));
                assert!(r >= 3.0, "{page} {scheme}: {mark} contrast {r} < 3:1");
            }
        }
    }
    // The demo site's charts too, with the sparklines on its plan pages hidden.
    let demo = scratch_copy(Path::new(env!("CARGO_MANIFEST_DIR")));
    let out = demo.path().join("public");
    build_into(demo.path(), &out);
    let ax = chart_in_browser(&out, "/metrics/pas-trust-in-met/");
    assert_eq!(
        ax["images"][0]["name"],
        "Londoners who trust the Met (bar chart)"
    );
    assert_eq!(
        ax["images"][0]["description"],
        "Down 12 percentage points from 88% in June 2017 to 76% in December 2021. Readings marked * have a note in the table."
    );
    // A plan page's sparklines are hidden: its one image is the commitments' scorecard, which
    // a screen reader gets whole, with the counts in words.
    for (page, description) in [
        (
            "/plans/police-and-crime-plan-2022-25/",
            "4 commitments as of 2 April 2025: 4 with no report yet.",
        ),
        (
            "/plans/a-new-met-for-london/",
            "11 commitments as of 2 April 2025: 6 on track and 5 with no report yet.",
        ),
    ] {
        let plan = chart_in_browser(&out, page);
        let images = plan["images"].as_array().unwrap();
        assert_eq!(images.len(), 1, "{page}: {plan}");
        assert_eq!(images[0]["name"], "Commitments by status", "{page}");
        assert_eq!(images[0]["description"], description, "{page}");
        for scheme in ["light", "dark", "forced"] {
            let r = plan["scorecard"][scheme]
                .as_f64()
                .unwrap_or_else(|| panic!("{page} {scheme}: no segment measured: {plan}"));
            assert!(r >= 3.0, "{page} {scheme}: scorecard contrast {r} < 3:1");
        }
    }
    // Every status's segment, in a fixture that has them all.
    let site = scratch_copy(&fixture("tracker"));
    let out = site.path().join("public");
    build_into(site.path(), &out);
    let plan = chart_in_browser(&out, "/plans/plan-a/");
    for scheme in ["light", "dark", "forced"] {
        let r = plan["scorecard"][scheme].as_f64().unwrap_or(0.0);
        assert!(
            r >= 3.0,
            "plan-a {scheme}: scorecard contrast {r} < 3:1: {plan}"
        );
    }
}

/// Run tests/browser/labels.mjs with `args`: whether it exited 0, and what it printed.
fn labels_check(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new("node")
        .arg(browser_dir().join("labels.mjs"))
        .args(args)
        .output()
        .expect("run node");
    (
        out.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// Whether a page holds an `<svg>` of class `chart` (whatever its other classes and attributes).
fn has_chart(html: &str) -> bool {
    html.split("<svg").skip(1).any(|rest| {
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        tag.split("class=\"").nth(1).is_some_and(|classes| {
            classes[..classes.find('"').unwrap_or(classes.len())]
                .split_whitespace()
                .any(|c| c == "chart")
        })
    })
}

/// The URL paths of a built site's metric pages that draw a chart.
fn chart_pages(out: &Path) -> Vec<String> {
    let mut pages: Vec<String> = tree(&out.join("metrics"))
        .into_iter()
        .filter(|(p, bytes)| {
            p.ends_with("index.html") && has_chart(&String::from_utf8_lossy(bytes))
        })
        .map(|(p, _)| format!("/metrics/{}", p.trim_end_matches("index.html")))
        .collect();
    pages.sort();
    pages
}

/// Every label of every chart (values, periods, axis titles, the target, the note marks) is
/// measured in the browser from its rendered glyphs, at 320 px and 1280 px wide: none may
/// overlap another, leave the chart's box, be crossed by the line or cover a point. The
/// charts fixture holds the awkward shapes (long, gappy, negative, flat, large values,
/// statuses, notes, targets above and below); the demo holds the real ones.
#[test]
fn chart_labels_never_overlap_at_320_and_1280_px() {
    require_tools();
    let started = std::time::Instant::now();
    // The checker can fail: its synthetic charts with overlapping labels, a label past the
    // edge, labels crossed by a polyline and a curve and one over a point are all reported,
    // and a clean chart gives nothing.
    let (code, report) = labels_check(&["--self-test"]);
    println!("{report}");
    assert!(
        code == Some(0) && report.contains(" passed, 0 failed"),
        "{report}"
    );
    let mut failures = Vec::new();
    for (name, src) in [
        ("charts fixture", fixture("charts")),
        ("demo", PathBuf::from(env!("CARGO_MANIFEST_DIR"))),
    ] {
        let site = scratch_copy(&src);
        let out = site.path().join("public");
        build_into(site.path(), &out);
        let (code, report) = labels_check(&["--dir", out.to_str().unwrap(), "--all"]);
        let line = report
            .lines()
            .rev()
            .find(|l| l.starts_with('{'))
            .unwrap_or_default();
        let json: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|_| {
            panic!("{name}: labels.mjs could not run (exit {code:?}):\n{report}")
        });
        let checked = &json["checked"];
        println!(
            "{name}: {} pages, {} charts, {} labels checked (each chart once per width, widths {})",
            checked["pages"], checked["charts"], checked["labels"], checked["widths"]
        );
        assert_eq!(
            checked["pages"].as_u64(),
            Some(chart_pages(&out).len() as u64),
            "{name}: every metric page with a chart is checked"
        );
        assert!(
            checked["labels"].as_u64() > Some(0),
            "{name}: labels were measured"
        );
        let findings = json["findings"].as_array().unwrap();
        for f in findings {
            failures.push(format!("{name}: {f}"));
        }
        assert_eq!(
            code,
            Some(if findings.is_empty() { 0 } else { 1 }),
            "{report}"
        );
    }
    println!("labels: {} ms", started.elapsed().as_millis());
    assert!(
        failures.is_empty(),
        "{} chart label findings:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Issue 21, the first screen: on the demo's home page, a press release, a plan, a listing and
/// a metric, at 375 x 812 and 1280 x 800, light and dark, tests/browser/screen.mjs measures the
/// header (at most 120 px on a phone), the breadcrumbs (one line), the h1 and summary (in the
/// first screen on a phone), the navigation (behind a Menu disclosure that works by keyboard
/// on a phone; one row at 1280 px) and the footnote markers ("[N]", no gap before them).
#[test]
fn the_first_screen_fits_a_phone_and_the_navigation_one_row_on_a_desktop() {
    demo_passes("screen.mjs");
}

/// Issue 21, long documents: tests/browser/toc.mjs follows the contents list's links and the
/// section self-links on the long report and a plan, at 375 and 1280 px, light and dark.
#[test]
fn contents_lists_and_section_links_work_at_375_and_1280_px_light_and_dark() {
    demo_passes("toc.mjs");
}

/// Build the demo and run a script of tests/browser on it under the site's CSP; the script
/// prints "N passed, 0 failed" when every check holds.
fn demo_passes(script: &str) {
    require_tools();
    let site = scratch_copy(Path::new(env!("CARGO_MANIFEST_DIR")));
    let out = site.path().join("public");
    build_into(site.path(), &out);
    script_passes(script, &out, &[]);
}

/// Run a script of tests/browser on the site built at `dir` (with `args` besides `--dir` and
/// the site's `--csp`); it prints "N passed, 0 failed" when every check holds.
fn script_passes(script: &str, dir: &Path, args: &[&str]) {
    let run = Command::new("node")
        .arg(browser_dir().join(script))
        .args(["--dir", dir.to_str().unwrap()])
        .args(args)
        .args(["--csp", &netlify_csp()])
        .output()
        .expect("run node");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    println!("{script}: {report}");
    assert!(
        run.status.success() && report.contains(" passed, 0 failed"),
        "{report}"
    );
}
