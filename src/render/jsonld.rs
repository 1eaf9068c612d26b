//! Structured data: the schema.org JSON-LD block in a document's head (`NewsArticle` for press
//! releases, `Report` for reports, `Article` otherwise) and in a metric page's (`Dataset`).
//! It is a data block (`<script type="application/ld+json">`), which browsers never run, so
//! the site's CSP needs no `unsafe-inline` for it; `<`, `>` and `&` are written as `\u003c`…
//! so no text in it can end the block.

use serde_json::{Map, Value, json};

use crate::content::{DocIx, Kind, MetricIx, Site};
use crate::graph::Graph;
use crate::urls::{encode_path, metric_data, metric_url};

/// The properties the page emits for an article, each one schema.org gives `Article` (and so
/// its subtypes `NewsArticle` and `Report`).
#[cfg(test)]
const ARTICLE: &[&str] = &[
    "@context",
    "@type",
    "headline",
    "name",
    "url",
    "description",
    "datePublished",
    "dateModified",
    "author",
    "publisher",
    "image",
    "inLanguage",
    "mainEntityOfPage",
];

/// Every type this module writes, with every property it may give it: what the tests check
/// each block against (from schema.org's definitions of these types and their parents).
#[cfg(test)]
pub(crate) const VALID: &[(&str, &[&str])] = &[
    ("Article", ARTICLE),
    ("NewsArticle", ARTICLE),
    ("Report", ARTICLE),
    (
        "Dataset",
        &[
            "@context",
            "@type",
            "name",
            "description",
            "url",
            "temporalCoverage",
            "creator",
            "publisher",
            "distribution",
            "isBasedOn",
            "dateModified",
            "inLanguage",
        ],
    ),
    (
        "DataDownload",
        &["@type", "encodingFormat", "contentUrl", "name"],
    ),
    ("Organization", &["@type", "name", "url"]),
    ("GovernmentOrganization", &["@type", "name", "url"]),
    (
        "CreativeWork",
        &["@type", "name", "url", "publisher", "datePublished"],
    ),
];

/// JSON as a `<script type="application/ld+json">` may hold it: `<`, `>` and `&` escaped, so
/// `</script>` or `<!--` in a title cannot end or change the block.
pub(crate) fn to_block(v: &Value) -> String {
    let s = v.to_string();
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            // Line and paragraph separators end a line in older JavaScript parsers.
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The site's publisher: a `GovernmentOrganization` when site.yaml says
/// `publisher_type: government`, else an `Organization`; none without `publisher:`.
fn publisher(site: &Site) -> Option<Value> {
    let c = &site.config;
    let name = c.publisher.as_ref()?;
    let kind = if c.publisher_government {
        "GovernmentOrganization"
    } else {
        "Organization"
    };
    Some(json!({"@type": kind, "name": name, "url": c.base_url.absolute("")}))
}

/// Document `i`'s block; `image` is its `og:image`.
pub(crate) fn document(site: &Site, i: DocIx, image: &str) -> String {
    let d = &site.documents[i];
    let kind = match d.kind {
        Kind::PressRelease => "NewsArticle",
        Kind::Report => "Report",
        _ => "Article",
    };
    let url = site.doc_absolute(d);
    let mut o = Map::new();
    o.insert("@context".into(), json!("https://schema.org"));
    o.insert("@type".into(), json!(kind));
    o.insert("headline".into(), json!(d.title));
    o.insert("url".into(), json!(url));
    o.insert("mainEntityOfPage".into(), json!(url));
    if let Some(s) = &d.summary {
        o.insert("description".into(), json!(s));
    }
    if let Some(date) = d.date {
        o.insert("datePublished".into(), json!(date.to_string()));
        // The last update or correction, else the date it was published.
        let modified = d.last_revised().unwrap_or(date);
        o.insert("dateModified".into(), json!(modified.to_string()));
    }
    // Authors here are offices and bodies ("Mayor of London"), not people.
    if let Some(a) = &d.author {
        o.insert("author".into(), json!({"@type": "Organization", "name": a}));
    }
    if let Some(p) = publisher(site) {
        o.insert("publisher".into(), p);
    }
    o.insert("image".into(), json!(image));
    let language = d.language.as_ref().unwrap_or(&site.config.language);
    o.insert("inLanguage".into(), json!(language.as_str()));
    to_block(&Value::Object(o))
}

/// Metric `i`'s block: a `Dataset` with its data files and its sources.
pub(crate) fn dataset(site: &Site, _graph: &Graph, i: MetricIx) -> String {
    let m = &site.metrics[i];
    let base = &site.config.base_url;
    let mut o = Map::new();
    o.insert("@context".into(), json!("https://schema.org"));
    o.insert("@type".into(), json!("Dataset"));
    o.insert("name".into(), json!(m.title));
    // Dataset search engines require a description: the metric's, else what it counts.
    let description = m
        .description
        .clone()
        .unwrap_or_else(|| format!("{}: every reading, with its period and source.", m.title));
    o.insert("description".into(), json!(description));
    o.insert(
        "url".into(),
        json!(base.absolute(&encode_path(&metric_url(m).0))),
    );
    if let (Some(first), Some(last)) = (m.series.first(), m.series.last()) {
        o.insert(
            "temporalCoverage".into(),
            json!(format!("{}/{}", first.period, last.period)),
        );
    }
    if let Some(p) = publisher(site) {
        o.insert("creator".into(), p.clone());
        o.insert("publisher".into(), p);
    }
    if let Some(u) = m.updated {
        o.insert("dateModified".into(), json!(u.to_string()));
    }
    let download = |ext: &str, format: &str| {
        json!({
            "@type": "DataDownload",
            "name": format!("data.{ext}"),
            "encodingFormat": format,
            "contentUrl": base.root_absolute(&encode_path(&metric_data(m, ext))),
        })
    };
    o.insert(
        "distribution".into(),
        json!([
            download("csv", "text/csv"),
            download("json", "application/json")
        ]),
    );
    o.insert("isBasedOn".into(), Value::Array(sources(site, i)));
    o.insert("inLanguage".into(), json!(site.config.language.as_str()));
    to_block(&Value::Object(o))
}

/// The sources a metric's readings come from, each once, in the order first used.
fn sources(site: &Site, i: MetricIx) -> Vec<Value> {
    let m = &site.metrics[i];
    let mut ids = vec![&m.source.value];
    for p in &m.series {
        let id = m.source_of(p);
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids.into_iter()
        .filter_map(|id| site.sources.get(id))
        .map(|s| {
            let mut o = Map::new();
            o.insert("@type".into(), json!("CreativeWork"));
            o.insert("name".into(), json!(s.title));
            if let Some(u) = s.url.as_ref().or(s.archived_url.as_ref()) {
                o.insert("url".into(), json!(u));
            }
            o.insert(
                "publisher".into(),
                json!({"@type": "Organization", "name": s.publisher}),
            );
            o.insert("datePublished".into(), json!(s.date.to_string()));
            Value::Object(o)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Check `v` and every object in it against [`VALID`]: a known `@type`, known properties.
    fn check(v: &Value, path: &str) {
        match v {
            Value::Object(o) => {
                let kind = o.get("@type").and_then(Value::as_str);
                let kind = kind.unwrap_or_else(|| panic!("{path}: no @type in {v}"));
                let (_, props) = VALID.iter().find(|(t, _)| *t == kind).unwrap_or_else(|| {
                    panic!("{path}: @type {kind} is not one this module writes")
                });
                for (k, child) in o {
                    assert!(
                        props.contains(&k.as_str()),
                        "{path}: {kind} has no property {k}"
                    );
                    check(child, &format!("{path}.{k}"));
                }
            }
            Value::Array(items) => items.iter().for_each(|i| check(i, path)),
            _ => {}
        }
    }

    #[test]
    fn every_block_of_the_demo_uses_only_properties_schema_org_gives_its_type() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let loaded = crate::content::load(root);
        let site = loaded.site.expect("the demo loads");
        let (graph, _) = crate::graph::resolve(&site, &loaded.sources, false);
        let mut kinds = std::collections::BTreeSet::new();
        let blocks = graph
            .published
            .iter()
            .map(|&i| document(&site, i, "https://example.org/cards/x.png"))
            .chain(site.metric_ixs().map(|i| dataset(&site, &graph, i)));
        for block in blocks {
            let v: Value = serde_json::from_str(&block).unwrap();
            assert_eq!(v["@context"], "https://schema.org");
            kinds.insert(v["@type"].as_str().unwrap().to_string());
            check(&v, "");
            if v["@type"] == "Dataset" {
                let formats: Vec<_> = v["distribution"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d["encodingFormat"].as_str().unwrap())
                    .collect();
                assert_eq!(formats, ["text/csv", "application/json"]);
                assert!(
                    v["distribution"][0]["contentUrl"]
                        .as_str()
                        .unwrap()
                        .starts_with("https://example.org/metrics/")
                );
                assert!(!v["isBasedOn"].as_array().unwrap().is_empty());
                assert!(v["temporalCoverage"].as_str().unwrap().contains('/'));
            } else {
                assert!(
                    v["datePublished"].is_string() || v["@type"] == "Article",
                    "{v}"
                );
            }
        }
        let kinds: Vec<_> = kinds.iter().map(String::as_str).collect();
        assert_eq!(kinds, ["Article", "Dataset", "NewsArticle", "Report"]);
    }

    #[test]
    fn a_title_holding_a_closing_script_tag_cannot_end_the_block() {
        let v = json!({"headline": "Knife crime </script><script>alert(1)</script> & <!-- more"});
        let block = to_block(&v);
        assert!(
            !block.contains('<') && !block.contains('>') && !block.contains('&'),
            "{block}"
        );
        assert!(block.contains("\\u003c/script\\u003e"), "{block}");
        // It is still the same JSON.
        let back: Value = serde_json::from_str(&block).unwrap();
        assert_eq!(back, v);
    }
}
