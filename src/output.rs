//! Write: the only stage that writes to disk. A build goes into a temporary sibling folder that
//! replaces the output folder only once everything succeeded, so a failed build leaves the
//! previous site untouched. Folders plainsight creates carry a marker file, and it refuses to
//! replace any other non-empty folder. One build at a time holds an output folder (an advisory
//! lock on a file beside it), and on Linux the new folder is swapped in with one atomic
//! exchange, so at every instant the output folder is one complete site.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// Marks a folder as plainsight's output, so a later build may replace it.
pub(crate) const MARKER: &str = ".plainsight-output";

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
    #[error(
        "refusing to write the site to {path}: {file} is a file, so there can be no folder in it"
    )]
    UnderAFile { path: PathBuf, file: PathBuf },
    #[error("refusing to write `{0}`: it is not a path inside the output folder")]
    Outside(String),
    #[error(
        "refusing to copy a file over `{0}`: the build already wrote that path; this is a bug in plainsight, please report it"
    )]
    Overwrite(String),
    #[error("cannot write to {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("cannot copy {from} to {to}: {source}")]
    Copy {
        from: PathBuf,
        to: PathBuf,
        source: io::Error,
    },
    #[error("cannot lock the output folder {path} (through {lock}): {source}")]
    Lock {
        path: PathBuf,
        lock: PathBuf,
        source: io::Error,
    },
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
pub(crate) fn check_target(root: &Path, output: &Path) -> Result<PathBuf, OutputError> {
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
    // `--output notes.md/site`: say so, rather than fail later on a temporary folder's name.
    if let Some(file) = out.ancestors().skip(1).find(|a| a.is_file()) {
        return Err(OutputError::UnderAFile {
            path: out.clone(),
            file: file.to_path_buf(),
        });
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
/// [`Staging::commit`]. Dropping it uncommitted removes the temporary folder. It holds the
/// output folder's lock from [`Staging::begin`] until it is dropped.
pub(crate) struct Staging {
    target: PathBuf,
    temp: PathBuf,
    committed: bool,
    /// Folders already made: creating one that exists still costs a system call, and on a slow
    /// disk every call counts (a metric's page, CSV and JSON share one folder).
    made: Mutex<HashSet<PathBuf>>,
    /// Every file written, by its [`fold`]ed path, so a copied file can never replace one the
    /// build wrote.
    written: Mutex<HashSet<String>>,
    /// The first write that failed. Once set nothing more is written: a full disk fails every
    /// later file too, and one error with its cause says it all.
    failed: OnceLock<OutputError>,
    /// Declared last: released after the temporary folder is gone (fields drop in order, after
    /// [`Drop::drop`]).
    _lock: OutputLock,
}

/// An exclusive advisory lock on an output folder, held through a file beside it
/// (`.NAME.plainsight-lock`): two builds into one output would otherwise share the temporary
/// folder and swap each other's half-written sites in. The kernel releases it when the
/// process ends, however it ends. The holder removes the file before letting go, so a build
/// that opened it meanwhile finds the lock it got is stale and takes it again.
struct OutputLock {
    path: PathBuf,
    /// Holds the lock while open.
    #[allow(dead_code)]
    file: fs::File,
}

impl OutputLock {
    /// Take the lock, calling `waiting` first if another build holds it.
    fn take(target: &Path, waiting: &dyn Fn(&Path)) -> Result<OutputLock, OutputError> {
        let path = sibling(target, "plainsight-lock");
        let fail = |source| OutputError::Lock {
            path: target.to_path_buf(),
            lock: path.clone(),
            source,
        };
        let mut told = false;
        loop {
            let file = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(fail)?;
            if !flock::try_exclusive(&file).map_err(fail)? {
                if !told {
                    waiting(target);
                    told = true;
                }
                flock::exclusive(&file).map_err(fail)?;
            }
            if flock::is_at(&file, &path) {
                return Ok(OutputLock { path, file });
            }
            // The build we waited for removed this file as it finished: lock the new one.
        }
    }
}

/// Advisory locks on whole files (`flock`), released when the file is closed.
#[cfg(unix)]
mod flock {
    use std::fs;
    use std::io;
    use std::path::Path;

    use rustix::fs::{FlockOperation, flock};
    use rustix::io::Errno;

    /// Whether the lock was free (and is now held).
    pub(super) fn try_exclusive(file: &fs::File) -> io::Result<bool> {
        match flock(file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => Ok(true),
            Err(Errno::WOULDBLOCK) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    pub(super) fn exclusive(file: &fs::File) -> io::Result<()> {
        loop {
            match flock(file, FlockOperation::LockExclusive) {
                Err(Errno::INTR) => continue,
                other => return other.map_err(Into::into),
            }
        }
    }

    /// Whether `file` is still the file at `path`.
    pub(super) fn is_at(file: &fs::File, path: &Path) -> bool {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
}

/// Elsewhere builds are not locked against each other: run one build per output at a time.
#[cfg(not(unix))]
mod flock {
    use std::{fs, io, path::Path};

    pub(super) fn try_exclusive(_: &fs::File) -> io::Result<bool> {
        Ok(true)
    }
    pub(super) fn exclusive(_: &fs::File) -> io::Result<()> {
        Ok(())
    }
    pub(super) fn is_at(_: &fs::File, _: &Path) -> bool {
        true
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Still holding the lock: whoever opens the path next makes a new file.
        let _ = fs::remove_file(&self.path);
    }
}

/// Test hook, honoured only in debug builds (the integration tests run one): abort the process
/// at the named point of a build, as a kill there would, when `PLAINSIGHT_TEST_ABORT` names it.
fn abort_at(point: &str) {
    if cfg!(debug_assertions)
        && std::env::var_os("PLAINSIGHT_TEST_ABORT").is_some_and(|p| p == point)
    {
        std::process::abort();
    }
}

/// Test hook, honoured only in debug builds: with `PLAINSIGHT_TEST_HOLD` set to a path, a build
/// that has taken the output's lock creates that file and waits until it is removed, so a test
/// can start a second build while the first holds the lock.
fn hold_if_asked() {
    if !cfg!(debug_assertions) {
        return;
    }
    if let Some(flag) = std::env::var_os("PLAINSIGHT_TEST_HOLD") {
        let flag = PathBuf::from(flag);
        if fs::write(&flag, b"").is_ok() {
            while flag.exists() {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }
    }
}

/// Put `new` in `target`'s place and `target` (a folder that exists) in `new`'s, in one step.
/// `Ok(false)` when the platform or file system cannot; the caller then renames twice.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(new: &Path, target: &Path) -> io::Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    if cfg!(debug_assertions) && std::env::var_os("PLAINSIGHT_TEST_NO_EXCHANGE").is_some() {
        return Ok(false);
    }
    match renameat_with(CWD, new, CWD, target, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        // Kernels before 3.15, and file systems without RENAME_EXCHANGE (some FUSE and network
        // ones), or a sandbox that filters the call.
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP | Errno::PERM) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Elsewhere the swap is two renames; a kill between them leaves the old output as
/// `.NAME.plainsight-old`, which the next build puts back first.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_new: &Path, _target: &Path) -> io::Result<bool> {
    Ok(false)
}

fn sibling(target: &Path, suffix: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.{suffix}"))
}

impl Staging {
    /// Check the output folder, wait for any other build of it (calling `waiting` first), and
    /// clean up after a build that was killed.
    pub(crate) fn begin(
        root: &Path,
        output: &Path,
        waiting: &dyn Fn(&Path),
    ) -> Result<Staging, OutputError> {
        // Refuse a bad output before making anything beside it, then again once it is ours: the
        // build that held it may have changed it.
        let target = check_target(root, output)?;
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        let lock = OutputLock::take(&target, waiting)?;
        let target = check_target(root, output)?;
        hold_if_asked();
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
            failed: OnceLock::new(),
            _lock: lock,
        })
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
        if let Some(parent) = path.parent()
            && !self.made.lock().is_ok_and(|s| s.contains(parent))
        {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
            if let Ok(mut set) = self.made.lock() {
                set.insert(parent.to_path_buf());
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
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.dest(rel)?;
        self.record(rel);
        fs::write(&path, bytes).map_err(io_err(&path))
    }

    /// Write a copied file: `bytes`, never over a file already written.
    pub(crate) fn add(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let (mut out, path) = self.create_new(rel)?;
        io::Write::write_all(&mut out, bytes).map_err(io_err(&path))
    }

    /// Copy the file `from` to `rel`, never over a file already written.
    pub(crate) fn copy(&self, rel: &str, from: &Path) -> Result<(), OutputError> {
        let (mut out, path) = self.create_new(rel)?;
        let copy_err = |source| OutputError::Copy {
            from: from.to_path_buf(),
            to: path.clone(),
            source,
        };
        let mut src = fs::File::open(from).map_err(copy_err)?;
        io::copy(&mut src, &mut out).map(|_| ()).map_err(copy_err)
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

    /// Keep the first failure of `result`; later ones are echoes of it.
    pub(crate) fn keep_first_error(&self, result: Result<(), OutputError>) {
        if let Err(e) = result {
            let _ = self.failed.set(e);
        }
    }

    /// Whether a write failed: nothing more is written, and the build cannot succeed.
    pub(crate) fn has_failed(&self) -> bool {
        self.failed.get().is_some()
    }

    /// The first write that failed, if one did.
    pub(crate) fn take_error(&mut self) -> Option<OutputError> {
        self.failed.take()
    }

    /// Mark the new output as ours and swap it in for the old one.
    pub(crate) fn commit(mut self) -> Result<PathBuf, OutputError> {
        if let Some(e) = self.take_error() {
            return Err(e);
        }
        self.write(
            MARKER,
            b"This folder is written by plainsight build and replaced whole on every build.\n",
        )?;
        abort_at("before-swap");
        if self.target.exists()
            && exchange(&self.temp, &self.target).map_err(io_err(&self.target))?
        {
            // The old output is now in the temporary folder's place; the new one was
            // published in a single step.
            self.committed = true;
            abort_at("after-exchange");
            // The new site is published: a copy of the old one left behind is not a failed
            // build (so not "left as it was"), and the next build removes it.
            let _ = fs::remove_dir_all(&self.temp);
            return Ok(self.target.clone());
        }
        self.swap_by_renames()?;
        Ok(self.target.clone())
    }

    /// The swap where no atomic exchange is to be had: between the two renames there is no
    /// output folder, and a kill there leaves the old one as `.NAME.plainsight-old`, which
    /// [`Staging::begin`] puts back.
    fn swap_by_renames(&mut self) -> Result<(), OutputError> {
        let old = sibling(&self.target, "plainsight-old");
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old).map_err(io_err(&self.target))?;
            abort_at("between-renames");
        }
        if let Err(e) = fs::rename(&self.temp, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(io_err(&self.target)(e));
        }
        self.committed = true;
        if had_old {
            // As after an exchange: published, and the next build removes what is left.
            let _ = fs::remove_dir_all(&old);
        }
        Ok(())
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
        let s = Staging::begin(root, &out, &|_| {}).unwrap();
        s.write("a/index.html", b"one").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"one");

        let s = Staging::begin(root, &out, &|_| {}).unwrap();
        s.write("a/index.html", b"two").unwrap();
        drop(s);
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"one");
        assert!(!sibling(&out, "plainsight-tmp").exists());

        let s = Staging::begin(root, &out, &|_| {}).unwrap();
        s.write("b/index.html", b"three").unwrap();
        s.commit().unwrap();
        assert!(!out.join("a").exists());
        assert!(out.join(MARKER).is_file());
    }

    #[test]
    fn nothing_is_written_outside_the_staging_folder() {
        let dir = tempfile::tempdir().unwrap();
        let s = Staging::begin(dir.path(), &dir.path().join("public"), &|_| {}).unwrap();
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
        let s = Staging::begin(dir.path(), &dir.path().join("public"), &|_| {}).unwrap();
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
        let s = Staging::begin(dir.path(), &out, &|_| {}).unwrap();
        s.write("index.html", b"published").unwrap();
        s.commit().unwrap();

        let old = sibling(&out, "plainsight-old");
        fs::rename(&out, &old).unwrap();
        let s = Staging::begin(dir.path(), &out, &|_| {}).unwrap();
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"published");
        assert!(!old.exists());
        drop(s);

        // Killed after the swap, before the old copy was removed.
        fs::create_dir_all(old.join("stale")).unwrap();
        let s = Staging::begin(dir.path(), &out, &|_| {}).unwrap();
        assert!(!old.exists());
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"published");
        drop(s);
    }

    /// A second build of the same output waits for the first, says so once, and then sees the
    /// lock file the first removed replaced by its own.
    #[test]
    fn a_second_staging_waits_for_the_first() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = Staging::begin(dir.path(), &out, &|_| panic!("nothing to wait for")).unwrap();
        first.write("index.html", b"first").unwrap();
        let waited = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let second = scope.spawn(|| {
                let s = Staging::begin(dir.path(), &out, &|o| {
                    assert_eq!(o, out.as_path());
                    waited.fetch_add(1, Ordering::SeqCst);
                })
                .unwrap();
                s.write("index.html", b"second").unwrap();
                s.commit().unwrap();
            });
            while waited.load(Ordering::SeqCst) == 0 {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            first.commit().unwrap();
            second.join().unwrap();
        });
        assert_eq!(waited.load(Ordering::SeqCst), 1);
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"second");
        assert!(!sibling(&out, "plainsight-lock").exists());
    }

    /// After one failed write the staging keeps that error alone and writes nothing more, and
    /// it cannot be committed.
    #[test]
    fn the_first_write_error_is_kept_and_stops_the_rest() {
        use crate::pipeline::Sink;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let s = Staging::begin(dir.path(), &out, &|_| {}).unwrap();
        // A file where a folder must go makes every write under it fail.
        s.page("blocked", b"x".to_vec());
        s.page("blocked/a/index.html", b"x".to_vec());
        assert!(s.failed());
        s.page("fine/index.html", b"x".to_vec());
        assert!(!s.temp.join("fine").exists(), "wrote after a failure");
        let Err(OutputError::Io { path, .. }) = s.commit() else {
            panic!("committed after a failed write")
        };
        assert!(path.ends_with("blocked/a"), "{}", path.display());
        assert!(!out.exists());
    }

    #[test]
    fn an_output_under_a_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("notes.md"), "x").unwrap();
        let out = dir.path().join("notes.md/public");
        assert!(matches!(
            check_target(dir.path(), &out),
            Err(OutputError::UnderAFile { .. })
        ));
    }

    /// Over an existing output, the new one is exchanged in (Linux) and the old one removed.
    #[test]
    fn commit_over_an_existing_output_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        for text in [&b"one"[..], b"two"] {
            let s = Staging::begin(dir.path(), &out, &|_| {}).unwrap();
            s.write("index.html", text).unwrap();
            s.commit().unwrap();
            assert_eq!(fs::read(out.join("index.html")).unwrap(), text);
        }
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["public"]);
    }
}
