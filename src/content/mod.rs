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

enum Entry {
    Document(String),
    Asset(String),
}

pub fn load(root: &Path) -> Loaded {
    let mut files = SourceFiles::default();
    let mut diagnostics = Diagnostics::default();
    let content = root.join("content");
    let config_path = content.join("site.yaml");

    let config = match std::fs::read(&config_path) {
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(format!("cannot read content/site.yaml: {e}")).help(format!(
                    "a site needs content/site.yaml under {}; see the README for an example",
                    root.display()
                )),
            );
            None
        }
        Ok(bytes) => match read_text(&mut files, "content/site.yaml", bytes) {
            Err(d) => {
                diagnostics.push(d);
                None
            }
            Ok(file) => config::parse(file, files.text(file))
                .map_err(|ds| diagnostics.extend(ds))
                .ok(),
        },
    };

    let sources_path = content.join("sources.yaml");
    let cited = match std::fs::read(&sources_path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
        Err(e) => {
            diagnostics.push(Diagnostic::error(format!(
                "cannot read content/sources.yaml: {e}"
            )));
            BTreeMap::new()
        }
        Ok(bytes) => match read_text(&mut files, "content/sources.yaml", bytes) {
            Err(d) => {
                diagnostics.push(d);
                BTreeMap::new()
            }
            Ok(file) => {
                let (list, problems) = sources::parse(file, files.text(file));
                diagnostics.extend(problems);
                list
            }
        },
    };

    let metrics = load_metrics(&content.join("metrics"), &mut files, &mut diagnostics);

    let (entries, walk_errors) = walk(&content);
    diagnostics.extend(walk_errors);

    let mut assets = BTreeSet::new();
    let mut doc_paths = Vec::new();
    for e in entries {
        match e {
            Entry::Document(p) => doc_paths.push(p),
            Entry::Asset(p) => {
                assets.insert(p);
            }
        }
    }

    // Read and validate documents in parallel; file ids are assigned in path order so the
    // result does not depend on scheduling.
    let first = files.len();
    type Read = (String, String, (Option<Document>, Vec<Diagnostic>));
    let results: Vec<Read> = doc_paths
        .par_iter()
        .enumerate()
        .map(|(i, rel)| {
            let file = FileId(u32::try_from(first + i).expect("fewer than 2^32 files"));
            let display = format!("content/{rel}");
            match std::fs::read(content.join(rel)) {
                Err(e) => (
                    display,
                    String::new(),
                    (
                        None,
                        vec![Diagnostic::error(format!("cannot read content/{rel}: {e}"))],
                    ),
                ),
                Ok(bytes) => match String::from_utf8(bytes) {
                    Err(e) => {
                        let d = not_utf8(file, e.utf8_error().valid_up_to());
                        (
                            display,
                            String::from_utf8_lossy(e.as_bytes()).into_owned(),
                            (None, vec![d]),
                        )
                    }
                    Ok(text) => {
                        let r = load_document(file, ContentPath(rel.clone()), &text);
                        (display, text, r)
                    }
                },
            }
        })
        .collect();
    let mut documents = Vec::with_capacity(results.len());
    for (path, text, (doc, problems)) in results {
        files.add(path, text);
        documents.extend(doc);
        diagnostics.extend(problems);
    }

    let site = config.and_then(|config| {
        let theme = theme::load(root, &config, &mut files)
            .map_err(|d| diagnostics.push(d))
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
    Loaded {
        sources: files,
        diagnostics,
        site,
    }
}

/// Every `*.yaml` file directly in content/metrics/, parsed; a site need not have any.
fn load_metrics(dir: &Path, files: &mut SourceFiles, diagnostics: &mut Diagnostics) -> Vec<Metric> {
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
                match metrics::parse(file, name.trim_end_matches(".yaml"), files.text(file)) {
                    Ok(m) => metrics.push(m),
                    Err(ds) => diagnostics.extend(ds),
                }
            }
        }
    }
    metrics
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
    let mut errors = Vec::new();
    let url = site_path(&path).unwrap_or_else(|segment| {
        errors.push(
            Diagnostic::error(format!(
                "the path content/{} has characters that are unsafe in a URL (`{segment}`)",
                path.0
            ))
            .at(file, 0..0)
            .help("rename it using letters, digits, - and _ only"),
        );
        SitePath(String::new())
    });
    let mut doc = match front_matter::parse(file, &path, text, &split) {
        Ok(doc) => doc,
        Err(mut ds) => {
            errors.append(&mut ds);
            return (None, errors);
        }
    };
    doc.url = url;
    doc.scan = crate::markdown::scan(doc.body(text));
    let off = doc.body_offset;
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

/// All documents and other files under content/, sorted; hidden files, site.yaml, data files
/// and content/metrics/ are skipped. Symlinks are followed, and loops reported.
fn walk(content: &Path) -> (Vec<Entry>, Vec<Diagnostic>) {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let walker = walkdir::WalkDir::new(content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.')
                    || (e.depth() == 1 && name == "metrics" && e.file_type().is_dir()))
        });
    for item in walker {
        let entry = match item {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                if e.loop_ancestor().is_some() {
                    errors.push(
                        Diagnostic::error(format!("symbolic link loop at {path}"))
                            .help("remove the link that points back to one of its parent folders"),
                    );
                } else if content.exists() {
                    errors.push(Diagnostic::error(format!("cannot read {path}: {e}")));
                }
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(content) else {
            continue;
        };
        let rel: String = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if rel.ends_with(".md") {
            entries.push(Entry::Document(rel));
        } else if !(entry.depth() == 1 && (rel.ends_with(".yaml") || rel.ends_with(".yml"))) {
            entries.push(Entry::Asset(rel));
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
