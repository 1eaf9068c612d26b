//! Every file a build writes, by path, size and digest, for the demo and each fixture that
//! builds. A refactor must leave these byte for byte as they were; a change to what the site
//! publishes shows here as the list of files that changed, to be reviewed and accepted
//! (`cargo insta review`) with the change that made it.

mod common;

use common::{fixture, plainsight, scratch_copy, stderr, tree};

/// `path size digest`, one line per output file, sorted by path.
fn manifest(site: &str, args: &[&str]) -> String {
    let src = if site.is_empty() {
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    } else {
        fixture(site)
    };
    let dir = scratch_copy(&src);
    let root = dir.path().to_str().unwrap();
    let mut argv = vec!["build", "--root", root];
    argv.extend_from_slice(args);
    let out = plainsight(&argv);
    assert!(out.status.success(), "{site}: {}", stderr(&out));
    tree(&dir.path().join("public"))
        .into_iter()
        .map(|(path, bytes)| {
            format!(
                "{path} {} {:016x}\n",
                bytes.len(),
                xxhash_rust::xxh3::xxh3_64(&bytes)
            )
        })
        .collect()
}

macro_rules! manifests {
    ($($name:ident: $site:expr, $args:expr;)*) => {$(
        #[test]
        fn $name() {
            insta::assert_snapshot!(manifest($site, $args));
        }
    )*};
}

manifests! {
    answers_mentions: "answers-mentions", &[];
    demo: "", &[];
    demo_with_drafts: "", &["--drafts"];
    base_path: "base-path", &[];
    drafts: "drafts", &[];
    drafts_included: "drafts", &["--drafts"];
    footnotes: "footnotes", &[];
    fresh: "fresh", &[];
    markup_titles: "markup-titles", &[];
    charts: "charts", &[];
    metrics: "metrics", &[];
    override_theme: "override", &[];
    references: "references", &[];
    sources_findable: "sources-findable", &[];
    selfurls: "selfurls", &[];
    smalls_status: "smalls-status", &[];
}
