//! Phrases verdicts are made of, so that every hint says the same thing the
//! same way.

use crate::model::{Change, Row};

/// Which of `name` and the row's first variant was faster, in words:
/// `"dashmap 1.80x faster than rwlock"`, `"rwlock 1.10x faster than dashmap"`
/// (`shown` and `bad_shown` name the two in the sentence).
pub fn versus(row: &Row, name: &str, shown: &str, bad_shown: &str) -> String {
    match (row.speedup(name), row.change(name)) {
        (Some(s), Some(Change::Faster)) => {
            format!("{shown} {:.2}x faster than {bad_shown}", s.point)
        }
        (Some(s), Some(Change::Slower)) => {
            format!("{bad_shown} {:.2}x faster than {shown}", 1.0 / s.point)
        }
        (Some(s), _) => format!("{shown} and {bad_shown} level ({:.2}x)", s.point),
        _ => format!("{shown} not timed"),
    }
}
