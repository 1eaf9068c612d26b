//! Drawing PNGs from SVG: the 1200x630 social cards a shared link shows (one per document with
//! site.yaml `social_cards: true`, else one for the site), and the favicon's raster forms. Text
//! is set in Noto Sans (SIL Open Font License 1.1, from the `notosans` crate) and nothing else:
//! no system font is ever loaded, so a card is the same bytes on every machine. Drawn cards are
//! kept under `.plainsight/cards/` in the site folder, by a digest of what they show, so a
//! rebuild draws only the cards that changed.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

/// A card's size: the 1.91:1 image Open Graph and X show largest.
pub(crate) const WIDTH: u32 = 1200;
pub(crate) const HEIGHT: u32 = 630;
/// Where drawn cards are kept, under the site folder (git-ignored with the rest of `.plainsight/`).
pub(crate) const CACHE: &str = ".plainsight/cards";
/// Changed whenever the drawing changes, so cached cards of an older drawing are not reused.
const DRAWING: &str = "card-v1";
/// The title's size in pixels, and how many lines of it a card shows before cutting it short.
const TITLE_SIZE: f32 = 60.0;
const TITLE_LINES: usize = 4;
/// The left and right margin.
const MARGIN: f32 = 80.0;

/// What one card shows, in the default theme's colours.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Card {
    pub(crate) title: String,
    /// The kind of page ("Press release"), above the title.
    pub(crate) kind: Option<String>,
    /// The date in words, under the title.
    pub(crate) date: Option<String>,
    /// The site's name, at the foot.
    pub(crate) site: String,
    /// The publisher, after the site's name.
    pub(crate) publisher: Option<String>,
}

/// A card to make, and the folder its drawing is cached in (none: always drawn).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CardJob {
    pub(crate) card: Card,
    pub(crate) cache: Option<PathBuf>,
}

/// The card's PNG: from the cache when the same card was drawn before, else drawn (and cached).
pub(crate) fn png(job: CardJob) -> Vec<u8> {
    let svg = svg(&job.card);
    let key = format!(
        "{:016x}",
        xxhash_rust::xxh3::xxh3_64(format!("{DRAWING}\n{svg}").as_bytes())
    );
    let cached = job.cache.as_ref().map(|dir| dir.join(format!("{key}.png")));
    if let Some(bytes) = cached.as_ref().and_then(|p| std::fs::read(p).ok())
        && is_whole_png(&bytes)
    {
        return bytes;
    }
    let bytes = draw(&svg, WIDTH, HEIGHT);
    if let Some(path) = cached {
        // A cache that cannot be written only costs the next build a redraw.
        let _ = store(&path, &bytes);
    }
    bytes
}

/// Whether a cached file is a whole PNG: its signature first and its `IEND` chunk last. A
/// file cut short or overwritten by a broken disk or a stray tool is drawn again, never
/// published.
fn is_whole_png(bytes: &[u8]) -> bool {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    const IEND: &[u8] = b"\0\0\0\0IEND\xaeB`\x82";
    bytes.len() > SIGNATURE.len() + IEND.len()
        && bytes.starts_with(SIGNATURE)
        && bytes.ends_with(IEND)
}

/// Write `bytes` to `path` through a temporary file, so a reader never sees half a card.
fn store(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("card"),
        std::process::id()
    ));
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, path)
}

/// The font database cards are drawn with: Noto Sans Regular and Bold, and no other font.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(notosans::REGULAR_TTF.to_vec());
        db.load_font_data(notosans::BOLD_TTF.to_vec());
        db.set_sans_serif_family("Noto Sans");
        Arc::new(db)
    })
    .clone()
}

/// Draw an SVG text at `width` x `height` pixels, scaled to fit, as a PNG.
pub(crate) fn draw(svg: &str, width: u32, height: u32) -> Vec<u8> {
    try_draw(svg.as_bytes(), width, height).unwrap_or_default()
}

/// Draw SVG bytes at `width` x `height`, or say why they cannot be drawn.
pub(crate) fn try_draw(svg: &[u8], width: u32, height: u32) -> Result<Vec<u8>, String> {
    let options = usvg::Options {
        fontdb: fonts(),
        font_family: "Noto Sans".into(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_data(svg, &options).map_err(|e| e.to_string())?;
    let mut pixmap =
        tiny_skia::Pixmap::new(width, height).ok_or_else(|| "the size is zero".to_string())?;
    let size = tree.size();
    let transform = tiny_skia::Transform::from_scale(
        width as f32 / size.width(),
        height as f32 / size.height(),
    );
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| e.to_string())
}

/// The card as SVG: a band of the theme's accent, the kind, the title (wrapped, cut short with
/// an ellipsis after [`TITLE_LINES`] lines), the date, and the site and publisher at the foot.
pub(crate) fn svg(card: &Card) -> String {
    let esc = crate::markdown::escape_html;
    let mut s = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}"><rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/><rect width="{WIDTH}" height="24" fill="#0b4fa8"/><rect y="{}" width="{WIDTH}" height="110" fill="#f3f5f8"/>"##,
        HEIGHT - 110
    );
    let mut y = 120.0;
    if let Some(kind) = &card.kind {
        s.push_str(&text(MARGIN, y, 34.0, "normal", "#4b5563", &esc(kind)));
        y += 30.0;
    }
    for line in wrap(
        &card.title,
        TITLE_SIZE,
        WIDTH as f32 - 2.0 * MARGIN,
        TITLE_LINES,
    ) {
        y += TITLE_SIZE * 1.2;
        s.push_str(&text(MARGIN, y, TITLE_SIZE, "bold", "#1b1f24", &esc(&line)));
    }
    if let Some(date) = &card.date {
        s.push_str(&text(
            MARGIN,
            y + 64.0,
            34.0,
            "normal",
            "#1b1f24",
            &esc(date),
        ));
    }
    let foot = match &card.publisher {
        Some(p) => format!("{} · {}", card.site, p),
        None => card.site.clone(),
    };
    let foot = wrap(&foot, 34.0, WIDTH as f32 - 2.0 * MARGIN, 1);
    let foot = foot.first().map_or("", String::as_str);
    s.push_str(&text(
        MARGIN,
        HEIGHT as f32 - 44.0,
        34.0,
        "bold",
        "#0b4fa8",
        &esc(foot),
    ));
    s.push_str("</svg>");
    s
}

/// One line of text at (`x`, `y`), its baseline.
fn text(x: f32, y: f32, size: f32, weight: &str, fill: &str, escaped: &str) -> String {
    format!(
        r#"<text x="{x}" y="{y}" font-family="Noto Sans" font-size="{size}" font-weight="{weight}" fill="{fill}">{escaped}</text>"#
    )
}

/// `s` broken into lines of at most `width` pixels at `size`, at spaces (a word wider than a
/// line is cut), at most `max_lines` of them: the last ends in `…` when the text goes on.
pub(crate) fn wrap(s: &str, size: f32, width: f32, max_lines: usize) -> Vec<String> {
    let measure = |t: &str| advance(t) * size;
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in s.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if measure(&candidate) <= width || current.is_empty() {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    let cut = lines.len() > max_lines;
    lines.truncate(max_lines);
    let last_overflows = lines.last().is_some_and(|l| measure(l) > width);
    if let Some(last) = lines.last_mut()
        && (cut || last_overflows)
    {
        let mut kept: String = last.clone();
        while !kept.is_empty() && measure(&format!("{kept}…")) > width {
            kept.pop();
        }
        *last = format!("{}…", kept.trim_end());
    }
    lines
}

/// The width of `s` in Noto Sans Bold, in ems (no kerning: lines are measured a little wide).
fn advance(s: &str) -> f32 {
    static FACE: OnceLock<Option<ttf_parser::Face<'static>>> = OnceLock::new();
    let Some(face) = FACE.get_or_init(|| ttf_parser::Face::parse(notosans::BOLD_TTF, 0).ok())
    else {
        return s.chars().count() as f32 * 0.6;
    };
    let em = f32::from(face.units_per_em());
    s.chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(0.6, |a| f32::from(a) / em)
        })
        .sum()
}

/// The cache folder of the site at `root`.
pub(crate) fn cache_dir(root: &Path) -> PathBuf {
    root.join(CACHE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(title: &str) -> Card {
        Card {
            title: title.into(),
            kind: Some("Press release".into()),
            date: Some("24 March 2022".into()),
            site: "London Policing Accountability".into(),
            publisher: Some("London Assembly (demo)".into()),
        }
    }

    #[test]
    fn a_long_title_wraps_and_is_cut_with_an_ellipsis() {
        let long = "word ".repeat(200);
        let lines = wrap(&long, TITLE_SIZE, WIDTH as f32 - 2.0 * MARGIN, TITLE_LINES);
        assert_eq!(lines.len(), TITLE_LINES);
        assert!(lines[TITLE_LINES - 1].ends_with('…'));
        for l in &lines {
            assert!(
                advance(l) * TITLE_SIZE <= WIDTH as f32 - 2.0 * MARGIN,
                "{l}"
            );
        }
        let short = wrap("A short title", TITLE_SIZE, 1040.0, TITLE_LINES);
        assert_eq!(short, ["A short title"]);
        // One word wider than a line is cut too.
        let wide = wrap(&"W".repeat(100), TITLE_SIZE, 1040.0, TITLE_LINES);
        assert_eq!(wide.len(), 1);
        assert!(wide[0].ends_with('…'));
    }

    #[test]
    fn a_card_is_a_1200_by_630_png_drawn_the_same_every_time_with_the_title_escaped() {
        let c = card("Knife crime </text><script>alert(1)</script> & more");
        let text = svg(&c);
        assert!(text.contains("&lt;/text&gt;"), "{text}");
        let a = draw(&text, WIDTH, HEIGHT);
        let b = draw(&text, WIDTH, HEIGHT);
        assert_eq!(a, b);
        assert_eq!(&a[1..4], b"PNG");
        // IHDR: width and height, big-endian, at bytes 16..24.
        assert_eq!(u32::from_be_bytes(a[16..20].try_into().unwrap()), WIDTH);
        assert_eq!(u32::from_be_bytes(a[20..24].try_into().unwrap()), HEIGHT);
        // Text was drawn: the card is not just its background and bands.
        let blank = draw(
            &svg(&Card {
                title: String::new(),
                kind: None,
                date: None,
                site: String::new(),
                publisher: None,
            }),
            WIDTH,
            HEIGHT,
        );
        assert_ne!(a, blank);
    }

    #[test]
    fn a_cached_card_is_reused_and_a_changed_card_is_drawn() {
        let dir = tempfile::tempdir().unwrap();
        let job = |title: &str| CardJob {
            card: card(title),
            cache: Some(dir.path().join("cards")),
        };
        let first = png(job("First"));
        let files = || std::fs::read_dir(dir.path().join("cards")).unwrap().count();
        assert_eq!(files(), 1);
        let path = std::fs::read_dir(dir.path().join("cards"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        // A cached card is what the next build publishes, unread by the drawing: mark it
        // (another whole PNG in its place).
        let blank = draw(&svg(&card("")), WIDTH, HEIGHT);
        std::fs::write(&path, &blank).unwrap();
        assert_eq!(png(job("First")), blank);
        // Cut short, it is drawn again (and cached again whole).
        std::fs::write(&path, &first[..first.len() / 2]).unwrap();
        assert_eq!(png(job("First")), first);
        assert_eq!(std::fs::read(&path).unwrap(), first);
        let second = png(job("Second"));
        assert_ne!(first, second);
        assert_eq!(files(), 2);
    }
}
