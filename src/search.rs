//! Site search: the Pagefind index of the pages that carry `data-pagefind-body` (documents,
//! plans, priorities and metrics), built in memory after render and published under
//! `pagefind/`, next to the search page that `themes/default/static/search.js` drives.

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diag::Diagnostic;
use crate::urls::encode_path;

/// Where the index is published, under the output folder.
pub(crate) const FOLDER: &str = "pagefind/";

/// The attribute that marks the part of a page to index; pages without it are left out.
pub(crate) const BODY_MARK: &str = "data-pagefind-body";

/// A page to index, as (root-relative URL, HTML), if it is an HTML page whose template
/// marked a part of it to index; `path` is its output path (`reports/x/index.html`).
pub(crate) fn indexable(path: &str, bytes: &[u8]) -> Option<(String, String)> {
    if !path.ends_with(".html") {
        return None;
    }
    let html = String::from_utf8_lossy(bytes);
    if !html.contains(BODY_MARK) {
        return None;
    }
    let folder = path.strip_suffix("index.html").unwrap_or(path);
    Some((format!("/{}", encode_path(folder)), spaced(&html)))
}

/// Elements whose text Pagefind joins to the next element's without a space (it separates
/// only headings, paragraphs, list items, table data and a few containers), which ran a label
/// into its value in excerpts ("Published24 March 2022"). A space before each end tag keeps
/// them apart; the published page is unchanged, only the copy given to the index.
const UNSPACED_ENDS: [&str; 6] = [
    "</dt>",
    "</dd>",
    "</th>",
    "</caption>",
    "</figcaption>",
    "</summary>",
];

/// `html` with a space before the end tags of [`UNSPACED_ENDS`]. A literal `</dt>` can only
/// be markup: text in a page has its `<` escaped.
fn spaced(html: &str) -> String {
    let mut out = html.to_owned();
    for end in UNSPACED_ENDS {
        if out.contains(end) {
            out = out.replace(end, &format!(" {end}"));
        }
    }
    out
}

/// Index `pages` (root-relative URL such as `/reports/x/`, whole HTML document) and return
/// Pagefind's files as (output path, bytes), sorted by path. The same pages give the same
/// bytes, in whatever order they come.
pub(crate) fn index(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_marked_html_pages_are_indexed_under_their_folder_url() {
        let marked = b"<main data-pagefind-body><h1>Knife crime</h1></main>";
        assert_eq!(
            indexable("reports/knife crime/index.html", marked).map(|p| p.0),
            Some("/reports/knife%20crime/".to_string())
        );
        assert_eq!(
            indexable("404.html", marked).map(|p| p.0),
            Some("/404.html".into())
        );
        assert!(indexable("reports/index.html", b"<main><h1>Reports</h1></main>").is_none());
        assert!(indexable("metrics/x/data.json", marked).is_none());
    }

    #[test]
    fn labels_and_values_are_spaced_apart_for_the_index() {
        let page = b"<main data-pagefind-body><dl><dt>Published</dt><dd>24 March 2022</dd></dl>\
            <table><tr><th>Period</th><th>Value</th></tr></table></main>";
        let html = indexable("x/index.html", page).unwrap().1;
        assert!(
            html.contains("Published </dt><dd>24 March 2022 </dd>"),
            "{html}"
        );
        assert!(html.contains("Period </th><th>Value </th>"), "{html}");
    }

    #[test]
    fn the_excerpt_comes_from_the_text_not_the_ignored_lists_and_kind_and_date_are_meta() {
        let page = |body: &str| {
            format!("<html lang=\"en\"><body><main data-pagefind-body>{body}</main></body></html>")
        };
        let doc = page(
            "<div data-pagefind-ignore data-pagefind-filter=\"kind:Report\" \
             data-pagefind-meta=\"kind:Report\"><span data-pagefind-meta=\"date:24 March 2022\">\
             </span><span data-pagefind-filter=\"plan:Police and Crime Plan\"></span></div>\
             <h1>Knife crime</h1><dl data-pagefind-ignore><dt>Published</dt><dd>24 March 2022</dd></dl>\
             <section data-pagefind-ignore><h2>Answers to</h2><ul><li>Plan: Zebrafish</li></ul></section>\
             <p>Offences fell.</p><dl><dt>Owner</dt><dd>Mayor</dd></dl>",
        );
        let pages = vec![("/r/".to_string(), spaced(&doc))];
        let files = index(pages, "en").unwrap();
        let fragment = files
            .iter()
            .find(|(p, _)| p.starts_with("pagefind/fragment/"))
            .expect("a fragment");
        let mut text = String::new();
        use std::io::Read;
        flate2::read::GzDecoder::new(&fragment.1[..])
            .read_to_string(&mut text)
            .unwrap();
        assert!(text.contains("Offences fell."), "{text}");
        // Not "OwnerMayor": the index's copy is spaced.
        assert!(text.contains("Owner Mayor"), "{text}");
        assert!(
            !text.contains("Zebrafish") && !text.contains("Published"),
            "{text}"
        );
        assert!(text.contains(r#""kind":"Report""#), "{text}");
        assert!(text.contains(r#""date":"24 March 2022""#), "{text}");
        assert!(
            text.contains(r#""plan":["Police and Crime Plan"]"#),
            "{text}"
        );
    }
}
