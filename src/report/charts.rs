//! Report charts, drawn with plotters as SVG (inlined into the HTML report) and PNG
//! (files beside it). The font (DejaVu Sans) is embedded so charts look the same on
//! every machine.

use plotters::prelude::*;
use std::path::Path;
use std::sync::Once;

static FONT: Once = Once::new();
const FONT_NAME: &str = "sans-serif";

fn ensure_font() {
    FONT.call_once(|| {
        let _ = plotters::style::register_font(
            FONT_NAME,
            FontStyle::Normal,
            include_bytes!("../../assets/DejaVuSans.ttf"),
        );
    });
}

pub const BLUE: RGBColor = RGBColor(31, 95, 158);
pub const ORANGE: RGBColor = RGBColor(222, 120, 31);
pub const GREY: RGBColor = RGBColor(120, 120, 120);
pub const RED: RGBColor = RGBColor(190, 40, 40);
/// The colours of a chart's series, in order.
pub const SERIES: [RGBColor; 4] = [BLUE, ORANGE, GREY, RED];
const W: u32 = 760;
const H: u32 = 320;

/// A chart drawn twice: as an SVG string (returned) and as a PNG file `<dir>/<name>.png`.
pub struct Chart {
    pub name: String,
    pub svg: String,
}

type DrawFn<'a> =
    dyn Fn(DrawingArea<SVGBackend, plotters::coord::Shift>) -> Result<(), String> + 'a;
type DrawPngFn<'a> =
    dyn Fn(DrawingArea<BitMapBackend, plotters::coord::Shift>) -> Result<(), String> + 'a;

fn render(
    png_dir: &Path,
    name: &str,
    h: u32,
    svg_fn: &DrawFn,
    png_fn: &DrawPngFn,
) -> Result<Chart, String> {
    ensure_font();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (W, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        svg_fn(root.clone())?;
        root.present().map_err(|e| e.to_string())?;
    }
    {
        let path = png_dir.join(format!("{name}.png"));
        let root = BitMapBackend::new(&path, (W, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        png_fn(root.clone())?;
        root.present()
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    // A viewBox so the SVG scales with the page (CSS max-width in HTML, the image width in
    // the PDF); plotters writes one itself in newer versions.
    let svg = if svg[..svg.find('>').unwrap_or(0)].contains("viewBox") {
        svg
    } else {
        svg.replacen(
            &format!("width=\"{W}\" height=\"{h}\""),
            &format!("viewBox=\"0 0 {W} {h}\" width=\"{W}\" height=\"{h}\""),
            1,
        )
    };
    Ok(Chart {
        name: name.to_string(),
        svg,
    })
}

macro_rules! both {
    // The body is expanded once per backend: closures cannot be generic.
    ($dir:expr, $name:expr, $h:expr, |$root:ident| $body:block) => {{
        render(
            $dir,
            $name,
            $h,
            &|$root: DrawingArea<SVGBackend, plotters::coord::Shift>| -> Result<(), String> {
                $body
            },
            &|$root: DrawingArea<BitMapBackend, plotters::coord::Shift>| -> Result<(), String> {
                $body
            },
        )
    }};
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// Lines of several series over labelled x positions.
pub fn lines(
    dir: &Path,
    name: &str,
    title: &str,
    x_labels: &[String],
    series: &[(String, Vec<Option<f64>>, RGBColor)],
    y_label: &str,
) -> Result<Chart, String> {
    let ymax = series
        .iter()
        .flat_map(|(_, v, _)| v.iter().flatten())
        .cloned()
        .fold(0.0f64, f64::max)
        .max(1.0)
        * 1.6; // headroom: the legend sits above the lines
    let n = x_labels.len().max(1);
    both!(dir, name, H, |root| {
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT_NAME, 18))
            .margin(10)
            .margin_right(35)
            .x_label_area_size(40)
            .y_label_area_size(55)
            .build_cartesian_2d(0f64..(n as f64 - 1.0).max(1.0), 0f64..ymax)
            .map_err(err)?;
        let labels = x_labels.to_vec();
        chart
            .configure_mesh()
            .x_labels(n.min(14))
            .x_label_formatter(&|x| labels.get(x.round() as usize).cloned().unwrap_or_default())
            .y_desc(y_label)
            .y_label_formatter(&|y| axis_number(*y))
            .label_style((FONT_NAME, 12))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(err)?;
        for (label, values, color) in series {
            let pts: Vec<(f64, f64)> = values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| (i as f64, v)))
                .collect();
            let c = *color;
            chart
                .draw_series(LineSeries::new(pts.clone(), c.stroke_width(2)))
                .map_err(err)?
                .label(label.as_str())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], c.stroke_width(2))
                });
            chart
                .draw_series(pts.iter().map(|p| Circle::new(*p, 3, c.filled())))
                .map_err(err)?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(GREY)
            .label_font((FONT_NAME, 12))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(err)?;
        Ok(())
    })
}

/// Grouped bars per category, with optional target markers per category.
pub fn grouped_bars(
    dir: &Path,
    name: &str,
    title: &str,
    categories: &[String],
    series: &[(String, Vec<Option<f64>>, RGBColor)],
    targets: Option<(&str, &[Option<f64>])>,
    y_label: &str,
) -> Result<Chart, String> {
    let mut ymax = series
        .iter()
        .flat_map(|(_, v, _)| v.iter().flatten())
        .cloned()
        .fold(0.0f64, f64::max);
    if let Some((_, t)) = targets {
        ymax = t.iter().flatten().cloned().fold(ymax, f64::max);
    }
    let ymax = ymax.max(1.0) * 1.35;
    let n = categories.len().max(1);
    let k = series.len().max(1) as f64;
    both!(dir, name, H, |root| {
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT_NAME, 18))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(55)
            .build_cartesian_2d(0f64..n as f64, 0f64..ymax)
            .map_err(err)?;
        let cats = categories.to_vec();
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n * 2 + 1)
            .x_label_formatter(&|x| {
                let f = x - x.floor();
                if (f - 0.5).abs() < 0.01 {
                    cats.get(x.floor() as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_desc(y_label)
            .y_label_formatter(&|y| axis_number(*y))
            .label_style((FONT_NAME, 12))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(err)?;
        for (si, (label, values, color)) in series.iter().enumerate() {
            let c = *color;
            let w = 0.8 / k;
            chart
                .draw_series(values.iter().enumerate().filter_map(|(i, v)| {
                    v.map(|v| {
                        let x0 = i as f64 + 0.1 + si as f64 * w;
                        Rectangle::new([(x0, 0.0), (x0 + w * 0.92, v)], c.filled())
                    })
                }))
                .map_err(err)?
                .label(label.as_str())
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], c.filled()));
        }
        if let Some((tlabel, t)) = targets {
            chart
                .draw_series(t.iter().enumerate().filter_map(|(i, v)| {
                    v.map(|v| {
                        PathElement::new(
                            vec![(i as f64 + 0.05, v), (i as f64 + 0.95, v)],
                            RED.stroke_width(2),
                        )
                    })
                }))
                .map_err(err)?
                .label(tlabel)
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], RED.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(GREY)
            .label_font((FONT_NAME, 12))
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(err)?;
        Ok(())
    })
}

/// Horizontal bars, one per labelled row (e.g. schools), sorted as given.
pub fn hbars(
    dir: &Path,
    name: &str,
    title: &str,
    rows: &[(String, f64)],
    x_label: &str,
) -> Result<Chart, String> {
    let n = rows.len().max(1);
    let h = (80 + 18 * n as u32).max(200);
    let xmax = rows.iter().map(|r| r.1).fold(0.0f64, f64::max).max(1.0) * 1.1;
    both!(dir, name, h, |root| {
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT_NAME, 18))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(230)
            .build_cartesian_2d(0f64..xmax, 0f64..n as f64)
            .map_err(err)?;
        let labels: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n * 2 + 1)
            .y_label_formatter(&|y| {
                let f = y - y.floor();
                if (f - 0.5).abs() < 0.01 {
                    labels
                        .get(n - 1 - y.floor() as usize)
                        .cloned()
                        .unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .x_desc(x_label)
            .x_label_formatter(&|x| axis_number(*x))
            .label_style((FONT_NAME, 11))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, (_, v))| {
                let y = (n - 1 - i) as f64;
                Rectangle::new([(0.0, y + 0.15), (*v, y + 0.85)], BLUE.filled())
            }))
            .map_err(err)?;
        Ok(())
    })
}

/// An axis tick without float noise: 600 rather than 600.0, 2.5 as 2.5.
pub fn axis_number(y: f64) -> String {
    if (y - y.round()).abs() < 1e-9 {
        format!("{}", y.round() as i64)
    } else {
        let s = format!("{y:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// A heat map: rows × columns of values (None: a blank cell), shaded from white to blue,
/// each cell labelled with its value (e.g. tickets per hour of the service week).
#[allow(clippy::too_many_arguments)]
pub fn heatmap(
    dir: &Path,
    name: &str,
    title: &str,
    rows: &[String],
    cols: &[String],
    values: &[Vec<Option<f64>>],
    decimals: usize,
    decimal_separator: &str,
) -> Result<Chart, String> {
    let nr = rows.len().max(1);
    let nc = cols.len().max(1);
    let h = (90 + 30 * nr as u32).max(200);
    let vmax = values
        .iter()
        .flatten()
        .flatten()
        .cloned()
        .fold(0.0f64, f64::max)
        .max(1e-9);
    both!(dir, name, h, |root| {
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT_NAME, 18))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(40)
            .build_cartesian_2d(0f64..nc as f64, 0f64..nr as f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(nc * 2 + 1)
            .y_labels(nr * 2 + 1)
            .x_label_formatter(&|x| {
                let f = x - x.floor();
                if (f - 0.5).abs() < 0.01 {
                    cols.get(x.floor() as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|y| {
                let f = y - y.floor();
                if (f - 0.5).abs() < 0.01 {
                    rows.get(nr - 1 - y.floor() as usize)
                        .cloned()
                        .unwrap_or_default()
                } else {
                    String::new()
                }
            })
            .label_style((FONT_NAME, 11))
            .draw()
            .map_err(err)?;
        for (r, row) in values.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let y = (nr - 1 - r) as f64;
                let x = c as f64;
                let Some(v) = v else { continue };
                let t = (v / vmax).clamp(0.0, 1.0);
                let mix = |a: u8, b: u8| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
                let fill = RGBColor(mix(255, BLUE.0), mix(255, BLUE.1), mix(255, BLUE.2));
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x + 0.03, y + 0.05), (x + 0.97, y + 0.95)],
                        fill.filled(),
                    )))
                    .map_err(err)?;
                let label = format!("{v:.decimals$}").replace('.', decimal_separator);
                let color = if t > 0.55 { WHITE } else { BLACK };
                chart
                    .draw_series(std::iter::once(Text::new(
                        label,
                        (x + 0.2, y + 0.65),
                        (FONT_NAME, 11).into_font().color(&color),
                    )))
                    .map_err(err)?;
            }
        }
        Ok(())
    })
}
