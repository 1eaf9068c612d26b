//! The theme: templates and static files, embedded from themes/default at compile time and
//! overridden file by file from the site's own themes/<name>/ folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, FileId, SourceFiles};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where a static file's bytes come from.
#[derive(Debug, Clone)]
pub enum AssetSource {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// Templates by name (e.g. `document.html`), each registered in [`SourceFiles`] so template errors
/// point at a file and line; static files by their path under static/.
#[derive(Debug, Default)]
pub struct Theme {
    pub templates: BTreeMap<String, FileId>,
    pub assets: BTreeMap<String, AssetSource>,
}

pub fn load(
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
        }
    }
    let dir = root.join("themes").join(&config.theme);
    if !dir.is_dir() {
        if config.theme == "default" {
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
            let text = std::fs::read(entry.path())
                .map_err(|e| Diagnostic::error(format!("cannot read {display}: {e}")))?;
            let text = String::from_utf8(text).map_err(|_| {
                Diagnostic::error(format!("{display} is not valid UTF-8")).help("save it as UTF-8")
            })?;
            let id = sources.add(display, text);
            theme.templates.insert(name.to_string(), id);
        } else if let Some(name) = rel.strip_prefix("static/") {
            theme.assets.insert(
                name.to_string(),
                AssetSource::Disk(entry.path().to_path_buf()),
            );
        }
    }
    Ok(theme)
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
