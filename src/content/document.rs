//! The document model: typed ids and the rule they follow, kinds, and a validated [`Document`].

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use chrono::NaiveDate;

use crate::config::LanguageTag;
use crate::diag::FileId;
use crate::markdown::Scan;
use crate::yaml;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub(crate) struct $name(pub(crate) String);

        impl $name {
            pub(crate) fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A document's id: its file stem unless front matter gives one; unique across the site.
    DocId
);
id_type!(
    /// A plan's id (the plan document's id).
    PlanId
);
id_type!(
    /// A priority's id, unique within its plan.
    PriorityId
);
id_type!(
    /// A commitment's id, unique within its plan.
    CommitmentId
);
id_type!(
    /// A metric's id (a file under content/metrics/).
    MetricId
);
id_type!(
    /// A source's id in content/sources.yaml, as `source:ID` links name it.
    SourceId
);

/// `plan-id/priority-id`, as documents name a priority.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct PriorityRef {
    pub(crate) plan: PlanId,
    pub(crate) priority: PriorityId,
}

impl PriorityRef {
    /// `plan-id/priority-id`, both valid ids.
    pub(crate) fn parse(s: &str) -> Option<PriorityRef> {
        let (p, q) = s.split_once('/')?;
        (is_valid_id(p) && is_valid_id(q)).then(|| PriorityRef {
            plan: PlanId(p.into()),
            priority: PriorityId(q.into()),
        })
    }
}

impl fmt::Display for PriorityRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.plan, self.priority)
    }
}

/// A value with the place it is written in its file, for errors found later (an unknown plan).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct At<T> {
    pub(crate) value: T,
    pub(crate) span: Range<usize>,
}

/// Ids become URL path segments: letters, digits, `-`, `_` and `.`, not starting with `.`.
pub(crate) fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// The wording for a name that becomes part of a URL and has characters that may not:
/// `subject` names it (``id `x` ``, ``the path content/x``).
pub(crate) fn unsafe_in_url(subject: &str) -> String {
    format!("{subject} has characters that are unsafe in a URL")
}

/// Check an id with [`is_valid_id`]; the error names it as `what` (`id`, `metric id`…).
pub(crate) fn check_id(what: &str, id: &str) -> Result<(), String> {
    if is_valid_id(id) {
        Ok(())
    } else {
        Err(unsafe_in_url(&format!("{what} `{id}`")))
    }
}

/// The error for a `priorities:` item that [`PriorityRef::parse`] refuses.
pub(crate) fn not_a_priority_ref(item: &str) -> String {
    format!("`{item}` is not a priority reference")
}

/// The help for [`not_a_priority_ref`].
pub(crate) const PRIORITY_REF_HELP: &str = "write priorities as plan-id/priority-id";

/// What kind of publication a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Kind {
    PressRelease,
    Report,
    Letter,
    Statement,
    Plan,
    Page,
}

impl Kind {
    pub(crate) const ALL: [Kind; 6] = [
        Kind::PressRelease,
        Kind::Report,
        Kind::Letter,
        Kind::Statement,
        Kind::Plan,
        Kind::Page,
    ];

    /// The name used in front matter (`kind: press-release`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::PressRelease => "press-release",
            Kind::Report => "report",
            Kind::Letter => "letter",
            Kind::Statement => "statement",
            Kind::Plan => "plan",
            Kind::Page => "page",
        }
    }

    pub(crate) fn from_name(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == s)
    }

    /// The top folder that gives this kind by default, and the URL of its listing.
    pub(crate) fn folder(self) -> Option<&'static str> {
        match self {
            Kind::PressRelease => Some("press-releases"),
            Kind::Report => Some("reports"),
            Kind::Letter => Some("letters"),
            Kind::Statement => Some("statements"),
            Kind::Plan => Some("plans"),
            Kind::Page => None,
        }
    }

    pub(crate) fn from_folder(folder: &str) -> Kind {
        Kind::ALL
            .into_iter()
            .find(|k| k.folder() == Some(folder))
            .unwrap_or(Kind::Page)
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Kind::PressRelease => "Press release",
            Kind::Report => "Report",
            Kind::Letter => "Letter",
            Kind::Statement => "Statement",
            Kind::Plan => "Plan",
            Kind::Page => "Page",
        }
    }

    pub(crate) fn plural_label(self) -> &'static str {
        match self {
            Kind::PressRelease => "Press releases",
            Kind::Report => "Reports",
            Kind::Letter => "Letters",
            Kind::Statement => "Statements",
            Kind::Plan => "Plans",
            Kind::Page => "Pages",
        }
    }

    /// Every kind but `page` is dated and listed.
    pub(crate) fn is_dated(self) -> bool {
        self != Kind::Page
    }
}

/// A document's `kind:`: one of the names of [`Kind::ALL`].
impl schemars::JsonSchema for Kind {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Kind".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::schema::one_of(&Kind::ALL.map(Kind::name), "What the document is")
    }
}

/// A priority as a plan defines it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PriorityDef {
    pub(crate) id: PriorityId,
    pub(crate) title: String,
    pub(crate) summary: String,
    /// Where its id is written.
    pub(crate) span: Range<usize>,
    /// What the priority promises (`commitments:`), in the order written.
    pub(crate) commitments: Vec<super::commitments::CommitmentDef>,
}

/// What a plan adds to a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PlanSpec {
    pub(crate) owner: String,
    pub(crate) start: NaiveDate,
    pub(crate) end: NaiveDate,
    pub(crate) priorities: Vec<PriorityDef>,
    /// The plan this one replaces (`supersedes:`), where it is written.
    pub(crate) supersedes: Option<At<PlanId>>,
}

/// One item of a document's `corrections:`: what was corrected, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Correction {
    pub(crate) date: NaiveDate,
    pub(crate) note: String,
}

impl Document {
    /// The latest of `updated` and the correction dates: when the document last changed after
    /// it was published.
    pub(crate) fn last_revised(&self) -> Option<NaiveDate> {
        let corrected = self.corrections.iter().map(|c| c.date);
        self.updated.into_iter().chain(corrected).max()
    }
}

/// A document's path under content/, `/`-separated (e.g. `reports/2024-02-21-qa-session.md`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ContentPath(pub(crate) String);

impl ContentPath {
    /// The order the walk of content/ visits paths in: folder by folder, each sorted by name
    /// (so `a/b.md` comes before `a-c.md`, unlike a plain string comparison).
    pub(crate) fn walk_cmp(a: &str, b: &str) -> std::cmp::Ordering {
        a.split('/').cmp(b.split('/'))
    }

    /// The folder part, with a trailing `/` unless at the top (`reports/` or ``).
    pub(crate) fn dir(&self) -> &str {
        self.0.rfind('/').map_or("", |i| &self.0[..=i])
    }
}

/// A page's path under the site root, ending in `/` (e.g. `reports/2024-02-21-qa-session/`);
/// the empty path is the home page. Turned into a link with [`crate::urls::BaseUrl::href`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct SitePath(pub(crate) String);

/// A validated document: front matter checked, body scanned, nothing resolved yet.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    pub(crate) file: FileId,
    pub(crate) path: ContentPath,
    pub(crate) id: DocId,
    /// Where the id is written, or `None` when it is the file stem.
    pub(crate) id_span: Option<Range<usize>>,
    pub(crate) kind: Kind,
    pub(crate) title: String,
    pub(crate) date: Option<NaiveDate>,
    pub(crate) summary: Option<String>,
    pub(crate) author: Option<String>,
    pub(crate) plans: Vec<At<PlanId>>,
    pub(crate) priorities: Vec<At<PriorityRef>>,
    pub(crate) metrics: Vec<At<MetricId>>,
    pub(crate) draft: bool,
    /// Where `footer: true` is written, when a page asks to be linked from every footer.
    pub(crate) footer: Option<Range<usize>>,
    pub(crate) language: Option<LanguageTag>,
    pub(crate) extra: BTreeMap<String, yaml::Value>,
    pub(crate) plan: Option<PlanSpec>,
    /// `updated:`: when the document was last revised, not before its `date`.
    pub(crate) updated: Option<NaiveDate>,
    /// `corrections:`, in the order written.
    pub(crate) corrections: Vec<Correction>,
    /// `progress:`: status reports on commitments, dated by the document.
    pub(crate) progress: Vec<super::commitments::ProgressEntry>,
    /// `image:` and `image_alt:`: the picture a shared link to it shows (resolve checks the file).
    pub(crate) image: Option<crate::config::SharedImage>,
    /// Where the Markdown body starts in the file.
    pub(crate) body_offset: usize,
    pub(crate) scan: Scan,
    pub(crate) url: SitePath,
    /// In the site as one language publishes it, a document with no version in that
    /// language: the folder of the language it is published in (`""` for the site's own,
    /// `cy/`), where links to it go; `language` then says what it is written in.
    pub(crate) elsewhere: Option<String>,
    /// A digest of the file's whole text: two loads of the same text give the same digest.
    pub(crate) digest: u64,
}

impl Document {
    /// Body text, given the file's full text.
    pub(crate) fn body<'t>(&self, file_text: &'t str) -> &'t str {
        &file_text[self.body_offset..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_unsafe_in_a_url_are_named_in_the_error() {
        assert_eq!(check_id("id", "2024-02-21_qa.v2"), Ok(()));
        assert_eq!(
            check_id("metric id", "a b"),
            Err("metric id `a b` has characters that are unsafe in a URL".to_string())
        );
        assert_eq!(
            check_id("priority id", ".hidden"),
            Err("priority id `.hidden` has characters that are unsafe in a URL".to_string())
        );
    }

    #[test]
    fn kinds_round_trip_and_default_from_folders() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_name(k.name()), Some(k));
        }
        assert_eq!(Kind::from_folder("press-releases"), Kind::PressRelease);
        assert_eq!(Kind::from_folder("about"), Kind::Page);
    }

    #[test]
    fn ids_are_url_safe() {
        assert!(is_valid_id("2024-02-21-qa-session"));
        assert!(!is_valid_id("../etc"));
        assert!(!is_valid_id("a b"));
        assert!(!is_valid_id(""));
    }
}
