//! One document through the whole pipeline: a small site (a plan with priorities, a metric, a
//! source, a second document) with one slot that takes any bytes, then load, resolve and render
//! it as `check` does. The fuzz target in `fuzz/` and the bounded property test run in CI both
//! go through [`Probe::check`], so a crash either finds is the same crash.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diag::{Diagnostic, SourceFiles};
use crate::pipeline::{self, Outcome};

/// Where the document under test goes, under content/.
pub const SLOT: &str = "reports/2024-05-01-probe.md";

/// The rest of the site, as (path under the site root, text).
const SITE: &[(&str, &str)] = &[
    (
        "content/site.yaml",
        "title: Probe\nbase_url: https://example.org/probe/\nlanguage: en-GB\nsearch: false\n",
    ),
    (
        "content/sources.yaml",
        "pas:\n  title: Public Attitude Survey\n  publisher: MOPAC\n  date: 2022-03-01\n",
    ),
    (
        "content/plans/plan-a.md",
        "---\ntitle: Plan A\ndate: 2022-03-24\nsummary: A plan.\nowner: Mayor\n\
         period: {start: 2022-04-01, end: 2025-03-31}\npriorities:\n  - id: trust\n    \
         title: Build trust\n    summary: More people trust the police.\n---\nThe plan.\n",
    ),
    (
        "content/metrics/pas-good.yaml",
        "title: Good job locally\nunit: percent\nbetter: higher\nsource: pas\n\
         priorities: [plan-a/trust]\nseries:\n  - { period: 2020-03, value: 68 }\n  \
         - { period: 2021-12, value: 51 }\n",
    ),
    (
        "content/reports/2024-01-02-other.md",
        "---\ntitle: Other\ndate: 2024-01-02\nsummary: Another report.\n---\n## Findings\n\nText.\n",
    ),
];

/// A probe site in a fresh temporary folder, removed on drop.
pub struct Probe {
    root: PathBuf,
}

impl Probe {
    pub fn new() -> std::io::Result<Probe> {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let root = std::env::temp_dir().join(format!(
            "plainsight-probe-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        if root.exists() {
            std::fs::remove_dir_all(&root)?;
        }
        for (path, text) in SITE {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap_or(&root))?;
            std::fs::write(path, text)?;
        }
        Ok(Probe { root })
    }

    /// For the library's own tests, which load the probe site with documents of their own.
    #[cfg(test)]
    pub(crate) fn root(&self) -> &std::path::Path {
        &self.root
    }

    /// Put `document` in the slot and check the site. Panics (the finding) if a stage panics or
    /// a diagnostic points outside its file, which would print a wrong place to the user.
    pub fn check(&self, document: &[u8]) -> Outcome {
        let path = self.root.join("content").join(SLOT);
        std::fs::write(&path, document).expect("write the probe document");
        let outcome = pipeline::check(&self.root, pipeline::CheckOptions::default());
        for d in outcome.diagnostics.iter() {
            assert_in_bounds(d, &outcome.sources);
        }
        // The report the user would read must be renderable too.
        let _ = outcome.diagnostics.render(&outcome.sources);
        outcome
    }
}

fn assert_in_bounds(d: &Diagnostic, sources: &SourceFiles) {
    let places = d
        .location
        .iter()
        .map(|l| (l.file, &l.span))
        .chain(d.related.iter().map(|(l, _)| (l.file, &l.span)));
    for (file, span) in places {
        let text = sources.text(file);
        assert!(
            span.start <= span.end
                && span.end <= text.len()
                && text.is_char_boundary(span.start)
                && text.is_char_boundary(span.end),
            "diagnostic `{}` has span {span:?} outside {} ({} bytes)",
            d.message,
            sources.path(file),
            text.len()
        );
    }
}

impl Drop for Probe {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_document_passes_and_a_bad_one_is_located() {
        let probe = Probe::new().unwrap();
        let good = "---\ntitle: Probe\ndate: 2024-05-01\nsummary: S.\nplans: [plan-a]\n---\n\
                    Trust fell to [51%](metric:pas-good@2021-12)[^1], see [other](doc:reports/2024-01-02-other#findings).\n\n\
                    [^1]: [PAS](source:pas).\n";
        let outcome = probe.check(good.as_bytes());
        assert!(
            outcome.succeeded(),
            "{}",
            outcome.diagnostics.render(&outcome.sources)
        );
        assert_eq!(outcome.stats.claims, 1);

        let outcome = probe.check(b"---\ntitle: [\n---\n");
        let report = outcome.diagnostics.render(&outcome.sources);
        assert!(report.contains(&format!("content/{SLOT}:2:")), "{report}");
    }
}
