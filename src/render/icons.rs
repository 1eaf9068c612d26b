//! The site's icon: site.yaml `favicon:` (an SVG or PNG under content/), checked as the site
//! loads, else the theme's static/favicon.svg; published as /favicon.svg or /favicon.png and
//! as /favicon.ico (a PNG inside an ICO), which browsers ask for whatever the page links.

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use crate::config::SiteConfig;
use crate::content::theme::{AssetSource, Theme};
use crate::diag::Diagnostic;

/// The size the ICO holds an SVG icon at.
const ICO_SIZE: u32 = 32;
/// The largest icon an ICO can hold, in pixels each way.
const ICO_MAX: u32 = 256;

/// The icon's own format, which names its output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum IconFormat {
    Svg,
    Png,
}

/// The site's icon, as loaded: its bytes, its format, and the ICO made from it.
#[derive(Debug, Clone)]
pub(crate) struct Icon {
    pub(crate) format: IconFormat,
    pub(crate) bytes: Arc<[u8]>,
    pub(crate) ico: Arc<[u8]>,
    /// The raster size in the ICO (and of a PNG icon).
    pub(crate) size: u32,
}

/// One `<link rel="icon">` of every page's head.
#[derive(Debug, Clone, Serialize, Hash)]
pub(crate) struct IconLink {
    pub(crate) href: String,
    #[serde(rename = "type")]
    pub(crate) mime: &'static str,
    pub(crate) sizes: String,
}

impl IconFormat {
    /// The icon's path in the output folder.
    pub(crate) fn path(self) -> &'static str {
        match self {
            IconFormat::Svg => "favicon.svg",
            IconFormat::Png => "favicon.png",
        }
    }
}

/// The ICO's path in the output folder: where browsers look when a page names no icon.
pub(crate) const ICO_PATH: &str = "favicon.ico";

impl Icon {
    /// The head's links: the ICO first (with its size, so browsers that read SVG prefer that),
    /// then the icon in its own format.
    pub(crate) fn links(&self, config: &SiteConfig) -> Vec<IconLink> {
        let base = &config.base_url;
        let own = match self.format {
            IconFormat::Svg => IconLink {
                href: base.root_href(IconFormat::Svg.path()),
                mime: "image/svg+xml",
                sizes: "any".into(),
            },
            IconFormat::Png => IconLink {
                href: base.root_href(IconFormat::Png.path()),
                mime: "image/png",
                sizes: format!("{0}x{0}", self.size),
            },
        };
        let ico = IconLink {
            href: base.root_href(ICO_PATH),
            mime: "image/x-icon",
            sizes: format!("{0}x{0}", self.size),
        };
        vec![ico, own]
    }
}

/// The site's icon: `favicon:` from site.yaml when it is usable, else the theme's. A `favicon:`
/// that is not usable is an error at its line (and the theme's icon stands in).
pub(crate) fn load(root: &Path, config: &SiteConfig, theme: &Theme) -> (Icon, Option<Diagnostic>) {
    let Some(given) = &config.favicon else {
        return (theme_icon(theme), None);
    };
    match from_content(root, &given.value) {
        Ok(icon) => (icon, None),
        Err((message, help)) => (
            theme_icon(theme),
            Some(
                Diagnostic::error(message)
                    .at(config.file, given.span.clone())
                    .help(help),
            ),
        ),
    }
}

/// The icon content/`rel` holds, or what is wrong with it (message, help).
fn from_content(root: &Path, rel: &str) -> Result<Icon, (String, String)> {
    let lower = rel.to_ascii_lowercase();
    let format = if lower.ends_with(".svg") {
        IconFormat::Svg
    } else if lower.ends_with(".png") {
        IconFormat::Png
    } else {
        return Err((
            format!("favicon `{rel}` is not an SVG or PNG file"),
            "give an .svg or .png file under content/, or leave `favicon:` out for the theme's icon".into(),
        ));
    };
    let path = root.join("content").join(rel);
    let inside = !rel.starts_with('/') && !rel.split('/').any(|s| s == ".." || s.starts_with('.'));
    let bytes = match std::fs::read(&path) {
        Ok(b) if inside && path.is_file() => b,
        _ => {
            return Err((
                format!("favicon `{rel}` is not a file under content/"),
                "give the path of an SVG or PNG file from content/, e.g. favicon.svg".into(),
            ));
        }
    };
    from_bytes(format, bytes).map_err(|m| {
        (
            format!("favicon `{rel}` {m}"),
            format!("use a square SVG, or a square PNG of at most {ICO_MAX}x{ICO_MAX} pixels"),
        )
    })
}

/// An icon from its bytes, with its ICO; or why it cannot be one ("is not a valid PNG").
fn from_bytes(format: IconFormat, bytes: Vec<u8>) -> Result<Icon, String> {
    let (png, size) = match format {
        IconFormat::Svg => {
            let png = super::cards::try_draw(&bytes, ICO_SIZE, ICO_SIZE)
                .map_err(|e| format!("is not a valid SVG: {e}"))?;
            (png, ICO_SIZE)
        }
        IconFormat::Png => {
            let image = ico::IconImage::read_png(bytes.as_slice())
                .map_err(|e| format!("is not a valid PNG: {e}"))?;
            let (w, h) = (image.width(), image.height());
            if w != h || w > ICO_MAX {
                return Err(format!(
                    "is {w}x{h} pixels, not a square of at most {ICO_MAX}"
                ));
            }
            (bytes.clone(), w)
        }
    };
    Ok(Icon {
        format,
        ico: ico_of(&png)
            .map_err(|e| format!("cannot be made an ICO: {e}"))?
            .into(),
        bytes: bytes.into(),
        size,
    })
}

/// A PNG inside an ICO container.
fn ico_of(png: &[u8]) -> std::io::Result<Vec<u8>> {
    let image = ico::IconImage::read_png(png)?;
    let mut dir = ico::IconDir::new(ico::ResourceType::Icon);
    dir.add_entry(ico::IconDirEntry::encode_as_png(&image)?);
    let mut out = Vec::new();
    dir.write(&mut out)?;
    Ok(out)
}

/// The theme's static/favicon.svg (the default theme has one; a theme may replace it).
fn theme_icon(theme: &Theme) -> Icon {
    let bytes = match theme.assets.get("favicon.svg") {
        Some(AssetSource::Embedded(b)) => b.to_vec(),
        Some(AssetSource::Built(b)) => b.to_vec(),
        Some(AssetSource::Disk(p)) => std::fs::read(p).unwrap_or_default(),
        None => Vec::new(),
    };
    from_bytes(IconFormat::Svg, bytes)
        .or_else(|_| from_bytes(IconFormat::Svg, DEFAULT.as_bytes().to_vec()))
        .expect("the default theme's icon draws")
}

/// The default theme's icon, for a theme whose own does not draw.
const DEFAULT: &str = include_str!("../../themes/default/static/favicon.svg");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_icon_makes_an_ico_holding_a_32_pixel_png() {
        let icon = from_bytes(IconFormat::Svg, DEFAULT.as_bytes().to_vec()).unwrap();
        // ICONDIR: reserved 0, type 1 (icon), one image.
        assert_eq!(&icon.ico[..6], &[0, 0, 1, 0, 1, 0]);
        // Its entry: 32x32, and the image is a PNG.
        assert_eq!((icon.ico[6], icon.ico[7]), (32, 32));
        assert_eq!(&icon.ico[22..26], b"\x89PNG");
    }

    #[test]
    fn an_icon_that_is_not_an_image_or_too_large_is_refused() {
        let e = from_bytes(IconFormat::Svg, b"not svg".to_vec()).unwrap_err();
        assert!(e.starts_with("is not a valid SVG"), "{e}");
        let e = from_bytes(IconFormat::Png, b"not png".to_vec()).unwrap_err();
        assert!(e.starts_with("is not a valid PNG"), "{e}");
        let wide = super::super::cards::draw(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="2" height="1"/>"#,
            300,
            150,
        );
        let e = from_bytes(IconFormat::Png, wide).unwrap_err();
        assert_eq!(e, "is 300x150 pixels, not a square of at most 256");
    }
}
