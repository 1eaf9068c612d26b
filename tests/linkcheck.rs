//! `check --links`: every outside address is requested once, against servers on 127.0.0.1
//! that each test starts; dead links are warnings at every place, permanent redirects notes,
//! answers are cached; a plain `build` or `check` makes no request at all.

mod common;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use plainsight::linkcheck::LinkOptions;
use plainsight::pipeline::{self, CheckOptions};

/// What the test server answers to one request.
#[derive(Clone, Debug)]
struct Reply {
    status: u16,
    location: Option<String>,
    delay: Duration,
}

fn status(status: u16) -> Reply {
    Reply {
        status,
        location: None,
        delay: Duration::ZERO,
    }
}

fn redirect(code: u16, to: &str) -> Reply {
    Reply {
        location: Some(to.to_string()),
        ..status(code)
    }
}

/// How the server answers: the method, the path, and how many times this method and path were
/// asked for before.
type Answer = dyn Fn(&str, &str, usize) -> Reply + Send + Sync;

/// An HTTP server on 127.0.0.1 that answers every request from `answer` and closes the
/// connection, recording what it was asked.
struct Server {
    port: u16,
    connections: Arc<AtomicUsize>,
    most_open: Arc<AtomicUsize>,
    asked: Arc<Mutex<Vec<(String, String)>>>,
}

impl Server {
    fn start(answer: impl Fn(&str, &str, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let server = Server {
            port: listener.local_addr().unwrap().port(),
            connections: Arc::default(),
            most_open: Arc::default(),
            asked: Arc::default(),
        };
        let answer: Arc<Answer> = Arc::new(answer);
        let (connections, most_open, asked) = (
            server.connections.clone(),
            server.most_open.clone(),
            server.asked.clone(),
        );
        let open = Arc::new(AtomicUsize::new(0));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                connections.fetch_add(1, Ordering::SeqCst);
                let now = open.fetch_add(1, Ordering::SeqCst) + 1;
                most_open.fetch_max(now, Ordering::SeqCst);
                let (answer, asked, open) = (answer.clone(), asked.clone(), open.clone());
                std::thread::spawn(move || {
                    // Counted as closed before the answer is sent: the client may open the
                    // next connection as soon as it has it.
                    respond(stream, &*answer, &asked, || {
                        open.fetch_sub(1, Ordering::SeqCst);
                    });
                });
            }
        });
        server
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn asked(&self) -> Vec<(String, String)> {
        self.asked.lock().unwrap().clone()
    }
}

fn respond(
    mut stream: TcpStream,
    answer: &Answer,
    asked: &Mutex<Vec<(String, String)>>,
    closing: impl FnOnce(),
) {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return closing(),
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.split_whitespace();
    let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let before = {
        let mut asked = asked.lock().unwrap();
        let n = asked
            .iter()
            .filter(|(m, p)| m == method && p == path)
            .count();
        asked.push((method.to_string(), path.to_string()));
        n
    };
    let reply = answer(method, path, before);
    std::thread::sleep(reply.delay);
    let location = reply
        .location
        .map(|l| format!("Location: {l}\r\n"))
        .unwrap_or_default();
    closing();
    let _ = write!(
        stream,
        "HTTP/1.1 {} X\r\n{location}Content-Length: 0\r\nConnection: close\r\n\r\n",
        reply.status
    );
}

/// A port with nothing listening on it.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A site whose one document links to each of `urls`.
fn site_linking(urls: &[String]) -> tempfile::TempDir {
    let links: Vec<String> = urls
        .iter()
        .enumerate()
        .map(|(i, u)| format!("[page {i}]({u})"))
        .collect();
    let doc = format!(
        "---\ntitle: Links\ndate: 2024-03-01\nsummary: Links.\n---\n{}\n",
        links.join(",\n")
    );
    site_with(&[("content/press-releases/2024-03-01-links.md", &doc)])
}

fn options(timeout: Duration) -> CheckOptions {
    CheckOptions {
        links: Some(LinkOptions {
            max_age_days: 7,
            timeout,
        }),
        ..CheckOptions::default()
    }
}

/// `check --links` on the site in `dir`: its report, as `check` prints it.
fn check_links(dir: &tempfile::TempDir) -> String {
    let outcome = pipeline::check(dir.path(), options(Duration::from_secs(1)));
    outcome.diagnostics.render(&outcome.sources)
}

/// The messages of a report's diagnostics, one per place.
fn messages(report: &str) -> Vec<&str> {
    report
        .lines()
        .filter(|l| {
            l.starts_with("warning: ") || l.starts_with("note: ") || l.starts_with("error: ")
        })
        .collect()
}

#[test]
fn each_status_is_judged_and_each_address_requested_once() {
    let server = Server::start(|_, path, n| match path {
        "/ok" => status(200),
        "/missing" => status(404),
        "/gone" => status(410),
        "/busy" => status(429),
        "/broken" => status(500),
        "/flaky" if n == 0 => status(503),
        "/flaky" => status(200),
        _ => status(418),
    });
    let urls: Vec<String> = [
        "/ok",
        "/missing",
        "/gone",
        "/busy",
        "/broken",
        "/flaky",
        "/ok#again",
    ]
    .iter()
    .map(|p| server.url(p))
    .collect();
    let site = site_linking(&urls);
    let report = check_links(&site);
    let u = |p| server.url(p);
    assert_eq!(
        messages(&report),
        vec![
            format!(
                "warning: dead link `{}`: the server answered 404 Not Found",
                u("/missing")
            ),
            format!(
                "warning: dead link `{}`: the server answered 410 Gone",
                u("/gone")
            ),
            format!(
                "note: `{}` was not checked: the server answered 429 Too Many Requests",
                u("/busy")
            ),
            format!(
                "warning: dead link `{}`: the server answered 500 Internal Server Error twice",
                u("/broken")
            ),
        ],
        "{report}"
    );
    let mut asked = server.asked();
    asked.sort();
    let head = |p: &str| ("HEAD".to_string(), p.to_string());
    assert_eq!(
        asked,
        vec![
            head("/broken"),
            head("/broken"),
            head("/busy"),
            head("/flaky"),
            head("/flaky"),
            head("/gone"),
            head("/missing"),
            head("/ok"),
        ]
    );
}

#[test]
fn redirects_are_followed_and_a_permanent_move_is_a_note() {
    let server = Server::start(|_, path, _| match path {
        "/old" => redirect(301, "/newer"),
        "/newer" => redirect(302, "/newest"),
        "/newest" => status(200),
        "/temporary" => redirect(307, "/newest"),
        "/loop" => redirect(308, "/loop2"),
        "/loop2" => redirect(301, "/loop"),
        p => match p.strip_prefix("/hop").and_then(|n| n.parse::<u32>().ok()) {
            // /hop0 redirects 6 times before it lands; /hop1 5 times.
            Some(n) if n < 6 => redirect(302, &format!("/hop{}", n + 1)),
            _ => status(200),
        },
    });
    let urls: Vec<String> = ["/old", "/temporary", "/loop", "/hop0", "/hop1"]
        .iter()
        .map(|p| server.url(p))
        .collect();
    let site = site_linking(&urls);
    let report = check_links(&site);
    let u = |p| server.url(p);
    assert_eq!(
        messages(&report),
        vec![
            format!(
                "note: `{}` moved permanently to {}; update the link",
                u("/old"),
                u("/newer")
            ),
            format!(
                "warning: dead link `{}`: it redirects in a loop (back to {})",
                u("/loop"),
                u("/loop")
            ),
            format!(
                "warning: dead link `{}`: it redirects more than 5 times",
                u("/hop0")
            ),
        ],
        "{report}"
    );
}

#[test]
fn a_server_that_refuses_head_is_asked_with_get() {
    let server = Server::start(|method, path, _| match (method, path) {
        ("HEAD", "/page") => status(405),
        ("HEAD", "/picky") => status(400),
        (_, "/forbidden") => status(403),
        _ => status(200),
    });
    let urls: Vec<String> = ["/page", "/picky", "/forbidden"]
        .iter()
        .map(|p| server.url(p))
        .collect();
    let site = site_linking(&urls);
    let report = check_links(&site);
    assert_eq!(
        messages(&report),
        vec![format!(
            "warning: dead link `{}`: the server answered 403 Forbidden",
            server.url("/forbidden")
        )],
        "{report}"
    );
    let mut asked = server.asked();
    asked.sort();
    let ask = |m: &str, p: &str| (m.to_string(), p.to_string());
    assert_eq!(
        asked,
        vec![
            ask("GET", "/forbidden"),
            ask("GET", "/page"),
            ask("GET", "/picky"),
            ask("HEAD", "/forbidden"),
            ask("HEAD", "/page"),
            ask("HEAD", "/picky"),
        ]
    );
}

#[test]
fn no_answer_in_time_and_a_refused_connection_are_dead() {
    let server = Server::start(|_, _, _| Reply {
        delay: Duration::from_secs(3),
        ..status(200)
    });
    let closed = format!("http://127.0.0.1:{}/", closed_port());
    let site = site_linking(&[server.url("/slow"), closed.clone()]);
    let started = Instant::now();
    let report = check_links(&site);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        messages(&report),
        vec![
            format!(
                "warning: dead link `{}`: no answer within 1 s",
                server.url("/slow")
            ),
            format!("warning: dead link `{closed}`: the connection is refused"),
        ],
        "{report}"
    );
}

#[test]
fn at_most_two_requests_go_to_one_host_at_a_time() {
    let server = Server::start(|_, _, _| Reply {
        delay: Duration::from_millis(150),
        ..status(200)
    });
    let urls: Vec<String> = (0..6).map(|i| server.url(&format!("/p{i}"))).collect();
    let site = site_linking(&urls);
    let report = check_links(&site);
    assert!(messages(&report).is_empty(), "{report}");
    assert_eq!(server.connections.load(Ordering::SeqCst), 6);
    assert_eq!(server.most_open.load(Ordering::SeqCst), 2);
}

#[test]
fn good_answers_are_cached_until_they_are_too_old() {
    let server = Server::start(|_, path, _| match path {
        "/missing" => status(404),
        _ => status(200),
    });
    let (ok, missing) = (server.url("/ok"), server.url("/missing"));
    let site = site_linking(&[ok.clone(), missing.clone()]);
    check_links(&site);
    assert_eq!(server.connections.load(Ordering::SeqCst), 2);
    let cache = site.path().join(".plainsight/links.json");
    let written = read(&cache);
    assert!(
        written.contains(r#""format": "plainsight-links-1""#),
        "{written}"
    );
    assert!(written.contains(r#""result": "dead""#), "{written}");
    // Only the dead address is asked again.
    let report = check_links(&site);
    assert_eq!(server.connections.load(Ordering::SeqCst), 3);
    assert_eq!(messages(&report).len(), 1, "{report}");
    // An answer older than the limit is not trusted.
    let old = written.replace(
        &written[written.find("\"checked_at\": \"").unwrap() + 15..][..20],
        "2020-01-01T00:00:00Z",
    );
    std::fs::write(&cache, old).unwrap();
    check_links(&site);
    assert_eq!(server.connections.load(Ordering::SeqCst), 5);
    // A file that is not ours is ignored with a note, then replaced.
    std::fs::write(&cache, "[1, 2, 3]").unwrap();
    let report = check_links(&site);
    assert!(
        report.starts_with(
            "note: ignoring .plainsight/links.json: it is not a links cache plainsight wrote"
        ),
        "{report}"
    );
    assert!(read(&cache).contains("plainsight-links-1"));
}

#[test]
fn build_and_check_without_links_make_no_request() {
    let server = Server::start(|_, _, _| status(404));
    let site = site_linking(&[server.url("/a")]);
    let root = site.path().to_str().unwrap();
    for args in [
        vec!["check", "--root", root],
        vec!["check", "--strict", "--root", root],
        vec!["build", "--root", root],
    ] {
        let out = plainsight(&args);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert_eq!(server.connections.load(Ordering::SeqCst), 0);
    assert!(!site.path().join(".plainsight").exists());
}

/// The fixture's report word for word: a warning or note at every place an address is
/// written (sources.yaml, a body, site.yaml), and `--strict` makes the warnings errors.
#[test]
fn the_report_names_every_place() {
    let server = Server::start(|_, path, _| match path {
        "/ok" | "/new" | "/press-releases/" => status(200),
        "/gone" => status(410),
        "/busy" => status(429),
        "/moved" => redirect(308, "/new"),
        _ => status(404),
    });
    let fixture = fixture("linkcheck-report");
    let site = scratch_copy(&fixture);
    let port = server.port.to_string();
    for entry in walkdir::WalkDir::new(site.path()) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = read(entry.path()).replace("PORT", &port);
            std::fs::write(entry.path(), text).unwrap();
        }
    }
    let root = site.path().to_str().unwrap();
    let out = plainsight(&["check", "--links", "--root", root]);
    let expected = read(fixture.join("expected.txt")).replace("PORT", &port);
    assert_eq!(stderr(&out).split("Checked").next().unwrap(), expected);
    assert!(out.status.success());
    let strict = plainsight(&["check", "--links", "--strict", "--root", root]);
    assert_eq!(strict.status.code(), Some(1));
    let report = stderr(&strict);
    assert!(report.contains("error: dead link"), "{report}");
    assert!(report.contains("note: `"), "{report}");
    assert!(
        report.contains("Links: 6 outside addresses: 4 requested, 2 answered well less than 7 days ago (.plainsight/links.json); 3 dead\nCheck failed.\n"),
        "{report}"
    );
    let asked: HashMap<String, usize> =
        server
            .asked()
            .into_iter()
            .fold(HashMap::new(), |mut m, (_, p)| {
                *m.entry(p).or_default() += 1;
                m
            });
    assert_eq!(asked.get("/missing"), Some(&2), "once per run: {asked:?}");
    // The site's own address is not an outside one.
    let cache = read(site.path().join(".plainsight/links.json"));
    assert!(!cache.contains("example.org"), "{cache}");
    assert_eq!(cache.matches("\"url\"").count(), 6, "{cache}");
}

#[test]
fn links_max_age_needs_links() {
    let site = site_linking(&[]);
    let root = site.path().to_str().unwrap();
    let out = plainsight(&["check", "--links-max-age", "3", "--root", root]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--links"), "{}", stderr(&out));
    let out = plainsight(&["check", "--links", "--links-max-age", "0", "--root", root]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("Links: 0 outside addresses: 0 requested\n"),
        "{}",
        stderr(&out)
    );
}
