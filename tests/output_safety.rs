//! The output folder is never lost or mixed: two builds into one output take turns, a kill at
//! any point of the swap leaves one whole site, a full disk is one error (exit 2) that leaves the
//! previous site as it was; and odd `--root`, `--output` and `--jobs` values are refused plainly.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use common::{plainsight, site_with, stderr, tree};

const BIN: &str = env!("CARGO_BIN_EXE_plainsight");

/// A small site whose pages say `name`, with `pages` reports of about 10 KB each.
fn site(name: &str, pages: usize) -> tempfile::TempDir {
    let body = format!("{name} publishes this report. ").repeat(300);
    let docs: Vec<(String, String)> = (0..pages)
        .map(|i| {
            (
                format!("content/reports/2024-01-{:02}-{name}-{i}.md", i % 28 + 1),
                format!(
                    "---\ntitle: {name} report {i}\ndate: 2024-01-{:02}\nsummary: About {name}.\n---\n{body}\n",
                    i % 28 + 1
                ),
            )
        })
        .collect();
    let yaml = format!("title: {name}\nbase_url: https://example.org/\nlanguage: en-GB\n");
    let mut files: Vec<(&str, &str)> = docs.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    files.push(("content/site.yaml", &yaml));
    site_with(&files)
}

fn build(root: &Path, output: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(["build", "--root", root.to_str().unwrap(), "--output"])
        .arg(output)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// Wait for a child, killing it and failing the test if it has not finished in `limit` (a
/// guard against a hang, not a timing goal).
fn finish(mut child: Child, limit: Duration, what: &str) -> Output {
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().expect("wait");
            panic!("{what} did not finish in {limit:?}: {}", stderr(&out));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("wait")
}

/// The file names beside the output that a build leaves (temporary folders, the lock).
fn leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("plainsight"))
        .collect()
}

/// What each site builds to on its own.
fn reference(site: &tempfile::TempDir) -> Vec<(String, Vec<u8>)> {
    let out = site.path().join("alone");
    let done = build(site.path(), &out).output().unwrap();
    assert!(done.status.success(), "{}", stderr(&done));
    tree(&out)
}

#[test]
fn two_builds_into_one_output_leave_exactly_one_whole_site() {
    let (a, b) = (site("Alpha", 12), site("Bravo", 12));
    let (tree_a, tree_b) = (reference(&a), reference(&b));
    assert_ne!(tree_a, tree_b);
    let shared = tempfile::tempdir().unwrap();
    let out = shared.path().join("public");
    for round in 0..30 {
        let first = build(a.path(), &out).spawn().unwrap();
        let second = build(b.path(), &out).spawn().unwrap();
        let done_a = finish(first, Duration::from_secs(120), "build A");
        let done_b = finish(second, Duration::from_secs(120), "build B");
        // Each waits its turn, so both succeed, and say so only if their site was published.
        for done in [&done_a, &done_b] {
            assert_eq!(
                done.status.code(),
                Some(0),
                "round {round}: {}",
                stderr(done)
            );
        }
        assert!(out.is_dir(), "round {round}: no output folder at all");
        let now = tree(&out);
        assert!(
            now == tree_a || now == tree_b,
            "round {round}: the output is neither site whole ({} files; A has {}, B {})",
            now.len(),
            tree_a.len(),
            tree_b.len()
        );
        assert_eq!(
            leftovers(shared.path()),
            Vec::<String>::new(),
            "round {round}"
        );
    }
}

/// The test hooks are compiled into debug builds only.
#[cfg(debug_assertions)]
#[test]
fn a_second_build_waits_for_the_first_and_says_so() {
    let (a, b) = (site("Alpha", 2), site("Bravo", 2));
    let tree_b = reference(&b);
    let shared = tempfile::tempdir().unwrap();
    let out = shared.path().join("public");
    let flag = shared.path().join("holding");
    let first = build(a.path(), &out)
        .env("PLAINSIGHT_TEST_HOLD", &flag)
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !flag.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the first build never took the lock"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut second = build(b.path(), &out).spawn().unwrap();
    let mut says = String::new();
    BufReader::new(second.stderr.as_mut().unwrap())
        .read_line(&mut says)
        .unwrap();
    assert_eq!(
        says,
        format!(
            "Waiting for another build of {} to finish...\n",
            out.display()
        )
    );
    std::fs::remove_file(&flag).unwrap();
    let done_a = finish(first, Duration::from_secs(120), "the first build");
    let done_b = finish(second, Duration::from_secs(120), "the second build");
    assert!(done_a.status.success(), "{}", stderr(&done_a));
    assert!(done_b.status.success(), "{}", stderr(&done_b));
    // The second went after the first: its site is the one published.
    assert_eq!(tree(&out), tree_b);
    assert_eq!(leftovers(shared.path()), Vec::<String>::new());
}

#[cfg(unix)]
fn killed(status: ExitStatus) -> bool {
    use std::os::unix::process::ExitStatusExt;
    status.signal() == Some(6)
}

#[cfg(not(unix))]
fn killed(status: ExitStatus) -> bool {
    !status.success()
}

/// A build aborted (as by a kill) at each point of the swap: the output folder is there and is
/// one whole site, the old or the new, and the next build cleans up after it.
#[cfg(debug_assertions)]
#[test]
fn a_build_killed_at_any_point_of_the_swap_leaves_a_whole_site() {
    let (a, b) = (site("Alpha", 3), site("Bravo", 3));
    let (tree_a, tree_b) = (reference(&a), reference(&b));
    for (point, expected) in [("before-swap", &tree_a), ("after-exchange", &tree_b)] {
        let shared = tempfile::tempdir().unwrap();
        let out = shared.path().join("public");
        assert!(build(a.path(), &out).status().unwrap().success());
        let cut = build(b.path(), &out)
            .env("PLAINSIGHT_TEST_ABORT", point)
            .output()
            .unwrap();
        assert!(killed(cut.status), "{point}: not killed: {}", stderr(&cut));
        assert!(out.is_dir(), "{point}: no output folder");
        assert!(tree(&out) == *expected, "{point}: not the expected site");
        let again = build(b.path(), &out).output().unwrap();
        assert!(again.status.success(), "{}", stderr(&again));
        assert_eq!(tree(&out), tree_b);
        assert_eq!(leftovers(shared.path()), Vec::<String>::new(), "{point}");
    }
}

/// Where the file system cannot exchange two folders, the swap is two renames; a kill between
/// them (the window the README documents) is repaired by the next build, even one that fails.
#[cfg(debug_assertions)]
#[test]
fn without_an_atomic_exchange_a_swap_cut_short_is_repaired() {
    let (a, b) = (site("Alpha", 3), site("Bravo", 3));
    let (tree_a, tree_b) = (reference(&a), reference(&b));
    let shared = tempfile::tempdir().unwrap();
    let out = shared.path().join("public");
    assert!(build(a.path(), &out).status().unwrap().success());
    let cut = build(b.path(), &out)
        .env("PLAINSIGHT_TEST_NO_EXCHANGE", "1")
        .env("PLAINSIGHT_TEST_ABORT", "between-renames")
        .output()
        .unwrap();
    assert!(killed(cut.status), "not killed: {}", stderr(&cut));
    assert!(!out.exists(), "the two renames were not used");
    let broken = build(&common::fixture("broken"), &out).output().unwrap();
    assert_eq!(broken.status.code(), Some(1), "{}", stderr(&broken));
    assert!(tree(&out) == tree_a, "the old site was not put back");
    let fallback = build(b.path(), &out)
        .env("PLAINSIGHT_TEST_NO_EXCHANGE", "1")
        .output()
        .unwrap();
    assert!(fallback.status.success(), "{}", stderr(&fallback));
    assert!(tree(&out) == tree_b);
    assert_eq!(leftovers(shared.path()), Vec::<String>::new());
}

/// A full disk, simulated by a file size limit (writes past it fail with EFBIG, SIGXFSZ being
/// ignored): one error naming the file and the cause, exit 2, the previous site untouched.
#[cfg(unix)]
#[test]
fn a_full_disk_is_one_error_and_leaves_the_previous_site() {
    let site = site("Alpha", 40);
    let shared = tempfile::tempdir().unwrap();
    let out = shared.path().join("public");
    assert!(build(site.path(), &out).status().unwrap().success());
    let before = tree(&out);
    // Make the next build differ, so an untouched output is not the same as a rebuilt one.
    let extra = site.path().join("content/reports/2024-02-01-new.md");
    std::fs::write(
        &extra,
        "---\ntitle: New\ndate: 2024-02-01\nsummary: New.\n---\nNew.\n",
    )
    .unwrap();
    let limited = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 8 && exec \"$0\" \"$@\"")
        .arg(BIN)
        .args(["build", "--root", site.path().to_str().unwrap(), "--output"])
        .arg(&out)
        .output()
        .unwrap();
    let err = stderr(&limited);
    assert_eq!(limited.status.code(), Some(2), "{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert!(errors[0].contains("File too large"), "{err}");
    assert!(errors[0].contains(".public.plainsight-tmp"), "{err}");
    assert!(
        err.ends_with("Build failed; the output folder was left as it was.\n"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(tree(&out) == before, "the previous site changed");
    assert_eq!(leftovers(shared.path()), Vec::<String>::new());
}

#[test]
fn jobs_beyond_four_per_core_are_refused() {
    let site = site("Alpha", 1);
    let root = site.path().to_str().unwrap();
    for command in ["check", "build"] {
        let child = Command::new(BIN)
            .args([command, "--root", root, "--jobs", "65535"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = finish(child, Duration::from_secs(120), "--jobs 65535");
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains("65535 threads is outside 1 to ") && err.contains("at most 4 per core"),
            "{err}"
        );
    }
    let help = plainsight(&["build", "--help"]);
    assert!(
        String::from_utf8_lossy(&help.stdout).contains("at most four per core"),
        "--help does not say the limit"
    );
    let one = plainsight(&["check", "--root", root, "--jobs", "1"]);
    assert!(one.status.success(), "{}", stderr(&one));
}

#[test]
fn a_root_that_is_not_a_folder_is_refused_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.md");
    std::fs::write(&file, "# Notes\n").unwrap();
    let missing = dir.path().join("no-such-site");
    for command in ["build", "check", "serve"] {
        for (root, says) in [
            (&file, format!("{} is a file", file.display())),
            (&missing, format!("there is no {}", missing.display())),
        ] {
            let mut args = vec![command, "--root", root.to_str().unwrap()];
            if command == "serve" {
                args.extend(["--port", "0"]);
            }
            let child = Command::new(BIN)
                .args(&args)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let out = finish(child, Duration::from_secs(60), command);
            assert_eq!(out.status.code(), Some(2), "{command}: {}", stderr(&out));
            assert_eq!(
                stderr(&out),
                format!("error: --root must be a site folder (with content/site.yaml); {says}\n"),
                "{command}"
            );
        }
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "it wrote beside the file"
    );
}

#[test]
fn an_output_inside_a_file_is_refused_plainly() {
    let site = site("Alpha", 1);
    let file = site.path().join("notes.md");
    std::fs::write(&file, "# Notes\n").unwrap();
    let out = build(site.path(), &file.join("public")).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with(&format!(
            "error: refusing to write the site to {}: {} is a file, so there can be no folder in it\n",
            file.join("public").display(),
            file.display()
        )),
        "{err}"
    );
    assert!(!err.contains("plainsight-tmp"), "{err}");
}
