//! site.yaml's `languages:`: the languages a site publishes in besides its own, each with the
//! settings it may say in its own words, validated at their lines.

use serde::Deserialize;

use super::{AccessibleFormats, LanguageTag};
use crate::diag::{Diagnostic, FileId};
use crate::yaml::{self, Seg};

/// One of the site's other languages, as site.yaml lists it.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Language")]
pub(crate) struct RawLanguage {
    /// A BCP 47 tag such as cy or fr-CA: pages in it are published under /CODE/.
    #[schemars(pattern(crate::schema::LANGUAGE))]
    code: String,
    /// The language's name in itself, as the language switcher shows it: Cymraeg, Français.
    #[serde(deserialize_with = "yaml::text")]
    name: String,
    /// The site's title in this language; else site.yaml's `title`.
    title: Option<String>,
    /// The short title in this language; else this language's `title`, else `short_title`.
    short_title: Option<String>,
    /// What the site publishes, in this language; else `description`.
    description: Option<String>,
    /// Who publishes the site, as this language names it; else `publisher`.
    publisher: Option<String>,
    /// Where to ask for another format in this language; else `accessible_formats`.
    accessible_formats: Option<AccessibleFormats>,
}

/// A language the site publishes in besides its default one.
#[derive(Debug, Clone)]
pub(crate) struct Language {
    pub(crate) code: LanguageTag,
    /// Its name in itself, for the switcher.
    pub(crate) name: String,
    pub(crate) title: Option<String>,
    pub(crate) short_title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) publisher: Option<String>,
    pub(crate) accessible_formats: Option<AccessibleFormats>,
    /// Where its entry is written in site.yaml.
    pub(crate) span: std::ops::Range<usize>,
}

/// Check `languages:` (`raw`, written in site.yaml `file` with text `text`) against the
/// default language `default`: each code a tag, not the default, not listed twice, with a name.
pub(crate) fn parse(
    file: FileId,
    text: &str,
    raw: Vec<RawLanguage>,
    default: Option<&LanguageTag>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Language> {
    let mut out: Vec<Language> = Vec::new();
    for (i, l) in raw.into_iter().enumerate() {
        let at = |key: &str| {
            yaml::locate(text, &[Seg::Key("languages"), Seg::Index(i), Seg::Key(key)])
                .or_else(|| yaml::locate(text, &[Seg::Key("languages"), Seg::Index(i)]))
                .unwrap_or(0..0)
        };
        let code = l.code.trim();
        let Some(tag) = LanguageTag::parse(code) else {
            errors.push(
                Diagnostic::error(format!("language `{code}` is not a BCP 47 language tag"))
                    .at(file, at("code"))
                    .help("use a tag such as cy, fr or fr-CA"),
            );
            continue;
        };
        if default.is_some_and(|d| d.as_str().eq_ignore_ascii_case(code)) {
            errors.push(
                Diagnostic::error(format!(
                    "`{code}` is the site's own language, not another one"
                ))
                .at(file, at("code"))
                .help("list under `languages:` only the languages besides `language:`"),
            );
            continue;
        }
        if out
            .iter()
            .any(|o| o.code.as_str().eq_ignore_ascii_case(code))
        {
            errors.push(
                Diagnostic::error(format!("language `{code}` is listed twice"))
                    .at(file, at("code"))
                    .help("keep one entry for each language"),
            );
            continue;
        }
        if let Some(af) = &l.accessible_formats
            && !af.contact_url_is_absolute()
        {
            errors.push(
                Diagnostic::error(format!(
                    "accessible_formats.contact_url `{}` of language `{code}` is not an absolute https:, http: or mailto: URL",
                    af.contact_url
                ))
                .at(file, at("accessible_formats"))
                .help("give a full address, e.g. https://example.org/cy/contact"),
            );
        }
        let mut given = |key: &str, value: Option<String>| match value {
            Some(v) if v.trim().is_empty() => {
                errors.push(
                    Diagnostic::error(format!("{key} of language `{code}` is empty"))
                        .at(file, at(key))
                        .help("write it in this language, or leave it out to use the site's"),
                );
                None
            }
            v => v.map(|v| v.trim().to_string()),
        };
        let name = given("name", Some(l.name));
        let language = Language {
            code: tag,
            name: name.unwrap_or_default(),
            title: given("title", l.title),
            short_title: given("short_title", l.short_title),
            description: given("description", l.description),
            publisher: given("publisher", l.publisher),
            accessible_formats: l.accessible_formats,
            span: yaml::locate(text, &[Seg::Key("languages"), Seg::Index(i)]).unwrap_or(0..0),
        };
        out.push(language);
    }
    out
}
