//! Load: the only stage that reads the site folder. Walks content/, reads and validates
//! site.yaml, sources.yaml, the metrics and every document, scans bodies, and loads the theme,
//! into a [`Site`].

pub(crate) mod commitments;
pub(crate) mod document;
pub(crate) mod front_matter;
mod ix;
pub(crate) mod metrics;
pub(crate) mod sources;
pub(crate) mod theme;
pub(crate) mod translation;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{self, SiteConfig};
use crate::diag::{Diagnostic, Diagnostics, FileId, Severity, SourceFiles, Text};
pub(crate) use document::*;
pub(crate) use ix::{DocIx, MetricIx, PlanIx};
pub(crate) use metrics::{Metric, Period, Unit};
pub(crate) use sources::Source;
pub(crate) use theme::Theme;

/// The loaded site: settings, documents (sorted by path), the other files under content/ that
/// pages may link to, and the theme. Documents whose front matter could not be read are left
/// out; every problem found is in [`Loaded::diagnostics`].
#[derive(Debug)]
pub struct Site {
    pub(crate) root: PathBuf,
    pub(crate) config: SiteConfig,
    pub(crate) documents: Vec<Document>,
    /// Paths under content/ of files that are not documents or data (images, PDFs…).
    pub(crate) assets: BTreeSet<String>,
    /// content/sources.yaml, by id (empty when the site has none).
    pub(crate) sources: BTreeMap<SourceId, Source>,
    /// content/metrics/*.yaml, in file name order.
    pub metrics: Vec<Metric>,
    pub(crate) theme: Theme,
    /// The site's language: the theme's strings in it, and how it writes dates and numbers.
    pub(crate) locale: std::sync::Arc<crate::i18n::Locale>,
    /// The same for each of site.yaml's `languages:`, in order.
    pub(crate) locales: Vec<std::sync::Arc<crate::i18n::Locale>>,
    /// The documents' translations into those languages, in path order.
    pub(crate) translations: Vec<translation::Translation>,
    /// What exists under content/ but could not be loaded.
    pub(crate) unloaded: Unloaded,
    /// The site's icon and the picture shared links show, from site.yaml or the theme.
    pub(crate) shared: crate::render::share::Shared,
}

/// Files and entries under content/ that exist but could not be loaded. Their own errors are
/// the root; a reference to one of them is an echo of those errors, not an error of its own.
#[derive(Debug, Default, Clone)]
pub(crate) struct Unloaded {
    /// Markdown files that did not become documents, by path under content/.
    pub(crate) documents: BTreeSet<String>,
    /// The ids those files would have had: their `id:`, or their file name.
    pub(crate) document_ids: BTreeSet<String>,
    /// The ids of metric files that could not be loaded.
    pub(crate) metrics: BTreeSet<String>,
    /// sources.yaml exists but could not be read at all.
    pub(crate) all_sources: bool,
    /// Entries of sources.yaml that were left out for their errors.
    pub(crate) sources: BTreeSet<String>,
}

impl Unloaded {
    /// The documents part, from what became of each Markdown file.
    fn set_documents(&mut self, doc_files: &BTreeMap<String, DocFile>) {
        self.documents.clear();
        self.document_ids.clear();
        for (rel, f) in doc_files {
            if let Some(id) = &f.unloaded_id {
                self.documents.insert(rel.clone());
                self.document_ids.insert(id.clone());
            }
        }
    }
}

/// The `id:` a YAML text gives, if it can be read at all; for files that fail to load, so
/// that references to them can be recognised.
fn written_id(yaml_text: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Id {
        id: Option<String>,
    }
    crate::yaml::parse::<Id>(yaml_text).ok()?.id
}

/// The id a Markdown file that could not be loaded would have had.
fn unloaded_document_id(rel: &str, text: &str) -> String {
    let yaml = front_matter::split(text, FileId(0))
        .ok()
        .and_then(|split| written_id(&text[split.yaml]));
    yaml.unwrap_or_else(|| {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        name.strip_suffix(".md").unwrap_or(name).to_string()
    })
}

impl Site {
    pub(crate) fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }
}

/// What load produced: every file read, every problem found, and the site when site.yaml was
/// usable.
pub(crate) struct Loaded {
    pub(crate) sources: SourceFiles,
    pub(crate) diagnostics: Diagnostics,
    pub(crate) site: Option<Site>,
}

/// What a file under content/ is to the build, by its path there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A Markdown document.
    Document,
    /// A file pages may link to (image, PDF…).
    Asset,
    /// site.yaml, sources.yaml, or a metric (metrics/*.yaml): every page may depend on it.
    Data,
    /// A Markdown or YAML file in a place the build does not read it (`metrics/notes.md`,
    /// `metrics/a.yml`): an error at the file, which says where it belongs.
    Unread,
    /// Hidden files and folders (editors' swap files, `.git`), never read.
    Ignored,
}

impl Role {
    pub(crate) fn of(rel: &str) -> Role {
        let mut segments = rel.split('/');
        let first = segments.next().unwrap_or("");
        let nested = segments.next().is_some();
        if rel.split('/').any(|s| s.starts_with('.')) {
            Role::Ignored
        } else if unread(rel).is_some() {
            Role::Unread
        } else if first == "metrics"
            || (!nested && (rel.ends_with(".yaml") || rel.ends_with(".yml")))
        {
            Role::Data
        } else if rel.ends_with(".md") {
            Role::Document
        } else {
            Role::Asset
        }
    }
}

/// Extensions of Markdown files; only `.md` is read.
const MARKDOWN: &[&str] = &[
    "md", "markdown", "mdown", "mkdn", "mkd", "mdwn", "mdtxt", "mdtext", "mdx", "rmd",
];

/// Why the build would not read the Markdown or YAML file at `rel` (a path under content/),
/// as a message and where the file belongs; `None` for a file the build reads, and for any
/// other file (images, downloads: published when a document links to them). YAML files in
/// folders other than metrics/ are downloads too, unless named like a settings file.
pub(crate) fn unread(rel: &str) -> Option<(String, String)> {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, ext.to_ascii_lowercase()),
        _ => (name, String::new()),
    };
    let markdown = MARKDOWN.contains(&ext.as_str());
    let yaml = ext == "yaml" || ext == "yml";
    let settings = ["site", "sources"]
        .into_iter()
        .find(|s| yaml && stem.eq_ignore_ascii_case(s));
    let found = |message: &str, help: String| Some((message.to_string(), help));
    if rel == "metrics" {
        return found(
            "this file is not read: metrics are read from the folder content/metrics/",
            "make content/metrics a folder holding one `.yaml` file per metric".into(),
        );
    }
    if rel.starts_with("metrics/") {
        if dir == "metrics" && name.ends_with(".yaml") {
            return None;
        }
        return if dir == "metrics" && yaml {
            found(
                "metric files are read only as content/metrics/*.yaml",
                format!("rename it to content/metrics/{stem}.yaml"),
            )
        } else if yaml {
            found(
                "metric files are read only directly in content/metrics/, not in folders under it",
                format!("move it to content/metrics/{stem}.yaml"),
            )
        } else if markdown {
            found(
                "Markdown documents under content/metrics/ are not read: the folder holds only metrics",
                format!("move it out of content/metrics/, e.g. to content/{stem}.md"),
            )
        } else {
            found(
                "content/metrics/ holds only metrics: this file is neither read nor published",
                "move it out of content/metrics/ (documents may link to it there), or remove it"
                    .into(),
            )
        };
    }
    if markdown && !name.ends_with(".md") {
        return found(
            "documents are read only from `.md` files",
            format!("rename it to {stem}.md"),
        );
    }
    match (dir, settings) {
        ("", Some(s)) if name != format!("{s}.yaml") => found(
            "this file is not read: the name is spelt differently from the one the build reads",
            format!("rename it to content/{s}.yaml"),
        ),
        ("", None) if yaml => found(
            "YAML files directly in content/ are not read: only site.yaml and sources.yaml are",
            "put a metric in content/metrics/ as a `.yaml` file; to publish this file as a \
             download, move it into a folder and link to it from a document"
                .into(),
        ),
        (_, Some(s)) if !dir.is_empty() => found(
            "this file is not read: the build reads the site's settings only from the top of content/",
            format!("move it to content/{s}.yaml"),
        ),
        _ => None,
    }
}

/// What kind of special file (a named pipe, a socket, a device) a file type is, if any.
pub(crate) fn special_kind(file_type: std::fs::FileType) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return Some("a device");
        }
    }
    let _ = file_type;
    None
}

/// Whether `path` is a special file (following symbolic links).
fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| special_kind(m.file_type()).is_some())
}

/// Read a regular file, and nothing else: opening a named pipe waits for a writer forever,
/// and a device may never end. The type is checked before opening and again on the open file
/// (which is opened without waiting), since the file may be replaced in between.
pub(crate) fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let refuse = |file_type: std::fs::FileType| {
        let kind = special_kind(file_type).unwrap_or(if file_type.is_dir() {
            "a folder"
        } else {
            "a special file"
        });
        std::io::Error::other(format!("it is {kind}, not a file"))
    };
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(refuse(meta.file_type()));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let mut file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(refuse(meta.file_type()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// One Markdown file under content/, whether or not it became a document.
#[derive(Debug)]
pub(crate) struct DocFile {
    pub(crate) file: FileId,
    /// What load found wrong in it.
    pub(crate) problems: Vec<Diagnostic>,
    /// When it did not become a document: the id it would have had.
    pub(crate) unloaded_id: Option<String>,
}

/// Everything load read, kept file by file so that `serve` can read some files again and keep
/// the rest ([`Workspace::reload`]).
pub struct Workspace {
    pub(crate) root: PathBuf,
    pub(crate) files: SourceFiles,
    /// Problems in site.yaml, sources.yaml, the metrics and the walk of content/.
    pub(crate) problems: Vec<Diagnostic>,
    /// Why the theme (its templates, files or strings) could not be loaded.
    pub(crate) theme_problems: Vec<Diagnostic>,
    /// Every Markdown file, by path under content/.
    pub(crate) doc_files: BTreeMap<String, DocFile>,
    pub site: Option<Site>,
    /// A digest of site.yaml, sources.yaml and the metric files, which any page may show.
    pub(crate) data_digest: u64,
}

/// What [`Workspace::reload`] did.
#[derive(Debug, Default)]
pub(crate) struct Reloaded {
    /// Documents read again that are still documents: their index in `Site::documents` and
    /// their previous version. Indices are only meaningful when nothing is `structural`.
    pub(crate) changed: Vec<(DocIx, Document)>,
    /// Whether a document or another file appeared or went away, so indices and the targets
    /// of links may have moved.
    pub(crate) structural: bool,
}

pub(crate) fn load(root: &Path) -> Loaded {
    Workspace::load(root).into_loaded()
}

impl Workspace {
    /// Read the whole site folder.
    pub fn load(root: &Path) -> Workspace {
        let content = root.join("content");
        let mut r = Reader {
            files: SourceFiles::default(),
            problems: Vec::new(),
            data: xxhash_rust::xxh3::Xxh3Default::new(),
            unloaded: Unloaded::default(),
        };
        let config = r.config(root, &content);
        let cited = r.sources(&content);
        let walked = walk(&content);
        r.problems.extend(walked.errors);
        for (path, message, help) in walked.misfiled.into_iter().chain(beside_content(root)) {
            // Named by its path; its text is not read (it may be a named pipe).
            let file = r.files.add(path, String::new());
            r.problems
                .push(Diagnostic::error(message).at(file, 0..0).help(help));
        }
        let mut assets = BTreeSet::new();
        let mut doc_paths = Vec::new();
        let mut metric_names = Vec::new();
        let codes: Vec<&str> = config
            .iter()
            .flat_map(|c| c.languages.iter().map(|l| l.code.as_str()))
            .collect();
        for (rel, _) in &walked.entries {
            // Reported once, at the file; it is still read, so links to it echo nothing.
            if let Some((message, help)) = translation::in_language_folder(rel, &codes) {
                let file = r.files.add(format!("content/{rel}"), String::new());
                r.problems
                    .push(Diagnostic::error(message).at(file, 0..0).help(help));
            }
        }
        for (rel, role) in walked.entries {
            match role {
                Role::Document => doc_paths.push(rel),
                Role::Asset => {
                    assets.insert(rel);
                }
                Role::Data => metric_names.extend(
                    rel.strip_prefix("metrics/")
                        .map(|n| n.trim_end_matches(".yaml").to_string()),
                ),
                Role::Unread | Role::Ignored => {}
            }
        }
        let metrics = r.metrics(&content, &metric_names);
        let (translation_paths, doc_paths): (Vec<_>, Vec<_>) = doc_paths
            .into_iter()
            .partition(|rel| translation::translation_path(rel, &codes).is_some());
        let (documents, mut doc_files) = r.documents(&content, doc_paths);
        let translations = r.translations(&content, translation_paths, &codes, &mut doc_files);
        let translations = translation::attach(&documents, translations, &r.files, &mut r.problems);
        r.problems.extend(translation::clashes(&documents, &codes));
        r.problems
            .extend(translation::metric_languages(&metrics, &codes));
        let Reader {
            mut files,
            mut problems,
            data,
            unloaded,
        } = r;

        let mut theme_problems = Vec::new();
        let site = config.and_then(|config| {
            let Themed {
                theme,
                locale,
                others,
            } = load_theme(root, &config, &mut files)
                .map_err(|d| theme_problems = d)
                .ok()?;
            let (shared, shared_problems) = crate::render::share::load(root, &config, &theme);
            problems.extend(shared_problems);
            let mut config = config;
            config.own_language.1 = locale.text("language_name", &[]);
            Some(Site {
                root: root.to_path_buf(),
                config,
                documents,
                assets,
                sources: cited,
                metrics,
                theme,
                locale,
                locales: others,
                translations,
                unloaded,
                shared,
            })
        });
        // Missing translations are errors only when site.yaml requires them; else `check`
        // notes them (see pipeline::run).
        if let Some(site) = site.as_ref().filter(|s| s.config.require_translations) {
            problems.extend(translation::missing(site, &files));
        }
        Workspace {
            root: root.to_path_buf(),
            files,
            problems,
            theme_problems,
            doc_files,
            site,
            data_digest: data.digest(),
        }
    }

    /// Every problem load found, for the report.
    pub(crate) fn diagnostics(&self) -> Diagnostics {
        let mut all = Diagnostics::default();
        all.extend(self.problems.iter().cloned());
        all.extend(self.theme_problems.iter().cloned());
        for f in self.doc_files.values() {
            all.extend(f.problems.iter().cloned());
        }
        all
    }

    pub(crate) fn into_loaded(self) -> Loaded {
        let diagnostics = self.diagnostics();
        Loaded {
            sources: self.files,
            diagnostics,
            site: self.site,
        }
    }

    /// Read these documents and other files under content/ again (paths there, `/`-separated;
    /// each either changed, appeared or went away), keeping everything else as it was. Returns
    /// `None` when there is no site to update (site.yaml or the theme is broken) or a path is
    /// a symbolic link: load it whole instead. Data files are not handled here: a change to one means loading it all.
    pub(crate) fn reload<'p>(
        &mut self,
        paths: impl IntoIterator<Item = &'p str>,
    ) -> Option<Reloaded> {
        let site = self.site.as_mut()?;
        let content = self.root.join("content");
        let mut out = Reloaded::default();
        let codes: Vec<String> = (site.config.languages.iter())
            .map(|l| l.code.as_str().to_string())
            .collect();
        let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
        for rel in paths {
            let path = content.join(rel);
            // Only the walk decides where a symbolic link may point, and reports special files
            // and files in the wrong place.
            if std::fs::symlink_metadata(&path)
                .is_ok_and(|m| m.file_type().is_symlink() || special_kind(m.file_type()).is_some())
            {
                return None;
            }
            let is_file = path.is_file();
            // A translation, or a file in a language's folder, changes what each language is
            // made from: read it all again (rendering stays incremental).
            if translation::translation_path(rel, &codes).is_some()
                || translation::in_language_folder(rel, &codes).is_some()
            {
                return None;
            }
            match Role::of(rel) {
                Role::Document => {}
                Role::Asset => {
                    out.structural |= if is_file {
                        site.assets.insert(rel.to_string())
                    } else {
                        site.assets.remove(rel)
                    };
                    continue;
                }
                Role::Unread => return None,
                Role::Data | Role::Ignored => continue,
            }
            let at = site
                .documents
                .binary_search_by(|d| ContentPath::walk_cmp(&d.path.0, rel));
            if !is_file {
                self.doc_files.remove(rel);
                if let Ok(i) = at {
                    site.documents.remove(i);
                    out.structural = true;
                }
                continue;
            }
            let file = match self.doc_files.get(rel) {
                Some(f) => f.file,
                None => self.files.add(format!("content/{rel}"), String::new()),
            };
            let (text, doc, problems, unloaded_id) = read_document(&content, rel, file);
            self.files.replace(file, text);
            self.doc_files.insert(
                rel.to_string(),
                DocFile {
                    file,
                    problems,
                    unloaded_id,
                },
            );
            match (at, doc) {
                (Ok(i), Some(doc)) => {
                    let old = std::mem::replace(&mut site.documents[i], doc);
                    out.changed.push((DocIx(i), old));
                }
                (Ok(i), None) => {
                    site.documents.remove(i);
                    out.structural = true;
                }
                (Err(i), Some(doc)) => {
                    site.documents.insert(i, doc);
                    out.structural = true;
                }
                (Err(_), None) => {}
            }
        }
        site.unloaded.set_documents(&self.doc_files);
        Some(out)
    }

    /// Read the theme again, keeping the last good one when it cannot be read.
    pub(crate) fn reload_theme(&mut self) {
        let Some(site) = self.site.as_mut() else {
            return;
        };
        match load_theme(&self.root, &site.config, &mut self.files) {
            Ok(themed) => {
                site.theme = themed.theme;
                site.locale = themed.locale;
                site.locales = themed.others;
                self.theme_problems.clear();
            }
            Err(d) => self.theme_problems = d,
        }
    }
}

/// The theme, and the site's language as its strings and ICU's data write it.
fn load_theme(
    root: &Path,
    config: &SiteConfig,
    files: &mut SourceFiles,
) -> Result<Themed, Vec<Diagnostic>> {
    let theme = theme::load(root, config, files).map_err(|d| vec![d])?;
    let mut locales = crate::i18n::load(&theme.strings, config, files)?
        .into_iter()
        .map(std::sync::Arc::new);
    let locale = locales
        .next()
        .expect("a locale for the site's own language");
    Ok(Themed {
        theme,
        locale,
        others: locales.collect(),
    })
}

/// The theme, and the site's languages as its strings and ICU's data write them.
struct Themed {
    theme: Theme,
    locale: std::sync::Arc<crate::i18n::Locale>,
    /// Those of site.yaml's `languages:`, in order.
    others: Vec<std::sync::Arc<crate::i18n::Locale>>,
}

/// What [`Workspace::load`] gathers as it reads the site folder, file by file.
struct Reader {
    files: SourceFiles,
    /// Problems outside the documents (which keep theirs in [`DocFile`]).
    problems: Vec<Diagnostic>,
    /// site.yaml, sources.yaml and the metric files, which any page may show.
    data: xxhash_rust::xxh3::Xxh3Default,
    unloaded: Unloaded,
}

impl Reader {
    /// content/site.yaml, which a site must have.
    fn config(&mut self, root: &Path, content: &Path) -> Option<SiteConfig> {
        // A special file is reported by the walk, and never opened.
        match read_settings(&content.join("site.yaml")) {
            Err(None) => None,
            Err(Some(e)) => {
                self.problems.push(
                    Diagnostic::error(format!("cannot read content/site.yaml: {e}")).help(format!(
                        "a site needs content/site.yaml under {}; see docs/content-model.md#contentsiteyaml",
                        root.display()
                    )),
                );
                None
            }
            Ok(bytes) => {
                self.data.update(&bytes);
                let file = read_text(&mut self.files, "content/site.yaml", bytes)
                    .map_err(|d| self.problems.push(d))
                    .ok()?;
                let text = self.files.text(file);
                self.problems.extend(yaml_text_warnings(file, text));
                config::parse(file, text)
                    .map_err(|ds| self.problems.extend(ds))
                    .ok()
            }
        }
    }

    /// content/sources.yaml, which a site need not have.
    fn sources(&mut self, content: &Path) -> BTreeMap<SourceId, Source> {
        let bytes = match read_settings(&content.join("sources.yaml")) {
            Err(None) => return BTreeMap::new(),
            Err(Some(e)) if e.kind() == std::io::ErrorKind::NotFound => return BTreeMap::new(),
            Err(Some(e)) => {
                self.problems.push(Diagnostic::error(format!(
                    "cannot read content/sources.yaml: {e}"
                )));
                self.unloaded.all_sources = true;
                return BTreeMap::new();
            }
            Ok(bytes) => bytes,
        };
        self.data.update(&bytes);
        let file = match read_text(&mut self.files, "content/sources.yaml", bytes) {
            Err(d) => {
                self.problems.push(d);
                self.unloaded.all_sources = true;
                return BTreeMap::new();
            }
            Ok(file) => file,
        };
        let text = self.files.text(file);
        self.problems.extend(yaml_text_warnings(file, text));
        let (list, found) = sources::parse(file, text);
        match sources::left_out(text, &list) {
            Some(ids) => self.unloaded.sources = ids,
            None => self.unloaded.all_sources = true,
        }
        self.problems.extend(found);
        list
    }

    /// The metric files `names`, as the walk found them.
    fn metrics(&mut self, content: &Path, names: &[String]) -> Vec<Metric> {
        let first = self.files.len();
        let metrics = load_metrics(
            &content.join("metrics"),
            names,
            &mut self.files,
            &mut self.problems,
            &mut self.unloaded.metrics,
        );
        for i in first..self.files.len() {
            let id = FileId(u32::try_from(i).expect("fewer than 2^32 files"));
            self.data.update(self.files.text(id).as_bytes());
        }
        metrics
    }

    /// The translations among the Markdown files (`x.CODE.md`, CODE one of `codes`), each
    /// recorded in `doc_files` with its problems.
    fn translations(
        &mut self,
        content: &Path,
        paths: Vec<String>,
        codes: &[&str],
        doc_files: &mut BTreeMap<String, DocFile>,
    ) -> Vec<translation::Translation> {
        let mut out = Vec::new();
        for rel in paths {
            let Some((original, language)) = translation::translation_path(&rel, codes) else {
                continue;
            };
            let path = format!("content/{rel}");
            let read = match read_regular(&content.join(&rel)) {
                Err(e) => Err((
                    self.files.add(path.clone(), String::new()),
                    Diagnostic::error(format!("cannot read {path}: {e}")),
                )),
                Ok(bytes) => read_text(&mut self.files, &path, bytes)
                    .map_err(|d| (FileId(self.files.len() as u32 - 1), d)),
            };
            let (file, problems) = match read {
                Err((file, d)) => (file, vec![d]),
                Ok(file) => {
                    match translation::parse(file, original, language, self.files.text(file)) {
                        Ok(t) => {
                            out.push(t);
                            (file, Vec::new())
                        }
                        Err(problems) => (file, problems),
                    }
                }
            };
            doc_files.insert(
                rel,
                DocFile {
                    file,
                    problems,
                    unloaded_id: None,
                },
            );
        }
        out
    }

    /// Every Markdown file: those that are documents, and what became of each.
    fn documents(
        &mut self,
        content: &Path,
        paths: Vec<String>,
    ) -> (Vec<Document>, BTreeMap<String, DocFile>) {
        // Read and validate documents in parallel; file ids are assigned in path order so the
        // result does not depend on scheduling.
        let first = self.files.len();
        let results: Vec<_> = paths
            .par_iter()
            .enumerate()
            .map(|(i, rel)| {
                let file = FileId(u32::try_from(first + i).expect("fewer than 2^32 files"));
                read_document(content, rel, file)
            })
            .collect();
        let mut documents = Vec::with_capacity(results.len());
        let mut doc_files = BTreeMap::new();
        for (rel, (text, doc, found, unloaded_id)) in paths.into_iter().zip(results) {
            let file = self.files.add_text(format!("content/{rel}"), text);
            documents.extend(doc);
            doc_files.insert(
                rel,
                DocFile {
                    file,
                    problems: found,
                    unloaded_id,
                },
            );
        }
        self.unloaded.set_documents(&doc_files);
        (documents, doc_files)
    }
}

/// Read and validate one document: its text (lossy when not UTF-8, for display), the
/// document when its front matter is usable, its problems, and when it is not usable the id
/// it would have had. The text of a document loaded without a problem is left on disk (see
/// [`Text`]): as the documents are read in parallel, they are never all held at once.
fn read_document(
    content: &Path,
    rel: &str,
    file: FileId,
) -> (Text, Option<Document>, Vec<Diagnostic>, Option<String>) {
    let path = content.join(rel);
    match read_regular(&path) {
        Err(e) => (
            Text::Held(String::new()),
            None,
            vec![Diagnostic::error(format!("cannot read content/{rel}: {e}"))],
            Some(unloaded_document_id(rel, "")),
        ),
        Ok(bytes) => match String::from_utf8(bytes) {
            Err(e) => {
                let d = not_utf8(file, e.utf8_error().valid_up_to());
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let id = unloaded_document_id(rel, &text);
                (Text::Held(text), None, vec![d], Some(id))
            }
            Ok(text) => {
                let (doc, problems) = load_document(file, ContentPath(rel.to_string()), &text);
                let Some(doc) = doc else {
                    let id = unloaded_document_id(rel, &text);
                    return (Text::Held(text), None, problems, Some(id));
                };
                let text = if problems.is_empty() {
                    Text::OnDisk {
                        disk: path,
                        digest: doc.digest,
                        len: text.len(),
                        again: std::sync::OnceLock::new(),
                    }
                } else {
                    Text::Held(text)
                };
                (text, Some(doc), problems, None)
            }
        },
    }
}

/// Read site.yaml or sources.yaml; `Err(None)` for a special file, which the walk reports.
fn read_settings(path: &Path) -> Result<Vec<u8>, Option<std::io::Error>> {
    if is_special(path) {
        return Err(None);
    }
    read_regular(path).map_err(Some)
}

/// The metrics `names` (files `NAME.yaml` directly in content/metrics/, as the walk found
/// them), parsed; a site need not have any.
fn load_metrics(
    dir: &Path,
    names: &[String],
    files: &mut SourceFiles,
    diagnostics: &mut Vec<Diagnostic>,
    unloaded: &mut BTreeSet<String>,
) -> Vec<Metric> {
    let mut metrics = Vec::with_capacity(names.len());
    for name in names {
        let display = format!("content/metrics/{name}.yaml");
        let bytes = match read_regular(&dir.join(format!("{name}.yaml"))) {
            Ok(b) => b,
            Err(e) => {
                diagnostics.push(Diagnostic::error(format!("cannot read {display}: {e}")));
                unloaded.insert(name.clone());
                continue;
            }
        };
        match read_text(files, &display, bytes) {
            Err(d) => {
                diagnostics.push(d);
                unloaded.insert(name.clone());
            }
            Ok(file) => {
                diagnostics.extend(yaml_text_warnings(file, files.text(file)));
                match metrics::parse(file, name, files.text(file)) {
                    Ok(m) => metrics.push(m),
                    Err(ds) => {
                        diagnostics.extend(ds);
                        unloaded.insert(name.clone());
                        unloaded.extend(written_id(files.text(file)));
                    }
                }
            }
        }
    }
    metrics
}

/// Unbalanced bidirectional controls in a YAML file, written as themselves or as escapes (its
/// control characters are refused by [`crate::yaml::parse`]).
fn yaml_text_warnings(file: FileId, text: &str) -> Vec<Diagnostic> {
    // Past a byte-order mark, so that a quote opening the first line is seen as one.
    let bom = crate::diag::bom_len(text);
    let escapes: Vec<_> = crate::yaml::hidden_escapes(&text[bom..])
        .into_iter()
        .map(|(r, c)| (r.start + bom..r.end + bom, c))
        .collect();
    crate::text::bidi_warnings(file, text, 0, &escapes)
}

fn not_utf8(file: FileId, offset: usize) -> Diagnostic {
    Diagnostic::error(format!(
        "the file is not valid UTF-8 (first bad byte at byte offset {offset})"
    ))
    .at(file, offset..offset)
    .help("save the file as UTF-8")
}

/// Register a file's text, or say it is not UTF-8 (the lossy text is kept for display only).
fn read_text(sources: &mut SourceFiles, path: &str, bytes: Vec<u8>) -> Result<FileId, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(sources.add(path, text)),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let file = sources.add(path, String::from_utf8_lossy(e.as_bytes()).into_owned());
            Err(not_utf8(file, offset))
        }
    }
}

/// Validate one document's front matter and scan its body. A document whose front matter is
/// usable is kept even when its body has problems, so later stages can check it too.
fn load_document(
    file: FileId,
    path: ContentPath,
    text: &str,
) -> (Option<Document>, Vec<Diagnostic>) {
    let split = match front_matter::split(text, file) {
        Ok(s) => s,
        Err(d) => return (None, vec![d]),
    };
    // Control characters in the body are refused here, those of the front matter by the YAML
    // parser; bidirectional controls are checked in both, with those that YAML escapes and
    // character references write (`hidden`).
    let mut errors = crate::text::control_errors(file, &text[split.body..], split.body);
    let yaml_at = split.yaml.start;
    let mut hidden: Vec<_> = crate::yaml::hidden_escapes(&text[split.yaml.clone()])
        .into_iter()
        .map(|(r, c)| (r.start + yaml_at..r.end + yaml_at, c))
        .collect();
    let url = site_path(&path).map_err(|segment| {
        errors.push(
            Diagnostic::error(format!(
                "{} (`{segment}`)",
                unsafe_in_url(&format!("the path content/{}", path.0))
            ))
            .at(file, 0..0)
            .help("rename it using letters, digits, - and _ only"),
        );
    });
    let parsed = front_matter::parse(file, &path, text, &split);
    // A document with no URL cannot be published, nor checked against the others.
    let (Ok(mut doc), Ok(url)) = (parsed.map_err(|mut ds| errors.append(&mut ds)), url) else {
        errors.extend(crate::text::bidi_warnings(file, text, 0, &hidden));
        return (None, errors);
    };
    doc.url = url;
    doc.digest = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
    doc.scan = crate::markdown::scan(doc.body(text));
    let off = doc.body_offset;
    hidden.extend((doc.scan.bidi_references.iter()).map(|(r, c)| (r.start + off..r.end + off, *c)));
    errors.extend(crate::text::bidi_warnings(file, text, 0, &hidden));
    for p in &doc.scan.problems {
        let d = match p.severity {
            Severity::Error => Diagnostic::error(&p.message),
            Severity::Warning => Diagnostic::warning(&p.message),
            Severity::Note => Diagnostic::note(&p.message),
        };
        let mut d = d
            .at(file, p.span.start + off..p.span.end + off)
            .help(&p.help);
        if let Some((span, label)) = &p.related {
            d = d.also(file, span.start + off..span.end + off, label);
        }
        errors.push(d);
    }
    errors.extend(summary_warning(file, text, &split, &doc));
    (Some(doc), errors)
}

/// A dated document's summary left out (at the fence), or any summary written but empty (at
/// its place): listings, feeds and search show it, so it is pointed out, not refused.
fn summary_warning(
    file: FileId,
    text: &str,
    split: &front_matter::Split,
    doc: &Document,
) -> Option<Diagnostic> {
    match doc.summary.as_deref() {
        None if doc.kind.is_dated() => Some(
            Diagnostic::warning("the document has no summary")
                .at(file, split.fence.clone())
                .help("add `summary: ...`: listings, feeds and search show it"),
        ),
        Some(s) if s.trim().is_empty() => {
            let yaml = &text[split.yaml.clone()];
            let at = crate::yaml::locate(yaml, &[crate::yaml::Seg::Key("summary")])
                .map_or(split.fence.clone(), |r| {
                    r.start + split.yaml.start..r.end + split.yaml.start
                });
            Some(
                Diagnostic::warning("the summary is empty")
                    .at(file, at)
                    .help("say in one sentence what the document says: listings, feeds and search show it"),
            )
        }
        _ => None,
    }
}

/// `reports/a.md` -> `reports/a/`, `reports/index.md` -> `reports/`; fails with the first path
/// segment that is not safe in a URL.
pub(crate) fn site_path(path: &ContentPath) -> Result<SitePath, String> {
    let without_ext = path.0.strip_suffix(".md").unwrap_or(&path.0);
    let mut out = String::new();
    let segments: Vec<&str> = without_ext.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        if !is_valid_id(seg) {
            return Err(seg.to_string());
        }
        if i + 1 == segments.len() && *seg == "index" {
            break;
        }
        out.push_str(seg);
        out.push('/');
    }
    Ok(SitePath(out))
}

/// A relative path with `/` between its parts, as messages and URLs show it on every platform.
fn slashed(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The error for a special file: the build never opens one.
fn special_file(path: String, kind: &str) -> (String, String, String) {
    let message = format!("{path} is {kind}, not a file: the build does not read it");
    (
        path,
        message,
        "replace it with a regular file, or remove it".to_string(),
    )
}

/// Settings and metrics put in the site folder beside content/ instead of in it, where the
/// build would never look: each file (YAML, or a special file), with why it is not read and
/// where it belongs. Only a full load looks here: `serve` watches content/ and themes/.
fn beside_content(root: &Path) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    for name in ["site.yaml", "site.yml", "sources.yaml", "sources.yml"] {
        if std::fs::symlink_metadata(root.join(name)).is_ok() {
            let stem = name.split('.').next().unwrap_or(name);
            found.push((
                name.to_string(),
                format!("this file is not read: the build reads {stem}.yaml only in content/"),
                format!("move it to content/{stem}.yaml"),
            ));
        }
    }
    let metrics = root.join("metrics");
    if !metrics.is_dir() {
        return found;
    }
    let walker = walkdir::WalkDir::new(&metrics)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker.flatten() {
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let path = slashed(rel);
        let file_type = entry.file_type();
        if let Some(kind) = special_kind(file_type) {
            found.push(special_file(path, kind));
        } else if !file_type.is_dir() {
            // Only what looks like a metric: the folder may hold the scripts that make them.
            let name = entry.file_name().to_string_lossy();
            let Some((stem, ext)) = name.rsplit_once('.') else {
                continue;
            };
            if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") {
                found.push((
                    path,
                    "metrics are read only from content/metrics/, not from metrics/ beside content/"
                        .to_string(),
                    format!("move it to content/metrics/{stem}.yaml"),
                ));
            }
        }
    }
    found
}

/// What the walk of content/ found.
#[derive(Default)]
struct Walked {
    /// Every regular file, sorted by path, with its role (hidden ones left out).
    entries: Vec<(String, Role)>,
    /// Files the build will not read (by their path in the site folder), with why and what to
    /// do: special files (named pipes, sockets, devices), and Markdown or YAML files in the
    /// wrong place.
    misfiled: Vec<(String, String, String)>,
    /// Folders that cannot be read, and symbolic links that loop, dangle or lead out.
    errors: Vec<Diagnostic>,
}

/// Every file under content/, sorted; hidden files and folders are skipped. Symlinks are
/// followed, and loops reported. Nothing is opened: a named pipe would never answer.
fn walk(content: &Path) -> Walked {
    let mut entries = Vec::new();
    let mut misfiled = Vec::new();
    let mut errors = Vec::new();
    // Where symbolic links may lead (see `link_out`).
    let site_root = content
        .parent()
        .and_then(|p| std::fs::canonicalize(p).ok())
        .unwrap_or_default();
    let mut walker = walkdir::WalkDir::new(content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    while let Some(item) = walker.next() {
        let entry = match item {
            Ok(e) => e,
            Err(e) => {
                errors.extend(walk_error(content, &e));
                continue;
            }
        };
        let Ok(rel) = entry.path().strip_prefix(content) else {
            continue;
        };
        let rel = slashed(rel);
        if let Some(d) = link_out(&entry, &rel, &site_root) {
            errors.push(d);
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if let Some(kind) = special_kind(entry.file_type()) {
            misfiled.push(special_file(format!("content/{rel}"), kind));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        match unread(&rel) {
            Some((message, help)) => misfiled.push((format!("content/{rel}"), message, help)),
            None => {
                let role = Role::of(&rel);
                entries.push((rel, role));
            }
        }
    }
    Walked {
        entries,
        misfiled,
        errors,
    }
}

/// What the walk could not follow or read, said as the author knows it: under content/.
fn walk_error(content: &Path, e: &walkdir::Error) -> Option<Diagnostic> {
    let shown = |p: &Path| match p.strip_prefix(content) {
        Ok(rel) => format!("content/{}", slashed(rel)),
        Err(_) => p.display().to_string(),
    };
    let path = e.path().map(shown).unwrap_or_default();
    let dangling = e.path().is_some_and(|p| {
        !p.exists()
            && p.symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink())
    });
    if let Some(ancestor) = e.loop_ancestor() {
        Some(
            Diagnostic::error(format!(
                "symbolic link loop: {path} points back to {}, which holds it",
                shown(ancestor)
            ))
            .help("remove the link that points back to one of its parent folders"),
        )
    } else if dangling {
        Some(
            Diagnostic::error(format!(
                "{path} is a symbolic link to something that does not exist"
            ))
            .help("remove the link, or put back what it pointed to"),
        )
    } else if content.exists() {
        let why = e
            .io_error()
            .map_or_else(|| e.to_string(), ToString::to_string);
        Some(Diagnostic::error(format!("cannot read {path}: {why}")))
    } else {
        None
    }
}

/// A symbolic link (`rel` under content/) that leads out of the site folder. Links are
/// followed, but only to places inside it: a link out would publish (and let `serve` hand
/// out) a file the site does not hold.
fn link_out(entry: &walkdir::DirEntry, rel: &str, site_root: &Path) -> Option<Diagnostic> {
    if !entry.path_is_symlink() {
        return None;
    }
    let target = std::fs::canonicalize(entry.path()).unwrap_or_default();
    (!target.starts_with(site_root)).then(|| {
        Diagnostic::error(format!(
            "content/{rel} is a symbolic link to {}, outside the site folder",
            target.display()
        ))
        .help("copy what it points to into the site folder, or remove the link")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_paths() {
        let p = |s: &str| site_path(&ContentPath(s.into())).map(|u| u.0);
        assert_eq!(
            p("reports/2024-02-21-qa.md"),
            Ok("reports/2024-02-21-qa/".into())
        );
        assert_eq!(p("about.md"), Ok("about/".into()));
        assert_eq!(p("guides/index.md"), Ok("guides/".into()));
        assert_eq!(p("my file.md"), Err("my file".into()));
    }

    #[test]
    fn markdown_and_yaml_the_build_does_not_read_have_a_role_of_their_own() {
        for rel in [
            "metrics",
            "metrics/notes.md",
            "metrics/a.yml",
            "metrics/a.YAML",
            "metrics/sub/a.yaml",
            "metrics/chart.png",
            "about.markdown",
            "reports/a.MD",
            "reports/a.mkd",
            "site.yml",
            "Sources.yaml",
            "settings.yaml",
            "reports/site.yaml",
        ] {
            assert_eq!(Role::of(rel), Role::Unread, "{rel}");
            assert!(unread(rel).is_some(), "{rel}");
        }
        for (rel, role) in [
            ("site.yaml", Role::Data),
            ("sources.yaml", Role::Data),
            ("metrics/a.yaml", Role::Data),
            ("reports/a.md", Role::Document),
            ("reports/data.yaml", Role::Asset),
            ("reports/chart.png", Role::Asset),
            ("metrics/.notes.md", Role::Ignored),
            (".drafts/a.markdown", Role::Ignored),
        ] {
            assert_eq!(Role::of(rel), role, "{rel}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_without_being_opened() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("about.md");
        let made = std::process::Command::new("mkfifo")
            .arg(&pipe)
            .status()
            .unwrap();
        assert!(made.success());
        let e = read_regular(&pipe).unwrap_err();
        assert_eq!(e.to_string(), "it is a named pipe (FIFO), not a file");
        let e = read_regular(dir.path()).unwrap_err();
        assert_eq!(e.to_string(), "it is a folder, not a file");
        std::fs::write(dir.path().join("a.md"), "text").unwrap();
        assert_eq!(read_regular(&dir.path().join("a.md")).unwrap(), b"text");
    }
}
