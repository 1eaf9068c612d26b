//! The tracker page's view (`commitments/`): every commitment of the published plans, grouped
//! by where it stands (in [`Standing::ALL`]'s order) and then by plan, each with the data
//! attributes that tracker.js filters by.

use serde::Serialize;

use super::commitments::DueView;
use super::{DateView, FeedLink, PageBuilder};
use crate::content::SitePath;
use crate::graph::commitments::Standing;
use crate::render::tracker::{self, Row};
use crate::urls::{COMMITMENTS_FEED, COMMITMENTS_PAGE, commitments_data, encode_path};

#[derive(Serialize)]
pub(crate) struct TrackerContent {
    /// The reference date every status is as of.
    as_of: Option<DateView>,
    /// How many commitments the page lists.
    total: usize,
    /// One per standing that has commitments, in [`Standing::ALL`]'s order.
    groups: Vec<StandingGroup>,
    feed: String,
    csv: String,
    json: String,
    /// The filter, loaded with `defer`.
    script: String,
}

#[derive(Serialize)]
struct StandingGroup {
    slug: &'static str,
    label: String,
    count: usize,
    plans: Vec<PlanGroup>,
}

/// A plan's commitments within one standing.
#[derive(Serialize)]
struct PlanGroup {
    id: String,
    title: String,
    href: String,
    items: Vec<TrackerItem>,
}

#[derive(Serialize)]
struct TrackerItem {
    text: String,
    href: String,
    owner: Option<String>,
    due: Option<DueView>,
    status: &'static str,
    status_label: String,
}

impl PageBuilder<'_> {
    /// The tracker: every commitment, by standing, then by plan (newest plan first), each in
    /// the order its plan writes it.
    pub(crate) fn tracker(&self) -> super::Context<'_, TrackerContent> {
        let rows = tracker::rows(self.site, self.graph);
        let groups = Standing::ALL
            .into_iter()
            .filter_map(|s| self.standing_group(s, &rows))
            .collect();
        let as_of = self.graph.reference.map(|r| self.date(r.date));
        let site = &self.site.config.title;
        let description = match &as_of {
            Some(d) => self.site.locale.text(
                "describe_tracker_as_of",
                &[("site", site), ("date", &d.text)],
            ),
            None => self.site.locale.text("describe_tracker", &[("site", site)]),
        };
        let script = format!("static/{}", self.site.theme.asset_name("tracker.js"));
        let content = TrackerContent {
            as_of,
            total: rows.len(),
            groups,
            feed: self.base().href(COMMITMENTS_FEED),
            csv: self.base().root_href(&commitments_data("csv")),
            json: self.base().root_href(&commitments_data("json")),
            script: self.base().root_href(&script),
        };
        let mut ctx = self.context(
            self.site.locale.text("commitments", &[]),
            Some(description),
            &SitePath(COMMITMENTS_PAGE.into()),
            vec![self.home_crumb(), self.here_word("commitments")],
            content,
        );
        ctx.page.feed = Some(FeedLink {
            href: self.base().href(COMMITMENTS_FEED),
            title: format!("{}: progress on commitments", self.site.config.title),
        });
        ctx
    }

    /// The rows standing at `standing`, by plan in the order the rows come; none when no
    /// commitment stands there.
    fn standing_group(&self, standing: Standing, rows: &[Row]) -> Option<StandingGroup> {
        let mut plans: Vec<PlanGroup> = Vec::new();
        for r in rows.iter().filter(|r| r.status == standing) {
            let plan = r.key.plan();
            if plans.last().is_none_or(|p| p.id != r.plan) {
                let link = self.doc_link(plan);
                plans.push(PlanGroup {
                    id: r.plan.clone(),
                    title: link.label,
                    href: link.href,
                    items: Vec::new(),
                });
            }
            let def = r.key.def(self.site);
            let item = TrackerItem {
                text: r.text.clone(),
                href: self
                    .base()
                    .href(&encode_path(&self.graph.commitment_url(self.site, r.key).0)),
                owner: r.owner.clone(),
                due: def
                    .due
                    .as_ref()
                    .map(|d| DueView::new(d.value, &self.site.locale)),
                status: standing.slug(),
                status_label: super::commitments::status_label(standing, &self.site.locale),
            };
            if let Some(p) = plans.last_mut() {
                p.items.push(item);
            }
        }
        let count = plans.iter().map(|p| p.items.len()).sum();
        (count > 0).then_some(StandingGroup {
            slug: standing.slug(),
            label: super::commitments::status_label(standing, &self.site.locale),
            count,
            plans,
        })
    }
}
