//! A site in another language: the theme's words come from its strings file for the site's
//! `language:`, and dates and numbers are written as that language writes them (ICU4X), with
//! the strings files checked word for word.

mod common;

use common::*;

/// Build `name` into a scratch copy and return the HTML of `pages` (URL paths), in order.
fn built(name: &str, pages: &[&str]) -> Vec<String> {
    let (site, _) = build_fixture(name);
    pages.iter().map(|p| page(&site, p)).collect()
}

#[test]
fn a_welsh_site_is_written_in_welsh_throughout_the_theme() {
    let pages = built(
        "welsh",
        &[
            "",
            "press-releases/2022-03-24-cynllun",
            "plans/cynllun-2022",
            "accessibility",
            "press-releases",
        ],
    );
    let [home, release, plan, statement, listing] = &pages[..] else {
        unreachable!()
    };
    for page in &pages {
        assert!(
            page.starts_with("<!DOCTYPE html>\n<html lang=\"cy\">"),
            "{page}"
        );
        assert!(page.contains(">Neidio i'r prif gynnwys</a>"), "{page}");
        assert!(page.contains("<summary>Dewislen</summary>"), "{page}");
        assert!(
            page.contains("<nav aria-label=\"Am y wefan hon\">"),
            "{page}"
        );
        // None of the English theme's words are left.
        for english in [
            "Skip to main content",
            "Accessibility statement",
            "Built with",
        ] {
            assert!(!page.contains(english), "{english} in {page}");
        }
    }
    assert!(
        home.contains("<h2 id=\"ps-latest\">Y dogfennau diweddaraf</h2>"),
        "{home}"
    );
    // The date in Welsh, from CLDR's month names.
    assert!(
        release.contains(
            "<dt>Cyhoeddwyd</dt><dd><time datetime=\"2022-03-24\">24 Mawrth 2022</time></dd>"
        ),
        "{release}"
    );
    assert!(
        plan.contains("<time datetime=\"2022-04-01\">1 Ebrill 2022</time> i <time datetime=\"2025-03-31\">31 Mawrth 2025</time>"),
        "{plan}"
    );
    // Statuses and the scorecard's counts, in Welsh; the commitment's due month from CLDR.
    assert!(
        plan.contains("<span class=\"status-word\">Dim adroddiad eto</span>"),
        "{plan}"
    );
    assert!(
        plan.contains("1 ymrwymiad fel ar 24 Mawrth 2022: 1 heb adroddiad eto."),
        "{plan}"
    );
    assert!(
        plan.contains("erbyn <time datetime=\"2023-03\">Mawrth 2023</time>"),
        "{plan}"
    );
    // Welsh has six plural forms: 2 takes the soft mutation ("ddiwrnod").
    assert!(
        statement.contains("Byddwn yn ateb o fewn 2 ddiwrnod gwaith."),
        "{statement}"
    );
    // What search engines show of a page plainsight makes.
    assert!(
        listing.contains("a gyhoeddwyd ar Atebolrwydd Plismona, y diweddaraf yn gyntaf.\">"),
        "{listing}"
    );
    insta::assert_snapshot!("welsh_press_release", main_of(release));
}

#[test]
fn a_french_site_writes_dates_numbers_and_plurals_in_french() {
    let pages = built(
        "french",
        &["press-releases/2022-03-24-plan", "accessibility"],
    );
    let [release, statement] = &pages[..] else {
        unreachable!()
    };
    assert!(release.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    assert!(
        release.contains(">Aller au contenu principal</a>"),
        "{release}"
    );
    assert!(
        release.contains("<time datetime=\"2022-03-24\">24 mars 2022</time>"),
        "{release}"
    );
    // One day is singular in French; so is zero, which English counts as plural.
    assert!(
        statement.contains("Nous répondrons sous 1 jour ouvré."),
        "{statement}"
    );
    // French sets a narrow no-break space before a semicolon.
    assert!(
        statement.contains("sans JavaScript\u{202f};</li>"),
        "{statement}"
    );
}

#[test]
fn a_site_theme_s_strings_are_checked_word_for_word() {
    assert_report("broken-strings");
}

/// A German file made from the built-in English one without two of its keys (made here, so
/// that a key added to English later does not change the report).
#[test]
fn a_strings_file_missing_a_key_names_the_key_and_the_file() {
    let site = scratch_copy(&fixture("strings-missing"));
    let english = read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/default/strings/en.yaml"
    ));
    let mut german = String::from("# German, missing two of the strings English has.\n");
    let mut skipping = false;
    for line in english.lines() {
        skipping = line.starts_with("menu:")
            || line.starts_with("reply_within:")
            || (skipping && line.starts_with("  "));
        if !skipping && !line.starts_with('#') {
            german.push_str(line);
            german.push('\n');
        }
    }
    let dir = site.path().join("themes/mine/strings");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("de.yaml"), german).unwrap();
    let out = plainsight(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let expected = read(fixture("strings-missing").join("expected.txt"));
    assert_eq!(stderr(&out), expected);
}

#[test]
fn a_language_the_theme_has_no_strings_for_is_an_error_at_site_yaml() {
    assert_report("strings-none");
}

/// site.yaml's `languages:` checked word for word: a language listed twice, the site's own
/// language listed again, a code that is not a tag.
#[test]
fn languages_are_checked_word_for_word() {
    assert_report("broken-languages");
}

/// Translations checked word for word: shared fields named in a translation (at their line,
/// naming the original), a priority the plan lacks (with a suggestion), a translation of no
/// document, one with no title, a file in a language's folder, a document whose id is a
/// language code, a language the theme has no strings for; `notes.v2.md` is a document,
/// since `v2` is not a listed language.
#[test]
fn translations_are_checked_word_for_word() {
    assert_report("broken-translations");
}

/// What one built page says of its languages.
struct Versions {
    lang: String,
    /// `<link rel="alternate" hreflang>`: code -> absolute URL.
    alternates: std::collections::BTreeMap<String, String>,
    /// The switcher's links: href, lang, hreflang, and whether it says the page has no
    /// version there.
    switcher: Vec<(String, String, String, bool)>,
}

fn versions(html: &str) -> Versions {
    let html = scraper::Html::parse_document(html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let attr = |e: scraper::ElementRef, a: &str| e.value().attr(a).unwrap_or("").to_string();
    Versions {
        lang: attr(html.select(&sel("html")).next().unwrap(), "lang"),
        alternates: html
            .select(&sel("link[rel=alternate][hreflang]"))
            .map(|l| (attr(l, "hreflang"), attr(l, "href")))
            .collect(),
        switcher: html
            .select(&sel("nav.language-switcher a"))
            .map(|a| {
                let note = a.select(&sel(".switch-note")).next().is_some();
                (attr(a, "href"), attr(a, "lang"), attr(a, "hreflang"), note)
            })
            .collect(),
    }
}

/// Every page of the bilingual demo names each of its versions with `hreflang`, itself
/// included, and each version names it back; `x-default` is the English one. Every link of
/// the language switcher resolves to a page, with `lang` and `hreflang`: to this page in the
/// other language, or, saying so, to that language's home page.
#[test]
fn hreflang_pairs_are_reciprocal_and_every_switcher_link_resolves() {
    let site = scratch_copy(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    let out = plainsight(&["build", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    const ROOT: &str = "https://example.org/";
    let mut pages = std::collections::BTreeMap::new();
    for (path, bytes) in tree(&site.path().join("public")) {
        if path.ends_with(".html") && !path.ends_with("404.html") {
            let url = format!("{ROOT}{}", path.trim_end_matches("index.html"));
            pages.insert(url, versions(&String::from_utf8(bytes).unwrap()));
        }
    }
    let (mut pairs, mut to_home) = (0, 0);
    for (url, page) in &pages {
        assert_eq!(
            page.alternates.get(&page.lang),
            Some(url),
            "{url} names itself"
        );
        assert_eq!(
            page.alternates.get("x-default"),
            page.alternates.get("en-GB"),
            "{url}"
        );
        for (code, other) in page.alternates.iter().filter(|(c, _)| *c != "x-default") {
            let back = pages
                .get(other)
                .unwrap_or_else(|| panic!("{url}: its `{code}` version {other} is no page"));
            assert_eq!(&back.lang, code, "{other}");
            assert_eq!(
                back.alternates, page.alternates,
                "{other} and {url} disagree"
            );
            pairs += 1;
        }
        assert_eq!(page.switcher.len(), 1, "{url}: one other language");
        for (href, lang, hreflang, note) in &page.switcher {
            assert_eq!(lang, hreflang, "{url}");
            let target = format!("https://example.org{href}");
            assert!(pages.contains_key(&target), "{url}: {href} is no page");
            match page.alternates.get(hreflang) {
                Some(version) => assert!(&target == version && !note, "{url}: {href}"),
                None => {
                    let home = if hreflang == "cy" { "cy/" } else { "" };
                    assert!(target == format!("{ROOT}{home}") && *note, "{url}: {href}");
                    to_home += 1;
                }
            }
        }
    }
    // Both languages' every page but the untranslated documents', which are English only.
    assert!(pairs > 100, "{pairs} pairs");
    let english_only = pages.values().filter(|p| p.alternates.is_empty()).count();
    assert_eq!(
        english_only, 0,
        "every page has its alternates, if only itself"
    );
    assert_eq!(to_home, 6, "the demo's six documents not yet in Welsh");
}

/// Figures in a French text are read as French writes them ("51,3 %", "3,55 milliards de
/// livres", "3 400 000 000 £") and checked against the data; an English decimal point, a
/// wrong figure and a wrong scale are errors, quoted as written, the first saying how the
/// page's language writes the figure.
#[test]
fn figures_in_french_are_checked_as_french_writes_them() {
    let site = scratch_copy(&fixture("french"));
    let out = plainsight(&["check", "--root", site.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("3 claims checked"),
        "{}",
        stderr(&out)
    );
    assert_report("broken-french-claims");
}
