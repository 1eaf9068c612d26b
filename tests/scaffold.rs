//! A new user's first minutes: `init` makes a site that builds, `new` adds documents and
//! metrics with their front matter filled in, and neither ever overwrites a file.

mod common;

use common::*;

#[test]
fn init_then_new_then_build_then_check() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let root = dir.to_str().unwrap();
    let out = plainsight(&["init", root]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = String::from_utf8_lossy(&out.stdout);
    for file in [
        "content/site.yaml",
        "content/sources.yaml",
        "content/metrics/residents-who-trust-us.yaml",
    ] {
        assert!(listed.contains(file), "{listed}");
        assert!(dir.join(file).is_file(), "{file}");
    }
    assert!(listed.contains("Next: plainsight serve --root"), "{listed}");
    // What the build writes beside the content is kept out of version control.
    assert_eq!(
        std::fs::read_to_string(dir.join(".gitignore")).unwrap(),
        "/public/\n/.plainsight/\n"
    );

    // The starter site passes the strict check: no errors, no warnings.
    let check = plainsight(&["check", "--strict", "--root", root]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(
        stderr(&check).contains("1 plan, 2 priorities, 1 source, 1 metric"),
        "{}",
        stderr(&check)
    );

    let plan = std::fs::read_dir(dir.join("content/plans"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .next()
        .unwrap()
        .trim_end_matches(".md")
        .to_string();
    for (kind, title, file) in [
        (
            "press-release",
            "Streets: what we did in May",
            "content/press-releases/2026-06-01-streets-what-we-did-in-may.md",
        ),
        (
            "report",
            "Annual report",
            "content/reports/2026-06-01-annual-report.md",
        ),
        (
            "letter",
            "To the committee",
            "content/letters/2026-06-01-to-the-committee.md",
        ),
        (
            "statement",
            "On the budget",
            "content/statements/2026-06-01-on-the-budget.md",
        ),
        ("plan", "Housing plan", "content/plans/housing-plan.md"),
        ("page", "About us", "content/about-us.md"),
    ] {
        let made = plainsight(&["new", kind, title, "--root", root, "--date", "2026-06-01"]);
        assert!(made.status.success(), "{kind}: {}", stderr(&made));
        let text = read(dir.join(file));
        assert!(
            text.starts_with(&format!("---\ntitle: \"{title}\"\n")),
            "{text}"
        );
        if kind != "page" {
            assert!(text.contains("date: 2026-06-01\n"), "{text}");
        }
        // A new document names the site's own plan and priorities, ready to uncomment; a new
        // plan's owner is the site's publisher.
        if kind == "report" {
            assert_eq!(
                text,
                format!(
                    "---\ntitle: \"Annual report\"\ndate: 2026-06-01\n\
                     summary: \"\"  # one sentence: listings, feeds and search show it\n\
                     # The plans and priorities it answers to, from this site's:\n\
                     # plans: [{plan}]\n\
                     # priorities: [{plan}/safer-streets, {plan}/trust]\n---\n\nWrite here.\n"
                )
            );
        }
        if kind == "plan" {
            assert!(
                text.contains("\nowner: \"Our organisation\"  # who is answerable for the plan\n"),
                "{text}"
            );
        }
        // Never overwrites.
        let again = plainsight(&["new", kind, title, "--root", root, "--date", "2026-06-01"]);
        assert_eq!(again.status.code(), Some(2));
        assert!(stderr(&again).contains("already exists; plainsight never overwrites a file"));
    }

    let build = plainsight(&["build", "--root", root]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(
        dir.join("public/press-releases/2026-06-01-streets-what-we-did-in-may/index.html")
            .is_file()
    );
    assert!(
        dir.join("public/plans/housing-plan/first-priority/index.html")
            .is_file()
    );
    // Found: feeds, a sitemap, and search.
    for file in [
        "feed.xml",
        "press-releases/feed.xml",
        "sitemap.xml",
        "robots.txt",
    ] {
        assert!(dir.join("public").join(file).is_file(), "{file}");
    }
    assert!(dir.join("public/search/index.html").is_file());
    assert!(dir.join("public/pagefind/pagefind-entry.json").is_file());
    // New documents' empty summaries are pointed out where they are written, not refused.
    let check = plainsight(&["check", "--root", root]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(
        stderr(&check).contains(
            "warning: the summary is empty\n  --> content/reports/2026-06-01-annual-report.md:4:10\n  |\n\
             4 | summary: \"\"  # one sentence: listings, feeds and search show it\n  \
             |          ^^ say in one sentence what the document says: listings, feeds and search show it\n"
        ),
        "{}",
        stderr(&check)
    );
    assert!(
        !stderr(&check).contains("has no summary"),
        "{}",
        stderr(&check)
    );
    // Strict, each is an error at its summary line.
    let strict = plainsight(&["check", "--strict", "--root", root]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        stderr(&strict).contains(
            "error: the summary is empty\n  --> content/reports/2026-06-01-annual-report.md:4:10\n"
        ),
        "{}",
        stderr(&strict)
    );

    // A new metric cites the site's source and waits for real figures.
    let metric = plainsight(&["new", "metric", "calls-answered", "--root", root]);
    assert!(metric.status.success(), "{}", stderr(&metric));
    let text = read(dir.join("content/metrics/calls-answered.yaml"));
    assert!(text.contains("source: residents-survey-"), "{text}");
    let check = plainsight(&["check", "--root", root]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stderr(&check).contains(
            "error: the series has no points\n  --> content/metrics/calls-answered.yaml:"
        ),
        "{}",
        stderr(&check)
    );
}

#[test]
fn init_refuses_a_folder_with_files_and_new_needs_a_site() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let out = plainsight(&["init", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("already has content; choose an empty or new folder"));
    assert_eq!(read(tmp.path().join("notes.txt")), "mine");

    let out = plainsight(&["new", "report", "X", "--root", tmp.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not a site: there is no content/site.yaml in it"),
        "{}",
        stderr(&out)
    );

    let out = plainsight(&["new", "leter", "X"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("a similar value exists: 'letter'"),
        "{}",
        stderr(&out)
    );
    let out = plainsight(&["biuld"]);
    assert!(
        stderr(&out).contains("a similar subcommand exists: 'build'"),
        "{}",
        stderr(&out)
    );
}

/// A site with no plans gets the placeholders, and a site with no publisher a new plan whose
/// empty owner is an error at its line.
#[test]
fn new_falls_back_to_placeholders_on_a_site_without_plans() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_str().unwrap();
    std::fs::create_dir(tmp.path().join("content")).unwrap();
    std::fs::write(
        tmp.path().join("content/site.yaml"),
        "title: T\nbase_url: https://example.org/\nlanguage: en\n",
    )
    .unwrap();
    let made = plainsight(&[
        "new",
        "report",
        "First",
        "--root",
        root,
        "--date",
        "2026-06-01",
    ]);
    assert!(made.status.success(), "{}", stderr(&made));
    assert_eq!(
        read(tmp.path().join("content/reports/2026-06-01-first.md")),
        "---\ntitle: \"First\"\ndate: 2026-06-01\n\
         summary: \"\"  # one sentence: listings, feeds and search show it\n\
         # plans: [PLAN-ID]            the plans it answers to\n\
         # priorities: [PLAN-ID/PRIORITY-ID]\n---\n\nWrite here.\n"
    );
    let made = plainsight(&[
        "new",
        "plan",
        "The plan",
        "--root",
        root,
        "--date",
        "2026-06-01",
    ]);
    assert!(made.status.success(), "{}", stderr(&made));
    let check = plainsight(&["check", "--root", root]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stderr(&check).contains(
            "error: the owner is empty\n  --> content/plans/the-plan.md:5:8\n  |\n\
             5 | owner: \"\"  # who is answerable for the plan\n  \
             |        ^^ say who is accountable for the plan\n"
        ),
        "{}",
        stderr(&check)
    );
}
