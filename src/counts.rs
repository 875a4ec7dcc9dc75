//! Deterministic per-call counts: allocations (needs [`CountingAlloc`]
//! installed), the hint's own counters and its `size_of` figures.
//!
//! [`CountingAlloc`]: crate::alloc_count::CountingAlloc

use crate::alloc_count::{self, AllocCounts};
use crate::hint::{self, Hint, Variants};
use crate::report::{HintRun, Row, VariantFigures};

/// Counts one call of every variant of `H` at each of `sizes`, after one
/// uncounted warm-up call (lazy statics, first-touch effects).
///
/// # Panics
/// When the variants disagree on an input: a count of a wrong answer means nothing.
pub fn count<H: Hint>(sizes: &[usize]) -> HintRun {
    struct Counting<'a, H: Hint>(&'a H::Input, Vec<VariantFigures>);
    impl<H: Hint> Variants<H> for Counting<'_, H> {
        fn variant<F: Fn(&H::Input) -> H::Output>(&mut self, name: &'static str, f: F) {
            let allocs = if H::DETERMINISTIC {
                drop(std::hint::black_box(f(self.0)));
                let (out, counts) = alloc_count::measure(|| std::hint::black_box(f(self.0)));
                drop(out);
                Some(counts)
            } else {
                None
            };
            self.1.push(VariantFigures {
                name: name.to_string(),
                allocs,
                ..VariantFigures::default()
            });
        }
    }
    let counting = alloc_count::is_installed();
    let mut rows = Vec::new();
    for &size in sizes {
        let input = H::input(size);
        if let Err(e) = hint::check_agreement::<H>(size, &input) {
            panic!("{e}");
        }
        let mut c = Counting::<H>(&input, Vec::new());
        H::variants(&mut c);
        let mut variants = c.1;
        if !counting {
            for v in &mut variants {
                v.allocs = None::<AllocCounts>;
            }
        }
        for counter in H::counters(&input) {
            if let Some(v) = variants.iter_mut().find(|v| v.name == counter.variant) {
                v.counters.insert(counter.name.to_string(), counter.value);
            }
        }
        rows.push(Row { size, variants });
    }
    HintRun {
        id: H::ID.to_string(),
        size_label: H::SIZE.to_string(),
        claim: H::CLAIM.to_string(),
        layout: H::layout()
            .into_iter()
            .map(|(what, n)| (what.to_string(), n))
            .collect(),
        rows,
    }
}

/// Deterministic figures for the hints and sizes in `wanted` (`id`, `size`):
/// allocations, counters and layout in this process, and, when
/// `instructions` is set, callgrind counts from `exe exec ...` children.
pub fn collect(
    wanted: &[(String, usize)],
    instructions: Option<&std::path::Path>,
) -> Result<Vec<HintRun>, String> {
    use crate::callgrind::{self, Job};
    use crate::hint::EachHint;

    for (id, _) in wanted {
        crate::hints::runnable(id)?;
    }
    struct Count<'a> {
        wanted: &'a [(String, usize)],
        runs: Vec<HintRun>,
        jobs: Vec<Job>,
    }
    impl EachHint for Count<'_> {
        fn hint<H: Hint>(&mut self) {
            let sizes: Vec<usize> = self
                .wanted
                .iter()
                .filter(|(id, _)| id == H::ID)
                .map(|(_, s)| *s)
                .collect();
            if sizes.is_empty() {
                return;
            }
            eprintln!("perf-hints: counting {} at {} sizes", H::ID, sizes.len());
            self.runs.push(count::<H>(&sizes));
            if H::DETERMINISTIC {
                for &size in &sizes {
                    for variant in hint::variant_names::<H>() {
                        self.jobs.push(Job {
                            id: H::ID,
                            variant,
                            size,
                            cache_sim: H::CACHE_SIM,
                        });
                    }
                }
            }
        }
    }
    let mut c = Count {
        wanted,
        runs: Vec::new(),
        jobs: Vec::new(),
    };
    crate::hints::for_each(&mut c);
    let Some(exe) = instructions else {
        return Ok(c.runs);
    };
    let dir = exe
        .parent()
        .and_then(|p| p.parent())
        .map_or_else(std::env::temp_dir, |t| {
            t.join("perf-hints").join("callgrind")
        });
    let results = callgrind::count_all(exe, &dir, &c.jobs);
    for (job, result) in c.jobs.iter().zip(results) {
        let cg = result?;
        let v = c
            .runs
            .iter_mut()
            .find(|r| r.id == job.id)
            .and_then(|r| r.rows.iter_mut().find(|row| row.size == job.size))
            .and_then(|row| row.variants.iter_mut().find(|v| v.name == job.variant))
            .expect("every job comes from a counted row");
        v.cg = Some(cg);
    }
    Ok(c.runs)
}
