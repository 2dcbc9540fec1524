//! Rendering a figure to SVG and PNG with plotters, without system libraries.
//!
//! plotters' default `ttf` feature pulls fontconfig and freetype, which a fresh machine may
//! lack; here plotters is built with `ab_glyph` and the DejaVu Sans font is registered from
//! bytes compiled into the binary. Both formats are rendered in memory and written atomically,
//! so an interrupted run leaves no half-written picture. The same data give the same bytes.

use super::output::atomic_write;
use crate::error::{Error, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;
use std::sync::Once;

/// Width and height of every figure, in pixels (about 16 × 10.7 cm at 150 dpi).
pub const SIZE: (u32, u32) = (960, 640);

/// Font sizes: caption, axis descriptions, tick labels, legends.
pub const CAPTION: u32 = 26;
/// Axis description size.
pub const LABEL: u32 = 21;
/// Tick label size.
pub const TICK: u32 = 17;
/// Legend text size.
pub const LEGEND: u32 = 17;

/// The font family every text element uses.
pub const FONT: &str = "sans-serif";

/// Colours of layers 1, 2, 3, 4, … — the same in every figure (Okabe–Ito, colour-blind safe).
pub const LAYER_COLORS: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
];

/// Colours of series that are not layers (systems, variants), also fixed.
pub const SERIES_COLORS: [RGBColor; 6] = [
    RGBColor(0, 0, 0),
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
];

/// The colour of layer `l` (1-based).
pub fn layer_color(l: usize) -> RGBColor {
    LAYER_COLORS[(l.max(1) - 1) % LAYER_COLORS.len()]
}

/// Register the embedded font once per process.
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are a valid TrueType font shipped by the dejavu crate; registration can only
        // fail on invalid data.
        let ok = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular())
            .is_ok()
            && plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold()).is_ok();
        debug_assert!(ok, "embedded DejaVu font rejected");
    });
}

/// Something that can draw itself on any plotters backend.
pub trait Plot {
    /// Draw on `root` (already filled white).
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
    ) -> std::result::Result<(), String>
    where
        DB::ErrorType: 'static;
}

/// Convert a plotters error to a string.
pub fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    /// Scalable vector graphics.
    Svg,
    /// Portable network graphics.
    Png,
}

impl Format {
    /// File extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
        }
    }
}

/// Render `plot` as SVG text.
pub fn svg<P: Plot>(name: &str, plot: &P) -> Result<String> {
    register_fonts();
    let mut s = String::new();
    {
        let root = SVGBackend::with_string(&mut s, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| plot_err(name, err(e)))?;
        plot.draw(&root).map_err(|m| plot_err(name, m))?;
        root.present().map_err(|e| plot_err(name, err(e)))?;
    }
    Ok(s)
}

/// Render `plot` as PNG bytes.
pub fn png<P: Plot>(name: &str, plot: &P) -> Result<Vec<u8>> {
    register_fonts();
    let (w, h) = SIZE;
    let mut buf = vec![255u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| plot_err(name, err(e)))?;
        plot.draw(&root).map_err(|m| plot_err(name, m))?;
        root.present().map_err(|e| plot_err(name, err(e)))?;
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc
            .write_header()
            .map_err(|e| plot_err(name, e.to_string()))?;
        wr.write_image_data(&buf)
            .map_err(|e| plot_err(name, e.to_string()))?;
    }
    Ok(out)
}

fn plot_err(name: &str, message: String) -> Error {
    Error::Plot {
        figure: name.to_string(),
        message,
    }
}

/// Render `plot` in every requested format into `dir/name.{svg,png}`; returns the paths.
pub fn save<P: Plot>(dir: &Path, name: &str, plot: &P, formats: &[Format]) -> Result<Vec<String>> {
    let mut written = Vec::new();
    for &f in formats {
        let path = dir.join(format!("{name}.{}", f.ext()));
        match f {
            Format::Svg => atomic_write(&path, svg(name, plot)?.as_bytes())?,
            Format::Png => atomic_write(&path, &png(name, plot)?)?,
        }
        written.push(path.display().to_string());
    }
    Ok(written)
}

/// A legend drawn in its own area: a line sample and the name for each series.
pub fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[Series],
) -> std::result::Result<(), String>
where
    DB::ErrorType: 'static,
{
    let line_h = (LEGEND as i32 * 3) / 2;
    for (i, s) in series.iter().enumerate() {
        let y = 24 + i as i32 * line_h;
        area.draw(&PathElement::new(
            vec![(4, y), (30, y)],
            s.color.stroke_width(3),
        ))
        .map_err(err)?;
        area.draw(&Text::new(
            s.name.as_str(),
            (38, y - LEGEND as i32 / 2),
            (FONT, LEGEND).into_font(),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// A drawing area in pixel coordinates.
pub type Area<DB> = DrawingArea<DB, Shift>;

/// Draw `title` in a 44-pixel strip at the top of `root`; returns (strip, the rest).
pub fn titled<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
) -> std::result::Result<(Area<DB>, Area<DB>), String>
where
    DB::ErrorType: 'static,
{
    let (top, body) = root.split_vertically(44);
    top.draw(&Text::new(title, (16, 8), (FONT, CAPTION).into_font()))
        .map_err(err)?;
    Ok((top, body))
}

/// Tick label for an index axis: integers.
pub fn int(v: &f64) -> String {
    format!("{v:.0}")
}

/// Tick label for a log axis: 1e-12 style.
pub fn sci(v: &f64) -> String {
    if *v == 0.0 {
        "0".into()
    } else {
        format!("{v:.0e}")
    }
}

/// One named line of a [`line_panel`].
pub struct Series {
    /// Legend text.
    pub name: String,
    /// Colour.
    pub color: RGBColor,
    /// Points (x, y).
    pub points: Vec<(f64, f64)>,
    /// Draw markers at the points as well as the line.
    pub markers: bool,
    /// Dashed line instead of solid.
    pub dashed: bool,
}

/// Axis range covering `values` with a margin (a unit range around a constant).
pub fn padded_range(values: impl Iterator<Item = f64>, pad: f64) -> std::ops::Range<f64> {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if !lo.is_finite() {
        return 0.0..1.0;
    }
    let span = hi - lo;
    let m = if span > 0.0 {
        pad * span
    } else {
        lo.abs().max(1.0) * 0.5
    };
    (lo - m)..(hi + m)
}

/// Where a panel's legend goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legend {
    /// Inside the plotting area, at a position the data leave empty.
    Inside(Corner),
    /// In a strip of this many pixels to the right of the plotting area (never covers data).
    Right(u32),
    /// An empty strip of this width on the right (aligns with a panel that has a legend there).
    Blank(u32),
    /// No legend (colours explained by another panel).
    None,
}

/// Legend positions inside a plotting area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corner {
    /// Top right.
    UpperRight,
    /// Top left.
    UpperLeft,
    /// Middle of the right edge.
    MiddleRight,
    /// Bottom right.
    LowerRight,
    /// Middle of the bottom edge.
    LowerMiddle,
}

impl Corner {
    /// The plotters position.
    pub fn position(self) -> SeriesLabelPosition {
        match self {
            Corner::UpperRight => SeriesLabelPosition::UpperRight,
            Corner::UpperLeft => SeriesLabelPosition::UpperLeft,
            Corner::MiddleRight => SeriesLabelPosition::MiddleRight,
            Corner::LowerRight => SeriesLabelPosition::LowerRight,
            Corner::LowerMiddle => SeriesLabelPosition::LowerMiddle,
        }
    }
}

/// A panel of lines with axis descriptions, optional log-y, and a legend.
#[allow(clippy::too_many_arguments)]
pub fn line_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    caption: Option<&str>,
    x_desc: &str,
    y_desc: &str,
    series: &[Series],
    log_y: Option<(f64, f64)>,
    legend: Legend,
) -> std::result::Result<(), String>
where
    DB::ErrorType: 'static,
{
    let xr = padded_range(
        series.iter().flat_map(|s| s.points.iter().map(|p| p.0)),
        0.0,
    );
    let (plot_area, legend_area) = match legend {
        Legend::Right(w) | Legend::Blank(w) => {
            let (a, b) = area.split_horizontally(area.dim_in_pixel().0.saturating_sub(w));
            (a, matches!(legend, Legend::Right(_)).then_some(b))
        }
        _ => (area.clone(), None),
    };
    if let Some(la) = &legend_area {
        draw_legend(la, series)?;
    }
    let integral_x = series
        .iter()
        .all(|s| s.points.iter().all(|p| p.0.fract() == 0.0));
    let mut b = ChartBuilder::on(&plot_area);
    b.margin(12)
        .margin_right(24)
        .x_label_area_size(48)
        .y_label_area_size(80);
    if let Some(c) = caption {
        b.caption(c, (FONT, LABEL + 2));
    }
    macro_rules! body {
        ($chart:ident, $fmt:expr) => {{
            let mut mesh = $chart.configure_mesh();
            if integral_x {
                mesh.x_label_formatter(&int);
            }
            mesh.x_desc(x_desc)
                .y_desc(y_desc)
                .axis_desc_style((FONT, LABEL))
                .label_style((FONT, TICK))
                .light_line_style(WHITE.mix(0.0));
            if let Some(f) = $fmt {
                mesh.y_label_formatter(f);
            }
            mesh.draw().map_err(err)?;
            for s in series {
                let color = s.color;
                let style = color.stroke_width(2);
                let dashed = s.dashed;
                let a = if dashed {
                    $chart
                        .draw_series(DashedLineSeries::new(s.points.clone(), 8, 5, style))
                        .map_err(err)?
                } else {
                    $chart
                        .draw_series(LineSeries::new(s.points.clone(), style))
                        .map_err(err)?
                };
                a.label(s.name.as_str()).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 22, y)], color.stroke_width(3))
                });
                if s.markers {
                    $chart
                        .draw_series(s.points.iter().map(|&p| Circle::new(p, 3, color.filled())))
                        .map_err(err)?;
                }
            }
            let position = match legend {
                Legend::Inside(p) => Some(p.position()),
                Legend::Right(_) | Legend::Blank(_) | Legend::None => None,
            };
            if let Some(position) = position {
                $chart
                    .configure_series_labels()
                    .position(position)
                    .label_font((FONT, LEGEND))
                    .background_style(WHITE.mix(0.9))
                    .border_style(BLACK.mix(0.4))
                    .draw()
                    .map_err(err)?;
            }
        }};
    }
    match log_y {
        Some((lo, hi)) => {
            let mut chart = b
                .build_cartesian_2d(xr, (lo..hi).log_scale())
                .map_err(err)?;
            body!(chart, Some(&sci as &dyn Fn(&f64) -> String));
        }
        None => {
            let yr = padded_range(
                series.iter().flat_map(|s| s.points.iter().map(|p| p.1)),
                0.08,
            );
            let mut chart = b.build_cartesian_2d(xr, yr).map_err(err)?;
            body!(chart, None::<&dyn Fn(&f64) -> String>);
        }
    }
    Ok(())
}
