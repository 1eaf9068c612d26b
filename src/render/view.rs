//! What templates see: plain, serialisable views of the site, a document, a listing or the
//! home page. Everything a template prints is prepared here (links, formatted dates), so
//! templates stay logic-free.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::chart;
use crate::config::AccessibleFormats;
use crate::content::{DocIx, Document, MetricIx, PlanIx, Site, SitePath, SourceId};
use crate::diag::{Diagnostic, SourceFiles};
use crate::figures;
use crate::graph::{Graph, Listing, PriorityKey, Target};
use crate::i18n::Locale;
use crate::markdown::{self, Figure, Resolve, escape_html as esc};
use crate::urls::{
    ACCESSIBILITY_PAGE, COMMITMENTS_PAGE, CORRECTIONS_PAGE, FEED, METRICS_PAGE, PAGES_INDEX,
    SEARCH_PAGE, SOURCES_PAGE, TIMELINE_PAGE, encode_path, metric_data, metric_url,
};
use crate::yaml;

mod commitments;

use commitments::{CommitmentItem, CommitmentsSection, ProgressView};
mod tracker;

/// A kind of document in the site's language: "Press release", or with `many`, "Press
/// releases" (the theme's strings `kind_press_release` and `kinds_press_release`).
pub(crate) fn kind_label(locale: &Locale, kind: crate::content::Kind, many: bool) -> String {
    let key = format!(
        "{}_{}",
        if many { "kinds" } else { "kind" },
        kind.name().replace('-', "_")
    );
    locale.text(&key, &[])
}

/// Document `d`'s language, when it is not the language of `site`'s pages: its title and
/// summary, shown in lists, are marked with it.
pub(crate) fn doc_lang(site: &Site, d: &crate::content::Document) -> Option<String> {
    d.language
        .as_ref()
        .filter(|l| **l != site.config.language)
        .map(|l| l.as_str().to_string())
}

/// A metric's period in the site's language: `2021`, or "March 2021", "Mawrth 2021".
pub(crate) fn period_label(locale: &Locale, p: crate::content::metrics::Period) -> String {
    locale.period(p)
}

#[derive(Serialize, Clone, Hash)]
pub(crate) struct Link {
    pub(crate) label: String,
    pub(crate) href: String,
    /// The label's language, when it is not the page's: a document the page's language has
    /// no version of (see [`doc_lang`]).
    pub(crate) lang: Option<String>,
}

#[derive(Serialize, Clone, Hash)]
pub(crate) struct NavItem {
    pub(crate) label: String,
    pub(crate) href: String,
    pub(crate) current: bool,
}

/// The parts of every page that come from the site, built once per build.
#[derive(Serialize, Clone, Hash)]
pub(crate) struct SiteView {
    pub(crate) title: String,
    pub(crate) language: String,
    pub(crate) publisher: Option<String>,
    pub(crate) home: String,
    pub(crate) stylesheet: String,
    pub(crate) nav: Vec<NavItem>,
    /// The pages marked for the footer (a bounded few).
    pub(crate) pages: Vec<Link>,
    /// The index of every page, when the footer does not link them all.
    pub(crate) all_pages: Option<String>,
    /// The accessibility statement, linked from every footer.
    pub(crate) accessibility: String,
    /// The feed of every dated document, announced in every page's head.
    pub(crate) feed: Option<FeedLink>,
    /// The language as Open Graph writes it (`en_GB`).
    pub(crate) locale: String,
    /// Whether the site has a search page (and pages mark what to index).
    pub(crate) search: bool,
    /// The corrections page, linked from every footer when there is a correction.
    pub(crate) corrections: Option<String>,
    /// The `<link rel="icon">`s of every page's head.
    pub(crate) icons: Vec<super::icons::IconLink>,
}

/// An Atom feed, as a page links it.
#[derive(Serialize, Clone, Hash)]
pub(crate) struct FeedLink {
    pub(crate) href: String,
    pub(crate) title: String,
}

impl SiteView {
    pub(crate) fn new(site: &Site, graph: &Graph) -> Self {
        let base = &site.config.base_url;
        let mut nav: Vec<NavItem> = graph
            .listings
            .iter()
            .map(|l| NavItem {
                label: kind_label(&site.locale, l.kind, true),
                href: base.href(&l.page_url(1).0),
                current: false,
            })
            .collect();
        if !graph.timeline.is_empty() {
            nav.push(NavItem {
                label: site.locale.text("timeline", &[]),
                href: base.href(TIMELINE_PAGE),
                current: false,
            });
        }
        if !site.metrics.is_empty() {
            nav.push(NavItem {
                label: site.locale.text("metrics", &[]),
                href: base.href(METRICS_PAGE),
                current: false,
            });
        }
        if super::tracker::makes_tracker(site, graph) {
            nav.push(NavItem {
                label: site.locale.text("commitments", &[]),
                href: base.href(COMMITMENTS_PAGE),
                current: false,
            });
        }
        if !site.sources.is_empty() {
            nav.push(NavItem {
                label: site.locale.text("sources", &[]),
                href: base.href(SOURCES_PAGE),
                current: false,
            });
        }
        if site.config.search {
            nav.push(NavItem {
                label: site.locale.text("search", &[]),
                href: base.href(SEARCH_PAGE),
                current: false,
            });
        }
        let pages = graph
            .footer
            .iter()
            .map(|&i| {
                let d = &site.documents[i];
                Link {
                    lang: doc_lang(site, d),
                    label: d.title.clone(),
                    href: site.doc_href(d),
                }
            })
            .collect();
        SiteView {
            title: site.config.title.clone(),
            language: site.config.language.as_str().into(),
            publisher: site.config.publisher.clone(),
            home: base.href(""),
            stylesheet: base.root_href(&format!("static/{}", site.theme.asset_name("style.css"))),
            accessibility: base.href(ACCESSIBILITY_PAGE),
            nav,
            pages,
            all_pages: graph.makes_page_index().then(|| base.href(PAGES_INDEX)),
            feed: (!graph.timeline.is_empty()).then(|| FeedLink {
                href: base.href(FEED),
                title: format!("{}: everything published", site.config.title),
            }),
            locale: site.config.language.as_str().replace('-', "_"),
            search: site.config.search,
            corrections: (!graph.corrections.is_empty()).then(|| base.href(CORRECTIONS_PAGE)),
            icons: site.shared.icon.links(&site.config),
        }
    }
}

/// A date as a page shows it: ISO 8601 for `<time datetime>`, and in words.
#[derive(Serialize)]
pub(crate) struct DateView {
    pub(crate) iso: String,
    pub(crate) text: String,
}

impl DateView {
    /// `d` in ISO 8601 and as `locale` writes it in words ("24 March 2022").
    pub(crate) fn new(d: NaiveDate, locale: &Locale) -> DateView {
        DateView {
            iso: d.to_string(),
            text: locale.date(d),
        }
    }
}

/// A correction as its document's page shows it.
#[derive(Serialize)]
pub(crate) struct CorrectionView {
    pub(crate) date: DateView,
    pub(crate) note: String,
}

impl CorrectionView {
    /// A document's corrections, in the order written.
    fn all(d: &Document, locale: &Locale) -> Vec<CorrectionView> {
        let view = |c: &crate::content::document::Correction| CorrectionView {
            date: DateView::new(c.date, locale),
            note: c.note.clone(),
        };
        d.corrections.iter().map(view).collect()
    }
}

/// A correction as the corrections page lists it, with its document.
#[derive(Serialize)]
pub(crate) struct CorrectionEntry {
    pub(crate) date: DateView,
    pub(crate) note: String,
    pub(crate) document: Link,
}

#[derive(Serialize)]
pub(crate) struct CorrectionsContent {
    pub(crate) corrections: Vec<CorrectionEntry>,
}

#[derive(Serialize)]
pub(crate) struct PageMeta {
    pub(crate) title: String,
    /// The `<title>`: the page's title, then the site's short title when the two fit in
    /// [`HEAD_TITLE_MAX`] characters.
    pub(crate) head_title: String,
    pub(crate) description: Option<String>,
    pub(crate) canonical: String,
    /// A dated document's date (ISO 8601), which makes it an article to Open Graph.
    pub(crate) published: Option<String>,
    /// The feed of what this page lists.
    pub(crate) feed: Option<FeedLink>,
    /// The picture a shared link to the page shows (`og:image`).
    pub(crate) image: super::share::PageImage,
    /// Its schema.org JSON-LD, escaped for a `<script type="application/ld+json">` block.
    pub(crate) jsonld: Option<String>,
    /// The site's languages, for the `hreflang` links and the language switcher: none when
    /// it has only one.
    pub(crate) languages: Vec<Alternate>,
}

/// This page in one of the site's languages.
#[derive(Serialize, Clone)]
pub(crate) struct Alternate {
    pub(crate) code: String,
    /// The language's name in itself.
    pub(crate) name: String,
    /// This page in that language, or that language's home page when it has no version.
    pub(crate) href: String,
    /// The absolute URL of this page in that language, when it has a version there.
    pub(crate) absolute: Option<String>,
    /// Whether it is the language of this page.
    pub(crate) current: bool,
}

#[derive(Serialize)]
pub(crate) struct Crumb {
    pub(crate) label: String,
    pub(crate) href: Option<String>,
    /// The label's language, when it is not the page's.
    pub(crate) lang: Option<String>,
}

/// A source a document cites, as its page lists it; for a fingerprint, the digest of that.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum Cited {
    Full(Box<SourceView>),
    Digest(u64),
}

/// A document that cites a source, as the sources page links it; for a fingerprint, the digest
/// of its [`DocSummary`], which holds its title and address.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum Citer {
    Link(Link),
    Digest(u64),
}

/// A document as a list shows it: in full, or, for a fingerprint, the digest of that in full
/// (worked out once per document, see [`Digests`]), so that a page listing thousands of
/// documents is not serialised again for every fingerprint.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum Summary {
    Full(DocSummary),
    Digest(u64),
}

#[derive(Serialize)]
pub(crate) struct DocSummary {
    pub(crate) title: String,
    /// The document's language, when it is not the page's.
    pub(crate) lang: Option<String>,
    pub(crate) href: String,
    pub(crate) kind_label: String,
    pub(crate) date_iso: Option<String>,
    pub(crate) date_text: Option<String>,
    pub(crate) summary: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct PriorityView {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) summary: String,
    pub(crate) href: String,
    /// The metrics that measure it, as cards.
    pub(crate) metrics: Vec<MetricSummary>,
    /// The commitments it makes, with where each stands.
    pub(crate) commitments: Vec<CommitmentItem>,
}

/// A priority a document answers to, with its plan.
#[derive(Serialize)]
pub(crate) struct PriorityLink {
    pub(crate) title: String,
    pub(crate) href: String,
    pub(crate) plan: Link,
}

/// A cited source, as listed on a document page or the sources page.
#[derive(Serialize)]
pub(crate) struct SourceView {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) publisher: String,
    pub(crate) date_iso: String,
    pub(crate) date_text: String,
    pub(crate) href: String,
    /// The source's own address, if it has one.
    pub(crate) url: Option<String>,
    /// An archived copy, if it has one.
    pub(crate) archived_url: Option<String>,
    /// When its link was checked, if it says.
    pub(crate) accessed_iso: Option<String>,
    pub(crate) accessed_text: Option<String>,
    pub(crate) cited_by: Vec<Citer>,
    /// The metrics whose readings cite it (sources page only).
    pub(crate) metrics: Vec<SourceMetric>,
}

/// A metric whose readings cite a source, as the sources page lists it.
#[derive(Serialize)]
pub(crate) struct SourceMetric {
    pub(crate) label: String,
    pub(crate) href: String,
    /// Those readings' periods, e.g. "2017, 2021".
    pub(crate) readings: String,
}

#[derive(Serialize)]
pub(crate) struct PriorityContent {
    pub(crate) priority: PriorityPage,
}

#[derive(Serialize)]
pub(crate) struct PriorityPage {
    pub(crate) title: String,
    pub(crate) summary: String,
    pub(crate) plan: Link,
    pub(crate) owner: String,
    pub(crate) docs: Vec<Summary>,
    /// Documents that link to the priority without answering to it, newest first.
    pub(crate) mentions: Vec<Summary>,
    pub(crate) metrics: Vec<MetricSummary>,
    /// Its commitments' scorecard, when it makes some.
    pub(crate) scorecard: Option<CommitmentsSection>,
    pub(crate) commitments: Vec<CommitmentItem>,
}

#[derive(Serialize)]
pub(crate) struct SourcesContent {
    pub(crate) sources: Vec<SourceView>,
}

#[derive(Serialize)]
pub(crate) struct YearView {
    pub(crate) year: i32,
    pub(crate) items: Vec<Summary>,
}

#[derive(Serialize)]
pub(crate) struct TimelineContent {
    pub(crate) years: Vec<YearView>,
}

/// A metric as a card: its latest value, how it has moved, and a sparkline.
#[derive(Serialize)]
pub(crate) struct MetricSummary {
    pub(crate) title: String,
    /// The title's language when it is not the page's: on another language's pages, a metric
    /// with no words in that language has the site's own.
    pub(crate) lang: Option<String>,
    pub(crate) href: String,
    pub(crate) latest: String,
    /// Words before the latest value when it is not a fact yet: "projected to be".
    pub(crate) latest_lead: Option<String>,
    pub(crate) period: String,
    /// The latest reading against the one before, in words, both periods named
    /// ([`figures::compare`]); none for one reading.
    pub(crate) change: Option<String>,
    /// "improving", "worsening" or "unchanged" since the reading before; none for one reading.
    pub(crate) direction: Option<&'static str>,
    /// ↑, ↓ or →: which way the value itself moved.
    pub(crate) arrow: Option<&'static str>,
    /// Inline SVG, decorative; empty for a single reading, which has no line to draw.
    pub(crate) sparkline: String,
    /// "Not updated since MONTH YEAR", when the latest reading is older than the site allows.
    pub(crate) stale: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct MetricRow {
    /// The row's id, which a figure's link names (see [`crate::urls::reading_id`]).
    pub(crate) id: String,
    pub(crate) period: String,
    pub(crate) period_iso: String,
    /// Exactly as the data has it, never scaled or rounded: "£3,249,999".
    pub(crate) value: String,
    pub(crate) note: Option<String>,
    /// "provisional", "projected" or "revised"; none for a final figure.
    pub(crate) status: Option<&'static str>,
    /// The reading's source, linked to its entry on the sources page; given when the table
    /// has a Source column.
    pub(crate) source: Option<Link>,
}

#[derive(Serialize)]
pub(crate) struct MetricPage {
    pub(crate) id: String,
    pub(crate) title: String,
    /// The language of its title and description when it is not the page's.
    pub(crate) lang: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) latest: String,
    /// Words before the latest value when it is not a fact yet: "projected to be".
    pub(crate) latest_lead: Option<String>,
    pub(crate) period: String,
    /// The latest reading against the one before, in words, both periods named.
    pub(crate) change: Option<String>,
    /// "improving", "worsening" or "unchanged": what `change` is, by `better:`.
    pub(crate) direction: Option<&'static str>,
    /// The first reading against the latest; only for more than two readings, when it is not
    /// the same pair as `change`.
    pub(crate) whole_change: Option<String>,
    pub(crate) better: String,
    pub(crate) target: Option<MetricRow>,
    pub(crate) rows: Vec<MetricRow>,
    /// Every source its readings use, in the order of first use.
    pub(crate) sources: Vec<SourceView>,
    /// Whether the table has a Source column: some reading names its own source.
    pub(crate) source_column: bool,
    /// Whether the table has a Status column: some reading has a status.
    pub(crate) status_column: bool,
    pub(crate) priorities: Vec<PriorityLink>,
    /// Inline SVG with its own text alternative; none for a single reading, which the page
    /// shows as a large number instead.
    pub(crate) chart: Option<String>,
    /// The chart's visible caption: what, in what unit, over which periods.
    pub(crate) caption: String,
    /// What each mark the chart draws means, shown under it.
    pub(crate) key: Vec<chart::KeyEntry>,
    /// The data files written next to the page.
    pub(crate) csv: String,
    pub(crate) json: String,
    /// `updated:`: when the latest reading was published.
    pub(crate) updated: Option<DateView>,
    /// `next_update:`, in words.
    pub(crate) next_update: Option<String>,
    /// "Not updated since MONTH YEAR", when the latest reading is older than the site allows.
    pub(crate) stale: Option<String>,
}

/// A listing's meta description: "Every one of the press releases published on SITE, newest
/// first", with the page's place when there are several.
fn listing_description(
    locale: &Locale,
    site: &str,
    l: &Listing,
    page: usize,
    count: usize,
) -> String {
    let what = kind_label(locale, l.kind, true).to_lowercase();
    let place = if count > 1 {
        let (page, pages) = (page.to_string(), count.to_string());
        format!(
            " ({})",
            locale.text("page_of", &[("page", &page), ("pages", &pages)])
        )
    } else {
        String::new()
    };
    locale.text(
        "describe_listing",
        &[("what", &what), ("site", site), ("place", &place)],
    )
}

/// The longest `<title>` that keeps the site's name: search engines cut titles at about this
/// length, so a longer page title stands alone rather than lose its own end.
const HEAD_TITLE_MAX: usize = 70;

/// A page's `<title>`: "Page – Short site title", or the page's title alone when that would
/// run past [`HEAD_TITLE_MAX`] characters or the page is the home page.
fn head_title(title: &str, config: &crate::config::SiteConfig) -> String {
    if title == config.title {
        return title.to_string();
    }
    let full = format!("{title} – {}", config.short_title);
    if full.chars().count() <= HEAD_TITLE_MAX {
        full
    } else {
        title.to_string()
    }
}

/// The id a metric page's chart gives its parts (one chart per page).
const CHART_ID: &str = "ps-chart";

/// A metric chart's caption, as statistical bulletins title a figure: what, in what unit, over
/// which periods ("Londoners who think the police do a good job locally (per cent), December
/// 2017 to December 2021").
fn chart_caption(m: &crate::content::Metric, locale: &Locale) -> String {
    let last = locale.period(m.latest().period);
    let span = if m.series.len() > 1 {
        let first = locale.period(m.series[0].period);
        locale.text("caption_span", &[("from", &first), ("to", &last)])
    } else {
        last
    };
    let unit = locale.text(&format!("unit_{}", figures::unit_key(m.unit)), &[]);
    locale.text(
        "chart_caption",
        &[("title", &m.title), ("unit", &unit), ("span", &span)],
    )
}

#[derive(Serialize)]
pub(crate) struct MetricContent {
    pub(crate) metric: MetricPage,
}

#[derive(Serialize)]
pub(crate) struct AccessibilityContent {
    /// UK public bodies' statements name the enforcement procedure; shown for en-GB sites.
    pub(crate) uk: bool,
}

#[derive(Serialize)]
pub(crate) struct PagesContent {
    pub(crate) pages: Vec<Summary>,
}

#[derive(Serialize)]
pub(crate) struct MetricsContent {
    pub(crate) metrics: Vec<MetricSummary>,
}

/// A plan as the home page shows it: at a glance, its priorities and their metrics.
#[derive(Serialize)]
pub(crate) struct PlanSummary {
    pub(crate) title: String,
    /// The plan's language when it is not the page's (its title, owner and priorities).
    pub(crate) lang: Option<String>,
    pub(crate) href: String,
    pub(crate) owner: String,
    pub(crate) period_text: String,
    pub(crate) priorities: Vec<PriorityGlance>,
    /// Its commitments in a sentence, with the link to them, when it makes any.
    pub(crate) commitments: Option<CommitmentsGlance>,
}

/// A plan's commitments on the home page: the scorecard's sentence, and where they are listed.
#[derive(Serialize)]
pub(crate) struct CommitmentsGlance {
    /// "11 commitments", the link's text, then the rest of the sentence.
    pub(crate) count: String,
    pub(crate) rest: String,
    pub(crate) href: String,
}

#[derive(Serialize)]
pub(crate) struct PriorityGlance {
    pub(crate) label: String,
    pub(crate) href: String,
    pub(crate) metrics: Vec<MetricSummary>,
}

#[derive(Serialize)]
pub(crate) struct PlanView {
    pub(crate) owner: String,
    pub(crate) start_iso: String,
    pub(crate) start_text: String,
    pub(crate) end_iso: String,
    pub(crate) end_text: String,
    pub(crate) priorities: Vec<PriorityView>,
    /// The published plans that name this one in `supersedes:`, with their dates.
    pub(crate) replaced_by: Vec<DatedLink>,
    /// The published plan this one names in `supersedes:`.
    pub(crate) replaces: Option<Link>,
    /// Its commitments' scorecard, when it makes some.
    pub(crate) commitments: Option<CommitmentsSection>,
}

/// A link with the date of what it links to.
#[derive(Serialize)]
pub(crate) struct DatedLink {
    pub(crate) label: String,
    /// The document's language, when it is not the page's.
    pub(crate) lang: Option<String>,
    pub(crate) href: String,
    pub(crate) date_iso: Option<String>,
    pub(crate) date_text: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct DocView<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) kind: &'static str,
    pub(crate) kind_label: String,
    pub(crate) date_iso: Option<String>,
    pub(crate) date_text: Option<String>,
    pub(crate) author: Option<&'a str>,
    pub(crate) summary: Option<&'a str>,
    pub(crate) language: Option<&'a str>,
    pub(crate) draft: bool,
    pub(crate) body: Body,
    /// The "On this page" list, for a body with enough sections.
    pub(crate) contents: Option<Vec<super::contents::ContentsEntry>>,
    pub(crate) extra: &'a BTreeMap<String, yaml::Value>,
    pub(crate) plan: Option<PlanView>,
    /// Plans and priorities this document answers to.
    pub(crate) plans: Vec<Link>,
    pub(crate) priorities: Vec<PriorityLink>,
    pub(crate) sources: Vec<Cited>,
    /// For a plan: the documents that answer to it, newest first.
    pub(crate) backlinks: Vec<Summary>,
    /// The documents that link to this one (for a plan: to it or its priorities) without
    /// answering to it, newest first.
    pub(crate) mentions: Vec<Summary>,
    /// `updated:`, shown in the page's details.
    pub(crate) updated: Option<DateView>,
    /// `corrections:`, in the order written.
    pub(crate) corrections: Vec<CorrectionView>,
    /// `progress:`: the commitments it reports on, with the status it gives each.
    pub(crate) progress: Vec<ProgressView>,
}

/// A document's body as its page shows it: the HTML, or, for a fingerprint, what that HTML is
/// made from (the document's digest and where its links point), so that fingerprinting a page
/// does not render its Markdown.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum Body {
    Html(String),
    Digest { document: u64, targets: u64 },
}

/// An entry of a listing's page-number navigation: a page, or a gap marking the pages left out.
#[derive(Serialize)]
pub(crate) struct PageLink {
    pub(crate) number: usize,
    pub(crate) href: String,
    pub(crate) current: bool,
    /// An ellipsis standing for the pages between its neighbours; `number` and `href` are unset.
    pub(crate) gap: bool,
}

/// Pages either side of the current one that the page-number navigation links.
pub(crate) const PAGE_WINDOW: usize = 2;

/// The page numbers a listing page links, in order, `None` for a gap: the first and last
/// pages and a window of [`PAGE_WINDOW`] either side of `current`. The navigation stays the
/// same size however many pages there are (linking every number made each listing page of a
/// 5,000-page listing 454 KB); a gap that would hide a single page shows that page instead.
pub(crate) fn page_window(current: usize, count: usize) -> Vec<Option<usize>> {
    let low = current.saturating_sub(PAGE_WINDOW).max(1);
    let high = (current + PAGE_WINDOW).min(count);
    let mut out = Vec::with_capacity(2 * PAGE_WINDOW + 5);
    // Before the window: page 1, then a gap unless it would hide page 2 alone.
    match low {
        1 => {}
        2 | 3 => out.extend((1..low).map(Some)),
        _ => out.extend([Some(1), None]),
    }
    out.extend((low..=high).map(Some));
    match count.saturating_sub(high) {
        0 => {}
        1 | 2 => out.extend((high + 1..=count).map(Some)),
        _ => out.extend([None, Some(count)]),
    }
    out
}

#[derive(Serialize)]
pub(crate) struct ListingView {
    pub(crate) title: String,
    pub(crate) heading: String,
    pub(crate) items: Vec<Summary>,
    pub(crate) page: usize,
    pub(crate) page_count: usize,
    pub(crate) prev: Option<String>,
    pub(crate) next: Option<String>,
    pub(crate) pages: Vec<PageLink>,
}

/// The navigation and footer a page shows: in full, or, for a fingerprint, a digest of it.
#[derive(Serialize)]
#[serde(untagged)]
// One per page being made, and rarely owned (only on the pages the navigation marks): boxing
// the view would cost more than the unused bytes of the digest variant.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Chrome<'a> {
    View(Cow<'a, SiteView>),
    Digest(u64),
}

/// What fingerprints put in place of the parts many pages share, each worked out once per
/// fingerprinting pass from exactly what render would serialise.
pub(crate) struct Digests {
    /// The site's navigation and footer ([`SiteView`]).
    pub(crate) chrome: u64,
    /// Per document (by index): its [`DocSummary`].
    pub(crate) summaries: Vec<u64>,
    /// Per source: its [`SourceView`] as a document's page lists it.
    pub(crate) sources: BTreeMap<SourceId, u64>,
}

#[derive(Serialize)]
pub(crate) struct Context<'a, T: Serialize> {
    pub(crate) site: Chrome<'a>,
    pub(crate) page: PageMeta,
    pub(crate) breadcrumbs: Vec<Crumb>,
    pub(crate) accessible_formats: Option<&'a AccessibleFormats>,
    #[serde(flatten)]
    pub(crate) content: T,
}

#[derive(Serialize)]
pub(crate) struct DocContent<'a> {
    pub(crate) doc: DocView<'a>,
}

#[derive(Serialize)]
pub(crate) struct ListingContent {
    pub(crate) listing: ListingView,
}

#[derive(Serialize)]
pub(crate) struct SearchContent {
    /// Where to browse instead: the listings and the metrics, with their sizes.
    pub(crate) browse: Vec<Section>,
    /// The script that runs the search.
    pub(crate) script: String,
}

#[derive(Serialize)]
pub(crate) struct HomeContent {
    pub(crate) plans: Vec<PlanSummary>,
    pub(crate) latest: Vec<Summary>,
    pub(crate) sections: Vec<Section>,
    pub(crate) timeline: Option<String>,
    pub(crate) sources: Option<String>,
    pub(crate) metrics: Option<String>,
    /// The site's reference date, as "Figures as of" states it; none without metrics.
    pub(crate) figures_as_of: Option<DateView>,
}

#[derive(Serialize)]
pub(crate) struct Section {
    pub(crate) label: String,
    pub(crate) href: String,
    pub(crate) count: usize,
}

/// The 404 page: the search page its search box sends the query to, with search on.
#[derive(Serialize)]
pub(crate) struct NotFoundContent {
    pub(crate) search: Option<String>,
}

/// Links and image sources of one document, as published: looked up in what resolve found,
/// never resolved again, so that a link resolve accepted cannot render differently.
struct DocLinks<'a> {
    site: &'a Site,
    graph: &'a Graph,
    /// The document's index.
    index: DocIx,
    /// Destinations resolve has no target for: none, unless render and resolve disagree on
    /// what the document links (a bug, reported rather than published).
    missed: RefCell<Vec<String>>,
}

impl DocLinks<'_> {
    /// The href resolve's target for `dest` publishes as; a miss is recorded, and empty.
    fn href(&self, dest: &str) -> String {
        match self.graph.target(self.index, dest) {
            Some(target) => self.graph.href(self.site, target),
            None => {
                self.missed.borrow_mut().push(dest.to_string());
                String::new()
            }
        }
    }
}

/// The error for a link render found that resolve did not check: render and resolve read the
/// document differently, which is plainsight's bug, so the page is not published with a guess.
fn unresolved(d: &Document, dest: &str) -> Diagnostic {
    Diagnostic::error(format!(
        "internal error: the destination `{dest}` was not checked before rendering"
    ))
    .at(d.file, 0..0)
    .help("this is a bug in plainsight; please report it with this document")
}

impl Resolve for DocLinks<'_> {
    fn metric(&self, dest: &str) -> Option<Figure> {
        // A miss is recorded when the link itself is looked up.
        let Some(&Target::Metric { metric, point }) = self.graph.target(self.index, dest) else {
            return None;
        };
        let m = &self.site.metrics[metric];
        // The figure links to its metric's page; the note, shared by every figure from the
        // same source, cites that source.
        let source = m.source_of(&m.series[point]);
        let note_html = match self.site.sources.get(source) {
            Some(s) => format!(
                "{}: <cite><a href=\"{}\">{}</a></cite>, {}, {}{}",
                self.site.locale.markup("source", &[]),
                esc(&self.graph.source_href(self.site, &s.id)),
                esc(&s.title),
                esc(&s.publisher),
                self.site.locale.date(s.date),
                access_html(s, &self.site.locale)
            ),
            None => format!(
                "{}: {}.",
                self.site.locale.markup("source", &[]),
                esc(source.as_str())
            ),
        };
        Some(Figure {
            value: figures::value_marked_in(&self.site.locale, m.unit, &m.series[point]),
            note_key: source.as_str().to_string(),
            note_html,
        })
    }

    fn link(&self, dest: &str) -> String {
        self.href(dest)
    }
    fn image(&self, dest: &str) -> String {
        self.href(dest)
    }
}

/// What follows a source's date where it is cited, ending the sentence: where else to find it
/// (an archived copy, when its link was checked), or that it is not online. The same words as
/// the `source_access` macro in macros.html.
fn access_html(s: &crate::content::sources::Source, locale: &Locale) -> String {
    if s.url.is_none() && s.archived_url.is_none() {
        return format!(". {}", locale.markup("not_online_ask", &[]));
    }
    let mut notes = Vec::new();
    if let Some(a) = &s.archived_url {
        let words = locale.markup("archived_copy", &[]);
        notes.push(format!("<a href=\"{}\">{words}</a>", esc(a)));
    }
    if let Some(d) = s.accessed {
        let when = format!("<time datetime=\"{d}\">{}</time>", esc(&locale.date(d)));
        notes.push(locale.markup("link_checked", &[("date", &when)]));
    }
    if notes.is_empty() {
        ".".to_string()
    } else {
        format!(" ({}).", notes.join("; "))
    }
}

pub(crate) struct PageBuilder<'a> {
    pub(crate) site: &'a Site,
    pub(crate) sources: &'a SourceFiles,
    pub(crate) graph: &'a Graph,
    pub(crate) chrome: &'a SiteView,
    /// Build for a fingerprint: documents' bodies as [`Body::Digest`], shared parts as their
    /// [`Digests`], and no charts drawn (a chart is drawn from its metric alone, whose file
    /// every fingerprint covers).
    pub(crate) for_fingerprint: Option<&'a Digests>,
}

impl<'a> PageBuilder<'a> {
    /// A date as pages show it, in the site's language.
    pub(crate) fn date(&self, d: NaiveDate) -> DateView {
        DateView::new(d, &self.site.locale)
    }

    /// A chart as `draw` makes it; none when building for a fingerprint.
    fn chart(&self, draw: impl FnOnce() -> String) -> String {
        if self.for_fingerprint.is_some() {
            String::new()
        } else {
            draw()
        }
    }

    fn base(&self) -> &crate::urls::BaseUrl {
        &self.site.config.base_url
    }

    /// The page at `url` in each of the site's languages (see [`PageMeta::languages`]).
    fn alternates(&self, url: &SitePath) -> Vec<Alternate> {
        let doc = match self.graph.written.get(&url.file()) {
            Some(&crate::graph::Output::Document(i)) => Some(&self.site.documents[i]),
            _ => None,
        };
        let base = self.base();
        let path = encode_path(&url.0);
        (self.site.versions(&path, doc).into_iter())
            .map(|(l, absolute)| Alternate {
                code: l.code.to_string(),
                name: l.name.to_string(),
                href: match absolute {
                    Some(_) => base.root_href(&format!("{}{path}", l.folder)),
                    None => base.root_href(&l.folder),
                },
                current: l.index == self.site.config.current,
                absolute,
            })
            .collect()
    }

    fn page_href(&self, url: &SitePath) -> String {
        self.base().href(&encode_path(&url.0))
    }

    /// A page's context: the shared parts plus its own `content`.
    fn context<T: Serialize>(
        &self,
        title: String,
        description: Option<String>,
        url: &SitePath,
        breadcrumbs: Vec<Crumb>,
        content: T,
    ) -> Context<'a, T> {
        let config = &self.site.config;
        // Every page gets a description: search results and shared links show it.
        let description = description
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| format!("{title}, on {}.", config.title));
        Context {
            site: self.chrome_for(&self.page_href(url)),
            page: PageMeta {
                head_title: head_title(&title, config),
                title,
                description: Some(description),
                canonical: self.base().absolute(&encode_path(&url.0)),
                published: None,
                feed: None,
                image: super::share::site_image(self.site),
                jsonld: None,
                languages: self.alternates(url),
            },
            breadcrumbs,
            accessible_formats: None,
            content,
        }
    }

    /// The shared navigation, with `current` marked when this page is one of its entries.
    fn chrome_for(&self, current: &str) -> Chrome<'a> {
        let marked = self.chrome.nav.iter().any(|n| n.href == current);
        if let Some(d) = self.for_fingerprint {
            // The marked entry is all that differs from the shared chrome.
            return Chrome::Digest(if marked {
                xxhash_rust::xxh3::xxh3_64_with_seed(current.as_bytes(), d.chrome)
            } else {
                d.chrome
            });
        }
        if !marked {
            return Chrome::View(Cow::Borrowed(self.chrome));
        }
        let mut c = self.chrome.clone();
        for item in &mut c.nav {
            item.current = item.href == current;
        }
        Chrome::View(Cow::Owned(c))
    }

    /// The shared navigation with no entry marked.
    fn unmarked_chrome(&self) -> Chrome<'a> {
        match self.for_fingerprint {
            Some(d) => Chrome::Digest(d.chrome),
            None => Chrome::View(Cow::Borrowed(self.chrome)),
        }
    }

    fn summary(&self, i: DocIx) -> Summary {
        match self.for_fingerprint {
            Some(d) => Summary::Digest(d.summaries[i.0]),
            None => Summary::Full(self.full_summary(i)),
        }
    }

    /// Document `i` as lists show it.
    pub(crate) fn full_summary(&self, i: DocIx) -> DocSummary {
        let d = &self.site.documents[i];
        DocSummary {
            title: d.title.clone(),
            lang: self.doc_lang(d),
            href: self.site.doc_href(d),
            kind_label: kind_label(&self.site.locale, d.kind, false),
            date_iso: d.date.map(|x| x.to_string()),
            date_text: d.date.map(|d| self.site.locale.date(d)),
            summary: d.summary.clone(),
        }
    }

    /// A backlink list as lists show it; none when there is no list.
    fn summaries(&self, list: Option<&Vec<DocIx>>) -> Vec<Summary> {
        list.map_or_else(Vec::new, |l| l.iter().map(|&i| self.summary(i)).collect())
    }

    /// The documents that mention document `i` (for a plan: it or its priorities) without
    /// answering to it.
    fn mentions(&self, i: DocIx) -> Vec<Summary> {
        self.summaries(if self.site.documents[i].plan.is_some() {
            self.graph.plan_mentions.get(&PlanIx(i))
        } else {
            self.graph.doc_mentions.get(&i)
        })
    }

    /// The published plan that plan `p` replaces.
    fn replaces(&self, p: PlanIx) -> Option<Link> {
        let old = *self.graph.replaces.get(&p)?;
        self.graph.plans.contains(&old).then(|| self.doc_link(old))
    }

    /// The published plans that replace plan `p`, newest first, with their dates.
    fn replaced_by(&self, p: PlanIx) -> Vec<DatedLink> {
        let mut list: Vec<DocIx> = self.graph.replaced_by.get(&p).map_or_else(Vec::new, |l| {
            l.iter()
                .filter(|q| self.graph.plans.contains(q))
                .map(|q| q.doc())
                .collect()
        });
        list.sort_by(|&a, &b| {
            let (a, b) = (&self.site.documents[a], &self.site.documents[b]);
            b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title))
        });
        list.into_iter()
            .map(|i| {
                let d = &self.site.documents[i];
                DatedLink {
                    label: d.title.clone(),
                    lang: self.doc_lang(d),
                    href: self.site.doc_href(d),
                    date_iso: d.date.map(|x| x.to_string()),
                    date_text: d.date.map(|d| self.site.locale.date(d)),
                }
            })
            .collect()
    }

    pub(crate) fn doc_lang(&self, d: &crate::content::Document) -> Option<String> {
        doc_lang(self.site, d)
    }

    fn doc_link(&self, i: impl Into<DocIx>) -> Link {
        let d = &self.site.documents[i.into()];
        Link {
            lang: self.doc_lang(d),
            label: d.title.clone(),
            href: self.site.doc_href(d),
        }
    }

    /// A breadcrumb to document `d`'s page.
    pub(crate) fn doc_crumb(&self, d: &crate::content::Document) -> Crumb {
        Crumb {
            label: d.title.clone(),
            href: Some(self.site.doc_href(d)),
            lang: self.doc_lang(d),
        }
    }

    fn crumb(&self, label: &str, url: &SitePath) -> Crumb {
        Crumb {
            label: label.to_string(),
            href: Some(self.page_href(url)),
            lang: None,
        }
    }

    fn here(label: &str) -> Crumb {
        Crumb {
            label: label.to_string(),
            href: None,
            lang: None,
        }
    }

    /// The page itself, last in its breadcrumbs, named by the theme's string `key`.
    fn here_word(&self, key: &str) -> Crumb {
        Self::here(&self.site.locale.text(key, &[]))
    }

    fn home_crumb(&self) -> Crumb {
        self.crumb(
            &self.site.locale.text("home", &[]),
            &SitePath(String::new()),
        )
    }

    /// Home, then the listing of the document's kind when there is one.
    fn section_crumbs(&self, kind: crate::content::Kind) -> Vec<Crumb> {
        let mut crumbs = vec![self.home_crumb()];
        if let Some(l) = self.graph.listings.iter().find(|l| l.kind == kind) {
            crumbs.push(self.crumb(&kind_label(&self.site.locale, kind, true), &l.page_url(1)));
        }
        crumbs
    }

    fn priority_link(&self, key: PriorityKey) -> PriorityLink {
        let plan = &self.site.documents[key.plan];
        let def = plan.plan.as_ref().map(|p| &p.priorities[key.priority]);
        PriorityLink {
            title: def.map_or_else(String::new, |d| d.title.clone()),
            href: self.page_href(&self.graph.priority_url(self.site, key)),
            plan: self.doc_link(key.plan),
        }
    }

    pub(crate) fn source(&self, id: &SourceId, with_citers: bool) -> Option<SourceView> {
        let s = self.site.sources.get(id)?;
        let cited_by = if with_citers {
            self.graph
                .source_backlinks
                .get(id)
                .map_or_else(Vec::new, |list| {
                    list.iter()
                        .map(|&i| match self.for_fingerprint {
                            Some(d) => Citer::Digest(d.summaries[i.0]),
                            None => Citer::Link(self.doc_link(i)),
                        })
                        .collect()
                })
        } else {
            Vec::new()
        };
        Some(SourceView {
            id: id.as_str().to_string(),
            title: s.title.clone(),
            publisher: s.publisher.clone(),
            date_iso: s.date.to_string(),
            date_text: self.site.locale.date(s.date),
            href: self.graph.source_href(self.site, id),
            url: s.url.clone(),
            archived_url: s.archived_url.clone(),
            accessed_iso: s.accessed.map(|d| d.to_string()),
            accessed_text: s.accessed.map(|d| self.site.locale.date(d)),
            cited_by,
            metrics: if with_citers {
                self.source_metrics(id)
            } else {
                Vec::new()
            },
        })
    }

    /// The metrics whose readings cite source `id`, with those readings' periods.
    fn source_metrics(&self, id: &SourceId) -> Vec<SourceMetric> {
        let Some(list) = self.graph.source_metrics.get(id) else {
            return Vec::new();
        };
        list.iter()
            .map(|(i, readings)| {
                let m = &self.site.metrics[*i];
                SourceMetric {
                    label: m.title.clone(),
                    href: self.page_href(&metric_url(m)),
                    readings: readings
                        .iter()
                        .map(|&n| period_label(&self.site.locale, m.series[n].period))
                        .collect::<Vec<_>>()
                        .join(", "),
                }
            })
            .collect()
    }

    /// A source's entry on the sources page, as a link named by its title.
    fn source_entry(&self, id: &SourceId) -> Option<Link> {
        let s = self.site.sources.get(id)?;
        Some(Link {
            lang: None,
            label: s.title.clone(),
            href: format!("{}#source-{}", self.base().href(SOURCES_PAGE), id.as_str()),
        })
    }

    /// Every source the metric's readings use, in the order of first use.
    fn metric_sources(&self, m: &crate::content::Metric) -> Vec<SourceView> {
        let mut ids: Vec<&SourceId> = Vec::new();
        for p in &m.series {
            let id = m.source_of(p);
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids.into_iter()
            .filter_map(|id| self.source(id, false))
            .collect()
    }

    fn metric_summary(&self, i: MetricIx) -> MetricSummary {
        let m = &self.site.metrics[i];
        let p = m.latest();
        let moved = figures::compare::latest(m);
        MetricSummary {
            lang: self.site.metrics[i].words_in.clone(),
            title: m.title.clone(),
            href: self.page_href(&metric_url(m)),
            latest: figures::value_in(&self.site.locale, m.unit, p.value),
            latest_lead: figures::value_lead(p)
                .map(|_| self.site.locale.text("projected_to_be", &[])),
            period: period_label(&self.site.locale, p.period),
            change: moved.map(|c| c.sentence_in(&self.site.locale)),
            direction: moved.map(|c| c.judgement()),
            arrow: moved.map(|c| c.arrow()),
            sparkline: if m.series.len() > 1 {
                self.chart(|| chart::sparkline(m))
            } else {
                String::new()
            },
            stale: self.graph.not_updated_since(self.site, m),
        }
    }

    /// The metrics that measure a priority, as cards.
    fn priority_metrics(&self, key: PriorityKey) -> Vec<MetricSummary> {
        self.graph
            .priority_metrics
            .get(&key)
            .map_or_else(Vec::new, |l| {
                l.iter().map(|&i| self.metric_summary(i)).collect()
            })
    }

    fn metric_row(
        &self,
        m: &crate::content::Metric,
        p: &crate::content::metrics::Point,
    ) -> MetricRow {
        MetricRow {
            id: crate::urls::reading_id(&p.period),
            period: period_label(&self.site.locale, p.period),
            period_iso: p.period.to_string(),
            value: figures::exact_in(&self.site.locale, m.unit, p.value),
            note: p.note.clone(),
            status: p.status.map(crate::content::metrics::Status::as_str),
            source: None,
        }
    }

    pub(crate) fn metric(&self, i: MetricIx) -> Context<'a, MetricContent> {
        let m = &self.site.metrics[i];
        let p = m.latest();
        let source_column = m.has_reading_sources();
        let moved = figures::compare::latest(m);
        let priorities = self
            .graph
            .priority_metrics
            .iter()
            .filter(|(_, list)| list.contains(&i))
            .map(|(&k, _)| k)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .map(|k| self.priority_link(k))
            .collect();
        let metric = MetricPage {
            lang: m.words_in.clone(),
            id: m.id.as_str().to_string(),
            title: m.title.clone(),
            description: m.description.clone(),
            latest: figures::value_in(&self.site.locale, m.unit, p.value),
            latest_lead: figures::value_lead(p)
                .map(|_| self.site.locale.text("projected_to_be", &[])),
            period: period_label(&self.site.locale, p.period),
            change: moved.map(|c| c.sentence_in(&self.site.locale)),
            direction: moved.map(|c| c.judgement()),
            whole_change: figures::compare::whole(m)
                .filter(|_| m.series.len() > 2)
                .map(|c| c.sentence_in(&self.site.locale)),
            better: self.site.locale.text(
                match m.better {
                    crate::content::metrics::Better::Higher => "better_higher",
                    crate::content::metrics::Better::Lower => "better_lower",
                },
                &[],
            ),
            // The target sits in the page's facts, not the table, so it keeps the scaled form.
            target: m.target.as_ref().map(|t| MetricRow {
                value: figures::value_in(&self.site.locale, m.unit, t.value),
                ..self.metric_row(m, t)
            }),
            rows: m
                .series
                .iter()
                .map(|q| MetricRow {
                    source: source_column
                        .then(|| self.source_entry(m.source_of(q)))
                        .flatten(),
                    ..self.metric_row(m, q)
                })
                .collect(),
            sources: self.metric_sources(m),
            source_column,
            status_column: m.series.iter().any(|q| q.status.is_some()),
            priorities,
            chart: (m.series.len() > 1)
                .then(|| self.chart(|| chart::metric_chart_in(m, CHART_ID, &self.site.locale))),
            caption: chart_caption(m, &self.site.locale),
            key: if m.series.len() > 1 {
                chart::key(m, CHART_ID, &self.site.locale)
            } else {
                Vec::new()
            },
            csv: self.base().root_href(&encode_path(&metric_data(m, "csv"))),
            json: self.base().root_href(&encode_path(&metric_data(m, "json"))),
            updated: m.updated.map(|d| self.date(d)),
            next_update: m.next_update.map(|n| match n {
                crate::content::metrics::NextUpdate::Month(y, m) => self.site.locale.month(y, m),
                crate::content::metrics::NextUpdate::Day(d) => self.site.locale.date(d),
            }),
            stale: self.graph.not_updated_since(self.site, m),
        };
        let breadcrumbs = vec![
            self.home_crumb(),
            self.crumb(
                &self.site.locale.text("metrics", &[]),
                &SitePath(METRICS_PAGE.into()),
            ),
            Self::here(&m.title),
        ];
        let mut ctx = self.context(
            m.title.clone(),
            m.description.clone(),
            &metric_url(m),
            breadcrumbs,
            MetricContent { metric },
        );
        ctx.page.jsonld = Some(super::jsonld::dataset(self.site, self.graph, i));
        ctx
    }

    pub(crate) fn metrics_page(&self) -> Context<'a, MetricsContent> {
        let mut metrics: Vec<MetricSummary> = self
            .site
            .metric_ixs()
            .map(|i| self.metric_summary(i))
            .collect();
        metrics.sort_by(|a, b| a.title.cmp(&b.title));
        self.context(
            self.site.locale.text("metrics", &[]),
            Some(self.site.locale.text("describe_metrics", &[])),
            &SitePath(METRICS_PAGE.into()),
            vec![self.home_crumb(), self.here_word("metrics")],
            MetricsContent { metrics },
        )
    }

    /// A document's page; an error if its body links a destination resolve did not check.
    /// A plan's own part of its page: owner, period, priorities with their metrics, and the
    /// plans it replaces or is replaced by.
    fn plan_view(&self, plan_ix: PlanIx, p: &crate::content::document::PlanSpec) -> PlanView {
        PlanView {
            owner: p.owner.clone(),
            start_iso: p.start.to_string(),
            start_text: self.site.locale.date(p.start),
            end_iso: p.end.to_string(),
            end_text: self.site.locale.date(p.end),
            priorities: p
                .priorities
                .iter()
                .enumerate()
                .map(|(n, q)| {
                    let key = PriorityKey {
                        plan: plan_ix,
                        priority: n,
                    };
                    PriorityView {
                        id: q.id.0.clone(),
                        title: q.title.clone(),
                        summary: q.summary.clone(),
                        href: self.page_href(&self.graph.priority_url(self.site, key)),
                        metrics: self.priority_metrics(key),
                        commitments: self.priority_commitment_items(key),
                    }
                })
                .collect(),
            replaced_by: self.replaced_by(plan_ix),
            replaces: self.replaces(plan_ix),
            commitments: self.plan_scorecard(plan_ix),
        }
    }

    pub(crate) fn document(&self, index: DocIx) -> Result<Context<'a, DocContent<'a>>, Diagnostic> {
        let d: &'a Document = &self.site.documents[index];
        let links = DocLinks {
            site: self.site,
            graph: self.graph,
            index,
            missed: RefCell::default(),
        };
        let body = if self.for_fingerprint.is_some() {
            Body::Digest {
                document: d.digest,
                targets: self.graph.targets_digest(index),
            }
        } else {
            // Read again from disk (see diag::Text), and dropped once the page is made.
            let text = self.sources.read(d.file)?;
            let html = markdown::to_html(d.body(&text), &links, !self.site.config.allow_raw_html);
            if let Some(dest) = links.missed.into_inner().first() {
                return Err(unresolved(d, dest));
            }
            Body::Html(html)
        };
        let refs = &self.graph.refs[index];
        let plan_ix = PlanIx(index);
        let plan = d.plan.as_ref().map(|p| self.plan_view(plan_ix, p));
        let mentions = self.mentions(index);
        let backlinks = self.summaries(self.graph.plan_backlinks.get(&plan_ix));
        let mut breadcrumbs = self.section_crumbs(d.kind);
        breadcrumbs.push(Self::here(&d.title));
        let mut ctx = self.context(
            d.title.clone(),
            d.summary.clone(),
            &d.url,
            breadcrumbs,
            DocContent {
                doc: DocView {
                    id: d.id.as_str(),
                    title: &d.title,
                    kind: d.kind.name(),
                    kind_label: kind_label(&self.site.locale, d.kind, false),
                    date_iso: d.date.map(|x| x.to_string()),
                    date_text: d.date.map(|d| self.site.locale.date(d)),
                    author: d.author.as_deref(),
                    summary: d.summary.as_deref(),
                    language: d.language.as_ref().map(|l| l.as_str()),
                    draft: d.draft,
                    body,
                    contents: super::contents::contents(&d.scan.outline, d.plan.is_some()),
                    extra: &d.extra,
                    plan,
                    plans: refs.plans.iter().map(|&p| self.doc_link(p)).collect(),
                    priorities: refs
                        .priorities
                        .iter()
                        .map(|&k| self.priority_link(k))
                        .collect(),
                    sources: refs
                        .sources
                        .iter()
                        .filter_map(|id| match self.for_fingerprint {
                            Some(d) => d.sources.get(id).copied().map(Cited::Digest),
                            None => self.source(id, false).map(|s| Cited::Full(Box::new(s))),
                        })
                        .collect(),
                    backlinks,
                    mentions,
                    updated: d.updated.map(|d| self.date(d)),
                    corrections: CorrectionView::all(d, &self.site.locale),
                    progress: self.progress_reported(index),
                },
            },
        );
        ctx.accessible_formats = self.site.config.accessible_formats.as_ref();
        ctx.page.published = d.date.map(|x| x.to_string());
        ctx.page.image = super::share::document_image(self.site, self.graph, index);
        ctx.page.jsonld = Some(super::jsonld::document(
            self.site,
            index,
            &ctx.page.image.url,
        ));
        Ok(ctx)
    }

    pub(crate) fn priority(&self, key: PriorityKey) -> Context<'a, PriorityContent> {
        let plan_doc = &self.site.documents[key.plan];
        let spec = plan_doc
            .plan
            .as_ref()
            .expect("priority pages are made for plans only");
        let def = &spec.priorities[key.priority];
        let mut breadcrumbs = self.section_crumbs(plan_doc.kind);
        breadcrumbs.push(self.doc_crumb(plan_doc));
        breadcrumbs.push(Self::here(&def.title));
        let docs = self
            .graph
            .priority_backlinks
            .get(&key)
            .map_or_else(Vec::new, |l| l.iter().map(|&i| self.summary(i)).collect());
        self.context(
            format!("{}: {}", def.title, plan_doc.title),
            Some(def.summary.clone()),
            &self.graph.priority_url(self.site, key),
            breadcrumbs,
            PriorityContent {
                priority: PriorityPage {
                    title: def.title.clone(),
                    summary: def.summary.clone(),
                    plan: self.doc_link(key.plan),
                    owner: spec.owner.clone(),
                    docs,
                    mentions: self.summaries(self.graph.priority_mentions.get(&key)),
                    metrics: self.priority_metrics(key),
                    scorecard: self.priority_scorecard(key),
                    commitments: self.priority_commitment_items(key),
                },
            },
        )
    }

    pub(crate) fn sources_page(&self) -> Context<'a, SourcesContent> {
        let mut sources: Vec<SourceView> = self
            .site
            .sources
            .keys()
            .filter_map(|id| self.source(id, true))
            .collect();
        sources.sort_by(|a, b| a.title.cmp(&b.title).then_with(|| a.id.cmp(&b.id)));
        self.context(
            self.site.locale.text("sources", &[]),
            Some(self.site.locale.text("describe_sources", &[])),
            &SitePath(SOURCES_PAGE.into()),
            vec![self.home_crumb(), self.here_word("sources")],
            SourcesContent { sources },
        )
    }

    pub(crate) fn timeline(&self) -> Context<'a, TimelineContent> {
        let years = self
            .graph
            .timeline
            .iter()
            .map(|(year, docs)| YearView {
                year: *year,
                items: docs.iter().map(|&i| self.summary(i)).collect(),
            })
            .collect();
        self.context(
            self.site.locale.text("timeline", &[]),
            Some(self.site.locale.text("describe_timeline", &[])),
            &SitePath(TIMELINE_PAGE.into()),
            vec![self.home_crumb(), self.here_word("timeline")],
            TimelineContent { years },
        )
    }

    pub(crate) fn listing(&self, l: &Listing, page: usize) -> Context<'a, ListingContent> {
        let count = l.page_count();
        let href = |p: usize| self.page_href(&l.page_url(p));
        let heading = kind_label(&self.site.locale, l.kind, true);
        let title = if page > 1 {
            let (number, pages) = (page.to_string(), count.to_string());
            let of = (self.site.locale).text("page_of", &[("page", &number), ("pages", &pages)]);
            format!("{heading}, {of}")
        } else {
            heading.clone()
        };
        let mut breadcrumbs = vec![self.home_crumb()];
        if page > 1 {
            breadcrumbs.push(self.crumb(&heading, &l.page_url(1)));
            let number = page.to_string();
            let here = self.site.locale.text("page_crumb", &[("page", &number)]);
            breadcrumbs.push(Self::here(&here));
        } else {
            breadcrumbs.push(Self::here(&heading));
        }
        let listing = ListingView {
            title: heading.clone(),
            heading,
            items: l.page(page).iter().map(|&i| self.summary(i)).collect(),
            page,
            page_count: count,
            prev: (page > 1).then(|| href(page - 1)),
            next: (page < count).then(|| href(page + 1)),
            pages: page_window(page, count)
                .into_iter()
                .map(|n| match n {
                    Some(n) => PageLink {
                        number: n,
                        href: href(n),
                        current: n == page,
                        gap: false,
                    },
                    None => PageLink {
                        number: 0,
                        href: String::new(),
                        current: false,
                        gap: true,
                    },
                })
                .collect(),
        };
        let description =
            listing_description(&self.site.locale, &self.site.config.title, l, page, count);
        let mut ctx = self.context(
            title,
            Some(description),
            &l.page_url(page),
            breadcrumbs,
            ListingContent { listing },
        );
        ctx.page.feed = Some(FeedLink {
            href: self.base().href(&l.feed_path()),
            title: format!(
                "{}: {}",
                self.site.config.title,
                kind_label(&self.site.locale, l.kind, true)
            ),
        });
        ctx
    }

    /// Each listing, with how many documents it holds.
    fn sections(&self) -> Vec<Section> {
        self.graph
            .listings
            .iter()
            .map(|l| Section {
                label: kind_label(&self.site.locale, l.kind, true),
                href: self.page_href(&l.page_url(1)),
                count: l.docs.len(),
            })
            .collect()
    }

    pub(crate) fn home(&self) -> Context<'a, HomeContent> {
        let sections = self.sections();
        let plans = self
            .graph
            .plans
            .iter()
            .filter_map(|&i| {
                let d = &self.site.documents[i];
                let spec = d.plan.as_ref()?;
                Some(PlanSummary {
                    lang: self.doc_lang(d),
                    title: d.title.clone(),
                    href: self.site.doc_href(d),
                    owner: spec.owner.clone(),
                    period_text: self.site.locale.text(
                        "from_to",
                        &[
                            ("start", &self.site.locale.date(spec.start)),
                            ("end", &self.site.locale.date(spec.end)),
                        ],
                    ),
                    priorities: (0..spec.priorities.len())
                        .map(|n| {
                            let key = PriorityKey {
                                plan: i,
                                priority: n,
                            };
                            PriorityGlance {
                                label: spec.priorities[n].title.clone(),
                                href: self.page_href(&self.graph.priority_url(self.site, key)),
                                metrics: self.priority_metrics(key),
                            }
                        })
                        .collect(),
                    commitments: self.commitments_glance(i),
                })
            })
            .collect();
        let content = HomeContent {
            plans,
            latest: self.graph.latest.iter().map(|&i| self.summary(i)).collect(),
            sections,
            timeline: (!self.graph.timeline.is_empty()).then(|| self.base().href(TIMELINE_PAGE)),
            sources: (!self.site.sources.is_empty()).then(|| self.base().href(SOURCES_PAGE)),
            metrics: (!self.site.metrics.is_empty()).then(|| self.base().href(METRICS_PAGE)),
            figures_as_of: self
                .graph
                .reference
                .filter(|_| !self.site.metrics.is_empty())
                .map(|r| self.date(r.date)),
        };
        let config = &self.site.config;
        let description = config.description.clone().unwrap_or_else(|| {
            format!(
                "Plans, priorities and the documents and figures that answer to them, published by {}.",
                config.publisher.as_deref().unwrap_or(&config.title)
            )
        });
        let mut ctx = self.context(
            config.title.clone(),
            Some(description),
            &SitePath(String::new()),
            Vec::new(),
            content,
        );
        ctx.site = self.unmarked_chrome();
        ctx
    }

    pub(crate) fn accessibility(&self) -> Context<'a, AccessibilityContent> {
        let mut ctx = self.context(
            self.site.locale.text("accessibility_statement", &[]),
            Some(format!(
                "How accessible {} is, and how to get help.",
                self.site.config.title
            )),
            &SitePath(ACCESSIBILITY_PAGE.into()),
            vec![self.home_crumb(), self.here_word("accessibility_statement")],
            AccessibilityContent {
                uk: self
                    .site
                    .config
                    .language
                    .as_str()
                    .eq_ignore_ascii_case("en-GB"),
            },
        );
        ctx.accessible_formats = self.site.config.accessible_formats.as_ref();
        ctx
    }

    /// The index of every page, by title: the footer links only a few.
    pub(crate) fn page_index(&self) -> Context<'a, PagesContent> {
        self.context(
            self.site.locale.text("pages", &[]),
            Some(
                self.site
                    .locale
                    .text("describe_pages", &[("site", &self.site.config.title)]),
            ),
            &SitePath(PAGES_INDEX.into()),
            vec![self.home_crumb(), self.here_word("pages")],
            PagesContent {
                pages: self.graph.pages.iter().map(|&i| self.summary(i)).collect(),
            },
        )
    }

    /// The search page: a form that search.js brings to life, and the listings for readers
    /// without JavaScript.
    pub(crate) fn search(&self) -> Context<'a, SearchContent> {
        let mut browse = self.sections();
        if !self.site.metrics.is_empty() {
            browse.push(Section {
                label: self.site.locale.text("metrics", &[]),
                href: self.base().href(METRICS_PAGE),
                count: self.site.metrics.len(),
            });
        }
        let script = format!("static/{}", self.site.theme.asset_name("search.js"));
        self.context(
            self.site.locale.text("search", &[]),
            Some(
                self.site
                    .locale
                    .text("describe_search", &[("site", &self.site.config.title)]),
            ),
            &SitePath(SEARCH_PAGE.into()),
            vec![self.home_crumb(), self.here_word("search")],
            SearchContent {
                browse,
                script: self.base().root_href(&script),
            },
        )
    }

    /// The corrections page: every correction, newest first, each with its document.
    pub(crate) fn corrections(&self) -> Context<'a, CorrectionsContent> {
        let corrections = self
            .graph
            .corrections
            .iter()
            .map(|&(i, c)| {
                let correction = &self.site.documents[i].corrections[c];
                CorrectionEntry {
                    date: self.date(correction.date),
                    note: correction.note.clone(),
                    document: self.doc_link(i),
                }
            })
            .collect();
        let breadcrumbs = vec![self.home_crumb(), self.here_word("corrections")];
        self.context(
            self.site.locale.text("corrections", &[]),
            Some(
                self.site
                    .locale
                    .text("describe_corrections", &[("site", &self.site.config.title)]),
            ),
            &SitePath(CORRECTIONS_PAGE.into()),
            breadcrumbs,
            CorrectionsContent { corrections },
        )
    }

    pub(crate) fn not_found(&self) -> Context<'a, NotFoundContent> {
        let mut ctx = self.context(
            self.site.locale.text("not_found_heading", &[]),
            Some(
                self.site
                    .locale
                    .text("describe_not_found", &[("site", &self.site.config.title)]),
            ),
            &SitePath(String::new()),
            Vec::new(),
            NotFoundContent {
                search: self
                    .site
                    .config
                    .search
                    .then(|| self.base().href(SEARCH_PAGE)),
            },
        );
        ctx.page.canonical = self.base().absolute("404.html");
        ctx
    }
}

#[cfg(test)]
mod tests {
    use super::{head_title, page_window};

    #[test]
    fn a_title_keeps_the_short_site_title_only_while_both_fit_in_70_characters() {
        let text = "title: London Policing Accountability\nshort_title: London Policing\nbase_url: https://example.org/\nlanguage: en\n";
        let config = crate::config::parse(crate::diag::FileId(0), text).unwrap();
        assert_eq!(
            head_title("Police and Crime Plan 2022-25", &config),
            "Police and Crime Plan 2022-25 – London Policing"
        );
        // 52 + 3 + 15 = 70 characters: kept; one more and the page title stands alone.
        let fits = "x".repeat(52);
        assert_eq!(head_title(&fits, &config).chars().count(), 70);
        let long = "x".repeat(53);
        assert_eq!(head_title(&long, &config), long);
        // The home page is the site's own title, once.
        assert_eq!(
            head_title("London Policing Accountability", &config),
            "London Policing Accountability"
        );
    }

    /// The window as text: `1 … 4 5 [6] 7 8 … 20`.
    fn shown(current: usize, count: usize) -> String {
        page_window(current, count)
            .into_iter()
            .map(|n| match n {
                Some(n) if n == current => format!("[{n}]"),
                Some(n) => n.to_string(),
                None => "…".into(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn the_page_numbers_are_the_ends_and_a_window_around_the_current_page() {
        assert_eq!(shown(1, 1), "[1]");
        assert_eq!(shown(2, 3), "1 [2] 3");
        assert_eq!(shown(1, 5), "[1] 2 3 4 5");
        assert_eq!(shown(1, 7), "[1] 2 3 … 7");
        assert_eq!(shown(1, 8), "[1] 2 3 … 8");
        assert_eq!(shown(4, 8), "1 2 3 [4] 5 6 7 8");
        assert_eq!(shown(6, 20), "1 … 4 5 [6] 7 8 … 20");
        assert_eq!(shown(5000, 5000), "1 … 4998 4999 [5000]");
    }

    #[test]
    fn every_page_is_linked_in_order_and_a_window_is_bounded() {
        for count in 1..60 {
            for current in 1..=count {
                let w = page_window(current, count);
                assert!(w.len() <= 9, "{current}/{count}: {w:?}");
                let numbers: Vec<usize> = w.iter().flatten().copied().collect();
                assert!(numbers.windows(2).all(|p| p[0] < p[1]));
                assert_eq!((numbers[0], *numbers.last().unwrap()), (1, count));
                assert!(numbers.contains(&current));
                // A gap always hides at least two pages, and never stands at an end.
                for (i, n) in w.iter().enumerate() {
                    if n.is_none() {
                        let (a, b) = (w[i - 1].unwrap(), w[i + 1].unwrap());
                        assert!(b - a > 2, "{current}/{count}: {w:?}");
                    }
                }
            }
        }
    }
}

/// Render looks a document's links up in what resolve kept, and a destination resolve never
/// checked is recorded as missed, not published as written.
#[cfg(test)]
mod links_tests {
    use super::*;
    use crate::markdown::Resolve;

    #[test]
    fn links_are_looked_up_and_a_miss_is_reported() {
        let probe = crate::probe::Probe::new().expect("probe site");
        let text = "---\ntitle: Probe\ndate: 2024-05-01\nsummary: S.\n---\n\
                    See [other](doc:reports/2024-01-02-other#findings).\n";
        std::fs::write(probe.root().join("content").join(crate::probe::SLOT), text).unwrap();
        let loaded = crate::content::load(probe.root());
        let site = loaded.site.expect("the probe site loads");
        let (graph, _) = crate::graph::resolve(&site, &loaded.sources, false);
        let (index, d) = site
            .doc_ixs()
            .zip(&site.documents)
            .find(|(_, d)| d.scan.links.iter().any(|l| l.dest.starts_with("doc:")))
            .expect("a probe document links another with doc:");
        let dest = &d
            .scan
            .links
            .iter()
            .find(|l| l.dest.starts_with("doc:"))
            .unwrap()
            .dest;
        let links = DocLinks {
            site: &site,
            graph: &graph,
            index,
            missed: RefCell::default(),
        };
        let href = links.link(dest);
        assert!(href.starts_with('/') && !href.contains("doc:"), "{href}");
        assert!(links.missed.borrow().is_empty());
        assert_eq!(links.link("doc:never-checked"), "");
        assert!(links.metric("metric:never-checked").is_none());
        assert_eq!(links.missed.borrow().as_slice(), ["doc:never-checked"]);
        let e = unresolved(d, "doc:never-checked");
        assert!(
            e.message.contains("`doc:never-checked` was not checked"),
            "{}",
            e.message
        );
    }
}

/// Where a cited source can be read, in the words every citation uses.
#[cfg(test)]
mod access_tests {
    use super::*;
    use crate::content::sources::Source;

    fn source(url: Option<&str>, archived: Option<&str>, accessed: Option<NaiveDate>) -> Source {
        Source {
            id: SourceId("s".into()),
            title: "T".into(),
            publisher: "P".into(),
            date: NaiveDate::from_ymd_opt(2022, 3, 24).unwrap(),
            url: url.map(str::to_string),
            archived_url: archived.map(str::to_string),
            accessed,
            file: crate::diag::FileId(0),
            span: 0..0,
        }
    }

    #[test]
    fn a_citation_says_where_to_read_the_source_or_that_it_is_not_online() {
        let en = crate::i18n::builtin("en", "en-GB");
        let checked = NaiveDate::from_ymd_opt(2024, 3, 3);
        assert_eq!(
            access_html(&source(None, None, None), &en),
            ". Not available online: ask the publisher."
        );
        assert_eq!(
            access_html(&source(Some("https://a.example/"), None, None), &en),
            "."
        );
        assert_eq!(
            access_html(&source(Some("https://a.example/"), None, checked), &en),
            " (link checked <time datetime=\"2024-03-03\">3 March 2024</time>)."
        );
        assert_eq!(
            access_html(&source(None, Some("https://w.example/?a&b"), None), &en),
            " (<a href=\"https://w.example/?a&amp;b\">archived copy</a>)."
        );
        assert_eq!(
            access_html(
                &source(
                    Some("https://a.example/"),
                    Some("https://w.example/"),
                    checked
                ),
                &en
            ),
            " (<a href=\"https://w.example/\">archived copy</a>; link checked <time datetime=\"2024-03-03\">3 March 2024</time>)."
        );
    }
}
