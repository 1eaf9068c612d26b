//! A generated corpus (examples/gen_corpus.rs, compiled in here), commitments and progress
//! reports included, builds with every reference and claim checked and no warning, and one
//! thread writes exactly what all of them write.

mod common;

use common::*;

#[allow(dead_code)] // its command line, used only by the example
#[path = "../examples/gen_corpus.rs"]
mod gen_corpus;

#[test]
fn one_thread_writes_byte_identical_output_to_many() {
    let site = tempfile::tempdir().unwrap();
    gen_corpus::run(gen_corpus::Args {
        docs: 400,
        out: site.path().to_path_buf(),
        seed: 7,
        hugo: None,
        zola: None,
        commitments: gen_corpus::DEFAULT_COMMITMENTS,
        reports: gen_corpus::default_reports(400),
    })
    .unwrap();
    let root = site.path().to_str().unwrap();
    let mut trees = Vec::new();
    for jobs in [None, Some("1"), Some("3")] {
        let output = site
            .path()
            .join(format!("out-{}", jobs.unwrap_or("default")));
        let mut args = vec![
            "build",
            "--root",
            root,
            "--output",
            output.to_str().unwrap(),
        ];
        args.extend(jobs.iter().flat_map(|j| ["--jobs", j]));
        let out = plainsight(&args);
        let said = stderr(&out) + &String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{said}");
        // The corpus is valid: its commitments and reports (and the rest) raise no warning.
        assert!(!said.contains("warning"), "{said}");
        // Every reference and claim in the corpus is checked, whatever the thread count.
        assert!(
            said.contains("4 plans, 16 priorities, 40 sources, 500 metrics;")
                && said.contains("references and")
                && said.contains("claims checked"),
            "{said}"
        );
        trees.push((
            said.lines()
                .find(|l| l.starts_with("Built"))
                .map(|l| l.split(" into ").next().unwrap_or_default().to_string()),
            tree(&output),
        ));
    }
    assert!(trees[0].1.len() > 900, "{} files", trees[0].1.len());
    for (i, jobs) in ["1", "3"].iter().enumerate() {
        assert_eq!(
            trees[0].0,
            trees[i + 1].0,
            "--jobs {jobs} checked something else"
        );
        let differ: Vec<_> = trees[0]
            .1
            .iter()
            .zip(&trees[i + 1].1)
            .filter(|(a, b)| a != b)
            .map(|(a, _)| a.0.clone())
            .take(5)
            .collect();
        assert!(
            trees[0].1.len() == trees[i + 1].1.len() && differ.is_empty(),
            "--jobs {jobs} differs from the default: {differ:?}"
        );
    }
}
