//! Deterministic per-call counts: allocations (needs [`CountingAlloc`]
//! installed), the hint's own counters and its `size_of` figures.
//!
//! [`CountingAlloc`]: crate::measure::alloc_count::CountingAlloc

use crate::hint::{self, Hint, NoProbe, Variants};
use crate::measure::alloc_count::{self, AllocCounts};
use crate::measure::probe::Counting;
use crate::model::{HintRun, Param, Row, VariantFigures};

/// Counts one call of every variant of `H` at each of `sizes`, after one
/// uncounted warm-up call (lazy statics, first-touch effects).
///
/// # Panics
/// When the variants disagree on an input: a count of a wrong answer means nothing.
pub fn count<H: Hint>(sizes: &[H::Param]) -> HintRun {
    // Allocations are counted with the probe that counts nothing, as the
    // timed code runs; the counters come from one more call with a counting
    // probe, whose own bookkeeping then cannot show in the allocations.
    struct Allocations<'a, H: Hint>(&'a H::Input, Vec<VariantFigures>);
    impl<H: Hint> Variants<H> for Allocations<'_, H> {
        type Probe = NoProbe;
        fn variant<F: Fn(&H::Input, &NoProbe) -> H::Output>(&mut self, name: &'static str, f: F) {
            let allocs = if H::DETERMINISTIC {
                drop(std::hint::black_box(f(self.0, &NoProbe)));
                let (out, counts) =
                    alloc_count::measure(|| std::hint::black_box(f(self.0, &NoProbe)));
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
    struct Counters<'a, H: Hint>(&'a H::Input, &'a mut Vec<VariantFigures>);
    impl<H: Hint> Variants<H> for Counters<'_, H> {
        type Probe = Counting;
        fn variant<F: Fn(&H::Input, &Counting) -> H::Output>(&mut self, name: &'static str, f: F) {
            let probe = Counting::new();
            drop(std::hint::black_box(f(self.0, &probe)));
            if let Some(v) = self.1.iter_mut().find(|v| v.name == name) {
                v.counters.extend(
                    probe
                        .counters()
                        .into_iter()
                        .map(|(k, n)| (k.to_string(), n)),
                );
            }
        }
    }
    let counting = alloc_count::is_installed();
    let mut rows = Vec::new();
    for &size in sizes {
        let input = (H::INPUT)(size);
        if let Err(e) = hint::check_agreement::<H>(size, &input) {
            panic!("{e}");
        }
        let mut c = Allocations::<H>(&input, Vec::new());
        H::variants(&mut c);
        let mut variants = c.1;
        H::variants(&mut Counters::<H>(&input, &mut variants));
        if !counting {
            for v in &mut variants {
                v.allocs = None::<AllocCounts>;
            }
        }
        rows.push(Row::new(size.key(), variants));
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

/// The environment variable that names the binary callgrind runs for
/// `perf-hints counts` (by default the `perf-hints` binary itself).
pub const CALLGRIND_EXE: &str = "PERF_HINTS_CALLGRIND_EXE";

/// The counts of `pairs` (`hint:size` keys) from `exe counts`, the
/// `perf-hints` binary, which has the counting allocator the bench lacks;
/// callgrind counts the instructions in `timed`, the binary the bench
/// timed (its `exec` runs one call as `perf-hints exec` does), so they are
/// the timed code's.
///
/// The counts are deterministic for the two binaries, valgrind and set of
/// pairs, so they are kept in `cache` with a key made of those, and a run
/// of an unchanged build reuses them instead of spending a minute and a
/// half under callgrind again.
pub fn from_binary(
    exe: &std::path::Path,
    timed: &std::path::Path,
    pairs: &[String],
    cache: &std::path::Path,
) -> Result<Vec<HintRun>, String> {
    use std::hash::{Hash, Hasher};
    use std::process::{Command, Stdio};
    let read = |p: &std::path::Path| {
        std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
    };
    let binary = (read(exe)?, read(timed)?);
    let valgrind = Command::new("valgrind")
        .arg("--version")
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (binary, valgrind, pairs).hash(&mut h);
    let key = format!("{:016x}", h.finish());
    if let Ok(text) = std::fs::read_to_string(cache)
        && let Some((k, json)) = text.split_once('\n')
        && k == key
        && let Ok(runs) = serde_json::from_str(json)
    {
        eprintln!(
            "perf-hints: allocation and instruction counts of this build reused from {}",
            cache.display()
        );
        return Ok(runs);
    }
    eprintln!("perf-hints: counting allocations and instructions per call in a separate process");
    let out = Command::new(exe)
        .arg("counts")
        .args(pairs)
        .env(CALLGRIND_EXE, timed)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    if !out.status.success() {
        return Err(format!(
            "`{} counts` failed ({})",
            exe.display(),
            out.status
        ));
    }
    let json = String::from_utf8_lossy(&out.stdout).into_owned();
    let runs = serde_json::from_str(&json)
        .map_err(|e| format!("`{} counts` printed bad JSON: {e}", exe.display()))?;
    // A cache that cannot be written only costs the next run the counting.
    let _ = std::fs::write(cache, format!("{key}\n{}", json.replace('\n', " ")));
    Ok(runs)
}
