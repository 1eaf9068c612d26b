//! Located diagnostics: the one shape every content problem takes, collected across a build and
//! printed together (codespan-reporting, ASCII style), sorted by file and line.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::OnceLock;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::{self, Files};
use codespan_reporting::term::{self, Chars, Config};

use crate::text::printable;

/// Index of a file in [`SourceFiles`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub(crate) u32);

/// One file read by the build: its path relative to the site root (always `/`-separated, so
/// messages read the same on every platform) and its full text, front matter included.
#[derive(Debug)]
pub(crate) struct SourceFile {
    pub(crate) path: String,
    text: Text,
    /// Where each line starts (the first after a byte-order mark), worked out the first time a
    /// diagnostic needs it, so that reporting many problems in one file stays linear.
    line_starts: OnceLock<Vec<usize>>,
    /// The text as a terminal may show it, when it holds characters a terminal must not get;
    /// worked out once, like `line_starts`.
    printable: OnceLock<Option<Printable>>,
}

/// A file's text: held, or left on disk once loaded. A document that loads without a problem
/// is needed again only to render its body, so its text is read again then rather than held
/// by every document at once (the largest part of a build's memory).
#[derive(Debug)]
pub(crate) enum Text {
    Held(String),
    OnDisk {
        /// Where to read it again.
        disk: std::path::PathBuf,
        /// Of the text as loaded (xxh3), to tell whether the file changed since.
        digest: u64,
        /// Its length as loaded.
        len: usize,
        /// Read again for a diagnostic, which needs it more than once.
        again: OnceLock<String>,
    },
}

impl Text {
    /// The text as loaded, or the reason it cannot be had again.
    fn read_again(disk: &std::path::Path, digest: u64) -> Result<String, String> {
        let changed = || "it changed while the site was being built; build again".to_string();
        let bytes = crate::content::read_regular(disk).map_err(|e| e.to_string())?;
        if xxhash_rust::xxh3::xxh3_64(&bytes) != digest {
            return Err(changed());
        }
        String::from_utf8(bytes).map_err(|_| changed())
    }

    fn get(&self) -> &str {
        match self {
            Text::Held(text) => text,
            Text::OnDisk {
                disk,
                digest,
                len,
                again,
            } => again.get_or_init(|| {
                // Changed since it was loaded: spaces stand in, so that every offset found
                // in the text as loaded is still inside it (and a character boundary).
                Text::read_again(disk, *digest).unwrap_or_else(|_| " ".repeat(*len))
            }),
        }
    }
}

/// A file's text with each character a terminal must not receive (a control character other
/// than tab and line feed, a directional formatting character) written out as `\u{1b}`, and
/// how offsets move: snippets quote content, and an ESC in a file must not clear the screen of
/// whoever reads the report. A carriage return before a line feed is kept (the snippet ends
/// there); a lone one would move the cursor back over what was printed, so it is escaped.
#[derive(Debug)]
struct Printable {
    text: String,
    /// For each character replaced: where it ends in the true text, and where its replacement
    /// ends in `text`.
    marks: Vec<(usize, usize)>,
}

impl Printable {
    fn of(text: &str) -> Option<Printable> {
        let hide = |(i, c): (usize, char)| {
            if c == '\r' {
                !text[i + 1..].starts_with('\n')
            } else {
                crate::text::is_unprintable(c, true)
            }
        };
        if !text.char_indices().any(hide) {
            return None;
        }
        let mut out = Printable {
            text: String::with_capacity(text.len() + 64),
            marks: Vec::new(),
        };
        for (i, c) in text.char_indices() {
            if hide((i, c)) {
                out.text.push_str(&crate::text::escaped(c));
                out.marks.push((i + c.len_utf8(), out.text.len()));
            } else {
                out.text.push(c);
            }
        }
        Some(out)
    }

    /// Where true offset `at` (a character boundary) is in the printable text.
    fn shown(&self, at: usize) -> usize {
        match self.marks.partition_point(|&(t, _)| t <= at) {
            0 => at,
            n => {
                let (t, s) = self.marks[n - 1];
                s + (at - t)
            }
        }
    }

    /// The true offset of printable offset `at`.
    fn truth(&self, at: usize) -> usize {
        match self.marks.partition_point(|&(_, s)| s <= at) {
            0 => at,
            n => {
                let (t, s) = self.marks[n - 1];
                t + (at - s)
            }
        }
    }
}

impl SourceFile {
    fn printable(&self) -> Option<&Printable> {
        self.printable
            .get_or_init(|| Printable::of(self.text.get()))
            .as_ref()
    }

    /// Offset `at` of the true text in the text as shown.
    fn shown_at(&self, at: usize) -> usize {
        self.printable().map_or(at, |p| p.shown(at))
    }

    /// Offset `at` of the text as shown in the true text.
    fn true_at(&self, at: usize) -> usize {
        self.printable().map_or(at, |p| p.truth(at))
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(bom_len(self.text.get()))
                .chain(self.text.get().match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// 0-based index of the line holding `offset`.
    fn line_index(&self, offset: usize) -> usize {
        self.line_starts()
            .partition_point(|&start| start <= offset)
            .saturating_sub(1)
    }

    /// The bytes of line `index`, its line break included.
    fn line_range(&self, index: usize) -> Option<Range<usize>> {
        let starts = self.line_starts();
        let start = *starts.get(index)?;
        Some(
            start
                ..starts
                    .get(index + 1)
                    .copied()
                    .unwrap_or(self.text.get().len()),
        )
    }
}

/// Every file the build has read, addressed by [`FileId`]. Spans in diagnostics are byte ranges
/// into these texts; lines and columns are computed only when a diagnostic is printed.
#[derive(Debug, Default)]
pub struct SourceFiles {
    files: Vec<SourceFile>,
}

impl SourceFiles {
    pub(crate) fn add(&mut self, path: impl Into<String>, text: impl Into<String>) -> FileId {
        self.add_text(path, Text::Held(text.into()))
    }

    /// Add a file whose text may be left on disk.
    pub(crate) fn add_text(&mut self, path: impl Into<String>, text: Text) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).expect("fewer than 2^32 files"));
        self.files.push(SourceFile {
            path: path.into(),
            text,
            line_starts: OnceLock::new(),
            printable: OnceLock::new(),
        });
        id
    }

    /// Give a file new text (it was read again); its id and path stay.
    pub(crate) fn replace(&mut self, id: FileId, text: Text) {
        let file = &mut self.files[id.0 as usize];
        file.text = text;
        file.line_starts = OnceLock::new();
        file.printable = OnceLock::new();
    }

    pub(crate) fn len(&self) -> usize {
        self.files.len()
    }

    pub(crate) fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn path(&self, id: FileId) -> &str {
        &self.get(id).path
    }

    /// A file's text (read again and kept, if it was left on disk: for diagnostics and the
    /// like, not for every document).
    pub fn text(&self, id: FileId) -> &str {
        self.get(id).text.get()
    }

    /// A file's text as loaded, read again without keeping it if it was left on disk; an error
    /// if the file changed since it was loaded.
    pub(crate) fn read(&self, id: FileId) -> Result<Cow<'_, str>, Diagnostic> {
        let file = self.get(id);
        match &file.text {
            Text::Held(text) => Ok(Cow::Borrowed(text)),
            Text::OnDisk { again, .. } if again.get().is_some() => {
                Ok(Cow::Borrowed(file.text.get()))
            }
            Text::OnDisk { disk, digest, .. } => Text::read_again(disk, *digest)
                .map(Cow::Owned)
                .map_err(|why| {
                    Diagnostic::error(format!(
                        "cannot read {} again: {why}",
                        printable(&file.path)
                    ))
                }),
        }
    }

    /// 1-based line and column (in characters) of a byte offset. A byte-order mark is not a
    /// column: editors do not show it.
    pub(crate) fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        let file = self.get(id);
        let text = file.text.get();
        let offset = offset.min(text.len());
        let line = file.line_index(offset);
        let line_start = file.line_starts()[line].min(offset);
        let col = text[line_start..offset].chars().count() + 1;
        (line + 1, col)
    }

    /// `span` moved off a byte-order mark at the start of the file, which is not shown.
    fn shown(&self, id: FileId, span: &Range<usize>) -> Range<usize> {
        let bom = bom_len(self.text(id));
        span.start.max(bom)..span.end.max(bom)
    }
}

/// Bytes of a byte-order mark at the start of `text` (0 or 3).
pub(crate) fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// Problems printed per file: past this many, the rest are counted, not shown (clang stops at
/// 20 errors in all); they are usually one mistake repeated, and the count says how many.
const MOST_SHOWN_PER_FILE: usize = 100;

/// Longest line a snippet shows whole, in bytes; a longer one shows a window around the
/// problem, so a problem in a 5 MB paragraph prints a few lines, not the paragraph.
const LONGEST_SHOWN_LINE: usize = 240;
/// Bytes kept either side of a problem on a long line (fewer if a character straddles).
const CONTEXT: usize = 60;

/// The files as one diagnostic shows them: long lines cut to a window around its labels.
/// Columns in `file:line:col` stay those of the whole line.
struct Shown<'a> {
    sources: &'a SourceFiles,
    windows: BTreeMap<(FileId, usize), Range<usize>>,
}

impl<'a> Shown<'a> {
    /// Windows for the long lines `labels` are on, and the labels moved inside them.
    fn new(sources: &'a SourceFiles, labels: &mut [(FileId, Range<usize>)]) -> Self {
        let mut shown = Shown {
            sources,
            windows: BTreeMap::new(),
        };
        for (file, span) in labels.iter() {
            let end = span.end.min(span.start + LONGEST_SHOWN_LINE / 2);
            shown.widen(
                *file,
                span.start.saturating_sub(CONTEXT)..end + CONTEXT,
                span.start,
            );
            if span.end > end {
                shown.widen(*file, span.end.saturating_sub(CONTEXT)..span.end, span.end);
            }
        }
        for (file, span) in labels.iter_mut() {
            let f = sources.get(*file);
            let clip = |at: usize| match shown.windows.get(&(*file, f.line_index(at))) {
                Some(w) => at.clamp(w.start, w.end),
                None => at,
            };
            let start = clip(span.start);
            *span = start..clip(span.end).max(start);
        }
        shown
    }

    /// Show `want` (clipped to its line and to characters) of the line holding `at`, if that
    /// line is long.
    fn widen(&mut self, file: FileId, want: Range<usize>, at: usize) {
        let f = self.sources.get(file);
        let index = f.line_index(at);
        let Some(line) = f.line_range(index) else {
            return;
        };
        if line.len() <= LONGEST_SHOWN_LINE {
            return;
        }
        let floor = |mut i: usize| {
            i = i.clamp(line.start, line.end);
            while !f.text.get().is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let want = floor(want.start)..floor(want.end);
        let w = self.windows.entry((file, index)).or_insert(want.clone());
        *w = w.start.min(want.start)..w.end.max(want.end);
    }
}

impl<'a> Files<'a> for Shown<'a> {
    type FileId = FileId;
    type Name = Cow<'a, str>;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<Cow<'a, str>, files::Error> {
        Ok(crate::text::printable_name(self.sources.path(id)))
    }

    // What codespan is given is the text as a terminal may show it (see `Printable`); offsets
    // it hands back are turned into true ones, so lines and columns are those of the file.
    fn source(&'a self, id: FileId) -> Result<&'a str, files::Error> {
        let f = self.sources.get(id);
        Ok(f.printable().map_or(f.text.get(), |p| p.text.as_str()))
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, files::Error> {
        let f = self.sources.get(id);
        Ok(f.line_index(f.true_at(byte_index)))
    }

    fn column_number(
        &'a self,
        id: FileId,
        _line_index: usize,
        byte_index: usize,
    ) -> Result<usize, files::Error> {
        let at = self.sources.get(id).true_at(byte_index);
        Ok(self.sources.line_col(id, at).1)
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, files::Error> {
        let f = self.sources.get(id);
        self.true_line_range(id, line_index)
            .map(|r| f.shown_at(r.start)..f.shown_at(r.end))
    }
}

impl Shown<'_> {
    /// The part of line `line_index` that is shown, as offsets into the true text.
    fn true_line_range(&self, id: FileId, line_index: usize) -> Result<Range<usize>, files::Error> {
        if let Some(w) = self.windows.get(&(id, line_index)) {
            return Ok(w.clone());
        }
        let f = self.sources.get(id);
        let line = f.line_range(line_index).ok_or(files::Error::LineTooLarge {
            given: line_index,
            max: f.line_starts().len().saturating_sub(1),
        })?;
        // A long line around the problem's lines, with nothing on it: its start.
        let mut end = line.end.min(line.start + LONGEST_SHOWN_LINE);
        while !f.text.get().is_char_boundary(end) {
            end -= 1;
        }
        Ok(line.start..end)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    /// Worth knowing, never a failure, and not made an error by `--strict` (a link that moved).
    Note,
}

/// Where a problem is: a byte range in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: FileId,
    pub span: Range<usize>,
}

impl Location {
    pub(crate) fn new(file: FileId, span: Range<usize>) -> Self {
        Location { file, span }
    }
}

/// One problem: what is wrong (`message`), where (`location`), and what to do (`help`, printed
/// under the caret); `related` places are shown too (e.g. where a duplicate id was first used).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub location: Option<Location>,
    pub(crate) help: String,
    pub(crate) related: Vec<(Location, String)>,
}

impl Diagnostic {
    pub(crate) fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            help: String::new(),
            related: Vec::new(),
        }
    }

    pub(crate) fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub(crate) fn note(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(message)
        }
    }

    pub(crate) fn at(mut self, file: FileId, span: Range<usize>) -> Self {
        self.location = Some(Location::new(file, span));
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }

    /// Show another place that bears on the problem, with a short label.
    pub(crate) fn also(
        mut self,
        file: FileId,
        span: Range<usize>,
        label: impl Into<String>,
    ) -> Self {
        self.related.push((Location::new(file, span), label.into()));
        self
    }
}

/// All diagnostics of a run, in the order found; [`Diagnostics::render`] sorts them.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    strict: bool,
}

impl Diagnostics {
    pub(crate) fn push(&mut self, mut d: Diagnostic) {
        if self.strict && d.severity == Severity::Warning {
            d.severity = Severity::Error;
        }
        self.items.push(d);
    }

    pub(crate) fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        for d in ds {
            self.push(d);
        }
    }

    /// `--strict`: every warning, found so far or later, is an error.
    pub(crate) fn make_strict(&mut self) {
        self.strict = true;
        for d in &mut self.items {
            if d.severity == Severity::Warning {
                d.severity = Severity::Error;
            }
        }
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub(crate) fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorted by file path, then position, then message, so output is stable whatever order
    /// parallel stages found them in.
    pub(crate) fn sorted<'a>(&'a self, sources: &'a SourceFiles) -> Vec<&'a Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            let key = |d: &'a Diagnostic| {
                (
                    d.location.as_ref().map(|l| sources.path(l.file)),
                    d.location.as_ref().map(|l| l.span.start),
                    d.severity,
                    &d.message,
                )
            };
            key(a).cmp(&key(b))
        });
        v.dedup();
        v
    }

    /// Every diagnostic in the shape `error: …\n  --> file:line:col\n …`, then the summary line.
    pub fn render(&self, sources: &SourceFiles) -> String {
        let config = Config {
            chars: Chars::ascii(),
            ..Config::default()
        };
        let mut out = String::new();
        // Problems not shown, by file path, after the first few in that file.
        let mut hidden: BTreeMap<&str, usize> = BTreeMap::new();
        let mut shown_in_file = (None, 0);
        for d in self.sorted(sources) {
            let file = d.location.as_ref().map(|l| l.file);
            if shown_in_file.0 != file {
                shown_in_file = (file, 0);
            }
            if let Some(f) = file {
                if shown_in_file.1 == MOST_SHOWN_PER_FILE {
                    *hidden.entry(sources.path(f)).or_default() += 1;
                    continue;
                }
                shown_in_file.1 += 1;
            }
            let mut labels: Vec<(FileId, Range<usize>)> = d
                .location
                .iter()
                .chain(d.related.iter().map(|(l, _)| l))
                .map(|l| (l.file, sources.shown(l.file, &l.span)))
                .collect();
            let files = Shown::new(sources, &mut labels);
            let mut labels = labels.into_iter().map(|(file, span)| {
                let f = sources.get(file);
                (file, f.shown_at(span.start)..f.shown_at(span.end))
            });
            let cs = match d.severity {
                Severity::Error => CsDiagnostic::error(),
                Severity::Warning => CsDiagnostic::warning(),
                Severity::Note => CsDiagnostic::note(),
            }
            .with_message(printable(&d.message));
            let primary = d.location.as_ref().and_then(|_| labels.next());
            let cs = match primary {
                Some((file, span)) => {
                    let primary = Label::primary(file, span).with_message(printable(&d.help));
                    let related = labels.zip(&d.related).map(|((file, span), (_, m))| {
                        Label::secondary(file, span).with_message(printable(m))
                    });
                    cs.with_labels(std::iter::once(primary).chain(related).collect())
                }
                None if d.help.is_empty() => cs,
                None => cs.with_notes(vec![printable(&d.help).into_owned()]),
            };
            match term::emit_into_string(&config, &files, &cs) {
                // codespan ends each diagnostic with a blank line.
                Ok(s) => out.push_str(&s),
                // A span past the end of its file is a bug of ours; still say what was wrong.
                Err(_) => {
                    let message = printable(&d.message);
                    let _ = writeln!(out, "{}: {message}\n", severity_word(d.severity));
                }
            }
        }
        for (path, n) in hidden {
            let path = crate::text::printable_name(path);
            let _ = writeln!(
                out,
                "note: {n} more {} in {path} not shown; fix the first {MOST_SHOWN_PER_FILE} and check again\n",
                if n == 1 { "problem" } else { "problems" },
            );
        }
        if let Some(summary) = self.summary(sources) {
            out.push_str(&summary);
            out.push('\n');
        }
        out
    }

    /// "2 errors, 1 warning in 3 files", or `None` when there is nothing to report.
    pub(crate) fn summary(&self, sources: &SourceFiles) -> Option<String> {
        let errors = self.count(Severity::Error);
        let warnings = self.count(Severity::Warning);
        if errors + warnings == 0 {
            return None;
        }
        let mut files: Vec<&str> = self
            .items
            .iter()
            .filter(|d| d.severity != Severity::Note)
            .filter_map(|d| d.location.as_ref().map(|l| sources.path(l.file)))
            .collect();
        files.sort_unstable();
        files.dedup();
        let mut parts = Vec::new();
        if errors > 0 {
            parts.push(plural(errors, "error"));
        }
        if warnings > 0 {
            parts.push(plural(warnings, "warning"));
        }
        let mut s = parts.join(", ");
        if !files.is_empty() {
            let _ = write!(s, " in {}", plural(files.len(), "file"));
        }
        Some(s)
    }
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// "1 error", "2 errors".
pub(crate) fn plural(n: usize, word: &str) -> String {
    plural_of(n, word, &format!("{word}s"))
}

/// "1 priority", "2 priorities".
pub(crate) fn plural_of(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Known names for a help text, each in backticks: up to ten, then "and N more".
pub(crate) fn known_list(names: &[&str]) -> String {
    const SHOWN: usize = 10;
    let mut list: Vec<String> = names.iter().take(SHOWN).map(|n| format!("`{n}`")).collect();
    if names.len() > SHOWN {
        list.push(format!("and {} more", names.len() - SHOWN));
    }
    list.join(", ")
}

/// The help that offers a near name found by [`suggest`].
pub(crate) fn did_you_mean(candidate: &str) -> String {
    format!("did you mean `{candidate}`?")
}

/// The closest of `candidates` to a misspelt `word`, if any is close enough to be a useful hint:
/// a typo or transposition away (`ned` -> `end`), or alike by Jaro-Winkler (`sumary` -> `summary`).
pub(crate) fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let len = word.chars().count();
    let max_edits = if len <= 4 { 1 } else { 2 };
    // Jaro-Winkler alone rewards long shared prefixes (`../reports/nope.md` is not
    // `../reports/2024-01-10-one.md`), so its matches must also be within a third of the word.
    let close = |c: &str| {
        let edits = strsim::damerau_levenshtein(word, c);
        edits <= max_edits || (strsim::jaro_winkler(word, c) > 0.85 && edits <= len / 3)
    };
    candidates.into_iter().filter(|c| close(c)).min_by(|a, b| {
        strsim::damerau_levenshtein(word, a)
            .cmp(&strsim::damerau_levenshtein(word, b))
            .then_with(|| strsim::jaro_winkler(word, b).total_cmp(&strsim::jaro_winkler(word, a)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_left_on_disk_is_read_again_and_a_changed_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let disk = dir.path().join("d.md");
        let text = "---\ntitle: T\n---\nBody.\n";
        std::fs::write(&disk, text).unwrap();
        let on_disk = || Text::OnDisk {
            disk: disk.clone(),
            digest: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
            len: text.len(),
            again: OnceLock::new(),
        };
        let mut files = SourceFiles::default();
        let id = files.add_text("content/d.md", on_disk());
        assert_eq!(files.read(id).unwrap(), text);
        assert!(matches!(files.read(id), Ok(Cow::Owned(_))), "not kept");
        assert_eq!(files.line_col(id, text.find("Body").unwrap()), (4, 1));

        // Changed since it was loaded: rendering it is an error; a diagnostic's positions stay
        // inside a text of the length loaded.
        std::fs::write(&disk, "---\ntitle: Other\n---\n").unwrap();
        let id = files.add_text("content/d.md", on_disk());
        let e = files.read(id).unwrap_err();
        assert_eq!(
            e.message,
            "cannot read content/d.md again: it changed while the site was being built; build again"
        );
        assert_eq!(files.text(id).len(), text.len());
        assert_eq!(files.line_col(id, text.len()), (1, text.len() + 1));
        std::fs::remove_file(&disk).unwrap();
        let id = files.add_text("content/d.md", on_disk());
        assert!(files.read(id).is_err());
    }

    #[test]
    fn renders_file_line_column_and_caret() {
        let mut sources = SourceFiles::default();
        let f = sources.add("content/a.md", "---\ntitle: x\n---\nSee this.[^pas]\n");
        let mut diags = Diagnostics::default();
        diags.push(
            Diagnostic::error("footnote [^pas] is referenced but never defined")
                .at(f, 26..32)
                .help("add a definition: [^pas]: ..."),
        );
        let out = diags.render(&sources);
        assert_eq!(
            out,
            "error: footnote [^pas] is referenced but never defined\n  \
             --> content/a.md:4:10\n  |\n4 | See this.[^pas]\n  |          \
             ^^^^^^ add a definition: [^pas]: ...\n\n1 error in 1 file\n"
        );
    }

    #[test]
    fn summary_counts_errors_warnings_and_files() {
        let mut sources = SourceFiles::default();
        let a = sources.add("a", "x\n");
        let b = sources.add("b", "y\n");
        let mut diags = Diagnostics::default();
        diags.push(Diagnostic::error("one").at(a, 0..1));
        diags.push(Diagnostic::error("two").at(b, 0..1));
        diags.push(Diagnostic::warning("three").at(b, 0..1));
        assert_eq!(
            diags.summary(&sources).unwrap(),
            "2 errors, 1 warning in 2 files"
        );
        assert!(diags.has_errors());
    }

    #[test]
    fn strict_turns_warnings_into_errors() {
        let mut diags = Diagnostics::default();
        diags.push(Diagnostic::warning("before"));
        assert!(!diags.has_errors());
        diags.make_strict();
        diags.push(Diagnostic::warning("after"));
        assert_eq!(diags.count(Severity::Error), 2);
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let mut sources = SourceFiles::default();
        let f = sources.add("a", "£1\n£2 x");
        assert_eq!(sources.line_col(f, "£1\n£2 ".len()), (2, 4));
    }

    #[test]
    fn a_problem_on_a_long_line_shows_a_window_at_its_true_column() {
        let mut sources = SourceFiles::default();
        // Two-byte characters, so the window's edges must find character boundaries.
        let before = "é".repeat(300_000);
        let text = format!("---\n{before}[bad](x){}\nend\n", "ü".repeat(300_000));
        let f = sources.add("a.md", text.as_str());
        let at = 4 + before.len();
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::error("broken")
                .at(f, at..at + 8)
                .also(f, 0..3, "front matter"),
        );
        let out = d.render(&sources);
        assert!(out.contains("--> a.md:2:300001\n"), "{}", &out[..200]);
        assert!(out.len() < 2_000, "{} bytes printed", out.len());
        assert!(out.contains("é[bad](x)ü"), "{out}");
        assert!(out.contains("^^^^^^^^"), "{out}");
        assert!(out.contains("front matter"), "{out}");
    }

    #[test]
    fn many_problems_in_one_file_are_counted_past_the_first_hundred() {
        let mut sources = SourceFiles::default();
        let text = "[^x]\n".repeat(20_000);
        let f = sources.add("a.md", text.as_str());
        let g = sources.add("b.md", "fine\n");
        let mut d = Diagnostics::default();
        for i in 0..20_000 {
            d.push(Diagnostic::error("undefined").at(f, i * 5..i * 5 + 4));
        }
        d.push(Diagnostic::error("elsewhere").at(g, 0..4));
        let out = d.render(&sources);
        assert_eq!(out.matches("error: undefined").count(), 100);
        assert!(out.contains("--> a.md:100:1\n"), "{out}");
        assert!(!out.contains("--> a.md:101:1\n"));
        assert!(
            out.contains("--> b.md:1:1\n"),
            "the next file is still shown"
        );
        assert!(
            out.contains("note: 19900 more problems in a.md not shown"),
            "{}",
            &out[out.len() - 300..]
        );
        assert!(
            out.ends_with("20001 errors in 2 files\n"),
            "{}",
            &out[out.len() - 300..]
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let mut sources = SourceFiles::default();
        let f = sources.add("a.md", "\u{feff}ab\ncd");
        assert_eq!(sources.line_col(f, 3), (1, 1));
        assert_eq!(sources.line_col(f, 4), (1, 2));
        assert_eq!(sources.line_col(f, 0), (1, 1));
        assert_eq!(sources.line_col(f, 7), (2, 2));
        let mut d = Diagnostics::default();
        d.push(Diagnostic::error("at b").at(f, 4..5));
        d.push(Diagnostic::error("on the mark").at(f, 0..3));
        let out = d.render(&sources);
        assert!(out.contains("--> a.md:1:2\n"), "{out}");
        assert!(out.contains("--> a.md:1:1\n"), "{out}");
        assert!(!out.contains('\u{feff}'), "the mark is not shown: {out}");
    }

    #[test]
    fn reports_never_pass_control_characters_to_the_terminal() {
        let mut sources = SourceFiles::default();
        let text = "---\ntitle: x\n---\nA\u{1b}]0;owned\u{7} \u{202e}b\rc [bad](x) \u{9b}\ne\r\n";
        let f = sources.add("content/a\u{1b}[2J\n.md", text);
        let at = text.find("[bad]").unwrap();
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::error("link to `x\u{1b}[31m`")
                .at(f, at..at + 5)
                .help("see \u{7}")
                .also(f, text.len() - 3..text.len() - 2, "e\u{85}"),
        );
        d.push(Diagnostic::warning("no place \u{1b}").help("h\u{1b}"));
        let out = d.render(&sources);
        assert!(
            !out.chars()
                .any(|c| (c.is_control() && c != '\n') || c == '\u{202e}'),
            "{out:?}"
        );
        // The true line and column, the snippet escaped, the caret under what it marks.
        assert!(out.contains("--> content/a\\u{1b}[2J\\u{a}.md:4:"), "{out}");
        let col = text[text.find("A\u{1b}").unwrap()..at].chars().count() + 1;
        assert!(out.contains(&format!(".md:4:{col}\n")), "{out}");
        let line = "A\\u{1b}]0;owned\\u{7} \\u{202e}b\\u{d}c [bad](x) \\u{9b}";
        assert!(out.contains(&format!("4 | {line}\n")), "{out}");
        let caret = line.find("[bad]").unwrap();
        assert!(
            out.contains(&format!("  | {}^^^^^ see \\u{{7}}", " ".repeat(caret))),
            "{out}"
        );
        assert!(out.contains("link to `x\\u{1b}[31m`"), "{out}");
        assert!(out.contains("- e\\u{85}"), "{out}");
        assert!(out.contains("5 | e\n"), "{out}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config { cases: 256, failure_persistence: None, ..Default::default() })]

        /// Whatever a file holds and wherever a problem is, the report names the true line and
        /// column, quotes the line with every control character escaped, and marks the problem.
        #[test]
        fn a_report_is_printable_and_placed_whatever_the_text(
            chars in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::char::range('\0', '\u{a0}'),
                    proptest::sample::select(vec!['\n', '\r', '\u{202e}', 'é', '中', 'x']),
                ],
                1..80,
            ),
            a in 0usize..80,
            len in 0usize..6,
        ) {
            let text: String = chars.into_iter().collect();
            let floor = |mut i: usize| {
                i = i.min(text.len());
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                i
            };
            let (start, end) = (floor(a), floor(a + len));
            let mut sources = SourceFiles::default();
            let f = sources.add("a\u{1b}.md", text.as_str());
            let mut d = Diagnostics::default();
            d.push(Diagnostic::error("m").at(f, start..end).help("h"));
            let out = d.render(&sources);
            let raw: Vec<char> = out.chars().filter(|&c| crate::text::is_unprintable(c, true)).collect();
            proptest::prop_assert!(raw.is_empty(), "{:?}", out);
            let (line, col) = sources.line_col(f, start);
            let place = format!("--> a\\u{{1b}}.md:{line}:{col}\n");
            proptest::prop_assert!(out.contains(&place), "{:?} wanted {:?}", out, place);
            proptest::prop_assert!(out.contains(" h\n"), "{:?}", out);
        }
    }

    #[test]
    fn known_names_are_listed_up_to_ten() {
        assert_eq!(known_list(&["a", "b"]), "`a`, `b`");
        let many: Vec<String> = (1..=12).map(|i| format!("c{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let listed = known_list(&many);
        assert!(listed.starts_with("`c1`, `c2`"), "{listed}");
        assert!(listed.ends_with("`c10`, and 2 more"), "{listed}");
    }

    #[test]
    fn suggests_close_names_only() {
        let fields = ["title", "summary", "date"];
        assert_eq!(suggest("sumary", fields), Some("summary"));
        assert_eq!(suggest("colour", fields), None);
        assert_eq!(suggest("ned", ["start", "end"]), Some("end"));
        assert_eq!(
            suggest("auther", ["title", "author", "other"]),
            Some("author")
        );
        assert_eq!(
            suggest("../reports/nope.md", ["../reports/2024-01-10-one.md"]),
            None
        );
    }
}

#[cfg(test)]
mod note_tests {
    use super::*;

    /// A note is printed as one, is not counted in the summary, and `--strict` leaves it a note.
    #[test]
    fn notes_are_never_errors() {
        let mut sources = SourceFiles::default();
        let f = sources.add("content/a.md", "see x\n");
        let mut diags = Diagnostics::default();
        diags.make_strict();
        diags.push(Diagnostic::note("moved").at(f, 4..5).help("write y"));
        assert!(!diags.has_errors());
        assert_eq!(
            diags.render(&sources),
            "note: moved\n  --> content/a.md:1:5\n  |\n1 | see x\n  |     ^ write y\n\n"
        );
        diags.push(Diagnostic::warning("dead").at(f, 0..3));
        assert!(diags.has_errors());
        assert_eq!(
            diags.summary(&sources).as_deref(),
            Some("1 error in 1 file")
        );
    }
}
