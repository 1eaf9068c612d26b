//! Content never replaces a file plainsight writes itself (the search index, the theme's
//! static files, feeds, the sitemap, data files, pages, serve's `__plainsight/` URLs): a linked
//! file or a document that would land on one, or in a reserved folder, is an error at the
//! linking line naming the path, and the published output stays plainsight's. Output paths
//! that differ only in letter case (one file on macOS and Windows) are refused everywhere.

mod common;

use std::path::Path;

use common::*;

/// (message, place) of every error in a report, in order.
fn errors(report: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut message = None;
    for line in report.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m.to_string());
        } else if let Some(place) = line.trim_start().strip_prefix("--> ")
            && let Some(m) = message.take()
        {
            out.push((m, place.to_string()));
        }
    }
    out
}

/// `check` on a site of `files` fails, and its report has exactly one error at each
/// `(place, words)`, whose message contains every one of `words`, and no other.
fn assert_errors(files: &[(&str, &str)], wanted: &[(&str, &[&str])]) {
    let site = site_with(files);
    let out = plainsight(&["check", "--root", site.path().to_str().unwrap()]);
    let report = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    let found = errors(&report);
    assert_eq!(found.len(), wanted.len(), "{report}");
    for (place, words) in wanted {
        assert!(
            found
                .iter()
                .any(|(m, p)| p == place && words.iter().all(|w| m.contains(w))),
            "no error at {place} saying {words:?} in:\n{report}"
        );
    }
}

const PAGE: &str = "---\ntitle: Page\n---\n";

fn linking(dest: &str) -> String {
    format!("{PAGE}See [the file {dest}]({dest}).\n")
}

/// Build the demo site (search on, metrics, plans, every kind of page), then put a file at the
/// path of EVERY file that build wrote and link each from its own document: each link is an
/// error at its line naming the path, and a build leaves the published site as it was.
#[test]
fn no_content_file_can_replace_any_generated_file() {
    let site = scratch_copy(Path::new(env!("CARGO_MANIFEST_DIR")));
    let root = site.path().to_str().unwrap();
    let out = plainsight(&["build", "--root", root]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = site.path().join("public");
    let before = tree(&public);
    let generated: Vec<&str> = before
        .iter()
        .map(|(p, _)| p.as_str())
        // Hidden files under content/ are never read, so the marker cannot be reached.
        .filter(|p| *p != ".plainsight-output")
        .collect();
    for folder in ["pagefind/", "static/", "metrics/", "reports/"] {
        assert!(
            generated.iter().any(|p| p.starts_with(folder)),
            "the demo build has no {folder}"
        );
    }
    let hostile = site.path().join("content/hostile");
    std::fs::create_dir_all(&hostile).unwrap();
    for (n, path) in generated.iter().enumerate() {
        // content/metrics/ holds the metrics' YAML and is not published: a file reaches
        // metrics/ only in another letter case.
        let content_path = match path.strip_prefix("metrics/") {
            Some(rest) => format!("Metrics/{rest}"),
            None => path.to_string(),
        };
        let file = site.path().join("content").join(&content_path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "not plainsight's").unwrap();
        std::fs::write(
            hostile.join(format!("f{n}.md")),
            linking(&format!("../{content_path}")),
        )
        .unwrap();
    }
    let out = plainsight(&["build", "--strict", "--root", root]);
    let report = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{report}");
    let found = errors(&report);
    assert_eq!(found.len(), generated.len(), "{report}");
    for (n, path) in generated.iter().enumerate() {
        // The Welsh pages' folder is refused as a whole, at each file in it.
        if path.starts_with("cy/") {
            let place = format!("content/{path}:1:1");
            assert!(
                found
                    .iter()
                    .any(|(m, p)| *p == place && m.contains("`cy` is one of the site's languages")),
                "no error at {place} in:\n{report}"
            );
            continue;
        }
        let place = format!("content/hostile/f{n}.md:4:5");
        assert!(
            found
                .iter()
                .any(|(m, p)| *p == place && m.contains(&format!("/{path}"))),
            "no error at {place} naming /{path} in:\n{report}"
        );
    }
    assert!(
        tree(&public) == before,
        "a failed build changed the published site"
    );
}

/// Pagefind's runtime, entry, worker and wasm, and any other name in its folder: the example
/// of issue 17, with images too, and whatever the letter case.
#[test]
fn the_search_index_folder_is_reserved() {
    let site = "title: S\nbase_url: https://example.org/\nlanguage: en-GB\nsearch: true\n";
    let img = format!("{PAGE}![A chart](static/chart.png)\n");
    assert_errors(
        &[
            ("content/site.yaml", site),
            ("content/pagefind/pagefind.js", "alert(1)"),
            ("content/PageFind/pagefind-worker.js", "alert(1)"),
            ("content/pagefind/not-made-by-pagefind.js", "alert(1)"),
            ("content/__plainsight/live.js", "alert(1)"),
            ("content/static/chart.png", "png"),
            ("content/a.md", &linking("pagefind/pagefind.js")),
            ("content/b.md", &linking("PageFind/pagefind-worker.js")),
            ("content/c.md", &linking("pagefind/not-made-by-pagefind.js")),
            ("content/d.md", &linking("__plainsight/live.js")),
            ("content/e.md", &img),
        ],
        &[
            (
                "content/a.md:4:5",
                &["/pagefind/pagefind.js", "reserved for the search index"],
            ),
            (
                "content/b.md:4:5",
                &["/PageFind/pagefind-worker.js", "/pagefind/"],
            ),
            ("content/c.md:4:5", &["/pagefind/not-made-by-pagefind.js"]),
            (
                "content/d.md:4:5",
                &["/__plainsight/live.js", "live reload"],
            ),
            (
                "content/e.md:4:1",
                &["/static/chart.png", "theme's static files"],
            ),
        ],
    );
}

/// A document whose page would land in a reserved folder, or make a folder of a generated
/// file, is refused at the document.
#[test]
fn documents_cannot_land_on_reserved_paths() {
    assert_errors(
        &[
            ("content/pagefind/help.md", PAGE),
            ("content/static.md", PAGE),
            ("content/__plainsight/events.md", PAGE),
            ("content/sitemap.xml.md", PAGE),
            ("content/feed.xml.md", PAGE),
        ],
        &[
            (
                "content/pagefind/help.md:1:1",
                &["/pagefind/help/index.html", "search index"],
            ),
            ("content/static.md:1:1", &["/static/index.html"]),
            (
                "content/__plainsight/events.md:1:1",
                &["/__plainsight/events/index.html"],
            ),
            (
                "content/sitemap.xml.md:1:1",
                &["/sitemap.xml/index.html", "/sitemap.xml"],
            ),
            (
                "content/feed.xml.md:1:1",
                &["/feed.xml/index.html", "/feed.xml"],
            ),
        ],
    );
}

/// `Data.csv` and `data.csv` are one file on macOS and Windows: the second is refused at its
/// link, with the first's link shown.
#[test]
fn copied_files_that_differ_only_in_case_are_refused() {
    assert_errors(
        &[
            ("content/Data.csv", "a,b\n"),
            ("content/data.csv", "a,c\n"),
            ("content/a.md", &linking("Data.csv")),
            ("content/b.md", &linking("data.csv")),
        ],
        &[(
            "content/b.md:4:5",
            &["content/data.csv", "/data.csv", "/Data.csv", "letter case"],
        )],
    );
}

/// A copied file against a page, a generated file and a metric's data, in another case; and a
/// file where the build needs a folder.
#[test]
fn copied_files_clash_with_pages_and_generated_files_in_any_case() {
    let metric = "title: M\nunit: percent\nbetter: higher\nsource: pas\nseries:\n  - {period: 2024, value: 5}\n";
    let sources = "pas:\n  title: PAS\n  publisher: MOPAC\n  date: 2022-03-01\n";
    let cite = format!("{PAGE}Cites [PAS](source:pas).\n");
    assert_errors(
        &[
            ("content/sources.yaml", sources),
            ("content/metrics/m.yaml", metric),
            ("content/cites.md", &cite),
            ("content/guide.md", PAGE),
            ("content/Guide/index.html", "<script>"),
            ("content/Sitemap.xml", "<x/>"),
            ("content/Metrics/m/Data.csv", "x"),
            ("content/timeline", "x"),
            ("content/a.md", &linking("Guide/index.html")),
            ("content/b.md", &linking("Sitemap.xml")),
            ("content/c.md", &linking("Metrics/m/Data.csv")),
            ("content/d.md", &linking("timeline")),
        ],
        &[
            (
                "content/a.md:4:5",
                &["/Guide/index.html", "content/guide.md", "letter case"],
            ),
            (
                "content/b.md:4:5",
                &["/Sitemap.xml", "the sitemap", "letter case"],
            ),
            (
                "content/c.md:4:5",
                &["/Metrics/m/Data.csv", "/metrics/m/data.csv"],
            ),
            (
                "content/d.md:4:5",
                &["/timeline", "both a file and a folder"],
            ),
        ],
    );
}

/// Exactly the path of a generated file: the error is at the link (it used to have no place).
#[test]
fn a_copied_file_on_a_generated_path_is_an_error_at_its_link() {
    assert_errors(
        &[
            ("content/robots.txt", "User-agent: *\nDisallow:\n"),
            ("content/404.html", "<script>"),
            ("content/a.md", &linking("robots.txt")),
            (
                "content/b.md",
                &format!("{PAGE}Two: [the 404 page](404.html).\n"),
            ),
        ],
        &[
            ("content/a.md:4:5", &["/robots.txt", "over robots.txt"]),
            ("content/b.md:4:6", &["/404.html", "over the 404 page"]),
        ],
    );
}

/// Pages the build makes from ids are checked too: two metrics, or two priorities of a plan,
/// whose ids differ only in case are refused at the later id, once each.
#[test]
fn generated_pages_that_differ_only_in_case_are_refused() {
    let metric = "title: M\nunit: percent\nbetter: higher\nsource: pas\nseries:\n  - {period: 2024, value: 5}\n";
    let sources = "pas:\n  title: PAS\n  publisher: MOPAC\n  date: 2022-03-01\n";
    let plan = "---\ntitle: P\ndate: 2022-01-01\nsummary: S.\nowner: O\nperiod: {start: 2022-04-01, end: 2025-03-31}\npriorities:\n  - id: Reduce\n    title: A\n    summary: S.\n  - id: reduce\n    title: B\n    summary: S.\n---\nText.\n";
    assert_errors(
        &[
            ("content/sources.yaml", sources),
            ("content/metrics/Knife.yaml", metric),
            ("content/metrics/knife.yaml", metric),
            ("content/plans/p.md", plan),
        ],
        &[
            (
                "content/metrics/knife.yaml:1:1",
                &[
                    "/metrics/knife/index.html",
                    "/metrics/Knife/index.html",
                    "letter case",
                ],
            ),
            (
                "content/plans/p.md:11:9",
                &[
                    "/plans/p/reduce/index.html",
                    "/plans/p/Reduce/index.html",
                    "letter case",
                ],
            ),
        ],
    );
}

/// `café.png` with `é` as one character and as `e` plus an accent are two files on Linux and
/// one on macOS: the second is refused like a case clash.
#[test]
fn copied_files_that_differ_only_in_unicode_form_are_refused() {
    let (composed, decomposed) = ("caf\u{e9}.png", "cafe\u{301}.png");
    assert_errors(
        &[
            (&format!("content/{composed}"), "png"),
            (&format!("content/{decomposed}"), "png"),
            ("content/a.md", &format!("{PAGE}![A chart]({composed})\n")),
            ("content/b.md", &format!("{PAGE}![A chart]({decomposed})\n")),
        ],
        &[(
            "content/a.md:4:1",
            &["Unicode normalisation", "on macOS they are one file"],
        )],
    );
}
