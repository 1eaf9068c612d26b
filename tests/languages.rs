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
