//! A plan's (or a priority's) scorecard drawn at build time: one inline SVG stacked bar of its
//! commitments by standing, and the swatches that key the table of counts beside it. Like the
//! metric charts, no scripts and no `style` attributes: colours come from the theme's
//! `scorecard-*` classes. The bar is one image to assistive technology, named by its `<title>`
//! and described by its `<desc>`, which gives every count in words; the table holds them too.
//! Each standing has its own fill pattern as well as its own colour, so no segment is told
//! apart by colour alone, in forced colours either.

use std::fmt::Write as _;

use crate::graph::commitments::Standing;
use crate::i18n::Locale;
use crate::markdown::escape_html;

/// The drawing's size, in its own units: the bar spans it, scaled to the text column.
const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 32.0;
/// The narrowest a segment is drawn, so a count of one among hundreds is still seen.
const MIN_SEGMENT: f64 = 6.0;

/// A coordinate to a tenth, without a trailing `.0`, so the markup stays short and stable.
fn num(v: f64) -> String {
    let s = format!("{:.1}", v);
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// A standing after its count in a sentence: "3 delivered", "4 with no report yet" (the
/// theme's plural strings `scorecard_<standing>`).
fn counted(s: Standing, n: usize, locale: &Locale) -> String {
    locale.counted(&format!("scorecard_{}", s.slug().replace('-', "_")), n, &[])
}

/// The counts in words: "12 commitments as of 2 April 2025: 3 delivered, 2 on track and 7
/// with no report yet." Zero counts are left out (the table lists them).
pub(crate) fn description(
    tally: &[(Standing, usize)],
    as_of: Option<&str>,
    locale: &Locale,
) -> String {
    let (head, rest) = description_parts(tally, as_of, locale);
    format!("{head}{rest}")
}

/// [`description`] cut after its count ("12 commitments"), so that a page can link the count.
pub(crate) fn description_parts(
    tally: &[(Standing, usize)],
    as_of: Option<&str>,
    locale: &Locale,
) -> (String, String) {
    let total: usize = tally.iter().map(|(_, n)| n).sum();
    let head = locale.counted("count_commitments", total, &[]);
    let when = as_of.map_or_else(String::new, |d| {
        format!(" {}", locale.text("as_of", &[("date", d)]))
    });
    let parts: Vec<String> = tally
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|&(s, n)| counted(s, n, locale))
        .collect();
    let list = match parts.as_slice() {
        [] => return (head, format!("{when}.")),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {} {last}", rest.join(", "), locale.text("and", &[])),
    };
    (head, format!("{when}: {list}."))
}

/// How a standing's segment is filled: a solid colour, a pattern of marks over it, or hollow.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fill {
    Solid,
    /// Lines at this angle (degrees), `cross` adding the lines at right angles to them.
    Lines {
        angle: u16,
        cross: bool,
    },
    Dots,
    Hollow,
}

fn fill(s: Standing) -> Fill {
    match s {
        Standing::Delivered => Fill::Solid,
        Standing::OnTrack => Fill::Lines {
            angle: 45,
            cross: false,
        },
        Standing::AtRisk => Fill::Dots,
        Standing::Delayed => Fill::Lines {
            angle: 0,
            cross: false,
        },
        Standing::Overdue => Fill::Lines {
            angle: 45,
            cross: true,
        },
        Standing::NotStarted => Fill::Lines {
            angle: 90,
            cross: false,
        },
        Standing::Dropped => Fill::Lines {
            angle: 135,
            cross: false,
        },
        Standing::NoReport => Fill::Hollow,
    }
}

/// The pattern of a patterned standing: its colour behind, marks in the page's background
/// colour over it (in forced colours, system colours: see style.css).
fn pattern(svg: &mut String, id: &str, s: Standing) {
    let marks = match fill(s) {
        Fill::Lines { angle, cross } => {
            let transform = if angle == 0 {
                String::new()
            } else {
                format!(" patternTransform=\"rotate({angle})\"")
            };
            let mut m = format!(
                "<pattern id=\"{id}-{}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"{transform}>",
                s.slug()
            );
            m.push_str("<rect class=\"scorecard-ground\" width=\"6\" height=\"6\"/>");
            m.push_str("<line class=\"scorecard-mark\" x1=\"0\" y1=\"3\" x2=\"6\" y2=\"3\"/>");
            if cross {
                m.push_str("<line class=\"scorecard-mark\" x1=\"3\" y1=\"0\" x2=\"3\" y2=\"6\"/>");
            }
            m
        }
        Fill::Dots => format!(
            "<pattern id=\"{id}-{}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect class=\"scorecard-ground\" width=\"6\" height=\"6\"/><circle class=\"scorecard-dot\" cx=\"3\" cy=\"3\" r=\"1.4\"/>",
            s.slug()
        ),
        Fill::Solid | Fill::Hollow => return,
    };
    let _ = write!(svg, "{marks}</pattern>");
}

/// A segment's shape at `x`, `width` wide: a rectangle in its standing's classes, filled with
/// its pattern when it has one.
fn segment(id: &str, s: Standing, x: f64, y: f64, width: f64, height: f64) -> String {
    let fill_attr = match fill(s) {
        Fill::Lines { .. } | Fill::Dots => format!(" fill=\"url(#{id}-{})\"", s.slug()),
        Fill::Solid | Fill::Hollow => String::new(),
    };
    let look = match fill(s) {
        Fill::Solid => "scorecard-solid",
        Fill::Hollow => "scorecard-hollow",
        _ => "scorecard-patterned",
    };
    format!(
        "<rect class=\"scorecard-segment {look} scorecard-{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{fill_attr}/>",
        s.slug(),
        num(x),
        num(y),
        num(width),
        num(height)
    )
}

/// The widths of the segments of the non-zero counts, in order, spanning [`WIDTH`]: in
/// proportion, but none narrower than [`MIN_SEGMENT`] (the widest give up the difference).
fn widths(counts: &[usize]) -> Vec<f64> {
    let total: usize = counts.iter().sum();
    if total == 0 {
        return Vec::new();
    }
    let mut w: Vec<f64> = counts
        .iter()
        .map(|&n| n as f64 / total as f64 * WIDTH)
        .collect();
    let short: f64 = w.iter().map(|&x| (MIN_SEGMENT - x).max(0.0)).sum();
    let room: f64 = w.iter().filter(|&&x| x > MIN_SEGMENT).sum();
    for x in &mut w {
        if *x < MIN_SEGMENT {
            *x = MIN_SEGMENT;
        } else if room > 0.0 {
            *x -= short * *x / room;
        }
    }
    w
}

/// The scorecard's bar for `tally` (every standing's count, zeros included); `id` makes its
/// element ids unique in the page, and `as_of` is the date the counts are at.
pub(crate) fn bar(
    tally: &[(Standing, usize)],
    as_of: Option<&str>,
    id: &str,
    locale: &Locale,
) -> String {
    let shown: Vec<(Standing, usize)> = tally.iter().copied().filter(|(_, n)| *n > 0).collect();
    let mut svg = String::with_capacity(2048);
    let _ = write!(
        svg,
        "<svg class=\"scorecard-bar\" viewBox=\"0 0 {} {}\" role=\"img\" focusable=\"false\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\">\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
        num(WIDTH),
        num(HEIGHT),
        escape_html(&locale.text("commitments_by_status", &[])),
        escape_html(&description(tally, as_of, locale))
    );
    if shown
        .iter()
        .any(|&(s, _)| matches!(fill(s), Fill::Lines { .. } | Fill::Dots))
    {
        svg.push_str("<defs>");
        for &(s, _) in &shown {
            pattern(&mut svg, id, s);
        }
        svg.push_str("</defs>\n");
    }
    let counts: Vec<usize> = shown.iter().map(|(_, n)| *n).collect();
    let mut x = 0.0;
    for (&(s, _), w) in shown.iter().zip(widths(&counts)) {
        let _ = writeln!(svg, "{}", segment(id, s, x, 1.0, w, HEIGHT - 2.0));
        x += w;
    }
    svg.push_str("</svg>");
    svg
}

/// A small sample of standing `s`'s segment, for its row of the table beside the bar: the
/// table is the bar's key. Decorative: the row says the standing in words. Its pattern is
/// its own (`id`-swatch-SLUG), so it shows even when the bar has no segment of that standing.
pub(crate) fn swatch(s: Standing, id: &str) -> String {
    let own = format!("{id}-swatch");
    let mut svg = String::from(
        "<svg class=\"scorecard-swatch\" viewBox=\"0 0 24 16\" aria-hidden=\"true\" focusable=\"false\">",
    );
    if matches!(fill(s), Fill::Lines { .. } | Fill::Dots) {
        svg.push_str("<defs>");
        pattern(&mut svg, &own, s);
        svg.push_str("</defs>");
    }
    svg.push_str(&segment(&own, s, 1.0, 1.0, 22.0, 14.0));
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(counts: [usize; 8]) -> Vec<(Standing, usize)> {
        Standing::ALL.into_iter().zip(counts).collect()
    }

    fn en() -> crate::i18n::Locale {
        crate::i18n::builtin("en", "en-GB")
    }

    fn date() -> Option<&'static str> {
        Some("2 April 2025")
    }

    #[test]
    fn the_description_gives_every_count_in_words_and_skips_zeros() {
        assert_eq!(
            description(&tally([3, 2, 1, 0, 1, 0, 1, 4]), date(), &en()),
            "12 commitments as of 2 April 2025: 3 delivered, 2 on track, 1 at risk, 1 overdue, 1 dropped and 4 with no report yet."
        );
        assert_eq!(
            description(&tally([0, 0, 0, 0, 0, 1, 0, 0]), None, &en()),
            "1 commitment: 1 not started."
        );
        assert_eq!(
            description(&tally([0, 0, 0, 2, 0, 0, 0, 0]), date(), &en()),
            "2 commitments as of 2 April 2025: 2 delayed."
        );
        assert_eq!(description(&tally([0; 8]), None, &en()), "0 commitments.");
    }

    #[test]
    fn segments_span_the_bar_in_proportion_and_a_small_count_stays_visible() {
        let w = widths(&[1, 1, 2]);
        assert_eq!(w, vec![150.0, 150.0, 300.0]);
        let w = widths(&[1, 999]);
        assert_eq!(w[0], MIN_SEGMENT);
        assert!((w.iter().sum::<f64>() - WIDTH).abs() < 1e-9, "{w:?}");
        assert!(widths(&[]).is_empty());
    }

    #[test]
    fn the_bar_is_one_image_with_a_segment_per_non_zero_count_each_told_apart_by_more_than_colour()
    {
        let svg = bar(&tally([3, 2, 1, 0, 1, 0, 1, 4]), date(), "sc", &en());
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
        assert!(!svg.contains("style") && !svg.contains("<script"), "{svg}");
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        let segments: Vec<_> = doc
            .descendants()
            .filter(|n| {
                n.attribute("class")
                    .is_some_and(|c| c.contains("scorecard-segment"))
            })
            .collect();
        assert_eq!(segments.len(), 6, "{svg}");
        assert!(!svg.contains("scorecard-delayed") && !svg.contains("scorecard-not-started"));
        // Each segment looks different from every other, whatever its colour.
        let looks: std::collections::HashSet<_> = segments
            .iter()
            .map(|n| {
                (
                    n.attribute("fill").map(|f| {
                        let id = f.trim_start_matches("url(#").trim_end_matches(')');
                        let p = doc
                            .descendants()
                            .find(|p| p.attribute("id") == Some(id))
                            .expect("the pattern a segment uses is defined");
                        format!(
                            "{:?}{}",
                            p.attribute("patternTransform"),
                            p.children()
                                .filter_map(|c| c.attribute("class"))
                                .collect::<Vec<_>>()
                                .join(" ")
                        )
                    }),
                    n.attribute("class")
                        .unwrap()
                        .split(' ')
                        .nth(1)
                        .map(str::to_string),
                )
            })
            .collect();
        assert_eq!(looks.len(), segments.len(), "{svg}");
    }

    #[test]
    fn snapshot_a_scorecard_bar() {
        insta::assert_snapshot!(bar(&tally([3, 2, 1, 1, 2, 1, 1, 4]), date(), "sc", &en()));
    }

    #[test]
    fn a_swatch_carries_its_own_pattern() {
        let s = swatch(Standing::OnTrack, "sc");
        assert!(s.contains("id=\"sc-swatch-on-track\"") && s.contains("url(#sc-swatch-on-track)"));
        assert!(s.contains("aria-hidden=\"true\""));
        assert!(!swatch(Standing::Delivered, "sc").contains("<pattern"));
    }
}
