//! A metric's data as files for reuse: CSV (period, value, note) and JSON (the metric with its
//! source and series), written next to its page.

use serde::Serialize;

use crate::content::metrics::{Better, Metric, Point, Unit};
use crate::content::{MetricIx, Site};
use crate::urls::{encode_path, metric_url};

/// `period,value,note`, one row a reading; values as plain numbers ("49.6", "-6.3").
pub(crate) fn csv(m: &Metric) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(["period", "value", "note"]);
    for p in &m.series {
        let _ = w.write_record([
            p.period.to_string(),
            p.value.to_string(),
            p.note.clone().unwrap_or_default(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

#[derive(Serialize)]
struct Json<'a> {
    id: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    unit: &'static str,
    better: &'static str,
    /// The metric's page, as an absolute URL.
    page: String,
    source: Option<SourceJson<'a>>,
    series: Vec<PointJson<'a>>,
    target: Option<PointJson<'a>>,
}

#[derive(Serialize)]
struct SourceJson<'a> {
    id: &'a str,
    title: &'a str,
    publisher: &'a str,
    date: String,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct PointJson<'a> {
    period: String,
    value: f64,
    note: Option<&'a str>,
}

fn point(p: &Point) -> PointJson<'_> {
    PointJson {
        period: p.period.to_string(),
        value: p.value,
        note: p.note.as_deref(),
    }
}

/// The metric, its source and its readings, as pretty-printed JSON.
pub(crate) fn json(site: &Site, i: MetricIx) -> Vec<u8> {
    let m = &site.metrics[i];
    let source = site.sources.get(&m.source.value).map(|s| SourceJson {
        id: s.id.as_str(),
        title: &s.title,
        publisher: &s.publisher,
        date: s.date.to_string(),
        url: s.url.as_deref(),
    });
    let doc = Json {
        id: m.id.as_str(),
        title: &m.title,
        description: m.description.as_deref(),
        unit: match m.unit {
            Unit::Percent => "percent",
            Unit::Count => "count",
            Unit::Ratio => "ratio",
            Unit::Gbp => "gbp",
        },
        better: match m.better {
            Better::Higher => "higher",
            Better::Lower => "lower",
        },
        page: site
            .config
            .base_url
            .absolute(&encode_path(&metric_url(m).0)),
        source,
        series: m.series.iter().map(point).collect(),
        target: m.target.as_ref().map(point),
    };
    let json = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    let mut out = Vec::with_capacity(json.len() + 1);
    // `<`, `>` and `&` can only occur inside strings here; as \u escapes they mean the same
    // to a JSON reader, and nothing to a browser that sniffs the file or a page that inlines it.
    for b in json {
        match b {
            b'<' => out.extend_from_slice(b"\\u003c"),
            b'>' => out.extend_from_slice(b"\\u003e"),
            b'&' => out.extend_from_slice(b"\\u0026"),
            b => out.push(b),
        }
    }
    out.push(b'\n');
    out
}
