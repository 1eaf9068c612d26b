//! Links the build used to publish unchecked (issue 17, point 2): `/path` links are checked
//! against what the build makes, with the base URL's path applied; scheme-relative `//host`
//! addresses are errors wherever they are written; and every spelling of a script address
//! (character references, tabs, controls, letter case) gets the same report as the plain form.

mod common;

use std::path::Path;

use common::*;

const REPORT: &str = "content/reports/2024-01-01-a.md";

fn report(body: &str) -> String {
    format!("---\ntitle: A\ndate: 2024-01-01\nsummary: S.\n---\n{body}")
}

/// A site served under `/policing/` with a page of every kind: documents (one a draft), a
/// listing, a metric with its data files, sources, search, a file under content/ that no page
/// links yet. `site_yaml_extra` is added to site.yaml; REPORT holds `body`.
fn site(body: &str, site_yaml_extra: &str) -> tempfile::TempDir {
    let site_yaml = format!(
        "title: T\nbase_url: https://example.org/policing/\nlanguage: en-GB\nsearch: true\n{site_yaml_extra}"
    );
    let report = report(body);
    site_with(&[
        ("content/site.yaml", &site_yaml),
        (
            "content/sources.yaml",
            "pas:\n  title: PAS\n  publisher: MOPAC\n  date: 2022-03-01\n",
        ),
        (
            "content/metrics/m.yaml",
            "title: M\nunit: percent\nbetter: higher\nsource: pas\nseries:\n  - { period: 2020, value: 50 }\n  - { period: 2021, value: 51 }\n",
        ),
        ("content/reports/files/a.pdf", "%PDF-1.4\n"),
        (
            "content/reports/2024-01-02-b.md",
            "---\ntitle: B\ndate: 2024-01-02\nsummary: S.\n---\n## Findings\n\nText.\n",
        ),
        (
            "content/reports/2024-01-03-d.md",
            "---\ntitle: D\ndate: 2024-01-03\nsummary: S.\ndraft: true\n---\nDraft.\n",
        ),
        ("content/about.md", "---\ntitle: About\n---\nAbout us.\n"),
        (REPORT, &report),
    ])
}

/// One reported problem: `error: message` (or `warning:`), its `file:line:col`, and its help.
type Reported = (String, String, String);

/// Every problem in a report, in order: header line, place, and the advice printed after the
/// carets.
fn problems(report: &str) -> Vec<Reported> {
    report
        .split("\n\n")
        .filter(|block| block.starts_with("error: ") || block.starts_with("warning: "))
        .map(|block| {
            let lines: Vec<&str> = block.lines().collect();
            let place = lines[1].trim().trim_start_matches("--> ").to_string();
            let help = lines.last().unwrap().rsplit('^').next().unwrap().trim();
            (lines[0].to_string(), place, help.to_string())
        })
        .collect()
}

fn check(root: &Path) -> (Option<i32>, String) {
    let out = plainsight(&["check", "--root", root.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    (out.status.code(), err)
}

/// `check` fails, reporting exactly `wanted` (each problem once, nothing else), in order.
fn assert_reports(body: &str, site_yaml_extra: &str, wanted: &[(&str, &str, &str)]) {
    let site = site(body, site_yaml_extra);
    let (code, err) = check(site.path());
    let wanted: Vec<Reported> = wanted
        .iter()
        .map(|(m, p, h)| (m.to_string(), format!("{REPORT}:{p}"), h.to_string()))
        .collect();
    let got = problems(&err);
    assert_eq!(got, wanted, "report:\n{err}\nwanted:\n{wanted:#?}");
    let errors = wanted.iter().any(|(m, ..)| m.starts_with("error:"));
    assert_eq!(code, Some(if errors { 1 } else { 0 }), "{err}");
}

const NO_SCHEME: &str =
    "has no scheme: `//` addresses load from another site over whatever protocol the page came by";

#[test]
fn slash_paths_that_name_nothing_are_errors_at_the_link() {
    let body = "\
[nothing](/does/not/exist) and [a typo](/reports/2024-01-02-c/)

[twice](/policing/reports/) [twice home](/policing/) [up](/../x) [encoded up](/%2e%2e/x)

[the draft](/reports/2024-01-03-d/) [a heading](/reports/2024-01-02-b/#nope)

[the source file](/reports/2024-01-02-b.md) [not a file](/reports/files/a.pdf/)

[no search index entry](/pagefind/nope.js) [serve only](/__plainsight/live.js)
";
    let help = "`/` paths name the pages and files the build makes, from the site's root; to link a document, use doc:PATH or a path relative to this file";
    assert_reports(
        body,
        "",
        &[
            (
                "error: link to `/does/not/exist`: the site has no page or file `/does/not/exist`",
                "6:1",
                help,
            ),
            (
                "error: link to `/reports/2024-01-02-c/`: the site has no page or file `/reports/2024-01-02-c/`",
                "6:32",
                "did you mean `/reports/2024-01-02-b/`?",
            ),
            (
                "error: link to `/policing/reports/`: `/policing/reports/` starts with the base URL's path, which is added to every `/` link",
                "8:1",
                "write `/reports/`",
            ),
            (
                "error: link to `/policing/`: `/policing/` starts with the base URL's path, which is added to every `/` link",
                "8:29",
                "write `/`",
            ),
            (
                "error: link to `/../x` climbs above the site's root",
                "8:54",
                "`/` paths start at the site's root; link to one of its pages",
            ),
            (
                "error: link to `/%2e%2e/x` climbs above the site's root",
                "8:66",
                "`/` paths start at the site's root; link to one of its pages",
            ),
            (
                "error: link to the draft content/reports/2024-01-03-d.md",
                "10:1",
                "publish the target (remove `draft: true`), or remove the link; `--drafts` builds drafts too",
            ),
            (
                "error: link to `/reports/2024-01-02-b/#nope`: content/reports/2024-01-02-b.md has no heading `#nope`",
                "10:37",
                "link to one of its headings' ids, or to the page without #",
            ),
            (
                "error: link to `/reports/2024-01-02-b.md`: the site has no page or file `/reports/2024-01-02-b.md`",
                "12:1",
                "did you mean `/reports/2024-01-02-b/`?",
            ),
            (
                "error: link to `/reports/files/a.pdf/`: the site has no page or file `/reports/files/a.pdf/`",
                "12:45",
                "did you mean `/reports/files/a.pdf`?",
            ),
            (
                "error: link to `/pagefind/nope.js`: the site has no page or file `/pagefind/nope.js`",
                "14:1",
                help,
            ),
            (
                "error: link to `/__plainsight/live.js`: the site has no page or file `/__plainsight/live.js`",
                "14:44",
                help,
            ),
        ],
    );
}

/// Every file a build writes (but the search index, whose names are hashes) can be linked as
/// `/path`, and is published under the base path; so can a file under content/, which the link
/// publishes.
#[test]
fn every_file_the_build_makes_can_be_linked_from_the_root_under_the_base_path() {
    let first = site("Nothing yet.\n", "");
    let out = plainsight(&["build", "--root", first.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = first.path().join("public");
    let mut links: Vec<(String, String)> = Vec::new();
    for (file, _) in tree(&public) {
        // The search index's names are hashes, and the marker that says the folder is a
        // build's output is no page.
        if file.starts_with("pagefind/") || file == ".plainsight-output" {
            continue;
        }
        let folder = file.strip_suffix("index.html");
        links.push((format!("/{file}"), file.clone()));
        if let Some(folder) = folder {
            links.push((format!("/{folder}"), folder.to_string()));
            if let Some(bare) = folder.strip_suffix('/') {
                links.push((format!("/{bare}"), folder.to_string()));
            }
        }
    }
    for expected in [
        "/",
        "/reports/",
        "/reports/2024-01-02-b/",
        "/about/",
        "/metrics/m/",
        "/metrics/m/data.csv",
        "/metrics/m/data.json",
        "/metrics/",
        "/sources/",
        "/timeline/",
        "/search/",
        "/accessibility/",
        "/feed.xml",
        "/reports/feed.xml",
        "/sitemap.xml",
        "/robots.txt",
        "/404.html",
    ] {
        assert!(
            links.iter().any(|(l, _)| l == expected),
            "{expected} not built"
        );
    }
    assert!(links.iter().any(|(l, _)| l.starts_with("/static/")));
    links.push(("/reports/files/a.pdf".into(), "reports/files/a.pdf".into()));
    links.push(("/search/?q=knife#top".into(), "search/?q=knife#top".into()));

    let body: String = links
        .iter()
        .enumerate()
        .map(|(i, (link, _))| format!("- [page {i}]({link})\n"))
        .collect();
    let second = site(&body, "");
    let out = plainsight(&["build", "--root", second.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = page(&second, "reports/2024-01-01-a");
    for (i, (link, published)) in links.iter().enumerate() {
        // A document's page is linked by its address, even when named by its file.
        let documents = ["about/", "reports/2024-01-01-a/", "reports/2024-01-02-b/"];
        let published = match published.strip_suffix("index.html") {
            Some(folder) if documents.contains(&folder) => folder,
            _ => published,
        };
        let want = format!("<a href=\"/policing/{published}\">page {i}</a>");
        assert!(html.contains(&want), "{link}: wanted {want}");
    }
    assert!(second.path().join("public/reports/files/a.pdf").is_file());
}

#[test]
fn scheme_relative_addresses_are_errors_in_every_form() {
    let body = "\
[a link](//evil.example/x) ![A pixel](//evil.example/track.gif) [a reference][r]

[entities](&#47;&#47;evil.example/e) [backslashes](\\\\\\\\evil.example/b) [spaced](< //evil.example/s>)

<a href=\"//evil.example/a\">raw</a> <img alt=\"x\" src=\"&#47;&#47;evil.example/t.gif\">

<img alt=\"y\" srcset=\"a.png 1x, /\\evil.example/b.png 2x\">

<a href=\"&#x09;//evil.example/tab\">tab</a>

[r]: //evil.example/ref
";
    let full = |rest: &str| format!("write the address in full: `https://evil.example/{rest}`");
    let raw = |url: &str, place: &str| {
        format!("error: raw HTML: the address `{url}` in {place} {NO_SCHEME}")
    };
    let wanted = [
        (
            format!("error: link to `//evil.example/x` {NO_SCHEME}"),
            "6:1",
            full("x"),
        ),
        (
            format!("error: image `//evil.example/track.gif` {NO_SCHEME}"),
            "6:28",
            full("track.gif"),
        ),
        (
            format!("error: link to `//evil.example/ref` {NO_SCHEME}"),
            "6:65",
            full("ref"),
        ),
        (
            format!("error: link to `//evil.example/e` {NO_SCHEME}"),
            "8:1",
            full("e"),
        ),
        (
            format!("error: link to `\\\\evil.example/b` {NO_SCHEME}"),
            "8:38",
            full("b"),
        ),
        (
            format!("error: link to ` //evil.example/s` {NO_SCHEME}"),
            "8:72",
            full("s"),
        ),
        (raw("//evil.example/a", "<a href>"), "10:1", full("a")),
        (
            raw("//evil.example/t.gif", "<img src>"),
            "10:36",
            full("t.gif"),
        ),
        (
            raw("/\\evil.example/b.png", "<img srcset>"),
            "12:1",
            full("b.png"),
        ),
        (raw("//evil.example/tab", "<a href>"), "14:1", full("tab")),
    ];
    let wanted: Vec<(&str, &str, &str)> = wanted
        .iter()
        .map(|(m, p, h)| (m.as_str(), *p, h.as_str()))
        .collect();
    assert_reports(body, "", &wanted);
    // Trusted raw HTML may do anything but this: the address still loads from elsewhere.
    let raw_only = "<img alt=\"x\" src=\"//evil.example/t.gif\">\n";
    assert_reports(
        raw_only,
        "allow_raw_html: true\n",
        &[(
            &raw("//evil.example/t.gif", "<img src>"),
            "6:1",
            &full("t.gif"),
        )],
    );
}

#[test]
fn script_addresses_get_the_same_report_however_spelt() {
    let spellings = [
        "javascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "&#106;avascript:alert(1)",
        "javascript&colon;alert(1)",
        "JaVaScRiPt:alert(1)",
        "&#x20;javascript:alert(1)",
        // A leading control character browsers strip (other C0 controls are refused outright
        // as control characters, whatever they spell: tests/control_chars.rs).
        "&#x0D;javascript:alert(1)",
        "java&#x0A;script:alert(1)",
    ];
    let warning = "warning: raw HTML: the javascript: URL in <a href> is removed when published";
    let advice = "raw HTML is sanitised; write it in Markdown, or set `allow_raw_html: true` in site.yaml if every author is trusted";
    let body: String = spellings
        .iter()
        .map(|s| format!("<a href=\"{s}\">x</a>\n\n"))
        .collect();
    let places: Vec<String> = (0..spellings.len())
        .map(|i| format!("{}:1", 6 + 2 * i))
        .collect();
    let wanted: Vec<(&str, &str, &str)> = places
        .iter()
        .map(|p| (warning, p.as_str(), advice))
        .collect();
    assert_reports(&body, "", &wanted);

    // In Markdown the same spellings are the same error (the decoded text is quoted as is).
    let markdown: String = spellings
        .iter()
        // A line break cannot be quoted on one line of a report.
        .filter(|s| !s.contains("&#x0A;") && !s.contains("&#x0D;"))
        .map(|s| format!("[x]({s})\n\n"))
        .collect();
    let site = site(&markdown, "");
    let (code, err) = check(site.path());
    assert_eq!(code, Some(1), "{err}");
    let got = problems(&err);
    assert_eq!(got.len(), spellings.len() - 2, "{err}");
    for (i, (message, place, help)) in got.iter().enumerate() {
        assert!(
            message.ends_with("uses the unsafe scheme `javascript:`")
                || message.ends_with("uses the unsafe scheme `JaVaScRiPt:`"),
            "{message}"
        );
        assert_eq!(place, &format!("{REPORT}:{}:1", 6 + 2 * i));
        assert_eq!(
            help,
            "link to an https: address or a file in content/ instead"
        );
    }
}

#[test]
fn web_addresses_need_a_host() {
    assert_reports(
        "[one](https:evil.example) [two](http:/evil.example) [fine](https://example.org/a)\n",
        "",
        &[
            (
                "error: link to `https:evil.example` is not a valid https: address",
                "6:1",
                "write it as https://host/path; for a page of this site use doc:, a `/` path or a path relative to this file",
            ),
            (
                "error: link to `http:/evil.example` is not a valid http: address",
                "6:27",
                "write it as http://host/path; for a page of this site use doc:, a `/` path or a path relative to this file",
            ),
        ],
    );
}

/// Addresses in site.yaml and sources.yaml are published as written too: an http(s) one needs
/// `//` and a host.
#[test]
fn contact_addresses_need_a_host() {
    let site = site_with(&[
        (
            "content/site.yaml",
            "title: T\nbase_url: https://example.org/\nlanguage: en-GB\naccessible_formats:\n  contact_url: https:example.org/contact\n  response_days: 5\n",
        ),
        (REPORT, &report("Text.\n")),
    ]);
    let (code, err) = check(site.path());
    assert_eq!(code, Some(1), "{err}");
    let got: Vec<(String, String)> = problems(&err)
        .into_iter()
        .map(|(message, place, _)| (message, place))
        .collect();
    assert_eq!(
        got,
        [(
            "error: accessible_formats.contact_url `https:example.org/contact` is not an absolute https:, http: or mailto: URL".to_string(),
            "content/site.yaml:5:16".to_string()
        )],
        "{err}"
    );
}

#[test]
fn source_addresses_need_a_host() {
    let site = site_with(&[
        (
            "content/sources.yaml",
            "pas:\n  title: PAS\n  publisher: MOPAC\n  date: 2022-03-01\n  url: https:evil.example/pas\n",
        ),
        (REPORT, &report("Text.\n")),
    ]);
    let (code, err) = check(site.path());
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(
        problems(&err),
        [(
            "error: source url `https:evil.example/pas` is not an absolute http(s) URL".to_string(),
            "content/sources.yaml:5:8".to_string(),
            "give the full address, e.g. https://www.london.gov.uk/...".to_string()
        )],
        "{err}"
    );
}
