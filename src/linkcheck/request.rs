//! Requesting addresses: HEAD (GET when a server refuses HEAD), redirects followed by hand so
//! that a permanent move can be told from a temporary one, one retry of a server error, and a
//! small pool of threads that keeps to [`MOST_AT_ONCE`] requests in all and
//! [`MOST_PER_HOST`] to any one host.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::pipeline::Progress;

/// Requests in flight at once, in all.
pub(crate) const MOST_AT_ONCE: usize = 8;
/// Requests in flight at once to one host (its name and port): a site's server is not ours to
/// load.
pub(crate) const MOST_PER_HOST: usize = 2;
/// Redirects followed from an address before it counts as dead.
pub(crate) const MOST_REDIRECTS: usize = 5;

/// What requesting an address came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// It answered (2xx, or a 3xx without a new address); `moved_to` is where the redirects
    /// that began the chain and were all permanent (301, 308) lead, if any did.
    Answered {
        status: u16,
        moved_to: Option<String>,
    },
    /// 429: the server asks us to slow down; nothing is known about the address.
    RateLimited,
    /// It does not answer usefully: why, in a few words ("the server answered 404 Not Found").
    Dead { status: Option<u16>, why: String },
}

/// Requests with one HTTP agent (its connection pool is shared by the threads).
pub(crate) struct Client {
    agent: ureq::Agent,
    timeout: Duration,
}

impl Client {
    /// A client whose every request (with its connection) must finish within `timeout`.
    pub(crate) fn new(timeout: Duration) -> Client {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            // Followed by hand, to see each hop's status.
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent(concat!("plainsight-linkcheck/", env!("CARGO_PKG_VERSION")))
            .build();
        Client {
            agent: config.into(),
            timeout,
        }
    }

    /// Request `url`, following redirects; a server error (5xx) is asked once more.
    pub(crate) fn check(&self, url: &str) -> Verdict {
        match self.follow(url) {
            Verdict::Dead {
                status: Some(s), ..
            } if s >= 500 => match self.follow(url) {
                Verdict::Dead {
                    status: Some(s), ..
                } if s >= 500 => Verdict::Dead {
                    status: Some(s),
                    why: format!("the server answered {} twice", status_text(s)),
                },
                other => other,
            },
            v => v,
        }
    }

    /// Request `url` and the addresses it redirects to, up to [`MOST_REDIRECTS`] of them.
    fn follow(&self, url: &str) -> Verdict {
        let mut current = url.to_string();
        let mut seen = vec![current.clone()];
        let mut moved_to = None;
        let mut all_permanent = true;
        loop {
            let (status, location) = match self.request(&current) {
                Ok(answer) => answer,
                Err(why) => return Verdict::Dead { status: None, why },
            };
            let Some(next) = location.filter(|_| (300..400).contains(&status)) else {
                return judge(status, moved_to);
            };
            let Some(next) = url::Url::parse(&current)
                .and_then(|u| u.join(&next))
                .ok()
                .map(String::from)
            else {
                return dead(format!("it redirects to `{next}`, which is not an address"));
            };
            if seen.contains(&next) {
                return dead(format!("it redirects in a loop (back to {next})"));
            }
            if seen.len() > MOST_REDIRECTS {
                return dead(format!("it redirects more than {MOST_REDIRECTS} times"));
            }
            all_permanent &= matches!(status, 301 | 308);
            if all_permanent {
                moved_to = Some(next.clone());
            }
            seen.push(next.clone());
            current = next;
        }
    }

    /// One address, once: its status and `Location`. HEAD first; GET when the server refuses
    /// HEAD: 405 and 501 say so, and some servers answer HEAD with 400 or 403 while serving
    /// GET, so those are asked again too (a page that truly forbids us gets 403 twice).
    fn request(&self, url: &str) -> Result<(u16, Option<String>), String> {
        let answer = |r: ureq::http::Response<ureq::Body>| {
            let location = r
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            (r.status().as_u16(), location)
        };
        let head = self.agent.head(url).call().map_err(|e| self.why(e))?;
        let (status, location) = answer(head);
        if !matches!(status, 400 | 403 | 405 | 501) {
            return Ok((status, location));
        }
        let get = self.agent.get(url).call().map_err(|e| self.why(e))?;
        Ok(answer(get))
    }

    /// Why a request failed, in a few words.
    fn why(&self, e: ureq::Error) -> String {
        match e {
            ureq::Error::Timeout(_) => format!("no answer within {}", seconds(self.timeout)),
            ureq::Error::HostNotFound => "its host name is not found".to_string(),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                "the connection is refused".to_string()
            }
            ureq::Error::Io(io) => format!("the connection failed ({io})"),
            ureq::Error::ConnectionFailed => "the connection failed".to_string(),
            other => format!("the request failed ({other})"),
        }
    }
}

fn dead(why: String) -> Verdict {
    Verdict::Dead { status: None, why }
}

/// The verdict on the status a chain of requests ended with.
fn judge(status: u16, moved_to: Option<String>) -> Verdict {
    match status {
        429 => Verdict::RateLimited,
        s if s >= 400 => Verdict::Dead {
            status: Some(s),
            why: format!("the server answered {}", status_text(s)),
        },
        s => Verdict::Answered {
            status: s,
            moved_to,
        },
    }
}

/// "404 Not Found".
pub(crate) fn status_text(status: u16) -> String {
    let reason = ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason());
    match reason {
        Some(r) => format!("{status} {r}"),
        None => status.to_string(),
    }
}

/// "10 s", "1.5 s".
fn seconds(d: Duration) -> String {
    format!("{} s", d.as_secs_f64())
}

/// The host (and port) an address is counted against.
fn host_of(url: &str) -> String {
    url::Url::parse(url).map_or_else(
        |_| String::new(),
        |u| {
            format!(
                "{}:{}",
                u.host_str().unwrap_or(""),
                u.port_or_known_default().unwrap_or(0)
            )
        },
    )
}

/// The addresses not yet taken, and how many requests are in flight to each host.
struct Queue {
    waiting: Vec<usize>,
    busy: HashMap<String, usize>,
}

/// Request every address of `urls` with `client`, at most [`MOST_AT_ONCE`] at a time and
/// [`MOST_PER_HOST`] to one host; the verdicts are in the order of `urls`.
pub(crate) fn check_all(client: &Client, urls: &[String], progress: &dyn Progress) -> Vec<Verdict> {
    let hosts: Vec<String> = urls.iter().map(|u| host_of(u)).collect();
    let queue = Mutex::new(Queue {
        waiting: (0..urls.len()).collect(),
        busy: HashMap::new(),
    });
    let freed = Condvar::new();
    let verdicts = Mutex::new(vec![None; urls.len()]);
    let take = || -> Option<usize> {
        let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if q.waiting.is_empty() {
                return None;
            }
            let free = |i: &usize| q.busy.get(&hosts[*i]).copied().unwrap_or(0) < MOST_PER_HOST;
            if let Some(at) = q.waiting.iter().position(free) {
                let i = q.waiting.remove(at);
                *q.busy.entry(hosts[i].clone()).or_default() += 1;
                return Some(i);
            }
            q = freed.wait(q).unwrap_or_else(|e| e.into_inner());
        }
    };
    let done = |i: usize| {
        let mut q = queue.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = q.busy.get_mut(&hosts[i]) {
            *n -= 1;
        }
        freed.notify_all();
    };
    std::thread::scope(|s| {
        for _ in 0..MOST_AT_ONCE.min(urls.len()) {
            s.spawn(|| {
                while let Some(i) = take() {
                    let v = client.check(&urls[i]);
                    verdicts.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(v);
                    done(i);
                    progress.made();
                }
            });
        }
    });
    let verdicts = verdicts.into_inner().unwrap_or_else(|e| e.into_inner());
    verdicts
        .into_iter()
        .map(|v| v.unwrap_or_else(|| dead("it was not requested".to_string())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_judged() {
        assert_eq!(judge(429, None), Verdict::RateLimited);
        assert_eq!(
            judge(410, None),
            Verdict::Dead {
                status: Some(410),
                why: "the server answered 410 Gone".to_string()
            }
        );
        assert_eq!(
            judge(204, Some("https://b.org/".into())),
            Verdict::Answered {
                status: 204,
                moved_to: Some("https://b.org/".into())
            }
        );
        assert_eq!(status_text(599), "599");
        assert_eq!(seconds(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(host_of("https://a.org/x"), "a.org:443");
        assert_eq!(host_of("http://127.0.0.1:8080/x"), "127.0.0.1:8080");
    }
}
