//! The site's reference date, which "how current is this figure" is measured against, and
//! which metrics are stale by it. Never the clock, so that a build can be made again.

use chrono::{Datelike, Months, NaiveDate};

use super::Graph;
use crate::content::metrics::{Metric, Period};
use crate::content::{DocIx, Site};

/// The date the site's figures are as of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ReferenceDate {
    pub(crate) date: NaiveDate,
    /// Whether site.yaml states it (`as_of:`) rather than it being the newest date in the
    /// content.
    pub(crate) stated: bool,
}

/// The last day period `p` covers.
pub(crate) fn last_day(p: Period) -> NaiveDate {
    let next = p.first_day()
        + match p {
            Period::Year(_) => Months::new(12),
            Period::Month(..) => Months::new(1),
        };
    next.pred_opt().unwrap_or(next)
}

/// `as_of:` when site.yaml gives it, else the newest of the published documents' dates,
/// `updated` dates and correction dates (drafts left out, so a preview with drafts gives the
/// same figures as the build) and the last day of every reading's period. Plans' periods,
/// targets and `next_update` are what is intended, not what happened, so they do not count.
pub(crate) fn reference_date(site: &Site, published: &[DocIx]) -> Option<ReferenceDate> {
    if let Some(date) = site.config.as_of {
        return Some(ReferenceDate { date, stated: true });
    }
    let documents = published
        .iter()
        .map(|&i| &site.documents[i])
        .filter(|d| !d.draft)
        .flat_map(|d| d.date.into_iter().chain(d.last_revised()));
    let readings = site
        .metrics
        .iter()
        .flat_map(|m| m.series.iter().map(|p| last_day(p.period)));
    let date = documents.chain(readings).max()?;
    Some(ReferenceDate {
        date,
        stated: false,
    })
}

/// Whether metric `m`'s latest reading ended more than `months` months before `reference`;
/// if so, the month it was last updated, as "Not updated since" names it: the month its
/// `updated:` date falls in when it has one, else the end of its latest period.
pub(crate) fn stale_since(m: &Metric, reference: NaiveDate, months: u32) -> Option<Period> {
    let end = last_day(m.latest().period);
    let fresh_until = end
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX);
    if reference <= fresh_until {
        return None;
    }
    let since = m.updated.unwrap_or(end);
    Some(Period::Month(since.year(), since.month()))
}

/// Every correction of a published document, as (document, index in its `corrections:`),
/// newest first; corrections of one day in the order of the documents' paths.
pub(crate) fn corrections(site: &Site, published: &[DocIx]) -> Vec<(DocIx, usize)> {
    let mut all: Vec<(DocIx, usize)> = published
        .iter()
        .flat_map(|&i| (0..site.documents[i].corrections.len()).map(move |c| (i, c)))
        .collect();
    all.sort_by_key(|&(i, c)| std::cmp::Reverse(site.documents[i].corrections[c].date));
    all
}

impl Graph {
    /// "Not updated since MONTH YEAR" for metric `m`, in the site's language, when it is
    /// stale against the reference date.
    pub(crate) fn not_updated_since(&self, site: &Site, m: &Metric) -> Option<String> {
        let reference = self.reference?;
        stale_since(m, reference.date, site.config.stale_after_months).map(|since| {
            let month = site.locale.period(since);
            site.locale.text("not_updated_since", &[("month", &month)])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// The fixture `fresh`: its newest date is a correction of 10 April 2024; a draft dated
    /// 2025, a plan running to 2030, a target for 2030 and a next_update in September 2024 are
    /// all later and count for nothing, with drafts built or not.
    #[test]
    fn the_reference_date_is_the_newest_published_date_revision_or_reading() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fresh");
        let loaded = crate::content::load(&root);
        let site = loaded.site.expect("the fixture loads");
        for drafts in [false, true] {
            let (graph, _) = crate::graph::resolve(&site, &loaded.sources, drafts);
            let expected = ReferenceDate {
                date: day("2024-04-10"),
                stated: false,
            };
            assert_eq!(graph.reference, Some(expected));
            let dates: Vec<NaiveDate> = graph
                .corrections
                .iter()
                .map(|&(i, c)| site.documents[i].corrections[c].date)
                .collect();
            let mut newest_first = dates.clone();
            newest_first.sort_by(|a, b| b.cmp(a));
            assert_eq!(dates, newest_first);
            assert_eq!(dates.len(), if drafts { 3 } else { 2 });
        }
    }

    #[test]
    fn a_period_ends_on_its_last_day() {
        assert_eq!(last_day(Period::Year(2019)), day("2019-12-31"));
        assert_eq!(last_day(Period::Month(2024, 2)), day("2024-02-29"));
        assert_eq!(last_day(Period::Month(2021, 12)), day("2021-12-31"));
    }

    fn metric(period: Period, updated: Option<NaiveDate>) -> Metric {
        let text = format!(
            "title: T\nunit: count\nbetter: lower\nsource: s\nseries:\n  - {{ period: {period}, value: 1 }}\n"
        );
        let mut m = crate::content::metrics::parse(crate::diag::FileId(0), "m", &text).unwrap();
        m.updated = updated;
        m
    }

    #[test]
    fn stale_only_past_the_months_allowed() {
        let m = metric(Period::Year(2019), None);
        // 2019 ends on 31 December 2019; 18 months later is 30 June 2021.
        assert_eq!(stale_since(&m, day("2021-06-30"), 18), None);
        assert_eq!(
            stale_since(&m, day("2021-07-01"), 18),
            Some(Period::Month(2019, 12))
        );
        assert_eq!(stale_since(&m, day("2021-07-01"), 19), None);
        let m = metric(Period::Month(2021, 12), Some(day("2022-02-10")));
        assert_eq!(
            stale_since(&m, day("2024-01-01"), 18),
            Some(Period::Month(2022, 2))
        );
    }
}
