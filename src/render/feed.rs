//! Atom feeds (RFC 4287): `feed.xml` with every dated document, one per listing
//! (`reports/feed.xml`), and `commitments/feed.xml` with the progress reports on commitments,
//! each with its newest entries. A feed's `updated` is its newest entry's date, never the time
//! of the build, so the same content gives the same bytes.

use atom_syndication::{Category, Entry, Link, Person, Text, WriteConfig};
use chrono::NaiveDate;

use crate::content::{DocIx, Site};
use crate::graph::Graph;
use crate::graph::commitments::{CommitmentKey, ReportRef, Standing};
use crate::markdown::escape_html as esc;
use crate::text::xml_safe;
use crate::urls::{COMMITMENTS_FEED, COMMITMENTS_PAGE, FEED, encode_path};

/// How many of the newest documents a feed carries.
pub(crate) const FEED_ENTRIES: usize = 50;

/// One of the site's feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Feed {
    /// Every dated document.
    All,
    /// A listing's documents (an index into `graph.listings`).
    Listing(usize),
    /// The progress reports on the commitments of published plans.
    Commitments,
}

impl Feed {
    /// Where the feed is written, under the output folder.
    pub(crate) fn path(self, graph: &Graph) -> String {
        match self {
            Feed::All => FEED.into(),
            Feed::Listing(l) => graph.listings[l].feed_path(),
            Feed::Commitments => COMMITMENTS_FEED.into(),
        }
    }

    /// The documents it lists, newest first.
    fn docs(self, graph: &Graph) -> Vec<DocIx> {
        match self {
            Feed::All => graph
                .timeline
                .iter()
                .flat_map(|(_, docs)| docs)
                .copied()
                .take(FEED_ENTRIES)
                .collect(),
            Feed::Listing(l) => graph.listings[l]
                .docs
                .iter()
                .copied()
                .take(FEED_ENTRIES)
                .collect(),
            Feed::Commitments => Vec::new(),
        }
    }
}

/// The site's feeds: one per listing, one of everything when anything is dated, and one of
/// progress reports with the tracker (even before the first report, so readers can follow it).
pub(crate) fn feeds(site: &Site, graph: &Graph) -> Vec<Feed> {
    let mut feeds: Vec<Feed> = Vec::new();
    if !graph.timeline.is_empty() {
        feeds.push(Feed::All);
    }
    feeds.extend((0..graph.listings.len()).map(Feed::Listing));
    if super::tracker::makes_tracker(site, graph) {
        feeds.push(Feed::Commitments);
    }
    feeds
}

/// All that a feed shows. Hashed for `serve`'s fingerprints, so it must hold every input.
#[derive(Debug, Hash)]
pub(crate) struct FeedData {
    title: String,
    /// The feed's own absolute URL, which is also its id.
    id: String,
    /// The page that lists the same documents.
    alternate: String,
    language: String,
    author: String,
    entries: Vec<EntryData>,
    /// The feed's `updated` when it has no entry yet: the reference date of what it follows.
    empty_updated: Option<NaiveDate>,
}

#[derive(Debug, Hash)]
struct EntryData {
    /// Its Atom id: a permanent, unique IRI.
    id: String,
    title: String,
    /// The page it is about.
    url: String,
    date: NaiveDate,
    /// The latest of its `updated` and correction dates, when later than `date`.
    revised: Option<NaiveDate>,
    summary: Option<String>,
    /// Its content as HTML, when it has more to say than its summary.
    content: Option<String>,
    author: String,
    /// The category's term: the document's kind, or the status a report gave.
    kind: &'static str,
}

impl EntryData {
    /// When the entry last changed: its latest revision, else its date (Atom's `updated`).
    fn last_changed(&self) -> NaiveDate {
        self.revised.map_or(self.date, |r| r.max(self.date))
    }
}

pub(crate) fn data(site: &Site, graph: &Graph, feed: Feed) -> FeedData {
    let config = &site.config;
    let base = &config.base_url;
    let site_author = config
        .publisher
        .clone()
        .unwrap_or_else(|| config.title.clone());
    let (title, alternate) = match feed {
        Feed::All => (config.title.clone(), base.absolute("")),
        Feed::Commitments => (
            format!("{}: progress on commitments", config.title),
            base.absolute(COMMITMENTS_PAGE),
        ),
        Feed::Listing(l) => {
            let listing = &graph.listings[l];
            (
                format!(
                    "{}: {}",
                    config.title,
                    crate::render::view::kind_label(&site.locale, listing.kind, true)
                ),
                base.absolute(&encode_path(&listing.page_url(1).0)),
            )
        }
    };
    let entries = match feed {
        Feed::Commitments => report_entries(site, graph, &site_author),
        _ => feed
            .docs(graph)
            .into_iter()
            .filter_map(|i| {
                let d = &site.documents[i];
                let url = site.doc_absolute(d);
                Some(EntryData {
                    id: url.clone(),
                    title: d.title.clone(),
                    url,
                    date: d.date?,
                    revised: d.last_revised(),
                    summary: d.summary.clone().filter(|s| !s.trim().is_empty()),
                    content: None,
                    author: d.author.clone().unwrap_or_else(|| site_author.clone()),
                    kind: d.kind.label(),
                })
            })
            .collect(),
    };
    FeedData {
        title,
        id: base.absolute(&feed.path(graph)),
        alternate,
        language: config.language.as_str().to_string(),
        author: site_author,
        entries,
        empty_updated: (feed == Feed::Commitments)
            .then(|| graph.reference.map(|r| r.date))
            .flatten(),
    }
}

/// Every progress report on a commitment of a published plan, newest first (by its
/// document's date, then as the graph orders one commitment's reports: title, id, place);
/// the newest [`FEED_ENTRIES`] of them.
fn newest_reports(site: &Site, graph: &Graph) -> Vec<(CommitmentKey, ReportRef)> {
    let mut reports: Vec<(CommitmentKey, ReportRef)> = graph
        .commitment_keys(site)
        .into_iter()
        .flat_map(|k| graph.reports(k).iter().map(move |&r| (k, r)))
        .collect();
    reports.sort_by(|(_, a), (_, b)| {
        let (da, db) = (&site.documents[a.doc], &site.documents[b.doc]);
        db.date
            .cmp(&da.date)
            .then_with(|| da.title.cmp(&db.title))
            .then_with(|| da.id.cmp(&db.id))
            .then(a.entry.cmp(&b.entry))
    });
    reports.truncate(FEED_ENTRIES);
    reports
}

/// The feed's entries of progress reports: "COMMITMENT: STATUS", linked to the commitment's
/// page, with the note and the reporting document (linked) as content, and in plain words as
/// summary (which feed readers show when they show no HTML). An entry's id is the
/// commitment's page with the reporting document's id as fragment: one document reports on a
/// commitment once, so no two entries share it, and it stays whatever else is published.
fn report_entries(site: &Site, graph: &Graph, site_author: &str) -> Vec<EntryData> {
    let base = &site.config.base_url;
    newest_reports(site, graph)
        .into_iter()
        .filter_map(|(key, r)| {
            let d = &site.documents[r.doc];
            let report = r.entry(site);
            let status = Standing::of(report.status.value);
            let page = base.absolute(&encode_path(&graph.commitment_url(site, key).0));
            let doc_url = site.doc_absolute(d);
            let note = report.note.as_deref().filter(|n| !n.trim().is_empty());
            let content = format!(
                "{}<p>Reported in <a href=\"{}\">{}</a>.</p>",
                note.map_or_else(String::new, |n| format!("<p>{}</p>", esc(n))),
                esc(&doc_url),
                esc(&d.title)
            );
            let summary = match note {
                Some(n) => format!("{n} Reported in {}.", d.title),
                None => format!("Reported in {}.", d.title),
            };
            Some(EntryData {
                id: format!("{page}#report-{}", d.id),
                title: format!("{}: {}", key.def(site).text, status.label()),
                url: page,
                date: d.date?,
                revised: None,
                summary: Some(summary),
                content: Some(content),
                author: d.author.clone().unwrap_or_else(|| site_author.to_string()),
                kind: status.slug(),
            })
        })
        .collect()
}

/// Each entry's Atom `updated`: the day it last changed, at midnight UTC. Entries that
/// changed on the same day are made a second apart, the one listed first the latest, so no two
/// share an instant (feed readers and validators take equal `updated` values for one entry
/// changed twice); the rule depends only on the feed's order, so the bytes stay the same.
fn updated_times(entries: &[EntryData]) -> Vec<chrono::DateTime<chrono::FixedOffset>> {
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let day = e.last_changed();
            let later_listed = entries[i + 1..]
                .iter()
                .filter(|o| o.last_changed() == day)
                .count();
            let seconds = i64::try_from(later_listed).unwrap_or(i64::MAX).min(86_399);
            (day.and_time(chrono::NaiveTime::MIN) + chrono::Duration::seconds(seconds))
                .and_utc()
                .fixed_offset()
        })
        .collect()
}

/// The feed as Atom XML. Every string goes through [`xml_safe`]: the checks at load refuse
/// the characters XML forbids, but the file must be well-formed whatever reaches it.
pub(crate) fn atom(data: &FeedData) -> Vec<u8> {
    let x = |s: &str| xml_safe(s).into_owned();
    let midnight = |d: NaiveDate| d.and_time(chrono::NaiveTime::MIN).and_utc().fixed_offset();
    let person = |name: &str| Person {
        name: x(name),
        ..Person::default()
    };
    let link = |href: &str, rel: &str, mime: Option<&str>| Link {
        href: x(href),
        rel: rel.to_string(),
        mime_type: mime.map(str::to_string),
        ..Link::default()
    };
    let updated_at = updated_times(&data.entries);
    let entries = data
        .entries
        .iter()
        .zip(&updated_at)
        .map(|(e, &updated)| Entry {
            title: Text::plain(x(&e.title)),
            id: x(&e.id),
            updated,
            published: Some(midnight(e.date)),
            authors: vec![person(&e.author)],
            links: vec![link(&e.url, "alternate", Some("text/html"))],
            summary: e.summary.as_deref().map(|s| Text::plain(x(s))),
            content: e.content.as_deref().map(|c| atom_syndication::Content {
                value: Some(x(c)),
                content_type: Some("html".into()),
                ..atom_syndication::Content::default()
            }),
            categories: vec![Category {
                term: e.kind.to_string(),
                ..Category::default()
            }],
            ..Entry::default()
        })
        .collect();
    let updated = updated_at
        .iter()
        .copied()
        .max()
        .unwrap_or_else(|| midnight(data.empty_updated.unwrap_or(NaiveDate::MIN)));
    let feed = atom_syndication::Feed {
        title: Text::plain(x(&data.title)),
        id: x(&data.id),
        updated,
        authors: vec![person(&data.author)],
        links: vec![
            link(&data.id, "self", Some("application/atom+xml")),
            link(&data.alternate, "alternate", Some("text/html")),
        ],
        lang: Some(x(&data.language)),
        entries,
        ..atom_syndication::Feed::default()
    };
    let config = WriteConfig {
        write_document_declaration: true,
        indent_size: Some(1),
    };
    let mut out = feed
        .write_with_config(Vec::new(), config)
        .expect("writing to memory cannot fail");
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Any text, with a good share of the characters XML forbids or escapes.
    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                any::<char>(),
                proptest::char::range('\0', '\u{9f}'),
                proptest::sample::select(vec![
                    '<', '>', '&', '"', '\'', ']', '\u{fffe}', '\u{ffff}', '\u{202e}', '\r',
                ]),
            ],
            0..40,
        )
        .prop_map(|cs| cs.into_iter().collect())
    }

    fn entry(title: String, summary: Option<String>) -> EntryData {
        EntryData {
            id: "https://example.org/reports/a/".into(),
            title,
            url: "https://example.org/reports/a/".into(),
            date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            revised: None,
            summary,
            content: None,
            author: "A".into(),
            kind: "Report",
        }
    }

    #[test]
    fn entries_of_one_day_are_a_second_apart_the_first_listed_latest() {
        let day = |d| NaiveDate::from_ymd_opt(2024, 3, d).unwrap();
        let mut revised = entry("revised on the 5th".into(), None);
        revised.date = day(1);
        revised.revised = Some(day(5));
        let mut entries = vec![
            entry("a".into(), None),
            revised,
            entry("b".into(), None),
            entry("c".into(), None),
        ];
        for (e, d) in entries.iter_mut().zip([5, 0, 5, 2]) {
            if d > 0 {
                e.date = day(d);
            }
        }
        let times: Vec<String> = updated_times(&entries)
            .iter()
            .map(|t| t.to_rfc3339())
            .collect();
        assert_eq!(
            times,
            [
                "2024-03-05T00:00:02+00:00",
                "2024-03-05T00:00:01+00:00",
                "2024-03-05T00:00:00+00:00",
                "2024-03-02T00:00:00+00:00",
            ]
        );
    }

    #[test]
    fn an_entry_is_updated_when_it_was_last_revised() {
        let mut e = entry("T".into(), None);
        e.revised = NaiveDate::from_ymd_opt(2024, 3, 5);
        let feed = FeedData {
            title: "S".into(),
            id: "https://example.org/feed.xml".into(),
            alternate: "https://example.org/".into(),
            language: "en-GB".into(),
            author: "A".into(),
            entries: vec![e],
            empty_updated: None,
        };
        let xml = String::from_utf8(atom(&feed)).unwrap();
        assert!(
            xml.contains("<updated>2024-03-05T00:00:00+00:00</updated>"),
            "{xml}"
        );
        assert!(
            xml.contains("<published>2024-01-01T00:00:00+00:00</published>"),
            "{xml}"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

        /// Whatever titles and summaries reach it, the feed is well-formed XML and says what
        /// they say, less the characters XML cannot hold.
        #[test]
        fn a_feed_is_well_formed_whatever_its_text(
            title in text(), summary in proptest::option::of(text()), site in text(), author in text()
        ) {
            let data = FeedData {
                title: site.clone(),
                id: "https://example.org/feed.xml".into(),
                alternate: "https://example.org/".into(),
                language: "en-GB".into(),
                author,
                entries: vec![entry(title.clone(), summary.clone())],
                empty_updated: None,
            };
            let xml = String::from_utf8(atom(&data)).unwrap();
            let doc = roxmltree::Document::parse(&xml);
            prop_assert!(doc.is_ok(), "{:?}\n{}", doc.err(), xml);
            let doc = doc.unwrap();
            let texts: Vec<String> = doc
                .descendants()
                .filter(|n| n.has_tag_name("title"))
                .map(|n| n.text().unwrap_or("").to_string())
                .collect();
            prop_assert_eq!(texts, vec![xml_safe(&site), xml_safe(&title)]);
        }
    }
}
