//! The one place that calls the YAML parser, so it can be swapped (serde_yaml is deprecated
//! upstream) without touching the rest. Refuses first what the parser handles badly (deep
//! nesting, control characters), turns its errors into located [`YamlError`]s, and finds where
//! a key's value sits in the text, for problems found after parsing.

use std::ops::Range;

use crate::text::is_forbidden_control;

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};

/// A YAML value kept untouched, e.g. a document's `extra:` fields.
pub(crate) type Value = serde_yaml::Value;

/// What went wrong while reading YAML into a typed structure, located in the YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlError {
    pub(crate) kind: YamlErrorKind,
    /// Byte range in the YAML text that was parsed (not the whole file).
    pub(crate) span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum YamlErrorKind {
    /// A key the structure does not know, with the keys it does.
    UnknownField {
        field: String,
        expected: Vec<String>,
    },
    /// A required key is absent; the span is where the mapping starts.
    MissingField { field: String },
    /// A key given twice; the span is its second occurrence when it can be found.
    DuplicateField { field: String },
    /// A control character, written as itself or as an escape in a double-quoted scalar
    /// (`escape`, e.g. `\x1b`); the span is the character or the escape.
    Control { found: char, escape: Option<String> },
    /// Collections nest deeper than [`MAX_DEPTH`]; the span is where that depth is passed.
    TooDeep,
    /// Anything else, already worded by the parser (e.g. "date: invalid type: …").
    Other(String),
}

/// A mapping whose keys must be unique. serde's own maps keep the last of two equal keys
/// silently; this reports the second as a `DuplicateField`.
#[derive(Debug)]
pub(crate) struct UniqueMap<V>(pub(crate) BTreeMap<String, V>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for UniqueMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Entries<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Entries<V> {
            type Value = UniqueMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.contains_key(&key) {
                        return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
                    }
                    let value = map.next_value()?;
                    out.insert(key, value);
                }
                Ok(UniqueMap(out))
            }
        }
        d.deserialize_map(Entries(PhantomData))
    }
}

/// A required text field written with no value (`title:`, `title: ~`), read as empty text so
/// that it is reported as empty at its own place, like `title: ""`, rather than as a type
/// error. Use as `#[serde(deserialize_with = "yaml::text")]`.
pub(crate) fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Option::<String>::deserialize(d).map(Option::unwrap_or_default)
}

/// An optional text field: absent is `None` (with `#[serde(default)]`), but written with no
/// value it is `Some("")`, empty where it is written rather than missing.
pub(crate) fn given_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize(d).map(|s| Some(s.unwrap_or_default()))
}

/// A mapping of unique keys to `V`, as editors see it: keys are free, values are `V`'s.
impl<V: schemars::JsonSchema> schemars::JsonSchema for UniqueMap<V> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Map_of_{}", V::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "additionalProperties": generator.subschema_for::<V>(),
        })
    }
}

/// Parse `text` into `T`. An empty (or comment-only) document reads as an empty mapping, so a
/// missing required field is reported as such rather than as "invalid type: unit".
/// A byte-order mark at the start is skipped (spans stay offsets into the whole `text`): libyaml
/// would read it, and the line break after it, as the end of a first document.
pub(crate) fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let bom = crate::diag::bom_len(text);
    let yaml = &text[bom..];
    if let Some(at) = too_deep(yaml) {
        let len = yaml[at..].chars().next().map_or(0, char::len_utf8);
        return Err(YamlError {
            kind: YamlErrorKind::TooDeep,
            span: at + bom..at + len + bom,
        });
    }
    if let Some(e) = first_control(yaml) {
        return Err(YamlError {
            span: e.span.start + bom..e.span.end + bom,
            ..e
        });
    }
    let result = if yaml.trim().is_empty() {
        serde_yaml::from_str("{}")
    } else {
        serde_yaml::from_str(yaml)
    };
    result.map_err(|e| {
        let e = classify(yaml, &e);
        YamlError {
            span: e.span.start + bom..e.span.end + bom,
            ..e
        }
    })
}

/// The deepest that collections may nest in any YAML file. The parser would give up at 128
/// levels, but only after reading the whole text level by level, which takes tens of seconds
/// for a small file of 100,000 `[`; no content needs more than a few levels.
pub(crate) const MAX_DEPTH: usize = 64;

/// Where the text first nests collections deeper than [`MAX_DEPTH`], found in one pass before
/// the parser sees it. Block nesting is counted from indentation (each deeper indent is a level)
/// and from `- `/`? ` indicators that open a collection on the same line (`- - - x`); flow
/// nesting from `[` and `{`, skipping quoted scalars, comments and block scalars (`|`, `>`),
/// whose brackets are text. It may count a level that YAML would not (a plain scalar continued
/// on a more indented line), never fewer, so nothing deep reaches the parser.
fn too_deep(text: &str) -> Option<usize> {
    let mut nesting = Nesting::default();
    let mut line_start = 0;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |n| line_start + n);
        if let Some(at) = nesting.line(&text.as_bytes()[line_start..line_end]) {
            return Some(line_start + at);
        }
        line_start = line_end + 1;
    }
    None
}

/// What [`too_deep`] carries from one line to the next.
#[derive(Default)]
struct Nesting {
    /// Columns of the open block levels, outermost first.
    block: Vec<usize>,
    flow: usize,
    /// Inside a quoted scalar, with its quote; such a scalar may run over lines.
    quote: Option<u8>,
    /// A block scalar's indent: its lines, while more indented, are text.
    scalar_indent: Option<usize>,
}

impl Nesting {
    /// Read one line (without its `\n`): where in it nesting passes [`MAX_DEPTH`], if it does.
    fn line(&mut self, line: &[u8]) -> Option<usize> {
        let indent = line.iter().take_while(|&&c| c == b' ').count();
        let blank = line[indent..].iter().all(|c| c.is_ascii_whitespace());
        if let Some(parent) = self.scalar_indent {
            if blank || indent > parent {
                return None;
            }
            self.scalar_indent = None;
        }
        if self.quote.is_none() && self.flow == 0 && !blank && line[indent] != b'#' {
            while self.block.last().is_some_and(|&c| c >= indent) {
                self.block.pop();
            }
            self.block.push(indent);
            if self.block.len() > MAX_DEPTH {
                return Some(indent);
            }
        }
        self.indicators(line, indent)
    }

    /// The quotes, brackets and indicators of a line from its indent on.
    fn indicators(&mut self, line: &[u8], indent: usize) -> Option<usize> {
        let mut i = indent;
        // Whether a scalar or collection may start here (after an indicator or a space).
        let mut value_start = self.quote.is_none();
        while i < line.len() {
            let c = line[i];
            if let Some(q) = self.quote {
                match c {
                    b'\\' if q == b'"' => i += 1,
                    b'\'' if q == b'\'' && line.get(i + 1) == Some(&b'\'') => i += 1,
                    _ if c == q => self.quote = None,
                    _ => {}
                }
                i += 1;
                continue;
            }
            let next_is_space = line.get(i + 1).is_none_or(|n| n.is_ascii_whitespace());
            match c {
                b' ' | b'\t' | b'\r' => {
                    i += 1;
                    continue;
                }
                b'#' if i == 0 || line[i - 1].is_ascii_whitespace() => break,
                // A tag or an anchor comes before the node it marks: step over it, and the
                // node may still start after it (`!!seq [`, `&a {`).
                b'!' | b'&' if value_start => {
                    while i < line.len()
                        && !line[i].is_ascii_whitespace()
                        && !(self.flow > 0 && matches!(line[i], b',' | b'[' | b']' | b'{' | b'}'))
                    {
                        i += 1;
                    }
                    continue;
                }
                b'"' | b'\'' if value_start => self.quote = Some(c),
                b'[' | b'{' if value_start || self.flow > 0 => {
                    self.flow += 1;
                    if self.block.len() + self.flow > MAX_DEPTH {
                        return Some(i);
                    }
                }
                b']' | b'}' if self.flow > 0 => self.flow -= 1,
                b'-' | b'?' if self.flow == 0 && value_start && next_is_space && i > indent => {
                    self.block.push(i);
                    if self.block.len() > MAX_DEPTH {
                        return Some(i);
                    }
                }
                b'|' | b'>' if self.flow == 0 && value_start => {
                    self.scalar_indent = Some(indent);
                    break;
                }
                _ => {}
            }
            // Indicators are followed by a space in block context; in flow, `,` and the
            // brackets are always indicators.
            value_start = match c {
                b'[' | b'{' => true,
                b',' => self.flow > 0,
                b'-' | b'?' | b':' => next_is_space || (c == b':' && self.flow > 0),
                _ => false,
            };
            i += 1;
        }
        None
    }
}

/// A parser error as a [`YamlError`]: its kind, and the place the author must look.
fn classify(text: &str, e: &serde_yaml::Error) -> YamlError {
    let (message, marks) = strip_marks(&e.to_string());
    if let Some(found) = alias_bomb(text, &message) {
        return found;
    }
    // libyaml's reader refuses a control character with no line, only "at position N"; find
    // it ourselves, since that is where the author must look.
    let (message, position) = strip_position(&message);
    if let Some(found) = position.and_then(|_| control_character(text, &message)) {
        return found;
    }
    // An unfinished construct (a quote or bracket never closed) is best shown where it began,
    // which libyaml gives as the last mark in its message; anything else (a tab, a misaligned
    // `-`) where the parser stumbled.
    let unfinished =
        message.contains("unexpected end of stream") || message.contains("while parsing a flow");
    let offset = match marks.last() {
        Some(&(line, col)) if unfinished => offset_of(text, line, col),
        _ => e
            .location()
            .map_or(0, |l| offset_of(text, l.line(), l.column())),
    };
    let (kind, span) = field_error(text, &message);
    YamlError {
        kind,
        span: span.unwrap_or_else(|| token_at(text, offset)),
    }
}

/// serde_yaml stops an alias bomb (a "billion laughs") without saying where: the alias that
/// expands the most.
fn alias_bomb(text: &str, message: &str) -> Option<YamlError> {
    if !message.ends_with("repetition limit exceeded") {
        return None;
    }
    let (alias, copies) = biggest_alias(text)?;
    let name = &text[alias.clone()];
    Some(YamlError {
        kind: YamlErrorKind::Other(format!(
            "{message}: the alias `{name}` here expands, through the aliases inside what it names, to {} aliases",
            crate::figures::number(copies as f64, 0)
        )),
        span: alias,
    })
}

/// The first character libyaml's reader refuses, with the parser's `message`.
fn control_character(text: &str, message: &str) -> Option<YamlError> {
    let at = text.find(|c| is_forbidden_control(c) || matches!(c, '\u{fffe}' | '\u{ffff}'))?;
    let c = text[at..].chars().next().unwrap_or_default();
    Some(YamlError {
        kind: YamlErrorKind::Other(format!(
            "{message}: U+{:04X} here; delete it (it is usually invisible in an editor)",
            u32::from(c)
        )),
        span: at..at + c.len_utf8(),
    })
}

/// The kind of a serde error about a field, read from its message; a place when the message
/// gives a wrong one (a duplicate is reported at the top of its mapping).
fn field_error(text: &str, message: &str) -> (YamlErrorKind, Option<Range<usize>>) {
    // Strip a leading "path: " (e.g. "period.start: ") to look at the serde message itself.
    let bare = message
        .split_once(": ")
        .filter(|(path, _)| !path.contains(' '))
        .map_or(message, |(_, rest)| rest);
    if let Some(rest) = bare.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or_default().to_string();
        let expected = rest
            .split_once("expected ")
            .map(|(_, list)| {
                list.split('`')
                    .skip(1)
                    .step_by(2)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        (YamlErrorKind::UnknownField { field, expected }, None)
    } else if let Some(rest) = bare.strip_prefix("missing field `") {
        let field = rest.trim_end_matches('`').to_string();
        (YamlErrorKind::MissingField { field }, None)
    } else if let Some(rest) = bare.strip_prefix("duplicate field `") {
        let field = rest.trim_end_matches('`').to_string();
        // serde_yaml reports a duplicate at the top of the mapping; find the second occurrence.
        let second = top_level_keys(text)
            .filter(|(k, _)| *k == field)
            .nth(1)
            .map(|(_, s)| s);
        (YamlErrorKind::DuplicateField { field }, second)
    } else {
        (YamlErrorKind::Other(message.to_string()), None)
    }
}

/// The alias (`*name`) whose expansion is the largest, and how many aliases it expands to
/// with the aliases inside what it names (each alias counted once per time it is expanded, as
/// the parser counts them). Anchors (`&name`) and aliases are found in one pass outside quoted
/// scalars and comments; what an anchor names runs to its closing bracket when it is a flow
/// collection, else over the lines indented past the anchor's line.
fn biggest_alias(text: &str) -> Option<(Range<usize>, u64)> {
    let b = text.as_bytes();
    let name_end = |from: usize| {
        text[from..]
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}'))
            .map_or(text.len(), |n| from + n)
    };
    // Anchors still open (their name and where what they name ends, with the aliases counted
    // in it so far), and the counts of the closed ones.
    let mut open: Vec<(&str, usize, u64)> = Vec::new();
    let mut done: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
    let mut biggest: Option<(Range<usize>, u64)> = None;
    let mut value_start = true;
    let mut i = 0;
    while i < b.len() {
        while open.last().is_some_and(|&(_, end, _)| end <= i) {
            if let Some((name, _, n)) = open.pop() {
                done.insert(name, n);
            }
        }
        let c = b[i];
        match c {
            b'"' | b'\'' if value_start => {
                i = quoted_end(b, i).unwrap_or(b.len());
                value_start = false;
                continue;
            }
            b'#' if i == 0 || b[i - 1].is_ascii_whitespace() => {
                i = text[i..].find('\n').map_or(b.len(), |n| i + n);
                continue;
            }
            b'&' | b'*' if value_start => {
                let end = name_end(i + 1);
                let name = &text[i + 1..end];
                if c == b'&' {
                    open.push((name, node_end(text, end), 0));
                } else {
                    let copies = done.get(name).copied().unwrap_or(0).saturating_add(1);
                    for anchor in &mut open {
                        anchor.2 = anchor.2.saturating_add(copies);
                    }
                    if biggest.as_ref().is_none_or(|(_, n)| copies > *n) {
                        biggest = Some((i..end, copies));
                    }
                }
                i = end;
                // A node follows an anchor.
                value_start = c == b'&';
                continue;
            }
            _ => {}
        }
        if !c.is_ascii_whitespace() {
            value_start = matches!(c, b'[' | b'{' | b',' | b'-' | b'?' | b':');
        } else if c == b'\n' {
            value_start = true;
        }
        i += 1;
    }
    biggest.filter(|(_, n)| *n > 1)
}

/// Where the node after an anchor ending at `at` ends: its closing bracket for a flow
/// collection, the end of the line for a scalar, else the end of the lines indented past the
/// anchor's line (a block collection).
fn node_end(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    let line_end = rest.find('\n').map_or(text.len(), |n| at + n);
    let next = rest.trim_start_matches([' ', '\t']);
    let next_at = text.len() - next.len();
    if next.starts_with(['[', '{']) {
        return Flow::scan(text, next_at).map_or(line_end, |f| f.span.end);
    }
    if !(next.starts_with(['\n', '\r', '#']) || next.is_empty()) {
        return line_end;
    }
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let indent = text[line_start..].len() - text[line_start..].trim_start_matches(' ').len();
    let mut end = line_end;
    for (start, line) in lines(&text[line_end.min(text.len())..]) {
        let body = line.trim_start_matches(' ');
        if !body.is_empty() && !body.starts_with('#') && line.len() - body.len() <= indent {
            return line_end + start;
        }
        end = line_end + start + line.len();
    }
    end
}

/// The first control character of `text`, written as itself or as an escape in a double-quoted
/// scalar: plainsight refuses both (see [`crate::text`]), libyaml only the first.
fn first_control(text: &str) -> Option<YamlError> {
    let raw = text
        .char_indices()
        .find(|&(_, c)| is_forbidden_control(c))
        .map(|(i, c)| (i..i + c.len_utf8(), c, None));
    let escaped = hidden_escapes(text)
        .into_iter()
        .find(|(_, c)| is_forbidden_control(*c))
        .map(|(r, c)| (r.clone(), c, Some(text[r].to_string())));
    let (span, found, escape) = match (raw, escaped) {
        (Some(r), Some(e)) => std::cmp::min_by_key(r, e, |(s, _, _)| s.start),
        (r, e) => r.or(e)?,
    };
    Some(YamlError {
        kind: YamlErrorKind::Control { found, escape },
        span,
    })
}

/// Every escape in the double-quoted scalars of `text` that writes a control character or a
/// bidirectional control, with the character it writes: escapes hide them from the checks on
/// the text as written. Block scalars, single-quoted scalars and comments hold no escapes, and a
/// quote inside a plain scalar (`it"s`) starts nothing.
pub(crate) fn hidden_escapes(text: &str) -> Vec<(Range<usize>, char)> {
    let mut out = Vec::new();
    if !text.contains('\\') {
        return out;
    }
    let b = text.as_bytes();
    let mut i = 0;
    // The last non-blank byte on the line (`\n` at its start), whether blanks followed it, and
    // the first byte of the word it ends (a tag `!!str` or an anchor `&a` may precede a scalar).
    let (mut prev, mut gap, mut word) = (b'\n', false, b'\n');
    let mut line_indent = 0;
    // Inside a block scalar (`|`, `>`): its text is the lines indented more than this.
    let mut block: Option<usize> = None;
    let mut line_start = true;
    // A `:` right after a quoted key (`{"a":"b"}`, as JSON writes it) is an indicator.
    let mut quoted_key = false;
    let line_end = |i: usize| text[i..].find('\n').map_or(b.len(), |n| i + n);
    while i < b.len() {
        if line_start {
            line_start = false;
            let indent = b[i..].iter().take_while(|&&c| c == b' ').count();
            if let Some(parent) = block {
                let blank = matches!(b.get(i + indent), None | Some(b'\n' | b'\r'));
                if blank || indent > parent {
                    i = line_end(i);
                    continue;
                }
                block = None;
            }
            (prev, gap, word, line_indent) = (b'\n', false, b'\n', indent);
            i += indent;
            continue;
        }
        let c = b[i];
        let starts = prev == b'\n'
            || matches!(prev, b',' | b'[' | b'{')
            || (prev == b':' && quoted_key)
            || (gap && (matches!(prev, b':' | b'-' | b'?') || matches!(word, b'!' | b'&')));
        match c {
            b'\n' => {
                line_start = true;
                i += 1;
            }
            b' ' | b'\t' | b'\r' => {
                gap = true;
                i += 1;
            }
            b'#' if gap || prev == b'\n' => i = line_end(i),
            b'"' if starts => {
                i = double_quoted(text, i, &mut out);
                (prev, gap, word) = (b'"', false, b'"');
            }
            b'\'' if starts => {
                i = quoted_end(b, i).unwrap_or(b.len());
                (prev, gap, word) = (b'\'', false, b'\'');
            }
            b'|' | b'>' if starts => {
                block = Some(line_indent);
                i = line_end(i);
            }
            _ => {
                if gap || prev == b'\n' {
                    word = c;
                }
                quoted_key = c == b':' && matches!(prev, b'"' | b'\'');
                (prev, gap) = (c, false);
                i += 1;
            }
        }
    }
    out
}

/// Read the double-quoted scalar opening at `text[open]`, noting in `out` each escape that
/// writes a control or bidirectional character; returns where the scalar ends.
fn double_quoted(text: &str, open: usize, out: &mut Vec<(Range<usize>, char)>) -> usize {
    let b = text.as_bytes();
    let mut i = open + 1;
    while i < b.len() {
        match b[i] {
            b'"' => return i + 1,
            b'\\' => {
                let (len, c) = match b.get(i + 1) {
                    Some(b'x') => (4, hex(text, i + 2, 2)),
                    Some(b'u') => (6, hex(text, i + 2, 4)),
                    Some(b'U') => (10, hex(text, i + 2, 8)),
                    Some(&e) => (
                        2,
                        match e {
                            b'0' => Some('\0'),
                            b'a' => Some('\u{7}'),
                            b'b' => Some('\u{8}'),
                            b'v' => Some('\u{b}'),
                            b'f' => Some('\u{c}'),
                            b'e' => Some('\u{1b}'),
                            b'N' => Some('\u{85}'),
                            _ => None,
                        },
                    ),
                    None => (1, None),
                };
                if let Some(c) =
                    c.filter(|&c| is_forbidden_control(c) || crate::text::Bidi::of(c).is_some())
                {
                    out.push((i..i + len, c));
                }
                // An escaped quote or backslash is skipped with its backslash.
                i += if len == 2 || c.is_some() { len } else { 2 };
            }
            _ => i += 1,
        }
    }
    b.len()
}

/// The character written by the `digits` hex digits at `text[at..]`, if they are that.
fn hex(text: &str, at: usize, digits: usize) -> Option<char> {
    let s = text.get(at..at + digits)?;
    if !s.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    char::from_u32(u32::from_str_radix(s, 16).ok()?)
}

/// The message without a trailing " at position N" (an offset into the YAML that means nothing
/// to an author), and whether it had one.
fn strip_position(message: &str) -> (String, Option<usize>) {
    match message
        .rsplit_once(" at position ")
        .and_then(|(head, n)| Some((head, n.parse().ok()?)))
    {
        Some((head, n)) => (head.to_string(), Some(n)),
        None => (message.to_string(), None),
    }
}

/// The message without its " at line L column C" marks (we print locations ourselves), and the
/// marks in order.
fn strip_marks(full: &str) -> (String, Vec<(usize, usize)>) {
    let mut message = String::with_capacity(full.len());
    let mut marks = Vec::new();
    let mut rest = full;
    while let Some(i) = rest.find(" at line ") {
        message.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let mut parts = after.splitn(3, ' ');
        let line = parts.next().and_then(|l| l.parse::<usize>().ok());
        let word = parts.next();
        let tail = parts.next().unwrap_or("");
        let digits = tail.chars().take_while(char::is_ascii_digit).count();
        match (line, word, tail[..digits].parse::<usize>()) {
            (Some(line), Some("column"), Ok(col)) => {
                marks.push((line, col));
                rest = &tail[digits..];
            }
            _ => {
                message.push_str(" at line ");
                rest = after;
            }
        }
    }
    message.push_str(rest);
    (message, marks)
}

/// Byte offset of 1-based `line` and `column` (in characters).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    text[line_start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| line_start + i)
}

/// The word starting at `offset` (at least one character, unless at the end of a line or of
/// the text: a line break is never part of it, so the caret stays on its line).
fn token_at(text: &str, offset: usize) -> Range<usize> {
    let rest = &text[offset..];
    if rest.starts_with(['\n', '\r']) {
        return offset..offset;
    }
    let len = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | ']' | '}'))
        .unwrap_or(rest.len());
    let len = if len == 0 {
        rest.chars().next().map_or(0, |c| c.len_utf8())
    } else {
        len
    };
    offset..offset + len
}

/// Where a top-level key itself is written (not its value), e.g. to point at a whole entry.
pub(crate) fn locate_key(text: &str, key: &str) -> Option<Range<usize>> {
    top_level_keys(text)
        .find(|(k, _)| *k == key)
        .map(|(_, span)| span)
}

/// Top-level keys of a block mapping with the byte range of each key.
fn top_level_keys(text: &str) -> impl Iterator<Item = (&str, Range<usize>)> {
    lines(text).filter_map(|(start, line)| {
        if line.starts_with([' ', '\t', '#', '-']) {
            return None;
        }
        let key = line.split_once(':')?.0.trim_end();
        (!key.is_empty()).then(|| (key, start..start + key.len()))
    })
}

/// Each line with where it starts, without its line break; a byte-order mark before the first
/// line is skipped.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bom = crate::diag::bom_len(text);
    let mut start = bom;
    text[bom..].split_inclusive('\n').map(move |l| {
        let s = start;
        start += l.len();
        (s, l.trim_end_matches(['\n', '\r']))
    })
}

/// A step in a path to a value: a mapping key or a sequence index.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Where the value at `path` is written, for problems found after parsing (an impossible date,
/// an id used twice). Understands block style, which is what front matter and data files use,
/// and a flow collection given as a key's value (`period: {start: …, end: …}`, `plans: [a, b]`);
/// returns `None` when it cannot find the value, and callers then point at the key or the file.
pub(crate) fn locate(text: &str, path: &[Seg]) -> Option<Range<usize>> {
    let all: Vec<(usize, &str)> = lines(text).collect();
    match find(text, &all, path)? {
        Found::Flow(span) => Some(span),
        Found::Block(span, _) => span,
    }
}

/// Where each item of the sequence at `path` is written, as [`locate`] gives each one, found
/// in one pass: locating them one by one reads the text once per item, which is quadratic in
/// a long series. Empty when there is no sequence there.
pub(crate) fn locate_items(text: &str, path: &[Seg]) -> Vec<Range<usize>> {
    let all: Vec<(usize, &str)> = lines(text).collect();
    match find(text, &all, path) {
        Some(Found::Flow(span)) => match Flow::scan(text, span.start) {
            Some(flow) if !flow.mapping => flow.items.into_iter().map(|it| it.whole).collect(),
            _ => Vec::new(),
        },
        Some(Found::Block(_, block)) => {
            let entries = block.entries(&all);
            let Some(m) = entries.first().map(|e| e.indent) else {
                return Vec::new();
            };
            entries
                .iter()
                .filter(|e| e.indent == m && e.body.starts_with('-'))
                .map(|e| item_span(e).0)
                .collect()
        }
        None => Vec::new(),
    }
}

/// Where the value of `key` is written in the mapping that starts at `item` (as
/// [`locate_items`] gives it), reading only the item: a flow mapping, or the lines of a block
/// one (its first line, and the lines after it indented as far). `None` when it is not there.
pub(crate) fn locate_in_item(text: &str, item: &Range<usize>, key: &str) -> Option<Range<usize>> {
    if text[item.clone()].starts_with('{') {
        let span = locate_flow(text, item.start, &[Seg::Key(key)])?;
        return (span.start != item.start).then_some(span);
    }
    let line_start = text[..item.start].rfind('\n').map_or(0, |n| n + 1);
    let col = item.start - line_start;
    let mut at = item.start;
    let mut first = true;
    while at < text.len() {
        let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
        let line = text[at..end].trim_end_matches('\r');
        let (indent, body) = if first {
            (col, line)
        } else {
            let body = line.trim_start_matches(' ');
            (line.len() - body.len(), body)
        };
        first = false;
        if !body.is_empty() && !body.starts_with('#') {
            if indent < col {
                return None;
            }
            if indent == col
                && let Some(rest) = body.strip_prefix(key).and_then(|r| r.strip_prefix(':'))
            {
                let value = rest.trim();
                let from = at + (line.len() - body.len()) + key.len() + 1;
                let from = from + (rest.len() - rest.trim_start().len());
                return (!value.is_empty()).then(|| from..from + value.len());
            }
        }
        at = end + 1;
    }
    None
}

/// An item's span, and how far its text is indented past the `-`.
fn item_span(e: &Entry) -> (Range<usize>, usize) {
    let rest = &e.body[1..];
    let item = rest.trim();
    let lead = 1 + rest.len() - rest.trim_start().len();
    let span = if item.is_empty() {
        e.start..e.start + 1
    } else {
        e.start + lead..e.start + lead + item.len()
    };
    (span, lead)
}

/// What the path leads to: a value inside a flow collection (or the innermost collection), or a
/// block node with the span of its value or key.
enum Found {
    Flow(Range<usize>),
    Block(Option<Range<usize>>, Block),
}

fn find(text: &str, all: &[(usize, &str)], path: &[Seg]) -> Option<Found> {
    let mut block = Block {
        lo: 0,
        hi: all.len(),
        first_col: 0,
    };
    let mut span = None;
    for (i, seg) in path.iter().enumerate() {
        let entries = block.entries(all);
        let m = entries.first()?.indent;
        let end_of = |i: usize, continue_dash: bool| {
            entries
                .iter()
                .find(|e| {
                    e.line > i
                        && (e.indent < m
                            || (e.indent == m && !(continue_dash && e.body.starts_with('-'))))
                })
                .map_or(block.hi, |e| e.line)
        };
        match *seg {
            Seg::Key(key) => {
                let e = entries.iter().find(|e| {
                    e.indent == m && e.body.strip_prefix(key).is_some_and(|r| r.starts_with(':'))
                })?;
                let rest = &e.body[key.len() + 1..];
                let value = without_comment(rest.trim());
                if value.is_empty() {
                    span = Some(e.start..e.start + key.len());
                    block = Block {
                        lo: e.line + 1,
                        hi: end_of(e.line, true),
                        first_col: 0,
                    };
                } else {
                    let at = e.start + key.len() + 1 + (rest.len() - rest.trim_start().len());
                    if value.starts_with(['{', '[']) {
                        let whole = at..at + value.len();
                        return Some(Found::Flow(
                            locate_flow(text, at, &path[i + 1..]).unwrap_or(whole),
                        ));
                    }
                    span = Some(at..at + value.len());
                    block = Block {
                        lo: 0,
                        hi: 0,
                        first_col: 0,
                    };
                }
            }
            Seg::Index(n) => {
                let e = entries
                    .iter()
                    .filter(|e| e.indent == m && e.body.starts_with('-'))
                    .nth(n)?;
                let (item, lead) = item_span(e);
                let empty = item.start == e.start;
                span = Some(item);
                let hi = end_of(e.line, false);
                block = if empty {
                    Block {
                        lo: e.line + 1,
                        hi,
                        first_col: 0,
                    }
                } else {
                    Block {
                        lo: e.line,
                        hi,
                        first_col: e.indent + lead,
                    }
                };
            }
        }
    }
    Some(Found::Block(span, block))
}

/// A run of lines holding one YAML node; its first line may start part-way (after "- ").
struct Block {
    lo: usize,
    hi: usize,
    first_col: usize,
}

/// A non-blank, non-comment line of a block: its index, indent, and text from the indent on.
struct Entry<'a> {
    line: usize,
    indent: usize,
    start: usize,
    body: &'a str,
}

impl Block {
    fn entries<'a>(&self, all: &[(usize, &'a str)]) -> Vec<Entry<'a>> {
        (self.lo..self.hi)
            .filter_map(|i| {
                let (start, line) = all[i];
                let col = if i == self.lo {
                    self.first_col.min(line.len())
                } else {
                    0
                };
                let s = &line[col..];
                let body = s.trim_start_matches(' ');
                if body.is_empty() || body.starts_with('#') {
                    return None;
                }
                let indent = col + s.len() - body.len();
                Some(Entry {
                    line: i,
                    indent,
                    start: start + indent,
                    body,
                })
            })
            .collect()
    }
}

/// Where the value at `path` is inside the flow collection (`{a: 1, b: x}` or `[a, b]`) that
/// opens at `text[open]`: the value's span, or the whole (innermost) collection when the path
/// ends there or cannot be followed into it. `None` only when the collection is never closed.
fn locate_flow(text: &str, open: usize, path: &[Seg]) -> Option<Range<usize>> {
    let mut flow = Flow::scan(text, open)?;
    for (i, seg) in path.iter().enumerate() {
        let item = match *seg {
            Seg::Key(key) if flow.mapping => flow.items.iter().find(|it| {
                it.key
                    .as_ref()
                    .is_some_and(|k| unquote(&text[k.clone()]) == key)
            }),
            Seg::Index(n) if !flow.mapping => flow.items.get(n),
            _ => None,
        };
        // A key without a value (`{a: }`) is shown at the key.
        let at = match item {
            Some(it) if flow.mapping => it.value.clone().or_else(|| it.key.clone()),
            Some(it) => Some(it.whole.clone()),
            None => None,
        };
        let Some(at) = at else {
            return Some(flow.span);
        };
        if i + 1 == path.len() {
            return Some(at);
        }
        match text[at.clone()]
            .starts_with(['{', '['])
            .then(|| Flow::scan(text, at.start))
            .flatten()
        {
            Some(inner) => flow = inner,
            None => return Some(flow.span),
        }
    }
    Some(flow.span)
}

/// A flow collection: where it is written (brackets included), whether it is a mapping, and its
/// items in order.
struct Flow {
    span: Range<usize>,
    mapping: bool,
    items: Vec<FlowItem>,
}

/// One item of a flow collection, without surrounding spaces or comments: its key (before a `:`
/// indicator; a mapping item without one is a key alone), its value, and the whole item.
struct FlowItem {
    key: Option<Range<usize>>,
    value: Option<Range<usize>>,
    whole: Range<usize>,
}

impl Flow {
    /// Read the flow collection opening at `text[open]` (`{` or `[`) up to its closing bracket,
    /// stepping over quoted scalars, nested collections and comments, across lines if need be.
    /// `None` if it is never closed.
    fn scan(text: &str, open: usize) -> Option<Flow> {
        let b = text.as_bytes();
        let mut flow = Flow {
            span: open..open,
            mapping: b[open] == b'{',
            items: Vec::new(),
        };
        let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n');
        let mut depth = 0usize;
        // The text read since the item began or its `:`, and the key once that `:` is read.
        let mut part: Option<Range<usize>> = None;
        let mut key: Option<Option<Range<usize>>> = None;
        // A quote here opens a quoted scalar (elsewhere, as in `it's`, it is plain text).
        let mut scalar_start = true;
        // The last token was a quoted scalar, so a `:` right after it is an indicator (`"a":1`).
        let mut after_quoted = false;
        let mut i = open + 1;
        while i < b.len() {
            let c = b[i];
            if is_space(c) {
                i += 1;
                continue;
            }
            if c == b'#' && is_space(b[i - 1]) {
                i = text[i..].find('\n').map_or(b.len(), |n| i + n);
                continue;
            }
            let quoted = scalar_start && matches!(c, b'"' | b'\'');
            let end = if quoted { quoted_end(b, i)? } else { i + 1 };
            let indicator = c == b':'
                && (after_quoted
                    || b.get(i + 1)
                        .is_none_or(|&n| is_space(n) || matches!(n, b',' | b']' | b'}')));
            if depth == 0 && matches!(c, b',' | b']' | b'}') {
                let (k, v) = match key.take() {
                    Some(k) => (k, part.take()),
                    None if flow.mapping => (part.take(), None),
                    None => (None, part.take()),
                };
                let whole = match (&k, &v) {
                    (Some(k), Some(v)) => Some(k.start..v.end),
                    (Some(r), None) | (None, Some(r)) => Some(r.clone()),
                    (None, None) => None,
                };
                if let Some(whole) = whole {
                    flow.items.push(FlowItem {
                        key: k,
                        value: v,
                        whole,
                    });
                }
                if c != b',' {
                    flow.span = open..i + 1;
                    return Some(flow);
                }
            } else if depth == 0 && indicator && key.is_none() {
                key = Some(part.take());
            } else {
                match c {
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => depth -= 1,
                    _ => {}
                }
                part = Some(part.map_or(i..end, |p| p.start..end));
            }
            scalar_start = matches!(c, b'[' | b'{' | b',') || indicator;
            after_quoted = quoted;
            i = end;
        }
        None
    }
}

/// A value as written on its key's line, without a comment after it (`"" # say it`), so
/// that its place is the value alone; a comment alone is no value.
fn without_comment(value: &str) -> &str {
    let b = value.as_bytes();
    if let Some(end) = matches!(b.first(), Some(b'"' | b'\''))
        .then(|| quoted_end(b, 0))
        .flatten()
    {
        return &value[..end];
    }
    if value.starts_with('#') {
        return "";
    }
    // In a plain scalar a comment starts at ` #`.
    value.find(" #").map_or(value, |i| value[..i].trim_end())
}

/// Just past the closing quote of the quoted scalar opening at `b[at]`, if it is closed.
fn quoted_end(b: &[u8], at: usize) -> Option<usize> {
    let q = b[at];
    let mut i = at + 1;
    while i < b.len() {
        match b[i] {
            b'\\' if q == b'"' => i += 2,
            c if c == q && q == b'\'' && b.get(i + 1) == Some(&q) => i += 2,
            c if c == q => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// A key as written, without its quotes if it is quoted.
fn unquote(key: &str) -> &str {
    for q in ['"', '\''] {
        if key.len() >= 2 && key.starts_with(q) && key.ends_with(q) {
            return &key[1..key.len() - 1];
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        summary: Option<String>,
    }

    #[test]
    fn unknown_field_is_located_and_lists_the_known_ones() {
        let e = parse::<T>("title: a\nsumary: b\n").unwrap_err();
        assert_eq!(
            e.kind,
            YamlErrorKind::UnknownField {
                field: "sumary".into(),
                expected: vec!["title".into(), "summary".into()]
            }
        );
        assert_eq!(e.span, 9..15);
    }

    #[test]
    fn duplicate_field_points_at_second_occurrence() {
        let e = parse::<T>("title: a\ntitle: b\n").unwrap_err();
        assert_eq!(
            e.kind,
            YamlErrorKind::DuplicateField {
                field: "title".into()
            }
        );
        assert_eq!(e.span, 9..14);
    }

    #[test]
    fn a_key_given_twice_in_a_map_is_located_at_the_second() {
        let e = parse::<UniqueMap<u8>>("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(e.kind, YamlErrorKind::DuplicateField { field: "a".into() });
        assert_eq!(e.span, 10..11);
        let ok = parse::<UniqueMap<u8>>("a: 1\nb: 2\n").unwrap();
        assert_eq!(ok.0.len(), 2);
    }

    #[test]
    fn empty_text_is_a_missing_field() {
        let e = parse::<T>("").unwrap_err();
        assert_eq!(
            e.kind,
            YamlErrorKind::MissingField {
                field: "title".into()
            }
        );
    }

    #[test]
    fn type_errors_point_at_the_value() {
        let text = "title: [a, b]\n";
        let e = parse::<T>(text).unwrap_err();
        assert!(
            matches!(e.kind, YamlErrorKind::Other(ref m) if m.starts_with("title: invalid type")),
            "{e:?}"
        );
        assert_eq!(&text[e.span.clone()], "[a");
    }

    #[test]
    fn scanner_errors_point_where_the_construct_began() {
        let text = "title: a\nsummary: \"never closed\n";
        let e = parse::<T>(text).unwrap_err();
        let YamlErrorKind::Other(m) = &e.kind else {
            panic!("{e:?}")
        };
        assert!(!m.contains("at line"), "{m}");
        assert_eq!(e.span.start, text.find('"').unwrap(), "{e:?}");
    }

    #[test]
    fn locates_nested_values_and_list_items() {
        let text = "title: x\nperiod:\n  start: 2022-04-01\n  end: 2025-03-31\npriorities:\n  - id: a\n    title: A\n  - id: b\n    title: B\n";
        let at = |p: &[Seg]| locate(text, p).map(|r| &text[r]);
        assert_eq!(at(&[Seg::Key("title")]), Some("x"));
        assert_eq!(
            at(&[Seg::Key("period"), Seg::Key("end")]),
            Some("2025-03-31")
        );
        assert_eq!(
            at(&[Seg::Key("priorities"), Seg::Index(1), Seg::Key("id")]),
            Some("b")
        );
        assert_eq!(
            at(&[Seg::Key("priorities"), Seg::Index(1), Seg::Key("title")]),
            Some("B")
        );
        assert_eq!(at(&[Seg::Key("nope")]), None);
    }

    /// A comment after a value is not part of its place; a key with only a comment after it
    /// is placed at the key, like a key with nothing after it.
    #[test]
    fn a_value_is_located_without_the_comment_after_it() {
        let text = "summary: \"\"  # one sentence\nowner: 'a # b' # who\nunit: percent   # or count\nnote: # none\nkey: a#b\n";
        let at = |k: &str| locate(text, &[Seg::Key(k)]).map(|r| &text[r]);
        assert_eq!(at("summary"), Some("\"\""));
        assert_eq!(at("owner"), Some("'a # b'"));
        assert_eq!(at("unit"), Some("percent"));
        assert_eq!(at("note"), Some("note"));
        assert_eq!(at("key"), Some("a#b"));
    }

    #[test]
    fn locates_keys_and_items_inside_flow_collections() {
        let text = "title: x\nperiod: {start: 2024-01-01, end: 2024-02-31}\nplans: [a, \"b, ]c\", 'it''s', e]  # note\nnested: {a: [1, {b: \"x]}\"}], 'c d': it's, \"e\":2, u: http://x.org/a}\nlast: z\n";
        let at = |p: &[Seg]| locate(text, p).map(|r| &text[r]);
        let period = |k| at(&[Seg::Key("period"), Seg::Key(k)]);
        assert_eq!(period("end"), Some("2024-02-31"));
        assert_eq!(period("start"), Some("2024-01-01"));
        assert_eq!(
            at(&[Seg::Key("period")]),
            Some("{start: 2024-01-01, end: 2024-02-31}")
        );
        let plan = |n| at(&[Seg::Key("plans"), Seg::Index(n)]);
        assert_eq!(plan(0), Some("a"));
        assert_eq!(plan(1), Some("\"b, ]c\""));
        assert_eq!(plan(2), Some("'it''s'"));
        assert_eq!(plan(3), Some("e"));
        assert_eq!(at(&[Seg::Key("plans")]), Some("[a, \"b, ]c\", 'it''s', e]"));
        let nested = |p: &[Seg]| {
            let path: Vec<Seg> = [Seg::Key("nested")]
                .into_iter()
                .chain(p.iter().copied())
                .collect();
            at(&path)
        };
        assert_eq!(
            nested(&[Seg::Key("a"), Seg::Index(1), Seg::Key("b")]),
            Some("\"x]}\"")
        );
        assert_eq!(nested(&[Seg::Key("a"), Seg::Index(0)]), Some("1"));
        assert_eq!(nested(&[Seg::Key("c d")]), Some("it's"));
        assert_eq!(nested(&[Seg::Key("e")]), Some("2"));
        assert_eq!(nested(&[Seg::Key("u")]), Some("http://x.org/a"));
        assert_eq!(at(&[Seg::Key("last")]), Some("z"));
        // What cannot be followed is shown as the whole collection, not lost.
        assert_eq!(period("nope"), at(&[Seg::Key("period")]));
        assert_eq!(plan(9), at(&[Seg::Key("plans")]));
        assert_eq!(
            at(&[Seg::Key("plans"), Seg::Key("a")]),
            at(&[Seg::Key("plans")])
        );
        assert_eq!(
            nested(&[Seg::Key("a"), Seg::Index(1), Seg::Key("zz")]),
            Some("{b: \"x]}\"}")
        );
    }

    #[test]
    fn control_characters_are_refused_written_or_escaped_at_their_place() {
        for (text, at, escape) in [
            ("title: \"a \\x1b[2J\"\n", "\\x1b", Some("\\x1b")),
            (
                "title: a\nsummary: \"\\u0001\"\n",
                "\\u0001",
                Some("\\u0001"),
            ),
            ("title: \"\\0\"\n", "\\0", Some("\\0")),
            ("title: \"\\e\"\n", "\\e", Some("\\e")),
            ("title: !!str \"\\U0000009b\"\n", "\\U", Some("\\U0000009b")),
            ("\"\\x07\": x\ntitle: t\n", "\\x07", Some("\\x07")),
            ("title: a\u{b}b\n", "\u{b}", None),
            ("title: a\nsummary: b\u{85}\n", "\u{85}", None),
        ] {
            let e = parse::<T>(text).unwrap_err();
            let YamlErrorKind::Control {
                escape: ref found, ..
            } = e.kind
            else {
                panic!("{text:?}: {e:?}")
            };
            assert_eq!(found.as_deref(), escape, "{text:?}");
            assert_eq!(e.span.start, text.find(at).unwrap(), "{text:?}");
        }
        // With a byte-order mark, the span is still an offset into the whole text.
        let e = parse::<T>("\u{feff}title: \"\\a\"\n").unwrap_err();
        assert_eq!(e.span, 11..13);
    }

    #[test]
    fn escapes_are_read_only_in_double_quoted_scalars() {
        // Written as text, not escapes: single-quoted, plain, block scalars and comments.
        let text = "a: 'x\\x1b'\nb: it\"s \\x1b\"\nc: |\n  \"\\x1b\"\n  more\nd: x # \"\\x1b\"\ne: \"ok \\\" \\\\x1b \\t \\u00e9\"\n";
        assert_eq!(hidden_escapes(text), vec![]);
        assert!(parse::<BTreeMap<String, String>>(text).is_ok());
        let text = "a: \"\\u202E\"\nb: [\"\\x01\", \"x\\\n  \\N\"]\nc: >\n  t\nd: {k: \"\\v\", \"j\":\"\\f\"}\n";
        let found: Vec<(&str, char)> = hidden_escapes(text)
            .into_iter()
            .map(|(r, c)| (&text[r], c))
            .collect();
        assert_eq!(
            found,
            vec![
                ("\\u202E", '\u{202e}'),
                ("\\x01", '\u{1}'),
                ("\\N", '\u{85}'),
                ("\\v", '\u{b}'),
                ("\\f", '\u{c}'),
            ]
        );
    }

    #[test]
    fn a_flow_collection_may_run_over_several_lines() {
        let text = "period: {start: 2024-01-01, # the first day\n  end: 2024-02-31,\n}\ntitle: t\n";
        let at = |p: &[Seg]| locate(text, p).map(|r| &text[r]);
        assert_eq!(
            at(&[Seg::Key("period"), Seg::Key("end")]),
            Some("2024-02-31")
        );
        assert_eq!(at(&[Seg::Key("title")]), Some("t"));
        // Never closed: the value as far as its line goes, as before.
        let open = "period: {start: 2024-01-01, end: \"2024\n";
        assert_eq!(
            locate(open, &[Seg::Key("period"), Seg::Key("end")]).map(|r| &open[r]),
            Some("{start: 2024-01-01, end: \"2024")
        );
    }

    #[test]
    fn nesting_is_refused_where_it_passes_the_limit() {
        let at = |text: &str| too_deep(text).map(|i| (i, text[i..i + 1].to_string()));
        let flow = format!("a: {}", "[".repeat(100_000));
        assert_eq!(at(&flow), Some((3 + MAX_DEPTH - 1, "[".into())));
        let braces = format!("a: {}", "{b: ".repeat(100));
        assert_eq!(at(&braces).map(|(_, c)| c).as_deref(), Some("{"));
        let dashes = format!("a:\n{}x\n", "- ".repeat(100));
        assert_eq!(at(&dashes), Some((3 + 2 * MAX_DEPTH, "-".into())));
        let indented: String = (0..100)
            .map(|i| format!("{}- x:\n", "  ".repeat(i)))
            .collect();
        let line = too_deep(&indented).map(|i| indented[..i].matches('\n').count());
        assert_eq!(line, Some(MAX_DEPTH));
        let ok = |text: &str| assert_eq!(too_deep(text), None, "{text}");
        // Brackets in quotes, comments, block scalars and plain text are not nesting.
        ok(&format!(
            "a: \"{0}\"\nb: '{0}'\nc: x # {0}\n",
            "[".repeat(100)
        ));
        ok(&format!(
            "a: |\n  {0}\n  {0}\nb: >-\n  {0}\nc: 1\n",
            "[".repeat(100)
        ));
        ok(&format!(
            "a: it's [{}\n",
            "[".repeat(100).replace('[', "x[")
        ));
        ok(&format!(
            "a: {}1{}\n",
            "[".repeat(MAX_DEPTH - 1),
            "]".repeat(MAX_DEPTH - 1)
        ));
        ok(
            "title: x\nperiod: {start: 2024-01-01, end: 2024-02-01}\npriorities:\n  - id: a\n    title: A\n",
        );
        // Tags and anchors do not hide a collection.
        for marked in ["!!seq [", "&a [", "!t {a: "] {
            let text = format!("a: {}", marked.repeat(100));
            assert!(too_deep(&text).is_some(), "{marked}");
        }
        // Each level closed before the next opens is not deep.
        ok(&"- [[[[]]]]\n".repeat(1000));
    }

    #[test]
    fn deep_yaml_is_a_located_error_before_the_parser_runs() {
        let text = format!("title: a\nsummary: {}\n", "[".repeat(100_000));
        let e = parse::<T>(&text).unwrap_err();
        assert_eq!(e.kind, YamlErrorKind::TooDeep);
        assert_eq!(e.span.start, "title: a\nsummary: ".len() + MAX_DEPTH - 1);
    }

    #[test]
    fn the_alias_that_expands_most_is_found() {
        let mut text = String::from("a: &a [x, x, x]\n");
        for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
            text += &format!(
                "{name}: &{name} [{}]\n",
                vec![format!("*{prev}"); 9].join(", ")
            );
        }
        let (span, copies) = biggest_alias(&text).unwrap();
        assert_eq!(&text[span.clone()], "*h");
        assert_eq!(span.start, text.find("[*h").unwrap() + 1);
        assert!(copies > 1_000_000, "{copies}");
        // Block style; `*` and `&` in quotes and comments are not aliases.
        let block = "a: &a\n  - x\n  - y\nb: &b\n  - *a\n  - *a\nc: \"*b &c\" # *b\nd:\n  - *b\n";
        let (span, copies) = biggest_alias(block).unwrap();
        assert_eq!((span.start, copies), (block.rfind("*b").unwrap(), 3));
        assert_eq!(biggest_alias("a: &a 1\nb: *a\n"), None);
    }

    #[test]
    fn every_item_of_a_sequence_is_located_in_one_pass() {
        let text = "series:\n  - { period: 2020, value: 1 }\n  - period: 2021\n    value: 2\n  # note\n  - {period: 2022,\n     value: 3}\ntarget: 1\n";
        let items = locate_items(text, &[Seg::Key("series")]);
        let each: Vec<_> = (0..3)
            .map(|i| locate(text, &[Seg::Key("series"), Seg::Index(i)]).unwrap())
            .collect();
        assert_eq!(items, each);
        let field = |i: usize, k| locate_in_item(text, &items[i], k).map(|r| &text[r]);
        assert_eq!(field(0, "value"), Some("1"));
        assert_eq!(field(1, "period"), Some("2021"));
        assert_eq!(field(1, "value"), Some("2"));
        assert_eq!(field(2, "value"), Some("3"));
        assert_eq!(field(1, "note"), None);
        let flow = "series: [{period: 2020, value: 1}, {period: 2021, value: 2}]\n";
        let items = locate_items(flow, &[Seg::Key("series")]);
        assert_eq!(items.len(), 2);
        assert_eq!(
            locate_in_item(flow, &items[1], "value").map(|r| &flow[r]),
            Some("2")
        );
        assert!(locate_items("series: 1\n", &[Seg::Key("series")]).is_empty());
    }
}
