//! A hint's history on one machine: the speedup of `good` over `bad` at each
//! size in every record of that machine, oldest first, as a table (each cell
//! with the verdict's glyph; layout-sensitive cells marked) and a small line
//! chart. This is where a row that swings from build to build shows.

use std::fmt::Write as _;

use crate::model::{Estimate, Level};
use crate::publish::atlas::glyph;
use crate::publish::records::Stored;
use crate::publish::site::html::escape;
use crate::publish::table::{fmt_ratio, fmt_ratio_short, size_label, verdict};

/// One record's figures for the hint: (size key, speedup, verdict level, why).
struct Point {
    key: String,
    speedup: Estimate,
    level: Option<Level>,
    why: String,
}

/// One record of the machine that has the hint.
struct Entry<'a> {
    record: &'a Stored,
    points: Vec<Point>,
}

/// The commit a record was built from, without its dirty mark, and whether
/// it had one.
fn commit(rev: &str) -> (&str, bool) {
    let clean = rev.trim_end_matches("-dirty").trim_end_matches('+');
    (clean, clean.len() != rev.len())
}

/// The speedup of `variant` at every size of hint `id`, record by record.
fn entries<'a>(id: &str, variant: &str, records: &'a [Stored]) -> Vec<Entry<'a>> {
    records
        .iter()
        .filter_map(|s| {
            let h = s.run.hints.iter().find(|h| h.id == id)?;
            let margin = s.run.margin();
            let points = h
                .rows
                .iter()
                .filter_map(|r| {
                    let v = verdict(id, r, margin);
                    Some(Point {
                        key: r.param.clone(),
                        speedup: r.speedup(variant)?,
                        level: v.as_ref().map(|v| v.level),
                        why: v.map_or(String::new(), |v| format!("{}: {}", v.level.label(), v.why)),
                    })
                })
                .collect::<Vec<_>>();
            (!points.is_empty()).then_some(Entry { record: s, points })
        })
        .collect()
}

/// The size keys over all entries: the newest record's order, then any key
/// only older records have.
fn keys(entries: &[Entry]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for e in entries.iter().rev() {
        for p in &e.points {
            if !keys.contains(&p.key) {
                keys.push(p.key.clone());
            }
        }
    }
    keys
}

/// Line colours, one per size (Okabe-Ito, as the charts).
const COLORS: [&str; 7] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
];

/// The history section of hint `id` over `records` (one machine's, oldest
/// first) named `machine`; commits link under `repo` when given.
pub fn render(id: &str, machine: &str, records: &[Stored], repo: Option<&str>) -> String {
    let variant = "good";
    let entries = entries(id, variant, records);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<p>The speedup of <code>{variant}</code> over <code>bad</code> at each size in every record of \
         the reference machine ({}), oldest first: {} of {} records have this hint. Each cell has the \
         verdict's glyph (✓ as modelled, ◐ partly, ✗ model missed, ≈ layout-sensitive, · not judged); \
         <span class=\"badge v-layout-sensitive\">≈ layout-sensitive</span> cells are rows whose \
         differently laid-out builds disagree across a line the verdict is drawn at, so the layout, \
         not the code, decided them. Hover a cell for its interval and verdict.</p>",
        escape(machine),
        entries.len(),
        records.len()
    );
    if entries.is_empty() {
        out.push_str("<p>No record of this machine has this hint yet.</p>\n");
        return out;
    }
    let keys = keys(&entries);
    out.push_str(&chart(id, &entries, &keys));
    out.push_str("<div class=\"scroll\"><table class=\"history-table\">\n<thead><tr><th>record</th><th>commit</th>");
    for k in &keys {
        let _ = write!(out, "<th>{}</th>", escape(&size_label(id, k)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for e in &entries {
        let run = &e.record.run;
        let (rev, dirty) = commit(&run.machine.git_revision);
        let rev_cell = match repo {
            Some(repo) if rev != "unknown" => format!(
                "<a href=\"{}/commit/{}\"><code>{}</code></a>",
                escape(repo),
                escape(rev),
                escape(rev)
            ),
            _ => format!("<code>{}</code>", escape(rev)),
        };
        let file = e
            .record
            .path
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        let _ = write!(
            out,
            "<tr><td title=\"{}\">{}</td><td>{rev_cell}{}</td>",
            escape(&file),
            escape(&run.started.replace('T', " ").replace('Z', " UTC")),
            if dirty { " (uncommitted changes)" } else { "" }
        );
        for k in &keys {
            match e.points.iter().find(|p| &p.key == k) {
                Some(p) => {
                    let ls = p.level == Some(Level::LayoutSensitive);
                    let _ = write!(
                        out,
                        "<td{} title=\"{}\">{}x {}</td>",
                        if ls { " class=\"ls\"" } else { "" },
                        escape(&format!("{} — {}", fmt_ratio(&p.speedup), p.why)),
                        fmt_ratio_short(p.speedup.point),
                        glyph(p.level)
                    );
                }
                None => out.push_str("<td>—</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
    out
}

/// The history as an SVG line per size: speedup (log scale) against record,
/// a line at 1x, layout-sensitive points hollow.
fn chart(id: &str, entries: &[Entry], keys: &[String]) -> String {
    let (w, h) = (760.0_f64, 300.0_f64);
    let (left, right, top, bottom) = (60.0, 50.0, 20.0, 70.0);
    let all: Vec<f64> = entries
        .iter()
        .flat_map(|e| e.points.iter().map(|p| p.speedup.point))
        .filter(|x| *x > 0.0)
        .chain([1.0])
        .collect();
    let lo = all.iter().copied().fold(f64::INFINITY, f64::min).log10();
    let hi = all
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max)
        .log10();
    let (lo, hi) = if hi - lo < 0.2 {
        ((lo + hi) / 2.0 - 0.1, (lo + hi) / 2.0 + 0.1)
    } else {
        (lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo))
    };
    let n = entries.len();
    let x = |i: usize| {
        if n == 1 {
            left + (w - left - right) / 2.0
        } else {
            left + (w - left - right) * i as f64 / (n - 1) as f64
        }
    };
    let y = |v: f64| top + (h - top - bottom) * (hi - v.max(1e-9).log10()) / (hi - lo);
    let mut s = format!(
        "<figure class=\"history\"><svg viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
         xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" font-family=\"sans-serif\" font-size=\"12\">\
         <title>{}: speedup of good over bad per record</title>\
         <rect width=\"{w}\" height=\"{h}\" fill=\"#fff\"/>",
        escape(id)
    );
    // Gridlines at round speedups within the range (1x always among them).
    let ticks = [&[1.0, 1.5, 2.0, 3.0, 5.0][..], &[1.0, 2.0, 5.0], &[1.0]]
        .iter()
        .map(|mantissas| {
            (-4..=5)
                .flat_map(|e| mantissas.iter().map(move |m| m * 10f64.powi(e)))
                .filter(|t| (lo..=hi).contains(&t.log10()))
                .collect::<Vec<f64>>()
        })
        .find(|t| t.len() <= 8)
        .unwrap_or_default();
    for tick in ticks {
        let yy = y(tick);
        let _ = write!(
            s,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{yy:.1}\" y2=\"{yy:.1}\" stroke=\"{}\" stroke-width=\"{}\"/>\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"#444\">{}x</text>",
            w - right,
            if tick == 1.0 { "#444" } else { "#ddd" },
            if tick == 1.0 { 1.5 } else { 1.0 },
            left - 6.0,
            yy + 4.0,
            fmt_ratio_short(tick)
        );
    }
    for (i, e) in entries.iter().enumerate() {
        let (rev, _) = commit(&e.record.run.machine.git_revision);
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" fill=\"#444\">{}</text>\
             <text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" fill=\"#777\" font-size=\"10\">{}</text>",
            x(i),
            h - bottom + 16.0,
            escape(&rev.chars().take(7).collect::<String>()),
            x(i),
            h - bottom + 29.0,
            escape(e.record.run.started.get(..10).unwrap_or_default()),
        );
    }
    let mut legend_x = left;
    for (k_i, k) in keys.iter().enumerate() {
        let color = COLORS[k_i % COLORS.len()];
        let pts: Vec<(f64, &Point)> = entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some((x(i), e.points.iter().find(|p| &p.key == k)?)))
            .collect();
        let line: Vec<String> = pts
            .iter()
            .map(|(xx, p)| format!("{xx:.1},{:.1}", y(p.speedup.point)))
            .collect();
        let _ = write!(
            s,
            "<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{}\"/>",
            line.join(" ")
        );
        for (xx, p) in &pts {
            let ls = p.level == Some(Level::LayoutSensitive);
            let _ = write!(
                s,
                "<circle cx=\"{xx:.1}\" cy=\"{:.1}\" r=\"{}\" fill=\"{}\" stroke=\"{color}\" stroke-width=\"2\"/>",
                y(p.speedup.point),
                if ls { 5 } else { 3 },
                if ls { "#fff" } else { color }
            );
        }
        let label = size_label(id, k);
        let _ = write!(
            s,
            "<circle cx=\"{:.1}\" cy=\"{}\" r=\"4\" fill=\"{color}\"/><text x=\"{:.1}\" y=\"{}\" fill=\"#222\">{}</text>",
            legend_x + 4.0,
            h - 14.0,
            legend_x + 12.0,
            h - 10.0,
            escape(&label)
        );
        legend_x += 24.0 + 6.5 * label.chars().count() as f64;
    }
    s.push_str(
        "</svg><figcaption>Speedup of good over bad per record (log scale), one line per size; \
         a hollow point is a layout-sensitive row.</figcaption></figure>\n",
    );
    s
}
