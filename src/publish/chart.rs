//! SVG charts of a record: one per hint (every variant's time against size,
//! and each variant's speedup over `bad` with a line at 1x, so the crossover
//! shows), and one overview of the speedup per hint.
//!
//! Drawn with plotters' SVG backend, built without its `ttf` and `ab_glyph`
//! features: labels are SVG `<text>` elements that the viewer sets in its own
//! sans-serif font, so no font file is read, bundled or looked up through
//! fontconfig, and text widths are plotters' fixed estimate. Nothing depends
//! on the machine or the clock: the same record gives byte-identical SVG, which
//! is what lets `perf-hints report --check` compare the committed charts.

use std::ops::Range;

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::prelude::*;

use crate::judge::claim::ClaimOutcome;
use crate::model::Level;
use crate::model::{Estimate, HintRun};
use crate::model::{Param, Point};
use crate::publish::table::headline;

/// Okabe-Ito colours, readable with the common colour-vision deficiencies:
/// `bad` vermillion, `good` bluish green, then the third and later variants.
const VARIANT_COLORS: [RGBColor; 6] = [
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(0, 114, 178),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
];
const INK: RGBColor = RGBColor(40, 40, 40);
const MUTED: RGBColor = RGBColor(120, 120, 120);
const SLOWER_SHADE: RGBColor = RGBColor(250, 228, 222);
const FONT: &str = "sans-serif";

/// A sans-serif font of `px` pixels: plotters' SVG backend writes the size
/// divided by 1.24, so the size asked for is that much larger.
fn font(px: f64) -> FontDesc<'static> {
    (FONT, px * 1.24).into_font()
}

/// The colour of a verdict level in the overview.
fn level_color(level: Option<Level>) -> RGBColor {
    match level {
        Some(Level::Holds) => RGBColor(0, 158, 115),
        Some(Level::Partly) => RGBColor(230, 159, 0),
        Some(Level::DoesNotHold) => RGBColor(213, 94, 0),
        Some(Level::LayoutSensitive) => RGBColor(204, 121, 167),
        Some(Level::NotJudged) | None => RGBColor(153, 153, 153),
    }
}

/// A coordinate that is linear, logarithmic or reversed, with its ticks and
/// their labels chosen up front (plotters' own key points would label a log
/// axis at every power only, and a categorical one not at all).
#[derive(Clone)]
struct Axis {
    lo: f64,
    hi: f64,
    log: bool,
    /// `lo` at the far end: the overview lists hints top to bottom.
    flip: bool,
    ticks: Vec<(f64, String)>,
}

impl Axis {
    fn linear(lo: f64, hi: f64, ticks: Vec<(f64, String)>) -> Axis {
        Axis {
            lo,
            hi,
            log: false,
            flip: false,
            ticks,
        }
    }

    /// A log axis over `lo..hi` (both above 0) with 1-2-5 style ticks.
    fn log(lo: f64, hi: f64, label: fn(f64) -> String) -> Axis {
        Axis {
            lo,
            hi,
            log: true,
            flip: false,
            ticks: log_ticks(lo, hi)
                .into_iter()
                .map(|v| (v, label(v)))
                .collect(),
        }
    }

    fn frac(&self, v: f64) -> f64 {
        let f = if self.log {
            (v.ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln())
        } else {
            (v - self.lo) / (self.hi - self.lo)
        };
        if self.flip { 1.0 - f } else { f }
    }
}

impl Ranged for Axis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        limit.0 + (self.frac(*v) * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        // Grid lines at the labelled ticks only; no light lines in between.
        if hint.weight().allow_light_points() {
            return Vec::new();
        }
        self.ticks.iter().map(|t| t.0).collect()
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

impl ValueFormatter<f64> for Axis {
    fn format_ext(&self, v: &f64) -> String {
        self.ticks
            .iter()
            .find(|t| t.0 == *v)
            .map(|t| t.1.clone())
            .unwrap_or_default()
    }
}

/// Tick values for a log axis: the coarsest of 10^k, 1-2-5, 1-1.5-2-3-5-7 and
/// 1..9 per decade that gives at least four ticks inside `lo..hi`, with powers
/// of ten thinned when the range spans many decades.
fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    const LADDERS: [&[f64]; 4] = [
        &[1.0],
        &[1.0, 2.0, 5.0],
        &[1.0, 1.5, 2.0, 3.0, 5.0, 7.0],
        &[1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
    ];
    let first = lo.log10().floor() as i32;
    let last = hi.log10().ceil() as i32;
    let on = |ladder: &[f64]| -> Vec<f64> {
        (first..=last)
            .flat_map(|e| ladder.iter().map(move |m| m * 10f64.powi(e)))
            .filter(|v| *v >= lo && *v <= hi)
            .collect()
    };
    let powers = on(LADDERS[0]);
    if powers.len() >= 4 {
        let step = powers.len().div_ceil(8);
        return powers.into_iter().step_by(step).collect();
    }
    let mut best = powers;
    for ladder in &LADDERS[1..] {
        let t = on(ladder);
        if t.len() > 10 && best.len() >= 2 {
            break;
        }
        best = t;
        if best.len() >= 4 {
            break;
        }
    }
    best
}

/// `v` with at most two decimals and no trailing zeros: `1.5`, `20`, `0.25`.
fn trim(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A tick on a time axis: `500 ns`, `1.5 µs`, `20 ms`.
fn time_tick(ns: f64) -> String {
    let (v, unit) = crate::publish::table::ns_unit(ns);
    format!("{} {unit}", trim(v))
}

/// A tick on a speedup axis: `0.5x`, `1x`, `20x`.
fn ratio_tick(x: f64) -> String {
    if x >= 0.1 {
        format!("{}x", trim(x))
    } else {
        format!("{}x", format!("{x:.4}").trim_end_matches('0'))
    }
}

/// A size on the x axis: a whole number as a plain size ticks it
/// ([`Param::tick`] of `usize`: `64`, `100k`, `1M`, `65536`), anything else
/// as the number.
fn size_tick(v: f64) -> String {
    if v >= 0.0 && v.fract() == 0.0 && v < usize::MAX as f64 {
        (v as usize).tick()
    } else {
        trim(v)
    }
}

/// A numeric x axis through the given distinct values: log when they are all
/// above zero and span a decade or more, linear otherwise; ticks at the values.
fn numeric_axis(values: &[f64]) -> Axis {
    if values.is_empty() {
        return Axis::linear(0.0, 1.0, Vec::new());
    }
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let ticks = values.iter().map(|&v| (v, size_tick(v))).collect();
    if lo > 0.0 && hi / lo >= 10.0 {
        let pad = (hi / lo).powf(0.04);
        Axis {
            lo: lo / pad,
            hi: hi * pad,
            log: true,
            flip: false,
            ticks,
        }
    } else {
        let pad = if hi > lo { (hi - lo) * 0.05 } else { 1.0 };
        Axis::linear(lo - pad, hi + pad, ticks)
    }
}

/// Where each row of a hint goes on the x axis.
struct XLayout {
    axis: Axis,
    /// Per row: its x and its group (one group per line, its series).
    at: Vec<(f64, usize)>,
    /// Group names for the legend; one unnamed group for a hint drawn as one line.
    groups: Vec<String>,
    desc: String,
}

/// Picks the x axis for a hint's rows from their [`Point`]s: one line per
/// series (named by it, in the order the rows have them) over `x`, ticks
/// marked with the points' tick texts. A hint whose sizes are plain numbers
/// gets a numeric axis; when `x` never changes, the series are the categories
/// of the axis.
fn x_layout(h: &HintRun, point: &dyn Fn(&str) -> Point) -> XLayout {
    let points: Vec<Point> = h.rows.iter().map(|r| point(&r.param)).collect();
    let mut groups: Vec<String> = Vec::new();
    for p in &points {
        if !groups.contains(&p.series) {
            groups.push(p.series.clone());
        }
    }
    let group = |p: &Point| groups.iter().position(|g| *g == p.series).unwrap_or(0);
    let mut xs: Vec<f64> = points.iter().map(|p| p.x).collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    if xs.len() <= 1 && groups.len() > 1 {
        // One x for every line: the lines become the axis' categories.
        let ticks = groups
            .iter()
            .enumerate()
            .map(|(i, g)| (i as f64, g.clone()))
            .collect();
        return XLayout {
            axis: Axis::linear(-0.5, groups.len() as f64 - 0.5, ticks),
            at: points.iter().map(|p| (group(p) as f64, 0)).collect(),
            groups: vec![String::new()],
            desc: h.size_label.clone(),
        };
    }
    let tick = |x: f64| {
        points
            .iter()
            .find(|p| p.x == x)
            .map_or_else(|| size_tick(x), |p| p.tick.clone())
    };
    let lines = groups.len() > 1 || groups.iter().any(|g| !g.is_empty());
    // On a chart of several lines, a zero next to values spanning decades
    // (0, 16, ..., 2048) has no place on a log axis and crushes the small
    // ones on a linear one: such an axis spaces the values evenly instead.
    let even = lines && xs.len() > 2 && xs[0] == 0.0 && xs[xs.len() - 1] / xs[1] >= 10.0;
    let pos = |x: f64| {
        if even {
            xs.iter().position(|&v| v == x).unwrap_or(0) as f64
        } else {
            x
        }
    };
    let axis = if even {
        let ticks = xs.iter().map(|&x| (pos(x), tick(x))).collect();
        Axis::linear(-0.5, xs.len() as f64 - 0.5, ticks)
    } else {
        let mut axis = numeric_axis(&xs);
        for (v, text) in &mut axis.ticks {
            *text = tick(*v);
        }
        axis
    };
    XLayout {
        axis,
        at: points.iter().map(|p| (pos(p.x), group(p))).collect(),
        desc: if lines {
            format!("{} (one line each)", h.size_label)
        } else {
            h.size_label.clone()
        },
        groups,
    }
}

/// The lines a hint's chart draws for rows keyed `keys`: each legend name
/// with the x positions of its rows, in row order. For the test that every
/// chart is right by construction.
pub fn lines(id: &str, keys: &[String]) -> Vec<(String, Vec<f64>)> {
    let h = HintRun {
        id: id.to_string(),
        size_label: String::new(),
        claim: String::new(),
        layout: Vec::new(),
        rows: keys
            .iter()
            .map(|k| crate::model::Row::new(k.clone(), Vec::new()))
            .collect(),
    };
    let entry = crate::hints::get(id);
    let xl = x_layout(&h, &|key| {
        entry
            .and_then(|e| e.point(key))
            .expect("every key is one of the hint's sizes")
    });
    xl.groups
        .iter()
        .enumerate()
        .map(|(g, name)| {
            let xs = xl
                .at
                .iter()
                .filter(|(_, rg)| *rg == g)
                .map(|(x, _)| *x)
                .collect();
            (name.clone(), xs)
        })
        .collect()
}

/// One line on a panel: a variant in one group, with an interval per point.
struct Series {
    color: RGBColor,
    group: usize,
    points: Vec<(f64, Estimate)>,
    /// Each point's per-build values (the speedup of each differently
    /// laid-out build), drawn as rings; empty where the record has none.
    builds: Vec<Vec<f64>>,
}

/// The point marker of group `g` of `n`: a circle for a chart of one line;
/// with several, a shape per line, so a line that is a single point (one
/// size at that thread count) is still told apart: circle, triangle,
/// square, diamond, then again.
fn shape(g: usize, n: usize) -> usize {
    if n > 1 { g % 4 } else { 0 }
}

/// Draws marker `shape` (see [`shape`]) at `at` on `area`, in `style`.
macro_rules! draw_marker {
    ($draw:expr, $at:expr, $shape:expr, $style:expr) => {{
        let (at, style) = ($at, $style);
        match $shape {
            1 => $draw(EmptyElement::at(at) + TriangleMarker::new((0, 0), 4, style)),
            2 => $draw(EmptyElement::at(at) + Rectangle::new([(-3, -3), (3, 3)], style)),
            3 => $draw(
                EmptyElement::at(at) + Polygon::new(vec![(0, -4), (4, 0), (0, 4), (-4, 0)], style),
            ),
            _ => $draw(EmptyElement::at(at) + Circle::new((0, 0), 3, style)),
        }
    }};
}

/// Line style of group `g` of `n`: the last (most threads) solid, the others
/// dashed, shorter dashes for fewer threads.
fn dash(g: usize, n: usize) -> Option<(u32, u32)> {
    (g + 1 < n).then(|| (2 + 3 * g as u32, 3))
}

type Svg<'a> = SVGBackend<'a>;
type Area<'a> = DrawingArea<Svg<'a>, plotters::coord::Shift>;

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("drawing a chart failed: {e:?}")
}

/// A panel's range for intervals `points` on a log axis, padded by `pad`
/// and, for speedups, always including 1.
fn log_range<'a>(points: impl Iterator<Item = &'a Estimate>, pad: f64, one: bool) -> (f64, f64) {
    let (mut lo, mut hi) = if one {
        (1.0, 1.0)
    } else {
        (f64::INFINITY, f64::NEG_INFINITY)
    };
    for e in points {
        for v in [e.lo, e.point, e.hi] {
            if v.is_finite() && v > 0.0 {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    if !lo.is_finite() || !hi.is_finite() {
        return (0.1, 10.0);
    }
    (lo / pad, hi * pad)
}

/// One of a hint chart's two panels.
struct Panel<'a> {
    y: Axis,
    series: &'a [Series],
    y_desc: &'a str,
    /// The x axis description, on the bottom panel only.
    x_desc: Option<&'a str>,
    /// A speedup panel: a line at 1x and the region below it shaded.
    one_line: bool,
}

/// Draws one panel: the series with their intervals as error bars; `groups`
/// is how many line styles the series use.
fn panel(area: &Area, x: &Axis, groups: usize, p: Panel) -> Result<(), String> {
    let Panel {
        y,
        series,
        y_desc,
        x_desc,
        one_line,
    } = p;
    let mut chart = ChartBuilder::on(area)
        .margin_left(8)
        .margin_right(20)
        .margin_top(6)
        .x_label_area_size(if x_desc.is_some() { 42 } else { 24 })
        .y_label_area_size(78)
        .build_cartesian_2d(x.clone(), y.clone())
        .map_err(err)?;
    if one_line {
        // Below 1x the variant is slower than `bad`: shade it, so a line
        // crossing into the shade is the crossover.
        let (xl, xh) = (x.lo, x.hi);
        chart
            .draw_series(std::iter::once(Polygon::new(
                vec![(xl, y.lo), (xh, y.lo), (xh, 1.0), (xl, 1.0)],
                SLOWER_SHADE.filled(),
            )))
            .map_err(err)?;
    }
    let mut mesh = chart.configure_mesh();
    mesh.label_style(font(12.0).color(&INK))
        .axis_desc_style(font(13.0).color(&INK))
        .bold_line_style(BLACK.mix(0.12))
        .y_desc(y_desc);
    if let Some(d) = x_desc {
        mesh.x_desc(d);
    }
    mesh.draw().map_err(err)?;
    if one_line {
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x.lo, 1.0), (x.hi, 1.0)],
                INK.stroke_width(1),
            )))
            .map_err(err)?;
        // Name the shade inside it when it has room for a line of text,
        // else just above the line.
        let room = chart.backend_coord(&(x.lo, y.lo)).1 - chart.backend_coord(&(x.lo, 1.0)).1;
        let dy = if room >= 20 { 4 } else { -16 };
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((x.lo, 1.0))
                    + Text::new(
                        "below 1x: slower than bad",
                        (6, dy),
                        font(11.0).color(&MUTED),
                    ),
            ))
            .map_err(err)?;
    }
    for s in series {
        let style = ShapeStyle::from(&s.color).stroke_width(2);
        let line: Vec<(f64, f64)> = s.points.iter().map(|(x, e)| (*x, e.point)).collect();
        match dash(s.group, groups) {
            Some((size, gap)) => chart
                .draw_series(DashedLineSeries::new(line, size, gap, style))
                .map(|_| ()),
            None => chart.draw_series(LineSeries::new(line, style)).map(|_| ()),
        }
        .map_err(err)?;
        let bar = ShapeStyle::from(&s.color.mix(0.8)).stroke_width(1);
        for (px, e) in &s.points {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(*px, e.lo), (*px, e.hi)],
                    bar,
                )))
                .map_err(err)?;
            chart
                .draw_series([e.lo, e.hi].map(|y| {
                    EmptyElement::at((*px, y)) + PathElement::new(vec![(-4, 0), (4, 0)], bar)
                }))
                .map_err(err)?;
        }
        let ring = ShapeStyle::from(&s.color.mix(0.7)).stroke_width(1);
        for ((px, _), builds) in s.points.iter().zip(&s.builds) {
            chart
                .draw_series(
                    builds
                        .iter()
                        .map(|b| EmptyElement::at((*px, *b)) + Circle::new((7, 0), 2, ring)),
                )
                .map_err(err)?;
        }
        for (x, e) in &s.points {
            draw_marker!(
                |m| chart.draw_series(std::iter::once(m)).map(|_| ()),
                (*x, e.point),
                shape(s.group, groups),
                s.color.filled()
            )
            .map_err(err)?;
        }
    }
    Ok(())
}

/// Renders an SVG into a string, with a first line saying where it came from.
fn svg(size: (u32, u32), draw: impl FnOnce(&Area) -> Result<(), String>) -> Result<String, String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        draw(&root)?;
        root.present().map_err(err)?;
    }
    // No "--" in an XML comment: the command is named in words.
    Ok(format!(
        "<!-- generated by the perf-hints report command from results/records; do not edit -->\n{out}\n"
    ))
}

/// One entry of a chart's legend: a name, its colour and its dashes, `None` for a solid
/// line with a dot.
type LegendItem = (String, RGBColor, Option<(u32, u32)>, Option<(usize, usize)>);

/// The legend's entries, in rows that fit a chart `width` pixels wide.
fn legend_rows(entries: &[LegendItem], width: i32) -> Vec<Vec<LegendItem>> {
    let mut rows: Vec<Vec<LegendItem>> = vec![Vec::new()];
    let mut x = 16;
    for e in entries {
        let w = entry_width(e);
        if x + w - 18 > width - 16 && !rows.last().is_some_and(Vec::is_empty) {
            rows.push(Vec::new());
            x = 16;
        }
        rows.last_mut().expect("one row at least").push(e.clone());
        x += w;
    }
    rows
}

/// The room one legend entry takes: its mark, its name and the gap after it.
/// plotters' estimate of the text width is fixed; 8 px a character leaves
/// room in any common sans-serif font at this size.
fn entry_width(e: &LegendItem) -> i32 {
    30 + 8 * e.0.chars().count() as i32 + 18
}

/// The height of one legend row.
const LEGEND_ROW: i32 = 20;

/// Draws a legend row: a short line and dot per entry, then its name.
fn legend(area: &Area, y: i32, entries: &[LegendItem]) -> Result<(), String> {
    let text_style = font(13.0).color(&INK);
    let mut x = 16;
    for e in entries {
        let (name, color, dashed, marks) = e;
        let style = ShapeStyle::from(color).stroke_width(2);
        match dashed {
            Some((size, gap)) => {
                let mut at = x;
                while at < x + 24 {
                    let end = (at + *size as i32).min(x + 24);
                    area.draw(&PathElement::new(vec![(at, y), (end, y)], style))
                        .map_err(err)?;
                    at = end + *gap as i32;
                }
            }
            None => {
                area.draw(&PathElement::new(vec![(x, y), (x + 24, y)], style))
                    .map_err(err)?;
                area.draw(&Circle::new((x + 12, y), 3, color.filled()))
                    .map_err(err)?;
            }
        }
        if let Some((g, n)) = marks {
            draw_marker!(
                |m| area.draw(&m),
                (x + 12, y),
                shape(*g, *n),
                color.filled()
            )
            .map_err(err)?;
        }
        area.draw(&Text::new(
            name.clone(),
            (x + 30, y - 7),
            text_style.clone(),
        ))
        .map_err(err)?;
        x += entry_width(e);
    }
    Ok(())
}

/// A hint's chart: time per call against size for every variant (top) and each
/// variant's speedup over `bad` with a line at 1x (bottom); error bars are the
/// 95 % confidence intervals, the speedup's the widest the two intervals allow.
pub fn hint_svg(h: &HintRun) -> Result<String, String> {
    hint_chart(h, &listed_point(&h.id), None)
}

/// [`hint_svg`] for a machine other than the reference one: its name is in
/// the title, so the picture says whose figures it shows on its own.
pub fn hint_svg_on(h: &HintRun, machine: &str) -> Result<String, String> {
    hint_chart(h, &listed_point(&h.id), Some(machine))
}

/// How the listed hint `id` describes a size key (the key itself for a hint
/// or key the list does not have).
fn listed_point(id: &str) -> impl Fn(&str) -> Point {
    let entry = crate::hints::get(id);
    move |key| {
        entry.and_then(|e| e.point(key)).unwrap_or_else(|| Point {
            key: key.to_string(),
            label: key.to_string(),
            series: String::new(),
            x: key.parse().unwrap_or(0.0),
            tick: key.to_string(),
        })
    }
}

/// [`hint_svg`] with each row's key described by `point` instead of by the
/// listed hint's [`crate::model::Param`]: for tests.
pub fn hint_svg_with(h: &HintRun, point: &dyn Fn(&str) -> Point) -> Result<String, String> {
    hint_chart(h, point, None)
}

fn hint_chart(
    h: &HintRun,
    point: &dyn Fn(&str) -> Point,
    machine: Option<&str>,
) -> Result<String, String> {
    let names: Vec<String> = h
        .rows
        .first()
        .map(|r| r.variants.iter().map(|v| v.name.clone()).collect())
        .unwrap_or_default();
    let xl = x_layout(h, point);
    let color = |i: usize| VARIANT_COLORS[i % VARIANT_COLORS.len()];
    let collect = |f: &dyn Fn(&crate::model::Row, &str) -> Option<Estimate>, skip: usize| {
        let mut out = Vec::new();
        for (i, name) in names.iter().enumerate().skip(skip) {
            for g in 0..xl.groups.len() {
                let rows: Vec<(f64, Estimate, Vec<f64>)> = h
                    .rows
                    .iter()
                    .zip(&xl.at)
                    .filter(|(_, (_, rg))| *rg == g)
                    .filter_map(|(r, (x, _))| {
                        let builds = r.variant(name).map_or(Vec::new(), |v| v.builds.clone());
                        f(r, name).map(|e| (*x, e, builds))
                    })
                    .collect();
                if !rows.is_empty() {
                    out.push(Series {
                        color: color(i),
                        group: g,
                        points: rows.iter().map(|(x, e, _)| (*x, *e)).collect(),
                        // Only speedups have per-build values.
                        builds: if skip > 0 {
                            rows.into_iter().map(|(_, _, b)| b).collect()
                        } else {
                            Vec::new()
                        },
                    });
                }
            }
        }
        out
    };
    let times = collect(&|r, n| r.time(n), 0);
    let speedups = collect(&|r, n| r.speedup(n), 1);
    let rings = speedups
        .iter()
        .any(|s| s.builds.iter().any(|b| !b.is_empty()));
    let x_desc = if rings {
        format!(
            "{}   (rings: the speedup of each differently laid-out build)",
            xl.desc
        )
    } else {
        xl.desc.clone()
    };
    let (tlo, thi) = log_range(
        times.iter().flat_map(|s| s.points.iter().map(|p| &p.1)),
        1.3,
        false,
    );
    let (slo, shi) = log_range(
        speedups.iter().flat_map(|s| s.points.iter().map(|p| &p.1)),
        1.25,
        true,
    );
    let mut entries: Vec<LegendItem> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.clone(), color(i), None, None))
        .collect();
    if xl.groups.len() > 1 {
        let n = xl.groups.len();
        entries.extend(xl.groups.iter().enumerate().map(|(g, name)| {
            (
                name.clone(),
                MUTED,
                dash(g, n).or(Some((24, 0))),
                Some((g, n)),
            )
        }));
    }
    // A legend too wide for one row takes more, and the chart grows by them.
    let rows = legend_rows(&entries, 760);
    let extra = LEGEND_ROW * (rows.len() as i32 - 1);
    svg((760, 570 + extra as u32), |root| {
        root.draw(&Text::new(
            match machine {
                Some(m) => format!("{} on {m}", h.id),
                None => format!("{}: time per call and speedup over bad", h.id),
            },
            (16, 10),
            font(17.0).style(FontStyle::Bold).color(&INK),
        ))
        .map_err(err)?;
        for (i, row) in rows.iter().enumerate() {
            legend(root, 46 + LEGEND_ROW * i as i32, row)?;
        }
        let (_, rest) = root.split_vertically(60 + extra);
        let (top, bottom) = rest.split_vertically(290);
        panel(
            &top,
            &xl.axis,
            xl.groups.len(),
            Panel {
                y: Axis::log(tlo, thi, time_tick),
                series: &times,
                y_desc: "time per call (log)",
                x_desc: None,
                one_line: false,
            },
        )?;
        panel(
            &bottom,
            &xl.axis,
            xl.groups.len(),
            Panel {
                y: Axis::log(slo, shi, ratio_tick),
                series: &speedups,
                y_desc: "speedup over bad (log)",
                x_desc: Some(&x_desc),
                one_line: true,
            },
        )
    })
}

/// The overview: for each hint, `good` ÷ `bad` at its largest size as a bar
/// from 1x coloured by that row's verdict, its interval as a whisker, and a
/// dot per size for the spread across sizes. `ids` are the listed hints; one
/// missing from the record gets a row that says so.
pub fn overview_svg(hints: &[(String, Option<&HintRun>)], margin: f64) -> Result<String, String> {
    let heads: Vec<_> = hints
        .iter()
        .map(|(_, h)| h.and_then(|h| headline(h, margin).map(|hl| (h, hl))))
        .collect();
    let all = heads.iter().flatten().flat_map(|(h, hl)| {
        h.rows
            .iter()
            .filter_map(|r| r.speedup(&hl.variant))
            .chain(std::iter::once(hl.speedup))
    });
    let mut ests: Vec<Estimate> = all.collect();
    ests.push(Estimate {
        point: 0.5,
        lo: 0.5,
        hi: 2.0,
    });
    let (lo, hi) = log_range(ests.iter(), 1.3, true);
    let n = hints.len();
    let height = 110 + 22 * n as u32 + 50;
    svg((760, height), |root| {
        root.draw(&Text::new(
            "Speedup of good over bad, per hint",
            (16, 10),
            font(17.0).style(FontStyle::Bold).color(&INK),
        ))
        .map_err(err)?;
        root.draw(&Text::new(
            "bar: at the largest size, with its 95 % interval; dots: every size; colour: the sources' claim",
            (16, 36),
            font(12.0).color(&MUTED),
        ))
        .map_err(err)?;
        let mut x = 16;
        for c in [
            ClaimOutcome::Holds,
            ClaimOutcome::Bounded,
            ClaimOutcome::Refuted,
            ClaimOutcome::NotJudged,
        ] {
            let label = format!("claim {}", c.label());
            root.draw(&Rectangle::new(
                [(x, 60), (x + 14, 72)],
                level_color(Some(c.level())).filled(),
            ))
            .map_err(err)?;
            root.draw(&Text::new(
                label.as_str(),
                (x + 20, 59),
                font(13.0).color(&INK),
            ))
            .map_err(err)?;
            x += 20 + 8 * label.len() as i32 + 24;
        }
        let (_, area) = root.split_vertically(84);
        let y_axis = Axis {
            lo: -0.6,
            hi: n as f64 - 0.4,
            log: false,
            flip: true,
            ticks: hints
                .iter()
                .enumerate()
                .map(|(i, (id, _))| (i as f64, id.clone()))
                .collect(),
        };
        let x_axis = Axis::log(lo, hi, ratio_tick);
        let mut chart = ChartBuilder::on(&area)
            .margin_left(8)
            .margin_right(80)
            .margin_top(4)
            .x_label_area_size(44)
            .y_label_area_size(160)
            .build_cartesian_2d(x_axis.clone(), y_axis)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .label_style(font(12.0).color(&INK))
            .axis_desc_style(font(13.0).color(&INK))
            .bold_line_style(BLACK.mix(0.12))
            .x_desc("good ÷ bad (log); above 1x good is faster")
            .draw()
            .map_err(err)?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(1.0, -0.6), (1.0, n as f64 - 0.4)],
                INK.stroke_width(1),
            )))
            .map_err(err)?;
        for (i, head) in heads.iter().enumerate() {
            let y = i as f64;
            let Some((h, hl)) = head else {
                let at = chart.backend_coord(&(1.0, y));
                root.draw(&Text::new(
                    "not in this record",
                    (at.0 + 6, at.1 - 7),
                    font(12.0).color(&MUTED),
                ))
                .map_err(err)?;
                continue;
            };
            let s = hl.speedup;
            chart
                .draw_series(std::iter::once(Polygon::new(
                    vec![
                        (1.0, y - 0.32),
                        (s.point, y - 0.32),
                        (s.point, y + 0.32),
                        (1.0, y + 0.32),
                    ],
                    level_color(hl.claim.map(ClaimOutcome::level))
                        .mix(0.85)
                        .filled(),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(s.lo, y), (s.hi, y)],
                    INK.stroke_width(1),
                )))
                .map_err(err)?;
            chart
                .draw_series(h.rows.iter().filter_map(|r| {
                    let e = r.speedup(&hl.variant)?;
                    Some(Circle::new((e.point, y), 3, INK.mix(0.7).stroke_width(1)))
                }))
                .map_err(err)?;
            let right = chart.backend_coord(&(x_axis.hi, y));
            root.draw(&Text::new(
                format!("{}x", crate::publish::table::fmt_ratio_short(s.point)),
                (right.0 + 8, right.1 - 7),
                font(12.0).color(&INK),
            ))
            .map_err(err)?;
        }
        Ok(())
    })
}
