//! Benchmarks `plainsight serve`: how long after saving a document does an open page learn
//! of it (the Server-Sent Events `reload`), and when does the server hand out the new page?
//! Optionally runs the same edits against `hugo server` on a Hugo copy of the same documents.
//!
//! ```sh
//! cargo build --release
//! cargo run --release --example bench_serve -- --site DIR [--edits 20] [--hugo HUGO_DIR]
//! ```
//!
//! Standard library only. For each edit it appends a unique marker sentence to one of five
//! documents (in turn), taking `t0` just before the write, and measures
//! - **reload event**: `t0` to the next `event: reload` on `/__plainsight/events`;
//! - **page updated**: `t0` to the first `GET` of that document's page that contains the marker
//!   (polled every 2 ms over a keep-alive connection, for at most 30 s).
//!
//! It also reads the line `serve` prints on stderr after each rebuild,
//! `Built <pages> pages in <total> ms (load <a> ms, resolve <b> ms, render <c> ms)`, and
//! reports the median of each stage. The edited files are restored when it finishes (also on
//! a panic); the servers are stopped first, so the restore triggers no rebuild.
//!
//! For Hugo only "page updated" is measured: its live reload goes over a websocket, which this
//! benchmark does not speak. Hugo's own `Total in N ms` rebuild lines are reported too.

use std::fs::OpenOptions;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant};

const POLL: Duration = Duration::from_millis(2);
const EDIT_TIMEOUT: Duration = Duration::from_secs(30);
const START_TIMEOUT: Duration = Duration::from_secs(600);
const ROTATION: usize = 5;

// ---------------------------------------------------------------------------------------------
// Arguments.

struct Args {
    site: PathBuf,
    edits: usize,
    gap: Duration,
    hugo: Option<PathBuf>,
    bin: PathBuf,
    hugo_bin: String,
    /// The heading of the result table (default: the site folder).
    label: Option<String>,
}

const USAGE: &str = "usage: bench_serve --site DIR [--edits 20] [--gap-ms 300] [--hugo HUGO_DIR] [--bin PATH] [--hugo-bin PATH] [--label TEXT]";

fn parse_args() -> Result<Args, String> {
    let mut site = None;
    let mut edits = 20;
    let mut gap = 300;
    let mut hugo = None;
    let mut bin = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/plainsight");
    let mut hugo_bin = "hugo".to_string();
    let mut label = None;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value\n{USAGE}"));
        match a.as_str() {
            "--site" => site = Some(PathBuf::from(value()?)),
            "--edits" => edits = value()?.parse().map_err(|e| format!("--edits: {e}"))?,
            "--gap-ms" => gap = value()?.parse().map_err(|e| format!("--gap-ms: {e}"))?,
            "--hugo" => hugo = Some(PathBuf::from(value()?)),
            "--bin" => bin = PathBuf::from(value()?),
            "--hugo-bin" => hugo_bin = value()?,
            "--label" => label = Some(value()?),
            "-h" | "--help" => return Err(USAGE.into()),
            _ => return Err(format!("unknown argument `{a}`\n{USAGE}")),
        }
    }
    Ok(Args {
        site: site.ok_or(USAGE)?,
        edits,
        gap: Duration::from_millis(gap),
        hugo,
        bin,
        hugo_bin,
        label,
    })
}

// ---------------------------------------------------------------------------------------------
// A child server that is killed, and edited files that are restored, whatever happens.

struct Guard {
    name: &'static str,
    child: Option<Child>,
    /// Original bytes of every file this run edited.
    originals: Vec<(PathBuf, Vec<u8>)>,
}

impl Guard {
    fn new(name: &'static str, child: Child) -> Self {
        Guard {
            name,
            child: Some(child),
            originals: Vec::new(),
        }
    }

    /// Remember a file's content before its first edit.
    fn remember(&mut self, path: &Path) -> std::io::Result<()> {
        if !self.originals.iter().any(|(p, _)| p == path) {
            self.originals
                .push((path.to_path_buf(), std::fs::read(path)?));
        }
        Ok(())
    }

    fn exited(&mut self) -> Option<String> {
        let child = self.child.as_mut()?;
        match child.try_wait() {
            Ok(Some(status)) => Some(format!("{} exited: {status}", self.name)),
            _ => None,
        }
    }

    fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        for (path, bytes) in self.originals.drain(..) {
            if let Err(e) = std::fs::write(&path, bytes) {
                eprintln!("bench_serve: could not restore {}: {e}", path.display());
            }
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.stop();
    }
}

// ---------------------------------------------------------------------------------------------
// A tiny HTTP/1.1 client: one keep-alive connection, Content-Length or chunked bodies.

struct Client {
    addr: String,
    conn: Option<BufReader<TcpStream>>,
}

impl Client {
    fn new(addr: &str) -> Self {
        Client {
            addr: addr.to_string(),
            conn: None,
        }
    }

    /// GET `path`: (status, body). Retries once on a fresh connection if the kept one failed.
    fn get(&mut self, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
        if self.conn.is_some() {
            if let Ok(r) = self.try_get(path) {
                return Ok(r);
            }
            self.conn = None;
        }
        self.try_get(path)
    }

    fn try_get(&mut self, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
        if self.conn.is_none() {
            let s = TcpStream::connect(&self.addr)?;
            s.set_read_timeout(Some(Duration::from_secs(30)))?;
            s.set_nodelay(true)?;
            self.conn = Some(BufReader::new(s));
        }
        let conn = self.conn.as_mut().unwrap();
        write!(
            conn.get_mut(),
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAccept-Encoding: identity\r\n\r\n",
            self.addr
        )?;
        let (status, headers) = read_head(conn)?;
        let body = if header(&headers, "transfer-encoding")
            .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
        {
            let mut body = Vec::new();
            while let Some(chunk) = read_chunk(conn)? {
                body.extend_from_slice(&chunk);
            }
            body
        } else if let Some(len) = header(&headers, "content-length") {
            let len: usize = len.parse().map_err(|_| bad("bad Content-Length"))?;
            let mut body = vec![0; len];
            conn.read_exact(&mut body)?;
            body
        } else {
            let mut body = Vec::new();
            conn.read_to_end(&mut body)?;
            self.conn = None;
            return Ok((status, body));
        };
        if header(&headers, "connection").is_some_and(|v| v.eq_ignore_ascii_case("close")) {
            self.conn = None;
        }
        Ok((status, body))
    }
}

fn bad(msg: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, msg.to_string())
}

/// The status code and headers (names lower-cased) of a response.
fn read_head(r: &mut impl BufRead) -> std::io::Result<(u16, Vec<(String, String)>)> {
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        return Err(bad("connection closed"));
    }
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("bad status line"))?;
    let mut headers = Vec::new();
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 {
            return Err(bad("connection closed in headers"));
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    Ok((status, headers))
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// One chunk of a chunked body; `None` at the last (empty) chunk.
fn read_chunk(r: &mut impl BufRead) -> std::io::Result<Option<Vec<u8>>> {
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        return Err(bad("connection closed in body"));
    }
    let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
        .map_err(|_| bad("bad chunk size"))?;
    if size == 0 {
        // Trailers, then the blank line.
        loop {
            line.clear();
            if r.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
                return Ok(None);
            }
        }
    }
    let mut chunk = vec![0; size + 2];
    r.read_exact(&mut chunk)?;
    chunk.truncate(size);
    Ok(Some(chunk))
}

/// `http://HOST:PORT/PATH` → (`HOST:PORT`, `/PATH`).
fn split_url(url: &str) -> Option<(String, String)> {
    let rest = url.strip_prefix("http://")?;
    let slash = rest.find('/').unwrap_or(rest.len());
    let path = if slash == rest.len() {
        "/"
    } else {
        &rest[slash..]
    };
    Some((rest[..slash].to_string(), path.to_string()))
}

// ---------------------------------------------------------------------------------------------
// The event stream: a thread reads `/__plainsight/events` and timestamps each event.

/// Subscribes, waits for the `200` status line, then forwards (event name, arrival time).
fn subscribe(addr: &str, path: &str) -> Result<Receiver<(String, Instant)>, String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("events: {e}"))?;
    stream.set_nodelay(true).ok();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"
    )
    .map_err(|e| format!("events: {e}"))?;
    let mut reader = BufReader::new(stream);
    let (status, headers) = read_head(&mut reader).map_err(|e| format!("events: {e}"))?;
    if status != 200 {
        return Err(format!("events: status {status}"));
    }
    let chunked =
        header(&headers, "transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut pending = String::new();
        loop {
            let bytes = if chunked {
                match read_chunk(&mut reader) {
                    Ok(Some(c)) => c,
                    _ => return,
                }
            } else {
                let mut buf = [0; 4096];
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => return,
                    Ok(n) => buf[..n].to_vec(),
                }
            };
            let now = Instant::now();
            pending.push_str(&String::from_utf8_lossy(&bytes).replace("\r\n", "\n"));
            while let Some(end) = pending.find("\n\n") {
                let block: String = pending.drain(..end + 2).collect();
                let name = block
                    .lines()
                    .find_map(|l| l.strip_prefix("event:"))
                    .map(|n| n.trim().to_string());
                if let Some(name) = name
                    && tx.send((name, now)).is_err()
                {
                    return;
                }
            }
        }
    });
    Ok(rx)
}

// ---------------------------------------------------------------------------------------------
// Rebuild timings printed by the servers.

#[derive(Clone, Debug)]
struct Built {
    /// Pages the site has.
    pages: Option<f64>,
    /// Pages made again by this rebuild (`Rebuilt <made> of <pages> pages`).
    made: Option<f64>,
    total: f64,
    /// Named stage times (`load`, `resolve`…), in the order printed.
    stages: Vec<(String, f64)>,
}

impl Built {
    fn stage(&self, name: &str) -> Option<f64> {
        self.stages.iter().find(|(n, _)| n == name).map(|(_, t)| *t)
    }
}

fn number_before<'a>(s: &'a str, suffix: &str) -> Option<(f64, &'a str)> {
    let s = s.trim_start();
    let end = s.find(suffix)?;
    Some((s[..end].trim().parse().ok()?, &s[end + suffix.len()..]))
}

/// serve's lines: `Built <pages> pages in <total> ms (load <a> ms, resolve <b> ms, render <c>
/// ms)` at start-up and `Rebuilt <made> of <pages> pages in <total> ms (event <e> ms, load …,
/// write <w> ms)` after each change. The stage list is optional.
fn parse_built(line: &str) -> Option<Built> {
    let line = line.trim();
    let (made, pages, rest) = if let Some(rest) = line.strip_prefix("Rebuilt ") {
        let (made, rest) = number_before(rest, " of ")?;
        let (pages, rest) = number_before(rest, " pages in ")?;
        (Some(made), pages, rest)
    } else {
        let rest = line.strip_prefix("Built ")?;
        let (pages, rest) = number_before(rest, " pages in ")?;
        (None, pages, rest)
    };
    let (total, rest) = number_before(rest, " ms")?;
    let mut stages = Vec::new();
    let rest = rest.trim();
    if !rest.is_empty() {
        let list = rest.strip_prefix('(')?.strip_suffix(')')?;
        for part in list.split(", ") {
            let (name, time) = part.split_once(' ')?;
            let (time, tail) = number_before(time, " ms")?;
            if !tail.is_empty() {
                return None;
            }
            stages.push((name.to_string(), time));
        }
    }
    Some(Built {
        pages: Some(pages),
        made,
        total,
        stages,
    })
}

/// Hugo's `Built in 1234 ms` (start-up) and `Total in 1234 ms` (each rebuild).
fn parse_hugo_total(line: &str) -> Option<Built> {
    let (at, len) = match line.find("Total in ") {
        Some(at) => (at, "Total in ".len()),
        None => (line.find("Built in ")?, "Built in ".len()),
    };
    let (total, _) = number_before(&line[at + len..], " ms")?;
    Some(Built {
        pages: None,
        made: None,
        total,
        stages: Vec::new(),
    })
}

/// Reads a child's output on a thread: lines the parser accepts go to the channel, with their
/// arrival time; the rest are echoed (indented) when `echo` is set, so problems stay visible.
fn watch_lines(
    out: impl Read + Send + 'static,
    parse: fn(&str) -> Option<Built>,
    tx: Sender<(Built, Instant)>,
    first_line: Option<Sender<String>>,
    echo: Option<&'static str>,
) {
    thread::spawn(move || {
        let mut first_line = first_line;
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { return };
            if let Some(first) = first_line.take() {
                let _ = first.send(line.clone());
            }
            match parse(&line) {
                Some(b) => {
                    let _ = tx.send((b, Instant::now()));
                }
                None => {
                    if let Some(prefix) = echo
                        && !line.trim().is_empty()
                    {
                        eprintln!("  {prefix}: {line}");
                    }
                }
            }
        }
    });
}

// ---------------------------------------------------------------------------------------------
// The edits.

/// Five documents, spread evenly over the sorted list of dated documents.
fn pick_documents(site: &Path) -> Result<Vec<String>, String> {
    let content = site.join("content");
    let mut found = Vec::new();
    for section in ["press-releases", "reports", "letters", "statements"] {
        collect_md(&content.join(section), &content, &mut found);
    }
    found.retain(|p: &String| !p.ends_with("/index.md"));
    found.sort();
    if found.is_empty() {
        return Err(format!(
            "{} has no documents in press-releases/, reports/, letters/ or statements/",
            content.display()
        ));
    }
    let n = found.len();
    let mut picked: Vec<String> = (0..ROTATION.min(n))
        .map(|k| found[k * n / ROTATION.min(n)].clone())
        .collect();
    picked.dedup();
    Ok(picked)
}

fn collect_md(dir: &Path, content: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        if p.is_dir() {
            collect_md(&p, content, out);
        } else if p.extension().is_some_and(|x| x == "md")
            && let Ok(rel) = p.strip_prefix(content)
        {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// The page of `content/REL.md` under the server's base path.
fn page_path(base: &str, rel: &str) -> String {
    format!("{base}{}/", rel.trim_end_matches(".md"))
}

struct Sample {
    reload: Option<Duration>,
    page: Option<Duration>,
}

#[derive(Default)]
struct Run {
    samples: Vec<Sample>,
    builds: Vec<Built>,
    initial: Option<f64>,
    startup: Option<Duration>,
    pages: Option<usize>,
    notes: Vec<String>,
    /// Reloads that arrived after an edit but came from a rebuild that did not include it.
    stale_reloads: usize,
}

/// Appends a marker to each document in turn and measures until the page shows it. `events`
/// is the plainsight event stream (none for Hugo).
#[allow(clippy::too_many_arguments)]
fn edit_loop(
    label: &str,
    guard: &mut Guard,
    content: &Path,
    docs: &[String],
    client: &mut Client,
    base: &str,
    events: Option<&Receiver<(String, Instant)>>,
    builds: &Receiver<(Built, Instant)>,
    args: &Args,
    run: &mut Run,
) -> Result<(), String> {
    for e in 0..args.edits {
        let rel = &docs[e % docs.len()];
        let file = content.join(rel);
        let url = page_path(base, rel);
        guard
            .remember(&file)
            .map_err(|err| format!("{}: {err}", file.display()))?;
        let marker = format!("benchmark-marker-{}-{e}", std::process::id());
        let sentence = format!("\n\nThe benchmark recorded edit {e} with {marker}.\n");

        // Forget anything that arrived before this edit.
        if let Some(ev) = events {
            while ev.try_recv().is_ok() {}
        }
        while let Ok((b, _)) = builds.try_recv() {
            run.builds.push(b);
        }

        let t0 = Instant::now();
        {
            let mut f = OpenOptions::new()
                .append(true)
                .open(&file)
                .map_err(|err| format!("{}: {err}", file.display()))?;
            f.write_all(sentence.as_bytes())
                .map_err(|err| format!("{}: {err}", file.display()))?;
        }

        // Every reload that arrives, and when the last GET that did not show the edit was
        // sent. The server swaps in the new site before it sends the reload, so the reload
        // for the rebuild that holds this edit is the first one after that GET; an earlier
        // one is a stale reload, from a rebuild that started before the edit.
        let mut reloads: Vec<Instant> = Vec::new();
        let mut last_miss = t0;
        let mut reload = None;
        let mut page = None;
        let mut error = None;
        let deadline = t0 + EDIT_TIMEOUT;
        while Instant::now() < deadline {
            if let Some(ev) = events {
                while let Ok((name, at)) = ev.try_recv() {
                    match name.as_str() {
                        "reload" => reloads.push(at),
                        "build-error" => {
                            error = Some("the edit made the site fail to build".to_string())
                        }
                        _ => {}
                    }
                }
            }
            if error.is_some() {
                break;
            }
            if page.is_none() {
                let sent = Instant::now();
                match client.get(&url) {
                    Ok((200, body)) if contains(&body, marker.as_bytes()) => {
                        page = Some(t0.elapsed());
                    }
                    _ => last_miss = sent,
                }
            }
            if page.is_some() {
                reload = reloads
                    .iter()
                    .find(|&&at| at > last_miss)
                    .map(|&at| at - t0);
                if events.is_none() || reload.is_some() {
                    break;
                }
            }
            if let Some(why) = guard.exited() {
                return Err(why);
            }
            thread::sleep(POLL);
        }
        if let Some(err) = error {
            return Err(format!("{label}, edit {e} ({rel}): {err}"));
        }
        // The rebuild line is printed before the reload is sent; give the reader a moment.
        if let Ok((b, _)) =
            builds.recv_timeout(Duration::from_millis(if page.is_some() { 500 } else { 0 }))
        {
            run.builds.push(b);
        }
        let show =
            |d: Option<Duration>| d.map_or("timeout".to_string(), |d| format!("{:.1} ms", ms(d)));
        let stale: Vec<String> = reloads
            .iter()
            .filter(|&&at| at <= last_miss)
            .map(|&at| format!("{:.1} ms", ms(at - t0)))
            .collect();
        run.stale_reloads += stale.len();
        match events {
            Some(_) => eprintln!(
                "  {label} edit {:>2} {rel}: reload {}, page {}{}",
                e + 1,
                show(reload),
                show(page),
                if stale.is_empty() {
                    String::new()
                } else {
                    format!(" (after a stale reload at {})", stale.join(", "))
                }
            ),
            None => eprintln!("  {label} edit {:>2} {rel}: page {}", e + 1, show(page)),
        }
        run.samples.push(Sample { reload, page });
        thread::sleep(args.gap);
    }
    // A rebuild line can lag behind the page it produced (Hugo serves pages as it renders
    // them); wait a little for the last ones.
    while let Ok((b, _)) = builds.recv_timeout(if run.builds.len() < args.edits {
        Duration::from_secs(3)
    } else {
        Duration::ZERO
    }) {
        run.builds.push(b);
    }
    Ok(())
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

// ---------------------------------------------------------------------------------------------
// plainsight

fn bench_plainsight(args: &Args, docs: &[String]) -> Result<Run, String> {
    if !args.bin.is_file() {
        return Err(format!(
            "{} not found; run `cargo build --release` first (or pass --bin)",
            args.bin.display()
        ));
    }
    let started = Instant::now();
    let mut child = Command::new(&args.bin)
        .args(["serve", "--root"])
        .arg(&args.site)
        .args(["--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", args.bin.display()))?;
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut guard = Guard::new("plainsight serve", child);

    let (first_tx, first_rx) = mpsc::channel();
    let (built_tx, built_rx) = mpsc::channel();
    let (unused_tx, _unused_rx) = mpsc::channel();
    watch_lines(
        stdout,
        |_| None,
        unused_tx,
        Some(first_tx),
        Some("serve stdout"),
    );
    watch_lines(stderr, parse_built, built_tx, None, Some("serve"));

    let line = loop {
        match first_rx.recv_timeout(Duration::from_millis(100)) {
            Ok(line) => break line,
            Err(RecvTimeoutError::Timeout) if started.elapsed() < START_TIMEOUT => {
                if let Some(why) = guard.exited() {
                    return Err(why);
                }
            }
            Err(_) => return Err("plainsight serve printed no address".into()),
        }
    };
    // `Serving <root> at http://127.0.0.1:<port>/... (Ctrl-C to stop)`
    let url = line
        .rsplit_once(" at ")
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .ok_or_else(|| format!("unexpected first line from serve: {line}"))?
        .to_string();
    let (addr, base) = split_url(&url).ok_or_else(|| format!("unexpected URL {url}"))?;
    let mut run = Run {
        startup: Some(started.elapsed()),
        ..Run::default()
    };
    if let Ok((b, _)) = built_rx.recv_timeout(Duration::from_secs(2)) {
        run.initial = Some(b.total);
        run.pages = b.pages.map(|p| p as usize);
        if b.stages.is_empty() {
            run.notes.push(
                "serve prints no stage timings (`Built N pages in T ms` without load/resolve/render)"
                    .into(),
            );
        }
    }
    let events = subscribe(&addr, "/__plainsight/events")?;
    let mut client = Client::new(&addr);
    // Make sure the pages are there before timing anything.
    for rel in docs {
        let (status, _) = client
            .get(&page_path(&base, rel))
            .map_err(|e| format!("GET {}: {e}", page_path(&base, rel)))?;
        if status != 200 {
            return Err(format!("GET {} gave {status}", page_path(&base, rel)));
        }
    }
    eprintln!(
        "plainsight serve at {url}, editing {} documents {} times",
        docs.len(),
        args.edits
    );
    edit_loop(
        "plainsight",
        &mut guard,
        &args.site.join("content"),
        docs,
        &mut client,
        &base,
        Some(&events),
        &built_rx,
        args,
        &mut run,
    )?;
    guard.stop();
    Ok(run)
}

// ---------------------------------------------------------------------------------------------
// Hugo

fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

fn bench_hugo(args: &Args, hugo_dir: &Path, docs: &[String]) -> Result<Run, String> {
    for rel in docs {
        let p = hugo_dir.join("content").join(rel);
        if !p.is_file() {
            return Err(format!(
                "{} is missing: the Hugo copy must hold the same documents",
                p.display()
            ));
        }
    }
    let help = Command::new(&args.hugo_bin)
        .args(["server", "--help"])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", args.hugo_bin))?;
    let help = String::from_utf8_lossy(&help.stdout);
    let port = free_port()?;
    let mut cmd = Command::new(&args.hugo_bin);
    cmd.arg("server").arg("--source").arg(hugo_dir).args([
        "--bind",
        "127.0.0.1",
        "--port",
        &port.to_string(),
        "--disableFastRender",
    ]);
    let mut run = Run::default();
    if help.contains("--renderToMemory") {
        cmd.arg("--renderToMemory");
    } else {
        run.notes
            .push("this Hugo has no --renderToMemory; it serves from memory by default".into());
    }
    let started = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start hugo: {e}"))?;
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut guard = Guard::new("hugo server", child);
    let (built_tx, built_rx) = mpsc::channel();
    watch_lines(stdout, parse_hugo_total, built_tx.clone(), None, None);
    watch_lines(stderr, parse_hugo_total, built_tx, None, Some("hugo"));

    let addr = format!("127.0.0.1:{port}");
    let mut client = Client::new(&addr);
    loop {
        if let Some(why) = guard.exited() {
            return Err(why);
        }
        if let Ok((200, _)) = client.get("/") {
            break;
        }
        if started.elapsed() > START_TIMEOUT {
            return Err("hugo server did not start serving".into());
        }
        thread::sleep(Duration::from_millis(50));
    }
    run.startup = Some(started.elapsed());
    if let Ok((b, _)) = built_rx.recv_timeout(Duration::from_secs(2)) {
        run.initial = Some(b.total);
    }
    for rel in docs {
        let (status, _) = client
            .get(&page_path("/", rel))
            .map_err(|e| format!("GET {}: {e}", page_path("/", rel)))?;
        if status != 200 {
            return Err(format!("hugo: GET {} gave {status}", page_path("/", rel)));
        }
    }
    eprintln!(
        "hugo server at http://{addr}/, editing {} documents {} times",
        docs.len(),
        args.edits
    );
    edit_loop(
        "hugo",
        &mut guard,
        &hugo_dir.join("content"),
        docs,
        &mut client,
        "/",
        None,
        &built_rx,
        args,
        &mut run,
    )?;
    guard.stop();
    Ok(run)
}

// ---------------------------------------------------------------------------------------------
// Report.

struct Summary {
    n: usize,
    timeouts: usize,
    median: f64,
    p90: f64,
    min: f64,
    max: f64,
}

fn summarise(values: impl Iterator<Item = Option<f64>>) -> Option<Summary> {
    let mut timeouts = 0;
    let mut v: Vec<f64> = values
        .filter_map(|x| {
            if x.is_none() {
                timeouts += 1;
            }
            x
        })
        .collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    };
    // Nearest rank.
    let p90 = v[((0.9 * n as f64).ceil() as usize).clamp(1, n) - 1];
    Some(Summary {
        n,
        timeouts,
        median,
        p90,
        min: v[0],
        max: v[n - 1],
    })
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

fn row(name: &str, s: Option<Summary>) -> String {
    match s {
        Some(s) => format!(
            "| {name:<34} | {:>7.1} | {:>7.1} | {:>7.1} | {:>7.1} | {:>3}{} |",
            s.median,
            s.p90,
            s.min,
            s.max,
            s.n,
            if s.timeouts > 0 {
                format!(" ({} timed out)", s.timeouts)
            } else {
                String::new()
            }
        ),
        None => format!(
            "| {name:<34} | {:>7} | {:>7} | {:>7} | {:>7} | {:>3} |",
            "n/a", "", "", "", 0
        ),
    }
}

fn report(args: &Args, docs: &[String], ps: &Run, hugo: Option<&Run>) {
    let count = count_documents(&args.site);
    println!();
    println!(
        "## {} ({} Markdown files{}): {} edits over {} documents, {} ms apart",
        args.label
            .clone()
            .unwrap_or_else(|| args.site.display().to_string()),
        count,
        ps.pages.map_or(String::new(), |p| format!(", {p} pages")),
        args.edits,
        docs.len(),
        args.gap.as_millis()
    );
    println!();
    println!(
        "| latency from save (ms)             |  median |     p90 |     min |     max |   n |"
    );
    println!(
        "|------------------------------------|--------:|--------:|--------:|--------:|----:|"
    );
    println!(
        "{}",
        row(
            "plainsight: reload event (SSE)",
            summarise(ps.samples.iter().map(|s| s.reload.map(ms)))
        )
    );
    println!(
        "{}",
        row(
            "plainsight: page updated",
            summarise(ps.samples.iter().map(|s| s.page.map(ms)))
        )
    );
    if let Some(h) = hugo {
        println!(
            "{}",
            row(
                "Hugo: page updated",
                summarise(h.samples.iter().map(|s| s.page.map(ms)))
            )
        );
        println!("{}", row("Hugo: reload event (websocket)", None));
    }
    println!();
    const STAGES: [&str; 5] = ["event", "load", "resolve", "render", "write"];
    let f = |x: Option<f64>| x.map_or("n/a".to_string(), |x| format!("{x:.1}"));
    let stage = |builds: &[Built], name: &str| {
        median(builds.iter().filter_map(|b| b.stage(name)).collect())
    };
    println!(
        "| rebuild, median (ms)               | pages made |   total |   event |    load | resolve |  render |   write |   n |"
    );
    println!(
        "|------------------------------------|-----------:|--------:|--------:|--------:|--------:|--------:|--------:|----:|"
    );
    let cells: Vec<String> = STAGES
        .iter()
        .map(|n| format!("{:>7}", f(stage(&ps.builds, n))))
        .collect();
    println!(
        "| {:<34} | {:>10} | {:>7} | {} | {:>3} |",
        "plainsight (serve's stderr line)",
        f(median(ps.builds.iter().filter_map(|b| b.made).collect())),
        f(median(ps.builds.iter().map(|b| b.total).collect())),
        cells.join(" | "),
        ps.builds.len()
    );
    if let Some(h) = hugo {
        println!(
            "| {:<34} | {:>10} | {:>7} | {} | {:>3} |",
            "Hugo (`Total in` line)",
            "",
            f(median(h.builds.iter().map(|b| b.total).collect())),
            ["       "; 5].join(" | "),
            h.builds.len()
        );
    }
    println!();
    println!(
        "Start-up (process start to serving): plainsight {}{}",
        ps.startup
            .map_or("n/a".into(), |d| format!("{:.0} ms", ms(d))),
        ps.initial
            .map_or(String::new(), |t| format!(" (first build {t:.0} ms)"))
    );
    if let Some(h) = hugo {
        println!(
            "Start-up (process start to serving): Hugo {}{}",
            h.startup
                .map_or("n/a".into(), |d| format!("{:.0} ms", ms(d))),
            h.initial
                .map_or(String::new(), |t| format!(" (first build {t:.0} ms)"))
        );
    }
    let mut notes: Vec<&String> = ps.notes.iter().collect();
    if let Some(h) = hugo {
        notes.extend(h.notes.iter());
    }
    for n in notes {
        println!("Note: {n}");
    }
    if ps.builds.len() > ps.samples.len() {
        println!(
            "Note: plainsight rebuilt {} times for {} edits",
            ps.builds.len(),
            ps.samples.len()
        );
    }
    if ps.stale_reloads > 0 {
        println!(
            "Note: {} stale reload(s) arrived after an edit from a rebuild that did not include it; \
             the reload times above are for the rebuild that did",
            ps.stale_reloads
        );
    }
}

fn count_documents(site: &Path) -> usize {
    let mut found = Vec::new();
    let content = site.join("content");
    collect_md(&content, &content, &mut found);
    found.len()
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("bench_serve: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = (|| -> Result<(), String> {
        let docs = pick_documents(&args.site)?;
        let ps = bench_plainsight(&args, &docs)?;
        let hugo = match &args.hugo {
            Some(dir) => Some(bench_hugo(&args, dir, &docs)?),
            None => None,
        };
        report(&args, &docs, &ps, hugo.as_ref());
        Ok(())
    })();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_serve: {e}");
            ExitCode::FAILURE
        }
    }
}
