//! netlify.toml against what `build` writes: the publish folder is the build's output folder,
//! the headers are there for every path, and no built page needs anything the
//! Content-Security-Policy forbids. (tests/browser.rs also loads every demo page under this
//! policy in Chromium and fails on any violation.)

mod common;

use std::path::Path;

use common::*;
use scraper::{Html, Selector};

fn netlify() -> toml::Table {
    let text = read(Path::new(env!("CARGO_MANIFEST_DIR")).join("netlify.toml"));
    text.parse().expect("netlify.toml parses")
}

/// The headers set for exactly the path pattern `for`.
fn headers_for(config: &toml::Table, pattern: &str) -> toml::Table {
    config["headers"]
        .as_array()
        .expect("[[headers]] tables")
        .iter()
        .find(|h| h["for"].as_str() == Some(pattern))
        .unwrap_or_else(|| panic!("no [[headers]] for {pattern}"))["values"]
        .as_table()
        .unwrap()
        .clone()
}

/// A policy as directive -> sources.
fn directives(policy: &str) -> Vec<(String, Vec<String>)> {
    policy
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            let mut words = d.split_whitespace().map(str::to_string);
            (words.next().unwrap(), words.collect())
        })
        .collect()
}

#[test]
fn netlify_publishes_the_folder_that_build_writes() {
    let config = netlify();
    let build = config["build"].as_table().unwrap();
    let publish = build["publish"].as_str().unwrap();
    let command = build["command"].as_str().unwrap();
    assert!(
        command.starts_with("cargo run --release --locked -- build"),
        "{command}"
    );
    // The command as Netlify runs it (without --output): the pages land in `publish`.
    let site = scratch_copy(Path::new(env!("CARGO_MANIFEST_DIR")));
    let out = plainsight(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let published = site.path().join(publish);
    assert!(published.join("index.html").is_file());
    // Unknown paths get the site's own 404 page.
    assert!(published.join("404.html").is_file());
    let redirects = config["redirects"].as_array().unwrap();
    let rule = |folder: &str| {
        redirects.iter().position(|r| {
            r["from"].as_str() == Some(&format!("/{folder}*"))
                && r["to"].as_str() == Some(&format!("/{folder}404.html"))
                && r["status"].as_integer() == Some(404)
        })
    };
    let all = rule("").unwrap_or_else(|| panic!("no 404 rule for /*: {redirects:?}"));
    // Each language's pages are in a folder with its own 404 page, whose rule Netlify must
    // reach before the rule for every path (it takes the first that matches).
    let mut languages = 0;
    for entry in std::fs::read_dir(&published).unwrap() {
        let folder = entry.unwrap().path();
        if folder.join("404.html").is_file() {
            let name = format!("{}/", folder.file_name().unwrap().to_str().unwrap());
            let at = rule(&name).unwrap_or_else(|| panic!("no 404 rule for /{name}*"));
            assert!(at < all, "the rule for /{name}* comes after the one for /*");
            assert!(published.join(&name).join("index.html").is_file());
            languages += 1;
        }
    }
    assert_eq!(languages, 1, "the demo is in English and Welsh");
    // Cargo.toml names the oldest Rust that builds it; no toolchain file pins one to download.
    let cargo: toml::Table = read(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
        .parse()
        .unwrap();
    assert!(cargo["package"].get("rust-version").is_some());
    assert!(
        !Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("rust-toolchain.toml")
            .exists()
    );
}

#[test]
fn every_path_gets_the_security_headers() {
    let all = headers_for(&netlify(), "/*");
    let value = |name: &str| {
        all.get(name)
            .and_then(|v| v.as_str())
            .unwrap_or_else(|| panic!("no {name} for /*"))
            .to_string()
    };
    assert_eq!(value("X-Content-Type-Options"), "nosniff");
    assert!(!value("Referrer-Policy").is_empty());
    assert!(value("Permissions-Policy").contains("camera=()"));
    let policy = value("Content-Security-Policy");
    let csp = directives(&policy);
    let get = |name: &str| {
        csp.iter()
            .find(|(d, _)| d == name)
            .map(|(_, s)| s.clone())
            .unwrap_or_else(|| panic!("no {name} in {policy}"))
    };
    assert_eq!(get("default-src"), ["'self'"]);
    // Scripts: this site's files, and compiling Pagefind's WebAssembly; nothing inline.
    assert_eq!(get("script-src"), ["'self'", "'wasm-unsafe-eval'"]);
    assert_eq!(get("style-src"), ["'self'"]);
    assert_eq!(get("object-src"), ["'none'"]);
    assert_eq!(get("frame-ancestors"), ["'none'"]);
    assert_eq!(get("base-uri"), ["'self'"]);
    for loose in ["'unsafe-inline'", "'unsafe-eval'", "*", "data:", "blob:"] {
        assert!(
            csp.iter().all(|(_, s)| !s.iter().any(|x| x == loose)),
            "{loose} in {policy}"
        );
    }
}

#[test]
fn only_fingerprinted_stylesheets_are_cached_for_a_year() {
    let css = headers_for(&netlify(), "/static/*.css");
    assert_eq!(
        css["Cache-Control"].as_str(),
        Some("public, max-age=31536000, immutable")
    );
    // Every stylesheet the build writes under static/ has its content hash in its name, so the
    // rule never pins a file whose content can change under the same URL.
    let site = scratch_copy(&fixture("override"));
    let out = plainsight(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = site.path().join("public");
    let sheets: Vec<String> = tree(&public.join("static"))
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.ends_with(".css"))
        .collect();
    assert_eq!(sheets.len(), 2, "{sheets:?}");
    for stem in ["style", "extra"] {
        stylesheet(&public, stem);
    }
}

#[test]
fn built_pages_need_nothing_the_policy_forbids() {
    let site = scratch_copy(Path::new(env!("CARGO_MANIFEST_DIR")));
    let out = plainsight(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = site.path().join("public");
    let scripts = Selector::parse("script").unwrap();
    let styles = Selector::parse("style").unwrap();
    let everything = Selector::parse("*").unwrap();
    let mut pages = 0;
    let mut script_files = 0;
    let mut data_blocks = 0;
    for (path, bytes) in tree(&public) {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = Html::parse_document(&String::from_utf8(bytes).unwrap());
        assert_eq!(html.select(&styles).count(), 0, "{path}: a <style> element");
        for script in html.select(&scripts) {
            // A JSON-LD block is data, which browsers never run: the one inline <script>
            // allowed, and it must be JSON, with no `<` that could end it early.
            if script.value().attr("type") == Some("application/ld+json") {
                let text = script.inner_html();
                assert!(!text.contains('<'), "{path}: `<` in a JSON-LD block");
                serde_json::from_str::<serde_json::Value>(&text)
                    .unwrap_or_else(|e| panic!("{path}: JSON-LD is not JSON: {e}"));
                data_blocks += 1;
                continue;
            }
            let src = script.value().attr("src");
            assert!(
                src.is_some_and(|s| s.starts_with('/') && !s.starts_with("//")),
                "{path}: an inline or off-site script: {:?}",
                script.html()
            );
            assert!(script.inner_html().trim().is_empty(), "{path}: script body");
            script_files += 1;
        }
        for element in html.select(&everything) {
            for (name, value) in element.value().attrs() {
                assert!(
                    name != "style" && !name.starts_with("on"),
                    "{path}: inline {name}=\"{value}\""
                );
                if matches!(name, "href" | "src" | "action") {
                    assert!(
                        !value
                            .trim_start()
                            .to_ascii_lowercase()
                            .starts_with("javascript:"),
                        "{path}: {name}=\"{value}\""
                    );
                }
            }
        }
    }
    assert!(pages > 30, "only {pages} pages");
    // The check sees scripts: the demo's search page loads its own.
    assert!(public.join("search/index.html").is_file());
    assert!(script_files > 0);
    // And it sees data blocks: every document and metric page has one.
    assert!(data_blocks > 20, "only {data_blocks} JSON-LD blocks");
}
