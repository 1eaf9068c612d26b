//! Addresses under the site's own base_url, in site.yaml, sources.yaml and document bodies:
//! checked like links to `/path` at every build, published as links within the site, and left
//! alone under `external_paths`.

mod common;

use common::*;

#[test]
fn addresses_of_the_site_that_name_nothing_are_errors_with_the_nearest_page() {
    let report = assert_report("broken-selfurls");
    // The contact link every page carries, and a misspelt folder, each with its nearest page.
    for needle in [
        "error: accessible_formats.contact_url `https://example.org/policing/acessibility/` is under the site's base_url, but the site has no page or file there\n  --> content/site.yaml:5:16\n",
        "did you mean `https://example.org/policing/accessibility/`?",
        "error: link to `https://example.org/policing/reprts/x/` is under the site's base_url, but the site has no page or file there\n  --> content/reports/links.md:6:20\n",
        "did you mean `https://example.org/policing/reports/x/`?",
        "error: link to `http://EXAMPLE.org/policing/reprts/x/` is under the site's base_url",
        "error: source `report-x` url `https://example.org/policing/reports/y/` is under the site's base_url, but the site has no page or file there\n  --> content/sources.yaml:5:8\n",
        "warning: external_paths entry `/about` covers /about/, which this site makes: addresses of the site under it are not checked\n  --> content/site.yaml:9:5\n",
    ] {
        assert!(report.contains(needle), "expected.txt lacks:\n{needle}");
    }
    // Under external_paths, on another host, or above the base path: not this site's to check.
    for address in [
        "policing/forms/contact",
        "example.com",
        "example.org/other/",
    ] {
        assert!(!report.contains(address), "{address} was checked");
    }
}

#[test]
fn an_external_path_must_start_at_the_sites_root() {
    let site = scratch_copy(&fixture("selfurls"));
    let yaml = site.path().join("content/site.yaml");
    let text = read(&yaml).replace("  - /contact/\n", "  - contact/\n");
    std::fs::write(&yaml, text).unwrap();
    let out = plainsight(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let expected = "error: external_paths entry `contact/` is not a path from the site's root
  --> content/site.yaml:8:5
  |
8 |   - contact/
  |     ^^^^^^^^ write the start of the path under base_url that another system serves, beginning with `/`, e.g. /contact/
";
    assert!(stderr(&out).starts_with(expected), "{}", stderr(&out));
}

#[test]
fn addresses_of_the_site_publish_as_links_within_it() {
    let (site, report) = build_fixture("selfurls");
    assert!(!report.contains("warning"), "{report}");
    let links = page(&site, "reports/links");
    for needle in [
        // Checked and published under the base path, keeping fragment and query, over
        // whichever scheme the reader came by.
        r#"href="/policing/reports/x/#findings""#,
        r#"href="/policing/reports/x/">same report over http"#,
        r#"href="/policing/">home page"#,
        r#"href="/policing/sources/?from=links""#,
        r#"href="/policing/feed.xml""#,
        r#"src="/policing/reports/chart.svg" alt="The same square""#,
        // Another system's, and another site's: as written.
        r#"href="https://example.org/policing/contact/form""#,
        r#"href="https://example.com/policing/""#,
    ] {
        assert!(links.contains(needle), "missing {needle} in\n{links}");
    }
    assert!(site.path().join("public/reports/chart.svg").is_file());
}
