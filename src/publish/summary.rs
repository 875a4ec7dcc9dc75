//! The summary a run ends with in the terminal: one line per hint (its id,
//! the sources' claim's verdict, one glyph per size, `good`'s speedup range
//! and where it stops winning), the run line, and where the full table is.
//! The full markdown table is saved beside it, never printed.

use std::fmt::Write as _;

use crate::judge::break_even::BreakEven;
use crate::model::{HintRun, Level, Run};
use crate::publish::atlas;
use crate::publish::outcome;
use crate::publish::series;
use crate::publish::table;
use crate::support::fmt::short_number;

/// The widest the summary gets, however wide the terminal.
pub const MAX_WIDTH: usize = 120;
/// The narrowest it is laid out for; narrower terminals wrap.
pub const MIN_WIDTH: usize = 60;
/// The width used when the output is not a terminal.
pub const PLAIN_WIDTH: usize = 100;

/// The width to lay the summary out for: the terminal's, between
/// [`MIN_WIDTH`] and [`MAX_WIDTH`], or [`PLAIN_WIDTH`] when stdout is not a
/// terminal.
pub fn width() -> usize {
    console::Term::stdout()
        .size_checked()
        .map_or(PLAIN_WIDTH, |(_, cols)| usize::from(cols))
        .clamp(MIN_WIDTH, MAX_WIDTH)
}

/// `lo-hi x` of `good`'s point speedups over all sizes, or `-`.
fn range(h: &HintRun, margin: f64) -> String {
    match table::headline(h, margin) {
        Some(hl) if hl.min.is_finite() && hl.max.is_finite() => {
            let r = crate::support::fmt::ratio_digits;
            if r(hl.min) == r(hl.max) {
                format!("{}x", r(hl.min))
            } else {
                format!("{}-{}x", r(hl.min), r(hl.max))
            }
        }
        _ => "-".into(),
    }
}

/// Where `good` starts or stops winning along the main series, in a few words.
fn break_even(h: &HintRun, margin: f64) -> String {
    let Some((series, b)) = series::break_even(h, margin) else {
        return String::new();
    };
    let tick = |x: f64| {
        crate::hints::get(&h.id)
            .and_then(|e| e.sizes().into_iter().find(|p| (p.x - x).abs() < 1e-9))
            .map_or_else(|| short_number(x), |p| p.tick)
    };
    // The interval of a crossing belongs in the table, not here.
    let text = match &b {
        BreakEven::Always => "at every size".to_string(),
        BreakEven::Never => "at no size".to_string(),
        BreakEven::Level => "level at every size".to_string(),
        BreakEven::Crosses { starts, at, .. } => {
            format!("{} ≈ {}", if *starts { "from" } else { "up to" }, tick(*at))
        }
    };
    if series.is_empty() {
        text
    } else {
        format!("{text} ({series})")
    }
}

/// The sources' claim's verdict in one word, or `-` where it is not judged.
fn claim_word(h: &HintRun, margin: f64) -> &'static str {
    outcome::claim(h, margin).map_or("-", |(_, j)| j.outcome.label())
}

/// The whole summary, laid out for `width` columns; `more` says where the
/// full table is.
pub fn render(run: &Run, width: usize, more: &str) -> String {
    let margin = run.margin();
    let mut out = hint_lines(run, width, margin);
    out.push_str(&notes(run, width, margin, more));
    out
}

/// The table: a header, one line per hint, then a blank line; each line cut
/// at `width`.
fn hint_lines(run: &Run, width: usize, margin: f64) -> String {
    let id_w = run
        .hints
        .iter()
        .map(|h| h.id.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let glyph_w = run
        .hints
        .iter()
        .map(|h| h.rows.len())
        .max()
        .unwrap_or(5)
        .max(5);
    let mut out = String::new();
    let mut line = |s: String| {
        let _ = writeln!(out, "{}", console::truncate_str(&s, width, "…"));
    };
    line(format!(
        "{:id_w$}  {:10} {:glyph_w$}  {:13} where good wins",
        "hint", "claim", "sizes", "good vs bad"
    ));
    for h in &run.hints {
        let glyphs: String = h
            .rows
            .iter()
            .map(|r| atlas::glyph(outcome::verdict(&h.id, r, margin).map(|v| v.level)))
            .collect();
        line(format!(
            "{:id_w$}  {:10} {:glyph_w$}  {:13} {}",
            h.id,
            claim_word(h, margin),
            glyphs,
            range(h, margin),
            break_even(h, margin)
        ));
    }
    line(String::new());
    out
}

/// Under the table: the sizes judged, what the columns mean, the run, the
/// noise gate and where the full table is, wrapped at `width`.
fn notes(run: &Run, width: usize, margin: f64, more: &str) -> String {
    let mut out = String::new();
    let counts = table::verdict_summary(&run.hints, margin);
    if !counts.is_empty() {
        let counts = format!("Sizes judged: {counts}.");
        let _ = writeln!(out, "{}", console::truncate_str(&counts, width, "…"));
    }
    let legend: Vec<String> = [
        Level::Holds,
        Level::Partly,
        Level::DoesNotHold,
        Level::LayoutSensitive,
        Level::NotJudged,
    ]
    .into_iter()
    .map(|l| format!("{} {}", atlas::glyph(Some(l)), l.label()))
    .collect();
    let _ = write!(
        out,
        "{}",
        wrap(
            &format!(
                "claim: the sources' claim (good faster than bad, by their factor where they \
                 name one) over all sizes. sizes: the crate's own model, one glyph per size: {} \
                 (margin ±{:.0} %, fixed in advance). good vs bad: the speedup's range over the \
                 sizes.",
                legend.join(", "),
                margin * 100.0
            ),
            width
        )
    );
    let _ = write!(out, "{}", wrap(&table::run_line(run), width));
    if let Some(why) = run.too_noisy() {
        let _ = write!(
            out,
            "{}",
            wrap(
                &format!(
                    "Too noisy to judge: the A/A control gate failed ({why}); rerun on a \
                     quieter machine before trusting a verdict."
                ),
                width
            )
        );
    }
    let _ = write!(out, "{}", wrap(more, width));
    out
}

/// One hint's figures for a terminal: per size, one line per variant (time,
/// paired speedup, allocations, peak bytes, its counters), then the model's
/// prediction; no line wider than `width`.
pub fn hint_block(h: &HintRun, margin: f64, width: usize) -> String {
    use crate::support::fmt::{fmt_bytes_binary, fmt_ns};
    let mut out = String::new();
    let name_w = h
        .rows
        .iter()
        .flat_map(|r| r.variants.iter().map(|v| v.name.len()))
        .max()
        .unwrap_or(4)
        .max(7);
    let counted = h
        .rows
        .iter()
        .any(|r| r.variants.iter().any(|v| !v.counters.is_empty()));
    for r in &h.rows {
        let _ = writeln!(out, "{} {}", h.id, outcome::size_label(&h.id, &r.param));
        let _ = writeln!(
            out,
            "{}",
            console::truncate_str(
                format!(
                    "  {:name_w$}  {:>9}  {:26} {:>7}  {:>10}  {}",
                    "variant",
                    "time",
                    "speedup vs bad (95 %)",
                    "allocs",
                    "peak",
                    if counted { "counters" } else { "" }
                )
                .trim_end(),
                width,
                "…"
            )
        );
        for v in &r.variants {
            let time = v.time.map_or("-".into(), |t| fmt_ns(t.point));
            let speedup = if v.name == r.variants[0].name {
                "-".to_string()
            } else {
                r.speedup(&v.name).map_or("-".into(), |s| {
                    let stable = if table::stable(&s) { "" } else { " noisy" };
                    format!("{}{stable}", table::fmt_ratio(&s))
                })
            };
            let allocs = v
                .allocs
                .map_or("-".into(), |a| (a.allocs + a.reallocs).to_string());
            let peak = v
                .allocs
                .and_then(|a| a.peak_bytes)
                .map_or("-".into(), fmt_bytes_binary);
            let counters: Vec<String> =
                v.counters.iter().map(|(k, n)| format!("{k} {n}")).collect();
            let line = format!(
                "  {:name_w$}  {time:>9}  {speedup:26} {allocs:>7}  {peak:>10}  {}",
                v.name,
                counters.join(", ")
            );
            let _ = writeln!(
                out,
                "{}",
                console::truncate_str(line.trim_end(), width, "…")
            );
        }
        if let Some(v) = outcome::verdict(&h.id, r, margin) {
            let _ = write!(
                out,
                "{}",
                wrap(&format!("  model: {}: {}", v.level.label(), v.why), width)
            );
        }
        out.push('\n');
    }
    out
}

/// `text` wrapped at `width` columns on spaces outside code spans (a
/// command in backticks stays on one line), each line ending in a newline.
pub fn wrap(text: &str, width: usize) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut in_code = false;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        match words.last_mut() {
            Some(last) if in_code => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_string()),
        }
        in_code ^= word.matches('`').count() % 2 == 1;
    }
    let mut out = String::new();
    let mut line = String::new();
    for word in &words {
        let len = console::measure_text_width(&line);
        if len > 0 && len + 1 + console::measure_text_width(word) > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_word_and_the_width() {
        let text = "one two three four five six seven eight nine ten eleven twelve";
        let w = wrap(text, 14);
        assert!(w.lines().all(|l| l.chars().count() <= 14), "{w}");
        assert_eq!(w.split_whitespace().collect::<Vec<_>>().join(" "), text);
    }

    #[test]
    fn a_command_in_backticks_is_not_broken() {
        let w = wrap("Run it with `cargo run --release -- site` today.", 20);
        assert!(w.contains("`cargo run --release -- site`"), "{w}");
    }
}
