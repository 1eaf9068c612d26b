//! Load: the only stage that reads the site folder. Walks content/, reads and validates
//! site.yaml and every document, scans bodies, and loads the theme, into a [`Site`].

pub mod document;
pub mod front_matter;
pub mod metrics;
pub mod sources;
pub mod theme;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{self, SiteConfig};
use crate::diag::{Diagnostic, Diagnostics, FileId, Severity, SourceFiles};
pub use document::*;
pub use metrics::{Metric, Period, Unit};
pub use sources::Source;
pub use theme::Theme;

/// The loaded site: settings, documents (sorted by path), the other files under content/ that
/// pages may link to, and the theme. Documents whose front matter could not be read are left
/// out; every problem found is in [`Loaded::diagnostics`].
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub documents: Vec<Document>,
    /// Paths under content/ of files that are not documents or data (images, PDFs…).
    pub assets: BTreeSet<String>,
    /// content/sources.yaml, by id (empty when the site has none).
    pub sources: BTreeMap<SourceId, Source>,
    /// content/metrics/*.yaml, in file name order.
    pub metrics: Vec<Metric>,
    pub theme: Theme,
}

impl Site {
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }
}

/// What load produced: every file read, every problem found, and the site when site.yaml was
/// usable.
pub struct Loaded {
    pub sources: SourceFiles,
    pub diagnostics: Diagnostics,
    pub site: Option<Site>,
}

/// What a file under content/ is to the build, by its path there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A Markdown document.
    Document,
    /// A file pages may link to (image, PDF…).
    Asset,
    /// site.yaml, sources.yaml, or anything under metrics/: every page may depend on it.
    Data,
    /// Hidden files and folders (editors' swap files, `.git`), never read.
    Ignored,
}

impl Role {
    pub fn of(rel: &str) -> Role {
        let mut segments = rel.split('/');
        let first = segments.next().unwrap_or("");
        let nested = segments.next().is_some();
        if rel.split('/').any(|s| s.starts_with('.')) {
            Role::Ignored
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

/// One Markdown file under content/, whether or not it became a document.
#[derive(Debug)]
pub struct DocFile {
    pub file: FileId,
    /// What load found wrong in it.
    pub problems: Vec<Diagnostic>,
}

/// Everything load read, kept file by file so that `serve` can read some files again and keep
/// the rest ([`Workspace::reload`]).
pub struct Workspace {
    pub root: PathBuf,
    pub files: SourceFiles,
    /// Problems in site.yaml, sources.yaml, the metrics and the walk of content/.
    pub problems: Vec<Diagnostic>,
    /// A theme that could not be loaded.
    pub theme_problem: Option<Diagnostic>,
    /// Every Markdown file, by path under content/.
    pub doc_files: BTreeMap<String, DocFile>,
    pub site: Option<Site>,
    /// A digest of site.yaml, sources.yaml and the metric files, which any page may show.
    pub data_digest: u64,
}

/// What [`Workspace::reload`] did.
#[derive(Debug, Default)]
pub struct Reloaded {
    /// Documents read again that are still documents: their index in `Site::documents` and
    /// their previous version. Indices are only meaningful when nothing is `structural`.
    pub changed: Vec<(usize, Document)>,
    /// Whether a document or another file appeared or went away, so indices and the targets
    /// of links may have moved.
    pub structural: bool,
}

pub fn load(root: &Path) -> Loaded {
    Workspace::load(root).into_loaded()
}

impl Workspace {
    /// Read the whole site folder.
    pub fn load(root: &Path) -> Workspace {
        let mut files = SourceFiles::default();
        let mut problems = Vec::new();
        let content = root.join("content");
        let mut data = xxhash_rust::xxh3::Xxh3Default::new();
        let config = match std::fs::read(content.join("site.yaml")) {
            Err(e) => {
                problems.push(
                    Diagnostic::error(format!("cannot read content/site.yaml: {e}")).help(format!(
                        "a site needs content/site.yaml under {}; see the README for an example",
                        root.display()
                    )),
                );
                None
            }
            Ok(bytes) => {
                data.update(&bytes);
                match read_text(&mut files, "content/site.yaml", bytes) {
                    Err(d) => {
                        problems.push(d);
                        None
                    }
                    Ok(file) => {
                        problems.extend(yaml_text_warnings(file, files.text(file)));
                        config::parse(file, files.text(file))
                            .map_err(|ds| problems.extend(ds))
                            .ok()
                    }
                }
            }
        };

        let cited = match std::fs::read(content.join("sources.yaml")) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => {
                problems.push(Diagnostic::error(format!(
                    "cannot read content/sources.yaml: {e}"
                )));
                BTreeMap::new()
            }
            Ok(bytes) => {
                data.update(&bytes);
                match read_text(&mut files, "content/sources.yaml", bytes) {
                    Err(d) => {
                        problems.push(d);
                        BTreeMap::new()
                    }
                    Ok(file) => {
                        problems.extend(yaml_text_warnings(file, files.text(file)));
                        let (list, found) = sources::parse(file, files.text(file));
                        problems.extend(found);
                        list
                    }
                }
            }
        };

        let first_metric = files.len();
        let metrics = load_metrics(&content.join("metrics"), &mut files, &mut problems);
        for i in first_metric..files.len() {
            let id = FileId(u32::try_from(i).expect("fewer than 2^32 files"));
            data.update(files.text(id).as_bytes());
        }

        let (entries, walk_errors) = walk(&content);
        problems.extend(walk_errors);
        let mut assets = BTreeSet::new();
        let mut doc_paths = Vec::new();
        for (rel, role) in entries {
            match role {
                Role::Document => doc_paths.push(rel),
                _ => {
                    assets.insert(rel);
                }
            }
        }

        // Read and validate documents in parallel; file ids are assigned in path order so the
        // result does not depend on scheduling.
        let first = files.len();
        let results: Vec<_> = doc_paths
            .par_iter()
            .enumerate()
            .map(|(i, rel)| {
                let file = FileId(u32::try_from(first + i).expect("fewer than 2^32 files"));
                read_document(&content, rel, file)
            })
            .collect();
        let mut documents = Vec::with_capacity(results.len());
        let mut doc_files = BTreeMap::new();
        for (rel, (text, doc, found)) in doc_paths.into_iter().zip(results) {
            let file = files.add(format!("content/{rel}"), text);
            documents.extend(doc);
            doc_files.insert(
                rel,
                DocFile {
                    file,
                    problems: found,
                },
            );
        }

        let mut theme_problem = None;
        let site = config.and_then(|config| {
            let theme = theme::load(root, &config, &mut files)
                .map_err(|d| theme_problem = Some(d))
                .ok()?;
            Some(Site {
                root: root.to_path_buf(),
                config,
                documents,
                assets,
                sources: cited,
                metrics,
                theme,
            })
        });
        Workspace {
            root: root.to_path_buf(),
            files,
            problems,
            theme_problem,
            doc_files,
            site,
            data_digest: data.digest(),
        }
    }

    /// Every problem load found, for the report.
    pub fn diagnostics(&self) -> Diagnostics {
        let mut all = Diagnostics::default();
        all.extend(self.problems.iter().cloned());
        all.extend(self.theme_problem.iter().cloned());
        for f in self.doc_files.values() {
            all.extend(f.problems.iter().cloned());
        }
        all
    }

    pub fn into_loaded(self) -> Loaded {
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
    pub fn reload<'p>(&mut self, paths: impl IntoIterator<Item = &'p str>) -> Option<Reloaded> {
        let site = self.site.as_mut()?;
        let content = self.root.join("content");
        let mut out = Reloaded::default();
        for rel in paths {
            let path = content.join(rel);
            // Only the walk decides where a symbolic link may point.
            if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                return None;
            }
            let is_file = path.is_file();
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
            let (text, doc, problems) = read_document(&content, rel, file);
            self.files.replace(file, text);
            self.doc_files
                .insert(rel.to_string(), DocFile { file, problems });
            match (at, doc) {
                (Ok(i), Some(doc)) => {
                    let old = std::mem::replace(&mut site.documents[i], doc);
                    out.changed.push((i, old));
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
        Some(out)
    }

    /// Read the theme again, keeping the last good one when it cannot be read.
    pub fn reload_theme(&mut self) {
        let Some(site) = self.site.as_mut() else {
            return;
        };
        match theme::load(&self.root, &site.config, &mut self.files) {
            Ok(theme) => {
                site.theme = theme;
                self.theme_problem = None;
            }
            Err(d) => self.theme_problem = Some(d),
        }
    }
}

/// Read and validate one document: its text (lossy when not UTF-8, for display), the
/// document when its front matter is usable, and its problems.
fn read_document(
    content: &Path,
    rel: &str,
    file: FileId,
) -> (String, Option<Document>, Vec<Diagnostic>) {
    match std::fs::read(content.join(rel)) {
        Err(e) => (
            String::new(),
            None,
            vec![Diagnostic::error(format!("cannot read content/{rel}: {e}"))],
        ),
        Ok(bytes) => match String::from_utf8(bytes) {
            Err(e) => {
                let d = not_utf8(file, e.utf8_error().valid_up_to());
                (
                    String::from_utf8_lossy(e.as_bytes()).into_owned(),
                    None,
                    vec![d],
                )
            }
            Ok(text) => {
                let (doc, problems) = load_document(file, ContentPath(rel.to_string()), &text);
                (text, doc, problems)
            }
        },
    }
}

/// Every `*.yaml` file directly in content/metrics/, parsed; a site need not have any.
fn load_metrics(
    dir: &Path,
    files: &mut SourceFiles,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Metric> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") && !n.starts_with('.'))
        .collect();
    names.sort();
    let mut metrics = Vec::with_capacity(names.len());
    for name in names {
        let display = format!("content/metrics/{name}");
        let bytes = match std::fs::read(dir.join(&name)) {
            Ok(b) => b,
            Err(e) => {
                diagnostics.push(Diagnostic::error(format!("cannot read {display}: {e}")));
                continue;
            }
        };
        match read_text(files, &display, bytes) {
            Err(d) => diagnostics.push(d),
            Ok(file) => {
                diagnostics.extend(yaml_text_warnings(file, files.text(file)));
                match metrics::parse(file, name.trim_end_matches(".yaml"), files.text(file)) {
                    Ok(m) => metrics.push(m),
                    Err(ds) => diagnostics.extend(ds),
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
                "the path content/{} has characters that are unsafe in a URL (`{segment}`)",
                path.0
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
        };
        errors.push(
            d.at(file, p.span.start + off..p.span.end + off)
                .help(&p.help),
        );
    }
    if doc.summary.as_deref().is_none_or(|s| s.trim().is_empty()) && doc.kind.is_dated() {
        errors.push(
            Diagnostic::warning("the document has no summary")
                .at(file, split.fence.clone())
                .help("add `summary: ...`: listings, feeds and search show it"),
        );
    }
    (Some(doc), errors)
}

/// `reports/a.md` -> `reports/a/`, `reports/index.md` -> `reports/`; fails with the first path
/// segment that is not safe in a URL.
pub fn site_path(path: &ContentPath) -> Result<SitePath, String> {
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

/// All documents and other files under content/, sorted; hidden files, site.yaml, data files
/// and content/metrics/ are skipped. Symlinks are followed, and loops reported.
fn walk(content: &Path) -> (Vec<(String, Role)>, Vec<Diagnostic>) {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    // Symbolic links are followed, but only to places inside the site folder: a link out
    // would publish (and let `serve` hand out) a file the site does not hold.
    let site_root = content
        .parent()
        .and_then(|p| std::fs::canonicalize(p).ok())
        .unwrap_or_default();
    let mut walker = walkdir::WalkDir::new(content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.')
                    || (e.depth() == 1 && name == "metrics" && e.file_type().is_dir()))
        });
    while let Some(item) = walker.next() {
        let entry = match item {
            Ok(e) => e,
            Err(e) => {
                // Named as the author knows it: under content/, not by its absolute path.
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
                    errors.push(
                        Diagnostic::error(format!(
                            "symbolic link loop: {path} points back to {}, which holds it",
                            shown(ancestor)
                        ))
                        .help("remove the link that points back to one of its parent folders"),
                    );
                } else if dangling {
                    errors.push(
                        Diagnostic::error(format!(
                            "{path} is a symbolic link to something that does not exist"
                        ))
                        .help("remove the link, or put back what it pointed to"),
                    );
                } else if content.exists() {
                    let why = e
                        .io_error()
                        .map_or_else(|| e.to_string(), ToString::to_string);
                    errors.push(Diagnostic::error(format!("cannot read {path}: {why}")));
                }
                continue;
            }
        };
        let Ok(rel) = entry.path().strip_prefix(content) else {
            continue;
        };
        let rel = slashed(rel);
        if entry.path_is_symlink() {
            let target = std::fs::canonicalize(entry.path()).unwrap_or_default();
            if !target.starts_with(&site_root) {
                errors.push(
                    Diagnostic::error(format!(
                        "content/{rel} is a symbolic link to {}, outside the site folder",
                        target.display()
                    ))
                    .help("copy what it points to into the site folder, or remove the link"),
                );
                if entry.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        if !entry.file_type().is_file() {
            continue;
        }
        match Role::of(&rel) {
            role @ (Role::Document | Role::Asset) => entries.push((rel, role)),
            Role::Data | Role::Ignored => {}
        }
    }
    (entries, errors)
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
}
