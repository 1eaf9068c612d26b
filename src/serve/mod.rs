//! `serve`: builds the site into memory, serves it over HTTP on 127.0.0.1, watches content/
//! and themes/, rebuilds on change and reloads open pages (Server-Sent Events). Rebuilds are
//! incremental ([`Session`]): only the pages a change touches are made again and replaced in
//! place. An error keeps the last good site and shows the error on every open page until it
//! is fixed.
//!
//! Pages are served only from the in-memory site and the files the build copied, looked up by
//! exact path, so no request can reach any other file on disk. Only GET and HEAD are answered:
//! the server has nothing to change, so every other method is refused before any handler runs.

mod live;

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use notify_debouncer_full::file_id::{self, FileId};
use notify_debouncer_full::notify::{self, RecursiveMode};
use notify_debouncer_full::{Debouncer, NoCache, RecommendedCache};
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};

use crate::content::theme::AssetSource;
use crate::incremental::{Rebuild, Session};

pub(crate) struct ServeOptions {
    pub(crate) root: PathBuf,
    pub(crate) bind: IpAddr,
    pub(crate) port: u16,
    pub(crate) drafts: bool,
    pub(crate) open: bool,
    /// Poll the file system instead of relying on native events.
    pub(crate) poll: bool,
}

/// A successfully built site, as served.
#[derive(Default)]
struct Site {
    pages: HashMap<String, Arc<[u8]>>,
    files: HashMap<String, AssetSource>,
    /// The base URL's path, e.g. `/` or `/policing/`.
    base: String,
    /// The search index as last written whole, once it is: see [`index_for_search`].
    index: Option<Index>,
    /// The pages changed since that write, indexed on their own, if any changed.
    recent: Option<u64>,
    /// The latest indexes of changed pages, newest last: the current one ([`Site::recent`])
    /// and the one before, whose files stay served for a search page that loaded it before the
    /// current one was made or the index was written whole.
    recents: Vec<Recent>,
}

/// The search index as last written whole (under pagefind/).
struct Index {
    files: HashMap<String, Arc<[u8]>>,
    /// The previous write's files that this one does not have (their names are hashes of
    /// their content): a search page that loaded the previous index still finds them.
    older: HashMap<String, Arc<[u8]>>,
    /// Each page's id in it, by URL.
    ids: HashMap<String, String>,
    /// The number of the last update of [`crate::search::Live`] it includes.
    upto: u64,
}

/// The pages changed since the index was written whole, indexed on their own and served under
/// `/__plainsight/recent/KEY/`; the search page merges them with the whole index and hides
/// their earlier versions there (see [`recent_for_search`]).
struct Recent {
    /// The number of the last update it includes, which names it.
    key: u64,
    /// Its index (under pagefind/), when any of the pages is still indexed.
    files: Option<HashMap<String, Arc<[u8]>>>,
    /// The ids in the whole index of the pages' earlier versions.
    hide: Vec<String>,
}

/// What the browser is told after a rebuild.
#[derive(Clone, Debug)]
enum Signal {
    Reload,
    Error(String),
}

struct Shared {
    /// The site folder, resolved: files served from disk must be inside it.
    root: PathBuf,
    /// `None` until the first good build.
    site: RwLock<Option<Site>>,
    error: RwLock<Option<String>>,
    events: broadcast::Sender<Signal>,
    /// The search index kept up to date with the pages served, when the site has search.
    search: Mutex<Option<Arc<crate::search::Live>>>,
    /// Held while the index is written: a request that comes meanwhile waits for that writing
    /// rather than asking for another (each costs seconds on a large site).
    writing: Mutex<()>,
    /// Held while the changed pages are indexed on their own, so that one such index replaces
    /// another in the order they were made.
    indexing_recent: Mutex<()>,
}

const EVENTS: &str = "/__plainsight/events";
const SCRIPT: &str = "/__plainsight/live.js";
/// What the search page asks `serve` for the pages changed since the index was written whole.
const RECENT: &str = "/__plainsight/search-recent.json";
/// Where those pages' own indexes are served, each under its key.
const RECENT_INDEX: &str = "/__plainsight/recent/";

pub(crate) fn serve(opts: ServeOptions) -> anyhow::Result<()> {
    let (sender, _) = broadcast::channel(16);
    // Watchers report absolute paths; match them against the same form of the root.
    let root = std::fs::canonicalize(&opts.root).unwrap_or_else(|_| opts.root.clone());
    let shared = Arc::new(Shared {
        root: root.clone(),
        site: RwLock::new(None),
        error: RwLock::new(None),
        events: sender,
        search: Mutex::new(None),
        writing: Mutex::new(()),
        indexing_recent: Mutex::new(()),
    });
    let started = Instant::now();
    let (session, first) = Session::start(&root, opts.drafts);
    let t = first.timings;
    let timing = format!(
        "in {} ms (load {} ms, resolve {} ms, render {} ms)",
        started.elapsed().as_millis(),
        t.load.as_millis(),
        t.resolve.as_millis(),
        t.render.as_millis()
    );
    let count = first.page_count;
    if publish(first, &shared) {
        eprintln!("Built {count} pages {timing}");
    }
    let opts = ServeOptions { root, ..opts };

    // The watcher lives as long as the server; dropping it stops watching.
    let _watcher = watch(&opts, session, Arc::clone(&shared))?;

    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let addr = SocketAddr::new(opts.bind, opts.port);
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            anyhow::anyhow!("cannot listen on {addr}: {e}; choose another port with --port, or --port 0 for a free one")
        })?;
        let local = listener.local_addr()?;
        let base = shared.site.read().ok().and_then(|s| s.as_ref().map(|s| s.base.clone())).unwrap_or_else(|| "/".into());
        let url = format!("http://{local}{base}");
        let root = crate::text::printable_name(&opts.root.display().to_string()).into_owned();
        println!("Serving {root} at {url} (Ctrl-C to stop)");
        if opts.open {
            let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
        }
        let app = Router::new()
            .route(EVENTS, get(events))
            .route(SCRIPT, get(|| async { ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], live::SCRIPT) }))
            .route(RECENT, get(recent))
            .fallback(page)
            .layer(middleware::from_fn(only_reads))
            .with_state(shared);
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("the server stopped")
    })
}

/// Apply a rebuild: on success replace the pages it made (in place: a one-page edit costs one
/// page) and reload open pages; on failure keep the last good site and show the error. The
/// terminal gets the report once per rebuild. Returns whether the rebuild succeeded.
fn publish(rebuild: Rebuild, shared: &Arc<Shared>) -> bool {
    eprint!("{}", rebuild.report);
    if !rebuild.succeeded {
        if let Ok(mut e) = shared.error.write() {
            *e = Some(rebuild.report.clone());
        }
        let _ = shared.events.send(Signal::Error(rebuild.report));
        return false;
    }
    let live = update_search(&rebuild, shared);
    if let Ok(mut guard) = shared.site.write() {
        let site = guard.get_or_insert_with(Site::default);
        for gone in &rebuild.removed {
            site.pages.remove(gone);
        }
        for page in rebuild.pages {
            site.pages.insert(page.path, Arc::from(page.bytes));
        }
        site.files = rebuild.files;
        site.base = rebuild.base_path;
    }
    if let Some(live) = live {
        // Before the reload: the search page asks for the changed pages as it loads.
        recent_for_search(shared, &live);
        let shared = Arc::clone(shared);
        std::thread::spawn(move || index_for_search(&shared));
    }
    if let Ok(mut e) = shared.error.write() {
        *e = None;
    }
    let _ = shared.events.send(Signal::Reload);
    true
}

/// Hand the pages a rebuild made to the search index, which reads them on its own thread;
/// returns the index when the site has search.
fn update_search(rebuild: &Rebuild, shared: &Arc<Shared>) -> Option<Arc<crate::search::Live>> {
    let Ok(mut live) = shared.search.lock() else {
        return None;
    };
    let new = rebuild.search.as_ref().filter(|language| {
        live.as_ref()
            .is_none_or(|l| l.language() != language.as_str())
    });
    if rebuild.search.is_none() || new.is_some() {
        // No search, or a new index: the one written is not the site's any more.
        *live = None;
        if let Ok(mut site) = shared.site.write()
            && let Some(site) = site.as_mut()
        {
            site.index = None;
            site.recent = None;
            site.recents.clear();
        }
    }
    if let Some(language) = new {
        // A new index for a new language: every page served goes into it.
        let index = crate::search::Live::start(language);
        if let Ok(site) = shared.site.read()
            && let Some(site) = site.as_ref()
        {
            let made: HashSet<&str> = rebuild.pages.iter().map(|p| p.path.as_str()).collect();
            let gone: HashSet<&str> = rebuild.removed.iter().map(String::as_str).collect();
            let unchanged = site
                .pages
                .iter()
                .filter(|(path, _)| !made.contains(path.as_str()) && !gone.contains(path.as_str()));
            index.update(
                unchanged.map(|(path, bytes)| (path.as_str(), &bytes[..])),
                &[],
            );
        }
        *live = Some(Arc::new(index));
    }
    let live = live.as_ref()?;
    // Live passes over a page whose indexed HTML is the same as before.
    let made = rebuild
        .pages
        .iter()
        .map(|p| (p.path.as_str(), &p.bytes[..]));
    live.update(made, &rebuild.removed);
    Some(Arc::clone(live))
}

/// Index on their own the pages changed since the index was last written whole, when it has
/// been: a few pages take milliseconds, where writing the whole index takes seconds on a
/// large site, so a search finds an edit as soon as the page reloads.
fn recent_for_search(shared: &Shared, live: &crate::search::Live) {
    let Ok(_indexing) = shared.indexing_recent.lock() else {
        return;
    };
    let Some(upto) = shared
        .site
        .read()
        .ok()
        .and_then(|s| s.as_ref().and_then(|s| s.index.as_ref().map(|i| i.upto)))
    else {
        return;
    };
    let recent = match live.recent(upto) {
        Ok(recent) => recent,
        Err(e) => {
            eprintln!("error: {}", crate::text::printable(&e.message));
            return;
        }
    };
    let Ok(mut guard) = shared.site.write() else {
        return;
    };
    let Some(site) = guard.as_mut() else {
        return;
    };
    let Some(index) = site.index.as_ref().filter(|i| i.upto == upto) else {
        // Written whole meanwhile: the one who wrote it indexes what is left.
        return;
    };
    let Some(recent) = recent else {
        site.recent = None;
        return;
    };
    let ids: std::collections::HashSet<String> = recent
        .files
        .as_ref()
        .map(|f| crate::search::page_ids(f).into_values().collect())
        .unwrap_or_default();
    // A page whose version in the whole index is already the latest has the same id in both:
    // not hidden (the search page shows a result once).
    let hide = recent
        .urls
        .iter()
        .filter_map(|url| index.ids.get(url))
        .filter(|id| !ids.contains(*id))
        .cloned()
        .collect();
    let made = Recent {
        key: recent.as_of,
        files: recent.files.map(served),
        hide,
    };
    site.recent = Some(made.key);
    site.recents.retain(|r| r.key != made.key);
    site.recents.push(made);
    let keep = site.recents.len().saturating_sub(2);
    site.recents.drain(..keep);
}

/// Files as `serve` keeps them.
fn served(files: crate::search::Files) -> HashMap<String, Arc<[u8]>> {
    files
        .into_iter()
        .map(|(path, bytes)| (path, Arc::from(bytes)))
        .collect()
}

/// Rebuild after the watcher saw `paths` change (`since`: when the first change arrived), and
/// print what it cost, stage by stage.
fn rebuild(session: &mut Session, paths: &[PathBuf], since: Instant, shared: &Arc<Shared>) {
    let started = Instant::now();
    let event = started.duration_since(since);
    let rebuild = session.rebuild(paths);
    let made = rebuild
        .pages
        .iter()
        .filter(|p| p.path.ends_with(".html"))
        .count();
    let (count, t) = (rebuild.page_count, rebuild.timings);
    let had_errors = shared.error.read().is_ok_and(|e| e.is_some());
    let before_write = Instant::now();
    if publish(rebuild, shared) {
        let ms = |d: Duration| format!("{:.1}", d.as_secs_f64() * 1000.0);
        eprintln!(
            "{} in {} ms (event {} ms, load {} ms, resolve {} ms, render {} ms, write {} ms)",
            rebuilt(made, count, had_errors),
            ms(started.elapsed()),
            ms(event),
            ms(t.load),
            ms(t.resolve),
            ms(t.render),
            ms(before_write.elapsed()),
        );
    }
}

/// What a good rebuild did, for the terminal. After a failed build it says first that the
/// errors are cleared: "Rebuilt 0 of 15 pages" alone would read as if the fix went unseen, when
/// it means the pages are again those of the last good build.
fn rebuilt(made: usize, count: usize, had_errors: bool) -> String {
    use crate::diag::plural;
    if !had_errors {
        return format!("Rebuilt {made} of {}", plural(count, "page"));
    }
    let pages = if made == 0 {
        format!("its {} as before the error", plural(count, "page"))
    } else if made == count {
        format!("{} built", plural(count, "page"))
    } else {
        format!("{made} of {} rebuilt", plural(count, "page"))
    };
    format!("Errors cleared: the site builds again, {pages}")
}

/// A file watcher: native events, or polling (`--poll`).
enum Watcher {
    Native(Debouncer<notify::RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<notify::PollWatcher, NoCache>),
}

impl Watcher {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Watcher::Native(d) => d.watch(path, mode),
            Watcher::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            Watcher::Native(d) => d.unwatch(path),
            Watcher::Poll(d) => d.unwatch(path),
        }
    }
}

/// The folders watched whole (content/ and themes/), each with the identity of the folder being
/// watched there. A native watch follows the folder, not its name: once a folder is deleted and
/// made again under the same name, the new one is unwatched until it is watched again. The site
/// folder itself is watched too (not its subfolders), so that such a folder coming back is seen.
struct Watched {
    folders: Vec<(PathBuf, Option<FileId>)>,
}

impl Watched {
    fn new(root: &Path) -> Watched {
        Watched {
            folders: ["content", "themes"]
                .iter()
                .map(|d| (root.join(d), None))
                .collect(),
        }
    }

    /// Whether `path` is inside one of the watched folders (or is one).
    fn covers(&self, path: &Path) -> bool {
        self.folders.iter().any(|(dir, _)| path.starts_with(dir))
    }

    /// Watch each folder that appeared or was replaced since the last call. Returns whether
    /// one was: its files may have changed before the watch began, unseen, so the caller must
    /// read everything again.
    fn refresh(&mut self, watcher: &mut Watcher) -> notify::Result<bool> {
        let mut renewed = false;
        for (dir, watched) in &mut self.folders {
            let now = dir
                .is_dir()
                .then(|| file_id::get_file_id(&*dir).ok())
                .flatten();
            if now == *watched {
                continue;
            }
            if watched.is_some() {
                // A stale watch (the poller keeps one on the name); the old folder is gone.
                let _ = watcher.unwatch(dir);
            }
            if now.is_some() {
                watcher.watch(dir, RecursiveMode::Recursive)?;
            }
            renewed |= now.is_some() || watched.is_some();
            *watched = now;
        }
        Ok(renewed)
    }
}

/// Watch content/ and themes/, and watch them again when they are deleted and made again; an
/// editor's burst of saves becomes one rebuild.
fn watch(
    opts: &ServeOptions,
    mut session: Session,
    shared: Arc<Shared>,
) -> anyhow::Result<Arc<Mutex<Watcher>>> {
    let (tx, rx) = std::sync::mpsc::channel();
    let debounce = Duration::from_millis(10);
    let mut watcher = if opts.poll {
        let config = notify::Config::default().with_poll_interval(Duration::from_millis(200));
        Watcher::Poll(notify_debouncer_full::new_debouncer_opt::<
            _,
            notify::PollWatcher,
            _,
        >(debounce, None, tx, NoCache, config)?)
    } else {
        Watcher::Native(notify_debouncer_full::new_debouncer(debounce, None, tx)?)
    };
    watcher.watch(&opts.root, RecursiveMode::NonRecursive)?;
    let mut watched = Watched::new(&opts.root);
    watched.refresh(&mut watcher)?;
    let watcher = Arc::new(Mutex::new(watcher));
    let renew = Arc::clone(&watcher);
    std::thread::spawn(move || {
        while let Ok(result) = rx.recv() {
            // One save can arrive as two debounced batches (a write, then its close): keep
            // taking events until they pause, so a save is one rebuild.
            let mut changed = Changed::default();
            changed.add(&result, &watched);
            while let Ok(more) = rx.recv_timeout(Duration::from_millis(5)) {
                changed.add(&more, &watched);
            }
            let Some(since) = changed.since else {
                continue;
            };
            let renewed = match renew.lock() {
                Ok(mut w) => watched.refresh(&mut w),
                Err(_) => Ok(false),
            };
            let renewed = renewed.unwrap_or_else(|e| {
                eprintln!("error: cannot watch the site folder again: {e}; restart serve");
                true
            });
            let paths: Vec<PathBuf> = if changed.rescan || renewed {
                Vec::new()
            } else {
                changed.paths.into_iter().collect()
            };
            rebuild(&mut session, &paths, since, &shared);
        }
    });
    Ok(watcher)
}

/// The changes in a burst of watcher events.
#[derive(Default)]
struct Changed {
    paths: std::collections::BTreeSet<PathBuf>,
    /// When the first change arrived.
    since: Option<Instant>,
    /// The watcher lost track (an overflowing queue): look at everything.
    rescan: bool,
}

impl Changed {
    /// Take in a batch of events about the watched folders; the site folder's other entries
    /// (an output folder being written, say) are not the site.
    fn add(&mut self, result: &notify_debouncer_full::DebounceEventResult, watched: &Watched) {
        let Ok(events) = result else {
            // The watcher failed; rebuilding everything is the safe answer.
            self.rescan = true;
            self.since.get_or_insert_with(Instant::now);
            return;
        };
        for e in events.iter().filter(|e| {
            e.event.need_rescan()
                || (is_change(&e.event.kind) && e.event.paths.iter().any(|p| watched.covers(p)))
        }) {
            self.rescan |= e.event.need_rescan();
            self.paths.extend(e.event.paths.iter().cloned());
            let since = self.since.get_or_insert(e.time);
            *since = (*since).min(e.time);
        }
    }
}

/// Whether an event changes a file. Reads are ignored: every rebuild reads the files it
/// watches, and counting those would rebuild forever.
fn is_change(kind: &notify::EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, EventKind, MetadataKind, ModifyKind};
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        _ => false,
    }
}

/// The methods `serve` answers, as an `Allow` header says them.
const ALLOW: &str = "GET, HEAD";

/// Let GET and HEAD through (HEAD is answered as GET without the body); answer OPTIONS with the
/// methods allowed, and refuse every other method, invented ones too, with 405.
async fn only_reads(request: Request, next: Next) -> Response {
    match *request.method() {
        Method::GET | Method::HEAD => next.run(request).await,
        Method::OPTIONS => (StatusCode::NO_CONTENT, [(header::ALLOW, ALLOW)]).into_response(),
        _ => (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, ALLOW)],
            "Method not allowed: serve answers only GET and HEAD\n",
        )
            .into_response(),
    }
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = shared.events.subscribe();
    // A page opened while the site has an error shows it at once.
    let now = shared
        .error
        .read()
        .ok()
        .and_then(|e| e.clone())
        .map(Signal::Error);
    let stream = tokio_stream::iter(now)
        .chain(BroadcastStream::new(rx).filter_map(Result::ok))
        .map(|signal| {
            Ok(match signal {
                Signal::Reload => Event::default().event("reload").data("reload"),
                Signal::Error(report) => Event::default().event("build-error").data(report),
            })
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// An HTML page with the live-reload script added (never in `build` output).
fn html(status: StatusCode, bytes: &[u8]) -> Response {
    let text = String::from_utf8_lossy(bytes);
    // The search page asks serve, at the attribute's address, for the pages changed since
    // the search index was written whole.
    let tag =
        format!("<script src=\"{SCRIPT}\" data-search-recent=\"{RECENT}\"></script>\n</body>");
    let body = match text.rfind("</body>") {
        Some(i) => format!("{}{tag}{}", &text[..i], &text[i + "</body>".len()..]),
        None => format!("{text}{tag}"),
    };
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

fn not_found(page: Option<Arc<[u8]>>) -> Response {
    match page {
        Some(p) => html(StatusCode::NOT_FOUND, &p),
        None => (StatusCode::NOT_FOUND, "Not found").into_response(),
    }
}

/// Which page or file a request path names, if any: `None` for anything that is not plainly a
/// path inside the site (`..`, a backslash, a NUL, bad encoding).
fn site_key(rel: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(rel)
        .decode_utf8()
        .ok()?;
    let bad = decoded.split('/').any(|s| s == ".." || s == ".")
        || decoded.contains(['\\', '\0'])
        || decoded.starts_with('/');
    if bad {
        return None;
    }
    Some(if decoded.is_empty() || decoded.ends_with('/') {
        format!("{decoded}index.html")
    } else {
        decoded.into_owned()
    })
}

/// What a request path names in the served site.
enum Lookup {
    /// A made file, and whether it is an HTML page (which gets the reload script).
    Page(Arc<[u8]>, bool),
    File(AssetSource),
    /// To the site's base path (temporary: it follows site.yaml).
    ToBase(String),
    /// A folder asked for without its trailing slash.
    ToFolder(String),
    BadRequest,
    Missing(Option<Arc<[u8]>>),
    NoSiteYet,
}

/// Look a request up in the site, holding the lock only for the lookup.
fn find(shared: &Shared, path: &str) -> Lookup {
    let Ok(guard) = shared.site.read() else {
        return Lookup::NoSiteYet;
    };
    let Some(site) = guard.as_ref() else {
        return Lookup::NoSiteYet;
    };
    // A language's own 404 page for the paths under its folder (`cy/404.html`).
    let not_found = path
        .strip_prefix(site.base.as_str())
        .and_then(|rel| rel.split_once('/'))
        .map(|(folder, _)| format!("{folder}/404.html"))
        .and_then(|p| site.pages.get(&p))
        .or_else(|| site.pages.get("404.html"))
        .cloned();
    let missing = || Lookup::Missing(not_found.clone());
    if let Some(rest) = path.strip_prefix(RECENT_INDEX) {
        // KEY/pagefind/…, looked up by exact name.
        let file = rest.split_once('/').and_then(|(key, file)| {
            let recent = site.recents.iter().find(|r| r.key.to_string() == key)?;
            recent.files.as_ref()?.get(file)
        });
        return file.map_or_else(missing, |bytes| Lookup::Page(Arc::clone(bytes), false));
    }
    let Some(rel) = path.strip_prefix(site.base.as_str()) else {
        if path == "/" || format!("{path}/") == site.base {
            return Lookup::ToBase(site.base.clone());
        }
        return missing();
    };
    let Some(key) = site_key(rel) else {
        return Lookup::BadRequest;
    };
    if let Some(bytes) = site.pages.get(&key) {
        return Lookup::Page(Arc::clone(bytes), key.ends_with(".html"));
    }
    let indexed = site
        .index
        .as_ref()
        .and_then(|i| i.files.get(&key).or_else(|| i.older.get(&key)));
    if let Some(bytes) = indexed {
        return Lookup::Page(Arc::clone(bytes), false);
    }
    if let Some(source) = site.files.get(&key) {
        return Lookup::File(source.clone());
    }
    if site.pages.contains_key(&format!("{key}/index.html")) {
        return Lookup::ToFolder(format!("{path}/"));
    }
    missing()
}

/// Write the search index whole with every update so far, unless it is: on the index's own
/// thread, without holding the site. Then the pages changed meanwhile are indexed on their own.
fn index_for_search(shared: &Shared) {
    let Ok(_writing) = shared.writing.lock() else {
        return;
    };
    let Some(live) = shared.search.lock().ok().and_then(|l| l.clone()) else {
        return;
    };
    let written_upto = shared
        .site
        .read()
        .ok()
        .and_then(|s| s.as_ref().and_then(|s| s.index.as_ref().map(|i| i.upto)));
    if written_upto == Some(live.updates()) {
        return;
    }
    if written_upto.is_some() {
        hold_if_asked();
    }
    let written = match live.files() {
        Ok(written) => written,
        Err(e) => {
            eprintln!("error: {}", crate::text::printable(&e.message));
            return;
        }
    };
    let ids = crate::search::page_ids(&written.files);
    {
        // The search lock before the site's, as update_search takes them.
        let Ok(search) = shared.search.lock() else {
            return;
        };
        if !search.as_ref().is_some_and(|l| Arc::ptr_eq(l, &live)) {
            // Search was turned off, or its language changed, while it was written.
            return;
        }
        let Ok(mut guard) = shared.site.write() else {
            return;
        };
        let Some(site) = guard.as_mut() else {
            return;
        };
        let files = served(written.files);
        let older = site
            .index
            .take()
            .map(|old| {
                old.files
                    .into_iter()
                    .filter(|(path, _)| !files.contains_key(path))
                    .collect()
            })
            .unwrap_or_default();
        site.index = Some(Index {
            files,
            older,
            ids,
            upto: written.upto,
        });
        // What it hid was of the index before; made again for this one below.
        site.recent = None;
    }
    live.forget(written.upto);
    recent_for_search(shared, &live);
}

/// Test hook, honoured only in debug builds (the integration tests run one): with
/// `PLAINSIGHT_TEST_HOLD_INDEX` set to a path, each whole write of the search index after the
/// first creates that file and waits until it is removed, so that a test sees the changed
/// pages served on their own, whatever the speed of the machine.
fn hold_if_asked() {
    if !cfg!(debug_assertions) {
        return;
    }
    if let Some(flag) = std::env::var_os("PLAINSIGHT_TEST_HOLD_INDEX") {
        let flag = PathBuf::from(flag);
        if std::fs::write(&flag, b"").is_ok() {
            while flag.exists() {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }
}

/// The pages changed since the search index was written whole, for the search page:
/// `{"index": "/__plainsight/recent/KEY/pagefind/", "hide": [ids]}` (`index` is null when they
/// all left the index), or `{}` when there are none.
async fn recent(State(shared): State<Arc<Shared>>) -> Response {
    let body = shared
        .site
        .read()
        .ok()
        .and_then(|site| {
            let site = site.as_ref()?;
            let recent = site.recents.iter().find(|r| Some(r.key) == site.recent)?;
            let index = recent
                .files
                .as_ref()
                .map(|_| format!("{RECENT_INDEX}{}/{}", recent.key, crate::search::FOLDER));
            Some(serde_json::json!({ "index": index, "hide": recent.hide }).to_string())
        })
        .unwrap_or_else(|| "{}".into());
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

async fn page(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let path = uri.path();
    let unwritten = || {
        shared
            .site
            .read()
            .is_ok_and(|s| s.as_ref().is_some_and(|s| s.index.is_none()))
    };
    if path.contains(&format!("/{}", crate::search::FOLDER)) && unwritten() {
        // Not written whole yet (the first time): wait for it.
        let shared = Arc::clone(&shared);
        let _ = tokio::task::spawn_blocking(move || index_for_search(&shared)).await;
    }
    match find(&shared, path) {
        Lookup::Page(bytes, true) => html(StatusCode::OK, &bytes),
        Lookup::Page(bytes, false) => (
            [(header::CONTENT_TYPE, content_type(path))],
            Body::from(bytes.to_vec()),
        )
            .into_response(),
        Lookup::File(source) => {
            let bytes = match source {
                AssetSource::Embedded(b) => b.to_vec(),
                AssetSource::Built(b) => b.to_vec(),
                // Only files inside the site folder: a symbolic link under content/ or
                // themes/ that points elsewhere is not followed.
                AssetSource::Disk(p) => match std::fs::canonicalize(&p) {
                    Ok(real) if real.starts_with(&shared.root) => match std::fs::read(real) {
                        Ok(b) => b,
                        Err(_) => return not_found(None),
                    },
                    _ => return not_found(None),
                },
            };
            let kind = content_type(path);
            ([(header::CONTENT_TYPE, kind)], Body::from(bytes)).into_response()
        }
        Lookup::ToBase(to) => Redirect::temporary(&to).into_response(),
        Lookup::ToFolder(to) => Redirect::permanent(&to).into_response(),
        Lookup::BadRequest => (StatusCode::BAD_REQUEST, "Bad request").into_response(),
        Lookup::Missing(page) => not_found(page),
        // No good build yet: a page that shows the error and reloads when it is fixed.
        Lookup::NoSiteYet => html(
            StatusCode::SERVICE_UNAVAILABLE,
            b"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body><main><h1>The site has errors</h1><p>Fix them and this page will reload.</p></main></body></html>",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_stay_inside_the_site() {
        assert_eq!(site_key(""), Some("index.html".into()));
        assert_eq!(site_key("reports/x/"), Some("reports/x/index.html".into()));
        assert_eq!(
            site_key("static/style.css"),
            Some("static/style.css".into())
        );
        assert_eq!(site_key("my%20chart.png"), Some("my chart.png".into()));
        for bad in [
            "../etc/passwd",
            "%2e%2e/etc/passwd",
            "a/../../b",
            "/etc/passwd",
            "%2Fetc%2Fpasswd",
            "a%5c..%5cb",
            "a%00b",
            "%ff",
        ] {
            assert_eq!(site_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_rebuild_after_errors_says_they_are_cleared() {
        assert_eq!(rebuilt(2, 15, false), "Rebuilt 2 of 15 pages");
        assert_eq!(
            rebuilt(0, 15, true),
            "Errors cleared: the site builds again, its 15 pages as before the error"
        );
        assert_eq!(
            rebuilt(1, 1, true),
            "Errors cleared: the site builds again, 1 page built"
        );
        assert_eq!(
            rebuilt(3, 15, true),
            "Errors cleared: the site builds again, 3 of 15 pages rebuilt"
        );
    }

    #[test]
    fn the_reload_script_goes_before_the_end_of_the_body() {
        let r = html(StatusCode::OK, b"<html><body><p>x</p></body></html>");
        assert_eq!(r.status(), StatusCode::OK);
    }
}
