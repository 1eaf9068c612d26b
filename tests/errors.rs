//! Broken sites: every diagnostic is checked word for word (file, line, column, message and
//! help), builds exit non-zero, and a failed build leaves the previous output untouched.

mod common;

use common::*;

#[test]
fn broken_documents_are_all_reported_at_once() {
    assert_report("broken");
}

#[test]
fn broken_site_yaml_is_reported_with_every_problem() {
    assert_report("broken-config");
}

#[test]
fn template_syntax_error_points_at_the_template_line() {
    assert_report("broken-template");
}

#[test]
fn unknown_template_variable_points_at_the_template_line() {
    assert_report("unknown-variable");
}

#[test]
fn published_page_linking_to_a_draft_is_an_error_unless_drafts_are_built() {
    assert_report("draft-link");
    let site = scratch_copy(&fixture("draft-link"));
    let root = site.path().to_str().unwrap();
    let out = plainsight(&["build", "--root", root, "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        site.path()
            .join("public/press-releases/2024-03-01-embargoed/index.html")
            .is_file()
    );
}

/// A draft plan is not published, so a published document may not answer to it, report on
/// its commitments or link to it or its priorities, and a metric (whose page is always
/// published) may not serve it: one error per document, at the first place, with the others.
/// A draft may name it, and `--drafts` builds them all.
#[test]
fn published_pages_naming_a_draft_plan_are_an_error_once_each() {
    let report = assert_report("draft-plan");
    assert!(report.contains("\n2 errors in 2 files\n"), "{report}");
    let site = scratch_copy(&fixture("draft-plan"));
    let root = site.path().to_str().unwrap();
    let out = plainsight(&["build", "--root", root, "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let update = read(
        site.path()
            .join("public/reports/2024-06-01-update/index.html"),
    );
    assert!(update.contains(r#"href="/plans/next-plan/commitments/panels/""#));
}

/// A required text written empty (`""`, blank, `~` or nothing after the key) is reported as
/// empty where it is written, not as missing at the front matter's fence; an empty summary is
/// a warning, as a missing one is.
#[test]
fn empty_required_values_are_reported_where_they_are_written() {
    let report = assert_report("broken-empty");
    for needle in [
        "error: the title is empty\n  --> content/reports/2024-01-01-untitled.md:2:1\n  |\n2 | title:\n  | ^^^^^ give the document a title\n",
        "error: the title is empty\n  --> content/reports/2024-01-02-blank.md:2:8\n",
        "warning: the summary is empty\n  --> content/reports/2024-01-03-quoted.md:4:10\n  |\n4 | summary: \"\"  # one sentence: listings, feeds and search show it\n  |          ^^ say in one sentence what the document says: listings, feeds and search show it\n",
        "warning: the summary is empty\n  --> content/reports/2024-01-04-tilde.md:4:10\n",
        "warning: the summary is empty\n  --> content/about.md:3:10\n",
        "error: the correction's note is empty\n  --> content/reports/2024-01-01-untitled.md:8:11\n",
        "error: the owner is empty\n  --> content/plans/our-plan.md:5:8\n  |\n5 | owner: \"\"\n  |        ^^ say who is accountable for the plan\n",
        "error: the priority's title is empty\n  --> content/plans/our-plan.md:9:12\n",
        "error: the priority's summary is empty\n   --> content/plans/our-plan.md:10:14\n",
        "error: the commitment's text is empty\n   --> content/plans/our-plan.md:13:9\n",
        "error: the site's title is empty\n  --> content/site.yaml:1:8\n",
        "error: the source's title is empty\n  --> content/sources.yaml:2:10\n",
        "error: the source's publisher is empty\n  --> content/sources.yaml:3:14\n",
        "error: the metric's title is empty\n  --> content/metrics/trust.yaml:1:1\n",
        "\n11 errors, 3 warnings in 9 files\n",
    ] {
        assert!(report.contains(needle), "expected.txt lacks:\n{needle}");
    }
    assert!(!report.contains("has no summary"), "{report}");
    assert!(!report.contains("has no title"), "{report}");
}

/// Exact expectations for the most important messages, so the expected.txt files cannot drift
/// into accepting a wrong location unnoticed.
#[test]
fn key_errors_name_file_line_and_column() {
    let report = read(fixture("broken").join("expected.txt"));
    for needle in [
        "error: unknown front matter field `sumary`\n  --> content/press-releases/2024-01-01-misspelt.md:4:1",
        "| ^^^^^^ did you mean `summary`?",
        "error: the front matter is never closed\n  --> content/press-releases/2024-01-02-never-closed.md:1:1",
        "error: the file is empty\n  --> content/reports/empty.md:1:1",
        "error: the file is not valid UTF-8 (first bad byte at byte offset 14)\n  --> content/reports/latin1.md:2:11",
        "error: 2023-02-30 is not a real calendar date\n  --> content/reports/2024-01-04-bad-date.md:3:7",
        "error: footnote [^pas] is referenced but never defined\n  --> content/letters/2024-01-06-footnotes.md:5:70",
        "^^^^^^ add a definition: [^pas]: ...",
        "error: footnote [^unused] is defined but never referenced\n  --> content/letters/2024-01-06-footnotes.md:7:1",
        "error: image has no alt text\n  --> content/statements/2024-01-07-images.md:5:1",
        "error: image `missing.png`: there is no file content/statements/missing.png\n  --> content/statements/2024-01-07-images.md:7:1",
        "error: link to `../reports/nope.md`: there is no document content/reports/nope.md\n  --> content/statements/2024-01-08-links.md:5:1",
        "error: link to `../../../etc/passwd` points outside content/",
        "error: link to the draft content/statements/draft.md\n  --> content/statements/2024-01-08-links.md:6:5",
        "error: document id `same-id` is also used by content/reports/2024-01-10-one.md:4:5\n  --> content/statements/2024-01-11-two.md:4:5",
        "  --> content/reports/2024-01-10-one.md:4:5\n  |\n4 | id: same-id\n  |     ------- first used here",
        "error: two files would be written to /guide/: this document and content/guide/index.md",
        "error: unknown kind `leter`\n  --> content/letters/2024-01-05-bad-kind.md:3:7",
        "error: the document has no title\n  --> content/reports/2024-01-03-no-title.md:1:1",
        "error: invalid YAML in front matter: found unexpected end of stream, while scanning a quoted scalar\n  --> content/reports/2024-01-12-bad-yaml.md:4:10",
        "error: unknown front matter field `ned`\n  --> content/plans/2024-01-13-typo-plan.md:7:3",
        "|   ^^^ did you mean `end`?",
        "\n21 errors, 6 warnings in 17 files\n",
    ] {
        assert!(report.contains(needle), "expected.txt lacks:\n{needle}");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let good = scratch_copy(&fixture("footnotes"));
    let out_dir = good.path().join("public");
    let out_arg = out_dir.to_str().unwrap();
    let ok = plainsight(&[
        "build",
        "--root",
        good.path().to_str().unwrap(),
        "--output",
        out_arg,
    ]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let before = tree(&out_dir);
    assert!(before.len() > 3);

    // A broken site built into the same folder fails and changes nothing there.
    let broken = fixture("broken");
    let failed = plainsight(&[
        "build",
        "--root",
        broken.to_str().unwrap(),
        "--output",
        out_arg,
    ]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(stderr(&failed).ends_with(
        "21 errors, 6 warnings in 17 files\nBuild failed; the output folder was left as it was.\n"
    ));
    assert_eq!(tree(&out_dir), before);
    // ... and leaves no temporary folder behind.
    let leftovers: Vec<_> = std::fs::read_dir(good.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("plainsight"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn build_refuses_outputs_that_would_destroy_the_site_or_foreign_folders() {
    let site = scratch_copy(&fixture("footnotes"));
    let root = site.path();
    let r = root.to_str().unwrap();
    for (output, says) in [
        (root.to_path_buf(), "it is the site root"),
        (root.join("content"), "it is the content folder"),
        (root.join("themes"), "it is the themes folder"),
    ] {
        let out = plainsight(&["build", "--root", r, "--output", output.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
    }
    let foreign = root.join("docs");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "someone's work").unwrap();
    let out = plainsight(&["build", "--root", r, "--output", foreign.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("files that plainsight did not create"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read(foreign.join("notes.txt")), "someone's work");
    assert!(root.join("content/site.yaml").is_file());
}

#[test]
fn bom_and_windows_line_endings_are_accepted_and_lines_stay_right() {
    let dir = site_with(&[
        (
            "content/site.yaml",
            "title: T\r\nbase_url: https://example.org/\r\nlanguage: en-GB\r\n",
        ),
        (
            "content/reports/2024-01-01-ok.md",
            "\u{feff}---\r\ntitle: Fine\r\ndate: 2024-01-01\r\n---\r\nText.\r\n",
        ),
    ]);
    let content = dir.path().join("content/reports");
    let root = dir.path().to_str().unwrap();
    let ok = plainsight(&["check", "--root", root]);
    assert!(ok.status.success(), "{}", stderr(&ok));

    std::fs::write(
        content.join("2024-01-02-bad.md"),
        "---\r\ntitle: Bad\r\ndate: 2024-01-02\r\n---\r\n\r\nSee [x](nope.md).\r\n",
    )
    .unwrap();
    let bad = plainsight(&["check", "--root", root]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("--> content/reports/2024-01-02-bad.md:6:5"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn a_missing_site_yaml_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = plainsight(&["check", "--root", dir.path().to_str().unwrap()]);
    // A usage problem (exit 2), named before anything is read: tests/site_root.rs has the rest.
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: {} is not a site: there is no content/site.yaml in it\n  \
             = run it in a site's folder, or pass one with `--root DIR`; to start a site, `plainsight init DIR`\n",
            std::fs::canonicalize(dir.path()).unwrap().display()
        )
    );
}

#[test]
fn a_theme_named_in_site_yaml_must_exist() {
    let site = scratch_copy(&fixture("override"));
    let yaml = site.path().join("content/site.yaml");
    std::fs::write(&yaml, format!("{}theme: civic\n", read(&yaml))).unwrap();
    let out = plainsight(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .starts_with("error: theme `civic` not found: there is no folder themes/civic\n"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_accessibility_lint_reports_each_problem_at_its_place() {
    let report = assert_report("lint");
    for needle in [
        "warning: the document has no summary\n  --> content/reports/2024-01-01-lint.md:1:1",
        "warning: link text \"click here\" says nothing on its own\n  --> content/reports/2024-01-01-lint.md:5:13",
        "warning: link text is a bare URL\n  --> content/reports/2024-01-01-lint.md:5:47",
        "error: empty link\n  --> content/reports/2024-01-01-lint.md:6:4",
        "warning: alt text \"image\" does not describe the image\n  --> content/reports/2024-01-01-lint.md:8:1",
        "error: empty heading\n   --> content/reports/2024-01-01-lint.md:10:1",
        "error: a table without a header row\n   --> content/reports/2024-01-01-lint.md:12:1",
        "\n3 errors, 4 warnings in 1 file\n",
    ] {
        assert!(report.contains(needle), "expected.txt lacks:\n{needle}");
    }
}

#[test]
fn strict_turns_warnings_into_errors_and_the_demo_passes_it() {
    let site = site_with(&[
        (
            "content/reports/2024-01-01-r.md",
            "---\ntitle: R\ndate: 2024-01-01\n---\nSee [here](../about.md).\n",
        ),
        ("content/about.md", "---\ntitle: About\n---\nA.\n"),
    ]);
    let root = site.path().to_str().unwrap();
    let lenient = plainsight(&["check", "--root", root]);
    assert!(lenient.status.success(), "{}", stderr(&lenient));
    assert!(
        stderr(&lenient).contains("2 warnings in 1 file"),
        "{}",
        stderr(&lenient)
    );
    let strict = plainsight(&["build", "--root", root, "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        stderr(&strict).contains("error: link text \"here\" says nothing on its own"),
        "{}",
        stderr(&strict)
    );
    assert!(stderr(&strict).contains("2 errors in 1 file"));
    assert!(
        !site.path().join("public").exists(),
        "a strict build with warnings writes nothing"
    );

    let demo = plainsight(&["check", "--strict", "--root", env!("CARGO_MANIFEST_DIR")]);
    assert!(demo.status.success(), "{}", stderr(&demo));
}

#[test]
fn symbolic_links_out_of_the_site_folder_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "private").unwrap();
    std::fs::create_dir(outside.path().join("shared")).unwrap();
    std::fs::write(outside.path().join("shared/chart.png"), "png").unwrap();
    let site = site_with(&[
        (
            "content/reports/a.md",
            "---\ntitle: A\ndate: 2024-01-01\nsummary: A.\n---\n\nSee [the notes](notes.txt).\n",
        ),
        ("content/reports/b.txt", "inside"),
    ]);
    let reports = site.path().join("content/reports");
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), reports.join("notes.txt"))
        .unwrap();
    std::os::unix::fs::symlink(outside.path().join("shared"), reports.join("shared")).unwrap();
    // A link that stays inside the site is fine.
    std::os::unix::fs::symlink(reports.join("b.txt"), reports.join("c.txt")).unwrap();
    let out = plainsight(&["build", "--root", site.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for link in ["content/reports/notes.txt", "content/reports/shared"] {
        assert!(
            err.contains(&format!("error: {link} is a symbolic link to"))
                && err.contains("outside the site folder"),
            "{link}:\n{err}"
        );
    }
    assert!(!err.contains("c.txt"), "{err}");
    assert!(!site.path().join("public").exists(), "nothing is published");
}

/// Every rule of commitments and progress reports broken once (issue 22): unknown commitment,
/// plan, status and field; duplicate ids; dates out of range; metrics and targets; reports on
/// a page, twice, or before their plan; and `delivered` against the data, as a warning.
#[test]
fn broken_commitments_are_reported_word_for_word() {
    let report = assert_report("broken-commitments");
    for needle in [
        "error: plan `plan-a` has no commitment `comunity-monitoring`\n  --> content/reports/2023-01-10-unknown.md:6:17",
        "^^^^^^^^^^^^^^^^^^^^^^^^^^ did you mean `plan-a/community-monitoring`?",
        "error: unknown status `delyaed`\n  --> content/reports/2023-02-10-statuses.md:7:13",
        "error: commitment id `monitoring` is used twice in this plan\n   --> content/plans/plan-b.md:25:13",
        "error: a priority cannot have the id `commitments`\n   --> content/plans/plan-b.md:21:9",
        "warning: this statement says `community-monitoring` is delivered, but its target is 60% and the latest reading of `trust` by 2024-01-15 is 45% in December 2023\n  --> content/statements/2024-01-15-delivered.md:7:13",
        "\n22 errors, 1 warning in 9 files\n",
    ] {
        assert!(report.contains(needle), "expected.txt lacks:\n{needle}");
    }
}
