//! The theme's strings: one YAML file per language (`strings/en.yaml`), each key a text with
//! `{name}` holes, or a mapping of CLDR plural categories to such texts. Parsed and checked
//! here (unknown keys, holes the string is never given, missing plural forms), looked up and
//! filled in by [`Catalog::format`].

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use icu::plurals::{PluralCategory, PluralRules};

use crate::diag::{Diagnostic, FileId, SourceFiles};
use crate::yaml::{self, Seg};

/// One piece of a string: text as written, or a `{name}` hole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Text(String),
    Hole(String),
}

/// A string with its holes, parsed once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Pattern(pub(crate) Vec<Piece>);

impl Pattern {
    /// Read `{name}` holes out of `text`; a brace that opens no hole is an error (said as a
    /// message, located by the caller).
    pub(crate) fn parse(text: &str) -> Result<Pattern, String> {
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find(['{', '}']) {
            if rest[open..].starts_with('}') {
                return Err("has a `}` that closes no `{name}`".into());
            }
            let Some(close) = rest[open..].find('}') else {
                return Err("has a `{` that is never closed: write holes as `{name}`".into());
            };
            let name = &rest[open + 1..open + close];
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!(
                    "has `{{{name}}}`, which is not a hole: write holes as `{{name}}`, with letters, digits and _"
                ));
            }
            if open > 0 {
                pieces.push(Piece::Text(rest[..open].to_string()));
            }
            pieces.push(Piece::Hole(name.to_string()));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_string()));
        }
        Ok(Pattern(pieces))
    }

    /// The string as written, holes included, for a script that fills them itself.
    pub(crate) fn source(&self) -> String {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Text(t) => t.clone(),
                Piece::Hole(h) => format!("{{{h}}}"),
            })
            .collect()
    }

    fn holes(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|p| match p {
            Piece::Hole(h) => Some(h.as_str()),
            Piece::Text(_) => None,
        })
    }
}

/// A key's text: one pattern, or one per plural category (chosen by the `count` it is given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Message {
    Plain(Pattern),
    Plural(BTreeMap<Category, Pattern>),
}

impl Message {
    fn holes(&self) -> BTreeSet<&str> {
        match self {
            Message::Plain(p) => p.holes().collect(),
            Message::Plural(forms) => forms.values().flat_map(Pattern::holes).collect(),
        }
    }
}

/// A CLDR plural category, ordered as CLDR lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Category {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

impl Category {
    const ALL: [(&'static str, Category); 6] = [
        ("zero", Category::Zero),
        ("one", Category::One),
        ("two", Category::Two),
        ("few", Category::Few),
        ("many", Category::Many),
        ("other", Category::Other),
    ];

    fn parse(name: &str) -> Option<Category> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|&(_, c)| c)
    }

    pub(crate) fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, c)| *c == self)
            .map_or("other", |(n, _)| n)
    }

    pub(crate) fn of(c: PluralCategory) -> Category {
        match c {
            PluralCategory::Zero => Category::Zero,
            PluralCategory::One => Category::One,
            PluralCategory::Two => Category::Two,
            PluralCategory::Few => Category::Few,
            PluralCategory::Many => Category::Many,
            PluralCategory::Other => Category::Other,
        }
    }
}

/// One strings file as written: its keys in order, each with where it is.
#[derive(Debug)]
pub(crate) struct StringsFile {
    pub(crate) file: FileId,
    pub(crate) messages: Vec<(String, Range<usize>, Message)>,
}

/// Parse one strings file. Every problem is returned; the keys without one are kept.
pub(crate) fn parse_file(file: FileId, text: &str) -> (StringsFile, Vec<Diagnostic>) {
    let mut out = StringsFile {
        file,
        messages: Vec::new(),
    };
    let raw: yaml::UniqueMap<yaml::Value> = match yaml::parse(text) {
        Ok(raw) => raw,
        Err(e) => {
            let d = crate::config::yaml_diagnostic(file, 0, "a strings file", e);
            return (out, vec![d]);
        }
    };
    let mut problems = Vec::new();
    for (key, value) in raw.0 {
        let at = yaml::locate(text, &[Seg::Key(&key)]).unwrap_or(0..0);
        let key_at = yaml::locate_key(text, &key).unwrap_or_else(|| at.clone());
        match message(text, &key, &value) {
            Ok(m) => out.messages.push((key, key_at, m)),
            Err((message, help, place)) => problems.push(
                Diagnostic::error(format!("the string `{key}` {message}"))
                    .at(file, place.unwrap_or(at))
                    .help(help),
            ),
        }
    }
    out.messages.sort_by_key(|(_, at, _)| at.start);
    (out, problems)
}

type Problem = (String, String, Option<Range<usize>>);

/// One key's value: text, or a mapping of plural categories to text.
fn message(text: &str, key: &str, value: &yaml::Value) -> Result<Message, Problem> {
    let pattern = |s: &str, place: Option<Range<usize>>| {
        Pattern::parse(s).map_err(|m| {
            (
                m,
                "write a literal brace as part of a word, not alone; holes are `{name}`"
                    .to_string(),
                place,
            )
        })
    };
    match value {
        yaml::Value::String(s) => pattern(s, None).map(Message::Plain),
        yaml::Value::Mapping(forms) => {
            let mut out = BTreeMap::new();
            for (name, form) in forms {
                let name = name.as_str().unwrap_or_default();
                let place = yaml::locate(text, &[Seg::Key(key), Seg::Key(name)]);
                let Some(category) = Category::parse(name) else {
                    let names = Category::ALL.map(|(n, _)| n);
                    let help = match crate::diag::suggest(name, names.iter().copied()) {
                        Some(s) => crate::diag::did_you_mean(s),
                        None => format!("plural forms are {}", names.join(", ")),
                    };
                    return Err((
                        format!("has a form `{name}`, which is not a plural category"),
                        help,
                        place,
                    ));
                };
                let Some(s) = form.as_str() else {
                    return Err((
                        format!("gives its `{name}` form as something other than text"),
                        "write the form as text".into(),
                        place,
                    ));
                };
                out.insert(category, pattern(s, place)?);
            }
            if !out.contains_key(&Category::Other) {
                return Err((
                    "has no `other` form".into(),
                    "give an `other:` form: every language has one".into(),
                    None,
                ));
            }
            Ok(Message::Plural(out))
        }
        _ => Err((
            "is neither text nor plural forms".into(),
            "write `key: text`, or plural forms such as `key: {one: ..., other: ...}`".into(),
            None,
        )),
    }
}

/// Every string of one language, as the site uses it: the theme's file, with the site's
/// theme's file of the same language over it key by key.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    messages: BTreeMap<String, Message>,
}

/// What a hole is filled with.
pub(crate) trait Fill {
    /// Write the string's own text (between holes) to `out`: as it is, unless escaped.
    fn text(&self, text: &str, out: &mut String) {
        out.push_str(text);
    }
    /// Write the value of `hole` to `out`; false when it was not given.
    fn fill(&self, hole: &str, out: &mut String) -> bool;
}

impl Catalog {
    /// Lay `files` over each other in order (the later file's key wins).
    pub(crate) fn layered<'f>(files: impl IntoIterator<Item = &'f StringsFile>) -> Catalog {
        let mut messages = BTreeMap::new();
        for f in files {
            for (key, _, m) in &f.messages {
                messages.insert(key.clone(), m.clone());
            }
        }
        Catalog { messages }
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.messages.keys().map(String::as_str)
    }

    pub(crate) fn contains(&self, key: &str) -> bool {
        self.messages.contains_key(key)
    }

    /// `key`'s message, for a script: its text, or its plural forms by CLDR category name.
    pub(crate) fn for_script(&self, key: &str) -> Option<serde_json::Value> {
        Some(match self.messages.get(key)? {
            Message::Plain(p) => serde_json::Value::String(p.source()),
            Message::Plural(forms) => serde_json::Value::Object(
                forms
                    .iter()
                    .map(|(c, p)| (c.name().to_string(), p.source().into()))
                    .collect(),
            ),
        })
    }

    /// Whether `key` takes a `count` to choose its plural form.
    pub(crate) fn is_plural(&self, key: &str) -> bool {
        matches!(self.messages.get(key), Some(Message::Plural(_)))
    }

    /// The holes `key`'s text has, in any form.
    pub(crate) fn holes(&self, key: &str) -> BTreeSet<&str> {
        self.messages
            .get(key)
            .map(Message::holes)
            .unwrap_or_default()
    }

    /// `key`'s text with its holes filled; `category` picks a plural form (`other` when the
    /// string has none for it). Err names what is wrong: no such key, or a hole not given.
    pub(crate) fn format(
        &self,
        key: &str,
        category: Option<Category>,
        fill: &dyn Fill,
        out: &mut String,
    ) -> Result<(), String> {
        let pattern = match self.messages.get(key) {
            None => return Err(format!("the theme has no string `{key}`")),
            Some(Message::Plain(p)) => p,
            Some(Message::Plural(forms)) => {
                let Some(c) = category else {
                    return Err(format!(
                        "the string `{key}` has plural forms: give it `count`"
                    ));
                };
                match forms.get(&c).or_else(|| forms.get(&Category::Other)) {
                    Some(p) => p,
                    None => return Err(format!("the string `{key}` has no `other` form")),
                }
            }
        };
        for piece in &pattern.0 {
            match piece {
                Piece::Text(t) => fill.text(t, out),
                Piece::Hole(h) => {
                    if !fill.fill(h, out) {
                        return Err(format!(
                            "the string `{key}` needs `{h}`, which it was not given"
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// A plural string of `language` that lacks a form its plural rules use.
fn missing_forms(
    key: &str,
    m: &Message,
    needed: &[Category],
    language: &str,
) -> Option<Diagnostic> {
    let Message::Plural(forms) = m else {
        return None;
    };
    let missing: Vec<&str> = needed
        .iter()
        .filter(|c| !forms.contains_key(c))
        .map(|c| c.name())
        .collect();
    let list = match missing.as_slice() {
        [] => return None,
        [one] => format!("`{one}` form"),
        [rest @ .., last] => format!("`{}` or `{last}` forms", rest.join("`, `")),
    };
    let all: Vec<&str> = needed.iter().map(|c| c.name()).collect();
    Some(
        Diagnostic::error(format!(
            "the string `{key}` has no {list}, which `{language}` needs"
        ))
        .help(format!(
            "give every plural form `{language}` has: {}",
            all.join(", ")
        )),
    )
}

/// Check one language's files against the reference (English): every key of the reference
/// given, no key the reference lacks, no hole the reference's text is not given, and plural
/// where the reference is. `files` are that language's files, in layering order.
pub(crate) fn check_against(
    reference: &Catalog,
    files: &[&StringsFile],
    (language, plurals): (&str, &PluralRules),
    sources: &SourceFiles,
    require_all: bool,
) -> Vec<Diagnostic> {
    let needed: Vec<Category> = plurals.categories().map(Category::of).collect();
    let mut problems = Vec::new();
    for f in files {
        for (key, at, m) in &f.messages {
            if !reference.contains(key) {
                let help = match crate::diag::suggest(key, reference.keys()) {
                    Some(s) => crate::diag::did_you_mean(s),
                    None => "a language's strings file may only give the keys en.yaml gives; add it there first".into(),
                };
                problems.push(
                    Diagnostic::error(format!("unknown string `{key}`"))
                        .at(f.file, at.clone())
                        .help(help),
                );
                continue;
            }
            let given = reference.holes(key);
            if let Some(h) = m.holes().into_iter().find(|h| !given.contains(h)) {
                let known = if given.is_empty() {
                    "it has no holes".to_string()
                } else {
                    format!(
                        "it is given {}",
                        given
                            .iter()
                            .map(|h| format!("`{{{h}}}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                problems.push(
                    Diagnostic::error(format!(
                        "the string `{key}` has a hole `{{{h}}}` that it is never given"
                    ))
                    .at(f.file, at.clone())
                    .help(format!("use the holes of the English string: {known}")),
                );
            }
            if reference.is_plural(key) != matches!(m, Message::Plural(_)) {
                let (what, help) = if reference.is_plural(key) {
                    (
                        "is plain text, but the English string has plural forms",
                        "give its plural forms, e.g. `one:` and `other:`",
                    )
                } else {
                    (
                        "has plural forms, but the English string is plain text",
                        "write it as plain text",
                    )
                };
                problems.push(
                    Diagnostic::error(format!("the string `{key}` {what}"))
                        .at(f.file, at.clone())
                        .help(help),
                );
            } else if let Some(problem) = missing_forms(key, m, &needed, language) {
                problems.push(problem.at(f.file, at.clone()));
            }
        }
    }
    if require_all {
        let Some(last) = files.last() else {
            return problems;
        };
        let layered = Catalog::layered(files.iter().copied());
        for key in reference.keys().filter(|k| !layered.contains(k)) {
            problems.push(
                Diagnostic::error(format!("{} has no string `{key}`", sources.path(last.file)))
                    .at(last.file, 0..0)
                    .help(format!("add `{key}:` with its text in this language")),
            );
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holes_are_read_and_a_lone_brace_is_refused() {
        assert_eq!(
            Pattern::parse("Page {n} of {total}.").unwrap().0,
            [
                Piece::Text("Page ".into()),
                Piece::Hole("n".into()),
                Piece::Text(" of ".into()),
                Piece::Hole("total".into()),
                Piece::Text(".".into()),
            ]
        );
        assert!(Pattern::parse("a { b").is_err());
        assert!(Pattern::parse("a } b").is_err());
        assert!(Pattern::parse("a {b c}").is_err());
        assert_eq!(Pattern::parse("").unwrap().0, []);
    }
}
