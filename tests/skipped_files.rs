//! Files the build would skip without a word: Markdown and YAML files in places it does not
//! read (`content/metrics/*.md`, `metrics/*.yml`, `metrics/sub/*.yaml`, `about.markdown`,
//! `site.yml`…) are each an error at the file saying where it belongs, all in one report; a
//! special file (named pipe, socket) anywhere under content/ is an error naming it, and is
//! never opened (a named pipe would hang the build). Other files stay assets: published only
//! when a document links to them.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// How long a `check` may take before it is taken to hang (a guard, not a timing goal: a
/// hang never ends).
const HANG: Duration = Duration::from_secs(60);

const METRIC: &str = "title: M\nunit: percent\nbetter: higher\nsource: pas\nseries:\n  - { period: 2021, value: 5 }\n";
const SOURCES: &str = "pas:\n  title: PAS\n  publisher: MOPAC\n  date: 2022-03-01\n";
const DOC: &str = "---\ntitle: About\n---\nAbout us.\n";

/// Run plainsight on `root`, killing it (and failing) if it hangs.
fn run(command: &str, root: &Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plainsight"))
        .args([command, "--root", root.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run plainsight");
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("plainsight {command} hangs on {}", root.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// `check` fails and reports, once each, every `(file, message, help)` at its file.
fn assert_errors_at_files(root: &Path, wanted: &[(&str, &str, &str)]) {
    let out = run("check", root);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for (file, message, help) in wanted {
        let at = format!("error: {message}\n  --> {file}:1:1\n");
        assert_eq!(
            err.matches(&at).count(),
            1,
            "wanted once:\n{at}\ngot:\n{err}"
        );
        let block = &err[err.find(&at).unwrap()..];
        let block = &block[..block.find("\n\n").unwrap_or(block.len())];
        assert!(
            block.contains(help),
            "{file}: wanted help `{help}` in:\n{block}"
        );
    }
    let n = wanted.len();
    let summary = format!(
        "{n} error{} in {n} file{}\n",
        if n == 1 { "" } else { "s" },
        if n == 1 { "" } else { "s" }
    );
    assert!(err.contains(&summary), "nothing else is reported: {err}");
}

#[test]
fn markdown_and_yaml_where_the_build_does_not_read_them_are_errors_at_the_file() {
    let cases = [
        (
            "content/metrics/notes.md",
            "Markdown documents under content/metrics/ are not read: the folder holds only metrics",
            "move it out of content/metrics/, e.g. to content/notes.md",
        ),
        (
            "content/metrics/budget.yml",
            "metric files are read only as content/metrics/*.yaml",
            "rename it to content/metrics/budget.yaml",
        ),
        (
            "content/metrics/crime.YAML",
            "metric files are read only as content/metrics/*.yaml",
            "rename it to content/metrics/crime.yaml",
        ),
        (
            "content/metrics/sub/knife.yaml",
            "metric files are read only directly in content/metrics/, not in folders under it",
            "move it to content/metrics/knife.yaml",
        ),
        (
            "content/metrics/sub/deeper/arrests.yml",
            "metric files are read only directly in content/metrics/, not in folders under it",
            "move it to content/metrics/arrests.yaml",
        ),
        (
            "content/metrics/chart.png",
            "content/metrics/ holds only metrics: this file is neither read nor published",
            "move it out of content/metrics/",
        ),
        (
            "content/about.markdown",
            "documents are read only from `.md` files",
            "rename it to about.md",
        ),
        (
            "content/reports/2024-01-01-a.MD",
            "documents are read only from `.md` files",
            "rename it to 2024-01-01-a.md",
        ),
        (
            "content/guides/intro.mdown",
            "documents are read only from `.md` files",
            "rename it to intro.md",
        ),
        (
            "content/sources.yml",
            "this file is not read: the name is spelt differently from the one the build reads",
            "rename it to content/sources.yaml",
        ),
        (
            "content/Site.yaml",
            "this file is not read: the name is spelt differently from the one the build reads",
            "rename it to content/site.yaml",
        ),
        (
            "content/settings.yaml",
            "YAML files directly in content/ are not read: only site.yaml and sources.yaml are",
            "put a metric in content/metrics/",
        ),
        (
            "content/reports/site.yml",
            "this file is not read: the build reads the site's settings only from the top of content/",
            "move it to content/site.yaml",
        ),
    ];
    let mut files = vec![
        ("content/sources.yaml", SOURCES),
        ("content/metrics/good.yaml", METRIC),
        ("content/reports/data.yaml", "a: 1\n"),
    ];
    files.extend(cases.iter().map(|(path, _, _)| (*path, DOC)));
    let site = site_with(&files);
    assert_errors_at_files(site.path(), &cases);

    // A file named `metrics` is not the metrics folder.
    let site = site_with(&[("content/metrics", METRIC)]);
    assert_errors_at_files(
        site.path(),
        &[(
            "content/metrics",
            "this file is not read: metrics are read from the folder content/metrics/",
            "make content/metrics a folder",
        )],
    );
}

#[test]
fn what_the_build_does_read_is_unchanged() {
    // Metrics directly in metrics/, .md documents anywhere, a YAML download in a folder
    // (published when linked), hidden files: no error.
    let site = site_with(&[
        ("content/sources.yaml", SOURCES),
        ("content/metrics/good.yaml", METRIC),
        ("content/metrics/.notes.md", "editor notes"),
        ("content/.drafts/x.markdown", "hidden"),
        (
            "content/about.md",
            "---\ntitle: About\n---\nSee [the data](reports/data.yaml).\n",
        ),
        ("content/reports/data.yaml", "a: 1\n"),
        ("content/reports/unlinked.yml", "b: 2\n"),
    ]);
    let out = run("build", site.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let public = site.path().join("public");
    assert!(
        public.join("reports/data.yaml").is_file(),
        "linked: published"
    );
    assert!(
        !public.join("reports/unlinked.yml").exists(),
        "unlinked: not"
    );
    assert!(public.join("metrics/good/index.html").is_file());
}

/// Make a named pipe at `path`.
fn mkfifo(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let made = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(made.success());
}

#[test]
fn special_files_are_errors_and_never_opened() {
    let site = site_with(&[
        ("content/sources.yaml", SOURCES),
        ("content/metrics/good.yaml", METRIC),
        ("content/guides/index.md", DOC),
    ]);
    let content = site.path().join("content");
    mkfifo(&content.join("about.md"));
    mkfifo(&content.join("metrics/pipe.yaml"));
    mkfifo(&content.join("reports/img/chart.png"));
    // A link (inside the site) to a named pipe is one too.
    std::os::unix::fs::symlink("../about.md", content.join("reports/linked.md")).unwrap();
    let _socket =
        std::os::unix::net::UnixListener::bind(content.join("reports/socket.md")).unwrap();
    let help = "replace it with a regular file, or remove it";
    assert_errors_at_files(
        site.path(),
        &[
            (
                "content/about.md",
                "content/about.md is a named pipe (FIFO), not a file: the build does not read it",
                help,
            ),
            (
                "content/metrics/pipe.yaml",
                "content/metrics/pipe.yaml is a named pipe (FIFO), not a file: the build does not read it",
                help,
            ),
            (
                "content/reports/img/chart.png",
                "content/reports/img/chart.png is a named pipe (FIFO), not a file: the build does not read it",
                help,
            ),
            (
                "content/reports/linked.md",
                "content/reports/linked.md is a named pipe (FIFO), not a file: the build does not read it",
                help,
            ),
            (
                "content/reports/socket.md",
                "content/reports/socket.md is a socket, not a file: the build does not read it",
                help,
            ),
        ],
    );
    let out = run("build", site.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!site.path().join("public").exists(), "nothing published");
}

#[test]
fn settings_files_that_are_named_pipes_are_errors_not_hangs() {
    for name in ["site.yaml", "sources.yaml"] {
        let site = site_with(&[("content/about.md", DOC)]);
        let path = site.path().join("content").join(name);
        let _ = std::fs::remove_file(&path);
        mkfifo(&path);
        let out = run("check", site.path());
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(
            err.contains(&format!(
                "error: content/{name} is a named pipe (FIFO), not a file: the build does not read it\n  --> content/{name}:1:1\n"
            )),
            "{err}"
        );
    }
}

#[test]
fn settings_and_metrics_beside_content_are_errors_at_the_file() {
    let site = site_with(&[
        ("content/about.md", DOC),
        ("sources.yml", SOURCES),
        ("metrics/budget.yaml", METRIC),
        ("metrics/sub/arrests.yml", METRIC),
        // Not a metric: the folder may hold what makes them.
        ("metrics/make.py", "print('x')\n"),
        ("README.md", "# The site\n"),
    ]);
    mkfifo(&site.path().join("metrics/pipe.yaml"));
    assert_errors_at_files(
        site.path(),
        &[
            (
                "sources.yml",
                "this file is not read: the build reads sources.yaml only in content/",
                "move it to content/sources.yaml",
            ),
            (
                "metrics/budget.yaml",
                "metrics are read only from content/metrics/, not from metrics/ beside content/",
                "move it to content/metrics/budget.yaml",
            ),
            (
                "metrics/pipe.yaml",
                "metrics/pipe.yaml is a named pipe (FIFO), not a file: the build does not read it",
                "replace it with a regular file, or remove it",
            ),
            (
                "metrics/sub/arrests.yml",
                "metrics are read only from content/metrics/, not from metrics/ beside content/",
                "move it to content/metrics/arrests.yaml",
            ),
        ],
    );
}
