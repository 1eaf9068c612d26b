//! Whether a folder is a site: the one check every command that reads a site (`build`,
//! `check`, `serve`, `new`) makes before anything else, and the "not a site" diagnosis it gives,
//! naming the folder it looked in and saying what to do from there.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::text::printable_name;

/// Why a folder cannot be read as a site. Every variant is a usage problem (exit code 2): the
/// command was run in the wrong place, and nothing was read or written.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum NotASite {
    /// `--root` names nothing.
    Missing(PathBuf),
    /// `--root` names a file.
    File(PathBuf),
    /// The folder's kind could not be read (permissions, say).
    Unreadable { folder: PathBuf, why: String },
    /// The folder is inside a site, `levels` folders below it: the user is one `cd ..` (or a
    /// few) away. `content` says whether the way up passes through the site's content/.
    Inside {
        folder: PathBuf,
        site: PathBuf,
        levels: usize,
        content: bool,
        /// The folder is the current one, so `cd` is the way out; otherwise `--root` was given
        /// and only a different `--root` helps.
        here: bool,
    },
    /// No content/ folder, and no site around it.
    NoContent(PathBuf),
    /// content/ is there but content/site.yaml is not.
    NoSettings(PathBuf),
}

/// Check that `root` is a site: a folder holding content/site.yaml. What is wrong with the
/// settings themselves is the loader's to report, at their line.
pub(crate) fn check(root: &Path) -> Result<(), NotASite> {
    let meta = match std::fs::metadata(root) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(NotASite::Missing(absolute(root)));
        }
        Err(e) => {
            return Err(NotASite::Unreadable {
                folder: absolute(root),
                why: e.to_string(),
            });
        }
    };
    if !meta.is_dir() {
        return Err(NotASite::File(absolute(root)));
    }
    let content = root.join("content");
    if content.is_dir() {
        // Only "not there" is a usage problem: a site.yaml that cannot be read (or is a
        // folder) is reported by the loader, with the reason.
        return match std::fs::symlink_metadata(content.join("site.yaml")) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(NotASite::NoSettings(resolved(root)))
            }
            _ => Ok(()),
        };
    }
    let folder = resolved(root);
    let here = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .is_ok_and(|cwd| cwd == folder);
    Err(match enclosing_site(&folder) {
        Some((site, levels, content)) => NotASite::Inside {
            folder,
            site,
            levels,
            content,
            here,
        },
        None => NotASite::NoContent(folder),
    })
}

/// The nearest folder above `folder` that is a site (holds content/site.yaml), or whose
/// content/ folder `folder` is in (its site.yaml is then reported missing once the user is
/// there): the site, how many levels up it is, and whether the way passes through content/.
fn enclosing_site(folder: &Path) -> Option<(PathBuf, usize, bool)> {
    folder
        .ancestors()
        .enumerate()
        .skip(1)
        .find_map(|(levels, site)| {
            let content = site.join("content");
            let inside_content = folder.starts_with(&content);
            let is_site = content.join("site.yaml").is_file();
            ((inside_content && content.is_dir()) || is_site)
                .then(|| (site.to_path_buf(), levels, inside_content))
        })
}

/// The folder as an absolute path with links and `..` resolved, as the messages name it.
fn resolved(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| absolute(path))
}

/// An absolute path for a folder that may not exist (so cannot be resolved).
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A path as a shell word, quoted when it has anything a shell would split or expand.
fn shell_word(path: &Path) -> String {
    let text = printable_name(&path.display().to_string()).into_owned();
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+,:@%=".contains(c));
    if plain {
        text
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

fn shown(path: &Path) -> String {
    printable_name(&path.display().to_string()).into_owned()
}

impl NotASite {
    /// What is wrong, in one line.
    fn message(&self) -> String {
        match self {
            NotASite::Missing(p) => format!(
                "--root must be a site folder (with content/site.yaml); there is no {}",
                shown(p)
            ),
            NotASite::File(p) => format!(
                "--root must be a site folder (with content/site.yaml); {} is a file",
                shown(p)
            ),
            NotASite::Unreadable { folder, why } => {
                format!("cannot read the site folder {}: {why}", shown(folder))
            }
            NotASite::Inside {
                folder,
                site,
                levels,
                content,
                ..
            } => {
                let place = match (content, levels) {
                    (true, 1) => "the content/ folder of",
                    (true, _) => "inside the content/ folder of",
                    (false, _) => "inside",
                };
                format!(
                    "{} is not a site: it is {place} the site {}",
                    shown(folder),
                    shown(site)
                )
            }
            NotASite::NoContent(p) => format!(
                "{} is not a site: there is no content/site.yaml in it",
                shown(p)
            ),
            NotASite::NoSettings(p) => format!(
                "{} has a content/ folder but no content/site.yaml, the settings every site needs",
                shown(p)
            ),
        }
    }

    /// What to do about it, or nothing when the message says it.
    fn help(&self) -> Option<String> {
        match self {
            NotASite::Missing(_) | NotASite::File(_) | NotASite::Unreadable { .. } => None,
            NotASite::Inside {
                site, levels, here, ..
            } => {
                let root = shell_word(site);
                Some(if *here {
                    let up = vec![".."; *levels].join("/");
                    format!("run it from the site's folder (`cd {up}`), or pass `--root {root}`")
                } else {
                    format!("pass the site's folder: `--root {root}`")
                })
            }
            NotASite::NoContent(_) => Some(
                "run it in a site's folder, or pass one with `--root DIR`; to start a site, \
                 `plainsight init DIR`"
                    .into(),
            ),
            NotASite::NoSettings(_) => Some(
                "write content/site.yaml with at least `title`, `base_url` and `language` (see \
                 docs/content-model.md#contentsiteyaml), or start a new site with \
                 `plainsight init DIR`, which writes one"
                    .into(),
            ),
        }
    }
}

/// The report on stderr: `error: MESSAGE`, then `  = HELP` as the build's diagnostics put it.
impl fmt::Display for NotASite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.message())?;
        match self.help() {
            Some(help) => write!(f, "\n  = {help}"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_quoted_for_the_shell_only_when_needed() {
        assert_eq!(shell_word(Path::new("/srv/my-site")), "/srv/my-site");
        assert_eq!(shell_word(Path::new("/srv/my site")), "'/srv/my site'");
        assert_eq!(shell_word(Path::new("/srv/it's")), r"'/srv/it'\''s'");
    }

    #[test]
    fn a_site_is_found_above_its_content_folder_and_elsewhere_inside_it() {
        let tmp = tempfile::tempdir().unwrap();
        let site = std::fs::canonicalize(tmp.path()).unwrap();
        std::fs::create_dir_all(site.join("content/reports")).unwrap();
        std::fs::create_dir_all(site.join("themes/mine")).unwrap();
        // Inside content/ the site is found even before it has its site.yaml...
        assert_eq!(
            enclosing_site(&site.join("content/reports")),
            Some((site.clone(), 2, true))
        );
        assert_eq!(enclosing_site(&site.join("themes/mine")), None);
        // ... and elsewhere inside it once it has one.
        std::fs::write(site.join("content/site.yaml"), "title: T\n").unwrap();
        assert_eq!(
            enclosing_site(&site.join("content")),
            Some((site.clone(), 1, true))
        );
        assert_eq!(
            enclosing_site(&site.join("themes/mine")),
            Some((site.clone(), 2, false))
        );
        assert_eq!(check(&site), Ok(()));
    }
}
