//! Figures as files for papers: each figure's SVG as it is, and a PNG rendered from it with
//! resvg (usvg, tiny-skia).
//!
//! Text must render the same on a fresh machine with no system fonts, so the crate embeds
//! DejaVu Sans, regular and bold (`fonts/`, Bitstream Vera licence, see `fonts/LICENSE`), and
//! resvg is built without its system-font feature: every generic family (the charts ask for
//! `sans-serif`) resolves to it, and the same SVG gives the same PNG bytes everywhere.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use crate::{Figure, ReportError};

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");
const FAMILY: &str = "DejaVu Sans";

/// Pixels per SVG unit of the PNGs: twice the screen size, about 200 dpi at a chart's printed
/// width of 9 cm (a column).
pub const PNG_SCALE: f32 = 2.0;

/// The embedded fonts, loaded once.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_sans_serif_family(FAMILY);
        db.set_serif_family(FAMILY);
        db.set_monospace_family(FAMILY);
        db.set_cursive_family(FAMILY);
        db.set_fantasy_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Render an SVG document to PNG bytes at `scale` pixels per SVG unit, on its own background
/// (the figures paint a white one).
pub fn svg_to_png(id: &str, svg: &str, scale: f32) -> Result<Vec<u8>, ReportError> {
    let fail = |what: String| ReportError::Render {
        figure: id.to_string(),
        what,
    };
    let options = usvg::Options {
        font_family: FAMILY.to_string(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| fail(e.to_string()))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or_else(|| fail(format!("a size of zero at scale {scale}")))?;
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| fail(format!("no {}×{} image", size.width(), size.height())))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| fail(e.to_string()))
}

/// One file of a figures folder: its name and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FigureFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The name of the manifest a figures folder holds.
pub const MANIFEST: &str = "figures.json";

/// Every figure as `ID.svg` and `ID.png`, then `figures.json`: each figure's id, caption and
/// file names, in the report's order (a paper's captions start from it).
pub fn figure_files(figures: &[Figure]) -> Result<Vec<FigureFile>, ReportError> {
    let mut out = Vec::with_capacity(2 * figures.len() + 1);
    let mut manifest = Vec::with_capacity(figures.len());
    for f in figures {
        let (svg, png) = (format!("{}.svg", f.id), format!("{}.png", f.id));
        manifest.push(serde_json::json!({
            "id": f.id,
            "caption": f.caption,
            "svg": svg,
            "png": png,
        }));
        let document = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}", f.svg);
        out.push(FigureFile {
            name: svg,
            bytes: document.into_bytes(),
        });
        out.push(FigureFile {
            name: png,
            bytes: svg_to_png(&f.id, &f.svg, PNG_SCALE)?,
        });
    }
    let text = serde_json::to_string_pretty(&serde_json::json!({ "figures": manifest }))
        .unwrap_or_default()
        + "\n";
    out.push(FigureFile {
        name: MANIFEST.to_string(),
        bytes: text.into_bytes(),
    });
    Ok(out)
}

/// The names of the figure files a manifest (`figures.json`'s text) lists, so a folder of
/// figures can be told apart from a folder of the user's own (see `airwar::output`).
pub fn manifest_files(text: &str) -> Vec<String> {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let Some(figures) = v.get("figures").and_then(|f| f.as_array()) else {
        return Vec::new();
    };
    figures
        .iter()
        .flat_map(|f| [f.get("svg"), f.get("png")])
        .filter_map(|n| n.and_then(|n| n.as_str()))
        // A bare file name only: a manifest cannot vouch for anything outside its folder.
        .filter(|n| !n.contains(['/', '\\']) && !n.starts_with('.'))
        .map(str::to_string)
        .collect()
}

/// What a PNG shows, for checks that it is not blank: its size, how many distinct colours it
/// has, and the share of its pixels that are not white.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PngStats {
    pub width: u32,
    pub height: u32,
    pub colours: usize,
    pub ink: f64,
}

/// Decode a PNG and measure it ([`PngStats`]); `None` when the bytes are not a PNG.
pub fn png_stats(bytes: &[u8]) -> Option<PngStats> {
    let pixmap = tiny_skia::Pixmap::decode_png(bytes).ok()?;
    let mut colours = std::collections::BTreeSet::new();
    let mut ink = 0usize;
    for p in pixmap.pixels() {
        let rgba = [p.red(), p.green(), p.blue(), p.alpha()];
        if rgba != [255, 255, 255, 255] {
            ink += 1;
        }
        colours.insert(rgba);
    }
    let n = pixmap.pixels().len().max(1);
    Some(PngStats {
        width: pixmap.width(),
        height: pixmap.height(),
        colours: colours.len(),
        ink: ink as f64 / n as f64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"40\" font-family=\"sans-serif\"><rect width=\"120\" height=\"40\" fill=\"#ffffff\"/><text x=\"4\" y=\"28\" font-size=\"20\">Losses</text></svg>";

    #[test]
    fn text_renders_with_the_embedded_font() {
        let png = svg_to_png("t", SVG, 1.0).unwrap();
        let s = png_stats(&png).unwrap();
        assert_eq!((s.width, s.height), (120, 40));
        // Black glyphs, antialiased: ink and many greys. Without a font there would be none.
        assert!(s.ink > 0.05, "{s:?}");
        assert!(s.colours > 8, "{s:?}");
        // The same SVG gives the same bytes.
        assert_eq!(png, svg_to_png("t", SVG, 1.0).unwrap());
        let blank = SVG.replace(">Losses<", "><");
        let s = png_stats(&svg_to_png("t", &blank, 1.0).unwrap()).unwrap();
        assert_eq!((s.ink, s.colours), (0.0, 1));
    }

    #[test]
    fn a_bad_svg_is_an_error_naming_the_figure() {
        let e = svg_to_png("chart-x", "<svg", 2.0).unwrap_err();
        assert!(e.to_string().contains("chart-x"), "{e}");
        assert!(png_stats(b"not a png").is_none());
    }

    #[test]
    fn the_manifest_lists_the_files_and_vouches_for_nothing_else() {
        let figures = [Figure {
            id: "chart-a".into(),
            caption: "A chart".into(),
            svg: SVG.into(),
        }];
        let files = figure_files(&figures).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["chart-a.svg", "chart-a.png", "figures.json"]);
        let manifest = std::str::from_utf8(&files[2].bytes).unwrap();
        assert!(manifest.contains("\"caption\": \"A chart\""), "{manifest}");
        assert_eq!(manifest_files(manifest), ["chart-a.svg", "chart-a.png"]);
        let hostile = r#"{"figures":[{"svg":"../x.svg","png":".hidden"}]}"#;
        assert!(manifest_files(hostile).is_empty());
        assert!(manifest_files("not json").is_empty());
    }
}
