//! Site search: the Pagefind index of the pages that carry `data-pagefind-body` (documents,
//! plans, priorities, commitments and metrics), built in memory while they render (see
//! [`Indexer`]) and published under `pagefind/`, next to the search page that
//! `themes/default/static/search.js` drives.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, mpsc};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diag::Diagnostic;
use crate::urls::encode_path;

/// Where the index is published, under the output folder.
pub(crate) const FOLDER: &str = "pagefind/";

/// The attribute that marks the part of a page to index; pages without it are left out.
pub(crate) const BODY_MARK: &str = "data-pagefind-body";

/// Whether a page's template marked a part of it to index.
pub(crate) fn is_marked(html: &[u8]) -> bool {
    String::from_utf8_lossy(html).contains(BODY_MARK)
}

/// A page to index, as (root-relative URL, HTML), if it is an HTML page whose template
/// marked a part of it to index; `path` is its output path (`reports/x/index.html`).
pub(crate) fn indexable(path: &str, bytes: &[u8]) -> Option<(String, String)> {
    if !path.ends_with(".html") {
        return None;
    }
    if !is_marked(bytes) {
        return None;
    }
    let html = String::from_utf8_lossy(bytes);
    Some((page_url(path), spaced(&trimmed(&html))))
}

/// The part of `html` Pagefind reads: the `<html>` start tag, the `<title>`, and the `<main>`
/// element that carries the body mark; the rest (the head's links and data, the site's header,
/// navigation and footer) is outside what it indexes and holds no `data-pagefind-*` attribute,
/// but costs it a quarter of its parsing. A page whose mark is elsewhere is given whole.
fn trimmed(html: &str) -> Cow<'_, str> {
    let parts = html.find(BODY_MARK).and_then(|mark| {
        let main = html[..mark].rfind("<main ")?;
        let end = html.rfind("</main>")? + "</main>".len();
        let start = html.find("<html")?;
        let start_end = start + html[start..].find('>')? + 1;
        // The mark is in `<main>`'s own start tag, and the page has one `<main>`.
        let own = !html[main..mark].contains('>') && html.matches("<main").count() == 1;
        (own && start_end <= main && mark < end).then_some((start..start_end, main..end))
    });
    let Some((start, main)) = parts else {
        return Cow::Borrowed(html);
    };
    let title = html
        .find("<title>")
        .zip(html.find("</title>"))
        .filter(|&(a, b)| a < b && b < main.start)
        .map_or("", |(a, b)| &html[a..b + "</title>".len()]);
    Cow::Owned(format!(
        "{}<head>{title}</head><body>{}</body></html>",
        &html[start], &html[main]
    ))
}

/// Elements whose text Pagefind joins to the next element's without a space (it separates
/// only headings, paragraphs, list items, table data and a few containers), which ran a label
/// into its value in excerpts ("Published24 March 2022"). A space before each end tag keeps
/// them apart; the published page is unchanged, only the copy given to the index.
const UNSPACED_ENDS: [&str; 6] = [
    "</dt>",
    "</dd>",
    "</th>",
    "</caption>",
    "</figcaption>",
    "</summary>",
];

/// `html` with a space before the end tags of [`UNSPACED_ENDS`]. A literal `</dt>` can only
/// be markup: text in a page has its `<` escaped.
fn spaced(html: &str) -> String {
    let mut out = html.to_owned();
    for end in UNSPACED_ENDS {
        if out.contains(end) {
            out = out.replace(end, &format!(" {end}"));
        }
    }
    out
}

/// The language the index of `config`'s site is stemmed for: its own, or "" for a site in
/// several languages, whose pages are indexed by each one's language.
pub(crate) fn index_language(config: &crate::config::SiteConfig) -> String {
    if config.languages.is_empty() {
        config.language.as_str().to_string()
    } else {
        String::new()
    }
}

/// Pagefind's files, as (output path such as `pagefind/pagefind.js`, bytes), sorted by path.
pub(crate) type Files = Vec<(String, Vec<u8>)>;

/// The root-relative URL a page at output `path` is indexed under (`/reports/x/`).
fn page_url(path: &str) -> String {
    let folder = path.strip_suffix("index.html").unwrap_or(path);
    format!("/{}", encode_path(folder))
}

/// Pagefind's index, made while the rest of the site renders: the render threads hand each
/// page over as it is made and go on, and one thread of its own feeds them to Pagefind, whose
/// indexing takes one page at a time. Pages reach it in the order of their URLs, which decides
/// Pagefind's page numbers, so the index is the same bytes however the render threads run;
/// a page that comes early waits for those before it.
pub(crate) struct Indexer {
    /// Each page to index by output path, with its place in URL order.
    ranks: HashMap<String, usize>,
    queue: Mutex<Queue>,
}

/// Pages made out of turn, until those before them are made.
struct Queue {
    /// The place of the next page for Pagefind.
    next: usize,
    /// Pages that came early, by place; `None` for a page without the body mark.
    early: BTreeMap<usize, Option<(String, String)>>,
    worker: Worker,
}

impl Queue {
    /// Hand over every page whose turn has come.
    fn flush(&mut self) {
        while let Some(page) = self.early.remove(&self.next) {
            if let Some((url, html)) = page {
                self.worker.add(url, html);
            }
            self.next += 1;
        }
    }
}

impl Indexer {
    /// Start indexing for a site in `language`; `paths` are the output paths of the pages to
    /// index, which [`Indexer::page`] will be handed in any order.
    pub(crate) fn start(paths: Vec<String>, language: &str) -> Indexer {
        let mut by_url: Vec<(String, String)> =
            paths.into_iter().map(|p| (page_url(&p), p)).collect();
        by_url.sort();
        let ranks = by_url
            .into_iter()
            .enumerate()
            .map(|(rank, (_, path))| (path, rank))
            .collect();
        let queue = Queue {
            next: 0,
            early: BTreeMap::new(),
            worker: Worker::start(language),
        };
        Indexer {
            ranks,
            queue: Mutex::new(queue),
        }
    }

    /// The place of the page at `path` in the order Pagefind is given pages, if it is indexed:
    /// rendering pages in this order lets indexing start at once.
    pub(crate) fn rank(&self, path: &str) -> Option<usize> {
        self.ranks.get(path).copied()
    }

    /// Hand over a page just made (any page: those not to be indexed are passed over).
    pub(crate) fn page(&self, path: &str, bytes: &[u8]) {
        let Some(rank) = self.rank(path) else {
            return;
        };
        let page = indexable(path, bytes);
        if let Ok(mut queue) = self.queue.lock() {
            queue.early.insert(rank, page);
            queue.flush();
        }
    }

    /// Wait for the pages handed over to be indexed, then return Pagefind's files. A page never
    /// handed over (its render failed) is left out.
    pub(crate) fn finish(self) -> Result<Files, Diagnostic> {
        let mut queue = self.queue.into_inner().unwrap_or_else(|e| e.into_inner());
        let early = std::mem::take(&mut queue.early);
        for (url, html) in early.into_values().flatten() {
            queue.worker.add(url, html);
        }
        queue.worker.finish()
    }
}

/// The search index `serve` keeps: the pages of each rebuild replace their earlier versions in
/// it, so after an edit only the pages made again are read again, not the whole site. Writing
/// it still covers every page (the Pagefind crate writes an index whole), which takes seconds
/// on a large site; meanwhile the pages changed since the last whole write are indexed on
/// their own ([`Live::recent`]), which the search page merges with the last whole index.
pub(crate) struct Live {
    language: String,
    worker: Worker,
    state: Mutex<LiveState>,
}

/// What [`Live`] knows of the pages it was given.
#[derive(Default)]
struct LiveState {
    /// The pages indexed, by URL, with a hash of what Pagefind was given: a page that goes or
    /// loses its body mark is taken out, and one made again with the same text is not read
    /// again (a listing whose only change is outside what is indexed).
    indexed: HashMap<String, u64>,
    /// How many updates came so far: an update's number says which writes include it.
    updates: u64,
    /// The pages changed by each update not yet in a whole write, by URL: the number of the
    /// update that last changed it, and its HTML (`None`: it left the index).
    pending: BTreeMap<String, (u64, Option<String>)>,
}

/// What stands in for a page taken out of the index: Pagefind leaves out pages without the
/// body mark once any page has one, and it cannot remove a page.
const TAKEN_OUT: &str = "<html><body></body></html>";

/// The whole index as written by [`Live::files`].
pub(crate) struct Written {
    pub(crate) files: Files,
    /// The number of the last update it includes.
    pub(crate) upto: u64,
}

/// The pages changed since a whole write, indexed on their own by [`Live::recent`].
pub(crate) struct Recent {
    /// The number of the last update it includes.
    pub(crate) as_of: u64,
    /// Their index, if any of them is still indexed (all may have left it).
    pub(crate) files: Option<Files>,
    /// The URLs of every page changed: their versions in the whole index are out of date.
    pub(crate) urls: Vec<String>,
}

impl Live {
    pub(crate) fn start(language: &str) -> Live {
        Live {
            language: language.to_owned(),
            worker: Worker::start(language),
            state: Mutex::new(LiveState::default()),
        }
    }

    /// The language the index is stemmed for.
    pub(crate) fn language(&self) -> &str {
        &self.language
    }

    /// The number of the latest update.
    pub(crate) fn updates(&self) -> u64 {
        self.state.lock().map_or(0, |s| s.updates)
    }

    /// Index the HTML `pages` (output path, bytes) made again, in the order of their URLs,
    /// replacing the earlier versions, and take out the pages at the output paths `removed`.
    pub(crate) fn update<'a>(
        &self,
        pages: impl Iterator<Item = (&'a str, &'a [u8])>,
        removed: &[String],
    ) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        let mut changed: Vec<(String, Option<String>)> = pages
            .filter(|(path, _)| path.ends_with(".html"))
            .map(|(path, bytes)| match indexable(path, bytes) {
                Some((url, html)) => (url, Some(html)),
                None => (page_url(path), None),
            })
            .chain(removed.iter().map(|path| (page_url(path), None)))
            .collect();
        changed.sort_by(|a, b| a.0.cmp(&b.0));
        state.updates += 1;
        let update = state.updates;
        for (url, html) in changed {
            match html {
                Some(html) => {
                    let hash = xxhash_rust::xxh3::xxh3_64(html.as_bytes());
                    if state.indexed.insert(url.clone(), hash) == Some(hash) {
                        continue;
                    }
                    state
                        .pending
                        .insert(url.clone(), (update, Some(html.clone())));
                    self.worker.add(url, html);
                }
                None if state.indexed.remove(&url).is_some() => {
                    state.pending.insert(url.clone(), (update, None));
                    self.worker.add(url, TAKEN_OUT.to_owned());
                }
                None => {}
            }
        }
    }

    /// The index as it stands after every update so far (waits for it to be written).
    pub(crate) fn files(&self) -> Result<Written, Diagnostic> {
        let (reply, answer) = mpsc::channel();
        let upto = {
            // Under the lock, so that no update is sent between the count and the request.
            let state = self
                .state
                .lock()
                .map_err(|_| failed("indexing", &"a lock failed"))?;
            let _ = self.worker.pages.send(Message::Write(reply));
            state.updates
        };
        let files = answer
            .recv()
            .unwrap_or_else(|_| Err(failed("indexing", &"the indexing thread stopped")))?;
        Ok(Written { files, upto })
    }

    /// Forget the changes that a whole write up to update `upto` includes.
    pub(crate) fn forget(&self, upto: u64) {
        if let Ok(mut state) = self.state.lock() {
            state.pending.retain(|_, (update, _)| *update > upto);
        }
    }

    /// The pages changed by the updates after `after`, indexed on their own (a few pages take
    /// milliseconds, where a whole write takes seconds); `None` if there are none.
    pub(crate) fn recent(&self, after: u64) -> Result<Option<Recent>, Diagnostic> {
        let (as_of, urls, pages) = {
            let state = self
                .state
                .lock()
                .map_err(|_| failed("indexing", &"a lock failed"))?;
            let changed: Vec<(&String, &Option<String>)> = state
                .pending
                .iter()
                .filter(|(_, (update, _))| *update > after)
                .map(|(url, (_, html))| (url, html))
                .collect();
            let urls: Vec<String> = changed.iter().map(|(url, _)| (*url).clone()).collect();
            let pages: Vec<(String, String)> = changed
                .into_iter()
                .filter_map(|(url, html)| Some((url.clone(), html.clone()?)))
                .collect();
            (state.updates, urls, pages)
        };
        if urls.is_empty() {
            return Ok(None);
        }
        let files = if pages.is_empty() {
            None
        } else {
            // In URL order already (a BTreeMap's).
            let worker = Worker::start(&self.language);
            for (url, html) in pages {
                worker.add(url, html);
            }
            Some(worker.finish()?)
        };
        Ok(Some(Recent { as_of, files, urls }))
    }
}

/// The id Pagefind's search results give each page of an index (its fragment's name, such as
/// `en_3f2a9c1`), by the page's URL.
pub(crate) fn page_ids(files: &Files) -> HashMap<String, String> {
    use std::io::Read as _;
    let fragments = format!("{FOLDER}fragment/");
    let mut ids = HashMap::new();
    for (path, bytes) in files {
        let Some(id) = path
            .strip_prefix(&fragments)
            .and_then(|name| name.strip_suffix(".pf_fragment"))
        else {
            continue;
        };
        let mut text = Vec::new();
        if flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut text)
            .is_err()
        {
            continue;
        }
        // The JSON follows Pagefind's signature.
        let Some(start) = text.iter().position(|&b| b == b'{') else {
            continue;
        };
        #[derive(serde::Deserialize)]
        struct Fragment {
            url: String,
        }
        if let Ok(fragment) = serde_json::from_slice::<Fragment>(&text[start..]) {
            ids.insert(fragment.url, id.to_owned());
        }
    }
    ids
}

/// What the indexing thread is told.
enum Message {
    /// Add the page at this URL, or replace the page indexed there.
    Page(String, String),
    /// Write the index as it stands and send it back; the thread goes on.
    Write(mpsc::Sender<Result<Files, Diagnostic>>),
    /// Every page is in: write the index and stop. Without it (the sender dropped: the build
    /// failed) the thread stops without writing.
    Finish,
}

/// The thread that owns the Pagefind index and adds pages to it one at a time.
struct Worker {
    pages: mpsc::Sender<Message>,
    thread: std::thread::JoinHandle<Result<Files, Diagnostic>>,
}

impl Worker {
    fn start(language: &str) -> Worker {
        let (pages, inbox) = mpsc::channel();
        let language = language.to_ascii_lowercase();
        let thread = std::thread::spawn(move || run(&inbox, language));
        Worker { pages, thread }
    }

    fn add(&self, url: String, html: String) {
        // Sending fails only once the thread has stopped on an error, which finish reports.
        let _ = self.pages.send(Message::Page(url, html));
    }

    fn finish(self) -> Result<Files, Diagnostic> {
        let _ = self.pages.send(Message::Finish);
        self.thread
            .join()
            .unwrap_or_else(|_| Err(failed("indexing", &"the indexing thread stopped")))
    }
}

fn failed(what: &str, e: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::error(format!("the search index could not be built: {what}: {e}"))
        .help("set `search: false` in site.yaml to build without it, and report this as a bug")
}

/// The indexing thread: add each page as it comes, and write the index when told. An error
/// adding a page is kept for the next write, which returns it.
fn run(inbox: &mpsc::Receiver<Message>, language: String) -> Result<Files, Diagnostic> {
    // One index for the whole site, stemmed for its language; for a site in several languages
    // (`language` empty), one per language, by each page's `<html lang>`, which Pagefind's
    // script picks by the search page's own.
    let config = if language.is_empty() {
        PagefindServiceConfig::builder().build()
    } else {
        PagefindServiceConfig::builder()
            .force_language(language)
            .build()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| failed("starting", &e))?;
    runtime.block_on(async move {
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| failed("configuring", &e))?;
        let mut error = None;
        loop {
            let mut replies = Vec::new();
            match inbox.recv() {
                Ok(Message::Page(url, html)) => add(&mut index, url, html, &mut error).await,
                Ok(Message::Write(reply)) => replies.push(reply),
                Ok(Message::Finish) => return written(&mut index, error.take()).await,
                Err(_) => return Err(failed("indexing", &"the build stopped")),
            }
            if replies.is_empty() {
                continue;
            }
            // Writing takes seconds on a large site: take in what came meanwhile, and answer
            // every request waiting with one write.
            let mut finish = false;
            while let Ok(message) = inbox.try_recv() {
                match message {
                    Message::Page(url, html) => add(&mut index, url, html, &mut error).await,
                    Message::Write(reply) => replies.push(reply),
                    Message::Finish => finish = true,
                }
            }
            let files = written(&mut index, error.take()).await;
            if finish {
                return files;
            }
            for reply in replies {
                let _ = reply.send(files.clone());
            }
        }
    })
}

async fn add(index: &mut PagefindIndex, url: String, html: String, error: &mut Option<Diagnostic>) {
    if let Err(e) = index.add_html_file(None, Some(url.clone()), html).await {
        error.get_or_insert_with(|| failed(&url, &e));
    }
}

async fn written(
    index: &mut PagefindIndex,
    error: Option<Diagnostic>,
) -> Result<Files, Diagnostic> {
    if let Some(e) = error {
        return Err(e);
    }
    let files = index.get_files().await.map_err(|e| failed("writing", &e))?;
    Ok(published(files))
}

/// Pagefind's files as (output path, bytes), sorted by path, without its own search
/// interfaces: search.js is plainsight's.
fn published(files: Vec<pagefind::api::SyntheticFile>) -> Files {
    let mut out: Files = files
        .into_iter()
        .filter(|f| {
            let name = f.filename.to_string_lossy();
            !(name.starts_with("pagefind-ui.")
                || name.starts_with("pagefind-modular-ui.")
                || name.starts_with("pagefind-component-ui.")
                || name == "pagefind-highlight.js")
        })
        .map(|f| {
            let parts: Vec<String> = f
                .filename
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            (format!("{FOLDER}{}", parts.join("/")), f.contents)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Index `pages` (root-relative URL such as `/reports/x/`, whole HTML document) and return
    /// Pagefind's files. The same pages give the same bytes, in whatever order they come.
    fn index(mut pages: Vec<(String, String)>, language: &str) -> Result<Files, Diagnostic> {
        // Page order decides Pagefind's page numbers, which are written into its index files.
        pages.sort_by(|a, b| a.0.cmp(&b.0));
        let worker = Worker::start(language);
        for (url, html) in pages {
            worker.add(url, html);
        }
        worker.finish()
    }

    #[test]
    fn each_page_id_is_known_by_url() {
        let page = |n: usize| {
            format!(
                "<html lang=\"en\"><head><title>T{n}</title></head><body>\
                 <main data-pagefind-body><h1>Page {n}</h1></main></body></html>"
            )
        };
        let pages = (0..3).map(|n| (format!("/r/p{n}/"), page(n))).collect();
        let files = index(pages, "en").unwrap();
        let ids = page_ids(&files);
        assert_eq!(ids.len(), 3, "{ids:?}");
        for n in 0..3 {
            let id = &ids[&format!("/r/p{n}/")];
            let name = format!("{FOLDER}fragment/{id}.pf_fragment");
            assert!(files.iter().any(|(p, _)| *p == name), "{name}");
        }
    }

    #[test]
    fn only_marked_html_pages_are_indexed_under_their_folder_url() {
        let marked = b"<main data-pagefind-body><h1>Knife crime</h1></main>";
        assert_eq!(
            indexable("reports/knife crime/index.html", marked).map(|p| p.0),
            Some("/reports/knife%20crime/".to_string())
        );
        assert_eq!(
            indexable("404.html", marked).map(|p| p.0),
            Some("/404.html".into())
        );
        assert!(indexable("reports/index.html", b"<main><h1>Reports</h1></main>").is_none());
        assert!(indexable("metrics/x/data.json", marked).is_none());
    }

    #[test]
    fn the_index_is_the_same_bytes_whatever_order_pages_are_made_in() {
        let page = |n: usize| {
            format!(
                "<html lang=\"en\"><head><title>T{n}</title></head><body>\
                 <main data-pagefind-body><h1>Page {n}</h1><p>Words {n} and zebras.</p></main></body></html>"
            )
        };
        let paths: Vec<String> = (0..12).map(|n| format!("r/p{n}/index.html")).collect();
        let made = |order: &[usize]| {
            let indexer = Indexer::start(paths.clone(), "en");
            for &n in order {
                indexer.page(&paths[n], page(n).as_bytes());
                // Not indexed: not among the paths given at the start.
                indexer.page("r/index.html", page(99).as_bytes());
            }
            indexer.finish().unwrap()
        };
        let forward: Vec<usize> = (0..12).collect();
        let backward: Vec<usize> = (0..12).rev().collect();
        let a = made(&forward);
        assert_eq!(a, made(&backward));
        assert_eq!(a, made(&[5, 0, 11, 3, 1, 2, 4, 10, 6, 7, 9, 8]));
        let fragments = a
            .iter()
            .filter(|(p, _)| p.starts_with("pagefind/fragment/"));
        assert_eq!(fragments.count(), 12);
        // A page never handed over is left out, and the rest are still written.
        let indexer = Indexer::start(paths.clone(), "en");
        indexer.page(&paths[3], page(3).as_bytes());
        let files = indexer.finish().unwrap();
        let fragments = files
            .iter()
            .filter(|(p, _)| p.starts_with("pagefind/fragment/"));
        assert_eq!(fragments.count(), 1);
    }

    #[test]
    fn pagefind_is_given_the_marked_main_with_the_title_not_the_chrome() {
        let page = "<!doctype html><html lang=\"en-GB\"><head><title>Knife crime | Site</title>\
            <link rel=stylesheet href=/s.css></head><body><header><nav>Menu</nav></header>\
            <main id=\"main\" data-pagefind-body><h1>Knife crime</h1></main><footer>Foot</footer></body></html>";
        assert_eq!(
            trimmed(page),
            "<html lang=\"en-GB\"><head><title>Knife crime | Site</title></head><body>\
             <main id=\"main\" data-pagefind-body><h1>Knife crime</h1></main></body></html>"
        );
        // Marked elsewhere, or more than one <main>: given whole.
        for page in [
            "<html><body><main><div data-pagefind-body>x</div></main></body></html>",
            "<html><body><main data-pagefind-body>x</main><main>y</main></body></html>",
            "<html><body><article data-pagefind-body>x</article></body></html>",
        ] {
            assert_eq!(trimmed(page), page);
        }
    }

    #[test]
    fn labels_and_values_are_spaced_apart_for_the_index() {
        let page = b"<main data-pagefind-body><dl><dt>Published</dt><dd>24 March 2022</dd></dl>\
            <table><tr><th>Period</th><th>Value</th></tr></table></main>";
        let html = indexable("x/index.html", page).unwrap().1;
        assert!(
            html.contains("Published </dt><dd>24 March 2022 </dd>"),
            "{html}"
        );
        assert!(html.contains("Period </th><th>Value </th>"), "{html}");
    }

    #[test]
    fn the_excerpt_comes_from_the_text_not_the_ignored_lists_and_kind_and_date_are_meta() {
        let page = |body: &str| {
            format!("<html lang=\"en\"><body><main data-pagefind-body>{body}</main></body></html>")
        };
        let doc = page(
            "<div data-pagefind-ignore data-pagefind-filter=\"kind:Report\" \
             data-pagefind-meta=\"kind:Report\"><span data-pagefind-meta=\"date:24 March 2022\">\
             </span><span data-pagefind-filter=\"plan:Police and Crime Plan\"></span></div>\
             <h1>Knife crime</h1><dl data-pagefind-ignore><dt>Published</dt><dd>24 March 2022</dd></dl>\
             <section data-pagefind-ignore><h2>Answers to</h2><ul><li>Plan: Zebrafish</li></ul></section>\
             <p>Offences fell.</p><dl><dt>Owner</dt><dd>Mayor</dd></dl>",
        );
        let pages = vec![("/r/".to_string(), spaced(&doc))];
        let files = index(pages, "en").unwrap();
        let fragment = files
            .iter()
            .find(|(p, _)| p.starts_with("pagefind/fragment/"))
            .expect("a fragment");
        let mut text = String::new();
        use std::io::Read;
        flate2::read::GzDecoder::new(&fragment.1[..])
            .read_to_string(&mut text)
            .unwrap();
        assert!(text.contains("Offences fell."), "{text}");
        // Not "OwnerMayor": the index's copy is spaced.
        assert!(text.contains("Owner Mayor"), "{text}");
        assert!(
            !text.contains("Zebrafish") && !text.contains("Published"),
            "{text}"
        );
        assert!(text.contains(r#""kind":"Report""#), "{text}");
        assert!(text.contains(r#""date":"24 March 2022""#), "{text}");
        assert!(
            text.contains(r#""plan":["Police and Crime Plan"]"#),
            "{text}"
        );
    }
}
