//! A metric's data as files for reuse: CSV (period, value, unit, source, note, status) and JSON (the
//! metric with its sources and series), written next to its page.

use serde::Serialize;

use crate::content::metrics::{Better, Metric, NextUpdate, Point, Status, Unit};
use crate::content::sources::Source;
use crate::content::{MetricIx, Site};
use crate::urls::{encode_path, metric_url};

/// `period,value,unit,source,note,status`, one row a reading; values as plain numbers, every
/// digit the data has ("49.6", "-6.3", "3249999"); `source` is the id of the reading's source
/// (its own, else the metric's), so that every row stands alone; `status` is `provisional`,
/// `projected`, `revised` or empty for a final figure. `status` comes last so that readers of
/// the earlier five columns by position read the same.
pub(crate) fn csv(m: &Metric) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(["period", "value", "unit", "source", "note", "status"]);
    for p in &m.series {
        let _ = w.write_record([
            p.period.to_string(),
            p.value.to_string(),
            unit_name(m.unit).to_string(),
            m.source_of(p).as_str().to_string(),
            p.note.clone().unwrap_or_default(),
            p.status.map_or("", Status::as_str).to_string(),
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
    /// The metric's own `source`, which readings without one of their own come from.
    source: Option<SourceJson<'a>>,
    /// Every source the readings use, in the order of first use.
    sources: Vec<SourceJson<'a>>,
    series: Vec<PointJson<'a>>,
    target: Option<PointJson<'a>>,
    /// `updated:` and `next_update:`, as written (a date; a month or a date).
    updated: Option<String>,
    next_update: Option<String>,
}

#[derive(Serialize)]
struct SourceJson<'a> {
    id: &'a str,
    title: &'a str,
    publisher: &'a str,
    date: String,
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    archived_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accessed: Option<String>,
}

#[derive(Serialize)]
struct PointJson<'a> {
    period: String,
    value: f64,
    note: Option<&'a str>,
    /// `provisional`, `projected` or `revised`; null for a final figure and for a target.
    status: Option<&'static str>,
    /// The id of the reading's source; none for a target.
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
}

fn point(p: &Point) -> PointJson<'_> {
    PointJson {
        period: p.period.to_string(),
        value: p.value,
        note: p.note.as_deref(),
        status: p.status.map(Status::as_str),
        source: None,
    }
}

/// A reading, with its source (its own, else the metric's).
fn reading<'a>(m: &'a Metric, p: &'a Point) -> PointJson<'a> {
    PointJson {
        source: Some(m.source_of(p).as_str()),
        ..point(p)
    }
}

/// How the unit is named in the data files.
fn unit_name(u: Unit) -> &'static str {
    match u {
        Unit::Percent => "percent",
        Unit::Count => "count",
        Unit::Ratio => "ratio",
        Unit::Gbp => "gbp",
    }
}

fn source_json(s: &Source) -> SourceJson<'_> {
    SourceJson {
        id: s.id.as_str(),
        title: &s.title,
        publisher: &s.publisher,
        date: s.date.to_string(),
        url: s.url.as_deref(),
        archived_url: s.archived_url.as_deref(),
        accessed: s.accessed.map(|d| d.to_string()),
    }
}

/// The metric, its source and its readings, as pretty-printed JSON.
pub(crate) fn json(site: &Site, i: MetricIx) -> Vec<u8> {
    let m = &site.metrics[i];
    let source = site.sources.get(&m.source.value).map(source_json);
    let mut sources: Vec<SourceJson> = Vec::new();
    for p in &m.series {
        let id = m.source_of(p);
        if let Some(s) = site.sources.get(id)
            && !sources.iter().any(|j| j.id == id.as_str())
        {
            sources.push(source_json(s));
        }
    }
    let doc = Json {
        id: m.id.as_str(),
        title: &m.title,
        description: m.description.as_deref(),
        unit: unit_name(m.unit),
        better: match m.better {
            Better::Higher => "higher",
            Better::Lower => "lower",
        },
        page: site
            .config
            .base_url
            .absolute(&encode_path(&metric_url(m).0)),
        source,
        sources,
        series: m.series.iter().map(|p| reading(m, p)).collect(),
        target: m.target.as_ref().map(point),
        updated: m.updated.map(|d| d.to_string()),
        next_update: m.next_update.map(NextUpdate::iso),
    };
    escape_json(serde_json::to_vec_pretty(&doc).unwrap_or_default())
}

/// A JSON data file's bytes from serde_json's: `<`, `>` and `&` escaped, and a final newline.
pub(crate) fn escape_json(json: Vec<u8>) -> Vec<u8> {
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
