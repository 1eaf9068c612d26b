//! Incremental rebuilds, for `serve`: a [`Session`] keeps the loaded site, its graph and each
//! page's fingerprint between rebuilds. After a change it reads again only the files that
//! changed, resolves again only the documents that changed (when no other document can see the
//! difference), and renders again only the pages whose fingerprint changed, so that a one
//! document edit costs about one page, not the whole site. The pages it makes are byte for
//! byte those a full build makes from the same files.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use crate::content::theme::AssetSource;
use crate::content::{DocIx, Role, Workspace};
use crate::graph::{self, Graph};
use crate::pipeline::{self, Driver, Sink, Stale, Timings};
use crate::render::{Fingerprinted, Page};

/// A site being served, as last loaded and resolved.
pub struct Session {
    root: PathBuf,
    drafts: bool,
    workspace: Workspace,
    /// The graph of `workspace` as it is now; `None` when it must be resolved from scratch.
    graph: Option<Graph>,
    /// Each page of the last good site, by output path: its fingerprint.
    fingerprints: Fingerprinted,
    /// The same for the site in each of its other languages, by path under its folder.
    in_languages: Vec<Fingerprinted>,
}

/// What one rebuild did.
pub struct Rebuild {
    /// Every problem found, printed for a terminal; empty when there are none.
    pub report: String,
    /// Whether the site built; when it did not, the last good site stands.
    pub succeeded: bool,
    /// Pages made again, to add or replace.
    pub pages: Vec<Page>,
    /// Output paths of pages the site no longer has.
    pub removed: Vec<String>,
    /// Every file the site copies rather than renders, by output path.
    pub files: HashMap<String, AssetSource>,
    /// How many pages the site has.
    pub(crate) page_count: usize,
    /// The path of the site's base URL, e.g. `/` or `/policing/`.
    pub(crate) base_path: String,
    /// The site's language when it has search: the index is made from the pages on demand.
    pub(crate) search: Option<String>,
    pub(crate) timings: Timings,
}

/// How much of the site must be read again.
#[derive(Debug, Default)]
struct Changes {
    everything: bool,
    theme: bool,
    /// Paths under content/ of documents and other files that changed, appeared or went away.
    content: BTreeSet<String>,
}

impl Session {
    /// Load, resolve and render the whole site.
    pub fn start(root: &Path, drafts: bool) -> (Session, Rebuild) {
        let started = Instant::now();
        let mut session = Session {
            root: root.to_path_buf(),
            drafts,
            workspace: Workspace::load(root),
            graph: None,
            fingerprints: Fingerprinted::default(),
            in_languages: Vec::new(),
        };
        let load = started.elapsed();
        let rebuild = session.finish(&[], load);
        (session, rebuild)
    }

    /// Rebuild after the files at `paths` changed, appeared or went away (absolute paths, as a
    /// file watcher reports them). An empty list means anything may have changed.
    pub fn rebuild(&mut self, paths: &[PathBuf]) -> Rebuild {
        let started = Instant::now();
        let changes = self.classify(paths);
        let mut changed = Vec::new();
        // Errors outside documents (site.yaml, the walk of content/) are only found again by
        // reading everything, so until they are fixed every change does.
        let broken = self.workspace.site.is_none()
            || self
                .workspace
                .problems
                .iter()
                .any(|d| d.severity == crate::diag::Severity::Error);
        if changes.everything || broken {
            self.reload_all();
        } else {
            if changes.theme {
                let names = |w: &Workspace| {
                    w.site
                        .as_ref()
                        .map(|s| s.theme.assets.keys().cloned().collect::<Vec<_>>())
                };
                let before = names(&self.workspace);
                self.workspace.reload_theme();
                // The theme's static files own output paths that documents may not take.
                if names(&self.workspace) != before {
                    self.graph = None;
                }
            }
            if !changes.content.is_empty() {
                match self
                    .workspace
                    .reload(changes.content.iter().map(String::as_str))
                {
                    None => self.reload_all(),
                    Some(r) => {
                        let site = self.workspace.site.as_ref();
                        let local = !r.structural
                            && r.changed.iter().all(|(i, old)| {
                                site.is_some_and(|s| graph::same_interface(old, &s.documents[*i]))
                            });
                        if local {
                            changed = r.changed.iter().map(|(i, _)| *i).collect();
                        } else {
                            self.graph = None;
                        }
                    }
                }
            }
        }
        let load = started.elapsed();
        self.finish(&changed, load)
    }

    fn reload_all(&mut self) {
        self.workspace = Workspace::load(&self.root);
        self.graph = None;
    }

    /// Sort watcher paths into what must be read again.
    fn classify(&self, paths: &[PathBuf]) -> Changes {
        let mut changes = Changes {
            everything: paths.is_empty(),
            ..Changes::default()
        };
        let content = self.root.join("content");
        let themes = self.root.join("themes");
        let site = self.workspace.site.as_ref();
        for path in paths {
            if path.starts_with(&themes) {
                changes.theme = true;
                continue;
            }
            let Ok(rel) = path.strip_prefix(&content) else {
                continue;
            };
            let rel: Vec<_> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect();
            let rel = rel.join("/");
            if rel.is_empty() || path.is_dir() {
                // A folder came or went: walk content/ again.
                changes.everything = true;
                continue;
            }
            match Role::of(&rel) {
                Role::Ignored => {}
                Role::Data | Role::Unread => changes.everything = true,
                Role::Document | Role::Asset => {
                    // A path that is gone and was neither a document nor a file may have been
                    // a folder.
                    let folder = format!("{rel}/");
                    let was_folder = !path.exists()
                        && site.is_some_and(|s| {
                            s.assets.iter().any(|a| a.starts_with(&folder))
                                || s.documents.iter().any(|d| d.path.0.starts_with(&folder))
                        });
                    if was_folder {
                        changes.everything = true;
                    } else {
                        changes.content.insert(rel);
                    }
                }
            }
        }
        changes
    }

    /// Resolve (only the `changed` documents when the graph can be updated) and render the
    /// pages whose fingerprint changed.
    fn finish(&mut self, changed: &[DocIx], load: std::time::Duration) -> Rebuild {
        let mut timings = Timings {
            load,
            ..Timings::default()
        };
        let mut diagnostics = self.workspace.diagnostics();
        let base_path = self
            .workspace
            .site
            .as_ref()
            .map_or_else(|| "/".to_string(), |s| s.config.base_url.path().to_string());
        let mut rebuild = Rebuild {
            report: String::new(),
            succeeded: false,
            pages: Vec::new(),
            removed: Vec::new(),
            files: HashMap::new(),
            page_count: 0,
            base_path,
            search: self
                .workspace
                .site
                .as_ref()
                .filter(|s| s.config.search)
                .map(|s| crate::search::index_language(&s.config)),
            timings,
        };
        let Some(site) = self.workspace.site.as_ref() else {
            rebuild.report = diagnostics.render(&self.workspace.files);
            return rebuild;
        };
        let files = &self.workspace.files;

        let started = Instant::now();
        let (graph, problems) = match self.graph.take() {
            Some(g) => g.update(site, files, changed),
            None => graph::resolve(site, files, self.drafts),
        };
        diagnostics.extend(problems);
        timings.resolve = started.elapsed();
        let graph = self.graph.insert(graph);

        if diagnostics.has_errors() {
            rebuild.timings = timings;
            rebuild.report = diagnostics.render(files);
            return rebuild;
        }

        let started = Instant::now();
        let collected = Collect::default();
        let driver = Driver {
            site,
            sources: files,
            graph,
            stale: Stale::Changed {
                previous: &self.fingerprints,
                data: self.workspace.data_digest,
            },
            sink: &collected,
            progress: &pipeline::Quiet,
            // `serve` indexes the pages it holds when the search page first asks.
            search: pipeline::Search::Off,
        };
        let made = driver.run(&mut diagnostics);
        timings.render = started.elapsed();
        rebuild.timings = timings;
        let Some(made) = made else {
            rebuild.report = diagnostics.render(files);
            return rebuild;
        };
        let fingerprints = made.fingerprints;
        let started = Instant::now();
        let Some(in_languages) = self.languages(site, &collected, &mut diagnostics) else {
            rebuild.report = diagnostics.render(files);
            return rebuild;
        };
        rebuild.timings.render += started.elapsed();
        let gone = |old: &Fingerprinted, new: &Fingerprinted, folder: &str| {
            (old.keys())
                .filter(|p| !new.contains_key(*p))
                .map(|p| format!("{folder}{p}"))
                .collect::<Vec<_>>()
        };
        rebuild.removed = gone(&self.fingerprints, &fingerprints, "");
        let pages = |f: &Fingerprinted| f.keys().filter(|p| p.ends_with(".html")).count();
        rebuild.page_count = pages(&fingerprints);
        for (l, (folder, new)) in in_languages.iter().enumerate() {
            let old = self.in_languages.get(l).cloned().unwrap_or_default();
            rebuild.removed.extend(gone(&old, new, folder));
            rebuild.page_count += pages(new);
        }
        rebuild.removed.sort();
        self.fingerprints = fingerprints;
        self.in_languages = in_languages.into_iter().map(|(_, f)| f).collect();
        let (pages, files_copied) = collected.into_parts();
        rebuild.pages = pages;
        rebuild.files = files_copied;
        rebuild.report = diagnostics.render(files);
        rebuild.succeeded = true;
        rebuild
    }
}

impl Session {
    /// Resolve the site in each of its other languages and render, under each one's folder,
    /// its pages whose fingerprint changed; returns each folder with its pages' fingerprints,
    /// or `None` when one found errors (which go to `diagnostics`).
    fn languages(
        &self,
        site: &crate::content::Site,
        sink: &Collect,
        diagnostics: &mut crate::diag::Diagnostics,
    ) -> Option<Vec<(String, Fingerprinted)>> {
        let files = &self.workspace.files;
        let mut made = Vec::new();
        for l in 0..site.config.languages.len() {
            let site = site.in_language(l);
            let (graph, problems) = graph::resolve(&site, files, self.drafts);
            diagnostics.extend(pipeline::own_problems(&site, problems));
            if diagnostics.has_errors() {
                return None;
            }
            let folder = site.config.base_url.lang_folder().to_string();
            let empty = Fingerprinted::default();
            let driver = Driver {
                site: &site,
                sources: files,
                graph: &graph,
                stale: Stale::Changed {
                    previous: self.in_languages.get(l).unwrap_or(&empty),
                    data: self.workspace.data_digest,
                },
                sink: &pipeline::InFolder {
                    folder: folder.clone(),
                    sink,
                },
                progress: &pipeline::Quiet,
                search: pipeline::Search::Off,
            };
            made.push((folder, driver.run(diagnostics)?.fingerprints));
        }
        Some(made)
    }
}

/// A sink that keeps what it is given: the pages made, sorted by path (threads finish in any
/// order; the result must not depend on scheduling), and the files to copy.
#[derive(Default)]
struct Collect {
    pages: Mutex<Vec<Page>>,
    files: Mutex<HashMap<String, AssetSource>>,
}

impl Sink for Collect {
    fn page(&self, path: &str, bytes: Vec<u8>) {
        let page = Page {
            path: path.to_string(),
            bytes,
            search: false,
        };
        self.pages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(page);
    }
    fn file(&self, path: &str, from: AssetSource) {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(path.to_string(), from);
    }
    fn failed(&self) -> bool {
        false
    }
}

impl Collect {
    fn into_parts(self) -> (Vec<Page>, HashMap<String, AssetSource>) {
        let mut pages = self.pages.into_inner().unwrap_or_else(|e| e.into_inner());
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        let files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        (pages, files)
    }
}
