//! Every command that reads a site (`build`, `check`, `serve`, `new`) run outside one gives the
//! same diagnosis, word for word, with exit code 2, before touching anything: it names the
//! folder it looked in, finds the site when the folder is inside one (its content/ folder, a
//! subfolder of it), and says what to do. `serve` exits instead of serving an error page.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// The commands that read a site, each with the arguments it needs besides `--root`.
const COMMANDS: &[&[&str]] = &[
    &["build"],
    &["check"],
    &["check", "--strict"],
    &["serve", "--port", "0"],
    &["new", "report", "A report"],
];

/// Run `args` in the folder `cwd`, stopping it after a minute (a `serve` that started serving
/// instead of exiting fails the test rather than hanging it).
fn run_in(cwd: &Path, args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plainsight"))
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run plainsight");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{args:?} in {} did not exit", cwd.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Every command run in `cwd` (with `root` as `--root` when given) exits 2 saying `expected`,
/// and leaves the folders as they were.
fn every_command_says(cwd: &Path, root: Option<&Path>, expected: &str) {
    let before = listing(cwd);
    for command in COMMANDS {
        let mut args = command.to_vec();
        if let Some(root) = root {
            args.extend(["--root", root.to_str().unwrap()]);
        }
        let out = run_in(cwd, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), expected, "{args:?}");
    }
    assert_eq!(listing(cwd), before, "a command wrote something");
}

/// Every path under `dir`, sorted.
fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .collect();
    all.sort();
    all
}

fn real(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

#[test]
fn an_empty_folder_is_not_a_site() {
    let dir = tempfile::tempdir().unwrap();
    let expected = format!(
        "error: {} is not a site: there is no content/site.yaml in it\n  \
         = run it in a site's folder, or pass one with `--root DIR`; to start a site, `plainsight init DIR`\n",
        real(dir.path())
    );
    every_command_says(dir.path(), None, &expected);
    // Named with --root from elsewhere, it is the same diagnosis.
    let elsewhere = tempfile::tempdir().unwrap();
    every_command_says(elsewhere.path(), Some(dir.path()), &expected);
}

#[test]
fn inside_content_the_site_is_one_cd_away() {
    let site = scratch_copy(&fixture("footnotes"));
    let root = real(site.path());
    let content = site.path().join("content");
    every_command_says(
        &content,
        None,
        &format!(
            "error: {root}/content is not a site: it is the content/ folder of the site {root}\n  \
             = run it from the site's folder (`cd ..`), or pass `--root {root}`\n"
        ),
    );
    let reports = content.join("reports");
    std::fs::create_dir_all(&reports).unwrap();
    every_command_says(
        &reports,
        None,
        &format!(
            "error: {root}/content/reports is not a site: it is inside the content/ folder of the site {root}\n  \
             = run it from the site's folder (`cd ../..`), or pass `--root {root}`\n"
        ),
    );
    // Given as --root, the folder is not where the user is: only another --root helps.
    let elsewhere = tempfile::tempdir().unwrap();
    every_command_says(
        elsewhere.path(),
        Some(&reports),
        &format!(
            "error: {root}/content/reports is not a site: it is inside the content/ folder of the site {root}\n  \
             = pass the site's folder: `--root {root}`\n"
        ),
    );
    // Elsewhere inside the site, the same.
    let themes = site.path().join("themes/mine");
    std::fs::create_dir_all(&themes).unwrap();
    every_command_says(
        &themes,
        None,
        &format!(
            "error: {root}/themes/mine is not a site: it is inside the site {root}\n  \
             = run it from the site's folder (`cd ../..`), or pass `--root {root}`\n"
        ),
    );
}

#[test]
fn a_content_folder_without_site_yaml_is_named_as_such() {
    let site = scratch_copy(&fixture("footnotes"));
    std::fs::remove_file(site.path().join("content/site.yaml")).unwrap();
    let expected = format!(
        "error: {} has a content/ folder but no content/site.yaml, the settings every site needs\n  \
         = write content/site.yaml with at least `title`, `base_url` and `language` (see \
         docs/content-model.md#contentsiteyaml), or start a new site with `plainsight init DIR`, which writes one\n",
        real(site.path())
    );
    every_command_says(site.path(), None, &expected);
    // The section it names exists.
    let docs = read(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/content-model.md"));
    assert!(docs.contains("\n## `content/site.yaml`\n"));
    // From its content/ folder, the way to the site is shown first.
    let root = real(site.path());
    let inside = run_in(&site.path().join("content"), &["check"]);
    assert_eq!(inside.status.code(), Some(2));
    assert_eq!(
        stderr(&inside),
        format!(
            "error: {root}/content is not a site: it is the content/ folder of the site {root}\n  \
             = run it from the site's folder (`cd ..`), or pass `--root {root}`\n"
        )
    );
}

/// The README's smallest site.yaml is a site that passes `check --strict`, as it says.
#[test]
fn the_readme_s_smallest_site_yaml_passes_check_strict() {
    let readme = read(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"));
    let after = readme
        .split_once("the smallest\nthat builds (and passes `check --strict`) is:\n\n```yaml\n")
        .expect("the README shows the smallest site.yaml")
        .1;
    let yaml = after.split_once("```").unwrap().0;
    let site = site_with(&[("content/site.yaml", yaml)]);
    let out = plainsight(&["check", "--strict", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
}
