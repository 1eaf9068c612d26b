//! Translations: `reports/x.cy.md` beside `reports/x.md`, holding only what a language says in
//! its own words (title, summary, author, body, a plan's priorities), read and validated
//! here, and the site in one of its languages ([`Site::in_language`]) built from them.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;

use super::{Document, Site};
use crate::config::yaml_diagnostic;
use crate::diag::{Diagnostic, FileId};
use crate::markdown::Scan;
use crate::yaml::{self, Seg};

/// A document's translation into one of the site's other languages.
#[derive(Debug, Clone)]
pub(crate) struct Translation {
    pub(crate) file: FileId,
    /// The original's path under content/ (`reports/x.md`).
    pub(crate) original: String,
    /// Which of site.yaml's `languages:` it is in.
    pub(crate) language: usize,
    pub(crate) title: String,
    pub(crate) summary: Option<String>,
    pub(crate) author: Option<String>,
    /// A plan's priorities in this language, by id: title and summary.
    pub(crate) priorities: BTreeMap<String, (String, String)>,
    pub(crate) body_offset: usize,
    pub(crate) scan: Scan,
    pub(crate) digest: u64,
}

/// The front matter a translation may have: what it translates, and what else a document's
/// front matter may hold only so that naming it is reported as shared, not as unknown.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // The shared fields are read only to be refused, at their place in the text.
struct RawTranslation {
    #[serde(deserialize_with = "yaml::text")]
    title: String,
    #[serde(default, deserialize_with = "yaml::given_text")]
    summary: Option<String>,
    author: Option<String>,
    priorities: Option<yaml::UniqueMap<RawPriority>>,
    // Shared with the original: refused below, at their line.
    kind: Option<yaml::Value>,
    date: Option<yaml::Value>,
    id: Option<yaml::Value>,
    plans: Option<yaml::Value>,
    metrics: Option<yaml::Value>,
    draft: Option<yaml::Value>,
    footer: Option<yaml::Value>,
    language: Option<yaml::Value>,
    extra: Option<yaml::Value>,
    owner: Option<yaml::Value>,
    period: Option<yaml::Value>,
    supersedes: Option<yaml::Value>,
    updated: Option<yaml::Value>,
    corrections: Option<yaml::Value>,
    image: Option<yaml::Value>,
    image_alt: Option<yaml::Value>,
    progress: Option<yaml::Value>,
}

/// A plan's priority as a translation gives it.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TranslatedPriority")]
struct RawPriority {
    /// The priority's title in this language.
    #[serde(deserialize_with = "yaml::text")]
    title: String,
    /// Its summary in this language.
    #[serde(deserialize_with = "yaml::text")]
    summary: String,
}

/// A translation's front matter as editors see it (`x.CODE.md`): what it may say. The build
/// reads it as [`RawTranslation`], which also finds the shared fields it must not name.
#[derive(schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "TranslationFrontMatter")]
#[allow(dead_code)] // Only its schema is used.
pub(crate) struct TranslationSchema {
    /// The document's title in this language.
    title: String,
    /// Its one-sentence summary in this language.
    summary: Option<String>,
    /// Who wrote it, as this language names them; else the original's author.
    author: Option<String>,
    /// In a plan's translation: each priority's title and summary in this language, by id.
    priorities: Option<BTreeMap<String, RawPriority>>,
}

/// The fields a translation shares with its original, which it may not name.
const SHARED: [&str; 17] = [
    "kind",
    "date",
    "id",
    "plans",
    "metrics",
    "draft",
    "footer",
    "language",
    "extra",
    "owner",
    "period",
    "supersedes",
    "updated",
    "corrections",
    "image",
    "image_alt",
    "progress",
];

/// Whether `rel` (a path under content/) names a translation: `x.CODE.md` with CODE one of
/// `codes`; returns the original's path and the language's index in `codes`.
pub(crate) fn translation_path(rel: &str, codes: &[&str]) -> Option<(String, usize)> {
    let (dir, name) = rel.rsplit_once('/').map_or(("", rel), |(d, n)| (d, n));
    let (stem, code) = name.strip_suffix(".md")?.rsplit_once('.')?;
    let language = codes.iter().position(|c| *c == code)?;
    if stem.is_empty() {
        return None;
    }
    let original = if dir.is_empty() {
        format!("{stem}.md")
    } else {
        format!("{dir}/{stem}.md")
    };
    Some((original, language))
}

/// Read translation `text` (file `file`, of `original`, in language `language`): its front
/// matter and its body's scan, or every problem with it.
pub(crate) fn parse(
    file: FileId,
    original: String,
    language: usize,
    text: &str,
) -> Result<Translation, Vec<Diagnostic>> {
    let split = super::front_matter::split(text, file).map_err(|d| vec![d])?;
    let yaml_text = &text[split.yaml.clone()];
    let shift = |r: Range<usize>| r.start + split.yaml.start..r.end + split.yaml.start;
    let raw: RawTranslation = yaml::parse(yaml_text).map_err(|e| {
        vec![match &e.kind {
            yaml::YamlErrorKind::MissingField { field } if field == "title" => {
                Diagnostic::error("the translation has no title")
                    .at(file, split.fence.clone())
                    .help("add `title: ...` in this language to the front matter")
            }
            _ => yaml_diagnostic(file, split.yaml.start, "front matter", e),
        }]
    })?;
    let mut errors = Vec::new();
    for key in SHARED {
        if let Some(at) = yaml::locate_key(yaml_text, key) {
            errors.push(
                Diagnostic::error(format!(
                    "`{key}` is not translated: a translation shares it with content/{original}"
                ))
                .at(file, shift(at))
                .help(format!(
                    "remove it here; set it in content/{original}, which this file translates"
                )),
            );
        }
    }
    if raw.title.trim().is_empty() {
        let at = yaml::locate(yaml_text, &[Seg::Key("title")]).map_or(split.fence.clone(), shift);
        errors.push(
            Diagnostic::error("the title is empty")
                .at(file, at)
                .help("give the translation a title"),
        );
    }
    let priorities = raw.priorities.map_or_else(BTreeMap::new, |m| {
        m.0.into_iter()
            .map(|(id, p)| {
                (
                    id,
                    (p.title.trim().to_string(), p.summary.trim().to_string()),
                )
            })
            .collect()
    });
    let body = &text[split.body..];
    errors.extend(crate::text::control_errors(file, body, split.body));
    let scan = crate::markdown::scan(body);
    for p in &scan.problems {
        if p.severity == crate::diag::Severity::Error {
            errors.push(
                Diagnostic::error(&p.message)
                    .at(file, p.span.start + split.body..p.span.end + split.body)
                    .help(&p.help),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Translation {
        file,
        original,
        language,
        title: raw.title.trim().to_string(),
        summary: raw.summary,
        author: raw.author,
        priorities,
        body_offset: split.body,
        scan,
        digest: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
    })
}

/// Checks that need the originals: each translation's original exists and is a document,
/// and its priorities are the plan's. Returns the translations that can be used.
pub(crate) fn attach(
    documents: &[Document],
    translations: Vec<Translation>,
    sources: &crate::diag::SourceFiles,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Translation> {
    let mut kept = Vec::new();
    for t in translations {
        let Some(doc) = documents.iter().find(|d| d.path.0 == t.original) else {
            errors.push(
                Diagnostic::error(format!(
                    "this translates content/{}, which is not a document",
                    t.original
                ))
                .at(t.file, 0..0)
                .help(format!(
                    "add content/{} in the site's own language, or rename this file",
                    t.original
                )),
            );
            continue;
        };
        let defs = doc.plan.as_ref().map(|p| &p.priorities[..]).unwrap_or(&[]);
        let text = sources.text(t.file);
        for id in t.priorities.keys() {
            if !defs.iter().any(|d| d.id.as_str() == id) {
                let at = super::front_matter::split(text, t.file)
                    .ok()
                    .and_then(|s| {
                        let path = [Seg::Key("priorities"), Seg::Key(id)];
                        let r = yaml::locate(&text[s.yaml.clone()], &path)?;
                        Some(r.start + s.yaml.start..r.end + s.yaml.start)
                    })
                    .unwrap_or(0..0);
                let known = defs.iter().map(|d| d.id.as_str());
                let help = crate::diag::suggest(id, known).map_or_else(
                    || format!("translate only the priorities of content/{}", t.original),
                    crate::diag::did_you_mean,
                );
                errors.push(
                    Diagnostic::error(format!(
                        "content/{} has no priority `{id}` to translate",
                        t.original
                    ))
                    .at(t.file, at)
                    .help(help),
                );
            }
        }
        kept.push(t);
    }
    // By original and language, for `Site::translation`'s binary search.
    kept.sort_by(|a, b| (&a.original, a.language).cmp(&(&b.original, b.language)));
    kept
}

impl Site {
    /// The site as published in its other language `language` (an index into site.yaml's
    /// `languages:`): its settings in that language, its pages under `CODE/`, each document
    /// translated into it in its translation's words, and each other document kept, so that
    /// lists and links still name it, as a page of the site's own language.
    pub(crate) fn in_language(&self, language: usize) -> Site {
        let l = &self.config.languages[language];
        let mut config = self.config.clone();
        config.base_url = self.config.base_url.in_language(Some(l.code.as_str()));
        config.language = l.code.clone();
        config.current = Some(language);
        if let Some(title) = &l.title {
            config.title = title.clone();
            config.short_title = title.clone();
        }
        if let Some(short) = &l.short_title {
            config.short_title = short.clone();
        }
        if l.description.is_some() {
            config.description = l.description.clone();
        }
        if l.publisher.is_some() {
            config.publisher = l.publisher.clone();
        }
        if l.accessible_formats.is_some() {
            config.accessible_formats = l.accessible_formats.clone();
        }
        let own = self.config.language.clone();
        let documents = self
            .documents
            .iter()
            .map(|d| match self.translation(d, language) {
                Some(t) => translated(d, t),
                None => Document {
                    elsewhere: Some(String::new()),
                    language: Some(d.language.clone().unwrap_or_else(|| own.clone())),
                    ..d.clone()
                },
            })
            .collect();
        // A metric in this language's words, or marked as in the site's own.
        let metrics = (self.metrics.iter())
            .map(|m| {
                let mut m = m.clone();
                match m.translations.get(l.code.as_str()) {
                    Some(words) => {
                        m.title = words.title.clone();
                        m.description = words.description.clone();
                    }
                    None => m.words_in = Some(own.as_str().to_string()),
                }
                m
            })
            .collect();
        Site {
            root: self.root.clone(),
            config,
            documents,
            assets: self.assets.clone(),
            sources: self.sources.clone(),
            metrics,
            theme: self.theme.clone(),
            locale: self.locales[language].clone(),
            locales: self.locales.clone(),
            translations: self.translations.clone(),
            unloaded: self.unloaded.clone(),
            shared: self.shared.clone(),
        }
    }
}

/// Document `d` in the words of translation `t`: its file and body are the translation's, what
/// comes from the original's front matter keeps the original's places (see
/// `pipeline::own_problems`).
fn translated(d: &Document, t: &Translation) -> Document {
    let mut plan = d.plan.clone();
    if let Some(plan) = &mut plan {
        for p in &mut plan.priorities {
            if let Some((title, summary)) = t.priorities.get(p.id.as_str()) {
                p.title = title.clone();
                p.summary = summary.clone();
            }
        }
    }
    Document {
        file: t.file,
        title: t.title.clone(),
        summary: t.summary.clone(),
        author: t.author.clone().or_else(|| d.author.clone()),
        plan,
        body_offset: t.body_offset,
        scan: t.scan.clone(),
        digest: t.digest,
        ..d.clone()
    }
}

/// Metrics' `translations:` into a language the site does not list (`codes`), each an error
/// at its code.
pub(crate) fn metric_languages(
    metrics: &[crate::content::Metric],
    codes: &[&str],
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for m in metrics {
        for (code, words) in &m.translations {
            if codes.contains(&code.as_str()) {
                continue;
            }
            let help = crate::diag::suggest(code, codes.iter().copied()).map_or_else(
                || format!("add `{code}` to site.yaml's `languages:`, or remove this translation"),
                crate::diag::did_you_mean,
            );
            found.push(
                Diagnostic::error(format!(
                    "metric `{}` is translated into `{code}`, which is not one of the site's languages",
                    m.id
                ))
                .at(m.file, words.span.clone())
                .help(help),
            );
        }
    }
    found
}

/// Documents whose id is a language code: its page's name would read as the language's home.
pub(crate) fn clashes(documents: &[Document], codes: &[&str]) -> Vec<Diagnostic> {
    (documents.iter())
        .filter(|d| codes.contains(&d.id.as_str()))
        .map(|d| {
            Diagnostic::error(format!(
                "the document's id `{}` is one of the site's languages, whose pages are published under /{}/",
                d.id.as_str(),
                d.id.as_str()
            ))
            .at(d.file, d.id_span.clone().unwrap_or(0..0))
            .help("give the document another id, or rename the file")
        })
        .collect()
}

/// A file under `content/CODE/`, CODE one of the site's languages (`codes`), as the walk found
/// it (`rel`, under content/): an error, since that language's pages are published under
/// `/CODE/`; `None` for any other file.
pub(crate) fn in_language_folder(rel: &str, codes: &[&str]) -> Option<(String, String)> {
    let (top, _) = rel.split_once('/')?;
    codes.contains(&top).then(|| {
        (
            format!(
                "this file is in folder content/{top}/, but `{top}` is one of the site's languages, whose pages are published under /{top}/"
            ),
            format!(
                "move it out of content/{top}/; to translate a document into `{top}`, put x.{top}.md beside x.md"
            ),
        )
    })
}

/// For each of the site's other languages, a note (an error with `require_translations:
/// true`) at each published document that has no translation into it, then how many have one.
pub(crate) fn missing(site: &Site, sources: &crate::diag::SourceFiles) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let required = site.config.require_translations;
    let published: Vec<&Document> = site.documents.iter().filter(|d| !d.draft).collect();
    for (i, l) in site.config.languages.iter().enumerate() {
        let code = l.code.as_str();
        let mut translated = 0;
        for d in &published {
            if site.has_version(Some(d), Some(i)) {
                translated += 1;
                continue;
            }
            let message = format!(
                "{} has no translation into `{code}` ({})",
                sources.path(d.file),
                l.name
            );
            let diagnostic = if required {
                Diagnostic::error(message)
            } else {
                Diagnostic::note(message)
            };
            let translation = d.path.0.strip_suffix(".md").unwrap_or(&d.path.0);
            found.push(diagnostic.at(d.file, 0..0).help(format!(
                "its page in `{code}` links to it in the site's own language; translate it as content/{translation}.{code}.md"
            )));
        }
        let count = Diagnostic::note(format!(
            "`{code}` ({}): {translated} of {} documents translated",
            l.name,
            published.len()
        ));
        found.push(count.at(site.config.file, l.span.clone()));
    }
    found
}

/// One of the site's languages, as a page's switcher and its `hreflang` links name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SiteLanguage<'s> {
    pub(crate) code: &'s str,
    /// Its name in itself: English, Cymraeg.
    pub(crate) name: &'s str,
    /// Where its pages are: `` for the site's own language, `cy/`.
    pub(crate) folder: String,
    /// `None` for the site's own language, else its place in `languages:`.
    pub(crate) index: Option<usize>,
}

impl Site {
    /// The site's languages, its own first; only its own when it lists no others.
    pub(crate) fn site_languages(&self) -> Vec<SiteLanguage<'_>> {
        let (own, name) = &self.config.own_language;
        let mut all = vec![SiteLanguage {
            code: own.as_str(),
            name,
            folder: String::new(),
            index: None,
        }];
        all.extend(
            self.config
                .languages
                .iter()
                .enumerate()
                .map(|(i, l)| SiteLanguage {
                    code: l.code.as_str(),
                    name: &l.name,
                    folder: format!("{}/", l.code.as_str()),
                    index: Some(i),
                }),
        );
        all
    }

    /// The page at site path `path` (encoded, as after the base URL: `reports/x/`) in each of
    /// the site's languages, with its absolute URL in those it has a version in; `doc` is the
    /// document it shows, if any. Empty when the site has one language.
    pub(crate) fn versions(
        &self,
        path: &str,
        doc: Option<&Document>,
    ) -> Vec<(SiteLanguage<'_>, Option<String>)> {
        let languages = self.site_languages();
        if languages.len() < 2 {
            return Vec::new();
        }
        languages
            .into_iter()
            .map(|l| {
                let url = self
                    .has_version(doc, l.index)
                    .then(|| (self.config.base_url).root_absolute(&format!("{}{path}", l.folder)));
                (l, url)
            })
            .collect()
    }

    /// Whether a page has a version in `language`: every page plainsight makes has one in
    /// each language; a document (`doc`), when it is translated into it.
    pub(crate) fn has_version(&self, doc: Option<&Document>, language: Option<usize>) -> bool {
        match (doc, language) {
            (None, _) | (Some(_), None) => true,
            (Some(d), Some(l)) => self.translation(d, l).is_some(),
        }
    }

    /// Document `d`'s translation into `language`, if it has one: a search of the
    /// translations, which [`attach`] sorts by original and language (every page's
    /// alternates ask, so a linear scan would cost pages times translations).
    fn translation(&self, d: &Document, language: usize) -> Option<&Translation> {
        let key = (d.path.0.as_str(), language);
        self.translations
            .binary_search_by(|t| (t.original.as_str(), t.language).cmp(&key))
            .ok()
            .map(|i| &self.translations[i])
    }

    /// A root-relative link to document `d`: its page in this language, or where it is
    /// published when it has no version in this one.
    pub(crate) fn doc_href(&self, d: &Document) -> String {
        let path = crate::urls::encode_path(&d.url.0);
        match &d.elsewhere {
            None => self.config.base_url.href(&path),
            Some(folder) => self.config.base_url.root_href(&format!("{folder}{path}")),
        }
    }

    /// The absolute URL of document `d`'s page, as [`Site::doc_href`] links it.
    pub(crate) fn doc_absolute(&self, d: &Document) -> String {
        let path = crate::urls::encode_path(&d.url.0);
        match &d.elsewhere {
            None => self.config.base_url.absolute(&path),
            Some(folder) => self
                .config
                .base_url
                .root_absolute(&format!("{folder}{path}")),
        }
    }
}
