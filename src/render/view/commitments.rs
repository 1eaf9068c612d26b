//! What templates see of commitments: a commitment's page, the list of a plan's commitments,
//! the scorecard on plan and priority pages, a commitment as a list shows it, and a document's
//! "Progress reported". Every status and verdict comes from the graph's rules
//! ([`crate::graph::commitments`]); this module only puts them into words and links.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Context, Crumb, DateView, Link, PageBuilder};
use crate::content::commitments::{Due, ProgressStatus};
use crate::content::{DocIx, PlanIx, SitePath};
use crate::figures;
use crate::graph::PriorityKey;
use crate::graph::commitments::{
    CommitmentKey, ReportRef, Standing, TargetCheck, Verdict, plan_commitments,
    priority_commitments,
};
use crate::render::scorecard;
use crate::urls::metric_url;

/// A status as a badge shows it: its word, and the slug its shape and colour are chosen by.
#[derive(Serialize)]
pub(crate) struct StatusView {
    pub(crate) slug: &'static str,
    pub(crate) label: String,
}

impl StatusView {
    fn of(s: Standing, locale: &crate::i18n::Locale) -> StatusView {
        StatusView {
            slug: s.slug(),
            label: status_label(s, locale),
        }
    }

    fn reported(s: ProgressStatus, locale: &crate::i18n::Locale) -> StatusView {
        StatusView::of(Standing::of(s), locale)
    }
}

/// A standing's word in the site's language: "On track" (the theme's `status_on_track`).
pub(crate) fn status_label(s: Standing, locale: &crate::i18n::Locale) -> String {
    locale.text(&format!("status_{}", s.slug().replace('-', "_")), &[])
}

/// A due date: as written (`2025-03`, for `<time datetime>`), and in words ("March 2025").
#[derive(Serialize)]
pub(crate) struct DueView {
    pub(crate) iso: String,
    pub(crate) text: String,
}

impl DueView {
    /// `d` in ISO 8601 and in `locale`'s words: "2025", "March 2025", "31 March 2025".
    pub(super) fn new(d: Due, locale: &crate::i18n::Locale) -> DueView {
        let text = match d {
            Due::Period(p) => super::period_label(locale, p),
            Due::Day(day) => locale.date(day),
        };
        DueView { iso: d.iso(), text }
    }
}

/// A commitment as a list shows it: its text linked to its page, and where it stands.
#[derive(Serialize)]
pub(crate) struct CommitmentItem {
    pub(crate) text: String,
    pub(crate) href: String,
    pub(crate) status: StatusView,
    pub(crate) owner: Option<String>,
    pub(crate) due: Option<DueView>,
}

/// The counts of a set of commitments by standing: the bar, and the table beside it.
#[derive(Serialize)]
pub(crate) struct ScorecardView {
    /// Inline SVG, one image with the counts in words; empty in a fingerprint (drawn from the
    /// counts, which the fingerprint holds).
    pub(crate) svg: String,
    pub(crate) caption: String,
    /// Every standing, zeros included, in [`Standing::ALL`]'s order.
    pub(crate) rows: Vec<TallyRow>,
    pub(crate) total: usize,
}

#[derive(Serialize)]
pub(crate) struct TallyRow {
    pub(crate) status: StatusView,
    pub(crate) count: usize,
    /// The bar's segment for this standing, as a sample: the table is the bar's key.
    pub(crate) swatch: String,
}

/// One report in a commitment's history.
#[derive(Serialize)]
pub(crate) struct ReportView {
    /// The reporting document's id, which the report's fragment (`#report-ID`) is made from:
    /// the feed of reports links entries there.
    pub(crate) id: String,
    pub(crate) date: Option<DateView>,
    pub(crate) status: StatusView,
    pub(crate) note: Option<String>,
    pub(crate) document: Link,
}

/// A commitment's target: the sentence stating it, and what the data say.
#[derive(Serialize)]
pub(crate) struct TargetView {
    pub(crate) metric: Link,
    /// "Target: 60% by March 2025."
    pub(crate) target: String,
    /// "Met: 62% in March 2025.", "Not met: …", "No reading by …", "Not yet due: …".
    pub(crate) verdict: String,
    /// `met`, `not-met`, `no-reading` or `pending`.
    pub(crate) verdict_slug: &'static str,
}

#[derive(Serialize)]
pub(crate) struct CommitmentPage {
    pub(crate) id: String,
    pub(crate) text: String,
    pub(crate) plan: Link,
    pub(crate) priority: Link,
    pub(crate) owner: Option<String>,
    pub(crate) due: Option<DueView>,
    pub(crate) status: StatusView,
    pub(crate) overdue: bool,
    /// When overdue: what the latest report said, if any.
    pub(crate) last_reported: Option<StatusView>,
    pub(crate) as_of: Option<DateView>,
    pub(crate) target: Option<TargetView>,
    /// The metric it is measured by, when it has no target.
    pub(crate) metric: Option<Link>,
    /// Every report, newest first.
    pub(crate) history: Vec<ReportView>,
    /// The plan's list of commitments.
    pub(crate) all: String,
}

#[derive(Serialize)]
pub(crate) struct CommitmentContent {
    pub(crate) commitment: CommitmentPage,
}

/// A priority's commitments, as a plan's list groups them.
#[derive(Serialize)]
pub(crate) struct PriorityCommitments {
    pub(crate) title: String,
    pub(crate) href: String,
    pub(crate) commitments: Vec<CommitmentItem>,
}

#[derive(Serialize)]
pub(crate) struct PlanCommitmentsPage {
    pub(crate) plan: Link,
    pub(crate) as_of: Option<DateView>,
    pub(crate) scorecard: ScorecardView,
    pub(crate) priorities: Vec<PriorityCommitments>,
}

#[derive(Serialize)]
pub(crate) struct PlanCommitmentsContent {
    pub(crate) commitments: PlanCommitmentsPage,
}

/// A plan's or a priority's "Commitments" section: the scorecard, and a link to the list.
#[derive(Serialize)]
pub(crate) struct CommitmentsSection {
    pub(crate) scorecard: ScorecardView,
    pub(crate) as_of: Option<DateView>,
    /// The plan's list of commitments.
    pub(crate) href: String,
}

/// One report a document makes, as its "Progress reported" lists it.
#[derive(Serialize)]
pub(crate) struct ProgressView {
    pub(crate) commitment: Link,
    pub(crate) plan: Link,
    pub(crate) status: StatusView,
    pub(crate) note: Option<String>,
}

/// The id the scorecard gives its parts (one scorecard per page).
const SCORECARD_ID: &str = "ps-scorecard";

/// "Target: 60% by March 2025." and its verdict, for `check`, in metric `m`'s unit, in
/// `locale`'s words.
fn target_sentences(
    m: &crate::content::Metric,
    target: f64,
    by: &str,
    check: &TargetCheck,
    locale: &crate::i18n::Locale,
) -> (String, String, &'static str) {
    let unit = m.unit;
    let reading = |i: usize| {
        let p = &m.series[i];
        let value = figures::value_in(locale, unit, p.value);
        let period = locale.period(p.period);
        locale.text("value_in_period", &[("value", &value), ("period", &period)])
    };
    let (key, reading, slug) = match check.verdict {
        Verdict::Met(i) => ("verdict_met", reading(i), "met"),
        Verdict::NotMet(i) => ("verdict_not_met", reading(i), "not-met"),
        Verdict::NoReading => ("verdict_no_reading", String::new(), "no-reading"),
        Verdict::Pending(Some(i)) => ("verdict_pending", reading(i), "pending"),
        Verdict::Pending(None) => ("verdict_pending_no_reading", String::new(), "pending"),
    };
    let verdict = locale.text(key, &[("reading", &reading), ("by", by)]);
    let value = figures::value_in(locale, unit, target);
    (
        locale.text("commitment_target", &[("value", &value), ("by", by)]),
        verdict,
        slug,
    )
}

impl<'a> PageBuilder<'a> {
    fn reference(&self) -> Option<NaiveDate> {
        self.graph.reference.map(|r| r.date)
    }

    /// Commitment `key` as lists show it.
    pub(crate) fn commitment_item(&self, key: CommitmentKey) -> CommitmentItem {
        let def = key.def(self.site);
        CommitmentItem {
            text: def.text.clone(),
            href: self.page_href(&self.graph.commitment_url(self.site, key)),
            status: StatusView::of(self.graph.standing(self.site, key), &self.site.locale),
            owner: def.owner.clone(),
            due: def
                .due
                .as_ref()
                .map(|d| DueView::new(d.value, &self.site.locale)),
        }
    }

    /// The scorecard of `keys`, at the site's reference date.
    fn scorecard(&self, keys: &[CommitmentKey]) -> ScorecardView {
        let tally = self.graph.tally(self.site, keys);
        let as_of = self.reference().map(|d| self.site.locale.date(d));
        let caption = match &as_of {
            Some(d) => self
                .site
                .locale
                .text("commitments_by_status_as_of", &[("date", d)]),
            None => self.site.locale.text("commitments_by_status", &[]),
        };
        ScorecardView {
            svg: self.chart(|| {
                scorecard::bar(&tally, as_of.as_deref(), SCORECARD_ID, &self.site.locale)
            }),
            caption,
            rows: tally
                .iter()
                .map(|&(s, count)| TallyRow {
                    status: StatusView::of(s, &self.site.locale),
                    count,
                    swatch: self.chart(|| scorecard::swatch(s, SCORECARD_ID)),
                })
                .collect(),
            total: keys.len(),
        }
    }

    /// A plan's "Commitments" section, for a plan that makes some.
    pub(crate) fn plan_scorecard(&self, p: PlanIx) -> Option<CommitmentsSection> {
        let keys = plan_commitments(self.site, p);
        (!keys.is_empty()).then(|| self.section(p, &keys))
    }

    /// Plan `p`'s commitments as the home page sums them up, for a plan that makes some.
    pub(crate) fn commitments_glance(&self, p: PlanIx) -> Option<super::CommitmentsGlance> {
        let keys = plan_commitments(self.site, p);
        (!keys.is_empty()).then(|| {
            let tally = self.graph.tally(self.site, &keys);
            let as_of = self.reference().map(|d| self.site.locale.date(d));
            let (count, rest) =
                scorecard::description_parts(&tally, as_of.as_deref(), &self.site.locale);
            super::CommitmentsGlance {
                count,
                rest,
                href: self.page_href(&self.graph.plan_commitments_url(self.site, p)),
            }
        })
    }

    /// A priority's "Commitments" section, for a priority that makes some.
    pub(crate) fn priority_scorecard(&self, key: PriorityKey) -> Option<CommitmentsSection> {
        let keys = priority_commitments(self.site, key);
        (!keys.is_empty()).then(|| self.section(key.plan, &keys))
    }

    fn section(&self, p: PlanIx, keys: &[CommitmentKey]) -> CommitmentsSection {
        CommitmentsSection {
            scorecard: self.scorecard(keys),
            as_of: self.reference().map(|d| self.date(d)),
            href: self.page_href(&self.graph.plan_commitments_url(self.site, p)),
        }
    }

    /// A priority's commitments as lists show them.
    pub(crate) fn priority_commitment_items(&self, key: PriorityKey) -> Vec<CommitmentItem> {
        priority_commitments(self.site, key)
            .into_iter()
            .map(|k| self.commitment_item(k))
            .collect()
    }

    /// Document `i`'s progress reports, in the order written, each with its commitment.
    pub(crate) fn progress_reported(&self, i: DocIx) -> Vec<ProgressView> {
        self.graph.refs[i]
            .reports
            .iter()
            .map(|&(key, entry)| {
                let report = ReportRef { doc: i, entry }.entry(self.site);
                ProgressView {
                    commitment: Link {
                        lang: None,
                        label: key.def(self.site).text.clone(),
                        href: self.page_href(&self.graph.commitment_url(self.site, key)),
                    },
                    plan: self.doc_link(key.plan()),
                    status: StatusView::reported(report.status.value, &self.site.locale),
                    note: report.note.clone(),
                }
            })
            .collect()
    }

    /// Home > (Plans) > PLAN > Commitments, the last linked unless it is this page.
    fn commitment_crumbs(&self, p: PlanIx, list_here: bool) -> Vec<Crumb> {
        let plan = &self.site.documents[p];
        let mut crumbs = self.section_crumbs(plan.kind);
        crumbs.push(self.doc_crumb(plan));
        if list_here {
            crumbs.push(self.here_word("commitments"));
        } else {
            crumbs.push(self.crumb(
                &self.site.locale.text("commitments", &[]),
                &self.graph.plan_commitments_url(self.site, p),
            ));
        }
        crumbs
    }

    /// The target of `key`, judged, with its metric; none without a target.
    fn target_view(&self, key: CommitmentKey) -> Option<TargetView> {
        let check = self.graph.target_check(self.site, key)?;
        let def = key.def(self.site);
        let target = def.target.as_ref()?;
        let m = &self.site.metrics[self.graph.commitment_metric(self.site, key)?];
        let by = match (target.period, &def.due) {
            (Some(p), _) => self.site.locale.period(p),
            (None, Some(d)) => DueView::new(d.value, &self.site.locale).text,
            (None, None) => return None,
        };
        let (target, verdict, verdict_slug) =
            target_sentences(m, target.value, &by, &check, &self.site.locale);
        Some(TargetView {
            metric: Link {
                lang: None,
                label: m.title.clone(),
                href: self.page_href(&metric_url(m)),
            },
            target,
            verdict,
            verdict_slug,
        })
    }

    /// The metric `key` is measured by, linked.
    fn commitment_metric(&self, key: CommitmentKey) -> Option<Link> {
        let m = &self.site.metrics[self.graph.commitment_metric(self.site, key)?];
        Some(Link {
            lang: None,
            label: m.title.clone(),
            href: self.page_href(&metric_url(m)),
        })
    }

    fn report_view(&self, r: ReportRef) -> ReportView {
        let entry = r.entry(self.site);
        ReportView {
            id: self.site.documents[r.doc].id.to_string(),
            date: r.date(self.site).map(|d| self.date(d)),
            status: StatusView::reported(entry.status.value, &self.site.locale),
            note: entry.note.clone(),
            document: self.doc_link(r.doc),
        }
    }

    /// A commitment's page.
    pub(crate) fn commitment(&self, key: CommitmentKey) -> Context<'a, CommitmentContent> {
        let def = key.def(self.site);
        let plan = &self.site.documents[key.plan()];
        let standing = self.graph.standing(self.site, key);
        let overdue = standing == Standing::Overdue;
        let last_reported = self
            .graph
            .report_at(self.site, key, self.reference())
            .filter(|_| overdue)
            .map(|r| StatusView::reported(r.status(self.site), &self.site.locale));
        let target = self.target_view(key);
        let commitment = CommitmentPage {
            id: def.id.as_str().to_string(),
            text: def.text.clone(),
            plan: self.doc_link(key.plan()),
            priority: {
                let p = self.priority_link(key.priority);
                Link {
                    lang: None,
                    label: p.title,
                    href: p.href,
                }
            },
            owner: def.owner.clone(),
            due: def
                .due
                .as_ref()
                .map(|d| DueView::new(d.value, &self.site.locale)),
            status: StatusView::of(standing, &self.site.locale),
            overdue,
            last_reported,
            as_of: self.reference().map(|d| self.date(d)),
            metric: if target.is_none() {
                self.commitment_metric(key)
            } else {
                None
            },
            target,
            history: self
                .graph
                .reports(key)
                .iter()
                .map(|&r| self.report_view(r))
                .collect(),
            all: self.page_href(&self.graph.plan_commitments_url(self.site, key.plan())),
        };
        let mut breadcrumbs = self.commitment_crumbs(key.plan(), false);
        breadcrumbs.push(Self::here(&def.text));
        self.context(
            def.text.clone(),
            Some(format!(
                "A commitment of {}: where it stands, and every progress report on it.",
                plan.title
            )),
            &self.graph.commitment_url(self.site, key),
            breadcrumbs,
            CommitmentContent { commitment },
        )
    }

    /// The list of plan `p`'s commitments, by priority, with the plan's scorecard.
    pub(crate) fn plan_commitments(&self, p: PlanIx) -> Context<'a, PlanCommitmentsContent> {
        let plan = &self.site.documents[p];
        let count = plan.plan.as_ref().map_or(0, |s| s.priorities.len());
        let priorities = (0..count)
            .map(|priority| PriorityKey { plan: p, priority })
            .filter_map(|key| {
                let commitments = self.priority_commitment_items(key);
                let link = self.priority_link(key);
                (!commitments.is_empty()).then_some(PriorityCommitments {
                    title: link.title,
                    href: link.href,
                    commitments,
                })
            })
            .collect();
        let url: SitePath = self.graph.plan_commitments_url(self.site, p);
        self.context(
            format!("Commitments: {}", plan.title),
            Some(format!(
                "Every commitment {} makes, by priority, and where each stands.",
                plan.title
            )),
            &url,
            self.commitment_crumbs(p, true),
            PlanCommitmentsContent {
                commitments: PlanCommitmentsPage {
                    plan: self.doc_link(p),
                    as_of: self.reference().map(|d| self.date(d)),
                    scorecard: self.scorecard(&plan_commitments(self.site, p)),
                    priorities,
                },
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metric() -> crate::content::Metric {
        let text = "title: T\nunit: percent\nbetter: higher\nsource: s\nseries:\n  - { period: 2024-03, value: 62 }\n  - { period: 2025-01, value: 58.5 }\n";
        crate::content::metrics::parse(crate::diag::FileId(0), "t", text).expect("a metric")
    }

    fn said(verdict: Verdict) -> (String, String, &'static str) {
        let check = TargetCheck {
            by: NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(),
            verdict,
        };
        target_sentences(
            &metric(),
            60.0,
            "March 2025",
            &check,
            crate::i18n::english(),
        )
    }

    #[test]
    fn a_target_and_its_verdict_are_said_with_the_deciding_reading() {
        let (target, met, slug) = said(Verdict::Met(0));
        assert_eq!(target, "Target: 60% by March 2025.");
        assert_eq!((met.as_str(), slug), ("Met: 62% in March 2024.", "met"));
        assert_eq!(
            said(Verdict::NotMet(1)).1,
            "Not met: 58.5% in January 2025."
        );
        assert_eq!(said(Verdict::NoReading).1, "No reading by March 2025.");
        assert_eq!(
            said(Verdict::Pending(Some(1))).1,
            "Not yet due: latest reading 58.5% in January 2025."
        );
        assert_eq!(
            said(Verdict::Pending(None)).1,
            "Not yet due: no reading yet."
        );
    }
}
