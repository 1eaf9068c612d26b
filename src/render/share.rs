//! What a shared link to a page shows: the site's icon and site.yaml's `image:` (loaded and
//! checked with the site), and each page's `og:image`, chosen in this order: the document's
//! own `image:`; with `social_cards: true`, a card drawn for the document; site.yaml's
//! `image:`; the site's card, drawn once per build.

use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use super::cards::{Card, CardJob};
use super::icons::{self, Icon};
use crate::config::SiteConfig;
use crate::content::{DocIx, Site, Theme};
use crate::diag::Diagnostic;
use crate::graph::{Graph, Target};
use crate::urls::encode_path;

/// The folder cards and site.yaml's `image:` are published in.
const FOLDER: &str = "cards";

/// The site's icon and site.yaml's picture, as loaded.
#[derive(Debug, Clone)]
pub(crate) struct Shared {
    pub(crate) icon: Icon,
    pub(crate) image: Option<SiteImage>,
}

/// site.yaml's `image:`: its bytes, published at [`SiteImage::path`], and `image_alt:`.
#[derive(Debug, Clone)]
pub(crate) struct SiteImage {
    pub(crate) bytes: Arc<[u8]>,
    /// Its extension, lower case (`png`).
    pub(crate) ext: String,
    pub(crate) alt: String,
}

impl SiteImage {
    pub(crate) fn path(&self) -> String {
        format!("{FOLDER}/site-image.{}", self.ext)
    }
}

/// A page's `og:image`: an absolute URL, and what it shows in words.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct PageImage {
    pub(crate) url: String,
    pub(crate) alt: String,
}

/// The extensions a shared picture may have: what Open Graph readers show.
const PICTURES: [&str; 5] = ["png", "jpg", "jpeg", "gif", "webp"];

/// The site's icon and picture, and the problems with site.yaml's `favicon:` and `image:`
/// (each at its line; the theme's icon and the site's card stand in).
pub(crate) fn load(root: &Path, config: &SiteConfig, theme: &Theme) -> (Shared, Vec<Diagnostic>) {
    let (icon, icon_problem) = icons::load(root, config, theme);
    let mut problems: Vec<Diagnostic> = icon_problem.into_iter().collect();
    let image = config.image.as_ref().and_then(|given| {
        let rel = given.path.value.trim_start_matches("./");
        let ext = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        let Some(ext) = ext.filter(|e| PICTURES.contains(&e.as_str())) else {
            problems.push(
                Diagnostic::error(format!("image `{rel}` is not a PNG, JPEG, GIF or WebP file"))
                    .at(config.file, given.path.span.clone())
                    .help("give the path of a PNG or JPEG file under content/, e.g. images/share.png"),
            );
            return None;
        };
        let inside = !rel.starts_with('/') && !rel.split('/').any(|s| s == ".." || s.starts_with('.'));
        let path = root.join("content").join(rel);
        match std::fs::read(&path) {
            Ok(bytes) if inside && path.is_file() => Some(SiteImage {
                bytes: bytes.into(),
                ext,
                alt: given.alt.clone(),
            }),
            _ => {
                problems.push(
                    Diagnostic::error(format!("image `{rel}` is not a file under content/"))
                        .at(config.file, given.path.span.clone())
                        .help("give the path of a PNG or JPEG file from content/, e.g. images/share.png"),
                );
                None
            }
        }
    });
    (Shared { icon, image }, problems)
}

/// Where document `i`'s card is published: `cards/<its path>.png`.
pub(crate) fn card_path(site: &Site, i: DocIx) -> String {
    let url = site.documents[i].url.0.trim_end_matches('/');
    format!("{FOLDER}/{url}.png")
}

/// Where the site's card is published.
pub(crate) const SITE_CARD: &str = "cards/site.png";

/// Whether document `i` has a card of its own: cards are on and it names no picture.
pub(crate) fn has_card(site: &Site, i: DocIx) -> bool {
    site.config.social_cards && site.documents[i].image.is_none()
}

/// Whether some page shows the site's card: when site.yaml names no picture.
pub(crate) fn has_site_card(site: &Site) -> bool {
    site.shared.image.is_none()
}

/// Document `i`'s card: kind, title, date, and the site and its publisher.
pub(crate) fn document_card(site: &Site, i: DocIx) -> CardJob {
    let d = &site.documents[i];
    CardJob {
        card: Card {
            title: d.title.clone(),
            kind: Some(d.kind.label().to_string()),
            date: d.date.map(|d| site.locale.date(d)),
            site: site.config.title.clone(),
            publisher: site.config.publisher.clone(),
        },
        cache: Some(super::cards::cache_dir(&site.root)),
    }
}

/// The site's card: its title and publisher. Drawn every build (it is one), never cached.
pub(crate) fn site_card(site: &Site) -> CardJob {
    let c = &site.config;
    CardJob {
        card: Card {
            title: c.title.clone(),
            kind: None,
            date: None,
            site: c.publisher.clone().unwrap_or_default(),
            publisher: None,
        },
        cache: None,
    }
}

/// The picture a page that is not a document shows: site.yaml's, else the site's card.
pub(crate) fn site_image(site: &Site) -> PageImage {
    let c = &site.config;
    match &site.shared.image {
        Some(image) => PageImage {
            url: c.base_url.root_absolute(&encode_path(&image.path())),
            alt: image.alt.clone(),
        },
        None => PageImage {
            url: c.base_url.root_absolute(SITE_CARD),
            alt: match &c.publisher {
                Some(p) => format!("{}, published by {p}", c.title),
                None => c.title.clone(),
            },
        },
    }
}

/// The picture document `i`'s page shows: its own, its card, or the site's.
pub(crate) fn document_image(site: &Site, graph: &Graph, i: DocIx) -> PageImage {
    let d = &site.documents[i];
    let base = &site.config.base_url;
    if let Some(own) = &d.image
        && let Some(Target::Asset { path, .. }) = graph.target(i, &own.path.value)
    {
        return PageImage {
            url: base.root_absolute(&encode_path(path)),
            alt: own.alt.clone(),
        };
    }
    if has_card(site, i) {
        let mut alt = format!("{}: {}", d.kind.label(), d.title);
        if let Some(date) = d.date {
            alt.push_str(&format!(", {}", site.locale.date(date)));
        }
        alt.push_str(&format!(". {}", site.config.title));
        return PageImage {
            url: base.absolute(&encode_path(&card_path(site, i))),
            alt,
        };
    }
    site_image(site)
}
