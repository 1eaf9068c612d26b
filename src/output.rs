//! Write: the only stage that writes to disk. A build goes into a temporary sibling folder that
//! replaces the output folder only once everything succeeded, so a failed build leaves the
//! previous site untouched. Folders plainsight creates carry a marker file, and it refuses to
//! replace any other non-empty folder.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Marks a folder as plainsight's output, so a later build may replace it.
pub const MARKER: &str = ".plainsight-output";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(
        "refusing to write the site to {path}: it is {what}, and the build replaces the output folder whole"
    )]
    Protected { path: PathBuf, what: &'static str },
    #[error(
        "refusing to replace {0}: it is a folder with files that plainsight did not create (no {MARKER} file in it); choose an empty or new folder with --output"
    )]
    Foreign(PathBuf),
    #[error("refusing to write the site to {0}: it is a file, not a folder")]
    NotAFolder(PathBuf),
    #[error("refusing to write `{0}`: it is not a path inside the output folder")]
    Outside(String),
    #[error(
        "refusing to copy a file over `{0}`: the build already wrote that path; this is a bug in plainsight, please report it"
    )]
    Overwrite(String),
    #[error("cannot write to {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

/// The form under which two output paths are one file on macOS or Windows disks: letter case
/// and Unicode normalisation (`é` as one character or as `e` and an accent) folded.
pub(crate) fn fold(path: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    path.nfc().collect::<String>().to_lowercase()
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// An absolute path with `.` and `..` removed, without touching the disk (the output folder
/// may not exist yet); symlinked parents are resolved where they exist.
fn normalize(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    // Resolve symlinks in the longest existing prefix.
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return out,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

/// Refuse outputs that would replace the site's own files or someone else's folder.
pub fn check_target(root: &Path, output: &Path) -> Result<PathBuf, OutputError> {
    let root = normalize(root);
    let out = normalize(output);
    let protected = [
        (root.clone(), "the site root"),
        (root.join("content"), "the content folder"),
        (root.join("themes"), "the themes folder"),
    ];
    for (p, what) in &protected {
        if &out == p || (p != &root && out.starts_with(p)) {
            return Err(OutputError::Protected { path: out, what });
        }
    }
    if root.starts_with(&out) {
        return Err(OutputError::Protected {
            path: out,
            what: "a folder that contains the site",
        });
    }
    if out.is_file() {
        return Err(OutputError::NotAFolder(out));
    }
    if out.is_dir() && !out.join(MARKER).is_file() {
        let empty = fs::read_dir(&out).map_err(io_err(&out))?.next().is_none();
        if !empty {
            return Err(OutputError::Foreign(out));
        }
    }
    Ok(out)
}

/// A build in progress: files go to a temporary sibling of the output folder until
/// [`Staging::commit`]. Dropping it uncommitted removes the temporary folder.
pub struct Staging {
    target: PathBuf,
    temp: PathBuf,
    committed: bool,
    /// Folders already made: creating one that exists still costs a system call, and on a slow
    /// disk every call counts (a metric's page, CSV and JSON share one folder).
    made: Mutex<HashSet<PathBuf>>,
    /// Every file written, by its [`fold`]ed path, so a copied file can never replace one the
    /// build wrote.
    written: Mutex<HashSet<String>>,
}

fn sibling(target: &Path, suffix: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.{suffix}"))
}

impl Staging {
    pub fn begin(root: &Path, output: &Path) -> Result<Staging, OutputError> {
        let target = check_target(root, output)?;
        let temp = sibling(&target, "plainsight-tmp");
        if temp.exists() {
            // Left by a build that was killed; it was never the published output.
            fs::remove_dir_all(&temp).map_err(io_err(&temp))?;
        }
        let old = sibling(&target, "plainsight-old");
        if old.exists() {
            if target.exists() {
                // A killed build had swapped the new output in but not yet removed the old.
                fs::remove_dir_all(&old).map_err(io_err(&old))?;
            } else {
                // Killed between the two renames of a swap: the old output is the published one.
                fs::rename(&old, &target).map_err(io_err(&old))?;
            }
        }
        fs::create_dir_all(&temp).map_err(io_err(&temp))?;
        Ok(Staging {
            target,
            temp,
            committed: false,
            made: Mutex::new(HashSet::new()),
            written: Mutex::new(HashSet::new()),
        })
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    fn dest(&self, rel: &str) -> Result<PathBuf, OutputError> {
        // Output paths are made from checked ids and paths; this is the last line of defence.
        let inside = !rel.is_empty()
            && Path::new(rel)
                .components()
                .all(|c| matches!(c, Component::Normal(_)));
        if !inside {
            return Err(OutputError::Outside(rel.to_string()));
        }
        let path = self.temp.join(rel);
        if let Some(parent) = path.parent() {
            if !self.made.lock().is_ok_and(|s| s.contains(parent)) {
                fs::create_dir_all(parent).map_err(io_err(parent))?;
                if let Ok(mut set) = self.made.lock() {
                    set.insert(parent.to_path_buf());
                }
            }
        }
        Ok(path)
    }

    /// Record `rel` as written; false if it already was, in any letter case or Unicode form.
    fn record(&self, rel: &str) -> bool {
        self.written
            .lock()
            .map_or(true, |mut set| set.insert(fold(rel)))
    }

    /// Write a page or a file the build made.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.dest(rel)?;
        self.record(rel);
        fs::write(&path, bytes).map_err(io_err(&path))
    }

    /// Write a copied file: `bytes`, never over a file already written.
    pub fn add(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let (mut out, path) = self.create_new(rel)?;
        io::Write::write_all(&mut out, bytes).map_err(io_err(&path))
    }

    /// Copy the file `from` to `rel`, never over a file already written.
    pub fn copy(&self, rel: &str, from: &Path) -> Result<(), OutputError> {
        let (mut out, path) = self.create_new(rel)?;
        let mut src = fs::File::open(from).map_err(io_err(from))?;
        io::copy(&mut src, &mut out)
            .map(|_| ())
            .map_err(io_err(&path))
    }

    /// A new, empty file at `rel`. Resolve refuses content that would land on a file the build
    /// writes itself; this is the last line of defence, so such a copy is a program error
    /// rather than a silent replacement.
    fn create_new(&self, rel: &str) -> Result<(fs::File, PathBuf), OutputError> {
        let path = self.dest(rel)?;
        if !self.record(rel) {
            return Err(OutputError::Overwrite(rel.to_string()));
        }
        // `create_new` also refuses what the disk itself folds together (letter case on macOS).
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => Ok((f, path)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                Err(OutputError::Overwrite(rel.to_string()))
            }
            Err(e) => Err(io_err(&path)(e)),
        }
    }

    /// Mark the new output as ours and swap it in for the old one.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        self.write(
            MARKER,
            b"This folder is written by plainsight build and replaced whole on every build.\n",
        )?;
        let old = sibling(&self.target, "plainsight-old");
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old).map_err(io_err(&self.target))?;
        }
        if let Err(e) = fs::rename(&self.temp, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(io_err(&self.target)(e));
        }
        self.committed = true;
        if had_old {
            fs::remove_dir_all(&old).map_err(io_err(&old))?;
        }
        Ok(self.target.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_the_site_and_foreign_folders() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("content")).unwrap();
        assert!(matches!(
            check_target(root, root),
            Err(OutputError::Protected { .. })
        ));
        assert!(matches!(
            check_target(root, &root.join("content")),
            Err(OutputError::Protected { .. })
        ));
        assert!(matches!(
            check_target(root, &root.join("content/x")),
            Err(OutputError::Protected { .. })
        ));
        assert!(matches!(
            check_target(root, &root.join("themes")),
            Err(OutputError::Protected { .. })
        ));
        assert!(matches!(
            check_target(root, &root.join("public/..")),
            Err(OutputError::Protected { .. })
        ));
        fs::create_dir_all(root.join("docs")).unwrap();
        fs::write(root.join("docs/keep.txt"), "mine").unwrap();
        assert!(matches!(
            check_target(root, &root.join("docs")),
            Err(OutputError::Foreign(_))
        ));
        assert!(check_target(root, &root.join("public")).is_ok());
    }

    #[test]
    fn commit_swaps_and_drop_discards() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let out = root.join("public");
        let s = Staging::begin(root, &out).unwrap();
        s.write("a/index.html", b"one").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"one");

        let s = Staging::begin(root, &out).unwrap();
        s.write("a/index.html", b"two").unwrap();
        drop(s);
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"one");
        assert!(!sibling(&out, "plainsight-tmp").exists());

        let s = Staging::begin(root, &out).unwrap();
        s.write("b/index.html", b"three").unwrap();
        s.commit().unwrap();
        assert!(!out.join("a").exists());
        assert!(out.join(MARKER).is_file());
    }

    #[test]
    fn nothing_is_written_outside_the_staging_folder() {
        let dir = tempfile::tempdir().unwrap();
        let s = Staging::begin(dir.path(), &dir.path().join("public")).unwrap();
        for rel in ["../escape.html", "/etc/x", "a/../../b", "", "./a"] {
            assert!(
                matches!(s.write(rel, b"x"), Err(OutputError::Outside(_))),
                "{rel}"
            );
        }
        assert!(!dir.path().join("escape.html").exists());
        s.write("a/b.html", b"x").unwrap();
    }

    /// A copied file never replaces one the build wrote, in any letter case, nor another copy.
    #[test]
    fn copies_never_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("evil.js");
        fs::write(&src, "evil").unwrap();
        let s = Staging::begin(dir.path(), &dir.path().join("public")).unwrap();
        s.write("pagefind/pagefind.js", b"runtime").unwrap();
        for rel in ["pagefind/pagefind.js", "PageFind/Pagefind.js"] {
            assert!(
                matches!(s.copy(rel, &src), Err(OutputError::Overwrite(_))),
                "{rel}"
            );
            assert!(
                matches!(s.add(rel, b"evil"), Err(OutputError::Overwrite(_))),
                "{rel}"
            );
        }
        assert_eq!(
            fs::read(s.temp.join("pagefind/pagefind.js")).unwrap(),
            b"runtime"
        );
        s.copy("a/Data.csv", &src).unwrap();
        assert!(matches!(
            s.copy("a/data.csv", &src),
            Err(OutputError::Overwrite(_))
        ));
        s.add("static/x.css", b"x").unwrap();
        assert!(matches!(
            s.add("static/x.css", b"y"),
            Err(OutputError::Overwrite(_))
        ));
        assert_eq!(fs::read(s.temp.join("a/Data.csv")).unwrap(), b"evil");
    }

    /// A build killed between the two renames of the swap left only `.public.plainsight-old`:
    /// the next build puts it back before anything else, so it stays published if that build
    /// fails too.
    #[test]
    fn a_swap_cut_short_is_undone_by_the_next_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let s = Staging::begin(dir.path(), &out).unwrap();
        s.write("index.html", b"published").unwrap();
        s.commit().unwrap();

        let old = sibling(&out, "plainsight-old");
        fs::rename(&out, &old).unwrap();
        let s = Staging::begin(dir.path(), &out).unwrap();
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"published");
        assert!(!old.exists());
        drop(s);

        // Killed after the swap, before the old copy was removed.
        fs::create_dir_all(old.join("stale")).unwrap();
        let s = Staging::begin(dir.path(), &out).unwrap();
        assert!(!old.exists());
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"published");
        drop(s);
    }
}
