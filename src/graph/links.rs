//! What a link or image destination in a document points at, and the URL it publishes as.

use super::Graph;
use crate::content::{Document, Site};

/// A checked destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// http(s):, mailto:, tel: or protocol-relative: published as written.
    External(String),
    /// `#section` in the same page.
    Fragment(String),
    /// A root-relative path (`/reports/`), published under the base URL's path.
    Rooted(String),
    /// Another document, by its index in `Site::documents`.
    Document { index: usize, fragment: String },
    /// A file under content/ (image, PDF…), by its path there.
    Asset { path: String, suffix: String },
}

/// Why a destination cannot be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    UnsafeScheme(String),
    UnknownScheme(String),
    LeavesContent,
    NoDocument(String),
    NoFile(String),
}

impl LinkError {
    /// The message and the advice; `what` names the destination, e.g. "link to `a.md`".
    pub fn describe(&self, what: &str) -> (String, String) {
        match self {
            LinkError::UnsafeScheme(s) => (
                format!("{what} uses the unsafe scheme `{s}:`"),
                "link to an https: address or a file in content/ instead".into(),
            ),
            LinkError::UnknownScheme(s) => (
                format!("{what} uses the unknown scheme `{s}:`"),
                "use https:, http:, mailto:, tel:, or a path relative to this file".into(),
            ),
            LinkError::LeavesContent => (
                format!("{what} points outside content/"),
                "link only to files inside content/".into(),
            ),
            LinkError::NoDocument(p) => (
                format!("{what}: there is no document content/{p}"),
                "check the path; it is relative to this file".into(),
            ),
            LinkError::NoFile(p) => (
                format!("{what}: there is no file content/{p}"),
                "check the path (relative to this file), or add the file".into(),
            ),
        }
    }
}

const SAFE_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];
const UNSAFE_SCHEMES: [&str; 4] = ["javascript", "data", "vbscript", "file"];

/// `scheme` of `scheme:rest`, if `dest` has one.
fn scheme(dest: &str) -> Option<&str> {
    let (s, _) = dest.split_once(':')?;
    let mut chars = s.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    ok.then_some(s)
}

/// Join `rel` onto the folder `dir` (both under content/), refusing to climb out of it.
fn join(dir: &str, rel: &str) -> Result<String, LinkError> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop().ok_or(LinkError::LeavesContent)?;
            }
            s => parts.push(s),
        }
    }
    Ok(parts.join("/"))
}

pub(super) fn classify(
    graph: &Graph,
    site: &Site,
    from: &Document,
    dest: &str,
) -> Result<Target, LinkError> {
    if let Some(frag) = dest.strip_prefix('#') {
        return Ok(Target::Fragment(frag.to_string()));
    }
    if dest.starts_with("//") {
        return Ok(Target::External(dest.to_string()));
    }
    if let Some(s) = scheme(dest) {
        let lower = s.to_ascii_lowercase();
        return if SAFE_SCHEMES.contains(&lower.as_str()) {
            Ok(Target::External(dest.to_string()))
        } else if UNSAFE_SCHEMES.contains(&lower.as_str()) {
            Err(LinkError::UnsafeScheme(s.to_string()))
        } else {
            Err(LinkError::UnknownScheme(s.to_string()))
        };
    }
    if let Some(rooted) = dest.strip_prefix('/') {
        return Ok(Target::Rooted(rooted.to_string()));
    }
    let cut = dest.find(['#', '?']).unwrap_or(dest.len());
    let (path, suffix) = dest.split_at(cut);
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let joined = join(from.path.dir(), &decoded)?;
    if joined.ends_with(".md") {
        let index = graph
            .by_path
            .get(joined.as_str())
            .copied()
            .ok_or(LinkError::NoDocument(joined))?;
        let fragment = suffix
            .split_once('#')
            .map(|(_, f)| f.to_string())
            .unwrap_or_default();
        Ok(Target::Document { index, fragment })
    } else if site.assets.contains(&joined) {
        Ok(Target::Asset {
            path: joined,
            suffix: suffix.to_string(),
        })
    } else {
        Err(LinkError::NoFile(joined))
    }
}

/// Percent-encode a site path for use in an href, keeping `/`.
pub fn encode_path(path: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(path, SET).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_stays_inside_content() {
        assert_eq!(join("reports/", "../plans/p.md"), Ok("plans/p.md".into()));
        assert_eq!(
            join("reports/", "img/./a.png"),
            Ok("reports/img/a.png".into())
        );
        assert_eq!(
            join("reports/", "../../etc/passwd"),
            Err(LinkError::LeavesContent)
        );
    }

    #[test]
    fn schemes() {
        assert_eq!(scheme("https://x"), Some("https"));
        assert_eq!(scheme("doc:reports/x"), Some("doc"));
        assert_eq!(scheme("a.md"), None);
        assert_eq!(scheme("2024-01-01 notes: x.md"), None);
    }

    #[test]
    fn encodes_paths() {
        assert_eq!(
            encode_path("reports/my chart.png"),
            "reports/my%20chart.png"
        );
    }
}
