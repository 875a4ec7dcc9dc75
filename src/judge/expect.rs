//! What a hint's deterministic figures must show, declared next to its code
//! (`Hint::expect`) and checked by `perf-hints validate`.
//!
//! Only figures that repeat exactly go here: allocations and peak live bytes,
//! instruction counts, simulated cache misses and branch mispredictions, the
//! hint's own counters and `size_of`. Wall time never decides a check.

use crate::model::{HintRun, Param, Row};

/// A deterministic figure of one variant at one size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    /// Allocator calls per call: `alloc` + `realloc`.
    Allocs,
    /// The most bytes live at once during the call, above what was live when
    /// it started ([`AllocCounts::peak_bytes`](crate::model::AllocCounts::peak_bytes)):
    /// O(1) memory against O(n), streaming against collecting.
    PeakBytes,
    /// Instructions per call, from callgrind.
    Instructions,
    /// Simulated L1 data-cache misses per call.
    D1Misses,
    /// Simulated last-level data-cache misses per call.
    LlMisses,
    /// Simulated branch mispredictions per call.
    Mispredicts,
    /// One of the hint's own counters, by name.
    Counter(&'static str),
}

impl Figure {
    pub fn name(self) -> String {
        match self {
            Figure::Allocs => "allocations".into(),
            Figure::PeakBytes => "peak bytes".into(),
            Figure::Instructions => "instructions".into(),
            Figure::D1Misses => "D1 misses".into(),
            Figure::LlMisses => "LL misses".into(),
            Figure::Mispredicts => "mispredicts".into(),
            Figure::Counter(c) => c.into(),
        }
    }

    /// This figure for `variant` in `row`, if it was measured.
    pub fn of(self, row: &Row, variant: &str) -> Option<u64> {
        let v = row.variant(variant)?;
        match self {
            Figure::Allocs => v.allocs.map(|a| a.total()),
            Figure::PeakBytes => v.allocs.and_then(|a| a.peak_bytes),
            Figure::Instructions => v.cg.map(|c| c.instructions),
            Figure::D1Misses => v.cg.and_then(|c| c.d1_misses),
            Figure::LlMisses => v.cg.and_then(|c| c.ll_misses),
            Figure::Mispredicts => v.cg.and_then(|c| c.mispredicts),
            Figure::Counter(name) => v.counters.get(name).copied(),
        }
    }
}

/// How a figure must grow with size: the work the hint's complexity says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Growth {
    Linear,
    NLogN,
    Quadratic,
}

impl Growth {
    fn model(self, n: f64) -> f64 {
        match self {
            Growth::Linear => n,
            Growth::NLogN => n * n.max(2.0).log2(),
            Growth::Quadratic => n * n,
        }
    }
}

/// Which sizes a check applies to, in the order the hint's sizes sort.
#[derive(Clone, Copy, Debug)]
pub enum Sizes<P> {
    All,
    /// This size and larger.
    From(P),
    /// This size and smaller.
    UpTo(P),
    /// The sizes the function selects (for a parameter with several axes).
    Where(fn(P) -> bool),
}

impl<P: Param> Sizes<P> {
    fn contains(self, n: P) -> bool {
        match self {
            Sizes::All => true,
            Sizes::From(m) => n >= m,
            Sizes::UpTo(m) => n <= m,
            Sizes::Where(f) => f(n),
        }
    }
}

/// One check.
#[derive(Clone, Copy, Debug)]
pub enum Check<P> {
    /// `variant`'s figure is at most `than`'s divided by `factor` (and strictly below it).
    Fewer {
        figure: Figure,
        variant: &'static str,
        than: &'static str,
        factor: f64,
    },
    /// `variant` saves less than `1 - fraction` of `than`'s figure: where the
    /// good variant stops winning, as the catalog says it should.
    NoBetter {
        figure: Figure,
        variant: &'static str,
        than: &'static str,
        fraction: f64,
    },
    /// `variant`'s figure equals `value(size)`.
    Exactly {
        figure: Figure,
        variant: &'static str,
        value: fn(P) -> u64,
    },
    /// `size_of` of the layout entry `smaller` is below that of `than`.
    SmallerLayout {
        smaller: &'static str,
        than: &'static str,
    },
    /// Every variant's figure (or only `variant`'s, when named) increases
    /// with size, and between the two largest sizes by at least a quarter of
    /// what `growth` predicts (room for fixed per-call costs): work that the
    /// optimiser deleted does not grow, and neither does O(1) memory.
    Grows {
        figure: Figure,
        growth: Growth,
        variant: Option<&'static str>,
    },
}

/// A check and the sizes it applies to.
#[derive(Clone, Copy, Debug)]
pub struct Expect<P> {
    pub check: Check<P>,
    pub sizes: Sizes<P>,
}

impl<P: Param> Expect<P> {
    /// Limits the check to some sizes.
    pub fn at(mut self, sizes: Sizes<P>) -> Self {
        self.sizes = sizes;
        self
    }

    fn new(check: Check<P>) -> Self {
        Expect {
            check,
            sizes: Sizes::All,
        }
    }
}

/// `variant` has a strictly smaller figure than `than`.
pub fn fewer<P: Param>(figure: Figure, variant: &'static str, than: &'static str) -> Expect<P> {
    fewer_by(figure, variant, than, 1.0)
}

/// `variant`'s figure is at most `than`'s divided by `factor`.
pub fn fewer_by<P: Param>(
    figure: Figure,
    variant: &'static str,
    than: &'static str,
    factor: f64,
) -> Expect<P> {
    Expect::new(Check::Fewer {
        figure,
        variant,
        than,
        factor,
    })
}

/// `variant`'s figure is at least `fraction` of `than`'s: no real saving.
pub fn no_better<P: Param>(
    figure: Figure,
    variant: &'static str,
    than: &'static str,
    fraction: f64,
) -> Expect<P> {
    Expect::new(Check::NoBetter {
        figure,
        variant,
        than,
        fraction,
    })
}

/// `variant`'s figure is exactly `value(size)`.
pub fn exactly<P: Param>(figure: Figure, variant: &'static str, value: fn(P) -> u64) -> Expect<P> {
    Expect::new(Check::Exactly {
        figure,
        variant,
        value,
    })
}

/// The layout entry `smaller` has a smaller `size_of` than `than`.
pub fn smaller_layout<P: Param>(smaller: &'static str, than: &'static str) -> Expect<P> {
    Expect::new(Check::SmallerLayout { smaller, than })
}

/// Every variant's figure grows with size as `growth` says.
pub fn grows<P: Param>(figure: Figure, growth: Growth) -> Expect<P> {
    Expect::new(Check::Grows {
        figure,
        growth,
        variant: None,
    })
}

/// `variant`'s figure grows with size as `growth` says (the others' need
/// not): `bad`'s peak bytes growing with n where `good`'s stay constant.
pub fn grows_in<P: Param>(figure: Figure, variant: &'static str, growth: Growth) -> Expect<P> {
    Expect::new(Check::Grows {
        figure,
        growth,
        variant: Some(variant),
    })
}

fn fmt(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Checks `expects` against a hint's figures; each failure names the hint,
/// the variant, the size, the figure and the expectation.
pub fn check<P: Param>(run: &HintRun, expects: &[Expect<P>]) -> Vec<String> {
    let mut fails = Vec::new();
    let id = &run.id;
    let mut sized: Vec<(P, &Row)> = Vec::new();
    for r in &run.rows {
        match P::parse(&r.param) {
            Some(p) => sized.push((p, r)),
            None => fails.push(format!(
                "{id}: row {:?} is not a size of this hint",
                r.param
            )),
        }
    }
    let missing = |v: &str, size: &str, f: Figure| {
        format!(
            "{id}/{v}/{size}: {} not measured ({})",
            f.name(),
            match f {
                Figure::Allocs => "allocations need the counting allocator",
                Figure::PeakBytes =>
                    "peak bytes need the counting allocator; records made before they were \
                     counted have none",
                _ => "instruction and cache figures need valgrind on PATH",
            }
        )
    };
    for e in expects {
        match e.check {
            Check::SmallerLayout { smaller, than } => {
                let get = |name: &str| run.layout.iter().find(|(n, _)| n.starts_with(name));
                match (get(smaller), get(than)) {
                    (Some((_, a)), Some((_, b))) if a < b => {}
                    (Some((_, a)), Some((_, b))) => fails.push(format!(
                        "{id}: size_of {smaller} is {a} B, expected smaller than {than} ({b} B)"
                    )),
                    _ => fails.push(format!("{id}: no layout entry {smaller:?} or {than:?}")),
                }
            }
            Check::Grows {
                figure,
                growth,
                variant,
            } => {
                let rows: Vec<(P, &Row)> = sized
                    .iter()
                    .copied()
                    .filter(|(p, _)| e.sizes.contains(*p))
                    .collect();
                let names: Vec<&str> = match variant {
                    Some(v) => vec![v],
                    None => rows
                        .first()
                        .map(|(_, r)| r.variants.iter().map(|v| v.name.as_str()).collect())
                        .unwrap_or_default(),
                };
                for v in names {
                    for w in rows.windows(2) {
                        let ((_, a), (_, b)) = (w[0], w[1]);
                        match (figure.of(a, v), figure.of(b, v)) {
                            (Some(x), Some(y)) if y > x => {}
                            (Some(x), Some(y)) => fails.push(format!(
                                "{id}/{v}/{}: {} {} is not above {} at size {} — {}",
                                b.param,
                                figure.name(),
                                fmt(y),
                                fmt(x),
                                a.param,
                                if figure == Figure::PeakBytes {
                                    "the memory held at once does not grow with size"
                                } else {
                                    "the work does not grow with size: has the optimiser deleted it?"
                                }
                            )),
                            _ => fails.push(missing(v, &b.param, figure)),
                        }
                    }
                    if let [.., (pa, a), (pb, b)] = rows.as_slice()
                        && let (Some(x), Some(y)) = (figure.of(a, v), figure.of(b, v))
                    {
                        let want = growth.model(pb.x()) / growth.model(pa.x()) / 4.0;
                        let got = y as f64 / x.max(1) as f64;
                        if got < want {
                            fails.push(format!(
                                "{id}/{v}/{}: {} grew {got:.1}x from size {}, expected at least \
                                 {want:.1}x (a quarter of {growth:?}) — {}",
                                b.param,
                                figure.name(),
                                a.param,
                                if figure == Figure::PeakBytes {
                                    "is less held at once than the size says?"
                                } else {
                                    "is part of the work optimised away?"
                                }
                            ));
                        }
                    }
                }
            }
            _ => {
                for (p, row) in sized.iter().filter(|(p, _)| e.sizes.contains(*p)) {
                    if let Some(f) = check_row(id, *p, row, e.check, &missing) {
                        fails.push(f);
                    }
                }
            }
        }
    }
    fails
}

/// The mechanism at one size, for a verdict: the failures of `expects`
/// that apply to a single row (`Fewer`, `NoBetter`, `Exactly` at `size`),
/// and, separately, the figures they need that the row lacks.
pub fn mechanism<P: Param>(
    id: &str,
    size: P,
    row: &Row,
    expects: &[Expect<P>],
) -> (Vec<String>, Vec<String>) {
    let mut fails = Vec::new();
    let mut missing = Vec::new();
    let not_measured = |v: &str, _size: &str, f: Figure| format!("{v}'s {}", f.name());
    for e in expects.iter().filter(|e| e.sizes.contains(size)) {
        if matches!(e.check, Check::SmallerLayout { .. } | Check::Grows { .. }) {
            continue;
        }
        let figures = match e.check {
            Check::Fewer {
                figure,
                variant,
                than,
                ..
            }
            | Check::NoBetter {
                figure,
                variant,
                than,
                ..
            } => vec![(figure, variant), (figure, than)],
            Check::Exactly {
                figure, variant, ..
            } => vec![(figure, variant)],
            Check::SmallerLayout { .. } | Check::Grows { .. } => Vec::new(),
        };
        let lacking: Vec<String> = figures
            .iter()
            .filter(|(f, v)| f.of(row, v).is_none())
            .map(|(f, v)| not_measured(v, "", *f))
            .collect();
        if !lacking.is_empty() {
            for l in lacking {
                if !missing.contains(&l) {
                    missing.push(l);
                }
            }
            continue;
        }
        if let Some(f) = check_row(id, size, row, e.check, &not_measured) {
            fails.push(f);
        }
    }
    (fails, missing)
}

fn check_row<P: Param>(
    id: &str,
    p: P,
    row: &Row,
    check: Check<P>,
    missing: &dyn Fn(&str, &str, Figure) -> String,
) -> Option<String> {
    let size = row.param.as_str();
    match check {
        Check::Fewer {
            figure,
            variant,
            than,
            factor,
        } => {
            let (Some(a), Some(b)) = (figure.of(row, variant), figure.of(row, than)) else {
                return Some(missing(variant, size, figure));
            };
            let ok = a < b && (a as f64) * factor <= b as f64;
            (!ok).then(|| {
                let by = if factor > 1.0 {
                    format!(" by at least {factor}x")
                } else {
                    String::new()
                };
                format!(
                    "{id}/{variant}/{size}: {} {}, expected fewer than {than}'s {}{by}",
                    figure.name(),
                    fmt(a),
                    fmt(b)
                )
            })
        }
        Check::NoBetter {
            figure,
            variant,
            than,
            fraction,
        } => {
            let (Some(a), Some(b)) = (figure.of(row, variant), figure.of(row, than)) else {
                return Some(missing(variant, size, figure));
            };
            ((a as f64) < fraction * b as f64).then(|| {
                format!(
                    "{id}/{variant}/{size}: {} {} against {than}'s {}, expected at least {:.0} % of it \
                     (the catalog says {variant} stops winning here)",
                    figure.name(),
                    fmt(a),
                    fmt(b),
                    fraction * 100.0
                )
            })
        }
        Check::Exactly {
            figure,
            variant,
            value,
        } => {
            let Some(a) = figure.of(row, variant) else {
                return Some(missing(variant, size, figure));
            };
            let want = value(p);
            (a != want).then(|| {
                format!(
                    "{id}/{variant}/{size}: {} {}, expected exactly {}",
                    figure.name(),
                    fmt(a),
                    fmt(want)
                )
            })
        }
        Check::SmallerLayout { .. } | Check::Grows { .. } => None,
    }
}
