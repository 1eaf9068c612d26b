//! Hostile and broken input: each bad input gets its message at its file:line:col and a
//! non-zero exit, never a panic or a hang; huge inputs build; titles with markup come out
//! escaped in every file; a killed build loses nothing; output is reproducible anywhere.
//! (The fixtures in tests/errors.rs cover the rest of the list: never-closed front matter, an
//! empty file, a non-UTF-8 file, BOM and CRLF, duplicate ids and URLs, impossible dates,
//! duplicate, unordered and non-number metric periods, template errors.)

mod common;

use std::io::Read;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;

const REPORT: &str = "content/reports/2024-01-01-a.md";

fn report(body: &str) -> String {
    format!("---\ntitle: A\ndate: 2024-01-01\nsummary: S.\n---\n{body}")
}

const METRIC_HEAD: &str = "title: M\nunit: percent\nbetter: higher\nsource: pas\nseries:\n";
const SOURCES: &str = "pas:\n  title: PAS\n  publisher: MOPAC\n  date: 2022-03-01\n";

/// `check` on a site made of `files` fails (exit 1, no panic) and its report has `message` at
/// `place` (file:line:col).
fn assert_error(files: &[(&str, &str)], message: &str, place: &str) {
    let site = site_with(files);
    let out = plainsight(&["check", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let wanted = format!("error: {message}\n  --> {place}\n");
    assert!(err.contains(&wanted), "wanted:\n{wanted}\ngot:\n{err}");
}

#[test]
fn malformed_yaml_is_located_in_every_kind_of_file() {
    assert_error(
        &[(
            "content/site.yaml",
            "title: T\nbase_url: https://example.org/\nlanguage: en-GB\n\tsearch: true\n",
        )],
        "invalid YAML in site.yaml: found a tab character that violates indentation, while scanning a plain scalar",
        "content/site.yaml:4:1",
    );
    assert_error(
        &[(
            "content/sources.yaml",
            "pas:\n  title: \"PAS\n  publisher: MOPAC\n",
        )],
        "invalid YAML in sources.yaml: found unexpected end of stream, while scanning a quoted scalar",
        "content/sources.yaml:2:10",
    );
    assert_error(
        &[
            ("content/sources.yaml", SOURCES),
            (
                "content/metrics/m.yaml",
                &format!("{METRIC_HEAD}  - period: 2020\n    value: 1\n   - period: 2021\n"),
            ),
        ],
        "invalid YAML in metric: did not find expected '-' indicator, while parsing a block collection",
        "content/metrics/m.yaml:8:4",
    );
    assert_error(
        &[(
            REPORT,
            "---\ntitle: A\ndate: 2024-01-01\nplans: [a, b\n---\nText.\n",
        )],
        "invalid YAML in front matter: did not find expected ',' or ']', while parsing a flow sequence",
        "content/reports/2024-01-01-a.md:4:8",
    );
}

/// Editors on Windows save a byte-order mark: every kind of file accepts it, and a problem on
/// its first line is still at column 1.
#[test]
fn a_byte_order_mark_is_accepted_in_every_yaml_file() {
    const BOM: &str = "\u{feff}";
    let site_yaml = format!("{BOM}title: T\nbase_url: https://example.org/\nlanguage: en-GB\n");
    let sources =
        format!("{BOM}{SOURCES}other:\n  title: Other\n  publisher: X\n  date: 2023-01-01\n");
    let metric = format!("{BOM}{METRIC_HEAD}  - {{ period: 2020, value: 51 }}\n");
    let doc = format!(
        "{BOM}---\ntitle: A\ndate: 2024-01-01\nsummary: S.\n---\n[51%](metric:m@2020), [PAS](source:pas), [other](source:other).\n"
    );
    let files = [
        ("content/site.yaml", site_yaml.as_str()),
        ("content/sources.yaml", sources.as_str()),
        ("content/metrics/m.yaml", metric.as_str()),
        (REPORT, doc.as_str()),
    ];
    let site = site_with(&files);
    let out = plainsight(&["check", "--strict", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));

    // Problems after the mark are where they are; on its line, the mark is not a column.
    let bad_sources = format!("{BOM}pas:\n  title: PAS\n  publisher: MOPAC\n  date: 2022-13-01\n");
    let mut with = files;
    with[1] = ("content/sources.yaml", bad_sources.as_str());
    assert_error(
        &with,
        "2022-13-01 is not a real calendar date",
        "content/sources.yaml:4:9",
    );
    let bad_site = format!("{BOM}titel: T\nbase_url: https://example.org/\nlanguage: en-GB\n");
    let mut with = files;
    with[0] = ("content/site.yaml", bad_site.as_str());
    let site = site_with(&with);
    let out = plainsight(&["check", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("--> content/site.yaml:1:1\n"), "{err}");
    assert!(err.contains("`titel`"), "{err}");
}

#[test]
fn metric_values_must_be_real_numbers() {
    for (value, line) in [(".nan", 7), (".inf", 7), ("-.inf", 7)] {
        assert_error(
            &[
                ("content/sources.yaml", SOURCES),
                (
                    "content/metrics/m.yaml",
                    &format!("{METRIC_HEAD}  - period: 2020\n    value: {value}\n"),
                ),
            ],
            "the value is not a number",
            &format!("content/metrics/m.yaml:{line}:12"),
        );
    }
}

#[test]
fn ids_and_paths_unsafe_in_a_url_are_refused() {
    for id in ["../../x", "a b", "<script>", "a/b", "é"] {
        assert_error(
            &[(
                REPORT,
                &format!("---\ntitle: A\ndate: 2024-01-01\nid: \"{id}\"\n---\nText.\n"),
            )],
            &format!("id `{id}` has characters that are unsafe in a URL"),
            "content/reports/2024-01-01-a.md:4:5",
        );
    }
    assert_error(
        &[("content/reports/my report.md", &report("Text.\n"))],
        "the path content/reports/my report.md has characters that are unsafe in a URL (`my report`)",
        "content/reports/my report.md:1:1",
    );
    assert_error(
        &[
            ("content/sources.yaml", SOURCES),
            (
                "content/metrics/m n.yaml",
                &format!("{METRIC_HEAD}  - period: 2020\n    value: 1\n"),
            ),
        ],
        "metric id `m n` has characters that are unsafe in a URL",
        "content/metrics/m n.yaml:1:1",
    );
    assert_error(
        &[(
            "content/sources.yaml",
            "\"../pas\":\n  title: PAS\n  publisher: MOPAC\n  date: 2022-03-01\n",
        )],
        "source id `../pas` has characters that are unsafe in a URL",
        "content/sources.yaml:1:1",
    );
}

#[test]
fn a_source_id_given_twice_is_an_error_not_the_last_one_winning() {
    assert_error(
        &[(
            "content/sources.yaml",
            &format!("{SOURCES}other:\n  title: O\n  publisher: P\n  date: 2022-01-01\n{SOURCES}"),
        )],
        "`pas` is given twice in sources.yaml",
        "content/sources.yaml:9:1",
    );
}

/// Two pages whose paths differ only in case are one file where many authors preview (macOS,
/// Windows): the second is refused, with the first named.
#[test]
fn paths_that_differ_only_in_case_are_refused() {
    let page = "---\ntitle: Guide\n---\nText.\n";
    assert_error(
        &[("content/Guide.md", page), ("content/guide.md", page)],
        "/guide/index.html differs from content/Guide.md's /Guide/index.html only in letter case: on macOS and Windows they are one file",
        "content/guide.md:1:1",
    );
    // A document against a page the build makes itself.
    assert_error(
        &[(REPORT, &report("Text.\n")), ("content/Reports.md", page)],
        "/Reports/index.html differs from the reports listing's /reports/index.html only in letter case: on macOS and Windows they are one file",
        "content/Reports.md:1:1",
    );
}

#[test]
fn links_that_climb_out_of_content_are_refused() {
    for (link, col) in [
        ("doc:../../etc/passwd", 1),
        ("../../../etc/passwd", 1),
        ("doc:reports/../../x", 1),
    ] {
        assert_error(
            &[(REPORT, &report(&format!("[x]({link})\n")))],
            &format!("link to `{link}` points outside content/"),
            &format!("content/reports/2024-01-01-a.md:6:{col}"),
        );
    }
}

#[test]
fn nesting_past_the_limit_is_an_error_not_a_stack_overflow() {
    let deep = 10_000;
    let quotes = format!("{}deep\n", "> ".repeat(deep));
    let lists = format!("{}deep\n", "- ".repeat(deep));
    let divs = format!("Text.\n\n{}\n", "<div>".repeat(deep));
    let message = "block quotes, lists and HTML elements are nested more than 100 levels deep here";
    assert_error(
        &[(REPORT, &report(&quotes))],
        message,
        "content/reports/2024-01-01-a.md:6:201",
    );
    assert_error(
        &[(REPORT, &report(&lists))],
        message,
        "content/reports/2024-01-01-a.md:6:201",
    );
    // At the tag that passes the limit.
    assert_error(
        &[(REPORT, &report(&divs))],
        message,
        "content/reports/2024-01-01-a.md:8:501",
    );
    // At the limit, it builds.
    let site = site_with(&[(REPORT, &report(&format!("{}deep\n", "> ".repeat(100))))]);
    let out = plainsight(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_symbolic_link_loop_is_reported_not_followed_forever() {
    let site = site_with(&[(REPORT, &report("Text.\n"))]);
    let reports = site.path().join("content/reports");
    std::os::unix::fs::symlink(&reports, reports.join("again")).unwrap();
    let started = Instant::now();
    let out = plainsight(&["check", "--root", site.path().to_str().unwrap()]);
    assert!(started.elapsed() < Duration::from_secs(60));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: symbolic link loop: content/reports/again points back to content/reports, which holds it\n")
            && err.contains("remove the link that points back to one of its parent folders"),
        "{err}"
    );

    // A link to nothing says so, once, by its path under content/.
    std::fs::remove_file(reports.join("again")).unwrap();
    std::os::unix::fs::symlink(site.path().join("gone"), reports.join("stale.md")).unwrap();
    let out = plainsight(&["check", "--root", site.path().to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(
            "error: content/reports/stale.md is a symbolic link to something that does not exist\n"
        ),
        "{err}"
    );
}

#[test]
fn a_five_megabyte_paragraph_and_a_fifty_thousand_line_document_build() {
    let paragraph = format!("{}the end.\n", "word ".repeat(1_000_000));
    assert!(paragraph.len() > 5_000_000);
    let long: String = (0..50_000)
        .map(|i| match i % 4 {
            0 => format!("## Part {i}\n"),
            1 | 2 => format!("Line {i} of a long document.\n"),
            _ => "\n".to_string(),
        })
        .collect();
    let site = site_with(&[
        ("content/reports/2024-01-01-wide.md", &report(&paragraph)),
        ("content/reports/2024-01-02-long.md", &report(&long)),
    ]);
    let out = plainsight(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let wide = page(&site, "reports/2024-01-01-wide");
    assert!(wide.contains("word word") && wide.contains("the end.</p>"));
    let long = page(&site, "reports/2024-01-02-long");
    assert!(long.contains("Line 49998 of a long document.") && long.contains("id=\"part-49996\""));
}

/// Thousands of problems in one file, or on one 1 MB line, give a report a person can read:
/// the first hundred of a file, each snippet a window of its line, then how many more.
#[test]
fn thousands_of_problems_and_very_long_lines_give_a_bounded_report() {
    let many = "[^x]\n".repeat(20_000);
    let wide = format!("{}\n", "[^x]".repeat(250_000));
    for (body, last_shown, hidden) in [(&many, "105:1", 19_900), (&wide, "6:397", 249_900)] {
        let site = site_with(&[(REPORT, &report(body))]);
        let out = plainsight(&["check", "--root", site.path().to_str().unwrap()]);
        let err = stderr(&out);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            &err[..err.len().min(2000)]
        );
        assert!(!err.contains("panicked"));
        assert_eq!(
            err.matches("error: footnote [^x] is referenced but never defined")
                .count(),
            100
        );
        assert!(
            err.contains(&format!("--> {REPORT}:{last_shown}\n")),
            "{}",
            &err[err.len() - 1500..]
        );
        let note = format!("note: {hidden} more problems in {REPORT} not shown");
        assert!(err.contains(&note), "{}", &err[err.len() - 500..]);
        assert!(err.len() < 40_000, "{} bytes of report", err.len());
    }
}

/// Every file a build wrote, gzip-compressed ones (the search index) uncompressed.
fn readable_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    tree(dir)
        .into_iter()
        .map(|(path, bytes)| {
            if bytes.starts_with(&[0x1f, 0x8b]) {
                let mut plain = Vec::new();
                flate2::read::GzDecoder::new(&bytes[..])
                    .read_to_end(&mut plain)
                    .unwrap();
                (path, plain)
            } else {
                (path, bytes)
            }
        })
        .collect()
}

#[test]
fn markup_in_titles_comes_out_escaped_in_every_file() {
    const EVIL: &str = "<script>alert(1)</script> & \"co\"";
    // Every field of every kind of file holds markup.
    let (site, _) = build_fixture("markup-titles");
    let files = readable_tree(&site.path().join("public"));
    let csv = files.iter().filter(|(p, _)| p.ends_with(".csv"));
    // CSV is the one plain-text format: it holds the note as written, and is served as text/csv.
    assert!(csv.count() == 1);
    // The search index holds text, not HTML: checked below as JSON, and shown by search.js with
    // text nodes only (tests/browser/search.mjs runs a search on this site).
    let published = files
        .iter()
        .filter(|(p, _)| !p.ends_with(".csv") && !p.starts_with("pagefind/"));
    for (path, bytes) in published {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("<script>alert"), "{path} has raw markup");
    }
    let text = |suffix: &str| {
        files
            .iter()
            .find(|(p, _)| p.ends_with(suffix))
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_else(|| panic!("no {suffix}"))
    };
    // Escaped, not dropped: readers see exactly the title that was written.
    let html = text("reports/2024-01-01-a/index.html");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;"));
    let feed = text("feed.xml");
    let feed = roxmltree::Document::parse(&feed).unwrap();
    assert!(
        feed.descendants()
            .any(|n| n.has_tag_name("title") && n.text() == Some(EVIL))
    );
    let json: serde_json::Value = serde_json::from_str(&text("metrics/m/data.json")).unwrap();
    assert_eq!(json["title"], EVIL);
    assert!(text("metrics/m/data.json").contains("\\u003cscript\\u003e"));
    let fragments: Vec<_> = files
        .iter()
        .filter(|(p, _)| p.contains("pagefind/fragment/"))
        .collect();
    assert!(!fragments.is_empty());
    for (path, bytes) in fragments {
        let json = bytes
            .strip_prefix(b"pagefind_dcd")
            .expect("a Pagefind fragment");
        let fragment: serde_json::Value = serde_json::from_slice(json).unwrap();
        assert_eq!(fragment["meta"]["title"], EVIL, "{path}");
    }
}

/// A site of `n` reports, big enough that a debug build takes a while.
fn many_reports(n: usize, marker: &str) -> Vec<(String, String)> {
    (0..n)
        .map(|i| {
            let body: String = (0..20)
                .map(|p| format!("Paragraph {p} of report {i}, {marker}, with *emphasis* and a [link](https://example.com/{p}).\n\n"))
                .collect();
            (
                format!("content/reports/2024-01-01-r{i}.md"),
                format!("---\ntitle: Report {i}\ndate: 2024-01-01\nsummary: Report {i}.\n---\n{body}"),
            )
        })
        .collect()
}

fn write_files(root: &Path, files: &[(String, String)]) {
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

#[test]
fn a_build_killed_halfway_leaves_the_previous_output_and_no_temporary_folder() {
    let site = site_with(&[]);
    let root = site.path();
    write_files(root, &many_reports(1500, "first"));
    let first = plainsight(&["build", "--root", root.to_str().unwrap()]);
    assert!(first.status.success(), "{}", stderr(&first));
    let public = root.join("public");
    let before = tree(&public);

    write_files(root, &many_reports(1500, "second"));
    let temp = root.join(".public.plainsight-tmp");
    let mut child = Command::new(env!("CARGO_BIN_EXE_plainsight"))
        .args(["build", "--root", root.to_str().unwrap()])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the new site is being written, then kill the build outright.
    let deadline = Instant::now() + Duration::from_secs(120);
    while !temp.join("reports").is_dir() {
        assert!(Instant::now() < deadline, "the build never started writing");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build ended too soon"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL: no destructor, no clean-up runs.
    child.wait().unwrap();
    assert!(
        temp.is_dir(),
        "the killed build was writing to the temporary folder"
    );
    assert!(tree(&public) == before, "the published output changed");

    let again = plainsight(&["build", "--root", root.to_str().unwrap()]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(!temp.exists() && !root.join(".public.plainsight-old").exists());
    assert!(read(public.join("reports/2024-01-01-r7/index.html")).contains("second"));
}

/// Every path (and file's bytes) under `dir`, except under `skip`.
fn listing(dir: &Path, skip: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.path() != skip)
        .map(|e| e.unwrap())
        .map(|e| {
            let bytes = if e.file_type().is_file() {
                std::fs::read(e.path()).unwrap()
            } else {
                Vec::new()
            };
            (e.path().display().to_string(), bytes)
        })
        .collect();
    all.sort();
    all
}

#[test]
fn nothing_is_written_outside_the_output_folder() {
    let sandbox = tempfile::tempdir().unwrap();
    let root = sandbox.path().join("site");
    let hostile = report(
        "[a](../../../../escape.md) [b](doc:../../escape) [c](/../../escape) <a href=\"../../../x\">d</a>\n",
    );
    let files = [
        (
            "content/site.yaml".to_string(),
            "title: T\nbase_url: https://example.org/\nlanguage: en-GB\nsearch: true\n".to_string(),
        ),
        (REPORT.to_string(), hostile),
        (
            "content/reports/2024-01-02-b.md".to_string(),
            "---\ntitle: B\ndate: 2024-01-02\nid: \"../../../escape\"\n---\nB.\n".to_string(),
        ),
        (
            "content/reports/2024-01-03-c.md".to_string(),
            report("Fine.\n"),
        ),
    ];
    write_files(&root, &files);
    let public = root.join("public");
    let before = listing(sandbox.path(), &public);
    let out = plainsight(&["build", "--root", root.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(listing(sandbox.path(), &public) == before);
    assert!(!public.exists());

    // With the hostile parts gone the build writes, and only into public/.
    write_files(&root, &[(REPORT.to_string(), report("[c](/reports/)\n"))]);
    std::fs::remove_file(root.join("content/reports/2024-01-02-b.md")).unwrap();
    let before = listing(sandbox.path(), &public);
    let out = plainsight(&["build", "--root", root.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(listing(sandbox.path(), &public) == before);
    assert!(public.join("reports/2024-01-03-c/index.html").is_file());
}

#[test]
fn two_builds_in_different_folders_at_different_times_are_byte_identical() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let a = scratch_copy(demo);
    let b_parent = tempfile::tempdir().unwrap();
    let b = b_parent.path().join("a-longer-folder-name/site");
    std::fs::create_dir_all(&b).unwrap();
    for (rel, bytes) in tree(a.path()) {
        let path = b.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let run = |root: &Path, tz: &str, threads: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_plainsight"))
            .args(["build", "--root", root.to_str().unwrap()])
            .env("TZ", tz)
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        tree(&root.join("public"))
    };
    let first = run(a.path(), "UTC", "1");
    // Later, elsewhere, in another time zone, with the files written anew (new mtimes).
    std::thread::sleep(Duration::from_millis(1100));
    let second = run(&b, "Pacific/Kiritimati", "2");
    assert_eq!(
        first.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        second.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    for ((path, x), (_, y)) in first.iter().zip(&second) {
        assert!(x == y, "{path} differs between the two builds");
    }
    let folders = [a.path().to_str().unwrap(), b.to_str().unwrap(), "/tmp/"];
    for (path, bytes) in &first {
        let text = String::from_utf8_lossy(bytes);
        for folder in folders {
            assert!(!text.contains(folder), "{path} names the folder {folder}");
        }
    }
}
