//! Who writes each file of the output: plainsight's own files and folders, the pages of
//! documents, and the files copied from content/. One table, consulted for every way content
//! reaches the output, so that no file has two writers, no two paths differ only in letter case
//! (one file on macOS and Windows disks), and no path is both a file and a folder.

use std::collections::HashMap;

use crate::output::fold;

/// Folders plainsight fills itself whatever their files are called (Pagefind names its index
/// files by hash, the theme's files are fingerprinted, `serve` answers its own URLs there):
/// nothing from content/ may land inside them, nor take their name.
pub(crate) const RESERVED_FOLDERS: [(&str, &str); 3] = [
    (crate::search::FOLDER, "the search index"),
    ("static/", "the theme's static files"),
    ("__plainsight/", "`plainsight serve`'s live reload"),
];

/// Why an output path cannot be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Clash {
    /// The path is inside a reserved folder (in any letter case), or is its name.
    Reserved {
        folder: &'static str,
        owner: &'static str,
    },
    /// `owner` writes the same path.
    Taken { owner: String },
    /// `owner` writes `path`, which differs only in letter case.
    Case { path: String, owner: String },
    /// `owner` writes `path`, a file where this needs a folder, or inside a folder that this
    /// would make a file.
    FileFolder { path: String, owner: String },
}

impl Clash {
    /// The message and the advice for content that would be published at `path`, named
    /// `what` (e.g. "content/pagefind/pagefind.js").
    pub(crate) fn describe(&self, what: &str, path: &str) -> (String, String) {
        match self {
            Clash::Reserved { folder, owner } => (
                format!(
                    "{what} would be published as /{path}, in /{folder}, which is reserved for {owner}"
                ),
                format!(
                    "rename or move it: plainsight writes everything in /{folder} itself, so content may not land there"
                ),
            ),
            Clash::Taken { owner } => (
                format!("{what} would be published as /{path}, over {owner}"),
                "rename or move it: that path is taken".into(),
            ),
            Clash::Case { path: other, owner } => (
                format!(
                    "{what} would be published as /{path}, which differs from {owner}'s /{other} only in {}",
                    if path.to_lowercase() == other.to_lowercase() {
                        "letter case: on macOS and Windows they are one file"
                    } else {
                        "how its accented letters are encoded (Unicode normalisation): on macOS they are one file"
                    }
                ),
                "rename one of them so that their paths differ in more than case".into(),
            ),
            Clash::FileFolder { path: other, owner } => (
                format!(
                    "{what} would be published as /{path}, which clashes with {owner}'s /{other}: one path cannot be both a file and a folder"
                ),
                "rename or move one of them".into(),
            ),
        }
    }
}

/// Every output file claimed so far, with its owner (e.g. "the sitemap", "content/a.md").
#[derive(Debug, Default, Clone)]
pub(crate) struct Outputs {
    /// By [`fold`]ed path: the path as written and who writes it.
    files: HashMap<String, (String, String)>,
    /// Every folder the files are in, folded, without the trailing `/`: one file in it.
    folders: HashMap<String, String>,
}

impl Outputs {
    /// Whether content (a page or a copied file) may be published at `path`.
    pub(crate) fn check(&self, path: &str) -> Result<(), Clash> {
        let lower = fold(path);
        for (folder, owner) in RESERVED_FOLDERS {
            if lower.starts_with(folder) || lower == folder.trim_end_matches('/') {
                return Err(Clash::Reserved { folder, owner });
            }
        }
        self.check_generated(path, &lower)
    }

    /// Claim `path` for content written by `owner`, unless [`Outputs::check`] refuses it.
    pub(crate) fn claim(&mut self, path: &str, owner: impl Into<String>) -> Result<(), Clash> {
        self.check(path)?;
        self.insert(path, owner.into());
        Ok(())
    }

    /// Claim `path` for a file plainsight makes itself, which may be in a reserved folder.
    pub(crate) fn reserve(&mut self, path: &str, owner: impl Into<String>) -> Result<(), Clash> {
        self.check_generated(path, &fold(path))?;
        self.insert(path, owner.into());
        Ok(())
    }

    fn check_generated(&self, path: &str, lower: &str) -> Result<(), Clash> {
        if let Some((other, owner)) = self.files.get(lower) {
            let owner = owner.clone();
            return Err(if other == path {
                Clash::Taken { owner }
            } else {
                Clash::Case {
                    path: other.clone(),
                    owner,
                }
            });
        }
        let file_folder = |(other, owner): &(String, String)| Clash::FileFolder {
            path: other.clone(),
            owner: owner.clone(),
        };
        // A file where this path needs a folder…
        for (i, _) in lower.match_indices('/') {
            if let Some(file) = self.files.get(&lower[..i]) {
                return Err(file_folder(file));
            }
        }
        // …or a folder where this path is a file.
        if let Some(inside) = self.folders.get(lower)
            && let Some(file) = self.files.get(&fold(inside))
        {
            return Err(file_folder(file));
        }
        Ok(())
    }

    fn insert(&mut self, path: &str, owner: String) {
        let lower = fold(path);
        for (i, _) in lower.match_indices('/') {
            self.folders
                .entry(lower[..i].to_string())
                .or_insert_with(|| path.to_string());
        }
        self.files.insert(lower, (path.to_string(), owner));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Outputs {
        let mut t = Outputs::default();
        t.reserve("sitemap.xml", "the sitemap").unwrap();
        t.reserve("reports/index.html", "the reports listing")
            .unwrap();
        t.reserve("pagefind/pagefind.js", "the search index")
            .unwrap();
        t.reserve("metrics/m/data.csv", "the data of metric m")
            .unwrap();
        t
    }

    #[test]
    fn reserved_folders_refuse_content_in_any_case() {
        let t = table();
        for path in [
            "pagefind/pagefind.js",
            "pagefind/other.js",
            "PageFind/x/y.pf_fragment",
            "pagefind",
            "static/style.css",
            "Static/new.png",
            "__plainsight/live.js",
        ] {
            assert!(
                matches!(t.check(path), Err(Clash::Reserved { .. })),
                "{path}"
            );
        }
        assert_eq!(t.check("pagefinder/x.js"), Ok(()));
        assert_eq!(t.check("reports/static/x.png"), Ok(()));
    }

    #[test]
    fn exact_case_and_file_folder_clashes() {
        let mut t = table();
        assert_eq!(
            t.check("sitemap.xml"),
            Err(Clash::Taken {
                owner: "the sitemap".into()
            })
        );
        assert_eq!(
            t.check("metrics/m/Data.csv"),
            Err(Clash::Case {
                path: "metrics/m/data.csv".into(),
                owner: "the data of metric m".into()
            })
        );
        assert!(matches!(
            t.check("sitemap.xml/index.html"),
            Err(Clash::FileFolder { .. })
        ));
        assert!(matches!(t.check("Reports"), Err(Clash::FileFolder { .. })));
        assert!(matches!(
            t.check("metrics/M"),
            Err(Clash::FileFolder { .. })
        ));
        t.claim("a/Data.csv", "content/a.md").unwrap();
        assert!(matches!(t.check("a/data.csv"), Err(Clash::Case { .. })));
        // `é` as one character, then as `e` and a combining accent.
        t.claim("caf\u{e9}.png", "content/a.md").unwrap();
        assert!(matches!(
            t.check("cafe\u{301}.png"),
            Err(Clash::Case { .. })
        ));
        assert!(matches!(
            t.check("CAFE\u{301}.PNG"),
            Err(Clash::Case { .. })
        ));
        assert_eq!(t.check("a/data.json"), Ok(()));
    }
}
