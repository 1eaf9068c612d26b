//! The promise model: commitments a plan's priority makes (`commitments:`), the progress
//! reports dated documents make on them (`progress:`), and the words both are written in.

use std::fmt;
use std::ops::Range;

use chrono::NaiveDate;

use super::document::{At, CommitmentId, MetricId, PlanId, is_valid_id};
use super::metrics::Period;

/// What a progress report says of a commitment (`status:`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum ProgressStatus {
    NotStarted,
    OnTrack,
    AtRisk,
    Delayed,
    Delivered,
    Dropped,
}

impl ProgressStatus {
    pub(crate) const ALL: [ProgressStatus; 6] = [
        ProgressStatus::NotStarted,
        ProgressStatus::OnTrack,
        ProgressStatus::AtRisk,
        ProgressStatus::Delayed,
        ProgressStatus::Delivered,
        ProgressStatus::Dropped,
    ];

    /// The word written in front matter and in the data files (`on-track`).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ProgressStatus::NotStarted => "not-started",
            ProgressStatus::OnTrack => "on-track",
            ProgressStatus::AtRisk => "at-risk",
            ProgressStatus::Delayed => "delayed",
            ProgressStatus::Delivered => "delivered",
            ProgressStatus::Dropped => "dropped",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<ProgressStatus> {
        ProgressStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the commitment is settled: delivered or dropped, so never overdue.
    pub(crate) fn is_final(self) -> bool {
        matches!(self, ProgressStatus::Delivered | ProgressStatus::Dropped)
    }
}

/// A progress report's `status:`: one of the words of [`ProgressStatus::ALL`].
impl schemars::JsonSchema for ProgressStatus {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ProgressStatus".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        crate::schema::one_of(
            &ProgressStatus::ALL.map(ProgressStatus::as_str),
            "Where the commitment stands",
        )
    }
}

/// When a commitment is due: a year, a month or a day, as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Due {
    Period(Period),
    Day(NaiveDate),
}

impl Due {
    /// `2025`, `2025-03` or `2025-03-31`.
    pub(crate) fn parse(s: &str) -> Result<Due, String> {
        if s.len() == 10 {
            return super::front_matter::parse_date(s).map(Due::Day);
        }
        if let Some(year) = Period::year_out_of_range(s) {
            return Err(super::front_matter::year_out_of_range(year));
        }
        Period::parse(s)
            .map(Due::Period)
            .ok_or_else(|| format!("`{s}` is not a year, a month or a date"))
    }

    /// The last day it covers: a commitment due in March 2023 is overdue from 1 April 2023.
    pub(crate) fn last_day(self) -> NaiveDate {
        match self {
            Due::Period(p) => crate::graph::freshness::last_day(p),
            Due::Day(d) => d,
        }
    }

    /// As written: `2025`, `2025-03` or `2025-03-31`.
    pub(crate) fn iso(self) -> String {
        match self {
            Due::Period(p) => p.to_string(),
            Due::Day(d) => d.to_string(),
        }
    }

    /// The first day it covers.
    pub(crate) fn first_day(self) -> NaiveDate {
        match self {
            Due::Period(p) => p.first_day(),
            Due::Day(d) => d,
        }
    }

    /// "2025", "March 2025" or "31 March 2025".
    pub(crate) fn label(self) -> String {
        match self {
            Due::Period(p) => p.label(),
            Due::Day(d) => d.format("%-d %B %Y").to_string(),
        }
    }
}

/// The help for a `due:` that [`Due::parse`] refuses.
pub(crate) const DUE_HELP: &str =
    "write when it is due as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2025-03";

/// What a commitment's metric should reach, and by when.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Target {
    /// The period the target is for: `target.period`, else none (it is then the `due`).
    pub(crate) period: Option<Period>,
    pub(crate) value: f64,
    /// Where `target:` is written.
    pub(crate) span: Range<usize>,
}

/// One promise in a plan's priority.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CommitmentDef {
    pub(crate) id: CommitmentId,
    /// Where its id is written.
    pub(crate) span: Range<usize>,
    pub(crate) text: String,
    pub(crate) due: Option<At<Due>>,
    pub(crate) owner: Option<String>,
    pub(crate) metric: Option<At<MetricId>>,
    pub(crate) target: Option<Target>,
}

// Targets hold an `f64`, which is never NaN here (YAML numbers are checked to be finite).
impl Eq for CommitmentDef {}

/// `plan-id/commitment-id`, as a progress report names a commitment.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct CommitmentRef {
    pub(crate) plan: PlanId,
    pub(crate) commitment: CommitmentId,
}

impl CommitmentRef {
    /// `plan-id/commitment-id`, both valid ids.
    pub(crate) fn parse(s: &str) -> Option<CommitmentRef> {
        let (p, c) = s.split_once('/')?;
        (is_valid_id(p) && is_valid_id(c)).then(|| CommitmentRef {
            plan: PlanId(p.into()),
            commitment: CommitmentId(c.into()),
        })
    }
}

impl fmt::Display for CommitmentRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.plan, self.commitment)
    }
}

/// One item of a document's `progress:`: a status report on a commitment, dated by the
/// document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ProgressEntry {
    pub(crate) commitment: At<CommitmentRef>,
    pub(crate) status: At<ProgressStatus>,
    pub(crate) note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip() {
        for s in ProgressStatus::ALL {
            assert_eq!(ProgressStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ProgressStatus::parse("done"), None);
        assert!(ProgressStatus::Dropped.is_final());
        assert!(!ProgressStatus::Delayed.is_final());
    }

    #[test]
    fn a_due_date_ends_on_the_last_day_it_covers() {
        let day = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(Due::parse("2023").unwrap().last_day(), day("2023-12-31"));
        assert_eq!(Due::parse("2024-02").unwrap().last_day(), day("2024-02-29"));
        assert_eq!(
            Due::parse("2023-03-15").unwrap().last_day(),
            day("2023-03-15")
        );
        assert_eq!(Due::parse("2023-03").unwrap().label(), "March 2023");
        assert_eq!(Due::parse("2023-03-05").unwrap().label(), "5 March 2023");
        assert_eq!(
            Due::parse("soon"),
            Err("`soon` is not a year, a month or a date".into())
        );
        assert_eq!(
            Due::parse("0023"),
            Err("the year 0023 is outside 1000-2999".into())
        );
        assert!(Due::parse("2023-02-30").is_err());
    }

    #[test]
    fn commitment_references_name_a_plan_and_a_commitment() {
        let r = CommitmentRef::parse("plan-a/monitoring").unwrap();
        assert_eq!(r.to_string(), "plan-a/monitoring");
        assert_eq!(CommitmentRef::parse("monitoring"), None);
        assert_eq!(CommitmentRef::parse("a/b c"), None);
    }
}
