//! Which clippy lints catch each hint's bad pattern, as the hints' docs say
//! it: the "Caught by:" paragraph of each module's "Finding it" section
//! names the lints (`clippy::name`) that fire inside `bad` and not inside
//! `good`; after "Fires on both:", lints that flag both (so they do not tell
//! the two apart); after "Checked and silent:", the candidate lints that
//! sound relevant but do not fire on `bad`. `tests/lints.rs` runs clippy and holds
//! every name to that; `report` counts them into the coverage summary.

use std::fmt::Write as _;

/// A lint a hint's doc names, with what the doc says of its group.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lint {
    /// The name without `clippy::`.
    pub name: String,
    /// The group, as the parenthesis after the name gives it (`style`).
    pub group: String,
    /// Whether the doc says it is on by default (`cargo clippy`, no flags).
    pub default: bool,
}

/// What a hint's doc says finds its bad pattern.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Finding {
    /// Lints said to fire inside `bad` and not inside `good`.
    pub caught_by: Vec<Lint>,
    /// Lints said to fire inside both `bad` and `good`: they flag
    /// something, but not the difference.
    pub both: Vec<Lint>,
    /// Candidate lints said not to fire on `bad`.
    pub silent: Vec<Lint>,
}

/// The `clippy::name` names in backticks in `text`, each with the
/// parenthesis that follows it: `` `clippy::map_entry` (perf, on by default) ``.
fn lint_names(text: &str) -> Vec<Lint> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("`clippy::") {
        let after = &rest[at + "`clippy::".len()..];
        let Some(end) = after.find('`') else { break };
        let name = after[..end].trim().to_string();
        let tail = after[end + 1..].trim_start();
        let paren = tail
            .strip_prefix('(')
            .and_then(|t| t.split_once(')'))
            .map_or("", |(p, _)| p);
        out.push(Lint {
            name,
            group: paren.split(',').next().unwrap_or("").trim().to_string(),
            default: paren.contains("on by default"),
        });
        rest = &after[end + 1..];
    }
    out
}

/// The "Caught by:" paragraph of a hint's source, or `None` when its doc
/// has no "Finding it" section or no such paragraph.
pub fn finding(source: &str) -> Option<Finding> {
    let doc: String = source
        .lines()
        .take_while(|l| l.starts_with("//!") || l.trim().is_empty())
        .map(|l| l.trim_start_matches("//!").trim_start_matches(' '))
        .collect::<Vec<_>>()
        .join("\n");
    let section = doc.split("## Finding it").nth(1)?.split("\n## ").next()?;
    let para = section
        .split("\n\n")
        .find(|p| p.trim_start().starts_with("Caught by:"))?
        .replace('\n', " ");
    let (rest, silent) = match para.split_once("Checked and silent:") {
        Some((c, s)) => (c, s),
        None => (para.as_str(), ""),
    };
    let (caught, both) = match rest.split_once("Fires on both:") {
        Some((c, b)) => (c, b),
        None => (rest, ""),
    };
    Some(Finding {
        caught_by: lint_names(caught),
        both: lint_names(both),
        silent: lint_names(silent),
    })
}

/// How many hints default clippy catches, how many only an opt-in group
/// catches, and how many no lint catches; with the ids of each.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Coverage {
    pub default: Vec<(String, Vec<String>)>,
    pub opt_in: Vec<(String, Vec<String>)>,
    pub none: Vec<String>,
    /// Hints whose doc has no "Caught by:" paragraph.
    pub undocumented: Vec<String>,
}

/// The coverage of the listed hints, from their sources.
pub fn coverage() -> Coverage {
    let mut c = Coverage::default();
    for e in crate::hints::all() {
        if e.id() == "aa_control" {
            continue;
        }
        match finding(e.source()) {
            None => c.undocumented.push(e.id().to_string()),
            Some(f) if f.caught_by.is_empty() => c.none.push(e.id().to_string()),
            Some(f) => {
                let on = f.caught_by.iter().any(|l| l.default);
                let named: Vec<String> = f
                    .caught_by
                    .iter()
                    .map(|l| format!("`clippy::{}` ({})", l.name, l.group))
                    .collect();
                if on {
                    c.default.push((e.id().to_string(), named));
                } else {
                    c.opt_in.push((e.id().to_string(), named));
                }
            }
        }
    }
    c
}

/// The coverage as a markdown section body.
pub fn render(c: &Coverage) -> String {
    let mut out = String::new();
    let total = c.default.len() + c.opt_in.len() + c.none.len() + c.undocumented.len();
    let _ = writeln!(
        out,
        "Of the {total} hints, clippy's default lints catch the bad pattern of {}, lints of an \
         opt-in group (pedantic, nursery, restriction) catch {} more, and no lint catches the \
         other {}: those are found by measuring (each hint's \"Finding it\" names the signal). \
         `tests/lints.rs` runs clippy on the hints' own `bad` and `good` code and checks every \
         name below.\n",
        c.default.len(),
        c.opt_in.len(),
        c.none.len()
    );
    let caught = |v: &[(String, Vec<String>)]| -> Vec<String> {
        v.iter()
            .map(|(id, l)| format!("`{id}` ({})", l.join(", ")))
            .collect()
    };
    let ids = |v: &[String]| -> Vec<String> { v.iter().map(|id| format!("`{id}`")).collect() };
    for (label, items, sep) in [
        ("default clippy", caught(&c.default), "; "),
        ("opt-in groups only", caught(&c.opt_in), "; "),
        ("no lint", ids(&c.none), ", "),
        ("not yet documented", ids(&c.undocumented), ", "),
    ] {
        if items.is_empty() && label == "not yet documented" {
            continue;
        }
        let text = if items.is_empty() {
            "none".to_string()
        } else {
            items.join(sep)
        };
        let _ = writeln!(out, "- **{label}**: {text}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caught_by_paragraph_is_read() {
        let src = "//! # T (`t`)\n//!\n//! ## Finding it\n//! Caught by: `clippy::needless_range_loop`\n//! (style, on by default). Checked and silent: `clippy::manual_memcpy`\n//! (perf, on by default).\n//!\n//! More.\n//!\n//! ## Claim\n//! x\n";
        let f = finding(src).unwrap();
        let names = |v: &[Lint]| v.iter().map(|l| l.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&f.caught_by), vec!["needless_range_loop"]);
        assert_eq!(f.caught_by[0].group, "style");
        assert!(f.caught_by[0].default);
        assert_eq!(names(&f.silent), vec!["manual_memcpy"]);
        let none = "//! ## Finding it\n//! Caught by: no clippy lint. Checked and silent: `clippy::vec_box` (complexity, on by default).\n";
        let f = finding(none).unwrap();
        assert!(f.caught_by.is_empty());
        assert_eq!(names(&f.silent), vec!["vec_box"]);
        assert_eq!(finding("//! ## Claim\n//! x\n"), None);
    }
}
