//! The site-wide tracker's data: whether the site has one, each commitment as one row (its
//! plan, priority, status at the reference date, last report and target verdict), and those
//! rows as `commitments/data.csv` and `commitments/data.json`. The tracker page
//! ([`super::view`]) and the files read the same rows, so they always agree.

use std::hash::{Hash, Hasher};

use chrono::NaiveDate;
use serde::Serialize;

use crate::content::Site;
use crate::graph::Graph;
use crate::graph::commitments::{CommitmentKey, Standing, Verdict};
use crate::urls::encode_path;

/// Whether the site makes the tracker, its feed and its data files: when some published plan
/// makes a commitment.
pub(crate) fn makes_tracker(site: &Site, graph: &Graph) -> bool {
    graph.plans.iter().any(|&p| {
        site.documents[p]
            .plan
            .as_ref()
            .is_some_and(|plan| plan.priorities.iter().any(|d| !d.commitments.is_empty()))
    })
}

/// A target's value: a number as the plan writes it, hashed by its bits (it is never NaN).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(transparent)]
pub(crate) struct TargetValue(pub(crate) f64);

impl Hash for TargetValue {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.to_bits().hash(state);
    }
}

/// What a commitment's target came to, as the data files write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum TargetVerdict {
    Met,
    NotMet,
    NoReading,
    /// Not yet due at the reference date.
    Pending,
}

impl TargetVerdict {
    fn of(v: Verdict) -> TargetVerdict {
        match v {
            Verdict::Met(_) => TargetVerdict::Met,
            Verdict::NotMet(_) => TargetVerdict::NotMet,
            Verdict::NoReading => TargetVerdict::NoReading,
            Verdict::Pending(_) => TargetVerdict::Pending,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            TargetVerdict::Met => "met",
            TargetVerdict::NotMet => "not-met",
            TargetVerdict::NoReading => "no-reading",
            TargetVerdict::Pending => "pending",
        }
    }
}

/// One commitment as the tracker and its data files show it, at the site's reference date.
#[derive(Debug, Clone, Hash, Serialize)]
pub(crate) struct Row {
    #[serde(skip)]
    pub(crate) key: CommitmentKey,
    pub(crate) plan: String,
    pub(crate) priority: String,
    #[serde(rename = "commitment")]
    pub(crate) id: String,
    pub(crate) text: String,
    pub(crate) owner: Option<String>,
    /// As written: `2025`, `2025-03` or `2025-03-31`.
    pub(crate) due: Option<String>,
    pub(crate) status: Standing,
    pub(crate) overdue: bool,
    /// The latest report on or before the reference date: its document's date and address.
    #[serde(serialize_with = "iso_date")]
    pub(crate) last_report_date: Option<NaiveDate>,
    pub(crate) last_report_url: Option<String>,
    pub(crate) metric: Option<String>,
    pub(crate) target_value: Option<TargetValue>,
    pub(crate) target_verdict: Option<TargetVerdict>,
    /// The commitment's page, as an absolute URL.
    pub(crate) page: String,
}

/// Every commitment of the site's published plans, plan by plan, in the order written.
pub(crate) fn rows(site: &Site, graph: &Graph) -> Vec<Row> {
    graph
        .commitment_keys(site)
        .into_iter()
        .map(|key| row(site, graph, key))
        .collect()
}

fn row(site: &Site, graph: &Graph, key: CommitmentKey) -> Row {
    let base = &site.config.base_url;
    let plan = &site.documents[key.plan()];
    let def = key.def(site);
    let at = graph.reference.map(|r| r.date);
    let last = graph.report_at(site, key, at);
    let priority = plan
        .plan
        .as_ref()
        .map_or("", |p| p.priorities[key.priority.priority].id.as_str());
    Row {
        key,
        plan: plan.id.to_string(),
        priority: priority.to_string(),
        id: def.id.to_string(),
        text: def.text.clone(),
        owner: def.owner.clone(),
        due: def.due.as_ref().map(|d| d.value.iso()),
        status: graph.standing(site, key),
        overdue: graph.overdue(site, key, at),
        last_report_date: last.and_then(|r| r.date(site)),
        last_report_url: last.map(|r| site.doc_absolute(&site.documents[r.doc])),
        metric: def.metric.as_ref().map(|m| m.value.to_string()),
        target_value: def.target.as_ref().map(|t| TargetValue(t.value)),
        target_verdict: graph
            .target_check(site, key)
            .map(|c| TargetVerdict::of(c.verdict)),
        page: base.absolute(&encode_path(&graph.commitment_url(site, key).0)),
    }
}

/// The tracker's data: the reference date and every row. Hashed for `serve`'s fingerprints,
/// so it holds every input of the files.
#[derive(Debug, Hash)]
pub(crate) struct TrackerData {
    as_of: Option<NaiveDate>,
    rows: Vec<Row>,
}

pub(crate) fn data(site: &Site, graph: &Graph) -> TrackerData {
    TrackerData {
        as_of: graph.reference.map(|r| r.date),
        rows: rows(site, graph),
    }
}

/// `plan,priority,commitment,text,owner,due,status,overdue,last_report_date,last_report_url,
/// metric,target_value,target_verdict`, one row a commitment: `status` is where it stands at
/// the reference date (`on-track`, `overdue`, `no-report`, …), `overdue` is `true` or `false`,
/// and a missing value is an empty field.
pub(crate) fn csv(data: TrackerData) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record([
        "plan",
        "priority",
        "commitment",
        "text",
        "owner",
        "due",
        "status",
        "overdue",
        "last_report_date",
        "last_report_url",
        "metric",
        "target_value",
        "target_verdict",
    ]);
    for r in data.rows {
        let _ = w.write_record([
            r.plan,
            r.priority,
            r.id,
            r.text,
            r.owner.unwrap_or_default(),
            r.due.unwrap_or_default(),
            r.status.slug().to_string(),
            r.overdue.to_string(),
            r.last_report_date
                .map_or_else(String::new, |d| d.to_string()),
            r.last_report_url.unwrap_or_default(),
            r.metric.unwrap_or_default(),
            r.target_value.map_or_else(String::new, |v| v.0.to_string()),
            r.target_verdict
                .map_or_else(String::new, |v| v.as_str().to_string()),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

#[derive(Serialize)]
struct Json<'a> {
    /// The reference date every status is as of.
    #[serde(serialize_with = "iso_date")]
    as_of: Option<NaiveDate>,
    commitments: &'a [Row],
}

/// A date as ISO 8601 (`2025-03-31`), or null.
fn iso_date<S: serde::Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.to_string()),
        None => s.serialize_none(),
    }
}

/// The reference date and every row, as pretty-printed JSON; `<`, `>` and `&` escaped as in
/// a metric's JSON, so that no browser or page reads markup into it.
pub(crate) fn json(data: TrackerData) -> Vec<u8> {
    let doc = Json {
        as_of: data.as_of,
        commitments: &data.rows,
    };
    let json = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    super::data::escape_json(json)
}
