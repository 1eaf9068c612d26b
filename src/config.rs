//! content/site.yaml: the site's settings, parsed and validated into [`SiteConfig`].

use serde::Deserialize;

use crate::diag::{Diagnostic, FileId};
use crate::urls::BaseUrl;
use crate::yaml::{self, Seg};

/// The settings every page needs. Built only from a valid site.yaml.
#[derive(Debug, Clone)]
pub(crate) struct SiteConfig {
    pub(crate) title: String,
    pub(crate) base_url: BaseUrl,
    pub(crate) language: LanguageTag,
    /// Folder under themes/; `default` is the theme embedded in the binary.
    pub(crate) theme: String,
    pub(crate) publisher: Option<String>,
    pub(crate) accessible_formats: Option<AccessibleFormats>,
    /// Trusted sites may publish raw HTML from Markdown unsanitised.
    pub(crate) allow_raw_html: bool,
    /// A full-text search page at /search/, with a Pagefind index built with the site.
    pub(crate) search: bool,
}

/// "Need this page in another format?" details shown on document pages.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccessibleFormats {
    pub(crate) contact_url: String,
    pub(crate) response_days: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: String,
    language: String,
    theme: Option<String>,
    publisher: Option<String>,
    accessible_formats: Option<AccessibleFormats>,
    #[serde(default)]
    allow_raw_html: bool,
    #[serde(default)]
    search: bool,
}

/// A BCP 47 language tag such as `en-GB` or `cy`, checked for shape (not against the registry).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub(crate) struct LanguageTag(String);

impl LanguageTag {
    pub(crate) fn parse(s: &str) -> Option<LanguageTag> {
        let mut parts = s.split('-');
        let primary = parts.next()?;
        let ok = (2..=3).contains(&primary.len())
            && primary.chars().all(|c| c.is_ascii_alphabetic())
            && parts.all(|p| {
                (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric())
            });
        ok.then(|| LanguageTag(s.to_string()))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// Turn a YAML error into a located diagnostic; `what` names the file's role ("front matter",
/// "site.yaml") and `offset` is where the YAML starts in the file.
pub(crate) fn yaml_diagnostic(
    file: FileId,
    offset: usize,
    what: &str,
    e: yaml::YamlError,
) -> Diagnostic {
    let span = e.span.start + offset..e.span.end + offset;
    match e.kind {
        yaml::YamlErrorKind::UnknownField { field, expected } => {
            let help = match crate::diag::suggest(&field, expected.iter().map(String::as_str)) {
                Some(s) => crate::diag::did_you_mean(s),
                None => format!("known fields: {}", expected.join(", ")),
            };
            Diagnostic::error(format!("unknown {what} field `{field}`"))
                .at(file, span)
                .help(help)
        }
        yaml::YamlErrorKind::MissingField { field } => {
            Diagnostic::error(format!("{what} has no `{field}`"))
                .at(file, span)
                .help(format!("add `{field}: ...`"))
        }
        yaml::YamlErrorKind::DuplicateField { field } => {
            Diagnostic::error(format!("`{field}` is given twice in {what}"))
                .at(file, span)
                .help("keep one of them")
        }
        yaml::YamlErrorKind::Control { found, escape } => {
            let c = crate::text::describe(found);
            match escape {
                None => Diagnostic::error(format!("control character {c} in {what}"))
                    .at(file, span)
                    .help(crate::text::CONTROL_HELP),
                Some(e) => Diagnostic::error(format!(
                    "the escape `{e}` in {what} writes control character {c}"
                ))
                .at(file, span)
                .help("delete the escape: text may not hold control characters"),
            }
        }
        yaml::YamlErrorKind::TooDeep => Diagnostic::error(format!(
            "{what} nests lists and mappings more than {} levels deep here",
            yaml::MAX_DEPTH
        ))
        .at(file, span)
        .help("flatten the structure: no field of a plainsight file needs more than a few levels"),
        yaml::YamlErrorKind::Other(m) => Diagnostic::error(format!("invalid YAML in {what}: {m}"))
            .at(file, span)
            .help("fix the YAML here"),
    }
}

/// Parse and validate site.yaml (file `file`, text `text`), or say everything wrong with it.
pub(crate) fn parse(file: FileId, text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
    let raw: RawConfig =
        yaml::parse(text).map_err(|e| vec![yaml_diagnostic(file, 0, "site.yaml", e)])?;
    let at = |key: &str| yaml::locate(text, &[Seg::Key(key)]).unwrap_or(0..0);
    let mut errors = Vec::new();
    let base_url = BaseUrl::parse(raw.base_url.trim()).map_err(|m| {
        errors.push(
            Diagnostic::error(format!("base_url {m}"))
                .at(file, at("base_url"))
                .help("give the full address the site is published at, e.g. https://example.org/policing/"),
        )
    });
    let language = LanguageTag::parse(raw.language.trim()).ok_or_else(|| {
        errors.push(
            Diagnostic::error(format!(
                "language `{}` is not a BCP 47 language tag",
                raw.language
            ))
            .at(file, at("language"))
            .help("use a tag such as en-GB, en or cy"),
        )
    });
    if raw.title.trim().is_empty() {
        errors.push(
            Diagnostic::error("site title is empty")
                .at(file, at("title"))
                .help("give the site a title"),
        );
    }
    if let Some(af) = &raw.accessible_formats {
        // Published as written: an http(s) address without `//` would be read as a page of
        // this site.
        let url_ok = url::Url::parse(&af.contact_url).is_ok_and(|u| match u.scheme() {
            "mailto" => true,
            "http" | "https" => af.contact_url[u.scheme().len() + 1..].starts_with("//"),
            _ => false,
        });
        if !url_ok {
            errors.push(
                Diagnostic::error(format!("accessible_formats.contact_url `{}` is not an absolute https:, http: or mailto: URL", af.contact_url))
                    .at(file, yaml::locate(text, &[Seg::Key("accessible_formats"), Seg::Key("contact_url")]).unwrap_or(0..0))
                    .help("give a full address, e.g. https://example.org/contact"),
            );
        }
    }
    let theme = raw.theme.unwrap_or_else(|| "default".to_string());
    if theme.is_empty()
        || !theme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        errors.push(
            Diagnostic::error(format!("theme `{theme}` is not a folder name"))
                .at(file, at("theme"))
                .help("use letters, digits, - and _ only: the name of a folder under themes/"),
        );
    }
    match (base_url, language) {
        (Ok(base_url), Ok(language)) if errors.is_empty() => Ok(SiteConfig {
            title: raw.title,
            base_url,
            language,
            theme,
            publisher: raw.publisher,
            accessible_formats: raw.accessible_formats,
            allow_raw_html: raw.allow_raw_html,
            search: raw.search,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_checked_for_shape() {
        assert!(LanguageTag::parse("en-GB").is_some());
        assert!(LanguageTag::parse("cy").is_some());
        assert!(LanguageTag::parse("english").is_none());
        assert!(LanguageTag::parse("en_GB").is_none());
    }

    #[test]
    fn reports_every_problem_in_one_pass() {
        let text = "title: T\nbase_url: example.org\nlanguage: english\n";
        let errs = parse(FileId(0), text).unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
    }
}

#[cfg(test)]
mod search_tests {
    use super::*;

    #[test]
    fn search_is_off_unless_asked_for_and_must_be_true_or_false() {
        let base = "title: T\nbase_url: https://example.org/\nlanguage: en\n";
        assert!(!parse(FileId(0), base).unwrap().search);
        assert!(
            parse(FileId(0), &format!("{base}search: true\n"))
                .unwrap()
                .search
        );
        let errs = parse(FileId(0), &format!("{base}search: yes please\n")).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert!(errs[0].message.contains("boolean"), "{:?}", errs[0].message);
        let span = errs[0].location.as_ref().unwrap().span.clone();
        assert!(format!("{base}search: yes please\n")[span.start..].starts_with("yes please"));
        // A misspelling gets the nearest field.
        let errs = parse(FileId(0), &format!("{base}serch: true\n")).unwrap_err();
        assert!(errs[0].help.contains("`search`"), "{errs:?}");
    }
}
