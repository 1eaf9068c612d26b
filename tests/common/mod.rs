//! Helpers shared by the integration tests: fixture sites copied to a scratch folder, the
//! binary run on them, and the output read back.

#![allow(dead_code)]

pub mod atom;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Copy a fixture (or the demo site, with `name` = "") into a fresh scratch folder, so builds
/// never write into the repository.
pub fn scratch_copy(src: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in walkdir::WalkDir::new(src)
        .into_iter()
        .map(|e| e.expect("walk fixture"))
    {
        let rel = entry.path().strip_prefix(src).unwrap();
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        if !matches!(first.as_deref(), None | Some("content") | Some("themes")) {
            continue;
        }
        let dest = dir.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
    dir
}

/// A scratch site made of `(path, text)` files; `content/site.yaml` is added unless given.
pub fn site_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut all: Vec<(&str, &str)> = files.to_vec();
    if !files.iter().any(|(p, _)| *p == "content/site.yaml") {
        all.push((
            "content/site.yaml",
            "title: Scratch\nbase_url: https://example.org/\nlanguage: en-GB\n",
        ));
    }
    for (path, text) in all {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Copy a fixture to a scratch folder and build it into its `public/`; returns the build's
/// report (stderr) with the folder.
pub fn build_fixture(name: &str) -> (tempfile::TempDir, String) {
    let site = scratch_copy(&fixture(name));
    let out = plainsight(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    (site, stderr(&out))
}

/// A built page by its URL path under the output folder (`""` is the home page).
pub fn page(site: &tempfile::TempDir, path: &str) -> String {
    read(site.path().join("public").join(path).join("index.html"))
}

pub fn plainsight(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plainsight"))
        .args(args)
        .output()
        .expect("run plainsight")
}

/// Run `check` on a broken fixture, assert it fails with exactly the fixture's expected.txt
/// (every message, file, line and column), and return that report.
pub fn assert_report(name: &str) -> String {
    let root = fixture(name);
    let out = plainsight(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "check must fail on {name}:\n{}",
        stderr(&out)
    );
    let expected = read(root.join("expected.txt"));
    let actual = stderr(&out);
    assert!(
        actual == expected,
        "report for {name} differs from tests/fixtures/{name}/expected.txt\n--- actual ---\n{actual}"
    );
    expected
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn read(path: impl AsRef<Path>) -> String {
    let path = path.as_ref();
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The `<main>` element of a page: what snapshots compare, so a header change does not
/// rewrite every snapshot.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has <main>");
    let end = html.find("</main>").expect("page closes </main>") + "</main>".len();
    &html[start..end]
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// The one fingerprinted, minified copy of `static/<stem>.css` in a build's output, by its name
/// (e.g. `style.0a1b2c3d4e5f.css`).
#[allow(dead_code)]
pub fn stylesheet(public: &Path, stem: &str) -> String {
    let names: Vec<String> = std::fs::read_dir(public.join("static"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.strip_prefix(&format!("{stem}."))
                .and_then(|rest| rest.strip_suffix(".css"))
                .is_some_and(|hash| hash.len() == 12 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        })
        .collect();
    assert_eq!(
        names.len(),
        1,
        "expected one fingerprinted {stem}.css, found {names:?}"
    );
    names.into_iter().next().unwrap()
}
