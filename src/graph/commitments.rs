//! Promises resolved: each commitment's key, the progress reports made on it, and what the
//! site says of it at a date — its standing (a report's status, overdue, or no report yet) and
//! whether its target was met. Every rule about a commitment's status lives here, so the
//! commitment page, the plan's scorecard, the tracker, the feed and the data files agree.

use std::ops::Range;

use chrono::NaiveDate;

use super::{DocResolver, Graph, PriorityKey, links, push_unique};
use crate::content::commitments::{CommitmentDef, ProgressEntry, ProgressStatus};
use crate::content::metrics::{Better, Metric, Period};
use crate::content::{DocIx, MetricIx, PlanIx, Site, SitePath};
use crate::diag::{Diagnostic, did_you_mean, suggest};
use crate::figures;
use crate::graph::freshness::last_day;
use crate::urls;

/// A commitment: its priority, and its place in that priority's `commitments:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct CommitmentKey {
    pub(crate) priority: PriorityKey,
    pub(crate) commitment: usize,
}

impl CommitmentKey {
    pub(crate) fn plan(self) -> PlanIx {
        self.priority.plan
    }

    /// The commitment as its plan defines it.
    pub(crate) fn def(self, site: &Site) -> &CommitmentDef {
        let plan = site.documents[self.plan()]
            .plan
            .as_ref()
            .expect("a commitment's key names a plan");
        &plan.priorities[self.priority.priority].commitments[self.commitment]
    }
}

/// One progress report: the document that makes it, and its place in that document's
/// `progress:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct ReportRef {
    pub(crate) doc: DocIx,
    pub(crate) entry: usize,
}

impl ReportRef {
    pub(crate) fn entry(self, site: &Site) -> &ProgressEntry {
        &site.documents[self.doc].progress[self.entry]
    }

    pub(crate) fn status(self, site: &Site) -> ProgressStatus {
        self.entry(site).status.value
    }

    /// The report's date: its document's.
    pub(crate) fn date(self, site: &Site) -> Option<NaiveDate> {
        site.documents[self.doc].date
    }
}

/// Where a commitment stands at a date, as the scorecard counts it: each commitment in
/// exactly one of these, so the counts add up to the number of commitments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Standing {
    Delivered,
    OnTrack,
    AtRisk,
    Delayed,
    /// Past its due date, neither delivered nor dropped (whatever its last report said).
    Overdue,
    NotStarted,
    Dropped,
    /// No report on or before the date, and not overdue.
    NoReport,
}

impl Standing {
    /// In the order the scorecard and the tracker show them.
    pub(crate) const ALL: [Standing; 8] = [
        Standing::Delivered,
        Standing::OnTrack,
        Standing::AtRisk,
        Standing::Delayed,
        Standing::Overdue,
        Standing::NotStarted,
        Standing::Dropped,
        Standing::NoReport,
    ];

    /// "On track", as a reader reads it.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Standing::Delivered => "Delivered",
            Standing::OnTrack => "On track",
            Standing::AtRisk => "At risk",
            Standing::Delayed => "Delayed",
            Standing::Overdue => "Overdue",
            Standing::NotStarted => "Not started",
            Standing::Dropped => "Dropped",
            Standing::NoReport => "No report yet",
        }
    }

    /// `on-track`: for CSS classes, filters and the data files.
    pub(crate) fn slug(self) -> &'static str {
        match self {
            Standing::Delivered => "delivered",
            Standing::OnTrack => "on-track",
            Standing::AtRisk => "at-risk",
            Standing::Delayed => "delayed",
            Standing::Overdue => "overdue",
            Standing::NotStarted => "not-started",
            Standing::Dropped => "dropped",
            Standing::NoReport => "no-report",
        }
    }

    /// What a report's status counts as, overdue aside.
    pub(crate) fn of(status: ProgressStatus) -> Standing {
        match status {
            ProgressStatus::NotStarted => Standing::NotStarted,
            ProgressStatus::OnTrack => Standing::OnTrack,
            ProgressStatus::AtRisk => Standing::AtRisk,
            ProgressStatus::Delayed => Standing::Delayed,
            ProgressStatus::Delivered => Standing::Delivered,
            ProgressStatus::Dropped => Standing::Dropped,
        }
    }
}

/// What a commitment's target came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Verdict {
    /// The deciding reading (its place in the metric's series) meets the target.
    Met(usize),
    NotMet(usize),
    /// The date it is judged at has passed and the metric has no reading by then.
    NoReading,
    /// Not yet due at the site's reference date: the latest reading so far, if any.
    Pending(Option<usize>),
}

/// A commitment's target judged: by when, and what the data say.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TargetCheck {
    /// The last day the target is judged at: its period's, else the due date's.
    pub(crate) by: NaiveDate,
    pub(crate) verdict: Verdict,
}

/// Whether `value` meets `target`, in the direction the metric calls better.
fn meets(better: Better, value: f64, target: f64) -> bool {
    match better {
        Better::Higher => value >= target,
        Better::Lower => value <= target,
    }
}

/// The place of the latest reading of `m` whose period ends on or before `by`.
fn reading_by(m: &Metric, by: NaiveDate) -> Option<usize> {
    m.series.iter().rposition(|p| last_day(p.period) <= by)
}

impl Graph {
    /// Every commitment of a published plan, plan by plan (newest first), in the order written.
    pub(crate) fn commitment_keys(&self, site: &Site) -> Vec<CommitmentKey> {
        self.plans
            .iter()
            .flat_map(|&p| plan_commitments(site, p))
            .collect()
    }

    /// The reports on commitment `key`, newest first.
    pub(crate) fn reports(&self, key: CommitmentKey) -> &[ReportRef] {
        self.reports.get(&key).map_or(&[], Vec::as_slice)
    }

    /// The latest report on `key` dated on or before `at` (or the latest of all, without a
    /// date to judge at).
    pub(crate) fn report_at(
        &self,
        site: &Site,
        key: CommitmentKey,
        at: Option<NaiveDate>,
    ) -> Option<ReportRef> {
        let mut reports = self.reports(key).iter().copied();
        match at {
            None => reports.next(),
            Some(at) => reports.find(|r| r.date(site).is_some_and(|d| d <= at)),
        }
    }

    /// Whether `key` is overdue at `at`: the last day of its `due` has passed and its latest
    /// report by then is neither delivered nor dropped.
    pub(crate) fn overdue(&self, site: &Site, key: CommitmentKey, at: Option<NaiveDate>) -> bool {
        let (Some(at), Some(due)) = (at, &key.def(site).due) else {
            return false;
        };
        let settled = self
            .report_at(site, key, Some(at))
            .is_some_and(|r| r.status(site).is_final());
        due.value.last_day() < at && !settled
    }

    /// Where `key` stands at `at`.
    pub(crate) fn standing_at(
        &self,
        site: &Site,
        key: CommitmentKey,
        at: Option<NaiveDate>,
    ) -> Standing {
        if self.overdue(site, key, at) {
            return Standing::Overdue;
        }
        self.report_at(site, key, at)
            .map_or(Standing::NoReport, |r| Standing::of(r.status(site)))
    }

    /// Where `key` stands at the site's reference date: what every page shows.
    pub(crate) fn standing(&self, site: &Site, key: CommitmentKey) -> Standing {
        self.standing_at(site, key, self.reference.map(|r| r.date))
    }

    /// How many of `keys` stand where, in the order of [`Standing::ALL`], leaving out none.
    pub(crate) fn tally(&self, site: &Site, keys: &[CommitmentKey]) -> Vec<(Standing, usize)> {
        let mut counts = [0usize; Standing::ALL.len()];
        for &k in keys {
            let s = self.standing(site, k);
            counts[Standing::ALL.iter().position(|&x| x == s).unwrap_or(0)] += 1;
        }
        Standing::ALL.into_iter().zip(counts).collect()
    }

    /// `key`'s target judged at the site's reference date; `None` without a target, or when
    /// its metric does not exist.
    pub(crate) fn target_check(&self, site: &Site, key: CommitmentKey) -> Option<TargetCheck> {
        let def = key.def(site);
        let target = def.target.as_ref()?;
        let m = &site.metrics[*self.metric_by_id.get(&def.metric.as_ref()?.value)?];
        let by = match (target.period, &def.due) {
            (Some(p), _) => last_day(p),
            (None, Some(due)) => due.value.last_day(),
            (None, None) => return None,
        };
        let reference = self.reference.map(|r| r.date);
        let verdict = match reading_by(m, by) {
            _ if reference.is_some_and(|r| r < by) => Verdict::Pending(reading_by(m, by)),
            Some(i) if meets(m.better, m.series[i].value, target.value) => Verdict::Met(i),
            Some(i) => Verdict::NotMet(i),
            None => Verdict::NoReading,
        };
        Some(TargetCheck { by, verdict })
    }
}

impl Graph {
    /// The page of commitment `key`: `plans/PLAN/commitments/ID/`.
    pub(crate) fn commitment_url(&self, site: &Site, key: CommitmentKey) -> SitePath {
        urls::commitment_url(&site.documents[key.plan()].url, key.def(site).id.as_str())
    }

    /// The metric commitment `key` is measured by; none without one, or when it does not exist.
    pub(crate) fn commitment_metric(&self, site: &Site, key: CommitmentKey) -> Option<MetricIx> {
        let id = &key.def(site).metric.as_ref()?.value;
        self.metric_by_id.get(id).copied()
    }

    /// The page listing plan `p`'s commitments: `plans/PLAN/commitments/`.
    pub(crate) fn plan_commitments_url(&self, site: &Site, p: PlanIx) -> SitePath {
        urls::plan_commitments_url(&site.documents[p].url)
    }
}

/// The commitments of plan `p`, priority by priority, in the order written.
pub(crate) fn plan_commitments(site: &Site, p: PlanIx) -> Vec<CommitmentKey> {
    let Some(plan) = site.documents[p].plan.as_ref() else {
        return Vec::new();
    };
    plan.priorities
        .iter()
        .enumerate()
        .flat_map(|(priority, def)| {
            (0..def.commitments.len()).map(move |commitment| CommitmentKey {
                priority: PriorityKey { plan: p, priority },
                commitment,
            })
        })
        .collect()
}

/// The commitments a priority makes.
pub(crate) fn priority_commitments(site: &Site, key: PriorityKey) -> Vec<CommitmentKey> {
    let n = site.documents[key.plan]
        .plan
        .as_ref()
        .map_or(0, |p| p.priorities[key.priority].commitments.len());
    (0..n)
        .map(|commitment| CommitmentKey {
            priority: key,
            commitment,
        })
        .collect()
}

/// The commitment `id` of plan `p`, or the error for a report that names it.
fn find(site: &Site, p: PlanIx, id: &str) -> Result<CommitmentKey, (String, String)> {
    let keys = plan_commitments(site, p);
    if let Some(&k) = keys.iter().find(|k| k.def(site).id.as_str() == id) {
        return Ok(k);
    }
    let plan = &site.documents[p].id;
    let ids: Vec<&str> = keys.iter().map(|k| k.def(site).id.as_str()).collect();
    let help = match suggest(id, ids.iter().copied()) {
        Some(s) => did_you_mean(&format!("{plan}/{s}")),
        None if ids.is_empty() => format!(
            "plan `{plan}` lists no commitments: add them under its priorities, as `commitments:`"
        ),
        None => format!(
            "plan `{plan}`'s commitments are: {}",
            crate::diag::known_list(&ids)
        ),
    };
    Err((format!("plan `{plan}` has no commitment `{id}`"), help))
}

/// Checks of a plan's commitments that need the rest of the site: each `metric` exists, and
/// each target is given in its metric's periods.
pub(super) fn check_definitions(site: &Site, graph: &Graph, diags: &mut Vec<Diagnostic>) {
    for &p in &graph.plans {
        let d = &site.documents[p];
        for key in plan_commitments(site, p) {
            let def = key.def(site);
            let Some(metric) = &def.metric else { continue };
            let m = match links::metric_index(graph, site, metric.value.as_str()) {
                Ok(i) => &site.metrics[i],
                Err(e) => {
                    if !super::is_echo(site, &e) {
                        diags.push(super::reference_error(
                            d,
                            &metric.span,
                            &format!("metric `{}`", metric.value),
                            &e,
                        ));
                    }
                    continue;
                }
            };
            if let Some(t) = &def.target
                && let Some(period) = t.period
                && period.is_month() != m.latest().period.is_month()
            {
                let shape = |p: Period| if p.is_month() { "months" } else { "years" };
                diags.push(
                    Diagnostic::error(format!(
                        "the target's period {period} is not in metric `{}`'s periods, which are {}",
                        m.id,
                        shape(m.latest().period)
                    ))
                    .at(d.file, t.span.clone())
                    .help(format!(
                        "give the target's period as the readings are, e.g. `{}`",
                        m.latest().period
                    )),
                );
            }
        }
    }
}

impl DocResolver<'_> {
    /// The document's `progress:` reports: each names a commitment that exists, in a plan
    /// published by the document's date; the document then answers to that plan.
    pub(super) fn progress(&mut self) {
        let (graph, site, d) = (self.graph, self.site, self.d);
        for (entry, report) in d.progress.iter().enumerate() {
            let r = &report.commitment.value;
            let span = &report.commitment.span;
            let plan = match links::plan(graph, r.plan.as_str()) {
                Ok(p) => p,
                Err(e) => {
                    self.reference_failed(span, &format!("commitment `{r}`"), &e);
                    continue;
                }
            };
            let key = match find(site, plan, r.commitment.as_str()) {
                Ok(k) => k,
                Err((message, help)) => {
                    let e = Diagnostic::error(message).at(d.file, span.clone());
                    self.out.problems.push(e.help(help));
                    continue;
                }
            };
            self.out.references += 1;
            if self.names_draft_plan(plan, span) {
                continue;
            }
            if let Some(e) = self.reported_early(plan, span) {
                self.out.problems.push(e);
                continue;
            }
            if report.status.value == ProgressStatus::Delivered {
                self.delivered_against_data(key, &report.status.span);
            }
            push_unique(&mut self.refs.plans, plan);
            self.refs.reports.push((key, entry));
        }
    }

    /// The error for a report dated before the plan whose commitment it reports on.
    fn reported_early(&self, plan: PlanIx, span: &Range<usize>) -> Option<Diagnostic> {
        let (d, p) = (self.d, &self.site.documents[plan]);
        let (date, plan_date) = (d.date?, p.date?);
        (date < plan_date && plan.doc() != self.i).then(|| {
            Diagnostic::error(format!(
                "this {} is dated {date}, before the plan `{}` ({plan_date}): it cannot report progress on its commitments",
                d.kind.label().to_lowercase(),
                p.id
            ))
            .at(d.file, span.clone())
            .help("check the document's date, or remove this report")
        })
    }

    /// A warning when a report says `delivered` while the commitment's metric, as of the
    /// report's date, has not reached its target.
    fn delivered_against_data(&mut self, key: CommitmentKey, at: &Range<usize>) {
        let (site, d) = (self.site, self.d);
        let def = key.def(site);
        let (Some(target), Some(metric), Some(date)) = (&def.target, &def.metric, d.date) else {
            return;
        };
        let Ok(m) = links::metric_index(self.graph, site, metric.value.as_str()) else {
            return;
        };
        let m = &site.metrics[m];
        let Some(i) = reading_by(m, date) else { return };
        let p = &m.series[i];
        if meets(m.better, p.value, target.value) {
            return;
        }
        // Only dated documents report progress (a page's `progress:` is refused when read),
        // so the document's kind names what made the report: "this statement says".
        let kind = d.kind.label().to_lowercase();
        self.out.problems.push(
            Diagnostic::warning(format!(
                "this {kind} says `{}` is delivered, but its target is {} and the latest reading of `{}` by {date} is {} in {}",
                def.id,
                figures::value(m.unit, target.value),
                m.id,
                figures::value(m.unit, p.value),
                p.period.label()
            ))
            .at(d.file, at.clone())
            .help("check the status against the data, or say in the note why the commitment counts as delivered"),
        );
    }
}
