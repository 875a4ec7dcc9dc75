//! `python_batching`'s entry in the registry: its sizes, variants and what
//! its figures must show.

use std::sync::OnceLock;

#[cfg(feature = "python")]
use super::{Input, Scores, bad, buffer, good, held, view};
use super::{BATCH, HEAVY, LIGHT, Shape};
use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure};
use crate::judge::predict::Prediction;
use crate::support::threads::thread_counts;

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "python_batching";
    const TOPIC: Topic = Topic::Boundary;
    const SOURCES: &'static [SourcePoint] = &[
        sources::BOUNDARY_BATCH,
        sources::RELEASE_GIL,
        sources::ZERO_COPY,
    ];
    const SIZE: &'static str = "Python threads, batch, work per item";
    const CLAIM: &'static str =
        "10K per-item calls cost ~2-5 ms of overhead alone; one batched call is ~10-50x faster";
    /// Thread timing decides the work at 2 threads (the GIL's hand-offs), so
    /// instruction counts would not repeat there: judged on exact boundary
    /// counters instead (one-thread callgrind counts do repeat; see the doc).
    const DETERMINISTIC: bool = false;
    const FEATURE: Option<&'static str> = Some("python");
    const ENABLED: bool = cfg!(feature = "python");

    type Param = Shape;
    #[cfg(feature = "python")]
    type Input = Input;
    #[cfg(not(feature = "python"))]
    type Input = ();
    #[cfg(feature = "python")]
    type Output = Scores;
    #[cfg(not(feature = "python"))]
    type Output = ();

    /// One thread: light work at batches of 1 to 10,000, then heavy work at
    /// 10,000. More threads: 10,000 items split between them, light and heavy.
    fn sizes() -> &'static [Shape] {
        static SIZES: OnceLock<Vec<Shape>> = OnceLock::new();
        SIZES.get_or_init(|| {
            let mut sizes = Vec::new();
            for threads in thread_counts() {
                let shape = |rounds, batch| Shape {
                    threads,
                    rounds,
                    batch,
                };
                if threads == 1 {
                    sizes.extend([1, 10, 100].map(|b| shape(LIGHT, b)));
                }
                sizes.extend([shape(LIGHT, BATCH), shape(HEAVY, BATCH)]);
            }
            sizes
        })
    }

    #[cfg(feature = "python")]
    const INPUT: fn(Shape) -> Input = |size| Input::new(size);

    #[cfg(not(feature = "python"))]
    const INPUT: fn(Shape) = |_size| {};

    #[cfg(feature = "python")]
    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Input, p| bad(i, p));
        v.variant("good", |i: &Input, p| good(i, p));
        v.variant("held", |i: &Input, p| held(i, p));
        v.variant("buffer", |i: &Input, p| buffer(i, p));
        v.variant("view", |i: &Input, p| view(i, p));
    }

    /// Without the `python` feature there is nothing to run.
    #[cfg(not(feature = "python"))]
    fn variants<V: Variants<Self>>(_v: &mut V) {}

    fn expect() -> Vec<Expect<Shape>> {
        let calls = Figure::Counter("calls into Rust");
        let releases = Figure::Counter("GIL releases");
        let items = Figure::Counter("items scored");
        let copied = Figure::Counter("buffer bytes copied");
        vec![
            expect::exactly(calls, "bad", |s| s.batch as u64),
            expect::exactly(calls, "good", |s| s.threads as u64),
            expect::exactly(calls, "held", |s| s.threads as u64),
            expect::exactly(releases, "bad", |_| 0),
            expect::exactly(releases, "good", |s| s.threads as u64),
            expect::exactly(releases, "held", |_| 0),
            expect::exactly(items, "bad", |s| s.batch as u64),
            expect::exactly(items, "good", |s| s.batch as u64),
            expect::exactly(items, "held", |s| s.batch as u64),
            expect::exactly(calls, "buffer", |s| s.threads as u64),
            expect::exactly(releases, "buffer", |s| s.threads as u64),
            expect::exactly(items, "buffer", |s| s.batch as u64),
            expect::exactly(calls, "view", |s| s.threads as u64),
            expect::exactly(releases, "view", |_| 0),
            expect::exactly(items, "view", |s| s.batch as u64),
            expect::exactly(copied, "buffer", |s| 8 * s.batch as u64),
            expect::exactly(copied, "view", |_| 0),
        ]
    }

    /// One item: one call either way, and the batched variants build a list
    /// or an array for it: level or slower. From 10 items the per-call cost
    /// is paid once instead of per item: faster (`buffer`'s array costs a
    /// fixed amount, so at 10 items level is allowed too). At the claim's
    /// 10,000 items of light work: the sources' "10-50x" for every batched
    /// variant; with heavy work the Rust work dominates: faster.
    /// The sources' "~10-50x faster" is for a large batch of light calls;
    /// elsewhere, only faster.
    fn claimed(s: Shape) -> Option<Prediction> {
        let good = Prediction::faster("good");
        Some(if s.batch >= BATCH && s.rounds == LIGHT { good.by(10.0) } else { good })
    }

    fn predict(s: Shape) -> Vec<Prediction> {
        let batched = |v: &'static str| match (s.batch, s.rounds) {
            (0..=1, _) => Prediction::level(v).or_slower(),
            (2..=10, _) if matches!(v, "buffer" | "view") => Prediction::faster(v).or_level(),
            (BATCH.., LIGHT) => Prediction::faster(v).by(10.0),
            _ => Prediction::faster(v),
        };
        vec![
            batched("good"),
            batched("held"),
            batched("buffer"),
            batched("view"),
        ]
    }
}
