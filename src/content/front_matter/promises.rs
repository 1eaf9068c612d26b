//! The front matter of promises: a plan priority's `commitments:` and a dated document's
//! `progress:`, validated where they are written.

use std::collections::HashMap;
use std::ops::Range;

use serde::Deserialize;

use super::{Context, Raw};
use crate::content::commitments::{
    CommitmentDef, CommitmentRef, DUE_HELP, Due, ProgressEntry, ProgressStatus, Target,
};
use chrono::NaiveDate;

use crate::content::document::{
    At, CommitmentId, Kind, MetricId, PriorityDef, check_id, is_valid_id,
};
use crate::content::metrics::Period;
use crate::diag::{Diagnostic, did_you_mean, suggest};
use crate::yaml::{self, Seg};

/// A priority's id that would clash with the plan's commitment pages (`plans/p/commitments/`).
pub(super) const RESERVED_PRIORITY_ID: &str = "commitments";

/// YAML reads an unquoted `2025` as a number and `2025-03` as text; both are periods.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawWhen {
    Year(i64),
    Text(String),
}

/// A year as a number or text, a month or a day.
impl schemars::JsonSchema for RawWhen {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "When".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::schema::year_or_text(
            crate::schema::WHEN,
            "A year (YYYY), a month (YYYY-MM) or a day (YYYY-MM-DD)",
        )
    }
}

impl RawWhen {
    fn text(&self) -> String {
        match self {
            RawWhen::Year(y) => y.to_string(),
            RawWhen::Text(s) => s.clone(),
        }
    }
}

/// A commitment under a plan's priority.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Commitment")]
pub(super) struct RawCommitment {
    /// The commitment's id, unique in the plan; reports name it as plan-id/commitment-id.
    #[schemars(pattern(crate::schema::ID))]
    id: String,
    /// What was promised, in a sentence.
    #[serde(deserialize_with = "yaml::text")]
    text: String,
    /// When it is due: YYYY, YYYY-MM or YYYY-MM-DD.
    due: Option<RawWhen>,
    /// Who is answerable for it.
    owner: Option<String>,
    /// The id of the metric that measures it.
    #[schemars(pattern(crate::schema::ID))]
    metric: Option<String>,
    /// The value its metric should reach (needs `metric`).
    target: Option<RawTarget>,
}

/// What a commitment's metric should reach, and by when.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "CommitmentTarget")]
pub(super) struct RawTarget {
    /// The year (YYYY) or month (YYYY-MM) of the metric the target is for; else the due date.
    period: Option<RawWhen>,
    /// The value aimed at.
    value: f64,
}

/// A report of progress on a commitment.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Progress")]
pub(super) struct RawProgress {
    /// The commitment, as plan-id/commitment-id.
    #[schemars(pattern(crate::schema::REF))]
    commitment: String,
    /// Where the commitment stands.
    #[schemars(with = "ProgressStatus")]
    status: String,
    /// What was done, in a sentence or two.
    note: Option<String>,
}

/// The help for a `status:` that is not one of [`ProgressStatus::ALL`].
fn status_help(given: &str) -> String {
    let words = ProgressStatus::ALL.map(ProgressStatus::as_str);
    match suggest(given, words) {
        Some(s) => did_you_mean(s),
        None => format!("a status is one of: {}", words.join(", ")),
    }
}

/// How long after its plan's period a commitment may fall due: plans make promises for the
/// longer term too ("by 2030"), but a due date decades out is a typing mistake.
const DUE_YEARS_AFTER_PLAN: u32 = 10;

impl Context<'_> {
    /// Each commitment's `due` within a sensible range of its plan's period: not before the
    /// period starts, nor more than [`DUE_YEARS_AFTER_PLAN`] years after it ends.
    pub(super) fn due_dates(
        &mut self,
        priorities: &[PriorityDef],
        start: NaiveDate,
        end: NaiveDate,
    ) {
        let latest = end
            .checked_add_months(chrono::Months::new(12 * DUE_YEARS_AFTER_PLAN))
            .unwrap_or(NaiveDate::MAX);
        for c in priorities.iter().flat_map(|p| &p.commitments) {
            let Some(due) = &c.due else { continue };
            let problem = if due.value.last_day() < start {
                Some(format!(
                    "commitment `{}` is due {}, before the plan's period starts ({start})",
                    c.id,
                    due.value.label()
                ))
            } else if due.value.first_day() > latest {
                Some(format!(
                    "commitment `{}` is due {}, more than {DUE_YEARS_AFTER_PLAN} years after the plan's period ends ({end})",
                    c.id,
                    due.value.label()
                ))
            } else {
                None
            };
            if let Some(message) = problem {
                self.err(
                    due.span.clone(),
                    message,
                    "check the year: a commitment falls due within its plan's period, or soon after it",
                );
            }
        }
    }

    /// The commitments of the priority at `priority` in a plan's `priorities:`, each id valid
    /// and used once in the plan (`seen` holds the ids of the plan's earlier priorities).
    pub(super) fn commitments(
        &mut self,
        priority: usize,
        raw: Vec<RawCommitment>,
        seen: &mut HashMap<String, Range<usize>>,
    ) -> Vec<CommitmentDef> {
        let mut list = Vec::with_capacity(raw.len());
        for (j, c) in raw.into_iter().enumerate() {
            let Some(def) = self.commitment(priority, j, c) else {
                continue;
            };
            if let Some(first) = seen.get(def.id.as_str()) {
                self.duplicates.push(
                    Diagnostic::error(format!(
                        "commitment id `{}` is used twice in this plan",
                        def.id
                    ))
                    .at(self.file, def.span.clone())
                    .help(
                        "give each commitment its own id: reports name it as plan-id/commitment-id",
                    )
                    .also(self.file, first.clone(), "first used here"),
                );
                continue;
            }
            seen.insert(def.id.to_string(), def.span.clone());
            list.push(def);
        }
        list
    }

    /// Commitment `j` of the priority at `priority`, its fields checked; `None` when its id
    /// is unusable.
    fn commitment(&mut self, priority: usize, j: usize, c: RawCommitment) -> Option<CommitmentDef> {
        let path = |key| {
            [
                Seg::Key("priorities"),
                Seg::Index(priority),
                Seg::Key("commitments"),
                Seg::Index(j),
                Seg::Key(key),
            ]
        };
        let here = self.at(&path("id"));
        if c.text.trim().is_empty() {
            self.err(
                self.at(&path("text")),
                "the commitment's text is empty",
                "say what was promised, in a sentence",
            );
        }
        let due = c.due.as_ref().and_then(|d| {
            let span = self.at(&path("due"));
            Due::parse(d.text().trim())
                .map_err(|m| self.err(span.clone(), m, DUE_HELP))
                .ok()
                .map(|value| At { value, span })
        });
        let metric = c.metric.as_ref().and_then(|m| {
            let span = self.at(&path("metric"));
            check_id("metric id", m)
                .map_err(|e| self.err(span.clone(), e, "ids use letters, digits, - and _ only"))
                .ok()
                .map(|()| At {
                    value: MetricId(m.clone()),
                    span,
                })
        });
        let target = c.target.as_ref().and_then(|t| {
            self.target(t, self.at(&path("target")), due.is_some(), metric.is_some())
        });
        if let Err(m) = check_id("commitment id", &c.id) {
            self.err(here, m, "use letters, digits, - and _ only");
            return None;
        }
        Some(CommitmentDef {
            id: CommitmentId(c.id),
            span: here,
            text: c.text.trim().to_string(),
            due,
            owner: c.owner.map(|o| o.trim().to_string()),
            metric,
            target,
        })
    }

    /// A commitment's `target:` at `span`: a value, for a period or else by the due date.
    fn target(
        &mut self,
        t: &RawTarget,
        span: Range<usize>,
        has_due: bool,
        has_metric: bool,
    ) -> Option<Target> {
        if !has_metric {
            self.err(
                span,
                "a target needs a metric to be measured by",
                "add `metric: METRIC-ID` to the commitment, or remove the target",
            );
            return None;
        }
        let period = match &t.period {
            Some(p) => {
                let text = p.text();
                match Period::parse(text.trim()) {
                    Some(p) => Some(p),
                    None => {
                        self.err(
                            span,
                            format!("the target's period `{text}` is not a year or a month"),
                            "write it as the metric's readings are: YYYY or YYYY-MM",
                        );
                        return None;
                    }
                }
            }
            None if !has_due => {
                self.err(
                    span,
                    "a target needs a date: the commitment has no `due`",
                    "add `due:` to the commitment, or `period:` to the target",
                );
                return None;
            }
            None => None,
        };
        Some(Target {
            period,
            value: t.value,
            span,
        })
    }

    /// A document's `progress:` reports. Only dated documents report progress: a page has no
    /// date to report it at.
    pub(super) fn progress(&mut self, kind: Kind, raw: &Raw) -> Vec<ProgressEntry> {
        if !raw.progress.is_empty() && !kind.is_dated() {
            self.err(
                self.at(&[Seg::Key("progress")]),
                "a page cannot report `progress`: it has no date, so it reports nothing",
                "move the report to a dated document (a report, statement or letter)",
            );
            return Vec::new();
        }
        let mut list: Vec<ProgressEntry> = Vec::with_capacity(raw.progress.len());
        for (i, p) in raw.progress.iter().enumerate() {
            let Some(entry) = self.report(i, p) else {
                continue;
            };
            if let Some(first) = list
                .iter()
                .find(|e| e.commitment.value == entry.commitment.value)
            {
                self.errors.push(
                    Diagnostic::error(format!(
                        "`{}` is reported twice in this document",
                        entry.commitment.value
                    ))
                    .at(self.file, entry.commitment.span.clone())
                    .help("keep one report per commitment in a document: its latest status")
                    .also(
                        self.file,
                        first.commitment.span.clone(),
                        "first reported here",
                    ),
                );
                continue;
            }
            list.push(entry);
        }
        list
    }

    /// Report `i` of `progress:`, its commitment reference and status checked; `None` when
    /// either is unusable.
    fn report(&mut self, i: usize, p: &RawProgress) -> Option<ProgressEntry> {
        let at = |key| [Seg::Key("progress"), Seg::Index(i), Seg::Key(key)];
        let (c_span, s_span) = (self.at(&at("commitment")), self.at(&at("status")));
        let given = p.commitment.trim();
        let commitment = CommitmentRef::parse(given);
        if commitment.is_none() {
            // A bare id is most likely the commitment without its plan: say so with it.
            let help = if is_valid_id(given) {
                format!("name its plan too: plan-id/{given}")
            } else {
                "write it as plan-id/commitment-id, with letters, digits, - and _ only".to_string()
            };
            self.err(
                c_span.clone(),
                format!("`{}` is not a commitment reference", p.commitment),
                &help,
            );
        }
        let status = ProgressStatus::parse(p.status.trim());
        if status.is_none() {
            let help = status_help(p.status.trim());
            self.err(
                s_span.clone(),
                format!("unknown status `{}`", p.status),
                &help,
            );
        }
        Some(ProgressEntry {
            commitment: At {
                value: commitment?,
                span: c_span,
            },
            status: At {
                value: status?,
                span: s_span,
            },
            note: p
                .note
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string),
        })
    }
}
