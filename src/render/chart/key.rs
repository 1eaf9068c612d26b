//! The key to a chart's marks, for the visible list under it: one entry per kind of mark the
//! chart draws, each with a small sample drawn with the chart's own classes, so its colours
//! follow the theme in light, dark and forced colours.
// Until the metric page lists the key (its template is wired separately).

use crate::content::Metric;
use crate::content::metrics::Status;
use crate::i18n::Locale;

use super::is_line;

/// One mark of a chart and what it means.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub(crate) struct KeyEntry {
    /// A small inline SVG sample of the mark, hidden from assistive technology.
    pub(crate) swatch: String,
    pub(crate) label: String,
}

fn swatch(inner: &str) -> String {
    format!(
        "<svg class=\"chart-swatch\" viewBox=\"0 0 24 16\" aria-hidden=\"true\" focusable=\"false\">{inner}</svg>"
    )
}

fn entry(inner: &str, label: &str) -> KeyEntry {
    KeyEntry {
        swatch: swatch(inner),
        label: label.to_string(),
    }
}

/// The key to the marks `metric_chart(m, id)` draws, in a fixed order: the target, projected,
/// provisional and revised readings, notes. `id` is the chart's, so the sample hatching's id
/// is unique in the page.
pub(crate) fn key(m: &Metric, id: &str, locale: &Locale) -> Vec<KeyEntry> {
    let has = |s: Status| m.series.iter().any(|p| p.status == Some(s));
    let line = is_line(m);
    let mut out = Vec::new();
    if m.target.is_some() {
        out.push(entry(
            "<line class=\"chart-target\" x1=\"1\" y1=\"8\" x2=\"23\" y2=\"8\"/>",
            &locale.text("chart_key_target", &[]),
        ));
    }
    if has(Status::Projected) {
        let inner = if line {
            "<path class=\"chart-series chart-projected\" d=\"M2 12 L17 5\"/><circle class=\"chart-point chart-hollow\" cx=\"18\" cy=\"5\" r=\"3.5\"/>".to_string()
        } else {
            format!(
                "<defs>{}</defs><rect class=\"chart-bar-hatched\" fill=\"url(#{id}-key-hatch)\" x=\"6\" y=\"2\" width=\"12\" height=\"13\"/>",
                super::hatch(&format!("{id}-key-hatch"))
            )
        };
        out.push(entry(&inner, &locale.text("chart_key_projected", &[])));
    }
    if has(Status::Provisional) {
        let inner = if line {
            "<circle class=\"chart-point chart-hollow\" cx=\"12\" cy=\"8\" r=\"3.5\"/>"
        } else {
            "<rect class=\"chart-bar-outline\" x=\"6\" y=\"2\" width=\"12\" height=\"13\"/>"
        };
        out.push(entry(inner, &locale.text("chart_key_provisional", &[])));
    }
    if has(Status::Revised) {
        out.push(entry(
            "<text class=\"chart-revised\" x=\"12\" y=\"13\" text-anchor=\"middle\">r</text>",
            &locale.text("chart_key_revised", &[]),
        ));
    }
    if m.series.iter().any(|p| p.note.is_some()) {
        out.push(entry(
            "<text class=\"chart-note\" x=\"12\" y=\"15\" text-anchor=\"middle\">*</text>",
            &locale.text("chart_key_note", &[]),
        ));
    }
    out
}
