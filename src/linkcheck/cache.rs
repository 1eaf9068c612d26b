//! `.plainsight/links.json` in the site folder: what each address answered and when, so that an
//! address that answered well lately is not requested again. The file is ours alone: one that
//! cannot be read, or was not written by plainsight, is ignored (with a note) and replaced.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::request::Verdict;

/// Where the cache is kept, under the site folder.
pub(crate) const PATH: &str = ".plainsight/links.json";
/// What the file's `format` says, so that a file of another shape is not misread.
const FORMAT: &str = "plainsight-links-1";

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: String,
    links: Vec<Entry>,
}

/// One address's last answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Entry {
    pub(crate) url: String,
    /// The last status in the chain of requests; none when no server answered.
    pub(crate) status: Option<u16>,
    /// `ok`, `rate-limited` or `dead`.
    pub(crate) result: String,
    /// Where permanent redirects lead, when they do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) moved_to: Option<String>,
    /// Why it is dead, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) why: Option<String>,
    /// RFC 3339, UTC.
    pub(crate) checked_at: String,
}

impl Entry {
    pub(crate) fn new(url: &str, verdict: &Verdict, now: DateTime<Utc>) -> Entry {
        let (status, result, moved_to, why) = match verdict {
            Verdict::Answered { status, moved_to } => (Some(*status), "ok", moved_to.clone(), None),
            Verdict::RateLimited => (Some(429), "rate-limited", None, None),
            Verdict::Dead { status, why } => (*status, "dead", None, Some(why.clone())),
        };
        Entry {
            url: url.to_string(),
            status,
            result: result.to_string(),
            moved_to,
            why,
            checked_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        }
    }

    /// The verdict to reuse, when the address answered well less than `max_age_days` ago.
    pub(crate) fn fresh(&self, now: DateTime<Utc>, max_age_days: u32) -> Option<Verdict> {
        let at = DateTime::parse_from_rfc3339(&self.checked_at).ok()?;
        let age = now.signed_duration_since(at);
        let young = age >= chrono::Duration::zero()
            && age < chrono::Duration::days(i64::from(max_age_days));
        (young && self.result == "ok").then(|| Verdict::Answered {
            status: self.status.unwrap_or(200),
            moved_to: self.moved_to.clone(),
        })
    }
}

/// The time now, in UTC, from the system clock (chrono's own clock feature is off).
pub(crate) fn now() -> DateTime<Utc> {
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    DateTime::from_timestamp(i64::try_from(secs).unwrap_or(0), 0).unwrap_or_default()
}

pub(crate) fn path(root: &Path) -> PathBuf {
    root.join(PATH)
}

/// The entries of the cache under `root`, by address. No file is an empty cache; a file that
/// cannot be read as ours is one too, and `Err` says why, for a note.
pub(crate) fn read(root: &Path) -> Result<BTreeMap<String, Entry>, String> {
    let bytes = match std::fs::read(path(root)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(e) => return Err(format!("it cannot be read ({e})")),
    };
    let file: File = serde_json::from_slice(&bytes)
        .map_err(|e| format!("it is not a links cache plainsight wrote ({e})"))?;
    if file.format != FORMAT {
        return Err(format!(
            "its format is `{}`, not `{FORMAT}`",
            crate::text::printable(&file.format)
        ));
    }
    Ok(file.links.into_iter().map(|e| (e.url.clone(), e)).collect())
}

/// Replace the cache under `root` with `entries` (by address, so the file is in a stable
/// order): written beside it, then renamed over it, so a run killed midway leaves the old
/// file whole.
pub(crate) fn write(root: &Path, entries: BTreeMap<String, Entry>) -> std::io::Result<()> {
    let file = File {
        format: FORMAT.to_string(),
        links: entries.into_values().collect(),
    };
    let json = serde_json::to_vec_pretty(&file).map_err(std::io::Error::other)?;
    let target = path(root);
    let dir = target.parent().unwrap_or(root);
    std::fs::create_dir_all(dir)?;
    let temp = dir.join(format!(".links.json.{}.tmp", std::process::id()));
    std::fs::write(&temp, json)?;
    std::fs::rename(&temp, &target).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_good_answer_is_reused_until_it_is_max_age_days_old() {
        let ok = Verdict::Answered {
            status: 200,
            moved_to: None,
        };
        let e = Entry::new("https://a.org/", &ok, at("2026-01-01T10:00:00Z"));
        assert_eq!(e.checked_at, "2026-01-01T10:00:00Z");
        assert_eq!(e.fresh(at("2026-01-07T10:00:00Z"), 7), Some(ok));
        assert_eq!(e.fresh(at("2026-01-08T10:00:00Z"), 7), None);
        assert_eq!(
            e.fresh(at("2025-12-31T10:00:00Z"), 7),
            None,
            "from the future"
        );
        let dead = Verdict::Dead {
            status: Some(404),
            why: "gone".into(),
        };
        let e = Entry::new("https://a.org/", &dead, at("2026-01-01T10:00:00Z"));
        assert_eq!(e.fresh(at("2026-01-01T11:00:00Z"), 7), None);
    }

    #[test]
    fn a_foreign_or_broken_file_is_not_read_and_a_written_one_is() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read(dir.path()).unwrap().is_empty());
        std::fs::create_dir_all(dir.path().join(".plainsight")).unwrap();
        std::fs::write(path(dir.path()), "{not json").unwrap();
        assert!(read(dir.path()).is_err());
        std::fs::write(path(dir.path()), r#"{"format":"other","links":[]}"#).unwrap();
        assert_eq!(
            read(dir.path()).unwrap_err(),
            "its format is `other`, not `plainsight-links-1`"
        );
        let e = Entry::new("https://a.org/", &Verdict::RateLimited, now());
        write(dir.path(), BTreeMap::from([(e.url.clone(), e.clone())])).unwrap();
        assert_eq!(read(dir.path()).unwrap()["https://a.org/"], e);
    }
}
