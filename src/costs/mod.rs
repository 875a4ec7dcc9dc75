//! The cost table of the sources, measured on the machine at hand.
//!
//! The performance-hints document builds its advice on a back-of-the-envelope
//! table of latencies: an L1 reference 0.5 ns, a branch mispredict 5 ns, an
//! uncontended mutex 15 ns, main memory 50 ns, a `tokio::spawn` 200-500 ns,
//! and so on. [`PRIMITIVES`] (in `table`, as data) lists every row of those
//! tables: the ones this crate can measure honestly with the method each
//! figure needs, and the ones it cannot (a device behind the page cache, a
//! network between machines, a third-party service), with the reason.
//! [`measure`] times the measurable ones (`probes`, and `python` with the
//! `python` feature); a full `cargo bench` records them with the run, and
//! `cargo run --release --example cost_table` prints them for the machine at
//! hand in a few seconds.
//!
//! Every primitive returns a figure per sample that depends on work the
//! optimiser cannot delete (a dependent chain, or a value passed through
//! [`black_box`](std::hint::black_box)), and the rows that are differences
//! (a mispredict, a call) take both arms in the same sample, alternating
//! which goes first, as the hints' pairs do ([`crate::measure::sampler`]).

mod probes;
#[cfg(feature = "python")]
mod python;
mod table;

pub use crate::measure::sampler::{Budget, robust};
pub use table::{PRIMITIVES, get};

use crate::model::CostRow;

/// What the sources say a primitive costs, in nanoseconds: the figure a
/// measurement is held to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Quoted {
    /// One figure ("about"): within a factor of 2 either way counts as
    /// agreeing with it, the precision an order-of-magnitude table claims.
    About(f64),
    /// A range, as the sources give it.
    Range(f64, f64),
}

impl Quoted {
    /// The range a measurement must fall in to agree with the sources.
    pub fn bounds(self) -> (f64, f64) {
        match self {
            Quoted::About(x) => (x / 2.0, x * 2.0),
            Quoted::Range(a, b) => (a, b),
        }
    }

    /// The central figure: the one given, or a range's geometric middle.
    pub fn centre(self) -> f64 {
        match self {
            Quoted::About(x) => x,
            Quoted::Range(a, b) => (a * b).sqrt(),
        }
    }

    /// As the sources write it: `0.5 ns`, `200-500 ns`, `64 µs`.
    pub fn text(self) -> String {
        match self {
            Quoted::About(x) => {
                let (v, unit) = crate::support::fmt::ns_unit(x);
                format!("{} {unit}", trim(v))
            }
            Quoted::Range(a, b) => {
                let (hi, unit) = crate::support::fmt::ns_unit(b);
                let scale = b / hi;
                format!("{}-{} {unit}", trim(a / scale), trim(hi))
            }
        }
    }
}

fn trim(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Which of the sources' tables a row comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Reference,
    Rust,
    Python,
}

impl Section {
    pub fn title(self) -> &'static str {
        match self {
            Section::Reference => "Reference latency table",
            Section::Rust => "Rust-specific costs",
            Section::Python => "Python-specific costs",
        }
    }
}

/// How a row is measured, or why it is not.
#[derive(Clone, Copy)]
pub enum How {
    /// Measured: the method in one line, and the function that measures it
    /// (samples of nanoseconds per operation, and what it measured on, such
    /// as the working set).
    Measured(&'static str, fn(&Budget) -> (Vec<f64>, String)),
    /// Measured only with a cargo feature (the Python rows).
    Feature(&'static str, &'static str),
    /// Not measured by this crate on any machine, and why: what the row would
    /// need that a benchmark cannot count on having. Said of the crate, never
    /// of the machine that happens to run it.
    NotMeasured(&'static str),
}

/// One row of the sources' tables.
#[derive(Clone, Copy)]
pub struct Primitive {
    /// A stable id, the key in records.
    pub id: &'static str,
    /// The sources' words for it.
    pub what: &'static str,
    pub section: Section,
    pub quoted: Quoted,
    pub how: How,
}

/// Where a measurement falls against the figure the sources quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fit {
    /// Within the quoted range (a single figure: within 2x of it).
    Within,
    /// Cheaper than the quoted range.
    Cheaper,
    /// Dearer than the quoted range.
    Dearer,
}

impl Fit {
    /// Where the point `ns` falls against `quoted`.
    pub fn of(quoted: Quoted, ns: f64) -> Fit {
        let (lo, hi) = quoted.bounds();
        if ns < lo {
            Fit::Cheaper
        } else if ns > hi {
            Fit::Dearer
        } else {
            Fit::Within
        }
    }
}

/// Measures every row this build can, in the order of [`PRIMITIVES`],
/// calling `progress` with each id before it starts.
pub fn measure(budget: &Budget, progress: &mut dyn FnMut(&str)) -> Vec<CostRow> {
    let mut out = Vec::new();
    for p in PRIMITIVES {
        let value = match p.how {
            How::Measured(_, f) => {
                progress(p.id);
                let (samples, detail) = f(budget);
                Some((robust(&samples), detail))
            }
            #[cfg(feature = "python")]
            How::Feature("python", _) => {
                progress(p.id);
                python::measure(p.id, budget).map(|(s, d)| (robust(&s), d))
            }
            _ => None,
        };
        if let Some((Some(ns), detail)) = value {
            out.push(CostRow {
                id: p.id.to_string(),
                ns,
                detail,
            });
        }
    }
    out
}
