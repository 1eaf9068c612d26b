//! `plainsight serve`: started on port 0, edited while running, and checked over HTTP with
//! bounded waits: pages follow edits, creations and deletions (of content/ itself too), reload
//! events arrive, errors keep the last good site and show an overlay until fixed, no path
//! escapes the site, and only GET and HEAD are answered.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;

const WAIT: Duration = Duration::from_secs(20);

/// What serve adds to every HTML page: the live-reload script, which also tells the search
/// page where to ask for the pages changed since the search index was written whole.
const LIVE_SCRIPT: &str = "<script src=\"/__plainsight/live.js\" data-search-recent=\"/__plainsight/search-recent.json\"></script>\n";

/// A running `serve`, stopped when dropped.
struct Server {
    child: Child,
    /// e.g. `http://127.0.0.1:40123/policing/`
    url: String,
    origin: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Server {
    start_with(root, Stdio::null(), &[])
}

/// A running `serve` whose terminal messages (stderr) arrive line by line on the receiver.
fn start_logged(root: &Path) -> (Server, mpsc::Receiver<String>) {
    let mut server = start_with(root, Stdio::piped(), &[]);
    let (tx, rx) = mpsc::channel();
    let stderr = server.child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    (server, rx)
}

/// The next line of `log` that starts with `prefix`, skipping others, within WAIT.
fn next_line(log: &mpsc::Receiver<String>, prefix: &str) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = log
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no line starting `{prefix}`"));
        if line.starts_with(prefix) {
            return line;
        }
    }
}

fn start_with(root: &Path, stderr: Stdio, env: &[(&str, &Path)]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_plainsight"))
        .args(["serve", "--root", root.to_str().unwrap(), "--port", "0"])
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("start serve");
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let line = rx.recv_timeout(WAIT).expect("serve prints its address");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("an http:// address")
        .to_string();
    let origin = url[..url[7..].find('/').unwrap() + 7].to_string();
    assert!(
        origin.starts_with("http://127.0.0.1:"),
        "binds 127.0.0.1 by default: {line}"
    );
    Server { child, url, origin }
}

/// Status and body of a GET, sent as written (no client-side path normalisation).
fn get(origin: &str, path: &str) -> (u16, String) {
    let (status, body) = get_bytes(origin, path);
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// Status and body bytes of a GET.
fn get_bytes(origin: &str, path: &str) -> (u16, Vec<u8>) {
    let host = origin.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let head_end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(response.len(), |n| n + 4);
    let head = String::from_utf8_lossy(&response[..head_end]);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response[head_end..].to_vec())
}

/// Poll until `check` holds, for at most WAIT.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        assert!(start.elapsed() < WAIT, "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Lines of the event stream, read on a thread. Returns once the response has started, so the
/// server is subscribed: no event sent after this can be missed.
fn events(origin: &str) -> mpsc::Receiver<String> {
    let host = origin.trim_start_matches("http://").to_string();
    let (tx, rx) = mpsc::channel();
    let mut stream = TcpStream::connect(&host).unwrap();
    write!(
        stream,
        "GET /__plainsight/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let status = rx.recv_timeout(WAIT).expect("the event stream answers");
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    rx
}

/// The data lines of the next event called `name` (the stream is chunked HTTP; chunk-size
/// lines are neither `event:` nor `data:` lines and are skipped).
fn next_event(rx: &mpsc::Receiver<String>, name: &str) -> Vec<String> {
    let deadline = Instant::now() + WAIT;
    let mut current: Option<String> = None;
    let mut data = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = rx
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no `{name}` event"));
        if let Some(event) = line.strip_prefix("event: ") {
            current = Some(event.to_string());
            data.clear();
        } else if let Some(d) = line
            .strip_prefix("data: ")
            .or_else(|| line.strip_prefix("data:"))
        {
            data.push(d.to_string());
        } else if line.trim().is_empty() && current.is_some() {
            if current.as_deref() == Some(name) {
                return data;
            }
            current = None;
        }
    }
}

#[test]
fn pages_follow_edits_creations_and_deletions() {
    let site = scratch_copy(&fixture("base-path"));
    let server = start(site.path());
    let letter = "/policing/letters/2025-04-02-letter/";
    let (status, body) = get(&server.origin, letter);
    assert_eq!(status, 200);
    assert!(
        body.contains(&format!("{LIVE_SCRIPT}</body>")),
        "serve adds the reload script"
    );
    let (status, _) = get(&server.origin, "/");
    assert_eq!(status, 307, "/ redirects to the base path");
    assert!(server.url.ends_with("/policing/"));

    let stream = events(&server.origin);
    let file = site.path().join("content/letters/2025-04-02-letter.md");
    std::fs::write(&file, read(&file) + "\nA new paragraph.\n").unwrap();
    next_event(&stream, "reload");
    eventually("the edit is served", || {
        get(&server.origin, letter).1.contains("A new paragraph.")
    });

    let new = site.path().join("content/letters/2025-05-01-new.md");
    std::fs::write(
        &new,
        "---\ntitle: A new letter\ndate: 2025-05-01\nsummary: New.\n---\nHello.\n",
    )
    .unwrap();
    eventually("a new page appears", || {
        get(&server.origin, "/policing/letters/2025-05-01-new/").0 == 200
    });
    eventually("the listing shows it", || {
        get(&server.origin, "/policing/letters/")
            .1
            .contains("A new letter")
    });
    let renamed = site.path().join("content/letters/2025-05-02-renamed.md");
    std::fs::rename(&new, &renamed).unwrap();
    eventually("a renamed page moves", || {
        get(&server.origin, "/policing/letters/2025-05-02-renamed/").0 == 200
            && get(&server.origin, "/policing/letters/2025-05-01-new/").0 == 404
    });
    std::fs::remove_file(&renamed).unwrap();
    eventually("a deleted page is gone", || {
        get(&server.origin, "/policing/letters/2025-05-02-renamed/").0 == 404
    });
    assert!(
        !get(&server.origin, "/policing/letters/")
            .1
            .contains("A new letter")
    );
}

#[test]
fn an_error_keeps_the_last_good_site_and_shows_until_fixed() {
    let site = scratch_copy(&fixture("base-path"));
    let server = start(site.path());
    let stream = events(&server.origin);
    let file = site.path().join("content/letters/2025-04-02-letter.md");
    let good = read(&file);
    std::fs::write(&file, format!("{good}\nSee [nothing](nope.md).\n")).unwrap();
    let report = next_event(&stream, "build-error").join("\n");
    assert!(
        report.contains("error: link to `nope.md`: there is no document content/letters/nope.md"),
        "{report}"
    );
    assert!(
        report.contains("--> content/letters/2025-04-02-letter.md:"),
        "{report}"
    );
    let (status, body) = get(&server.origin, "/policing/letters/2025-04-02-letter/");
    assert_eq!(status, 200, "the last good site is still served");
    assert!(!body.contains("nope.md"));
    // A page opened now gets the error at once.
    let late = events(&server.origin);
    assert!(
        next_event(&late, "build-error")
            .join("\n")
            .contains("nope.md")
    );

    std::fs::write(&file, good).unwrap();
    next_event(&stream, "reload");
}

/// Write `text` to `path` (under content/) in one step, by renaming a file written in the site
/// folder (which is not watched): the watcher never sees it half written.
fn replace(path: &Path, text: &str) {
    let site = path.ancestors().find(|p| p.ends_with("content")).unwrap();
    let tmp = site.parent().unwrap().join("edit.tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

#[test]
fn the_terminal_says_when_errors_are_cleared() {
    let site = scratch_copy(&fixture("base-path"));
    let file = site.path().join("content/letters/2025-04-02-letter.md");
    let good = read(&file);
    let broken = format!("{good}\nSee [nothing](nope.md).\n");
    std::fs::write(&file, &broken).unwrap();
    // Started broken: no site yet, then every page is built once the error is fixed.
    let (server, log) = start_logged(site.path());
    assert_eq!(get(&server.origin, "/policing/").0, 503);
    next_line(&log, "error: link to `nope.md`");
    let stream = events(&server.origin);
    replace(&file, &good);
    next_event(&stream, "reload");
    let pages = built_pages(site.path());
    let line = next_line(&log, "Errors cleared");
    let said = format!("Errors cleared: the site builds again, {pages} pages built in ");
    assert!(line.starts_with(&said), "{line}");
    assert!(line.ends_with(" ms)"), "{line}");

    // Broken, then put back as it was: the pages are those of the last good build.
    replace(&file, &broken);
    next_event(&stream, "build-error");
    replace(&file, &good);
    next_event(&stream, "reload");
    let line = next_line(&log, "Errors cleared");
    let said =
        format!("Errors cleared: the site builds again, its {pages} pages as before the error in ");
    assert!(line.starts_with(&said), "{line}");

    // A good rebuild after a good one says only what it rebuilt.
    replace(&file, &format!("{good}\nA new paragraph.\n"));
    next_event(&stream, "reload");
    let line = next_line(&log, "Rebuilt ");
    assert!(
        line.starts_with(&format!("Rebuilt 1 of {pages} pages in ")),
        "{line}"
    );
}

/// How many pages `build` makes of the site at `root` (into a folder of its own).
fn built_pages(root: &Path) -> usize {
    let out = tempfile::tempdir().unwrap();
    let built = plainsight(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.path().join("public").to_str().unwrap(),
    ]);
    assert!(built.status.success(), "{}", stderr(&built));
    walkdir::WalkDir::new(out.path())
        .into_iter()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "html")
        })
        .count()
}

#[test]
fn nothing_outside_the_site_is_served() {
    let site = scratch_copy(&fixture("base-path"));
    let server = start(site.path());
    for path in [
        "/policing/../../etc/passwd",
        "/policing/%2e%2e/%2e%2e/etc/passwd",
        "/policing/%2E%2E%2Fcontent%2Fsite.yaml",
        "/policing/reports/..%5c..%5csite.yaml",
    ] {
        let (status, body) = get(&server.origin, path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(
            !body.contains("root:") && !body.contains("base_url"),
            "{path} leaked a file"
        );
    }
    assert_eq!(get(&server.origin, "/policing/content/site.yaml").0, 404);
    assert_eq!(
        get(&server.origin, "/policing/reports/unused.png").0,
        404,
        "only files the build publishes"
    );
    let (status, body) = get(&server.origin, "/policing/no-such-page/");
    assert_eq!(status, 404);
    assert!(
        body.contains("<h1>Page not found</h1>"),
        "the site's own 404 page"
    );
    assert_eq!(
        get(&server.origin, "/policing/reports/img/chart.svg").0,
        200
    );
}

#[test]
fn served_pages_are_what_build_writes() {
    let site = scratch_copy(Path::new(env!("CARGO_MANIFEST_DIR")));
    let server = start(site.path());
    // Edits first, so what is compared is the result of incremental rebuilds.
    let stream = events(&server.origin);
    let meeting = site
        .path()
        .join("content/press-releases/2023-11-01-assembly-policing-meeting.md");
    let text = read(&meeting).replacen(
        "summary: The London Assembly announced",
        "summary: The Assembly announced",
        1,
    );
    std::fs::write(&meeting, text + "\nA closing line.\n").unwrap();
    next_event(&stream, "reload");
    eventually("the edit is served", || {
        get(&server.origin, "/press-releases/")
            .1
            .contains("The Assembly announced")
    });
    let out = site.path().join("built");
    let b = plainsight(&[
        "build",
        "--root",
        site.path().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(b.status.success(), "{}", stderr(&b));
    // The search index is written whole in the background after an edit.
    let entry = std::fs::read_to_string(out.join("pagefind/pagefind-entry.json")).unwrap();
    eventually("the search index is written whole", || {
        get(&server.origin, "/pagefind/pagefind-entry.json").1 == entry
    });
    for (path, bytes) in tree(&out) {
        if path.starts_with('.') {
            continue;
        }
        let url = format!("/{}", path.trim_end_matches("index.html"));
        let (status, body) = get_bytes(&server.origin, &url);
        // 404.html is requested by its own name here, so it is found.
        assert_eq!(status, 200, "{url}");
        // Everything, the search index included, is byte for byte what build writes.
        let served = if path.ends_with(".html") {
            String::from_utf8(body)
                .unwrap()
                .replacen(LIVE_SCRIPT, "", 1)
                .into_bytes()
        } else {
            body
        };
        assert!(served == bytes, "{url} differs from the build");
    }
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = scratch_copy(&fixture("footnotes"));
    let out = plainsight(&[
        "serve",
        "--root",
        site.path().to_str().unwrap(),
        "--port",
        &port,
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("error: cannot listen on 127.0.0.1:{port}")),
        "{err}"
    );
    assert!(err.contains("--port 0 for a free one"), "{err}");
}

#[test]
fn ctrl_c_stops_it_cleanly() {
    let site = scratch_copy(&fixture("footnotes"));
    let mut server = start(site.path());
    assert_eq!(get(&server.origin, "/").0, 200);
    let pid = server.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0), "a clean exit");
    assert!(
        TcpStream::connect(server.origin.trim_start_matches("http://")).is_err(),
        "the port is released"
    );
}

/// The number of pages a Pagefind index holds, from its entry file under `folder`.
fn indexed_pages(origin: &str, folder: &str) -> u64 {
    let (status, entry) = get(origin, &format!("{folder}pagefind-entry.json"));
    assert_eq!(status, 200, "{entry}");
    let json: serde_json::Value = serde_json::from_str(&entry).expect("JSON");
    // Every language's index: the demo's English pages and its Welsh ones.
    let languages = json["languages"]
        .as_object()
        .unwrap_or_else(|| panic!("no languages in {entry}"));
    languages
        .values()
        .map(|l| {
            l["page_count"]
                .as_u64()
                .unwrap_or_else(|| panic!("no page count in {entry}"))
        })
        .sum()
}

/// What serve says of the pages changed since the search index was written whole.
fn recent(origin: &str) -> serde_json::Value {
    let (status, body) = get(origin, "/__plainsight/search-recent.json");
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("JSON")
}

/// That `recent` (see [`recent`]) hides one page of the whole index: the version there of
/// the page at `url`.
fn assert_hides(origin: &str, recent: &serde_json::Value, url: &str) {
    let hide = recent["hide"].as_array().expect("ids to hide");
    assert_eq!(hide.len(), 1, "{recent}");
    let id = hide[0].as_str().unwrap();
    let fragment = format!("/pagefind/fragment/{id}.pf_fragment");
    assert_eq!(fragment_url(origin, &fragment), url, "{recent}");
}

/// The URL in a Pagefind fragment served at `path`.
fn fragment_url(origin: &str, path: &str) -> String {
    use std::io::Read as _;
    let (status, bytes) = get_bytes(origin, path);
    assert_eq!(status, 200, "{path}");
    let mut text = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut text)
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&text[text.find('{').unwrap()..]).unwrap();
    json["url"].as_str().unwrap().to_string()
}

/// Wait for serve to hold a whole write of the search index (the test hook), then let it go
/// on once `check` has looked at what is served meanwhile.
fn while_held(flag: &Path, check: impl FnOnce()) {
    eventually("the whole write of the index is held", || flag.exists());
    check();
    std::fs::remove_file(flag).unwrap();
}

#[test]
fn search_covers_what_is_served_after_each_change() {
    let site = scratch_copy(Path::new(env!("CARGO_MANIFEST_DIR")));
    let hold = tempfile::tempdir().unwrap();
    let flag = hold.path().join("held");
    let server = start_with(
        site.path(),
        Stdio::null(),
        &[("PLAINSIGHT_TEST_HOLD_INDEX", &flag)],
    );
    let (status, page) = get(&server.origin, "/search/");
    assert_eq!(status, 200);
    assert!(page.contains("id=\"search-form\""));
    assert!(
        page.contains(LIVE_SCRIPT),
        "the search page is told where to ask"
    );
    // The first request waits for the first whole write.
    let before = indexed_pages(&server.origin, "/pagefind/");
    assert!(before > 20, "documents, priorities and metrics: {before}");
    assert_eq!(recent(&server.origin), serde_json::json!({}));

    // A new page: at once in an index of its own, while the whole index is written again.
    let stream = events(&server.origin);
    let letter = site.path().join("content/letters/2025-06-01-new-letter.md");
    std::fs::write(
        &letter,
        "---\ntitle: A new letter\ndate: 2025-06-01\nsummary: Something new.\n---\nA paragraph about zebras.\n",
    )
    .unwrap();
    next_event(&stream, "reload");
    let mut folder = String::new();
    while_held(&flag, || {
        let r = recent(&server.origin);
        folder = r["index"]
            .as_str()
            .expect("an index of the changed pages")
            .to_string();
        let folder = folder.as_str();
        assert!(folder.starts_with("/__plainsight/recent/"), "{r}");
        // The new page, and the plan pages it changed (their "as of" date moves on to its
        // date) in parts left out of the index: the same text, the same ids, nothing hidden.
        assert!(indexed_pages(&server.origin, folder) > 1, "{r}");
        assert_eq!(r["hide"], serde_json::json!([]), "{r}");
        assert_eq!(
            indexed_pages(&server.origin, "/pagefind/"),
            before,
            "not yet"
        );
    });
    eventually("the whole index takes the new page in", || {
        recent(&server.origin) == serde_json::json!({})
            && indexed_pages(&server.origin, "/pagefind/") == before + 1
    });
    // Still served, for a search page that loaded it before.
    assert!(indexed_pages(&server.origin, &folder) > 1);

    // An edited page: its earlier version in the whole index is hidden until it is written.
    let (_, entry) = get(&server.origin, "/letters/2025-06-01-new-letter/");
    assert!(entry.contains("zebras"));
    std::fs::write(
        &letter,
        "---\ntitle: A new letter\ndate: 2025-06-01\nsummary: Something new.\n---\nA paragraph about quaggas.\n",
    )
    .unwrap();
    next_event(&stream, "reload");
    while_held(&flag, || {
        let r = recent(&server.origin);
        assert_hides(&server.origin, &r, "/letters/2025-06-01-new-letter/");
        let folder = r["index"].as_str().unwrap();
        assert_eq!(indexed_pages(&server.origin, folder), 1);
    });

    // A page that goes is hidden at once, then taken out of the index.
    eventually("written whole again", || {
        recent(&server.origin) == serde_json::json!({})
    });
    std::fs::remove_file(&letter).unwrap();
    next_event(&stream, "reload");
    while_held(&flag, || {
        let r = recent(&server.origin);
        assert_hides(&server.origin, &r, "/letters/2025-06-01-new-letter/");
    });
    eventually("the whole index lets the page go", || {
        recent(&server.origin) == serde_json::json!({})
            && indexed_pages(&server.origin, "/pagefind/") == before
    });
}

/// Copy the folder `from` to `to` file by file, as a checkout or an unpacked backup would
/// make it: new folders, new files.
fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

#[test]
fn a_content_folder_deleted_and_made_again_is_watched_again() {
    let site = scratch_copy(&fixture("base-path"));
    let spare = scratch_copy(&fixture("base-path"));
    let server = start(site.path());
    let letter = "/policing/letters/2025-04-02-letter/";
    assert_eq!(get(&server.origin, letter).0, 200);
    let content = site.path().join("content");
    // A document the new folder will not have.
    std::fs::write(
        content.join("letters/2025-05-09-gone.md"),
        "---\ntitle: Soon gone\ndate: 2025-05-09\nsummary: Gone.\n---\nHello.\n",
    )
    .unwrap();
    let gone = "/policing/letters/2025-05-09-gone/";
    eventually("the document is served", || {
        get(&server.origin, gone).0 == 200
    });
    let stream = events(&server.origin);

    // While content/ is gone the site has no settings: an error, and the last good site stays.
    std::fs::remove_dir_all(&content).unwrap();
    let report = next_event(&stream, "build-error").join("\n");
    assert!(report.contains("content/site.yaml"), "{report}");
    assert_eq!(get(&server.origin, letter).0, 200, "the last good site");

    // Made again (a new folder, not the old one moved back), with a changed document.
    let changed = spare.path().join("content/letters/2025-04-02-letter.md");
    std::fs::write(
        &changed,
        read(&changed) + "\nWritten after the folder came back.\n",
    )
    .unwrap();
    copy_tree(&spare.path().join("content"), &content);
    eventually("the recreated folder's document is served", || {
        get(&server.origin, letter)
            .1
            .contains("Written after the folder came back.")
    });
    // The site is the new folder's: what it does not have is gone.
    assert_eq!(get(&server.origin, gone).0, 404);
    assert!(
        !get(&server.origin, "/policing/letters/")
            .1
            .contains("Soon gone")
    );
    // And it stays watched: a later edit in the new folder is seen too.
    let file = content.join("letters/2025-04-02-letter.md");
    std::fs::write(&file, read(&file) + "\nAnd an edit after that.\n").unwrap();
    eventually("an edit in the recreated folder is served", || {
        get(&server.origin, letter)
            .1
            .contains("And an edit after that.")
    });
    let added = content.join("letters/2025-05-01-added.md");
    std::fs::write(
        &added,
        "---\ntitle: Added later\ndate: 2025-05-01\nsummary: New.\n---\nHello.\n",
    )
    .unwrap();
    eventually("a document added to the recreated folder appears", || {
        get(&server.origin, "/policing/letters/2025-05-01-added/").0 == 200
    });
}

/// The response to a request sent as written: status, head (lower-cased) and body.
fn request(origin: &str, method: &str, path: &str, body: &str) -> (u16, String, Vec<u8>) {
    let host = origin.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let head_end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(response.len(), |n| n + 4);
    let head = String::from_utf8_lossy(&response[..head_end]).to_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head, response[head_end..].to_vec())
}

/// The value of a header in a lower-cased response head.
fn header_value(head: &str, name: &str) -> Option<String> {
    head.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .map(|v| v.trim().to_string())
}

#[test]
fn only_get_and_head_are_answered() {
    let site = scratch_copy(&fixture("base-path"));
    let server = start(site.path());
    let paths = [
        "/policing/letters/2025-04-02-letter/",
        "/policing/reports/img/chart.svg",
        "/policing/no-such-page/",
        "/__plainsight/live.js",
        "/__plainsight/events",
        "/",
    ];
    for path in paths {
        for method in [
            "POST", "PUT", "DELETE", "PATCH", "TRACE", "BREW", "PROPFIND",
        ] {
            let (status, head, _) = request(&server.origin, method, path, "x=1");
            assert_eq!(status, 405, "{method} {path}: {head}");
            assert_eq!(
                header_value(&head, "allow").as_deref(),
                Some("get, head"),
                "{method} {path}: {head}"
            );
        }
        let (status, head, body) = request(&server.origin, "OPTIONS", path, "");
        assert_eq!(status, 204, "OPTIONS {path}: {head}");
        assert_eq!(header_value(&head, "allow").as_deref(), Some("get, head"));
        assert!(body.is_empty());
    }
    // The site is untouched by what was refused.
    assert_eq!(get(&server.origin, paths[0]).0, 200);

    // HEAD: the headers GET would send, with no body.
    for path in &paths[..3] {
        let (get_status, get_head, get_body) = request(&server.origin, "GET", path, "");
        let (status, head, body) = request(&server.origin, "HEAD", path, "");
        assert_eq!(status, get_status, "HEAD {path}");
        assert!(body.is_empty(), "HEAD {path} has no body");
        let length = header_value(&head, "content-length");
        assert_eq!(
            length,
            Some(get_body.len().to_string()),
            "HEAD {path}: {head}"
        );
        assert_eq!(length, header_value(&get_head, "content-length"));
        assert_eq!(
            header_value(&head, "content-type"),
            header_value(&get_head, "content-type")
        );
    }
}

#[test]
fn a_file_the_build_will_not_read_is_reported_while_serving() {
    let site = scratch_copy(&fixture("base-path"));
    let server = start(site.path());
    let stream = events(&server.origin);
    let notes = site.path().join("content/metrics/notes.md");
    std::fs::create_dir_all(notes.parent().unwrap()).unwrap();
    std::fs::write(&notes, "Notes on the metrics.\n").unwrap();
    let report = next_event(&stream, "build-error").join("\n");
    assert!(
        report.contains("--> content/metrics/notes.md:1:1"),
        "{report}"
    );
    std::fs::remove_file(&notes).unwrap();
    next_event(&stream, "reload");

    // A named pipe among the documents is reported, never opened: serve keeps answering.
    let pipe = site.path().join("content/letters/2025-05-01-pipe.md");
    let made = Command::new("mkfifo").arg(&pipe).status().unwrap();
    assert!(made.success());
    let report = next_event(&stream, "build-error").join("\n");
    assert!(
        report.contains("content/letters/2025-05-01-pipe.md is a named pipe (FIFO), not a file"),
        "{report}"
    );
    assert_eq!(
        get(&server.origin, "/policing/letters/2025-04-02-letter/").0,
        200
    );
}

#[test]
fn a_themes_folder_made_after_start_or_made_again_is_watched() {
    let site = scratch_copy(&fixture("base-path"));
    let server = start(site.path());
    let letter = "/policing/letters/2025-04-02-letter/";
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
    let themes = site.path().join("themes");
    let base = themes.join("default/templates/base.html");
    let with_marker = |marker: &str| {
        read(theme.join("default/templates/base.html")).replacen(
            "</footer>",
            &format!("<p>{marker}</p></footer>"),
            1,
        )
    };
    // No themes/ at start: one made later is watched.
    copy_tree(&theme, &themes);
    std::fs::write(&base, with_marker("First theme edit")).unwrap();
    eventually("the new theme is used", || {
        get(&server.origin, letter).1.contains("First theme edit")
    });
    // Deleted and made again: still watched.
    std::fs::remove_dir_all(&themes).unwrap();
    eventually("the built-in theme is back", || {
        !get(&server.origin, letter).1.contains("First theme edit")
    });
    copy_tree(&theme, &themes);
    std::fs::write(&base, with_marker("Second theme edit")).unwrap();
    eventually("the theme made again is used", || {
        get(&server.origin, letter).1.contains("Second theme edit")
    });
    std::fs::write(&base, with_marker("Third theme edit")).unwrap();
    eventually("an edit in it is seen", || {
        get(&server.origin, letter).1.contains("Third theme edit")
    });
}
