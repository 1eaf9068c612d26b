//! Located diagnostics: the one shape every content problem takes, collected across a build and
//! printed together (codespan-reporting, ASCII style), sorted by file and line.

use std::fmt::Write as _;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::{self, Files};
use codespan_reporting::term::{self, Chars, Config};

/// Index of a file in [`SourceFiles`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// One file read by the build: its path relative to the site root (always `/`-separated, so
/// messages read the same on every platform) and its full text, front matter included.
#[derive(Debug)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// Every file the build has read, addressed by [`FileId`]. Spans in diagnostics are byte ranges
/// into these texts; lines and columns are computed only when a diagnostic is printed.
#[derive(Debug, Default)]
pub struct SourceFiles {
    files: Vec<SourceFile>,
}

impl SourceFiles {
    pub fn add(&mut self, path: impl Into<String>, text: impl Into<String>) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).expect("fewer than 2^32 files"));
        self.files.push(SourceFile {
            path: path.into(),
            text: text.into(),
        });
        id
    }

    /// Give a file new text (it was read again); its id and path stay.
    pub fn replace(&mut self, id: FileId, text: String) {
        self.files[id.0 as usize].text = text;
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn path(&self, id: FileId) -> &str {
        &self.get(id).path
    }

    pub fn text(&self, id: FileId) -> &str {
        &self.get(id).text
    }

    /// 1-based line and column (in characters) of a byte offset. A byte-order mark is not a
    /// column: editors do not show it.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        let text = self.text(id);
        let offset = offset.min(text.len());
        let line_start = text[..offset]
            .rfind('\n')
            .map_or(bom_len(text).min(offset), |i| i + 1);
        let line = text[..offset].matches('\n').count() + 1;
        let col = text[line_start..offset].chars().count() + 1;
        (line, col)
    }

    /// `span` moved off a byte-order mark at the start of the file, which is not shown.
    fn shown(&self, id: FileId, span: &Range<usize>) -> Range<usize> {
        let bom = bom_len(self.text(id));
        span.start.max(bom)..span.end.max(bom)
    }
}

/// Bytes of a byte-order mark at the start of `text` (0 or 3).
fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// Where each line starts; the first after a byte-order mark.
fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(bom_len(text)).chain(text.match_indices('\n').map(|(i, _)| i + 1))
}

impl<'a> Files<'a> for SourceFiles {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, files::Error> {
        Ok(self.path(id))
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, files::Error> {
        Ok(self.text(id))
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, files::Error> {
        // Lines after the first start after a `\n`; the first may start after a BOM, and a
        // span inside that BOM is still on it.
        Ok(line_starts(self.text(id))
            .skip(1)
            .take_while(|&start| start <= byte_index)
            .count())
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, files::Error> {
        let text = self.text(id);
        let mut starts = line_starts(text).skip(line_index);
        let start = starts.next().ok_or(files::Error::LineTooLarge {
            given: line_index,
            max: text.lines().count(),
        })?;
        let end = starts.next().unwrap_or(text.len());
        Ok(start..end)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// Where a problem is: a byte range in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: FileId,
    pub span: Range<usize>,
}

impl Location {
    pub fn new(file: FileId, span: Range<usize>) -> Self {
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
    pub help: String,
    pub notes: Vec<String>,
    pub related: Vec<(Location, String)>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            help: String::new(),
            notes: Vec::new(),
            related: Vec::new(),
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn at(mut self, file: FileId, span: Range<usize>) -> Self {
        self.location = Some(Location::new(file, span));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = help.into();
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Show another place that bears on the problem, with a short label.
    pub fn also(mut self, file: FileId, span: Range<usize>, label: impl Into<String>) -> Self {
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
    pub fn push(&mut self, mut d: Diagnostic) {
        if self.strict {
            d.severity = Severity::Error;
        }
        self.items.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        for d in ds {
            self.push(d);
        }
    }

    /// `--strict`: every warning, found so far or later, is an error.
    pub fn make_strict(&mut self) {
        self.strict = true;
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Sorted by file path, then position, then message, so output is stable whatever order
    /// parallel stages found them in.
    pub fn sorted<'a>(&'a self, sources: &'a SourceFiles) -> Vec<&'a Diagnostic> {
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
        for d in self.sorted(sources) {
            let cs = match d.severity {
                Severity::Error => CsDiagnostic::error(),
                Severity::Warning => CsDiagnostic::warning(),
            }
            .with_message(&d.message)
            .with_notes(d.notes.clone());
            let related = d.related.iter().map(|(l, m)| {
                Label::secondary(l.file, sources.shown(l.file, &l.span)).with_message(m)
            });
            let cs = match &d.location {
                Some(loc) => cs.with_labels(
                    std::iter::once(
                        Label::primary(loc.file, sources.shown(loc.file, &loc.span))
                            .with_message(&d.help),
                    )
                    .chain(related)
                    .collect(),
                ),
                None if d.help.is_empty() => cs,
                None => cs.with_notes(vec![d.help.clone()]),
            };
            match term::emit_into_string(&config, sources, &cs) {
                // codespan ends each diagnostic with a blank line.
                Ok(s) => out.push_str(&s),
                // A span past the end of its file is a bug of ours; still say what was wrong.
                Err(_) => {
                    let _ = writeln!(out, "{}: {}\n", severity_word(d.severity), d.message);
                }
            }
        }
        if let Some(summary) = self.summary(sources) {
            out.push_str(&summary);
            out.push('\n');
        }
        out
    }

    /// "2 errors, 1 warning in 3 files", or `None` when there is nothing to report.
    pub fn summary(&self, sources: &SourceFiles) -> Option<String> {
        let errors = self.count(Severity::Error);
        let warnings = self.count(Severity::Warning);
        if errors + warnings == 0 {
            return None;
        }
        let mut files: Vec<&str> = self
            .items
            .iter()
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
    }
}

/// "1 error", "2 errors".
pub fn plural(n: usize, word: &str) -> String {
    plural_of(n, word, &format!("{word}s"))
}

/// "1 priority", "2 priorities".
pub fn plural_of(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The closest of `candidates` to a misspelt `word`, if any is close enough to be a useful hint:
/// a typo or transposition away (`ned` -> `end`), or alike by Jaro-Winkler (`sumary` -> `summary`).
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
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
