//! The theme: templates and static files, embedded from themes/default at compile time and
//! overridden file by file from the site's own themes/<name>/ folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use include_dir::{Dir, include_dir};

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, FileId, SourceFiles};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where a static file's bytes come from.
#[derive(Debug, Clone)]
pub enum AssetSource {
    Embedded(&'static [u8]),
    Disk(PathBuf),
    /// Made while loading: a minified stylesheet.
    Built(Arc<[u8]>),
}

/// Templates by name (e.g. `document.html`), each registered in [`SourceFiles`] so template errors
/// point at a file and line; static files by their output name under static/. Stylesheets are
/// minified and renamed with a hash of their content (`style.css` becomes `style.<hash>.css`),
/// so hosts can cache them for a year and a changed theme is still fetched at once.
#[derive(Debug, Default, Clone)]
pub(crate) struct Theme {
    pub(crate) templates: BTreeMap<String, FileId>,
    pub(crate) assets: BTreeMap<String, AssetSource>,
    /// A stylesheet's name in the theme -> its fingerprinted name in `assets`.
    pub(crate) renamed: BTreeMap<String, String>,
    /// strings/<language>.yaml: the built-in theme's file, then the site's theme's.
    pub(crate) strings: crate::i18n::StringFiles,
}

impl Theme {
    /// The name a theme file is published under: fingerprinted for stylesheets.
    pub(crate) fn asset_name<'a>(&'a self, name: &'a str) -> &'a str {
        self.renamed.get(name).map_or(name, String::as_str)
    }

    /// Minify and fingerprint every stylesheet, once all overrides are known.
    fn fingerprint_stylesheets(&mut self) -> Result<(), Diagnostic> {
        let css: Vec<String> = self
            .assets
            .keys()
            .filter(|name| name.ends_with(".css"))
            .cloned()
            .collect();
        for name in css {
            let Some(source) = self.assets.remove(&name) else {
                continue;
            };
            let (bytes, display) = match &source {
                AssetSource::Embedded(bytes) => {
                    (bytes.to_vec(), format!("<embedded theme>/static/{name}"))
                }
                AssetSource::Disk(path) => (
                    super::read_regular(path).map_err(|e| {
                        Diagnostic::error(format!("cannot read {}: {e}", path.display()))
                    })?,
                    path.display().to_string(),
                ),
                AssetSource::Built(_) => {
                    self.assets.insert(name, source);
                    continue;
                }
            };
            let text = String::from_utf8(bytes).map_err(|_| {
                Diagnostic::error(format!("{display} is not valid UTF-8")).help("save it as UTF-8")
            })?;
            let minified = minifier::css::minify(&text)
                .map_err(|e| {
                    Diagnostic::error(format!("{display}: cannot minify this stylesheet: {e}"))
                        .help("check the CSS for an unclosed comment, string or bracket")
                })?
                .to_string()
                .trim()
                .to_string();
            let hash = xxhash_rust::xxh3::xxh3_64(minified.as_bytes());
            let stem = name.strip_suffix(".css").unwrap_or(&name);
            let published = format!("{stem}.{:012x}.css", hash >> 16);
            self.assets.insert(
                published.clone(),
                AssetSource::Built(minified.into_bytes().into()),
            );
            self.renamed.insert(name, published);
        }
        Ok(())
    }
}

pub(crate) fn load(
    root: &Path,
    config: &SiteConfig,
    sources: &mut SourceFiles,
) -> Result<Theme, Diagnostic> {
    let mut theme = Theme::default();
    for file in embedded_files(&DEFAULT_THEME) {
        let rel = file.path().to_string_lossy().replace('\\', "/");
        if let Some(name) = rel.strip_prefix("templates/") {
            let text = file.contents_utf8().unwrap_or_default();
            let id = sources.add(format!("<embedded theme>/templates/{name}"), text);
            theme.templates.insert(name.to_string(), id);
        } else if let Some(name) = rel.strip_prefix("static/") {
            theme
                .assets
                .insert(name.to_string(), AssetSource::Embedded(file.contents()));
        } else if let Some(code) = strings_code(&rel) {
            let text = file.contents_utf8().unwrap_or_default();
            let id = sources.add(format!("<embedded theme>/{rel}"), text);
            theme.strings.entry(code.to_string()).or_default().push(id);
        }
    }
    let dir = root.join("themes").join(&config.theme);
    if !dir.is_dir() {
        if config.theme == "default" {
            theme.fingerprint_stylesheets()?;
            return Ok(theme);
        }
        return Err(Diagnostic::error(format!(
            "theme `{}` not found: there is no folder themes/{}",
            config.theme, config.theme
        ))
        .help("create the folder, or remove `theme:` from site.yaml to use the built-in theme"));
    }
    for entry in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let display = format!("themes/{}/{rel}", config.theme);
        if let Some(name) = rel.strip_prefix("templates/") {
            let id = sources.add(&display, read_text(entry.path(), &display)?);
            theme.templates.insert(name.to_string(), id);
        } else if let Some(code) = strings_code(&rel) {
            let id = sources.add(&display, read_text(entry.path(), &display)?);
            theme.strings.entry(code.to_string()).or_default().push(id);
        } else if let Some(name) = rel.strip_prefix("static/") {
            theme.assets.insert(
                name.to_string(),
                AssetSource::Disk(entry.path().to_path_buf()),
            );
        }
    }
    theme.fingerprint_stylesheets()?;
    Ok(theme)
}

/// A theme file's text, which must be UTF-8; `display` names it in the error.
fn read_text(path: &Path, display: &str) -> Result<String, Diagnostic> {
    let bytes = super::read_regular(path)
        .map_err(|e| Diagnostic::error(format!("cannot read {display}: {e}")))?;
    String::from_utf8(bytes).map_err(|_| {
        Diagnostic::error(format!("{display} is not valid UTF-8")).help("save it as UTF-8")
    })
}

/// The language of a strings file, `cy` of `strings/cy.yaml`: compared without regard to case.
fn strings_code(rel: &str) -> Option<String> {
    let name = rel.strip_prefix("strings/")?.strip_suffix(".yaml")?;
    (!name.contains('/')).then(|| name.to_ascii_lowercase())
}

fn embedded_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut out = Vec::new();
    for entry in dir.entries() {
        match entry {
            include_dir::DirEntry::Dir(d) => out.extend(embedded_files(d)),
            include_dir::DirEntry::File(f) => out.push(f),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme_with(css: &'static str) -> Theme {
        let mut theme = Theme::default();
        theme
            .assets
            .insert("style.css".into(), AssetSource::Embedded(css.as_bytes()));
        theme
            .assets
            .insert("logo.svg".into(), AssetSource::Embedded(b"<svg/>"));
        theme.fingerprint_stylesheets().unwrap();
        theme
    }

    fn built(theme: &Theme, name: &str) -> String {
        match &theme.assets[name] {
            AssetSource::Built(bytes) => String::from_utf8(bytes.to_vec()).unwrap(),
            other => panic!("{name} is {other:?}"),
        }
    }

    #[test]
    fn stylesheets_are_minified_and_named_by_their_content() {
        let a = theme_with("/* colours */\nbody {\n  color: #111;\n}\n");
        let name = a.asset_name("style.css").to_string();
        assert!(
            name.starts_with("style.") && name.ends_with(".css") && name.len() == 22,
            "{name}"
        );
        assert_eq!(built(&a, &name), "body{color:#111;}");
        assert!(!a.assets.contains_key("style.css"));
        // Other files keep their names.
        assert_eq!(a.asset_name("logo.svg"), "logo.svg");
        assert!(a.assets.contains_key("logo.svg"));
        // Same rules, other comments and spaces: same file. Other rules: another name.
        let same = theme_with("body { color: #111; }");
        assert_eq!(same.asset_name("style.css"), name);
        let other = theme_with("body { color: #222 }");
        assert_ne!(other.asset_name("style.css"), name);
    }
}
