//! Incremental rebuilds: after every kind of edit, the pages a [`Session`] holds are byte for
//! byte what a fresh `build` writes, and an edit re-renders only the pages that show it.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{fixture, read, scratch_copy, tree};
use plainsight::incremental::{Rebuild, Session};
use plainsight::pipeline::{self, Options};

/// What `serve` would hold: the session's pages, updated rebuild by rebuild.
struct Served {
    root: PathBuf,
    session: Session,
    pages: BTreeMap<String, Vec<u8>>,
    files: BTreeSet<String>,
}

impl Served {
    fn start(root: &Path) -> Served {
        let (session, first) = Session::start(root, false);
        assert!(first.succeeded, "{}", first.report);
        let mut served = Served {
            root: root.to_path_buf(),
            session,
            pages: BTreeMap::new(),
            files: BTreeSet::new(),
        };
        served.apply(first);
        served
    }

    fn apply(&mut self, r: Rebuild) -> Vec<String> {
        let made: Vec<String> = r.pages.iter().map(|p| p.path.clone()).collect();
        for p in r.pages {
            self.pages.insert(p.path, p.bytes);
        }
        for gone in &r.removed {
            self.pages.remove(gone);
        }
        self.files = r.files.into_keys().collect();
        made
    }

    /// Write (or with `None` delete) files under the site, rebuild, and return the output
    /// paths of the pages made again.
    fn edit(&mut self, changes: &[(&str, Option<&str>)]) -> Vec<String> {
        let mut paths = Vec::new();
        for (rel, text) in changes {
            let path = self.root.join(rel);
            match text {
                Some(t) => {
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::fs::write(&path, t).unwrap();
                }
                None => std::fs::remove_file(&path).unwrap(),
            }
            paths.push(path);
        }
        let r = self.session.rebuild(&paths);
        assert!(r.succeeded, "rebuild failed:\n{}", r.report);
        self.apply(r)
    }

    /// Replace `from` with `to` in a file (which must contain it) and rebuild.
    fn replace(&mut self, rel: &str, from: &str, to: &str) -> Vec<String> {
        let text = read(self.root.join(rel));
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        let new = text.replacen(from, to, 1);
        self.edit(&[(rel, Some(&new))])
    }

    /// Build the same files from scratch and compare every page and copied file.
    fn assert_same_as_build(&self, after: &str) {
        let out = tempfile::tempdir().unwrap();
        let built = pipeline::build(&Options {
            root: self.root.clone(),
            output: Some(out.path().join("public")),
            drafts: false,
            strict: false,
        })
        .expect("build runs");
        assert!(built.succeeded(), "build failed after {after}");
        let mut pages = BTreeMap::new();
        let mut files = BTreeSet::new();
        for (path, bytes) in tree(&out.path().join("public")) {
            // The demo's Welsh pages, under cy/, are made as the English ones are.
            let rel = path.strip_prefix("cy/").unwrap_or(&path);
            // The search index: serve makes it when asked for (tests/serve.rs).
            if rel.starts_with("pagefind/") {
                continue;
            }
            // Rendered: pages, the metrics' and the tracker's data files beside theirs, feeds,
            // the sitemap and robots.txt, the icon and the social cards.
            let made = [".html", ".xml", ".txt"].iter().any(|e| rel.ends_with(e))
                || rel.starts_with("favicon.")
                || rel.starts_with("cards/");
            if made || rel.starts_with("metrics/") || rel.starts_with("commitments/") {
                pages.insert(path, bytes);
            } else if path != ".plainsight-output" {
                files.insert(path);
            }
        }
        let served: BTreeSet<&String> = self.pages.keys().collect();
        let written: BTreeSet<&String> = pages.keys().collect();
        assert_eq!(served, written, "after {after}: different sets of pages");
        for (path, bytes) in &pages {
            assert!(
                &self.pages[path] == bytes,
                "after {after}: {path} differs from a fresh build"
            );
        }
        assert_eq!(self.files, files, "after {after}: different copied files");
    }
}

const LETTER: &str = "content/letters/2025-04-02-mayor-letter-motion-3-6.md";
const MEETING: &str = "content/press-releases/2023-11-01-assembly-policing-meeting.md";
const PLAN: &str = "content/plans/police-and-crime-plan-2022-25.md";

fn demo() -> tempfile::TempDir {
    scratch_copy(Path::new(env!("CARGO_MANIFEST_DIR")))
}

#[test]
fn a_body_edit_renders_one_page() {
    let site = demo();
    let mut s = Served::start(site.path());
    let made = s.edit(&[(
        LETTER,
        Some(&(read(site.path().join(LETTER)) + "\nOne more sentence.\n")),
    )]);
    assert_eq!(
        made,
        ["letters/2025-04-02-mayor-letter-motion-3-6/index.html"]
    );
    s.assert_same_as_build("a body edit");

    // Saving without a change renders nothing.
    let made = s.edit(&[(LETTER, Some(&read(site.path().join(LETTER))))]);
    assert!(made.is_empty(), "{made:?}");
}

#[test]
fn a_summary_edit_renders_the_pages_that_list_the_document() {
    let site = demo();
    let mut s = Served::start(site.path());
    let total = s.pages.len();
    let made = s.replace(
        MEETING,
        "summary: The London Assembly announced",
        "summary: The Assembly announced",
    );
    for page in [
        "press-releases/2023-11-01-assembly-policing-meeting/index.html",
        "press-releases/index.html",
        "timeline/index.html",
        "index.html",
        "plans/police-and-crime-plan-2022-25/index.html",
        "plans/police-and-crime-plan-2022-25/reduce-violence/index.html",
    ] {
        assert!(made.iter().any(|p| p == page), "{page} not in {made:?}");
    }
    assert!(
        !made.iter().any(|p| p.starts_with("metrics/")),
        "metric pages do not show summaries: {made:?}"
    );
    assert!(made.len() < total / 2, "{} of {total} pages", made.len());
    s.assert_same_as_build("a summary edit");
}

#[test]
fn every_kind_of_edit_matches_a_fresh_build() {
    let site = demo();
    let mut s = Served::start(site.path());
    let root = site.path().to_path_buf();

    // A new citation in the body: the sources page lists the document under it.
    let made = s.replace(
        LETTER,
        "\n## ",
        "\nSee also [the plan](source:police-and-crime-plan-2022-25).\n\n## ",
    );
    assert!(made.contains(&"sources/index.html".to_string()), "{made:?}");
    s.assert_same_as_build("a new citation");

    // A title: listings, the timeline and every page that links the document by title.
    s.replace(
        MEETING,
        "title: How are the Mayor",
        "title: Question time, or how are the Mayor",
    );
    s.assert_same_as_build("a new title");

    // A date: the document moves in its listing, on the timeline and in backlinks.
    s.replace(MEETING, "date: 2023-11-01", "date: 2021-11-01");
    s.assert_same_as_build("a new date");

    // A plan no longer answered to: its page loses the backlink.
    s.replace(MEETING, "  - a-new-met-for-london\n", "");
    s.assert_same_as_build("a plan reference removed");

    // A plan's priority renamed: its page, the plan, and everything that answers to it.
    s.replace(
        PLAN,
        "title: Reducing and preventing violence",
        "title: Reduce violence",
    );
    s.assert_same_as_build("a priority renamed");

    // A new document, then renamed, then deleted.
    let new = "content/reports/2025-06-01-new-report.md";
    let text = "---\ntitle: A new report\ndate: 2025-06-01\nsummary: Something new.\nplans:\n  - police-and-crime-plan-2022-25\n---\n\nIt answers to [the plan](plan:police-and-crime-plan-2022-25).\n";
    let made = s.edit(&[(new, Some(text))]);
    assert!(
        made.contains(&"reports/2025-06-01-new-report/index.html".to_string()),
        "{made:?}"
    );
    s.assert_same_as_build("a new document");
    let renamed = "content/reports/2025-06-02-renamed-report.md";
    std::fs::rename(root.join(new), root.join(renamed)).unwrap();
    let r = s.session.rebuild(&[root.join(new), root.join(renamed)]);
    assert!(r.succeeded, "{}", r.report);
    // Its social card goes with it (the demo draws one per document).
    assert_eq!(
        r.removed,
        [
            "cards/reports/2025-06-01-new-report.png",
            "reports/2025-06-01-new-report/index.html"
        ]
    );
    s.apply(r);
    s.assert_same_as_build("a renamed document");

    // A draft drops out of every listing and backlink.
    s.replace(
        renamed,
        "summary: Something new.",
        "summary: Something new.\ndraft: true",
    );
    s.assert_same_as_build("a document made a draft");
    s.edit(&[(renamed, None)]);
    assert!(
        !String::from_utf8_lossy(&s.pages["plans/police-and-crime-plan-2022-25/index.html"])
            .contains("A new report"),
        "the deleted document's backlink stays on the plan"
    );
    s.assert_same_as_build("a deleted document");

    // site.yaml rebuilds everything.
    let total = s.pages.len();
    let made = s.replace("content/site.yaml", "title: ", "title: The ");
    assert_eq!(made.len(), total);
    s.assert_same_as_build("a site.yaml edit");

    // A theme template: only the pages made with it.
    let template = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/timeline.html"),
    )
    .unwrap();
    let made = s.edit(&[(
        "themes/default/templates/timeline.html",
        Some(&template.replace("{% block main %}", "{% block main %}<!-- local -->")),
    )]);
    // Both languages' timelines: the Welsh one is made with the same template.
    assert_eq!(made, ["cy/timeline/index.html", "timeline/index.html"]);
    s.assert_same_as_build("a template override");

    // A theme's strings: words of every page, so every page is made again.
    let made = s.edit(&[(
        "themes/default/strings/en.yaml",
        Some("skip_link: Skip to the content\n"),
    )]);
    assert!(
        made.iter().all(|p| p.ends_with(".html")) && made.contains(&"index.html".to_string()),
        "{made:?}"
    );
    assert!(String::from_utf8_lossy(&s.pages["index.html"]).contains(">Skip to the content</a>"));
    s.assert_same_as_build("a strings override");

    // A stylesheet: a new fingerprinted name, so every page (and no data file) links it anew.
    let made = s.edit(&[(
        "themes/default/static/style.css",
        Some("body { margin: 0 }"),
    )]);
    assert!(
        made.iter().all(|p| p.ends_with(".html")) && made.contains(&"index.html".to_string()),
        "{made:?}"
    );
    s.assert_same_as_build("a stylesheet override");

    // A new image in content/ that a document then uses.
    s.edit(&[("content/reports/chart.png", Some("not really a png"))]);
    s.replace(
        "content/reports/2024-02-21-police-and-crime-committee-background.md",
        "\n## ",
        "\n![A chart of nothing](chart.png)\n\n## ",
    );
    s.assert_same_as_build("a new image");
}

#[test]
fn an_error_keeps_the_last_good_pages_until_fixed() {
    let site = demo();
    let mut s = Served::start(site.path());
    let good = read(site.path().join(LETTER));
    let broken = good.replacen("\n## ", "\n[broken](doc:no-such-document)\n\n## ", 1);
    std::fs::write(site.path().join(LETTER), &broken).unwrap();
    let r = s.session.rebuild(&[site.path().join(LETTER)]);
    assert!(!r.succeeded);
    assert!(r.pages.is_empty());
    assert!(
        r.report
            .contains("content/letters/2025-04-02-mayor-letter-motion-3-6.md:"),
        "{}",
        r.report
    );
    // Fixed differently from how it was: the page follows the fix.
    let fixed = good.replacen("\n## ", "\nA new paragraph.\n\n## ", 1);
    let made = s.edit(&[(LETTER, Some(&fixed))]);
    assert_eq!(
        made,
        ["letters/2025-04-02-mayor-letter-motion-3-6/index.html"]
    );
    s.assert_same_as_build("an error, then its fix");
}

#[test]
fn folders_that_come_and_go_are_walked_again() {
    let site = scratch_copy(&fixture("references"));
    let mut s = Served::start(site.path());
    let root = site.path();
    let folder = root.join("content/extra");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("note.md"),
        "---\ntitle: A note\nkind: page\n---\n\nA note.\n",
    )
    .unwrap();
    let r = s.session.rebuild(std::slice::from_ref(&folder));
    assert!(r.succeeded, "{}", r.report);
    s.apply(r);
    s.assert_same_as_build("a new folder");
    std::fs::rename(&folder, root.join("content/moved")).unwrap();
    let r = s
        .session
        .rebuild(&[folder.clone(), root.join("content/moved")]);
    assert!(r.succeeded, "{}", r.report);
    s.apply(r);
    s.assert_same_as_build("a moved folder");
}

#[test]
fn a_symbolic_link_out_of_the_site_made_while_serving_is_refused() {
    let site = scratch_copy(&fixture("references"));
    let mut s = Served::start(site.path());
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.png"), "private").unwrap();
    let link = site.path().join("content/reports/secret.png");
    std::os::unix::fs::symlink(outside.path().join("secret.png"), &link).unwrap();
    let r = s.session.rebuild(std::slice::from_ref(&link));
    assert!(!r.succeeded);
    assert!(
        r.report
            .contains("error: content/reports/secret.png is a symbolic link to"),
        "{}",
        r.report
    );
    std::fs::remove_file(&link).unwrap();
    let r = s.session.rebuild(&[link]);
    assert!(r.succeeded, "{}", r.report);
    s.apply(r);
    s.assert_same_as_build("the link removed");
}

/// The titles listed in the section headed `id` of a served page.
fn listed_under(s: &Served, page: &str, id: &str) -> String {
    let html = String::from_utf8_lossy(&s.pages[page]).into_owned();
    let Some(start) = html.find(&format!("<h2 id=\"{id}\">")) else {
        return String::new();
    };
    let end = start + html[start..].find("</section>").unwrap();
    html[start..end].to_string()
}

#[test]
fn mentions_follow_every_edit_like_a_fresh_build() {
    const REPORT: &str = "content/reports/2024-02-21-police-and-crime-committee-background.md";
    const OLD: &str = "plans/police-and-crime-plan-2017-21/index.html";
    const RELEASE: &str = "press-releases/2022-03-24-police-and-crime-plan-published/index.html";
    const VICTIMS: &str = "plans/police-and-crime-plan-2022-25/support-victims/index.html";
    let site = demo();
    let mut s = Served::start(site.path());
    let title = "Question and Answer Session";
    assert!(!listed_under(&s, OLD, "ps-plan-mentions").contains(title));

    // A plan, a document and a priority linked in the text: each lists it as mentioning them.
    let links = "\nSee [the old plan](plan:police-and-crime-plan-2017-21), \
                 [the 2022 release](doc:press-releases/2022-03-24-police-and-crime-plan-published) \
                 and [victims](priority:police-and-crime-plan-2022-25/support-victims).\n\n## ";
    let made = s.replace(REPORT, "\n## ", links);
    for p in [OLD, RELEASE, VICTIMS] {
        assert!(made.contains(&p.to_string()), "{p} not in {made:?}");
    }
    assert!(listed_under(&s, OLD, "ps-plan-mentions").contains(title));
    assert!(listed_under(&s, RELEASE, "ps-doc-mentions").contains(title));
    assert!(listed_under(&s, VICTIMS, "ps-priority-mentions").contains(title));
    s.assert_same_as_build("mentions added");

    // Answering to the plan it mentions: listed once, as answering.
    s.replace(
        REPORT,
        "plans:\n",
        "plans:\n  - police-and-crime-plan-2017-21\n",
    );
    assert!(listed_under(&s, OLD, "ps-plan-documents").contains(title));
    assert!(!listed_under(&s, OLD, "ps-plan-mentions").contains(title));
    s.assert_same_as_build("a mentioned plan answered to");

    // A new document that mentions the release; made a draft, it mentions nothing.
    let new = "content/reports/2025-06-01-new-report.md";
    let text = "---\ntitle: A new report\ndate: 2025-06-01\nsummary: Something new.\n---\n\nOn [the release](doc:press-releases/2022-03-24-police-and-crime-plan-published).\n";
    s.edit(&[(new, Some(text))]);
    assert!(listed_under(&s, RELEASE, "ps-doc-mentions").contains("A new report"));
    s.assert_same_as_build("a new mentioning document");
    s.replace(new, "\ndate: ", "\ndraft: true\ndate: ");
    assert!(!listed_under(&s, RELEASE, "ps-doc-mentions").contains("A new report"));
    s.assert_same_as_build("a mentioning document made a draft");
    s.edit(&[(new, None)]);

    // The links taken out again.
    s.replace(REPORT, links, "\n## ");
    s.replace(
        REPORT,
        "plans:\n  - police-and-crime-plan-2017-21\n",
        "plans:\n",
    );
    assert!(!listed_under(&s, RELEASE, "ps-doc-mentions").contains(title));
    assert!(!listed_under(&s, VICTIMS, "ps-priority-mentions").contains(title));
    s.assert_same_as_build("mentions removed");
}

#[test]
fn an_address_of_the_site_is_checked_again_when_its_page_comes_or_goes() {
    let site = scratch_copy(&fixture("selfurls"));
    let mut s = Served::start(site.path());
    let root = site.path().to_path_buf();
    let links = root.join("content/reports/links.md");
    let text = read(&links).replace(
        "It cites",
        "A [later report](https://example.org/policing/reports/z/).\n\nIt cites",
    );
    std::fs::write(&links, text).unwrap();
    let r = s.session.rebuild(std::slice::from_ref(&links));
    assert!(!r.succeeded);
    let error = "error: link to `https://example.org/policing/reports/z/` is under the site's base_url, but the site has no page or file there";
    assert!(r.report.contains(error), "{}", r.report);

    // The page it names is made: the link is good, and published within the site.
    let z = "content/reports/z.md";
    let made = s.edit(&[(
        z,
        Some("---\ntitle: Report Z\ndate: 2024-04-01\nsummary: Later.\n---\nLater.\n"),
    )]);
    assert!(
        made.contains(&"reports/links/index.html".to_string()),
        "{made:?}"
    );
    let page = String::from_utf8_lossy(&s.pages["reports/links/index.html"]).into_owned();
    assert!(
        page.contains(r#"href="/policing/reports/z/">later report"#),
        "{page}"
    );
    s.assert_same_as_build("the page an address names made");

    // And taken away again.
    std::fs::remove_file(root.join(z)).unwrap();
    let r = s.session.rebuild(&[root.join(z)]);
    assert!(!r.succeeded);
    assert!(r.report.contains(error), "{}", r.report);

    // A heading the address names, renamed in the page it is on.
    let x = root.join("content/reports/x.md");
    std::fs::write(&x, read(&x).replace("## Findings", "## Results")).unwrap();
    let r = s.session.rebuild(&[x]);
    assert!(!r.succeeded);
    assert!(
        r.report.contains("error: link to `https://example.org/policing/reports/x/#findings`: content/reports/x.md has no heading `#findings`"),
        "{}",
        r.report
    );
}

/// The reference date depends on every document: one dated later makes a metric stale on
/// every page that shows it, and taking it away makes it fresh again, as a fresh build would.
#[test]
fn a_new_document_moves_the_reference_date_and_a_metric_goes_stale_and_back() {
    let site = scratch_copy(&fixture("fresh"));
    let mut s = Served::start(site.path());
    let trust = "metrics/trust/index.html";
    let stale = "Not updated since February 2024";
    assert!(!String::from_utf8_lossy(&s.pages[trust]).contains(stale));
    let later = "content/reports/2025-08-01-later.md";
    let made = s.edit(&[(
        later,
        Some("---\ntitle: Later\ndate: 2025-08-01\nsummary: s.\n---\nText.\n"),
    )]);
    for page in [trust, "metrics/index.html", "index.html"] {
        assert!(made.iter().any(|p| p == page), "{page} not in {made:?}");
    }
    assert!(String::from_utf8_lossy(&s.pages[trust]).contains(stale));
    assert!(String::from_utf8_lossy(&s.pages["index.html"]).contains("1 August 2025"));
    s.assert_same_as_build("a document that moves the reference date");

    // A correction moves it too, and is an edit of a document that stays.
    s.replace(
        later,
        "summary: s.\n",
        "summary: s.\ncorrections:\n  - {date: 2025-09-01, note: A fix.}\n",
    );
    assert!(String::from_utf8_lossy(&s.pages["index.html"]).contains("1 September 2025"));
    s.assert_same_as_build("a correction that moves the reference date");

    s.edit(&[(later, None)]);
    assert!(!String::from_utf8_lossy(&s.pages[trust]).contains(stale));
    s.assert_same_as_build("the document taken away again");
}

/// Progress reports and commitments (issue 22): a report's status edited, a report added (in
/// a new document, which then answers to the plan), a report removed, and a commitment's
/// `due` moved each give what a fresh build gives. A report touches the document, the
/// commitment's pages, its plan's scorecard, the tracker and the feed: all must follow.
#[test]
fn progress_reports_and_commitments_follow_every_edit_like_a_fresh_build() {
    let site = demo();
    let mut s = Served::start(site.path());
    const STATEMENT: &str = "content/statements/2023-07-18-a-new-met-for-london.md";
    let plan_page = "plans/police-and-crime-plan-2022-25/index.html";

    // A report's status edited.
    s.replace(
        STATEMENT,
        "uphold-standards\n    status: on-track",
        "uphold-standards\n    status: at-risk",
    );
    s.assert_same_as_build("a report's status edited");

    // A report added, in a document that names no plan: the report makes it answer to one.
    let new = "content/reports/2025-05-01-monitoring.md";
    let text = "---\ntitle: Monitoring update\ndate: 2025-05-01\nsummary: Progress.\nprogress:\n  - commitment: police-and-crime-plan-2022-25/community-monitoring\n    status: delayed\n    note: Not yet.\n---\nText.\n";
    let made = s.edit(&[(new, Some(text))]);
    assert!(made.iter().any(|p| p == plan_page), "{made:?}");
    assert!(
        String::from_utf8_lossy(&s.pages[plan_page]).contains("Monitoring update"),
        "the reporting document answers to the plan"
    );
    s.assert_same_as_build("a report added");

    // A second report added to a document that already reports.
    s.replace(
        new,
        "    note: Not yet.\n",
        "    note: Not yet.\n  - commitment: police-and-crime-plan-2022-25/community-led-training\n    status: on-track\n",
    );
    s.assert_same_as_build("a report added to a reporting document");

    // A report removed, then a document's every report, then the document itself.
    let letter = read(site.path().join(LETTER));
    let gone = "  - commitment: a-new-met-for-london/victims-response\n";
    let start = letter
        .find(gone)
        .expect("the letter reports on victims-response");
    let end = start + letter[start..].find("extra:").unwrap();
    s.edit(&[(
        LETTER,
        Some(&format!("{}{}", &letter[..start], &letter[end..])),
    )]);
    s.assert_same_as_build("a report removed");
    let report = read(site.path().join(new));
    let start = report.find("progress:\n").unwrap();
    let end = start + report[start..].find("---").unwrap();
    s.edit(&[(
        new,
        Some(&format!("{}{}", &report[..start], &report[end..])),
    )]);
    assert!(
        !String::from_utf8_lossy(&s.pages[plan_page]).contains("Monitoring update"),
        "a document whose reports are gone no longer answers to the plan"
    );
    s.assert_same_as_build("a document's reports removed");
    s.edit(&[(new, None)]);
    s.assert_same_as_build("a reporting document deleted");

    // A commitment given a due where there was none (overdue at the demo's date), then moved
    // (no longer overdue).
    s.replace(
        PLAN,
        "      - id: community-led-training\n",
        "      - id: community-led-training\n        due: 2023-03\n",
    );
    s.assert_same_as_build("a commitment given a due");
    s.replace(PLAN, "due: 2023-03", "due: 2026-03");
    s.assert_same_as_build("a commitment's due moved");
}

/// Issue 22: a progress report edited, added or taken away re-renders the tracker, its feed
/// and its data files, which then match a fresh build.
#[test]
fn a_progress_report_edit_updates_the_tracker_its_feed_and_data() {
    let site = scratch_copy(&fixture("tracker"));
    let mut s = Served::start(site.path());
    let tracker_files = [
        "commitments/index.html",
        "commitments/feed.xml",
        "commitments/data.csv",
        "commitments/data.json",
    ];
    const REVIEW: &str = "content/reports/2024-06-01-review.md";
    let made = s.replace(REVIEW, "status: at-risk", "status: delayed");
    for f in tracker_files {
        assert!(
            made.contains(&f.to_string()),
            "{f} not made again: {made:?}"
        );
    }
    s.assert_same_as_build("a report's status changed");
    let csv = String::from_utf8(s.pages["commitments/data.csv"].clone()).unwrap();
    assert!(csv.contains(",refresh,Refresh the violence strategy,MOPAC,2025-12,delayed,"));

    let made = s.edit(&[(
        "content/reports/2025-03-01-new.md",
        Some("---\ntitle: New report\ndate: 2025-03-01\nsummary: s.\nprogress:\n  - commitment: plan-a/tasers\n    status: on-track\n---\nNew.\n"),
    )]);
    for f in tracker_files {
        assert!(
            made.contains(&f.to_string()),
            "{f} not made again: {made:?}"
        );
    }
    s.assert_same_as_build("a new report");
    let feed = String::from_utf8(s.pages["commitments/feed.xml"].clone()).unwrap();
    assert!(feed.contains("<title>Publish every use of Taser: On track</title>"));

    s.edit(&[("content/reports/2025-03-01-new.md", None)]);
    s.assert_same_as_build("a report taken away");
    let feed = String::from_utf8(s.pages["commitments/feed.xml"].clone()).unwrap();
    assert!(!feed.contains("Publish every use of Taser"));
}
