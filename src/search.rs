//! Site search: the Pagefind index of the pages that carry `data-pagefind-body` (documents,
//! plans, priorities and metrics), built in memory after render and published under
//! `pagefind/`, next to the search page that `themes/default/static/search.js` drives.

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diag::Diagnostic;

/// Where the index is published, under the output folder.
pub const FOLDER: &str = "pagefind/";

/// The attribute that marks the part of a page to index; pages without it are left out.
pub const BODY_MARK: &str = "data-pagefind-body";

/// Index `pages` (root-relative URL such as `/reports/x/`, whole HTML document) and return
/// Pagefind's files as (output path, bytes), sorted by path. The same pages give the same
/// bytes, in whatever order they come.
pub fn index(
    mut pages: Vec<(String, String)>,
    language: &str,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    // Page order decides Pagefind's page numbers, which are written into its index files.
    pages.sort_by(|a, b| a.0.cmp(&b.0));
    let failed = |what: &str, e: &dyn std::fmt::Display| {
        Diagnostic::error(format!("the search index could not be built: {what}: {e}"))
            .help("set `search: false` in site.yaml to build without it, and report this as a bug")
    };
    let config = PagefindServiceConfig::builder()
        // One index for the whole site, stemmed for its language.
        .force_language(language.to_ascii_lowercase())
        .build();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| failed("starting", &e))?;
    runtime.block_on(async move {
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| failed("configuring", &e))?;
        for (url, html) in pages {
            index
                .add_html_file(None, Some(url.clone()), html)
                .await
                .map_err(|e| failed(&url, &e))?;
        }
        let files = index.get_files().await.map_err(|e| failed("writing", &e))?;
        let mut out: Vec<(String, Vec<u8>)> = files
            .into_iter()
            // Pagefind's own search interfaces are not used: search.js is plainsight's.
            .filter(|f| {
                let name = f.filename.to_string_lossy();
                !(name.starts_with("pagefind-ui.")
                    || name.starts_with("pagefind-modular-ui.")
                    || name.starts_with("pagefind-component-ui.")
                    || name == "pagefind-highlight.js")
            })
            .map(|f| {
                let parts: Vec<String> = f
                    .filename
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                (format!("{FOLDER}{}", parts.join("/")), f.contents)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    })
}
