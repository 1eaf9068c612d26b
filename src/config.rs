//! content/site.yaml: the site's settings, parsed and validated into [`SiteConfig`].

use serde::Deserialize;

use crate::content::At;
use crate::diag::{Diagnostic, FileId};
use crate::urls::BaseUrl;
use crate::yaml::{self, Seg};

mod languages;
pub(crate) use languages::Language;

/// The settings every page needs. Built only from a valid site.yaml.
#[derive(Debug, Clone)]
pub(crate) struct SiteConfig {
    pub(crate) title: String,
    /// `short_title:`, else `title`: the name after a page's own title in `<title>`.
    pub(crate) short_title: String,
    /// `description:`: what the site is, for the home page's meta description.
    pub(crate) description: Option<String>,
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
    /// Path prefixes under the base URL that another system serves: addresses of the site
    /// under them are not checked against what the build makes.
    pub(crate) external_paths: Vec<At<String>>,
    /// The addresses site.yaml names, with their field and place: one under the base URL is
    /// checked once the site's pages are known, any other by `check --links`.
    pub(crate) urls: Vec<(&'static str, At<String>)>,
    /// site.yaml itself, where those are written.
    pub(crate) file: FileId,
    /// How old a metric's latest reading may be, in months, before it is marked as not updated.
    pub(crate) stale_after_months: u32,
    /// `as_of:`: the reference date, when the site states it rather than have it worked out.
    pub(crate) as_of: Option<chrono::NaiveDate>,
    /// `favicon:`: an SVG or PNG under content/, checked as the site loads; else the theme's.
    pub(crate) favicon: Option<At<String>>,
    /// `image:` and `image_alt:`: the picture a shared page shows when it has none of its own.
    pub(crate) image: Option<SharedImage>,
    /// `social_cards: true`: draw a card for every document rather than share the site's.
    pub(crate) social_cards: bool,
    /// `publisher_type: government`: structured data names the publisher a
    /// `GovernmentOrganization` rather than an `Organization`.
    pub(crate) publisher_government: bool,
    /// `languages:`: the languages the site publishes in besides `language`.
    pub(crate) languages: Vec<Language>,
    /// `require_translations: true`: a document with no translation in a listed language is
    /// an error rather than a note.
    pub(crate) require_translations: bool,
    /// The site's own language and its name in itself (from the theme's strings), whatever
    /// language `language` is now.
    pub(crate) own_language: (LanguageTag, String),
    /// Which of `languages` this is the site in, or `None` for its own language.
    pub(crate) current: Option<usize>,
}

/// A picture for shared links (`image:` under content/, with `image_alt:`), from site.yaml or
/// a document's front matter.
#[derive(Debug, Clone)]
pub(crate) struct SharedImage {
    pub(crate) path: At<String>,
    pub(crate) alt: String,
}

/// `stale_after_months` when site.yaml does not give it.
pub(crate) const STALE_AFTER_MONTHS: u32 = 18;

/// "Need this page in another format?" details shown on document pages.
#[derive(Debug, Clone, Deserialize, serde::Serialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "AccessibleFormats")]
pub(crate) struct AccessibleFormats {
    /// Where to ask for another format: an absolute https:, http: or mailto: address.
    #[schemars(pattern(r"^(https?://|mailto:)"))]
    pub(crate) contact_url: String,
    /// How many days a request takes to answer.
    pub(crate) response_days: u32,
}

impl AccessibleFormats {
    /// Whether `contact_url` is an absolute https:, http: or mailto: address: it is published
    /// as written, and an http(s) address without `//` would be read as a page of this site.
    pub(crate) fn contact_url_is_absolute(&self) -> bool {
        url::Url::parse(&self.contact_url).is_ok_and(|u| match u.scheme() {
            "mailto" => true,
            "http" | "https" => self.contact_url[u.scheme().len() + 1..].starts_with("//"),
            _ => false,
        })
    }
}

/// The settings of the whole site, in content/site.yaml.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfig {
    /// The site's name, shown on every page.
    #[serde(deserialize_with = "yaml::text")]
    title: String,
    /// The name after a page's own title in the browser tab; else `title`.
    short_title: Option<String>,
    /// What the site publishes, in a sentence: the home page's description.
    description: Option<String>,
    /// The full address the site is published at, e.g. https://example.org/policing/.
    #[schemars(pattern(crate::schema::BASE_URL))]
    base_url: String,
    /// The language of the site, a BCP 47 tag such as en-GB or cy.
    #[schemars(pattern(crate::schema::LANGUAGE))]
    language: String,
    /// A folder under themes/; `default` is the theme built into plainsight.
    #[schemars(pattern(crate::schema::THEME))]
    theme: Option<String>,
    /// Who publishes the site.
    publisher: Option<String>,
    /// "Need this page in another format?" details shown on document pages.
    accessible_formats: Option<AccessibleFormats>,
    /// Publish raw HTML in Markdown unsanitised: for trusted sites only.
    #[serde(default)]
    allow_raw_html: bool,
    /// A full-text search page at /search/.
    #[serde(default)]
    search: bool,
    /// Path prefixes under base_url that another system serves, each starting with `/`.
    #[serde(default)]
    #[schemars(inner(pattern(r"^/([^/?#][^?#]*)?$")))]
    external_paths: Vec<String>,
    /// Months after which a metric's latest reading is marked as not updated (default 18).
    #[schemars(range(min = 1))]
    stale_after_months: Option<i64>,
    /// The date the site's figures are as of, YYYY-MM-DD; else the newest date in the content.
    #[schemars(pattern(crate::schema::DATE))]
    as_of: Option<String>,
    /// An SVG or PNG file under content/ to use as the favicon.
    favicon: Option<String>,
    /// A PNG or JPEG under content/ that shared links show; needs `image_alt`.
    image: Option<String>,
    /// What `image` shows, for people who cannot see it.
    image_alt: Option<String>,
    /// Draw a social card for every document rather than share the site's image.
    #[serde(default)]
    social_cards: bool,
    /// `government` or `organization` (the default): how structured data names the publisher.
    #[schemars(with = "Option<PublisherType>")]
    publisher_type: Option<String>,
    /// The languages the site publishes in besides `language`, e.g. [{code: cy, name: Cymraeg}].
    #[serde(default)]
    languages: Vec<languages::RawLanguage>,
    /// Make a document with no translation in a listed language an error, not a note.
    #[serde(default)]
    require_translations: bool,
}

/// The words `publisher_type:` takes.
struct PublisherType;

impl schemars::JsonSchema for PublisherType {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PublisherType".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::schema::one_of(
            &["government", "organization"],
            "`government` or `organization`",
        )
    }
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
    let mut raw: RawConfig =
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
            Diagnostic::error("the site's title is empty")
                .at(file, at("title"))
                .help("give the site a title"),
        );
    }
    if let Some(af) = &raw.accessible_formats
        && !af.contact_url_is_absolute()
    {
        errors.push(
                Diagnostic::error(format!("accessible_formats.contact_url `{}` is not an absolute https:, http: or mailto: URL", af.contact_url))
                    .at(file, yaml::locate(text, &[Seg::Key("accessible_formats"), Seg::Key("contact_url")]).unwrap_or(0..0))
                    .help("give a full address, e.g. https://example.org/contact"),
            );
    }

    let external_paths = external_paths(file, text, &raw.external_paths, &mut errors);
    let (stale_after_months, as_of) = freshness(file, text, &raw, &mut errors);
    let (short_title, description) = naming(file, text, &raw, &mut errors);
    let image = shared_image(
        file,
        "site.yaml",
        (&raw.image, &raw.image_alt),
        |key| yaml::locate(text, &[Seg::Key(key)]).unwrap_or(0..0),
        &mut errors,
    );
    let publisher_government = publisher_government(file, text, &raw, &mut errors);
    let languages = languages::parse(
        file,
        text,
        std::mem::take(&mut raw.languages),
        language.as_ref().ok(),
        &mut errors,
    );
    let favicon = raw.favicon.as_ref().map(|f| At {
        value: f.trim().trim_start_matches("./").to_string(),
        span: at("favicon"),
    });
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
            short_title,
            description,
            base_url,
            theme,
            publisher: raw.publisher,
            urls: urls(text, raw.accessible_formats.as_ref()),
            accessible_formats: raw.accessible_formats,
            allow_raw_html: raw.allow_raw_html,
            search: raw.search,
            external_paths,
            file,
            stale_after_months,
            as_of,
            favicon,
            image,
            social_cards: raw.social_cards,
            publisher_government,
            own_language: (language.clone(), String::new()),
            language,
            languages,
            require_translations: raw.require_translations,
            current: None,
        }),
        _ => Err(errors),
    }
}

/// `publisher_type:`: whether the publisher is a government body (schema.org's
/// `GovernmentOrganization`) rather than an organization, the default.
fn publisher_government(
    file: FileId,
    text: &str,
    raw: &RawConfig,
    errors: &mut Vec<Diagnostic>,
) -> bool {
    match raw.publisher_type.as_deref().map(str::trim) {
        None | Some("organization") => false,
        Some("government") => true,
        Some(other) => {
            let known = ["government", "organization"];
            let help = crate::diag::suggest(other, known).map_or_else(
                || {
                    "write `government` or `organization`, or leave it out for `organization`"
                        .to_string()
                },
                crate::diag::did_you_mean,
            );
            errors.push(
                Diagnostic::error(format!(
                    "publisher_type `{other}` is not `government` or `organization`"
                ))
                .at(
                    file,
                    yaml::locate(text, &[Seg::Key("publisher_type")]).unwrap_or(0..0),
                )
                .help(help),
            );
            false
        }
    }
}

/// `short_title:` (default `title`) and `description:`, each refused when given but blank.
fn naming(
    file: FileId,
    text: &str,
    raw: &RawConfig,
    errors: &mut Vec<Diagnostic>,
) -> (String, Option<String>) {
    let mut given = |key: &str, value: &Option<String>, help: &str| match value {
        Some(v) if v.trim().is_empty() => {
            errors.push(
                Diagnostic::error(format!("{key} is empty"))
                    .at(file, yaml::locate(text, &[Seg::Key(key)]).unwrap_or(0..0))
                    .help(help.to_string()),
            );
            None
        }
        v => v.as_ref().map(|v| v.trim().to_string()),
    };
    let short = given(
        "short_title",
        &raw.short_title,
        "give the site's name as it should follow each page's title, or leave it out to use `title`",
    );
    let description = given(
        "description",
        &raw.description,
        "say in a sentence what the site publishes, or leave it out",
    );
    (short.unwrap_or_else(|| raw.title.clone()), description)
}

/// `image:` and `image_alt:` of site.yaml or a front matter (`what`): both or neither, the
/// alternative text not blank; `at` finds a key's place. The file itself is checked later.
pub(crate) fn shared_image(
    file: FileId,
    what: &str,
    (image, alt): (&Option<String>, &Option<String>),
    at: impl Fn(&str) -> std::ops::Range<usize>,
    errors: &mut Vec<Diagnostic>,
) -> Option<SharedImage> {
    match (image, alt) {
        (None, None) => None,
        (Some(_), None) => {
            errors.push(
                Diagnostic::error(format!("{what} has `image` but no `image_alt`"))
                    .at(file, at("image"))
                    .help("add `image_alt:`, a short description of the picture for people who cannot see it"),
            );
            None
        }
        (None, Some(_)) => {
            errors.push(
                Diagnostic::error(format!("{what} has `image_alt` but no `image`"))
                    .at(file, at("image_alt"))
                    .help("add `image:`, the path of a PNG or JPEG file under content/, or remove `image_alt`"),
            );
            None
        }
        (Some(_), Some(alt)) if alt.trim().is_empty() => {
            errors.push(
                Diagnostic::error("image_alt is empty")
                    .at(file, at("image_alt"))
                    .help("say in a few words what the picture shows"),
            );
            None
        }
        (Some(image), Some(alt)) => Some(SharedImage {
            path: At {
                value: image.trim().to_string(),
                span: at("image"),
            },
            alt: alt.trim().to_string(),
        }),
    }
}

/// `stale_after_months:` (a whole number of months, at least 1) and `as_of:` (a date).
fn freshness(
    file: FileId,
    text: &str,
    raw: &RawConfig,
    errors: &mut Vec<Diagnostic>,
) -> (u32, Option<chrono::NaiveDate>) {
    let at = |key: &str| yaml::locate(text, &[Seg::Key(key)]).unwrap_or(0..0);
    let months = match raw.stale_after_months {
        None => STALE_AFTER_MONTHS,
        Some(n) => u32::try_from(n).ok().filter(|&n| n > 0).unwrap_or_else(|| {
            errors.push(
                Diagnostic::error(format!("stale_after_months is {n}, not a positive number of months"))
                    .at(file, at("stale_after_months"))
                    .help(format!("give a whole number of months of at least 1, or leave it out for {STALE_AFTER_MONTHS}")),
            );
            STALE_AFTER_MONTHS
        }),
    };
    let as_of = raw.as_of.as_deref().and_then(|d| {
        crate::content::front_matter::parse_date(d.trim())
            .map_err(|m| {
                errors.push(
                    Diagnostic::error(format!("as_of: {m}"))
                        .at(file, at("as_of"))
                        .help("give the date the site's figures are as of, as YYYY-MM-DD, or leave it out to use the newest date in the content"),
                )
            })
            .ok()
    });
    (months, as_of)
}

/// `external_paths:`, each at its place; one that is not a path from the site's root is an error.
fn external_paths(
    file: FileId,
    text: &str,
    paths: &[String],
    errors: &mut Vec<Diagnostic>,
) -> Vec<At<String>> {
    let places = yaml::locate_items(text, &[Seg::Key("external_paths")]);
    let mut out = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let span = places.get(i).cloned().unwrap_or(0..0);
        let path = path.trim();
        // `//` would name another host, and `?` or `#` are not part of a path.
        if !path.starts_with('/') || path.starts_with("//") || path.contains(['?', '#']) {
            errors.push(
                Diagnostic::error(format!("external_paths entry `{path}` is not a path from the site's root"))
                    .at(file, span)
                    .help("write the start of the path under base_url that another system serves, beginning with `/`, e.g. /contact/"),
            );
            continue;
        }
        out.push(At {
            value: path.to_string(),
            span,
        });
    }
    out
}

/// The addresses site.yaml names, each with its field and where its value is written.
fn urls(text: &str, af: Option<&AccessibleFormats>) -> Vec<(&'static str, At<String>)> {
    let mut out = Vec::new();
    if let Some(af) = af {
        let span = yaml::locate(
            text,
            &[Seg::Key("accessible_formats"), Seg::Key("contact_url")],
        );
        out.push((
            "accessible_formats.contact_url",
            At {
                value: af.contact_url.clone(),
                span: span.unwrap_or(0..0),
            },
        ));
    }
    out
}

impl SiteConfig {
    /// What follows the base URL in `address` (`reports/x/?q#top`), when it is an address of
    /// this site ([`BaseUrl::inner_path`]) that `external_paths` does not hand to another
    /// system: the build checks those as it checks links to `/path`, so a check of links to
    /// other sites skips them (`own_address(u).is_some()`); those under `external_paths` are
    /// another system's, and are not skipped.
    pub(crate) fn own_address(&self, address: &str) -> Option<String> {
        let url = url::Url::parse(address.trim()).ok()?;
        let inner = self.base_url.inner_path(&url)?;
        if self.is_external_path(&inner) {
            return None;
        }
        let query = url.query().map_or(String::new(), |q| format!("?{q}"));
        let fragment = url.fragment().map_or(String::new(), |f| format!("#{f}"));
        Some(format!("{inner}{query}{fragment}"))
    }

    /// Whether the path `inner` below the base URL (as [`BaseUrl::inner_path`] gives it) is one
    /// that `external_paths` hands to another system. A prefix names a folder with or without
    /// its last `/` (`/contact/` covers `/contact`, `/contact/` and `/contact/form`) and whole
    /// segments only (`/contact` does not cover `/contacts`). The path is compared decoded, as
    /// the server reads it (`/cont%61ct` is `/contact`).
    pub(crate) fn is_external_path(&self, inner: &str) -> bool {
        let inner = percent_encoding::percent_decode_str(inner).decode_utf8_lossy();
        self.external_paths.iter().any(|p| covers(&p.value, &inner))
    }
}

/// Whether the `external_paths` entry `prefix` covers the path `inner` below the base URL
/// (see [`SiteConfig::is_external_path`]).
pub(crate) fn covers(prefix: &str, inner: &str) -> bool {
    let path = format!("/{inner}");
    match path.strip_prefix(prefix.trim_end_matches('/')) {
        Some(rest) => rest.is_empty() || rest.starts_with(['/', '?', '#']),
        None => false,
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
    fn the_short_title_defaults_to_the_title_and_neither_it_nor_the_description_may_be_blank() {
        let base = "title: Long Name\nbase_url: https://example.org/\nlanguage: en\n";
        let c = parse(FileId(0), base).unwrap();
        assert_eq!((c.short_title.as_str(), c.description), ("Long Name", None));
        let c = parse(
            FileId(0),
            &format!("{base}short_title: Name\ndescription: What it is.\n"),
        )
        .unwrap();
        assert_eq!(c.short_title, "Name");
        assert_eq!(c.description.as_deref(), Some("What it is."));
        let errs = parse(
            FileId(0),
            &format!("{base}short_title: \" \"\ndescription: ''\n"),
        )
        .unwrap_err();
        let messages: Vec<&str> = errs.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages, ["short_title is empty", "description is empty"]);
    }

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

#[cfg(test)]
mod external_paths_tests {
    use super::*;

    const BASE: &str = "title: T\nbase_url: https://example.org/policing/\nlanguage: en\n";

    #[test]
    fn prefixes_cover_whole_segments_with_or_without_the_last_slash() {
        let c = parse(
            FileId(0),
            &format!("{BASE}external_paths:\n  - /contact/\n  - /forms\n"),
        )
        .unwrap();
        assert!(c.is_external_path("contact"));
        assert!(c.is_external_path("contact/"));
        assert!(c.is_external_path("contact/form?x=1"));
        assert!(c.is_external_path("forms/a"));
        assert!(!c.is_external_path("contacts/"));
        assert!(!c.is_external_path("formsx"));
        assert!(!c.is_external_path("reports/contact/"));
        assert!(!c.is_external_path(""));
        assert!(c.is_external_path("cont%61ct/form"));
        let all = parse(FileId(0), &format!("{BASE}external_paths: [/]\n")).unwrap();
        assert!(all.is_external_path("") && all.is_external_path("a/b"));
    }

    #[test]
    fn each_must_be_a_path_from_the_root_and_is_reported_at_its_item() {
        let text = format!("{BASE}external_paths:\n  - /ok/\n  - contact/\n  - //host/x\n");
        let errs = parse(FileId(0), &text).unwrap_err();
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(
            errs[0].message,
            "external_paths entry `contact/` is not a path from the site's root"
        );
        let span = errs[0].location.as_ref().unwrap().span.clone();
        assert!(text[span.start..].starts_with("contact/"), "{span:?}");
        // A misspelt key gets the nearest field.
        let errs = parse(FileId(0), &format!("{BASE}external_path: [/a/]\n")).unwrap_err();
        assert!(errs[0].help.contains("`external_paths`"), "{errs:?}");
    }

    #[test]
    fn own_addresses_keep_query_and_fragment_and_leave_out_external_paths() {
        let c = parse(FileId(0), &format!("{BASE}external_paths: [/contact/]\n")).unwrap();
        let own = |a: &str| c.own_address(a);
        assert_eq!(
            own("https://example.org/policing/reports/?q=1#top").as_deref(),
            Some("reports/?q=1#top")
        );
        assert_eq!(
            own("http://example.org/policing/contacts").as_deref(),
            Some("contacts")
        );
        assert_eq!(own("https://example.org/policing/contact"), None);
        assert_eq!(own("https://example.org/policing/contact/form#f"), None);
        assert_eq!(own("https://example.org/elsewhere/"), None);
        assert_eq!(own("mailto:x@example.org"), None);
        assert_eq!(own("/policing/reports/"), None);
        assert_eq!(own("not a url"), None);
    }

    #[test]
    fn the_contact_url_is_kept_with_its_place() {
        let text = format!(
            "{BASE}accessible_formats:\n  contact_url: https://example.org/policing/contact\n  response_days: 5\n"
        );
        let c = parse(FileId(0), &text).unwrap();
        let (field, at) = &c.urls[0];
        assert_eq!(*field, "accessible_formats.contact_url");
        assert_eq!(
            &text[at.span.clone()],
            "https://example.org/policing/contact"
        );
    }
}

#[cfg(test)]
mod freshness_tests {
    use super::*;

    const HEAD: &str = "title: T\nbase_url: https://example.org/\nlanguage: en-GB\n";

    #[test]
    fn stale_after_months_defaults_to_18_and_as_of_to_none() {
        let c = parse(FileId(0), HEAD).unwrap();
        assert_eq!((c.stale_after_months, c.as_of), (18, None));
        let c = parse(
            FileId(0),
            &format!("{HEAD}stale_after_months: 6\nas_of: 2024-03-31\n"),
        )
        .unwrap();
        assert_eq!(c.stale_after_months, 6);
        assert_eq!(c.as_of, chrono::NaiveDate::from_ymd_opt(2024, 3, 31));
    }

    #[test]
    fn a_stale_after_months_below_one_and_a_bad_as_of_are_errors() {
        let errs: Vec<String> = parse(
            FileId(0),
            &format!("{HEAD}stale_after_months: -2\nas_of: 31/03/2024\n"),
        )
        .unwrap_err()
        .into_iter()
        .map(|d| d.message)
        .collect();
        assert_eq!(
            errs,
            vec![
                "stale_after_months is -2, not a positive number of months",
                "as_of: `31/03/2024` is not a date in the form YYYY-MM-DD",
            ]
        );
    }
}
