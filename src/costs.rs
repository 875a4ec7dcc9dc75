//! The seeds' cost table, measured on the machine at hand.
//!
//! Seed 000 builds its advice on a back-of-the-envelope table of latencies:
//! an L1 reference 0.5 ns, a branch mispredict 5 ns, an uncontended mutex
//! 15 ns, main memory 50 ns, a `tokio::spawn` 200-500 ns, and so on.
//! [`PRIMITIVES`] lists every row of those tables: the ones this crate can
//! measure honestly with the method each figure needs, and the ones it
//! cannot (a device behind the page cache, a network between machines, a
//! third-party service), with the reason. [`measure`] times the measurable ones; a full `cargo bench`
//! records them with the run, and `cargo run --release --example cost_table`
//! prints them for the machine at hand in a few seconds.
//!
//! Every primitive returns a figure per sample that depends on work the
//! optimiser cannot delete (a dependent chain, or a value passed through
//! [`black_box`]), and the rows that are differences (a mispredict, a
//! call) take both arms in the same sample, alternating which goes first,
//! as the hints' pairs do.

use std::hint::black_box;
use std::time::{Duration, Instant};

use rand::Rng;
use rand::seq::{IndexedRandom, SliceRandom};

use crate::measure::paired::t95;
use crate::model::{CostRow, Estimate};

/// What the seed says a primitive costs, in nanoseconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Seed {
    /// One figure ("about"): within a factor of 2 either way counts as
    /// agreeing with it, the precision an order-of-magnitude table claims.
    About(f64),
    /// A range, as the seed gives it.
    Range(f64, f64),
}

impl Seed {
    /// The range a measurement must fall in to agree with the seed.
    pub fn bounds(self) -> (f64, f64) {
        match self {
            Seed::About(x) => (x / 2.0, x * 2.0),
            Seed::Range(a, b) => (a, b),
        }
    }

    /// The seed's central figure: the one given, or a range's geometric middle.
    pub fn centre(self) -> f64 {
        match self {
            Seed::About(x) => x,
            Seed::Range(a, b) => (a * b).sqrt(),
        }
    }

    /// As the seed writes it: `0.5 ns`, `200-500 ns`, `64 µs`.
    pub fn text(self) -> String {
        match self {
            Seed::About(x) => {
                let (v, unit) = crate::support::fmt::ns_unit(x);
                format!("{} {unit}", trim(v))
            }
            Seed::Range(a, b) => {
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

/// Which of the seed's tables a row comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    Reference,
    Rust,
    Python,
}

impl Table {
    pub fn title(self) -> &'static str {
        match self {
            Table::Reference => "Reference latency table",
            Table::Rust => "Rust-specific costs",
            Table::Python => "Python-specific costs",
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

/// One row of the seed's tables.
#[derive(Clone, Copy)]
pub struct Primitive {
    /// A stable id, the key in records.
    pub id: &'static str,
    /// The seed's words for it.
    pub what: &'static str,
    pub table: Table,
    pub seed: Seed,
    pub how: How,
}

/// How long to measure: samples, and the time each takes.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    pub samples: usize,
    pub per_sample: Duration,
}

impl Budget {
    /// What a full `cargo bench` spends: 11 samples of 40 ms per row.
    pub const FULL: Budget = Budget {
        samples: 11,
        per_sample: Duration::from_millis(40),
    };
    /// The example's first look: 7 samples of 15 ms.
    pub const QUICK: Budget = Budget {
        samples: 7,
        per_sample: Duration::from_millis(15),
    };
}

const NS: f64 = 1.0;
const US: f64 = 1e3;
const MS: f64 = 1e6;

/// Every row of the seed's three tables, in the seed's order.
pub const PRIMITIVES: &[Primitive] = &[
    Primitive {
        id: "l1_reference",
        what: "L1 cache reference",
        table: Table::Reference,
        seed: Seed::About(0.5 * NS),
        how: How::Measured(
            "dependent loads chasing a random cycle through a quarter of the L1 data cache",
            l1_reference,
        ),
    },
    Primitive {
        id: "l2_reference",
        what: "L2 cache reference",
        table: Table::Reference,
        seed: Seed::About(3.0 * NS),
        how: How::Measured(
            "dependent loads chasing a random cycle of cache lines through half the L2 cache",
            l2_reference,
        ),
    },
    Primitive {
        id: "branch_mispredict",
        what: "Branch mispredict",
        table: Table::Reference,
        seed: Seed::About(5.0 * NS),
        how: How::Measured(
            "`branch_predictability`'s filter on 256 KiB of random bytes against the same bytes sorted, paired; the difference per byte over 0.5 (half the random branches miss; smaller inputs are learnt by the predictor when repeated)",
            branch_mispredict,
        ),
    },
    Primitive {
        id: "mutex_uncontended",
        what: "Mutex lock/unlock (uncontended)",
        table: Table::Reference,
        seed: Seed::About(15.0 * NS),
        how: How::Measured(
            "`std::sync::Mutex<u64>`: lock, add, unlock, one thread",
            mutex_uncontended,
        ),
    },
    Primitive {
        id: "main_memory_reference",
        what: "Main memory reference",
        table: Table::Reference,
        seed: Seed::About(50.0 * NS),
        how: How::Measured(
            "dependent loads chasing a random cycle of cache lines through 4x the last-level cache (at least 256 MiB)",
            main_memory_reference,
        ),
    },
    Primitive {
        id: "python_call",
        what: "Python function call overhead",
        table: Table::Reference,
        seed: Seed::Range(50.0 * NS, 100.0 * NS),
        how: How::Feature(
            "python",
            "`f(1)` of a one-line Python function, 1,000 times in a Python loop, less the empty loop; the interpreter the `python` feature embeds",
        ),
    },
    Primitive {
        id: "rust_call",
        what: "Rust function call (non-inlined)",
        table: Table::Reference,
        seed: Seed::Range(1.0 * NS, 10.0 * NS),
        how: How::Measured(
            "a dependent chain of calls to an `#[inline(never)]` function whose body is one add and one shift: time per call, body included",
            rust_call,
        ),
    },
    Primitive {
        id: "gil_acquire_release",
        what: "PyO3 GIL acquire/release",
        table: Table::Reference,
        seed: Seed::Range(100.0 * NS, 500.0 * NS),
        how: How::Feature(
            "python",
            "`Python::attach` (PyO3's GIL acquire and release) from a Rust thread that holds nothing; the interpreter the `python` feature embeds",
        ),
    },
    Primitive {
        id: "snappy_1k",
        what: "Compress 1K bytes with Snappy",
        table: Table::Reference,
        seed: Seed::About(1.0 * US),
        how: How::Measured(
            "`snap::raw::Encoder` on 1 KiB of words drawn from a 64-word vocabulary",
            snappy_1k,
        ),
    },
    Primitive {
        id: "ssd_4k",
        what: "Read 4KB from SSD",
        table: Table::Reference,
        seed: Seed::About(20.0 * US),
        how: How::NotMeasured(
            "a file a benchmark has just written (or read before) is served by the page cache, or a virtual disk's host cache, so the device is never reached; measuring it needs a cold device and root to drop the caches",
        ),
    },
    Primitive {
        id: "datacenter_round_trip",
        what: "Round trip within same datacenter (measured as loopback TCP)",
        table: Table::Reference,
        seed: Seed::About(50.0 * US),
        how: How::Measured(
            "one byte to an echo thread and back over a connected loopback TCP socket (127.0.0.1, TCP_NODELAY): the kernel's share of a round trip, without a wire",
            loopback_round_trip,
        ),
    },
    Primitive {
        id: "read_1mb_memory",
        what: "Read 1MB sequentially from memory",
        table: Table::Reference,
        seed: Seed::About(64.0 * US),
        how: How::Measured(
            "summing 1 MiB of `u64`s, each sample a different MiB of a buffer 4x the last-level cache (at least 256 MiB)",
            read_1mb_memory,
        ),
    },
    Primitive {
        id: "network_1mb",
        what: "Read 1MB over 100 Gbps network",
        table: Table::Reference,
        seed: Seed::About(100.0 * US),
        how: How::NotMeasured("needs a 100 Gbps link between two machines"),
    },
    Primitive {
        id: "ssd_1mb",
        what: "Read 1MB from SSD",
        table: Table::Reference,
        seed: Seed::About(1.0 * MS),
        how: How::NotMeasured(
            "the page cache answers, as for the 4KB read; needs a cold device and root to drop the caches",
        ),
    },
    Primitive {
        id: "disk_seek",
        what: "Disk seek",
        table: Table::Reference,
        seed: Seed::About(5.0 * MS),
        how: How::NotMeasured(
            "needs a spinning disk, read past the page cache (a cold device and root to drop the caches)",
        ),
    },
    Primitive {
        id: "disk_1mb",
        what: "Read 1MB sequentially from disk",
        table: Table::Reference,
        seed: Seed::About(10.0 * MS),
        how: How::NotMeasured(
            "needs a spinning disk, read past the page cache (a cold device and root to drop the caches)",
        ),
    },
    Primitive {
        id: "packet_ca_nl",
        what: "Send packet CA→Netherlands→CA",
        table: Table::Reference,
        seed: Seed::About(150.0 * MS),
        how: How::NotMeasured(
            "needs a host on another continent to echo the packet; a benchmark cannot count on one",
        ),
    },
    Primitive {
        id: "py_dict_lookup",
        what: "dict lookup",
        table: Table::Python,
        seed: Seed::Range(20.0 * NS, 50.0 * NS),
        how: How::Feature(
            "python",
            "`d[500]` in a dict of 1,000 int keys, in a Python loop, less the empty loop",
        ),
    },
    Primitive {
        id: "py_list_append",
        what: "list.append",
        table: Table::Python,
        seed: Seed::Range(20.0 * NS, 40.0 * NS),
        how: How::Feature(
            "python",
            "`l.append(1)` in a Python loop, less the empty loop",
        ),
    },
    Primitive {
        id: "py_getattr",
        what: "getattr on object",
        table: Table::Python,
        seed: Seed::Range(50.0 * NS, 100.0 * NS),
        how: How::Feature(
            "python",
            "`getattr(o, 'x')` of an instance attribute, in a Python loop, less the empty loop",
        ),
    },
    Primitive {
        id: "py_isinstance",
        what: "isinstance check",
        table: Table::Python,
        seed: Seed::Range(30.0 * NS, 60.0 * NS),
        how: How::Feature(
            "python",
            "`isinstance(x, int)` in a Python loop, less the empty loop",
        ),
    },
    Primitive {
        id: "py_json_1k",
        what: "JSON parse (stdlib) 1KB",
        table: Table::Python,
        seed: Seed::Range(50.0 * US, 100.0 * US),
        how: How::Feature(
            "python",
            "`json.loads` of about 1 KiB of objects, in a Python loop, less the empty loop",
        ),
    },
    Primitive {
        id: "py_msgspec_1k",
        what: "msgspec parse 1KB",
        table: Table::Python,
        seed: Seed::Range(5.0 * US, 15.0 * US),
        how: How::NotMeasured(
            "msgspec is a third-party package; the Python rows use only the standard library, so they run wherever `--features python` builds",
        ),
    },
    Primitive {
        id: "django_query",
        what: "Django ORM query (simple)",
        table: Table::Python,
        seed: Seed::Range(1.0 * MS, 10.0 * MS),
        how: How::NotMeasured(
            "needs a Django project and a database server, which a benchmark cannot count on",
        ),
    },
    Primitive {
        id: "django_async_query",
        what: "Django ORM async query",
        table: Table::Python,
        seed: Seed::Range(0.5 * MS, 5.0 * MS),
        how: How::NotMeasured(
            "needs a Django project and a database server, which a benchmark cannot count on",
        ),
    },
    Primitive {
        id: "hashmap_lookup",
        what: "HashMap lookup",
        table: Table::Rust,
        seed: Seed::Range(10.0 * NS, 30.0 * NS),
        how: How::Measured(
            "`std::collections::HashMap<u64, u64>` (SipHash) of 1,000 entries, a hit on a random key each time",
            hashmap_lookup,
        ),
    },
    Primitive {
        id: "vec_push",
        what: "Vec push (no realloc)",
        table: Table::Rust,
        seed: Seed::Range(2.0 * NS, 10.0 * NS),
        how: How::Measured(
            "`Vec<u64>::push` into capacity reserved beforehand, 4,096 pushes then `clear`",
            vec_push,
        ),
    },
    Primitive {
        id: "string_alloc_small",
        what: "String allocation (small)",
        table: Table::Rust,
        seed: Seed::Range(20.0 * NS, 50.0 * NS),
        how: How::Measured(
            "`String::from` of a 12-byte literal and its drop (one malloc and one free, glibc or the platform's allocator)",
            string_alloc_small,
        ),
    },
    Primitive {
        id: "arc_clone",
        what: "Arc clone",
        table: Table::Rust,
        seed: Seed::Range(10.0 * NS, 20.0 * NS),
        how: How::Measured(
            "`Arc::clone` and the clone's drop, one thread (two uncontended atomic read-modify-writes)",
            arc_clone,
        ),
    },
    Primitive {
        id: "tokio_spawn",
        what: "tokio task spawn",
        table: Table::Rust,
        seed: Seed::Range(200.0 * NS, 500.0 * NS),
        how: How::Measured(
            "`tokio::spawn` of an empty task on a one-worker multi-thread runtime, awaited in batches of 256 (the join included)",
            tokio_spawn,
        ),
    },
    Primitive {
        id: "async_channel_send",
        what: "async channel send",
        table: Table::Rust,
        seed: Seed::Range(50.0 * NS, 200.0 * NS),
        how: How::Measured(
            "`tokio::sync::mpsc` bounded channel (capacity 256): 256 sends then 256 receives on one task, per send (its receive included)",
            async_channel_send,
        ),
    },
];

/// The primitive with `id`.
pub fn get(id: &str) -> Option<&'static Primitive> {
    PRIMITIVES.iter().find(|p| p.id == id)
}

/// What a measurement says against the seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Agreement {
    /// Within the seed's range (a single figure: within 2x of it).
    Within,
    /// Cheaper than the seed's range.
    Cheaper,
    /// Dearer than the seed's range.
    Dearer,
}

impl Agreement {
    /// Where the point `ns` falls against `seed`.
    pub fn of(seed: Seed, ns: f64) -> Agreement {
        let (lo, hi) = seed.bounds();
        if ns < lo {
            Agreement::Cheaper
        } else if ns > hi {
            Agreement::Dearer
        } else {
            Agreement::Within
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Agreement::Within => "as the seed says",
            Agreement::Cheaper => "cheaper than the seed",
            Agreement::Dearer => "dearer than the seed",
        }
    }

    pub fn glyph(self) -> char {
        match self {
            Agreement::Within => '✓',
            Agreement::Cheaper => '↓',
            Agreement::Dearer => '↑',
        }
    }
}

/// The median of `xs` with a 95 % interval from their spread (the median
/// absolute deviation, as [`crate::measure::paired::across`] takes it),
/// on a linear scale, since a difference of two timings can be negative.
pub fn robust(xs: &[f64]) -> Option<Estimate> {
    let mut v: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let median = |s: &[f64]| {
        let n = s.len();
        if n % 2 == 1 {
            s[n / 2]
        } else {
            (s[n / 2 - 1] + s[n / 2]) / 2.0
        }
    };
    let m = median(&v);
    let mut dev: Vec<f64> = v.iter().map(|x| (x - m).abs()).collect();
    dev.sort_by(f64::total_cmp);
    let half = if n > 1 {
        t95(n - 1) * 1.2533 * 1.4826 * median(&dev) / (n as f64).sqrt()
    } else {
        0.0
    };
    Some(Estimate {
        point: m,
        lo: m - half,
        hi: m + half,
    })
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

/// Samples of nanoseconds per operation: `calls` of `f` per sample, with
/// `calls` chosen from a first timed call so that a sample takes about
/// `budget.per_sample`; `f` returns how many operations it did.
fn sample(budget: &Budget, mut f: impl FnMut() -> u64) -> Vec<f64> {
    let t = Instant::now();
    let ops = f().max(1);
    let once = t.elapsed().max(Duration::from_nanos(50));
    let calls = (budget.per_sample.as_nanos() / once.as_nanos()).clamp(1, 1 << 24) as u64;
    (0..budget.samples)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..calls {
                black_box(f());
            }
            t.elapsed().as_nanos() as f64 / (calls * ops) as f64
        })
        .collect()
}

/// Paired samples of `(b − a)` per operation: both arms in each sample, in
/// alternating order; each returns its operation count (the same for both).
fn paired_difference(
    budget: &Budget,
    mut a: impl FnMut() -> u64,
    mut b: impl FnMut() -> u64,
) -> Vec<f64> {
    let t = Instant::now();
    let ops = a().max(1);
    black_box(b());
    let once = t.elapsed().max(Duration::from_nanos(50));
    let calls = (budget.per_sample.as_nanos() / once.as_nanos()).clamp(1, 1 << 24) as u64;
    (0..budget.samples)
        .map(|k| {
            let time = |f: &mut dyn FnMut() -> u64| {
                let t = Instant::now();
                for _ in 0..calls {
                    black_box(f());
                }
                t.elapsed().as_nanos() as f64
            };
            let (ta, tb) = if k % 2 == 0 {
                let ta = time(&mut a);
                (ta, time(&mut b))
            } else {
                let tb = time(&mut b);
                (time(&mut a), tb)
            };
            (tb - ta) / (calls * ops) as f64
        })
        .collect()
}

/// This machine's cache sizes in bytes (L1 data, L2, last level), from what
/// a record would say, with common defaults where the OS does not tell;
/// detected once per process.
fn caches() -> (usize, usize, usize) {
    static CACHES: std::sync::OnceLock<(usize, usize, usize)> = std::sync::OnceLock::new();
    *CACHES.get_or_init(detect_caches)
}

fn detect_caches() -> (usize, usize, usize) {
    let m = crate::measure::machine::detect();
    let size = |level: &str| {
        m.caches.iter().find_map(|c| {
            let (l, s) = c.split_once(' ')?;
            if l != level {
                return None;
            }
            let (n, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit())?);
            let n: usize = n.parse().ok()?;
            Some(match unit {
                "K" => n << 10,
                "M" => n << 20,
                _ => n,
            })
        })
    };
    let l1 = size("L1d").unwrap_or(32 << 10);
    let l2 = size("L2").unwrap_or(1 << 20);
    let llc = size("L3").or(size("L2")).unwrap_or(32 << 20);
    (l1, l2, llc)
}

/// A random cyclic permutation of `n` slots spaced `stride` slots apart
/// (Sattolo's algorithm): following `next` from any slot visits them all
/// before returning, in an order no prefetcher can guess.
fn cycle(n: usize, stride: usize, stream: u64) -> Vec<u32> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut rng = crate::rng(stream);
    for i in (1..n).rev() {
        let j = rng.random_range(0..i);
        order.swap(i, j);
    }
    let mut next = vec![0u32; n * stride];
    for w in 0..n {
        let (from, to) = (order[w], order[(w + 1) % n]);
        next[from * stride] = (to * stride) as u32;
    }
    next
}

/// Nanoseconds per dependent load chasing a cycle over `bytes` of memory,
/// one slot per 64-byte line (or every 4 bytes when `dense`).
fn chase(budget: &Budget, bytes: usize, dense: bool, stream: u64) -> (Vec<f64>, String) {
    let stride = if dense { 1 } else { 16 };
    let n = (bytes / 4 / stride).max(2);
    let next = cycle(n, stride, stream);
    let mut at = 0u32;
    let steps = n.clamp(1024, 1 << 16) as u64;
    let samples = sample(budget, || {
        let mut i = at;
        for _ in 0..steps {
            i = next[i as usize];
        }
        at = black_box(i);
        steps
    });
    (
        samples,
        format!(
            "{} working set",
            crate::support::fmt::fmt_bytes(n * stride * 4).replace("KB", "kB")
        ),
    )
}

fn l1_reference(budget: &Budget) -> (Vec<f64>, String) {
    let (l1, _, _) = caches();
    chase(budget, l1 / 4, true, 401)
}

fn l2_reference(budget: &Budget) -> (Vec<f64>, String) {
    let (_, l2, _) = caches();
    chase(budget, l2 / 2, false, 402)
}

/// The size past every cache: 4x the last-level cache, at least 256 MiB
/// and at most 1 GiB.
fn past_caches() -> usize {
    let (_, _, llc) = caches();
    (4 * llc).clamp(256 << 20, 1 << 30)
}

fn main_memory_reference(budget: &Budget) -> (Vec<f64>, String) {
    chase(budget, past_caches(), false, 403)
}

fn branch_mispredict(budget: &Budget) -> (Vec<f64>, String) {
    use crate::hint::NoProbe;
    use crate::hints::branch_predictability as bp;
    let input = bp::input(256 << 10);
    let n = input.random.len() as u64;
    let samples = paired_difference(
        budget,
        || {
            black_box(bp::good(black_box(&input), &NoProbe));
            n
        },
        || {
            black_box(bp::bad(black_box(&input), &NoProbe));
            n
        },
    );
    // Half the random bytes take the other way from the one before: each
    // such byte is a likely miss, so the difference per byte is half a miss.
    (
        samples.into_iter().map(|d| d / 0.5).collect(),
        String::new(),
    )
}

fn mutex_uncontended(budget: &Budget) -> (Vec<f64>, String) {
    let m = std::sync::Mutex::new(0u64);
    let samples = sample(budget, || {
        for _ in 0..1024 {
            *black_box(&m).lock().unwrap() += 1;
        }
        1024
    });
    (samples, String::new())
}

/// One step of a dependent chain, kept out of line: a call and a return
/// around one add and one shift.
#[inline(never)]
fn step_call(x: u64) -> u64 {
    x.wrapping_add(x >> 7)
}

/// The same step, inlined.
#[inline(always)]
fn step_inline(x: u64) -> u64 {
    x.wrapping_add(x >> 7)
}

/// A dependent chain of `n` steps through `step` (generic, so a step that
/// may be inlined is, and one that may not is a direct call).
#[inline(always)]
fn chain(n: u64, step: impl Fn(u64) -> u64) -> u64 {
    let mut x = black_box(1u64);
    for _ in 0..n {
        x = step(x);
    }
    black_box(x)
}

fn rust_call(budget: &Budget) -> (Vec<f64>, String) {
    const N: u64 = 4096;
    let call = sample(budget, || {
        chain(N, step_call);
        N
    });
    let inline = sample(budget, || {
        chain(N, step_inline);
        N
    });
    let inline = robust(&inline).map_or(f64::NAN, |e| e.point);
    (
        call,
        format!(
            "the same chain inlined: {} a step",
            crate::support::fmt::fmt_ns(inline)
        ),
    )
}

fn snappy_1k(budget: &Budget) -> (Vec<f64>, String) {
    const WORDS: &[&str] = &[
        "the", "of", "and", "a", "to", "in", "is", "you", "that", "it", "he", "was", "for", "on",
        "are", "as", "with", "his", "they", "at", "be", "this", "have", "from", "or", "one", "had",
        "by", "word", "but", "not", "what", "all", "were", "we", "when", "your", "can", "said",
        "there", "use", "an", "each", "which", "she", "do", "how", "their", "if", "will", "up",
        "other", "about", "out", "many", "then", "them", "these", "so", "some", "her", "would",
        "make", "like",
    ];
    let mut rng = crate::rng(404);
    let mut text = String::new();
    while text.len() < 1024 {
        text.push_str(WORDS.choose(&mut rng).expect("not empty"));
        text.push(' ');
    }
    text.truncate(1024);
    let mut enc = snap::raw::Encoder::new();
    let mut out = vec![0u8; snap::raw::max_compress_len(text.len())];
    let mut size = 0;
    let samples = sample(budget, || {
        size = enc
            .compress(black_box(text.as_bytes()), &mut out)
            .expect("the buffer is max_compress_len");
        black_box(&out);
        1
    });
    (samples, format!("1 KiB to {size} bytes"))
}

fn loopback_round_trip(budget: &Budget) -> (Vec<f64>, String) {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    let listener = TcpListener::bind("127.0.0.1:0").expect("loopback");
    let addr = listener.local_addr().expect("bound");
    let echo = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().expect("one client");
        s.set_nodelay(true).ok();
        let mut b = [0u8; 1];
        while s.read_exact(&mut b).is_ok() {
            if s.write_all(&b).is_err() {
                break;
            }
        }
    });
    let mut c = TcpStream::connect(addr).expect("loopback");
    c.set_nodelay(true).ok();
    let mut b = [7u8; 1];
    let samples = sample(budget, || {
        c.write_all(&b).expect("echo alive");
        c.read_exact(&mut b).expect("echo alive");
        1
    });
    drop(c);
    echo.join().ok();
    (samples, String::new())
}

fn read_1mb_memory(budget: &Budget) -> (Vec<f64>, String) {
    const MIB: usize = 1 << 20;
    let words = past_caches() / 8;
    let buf: Vec<u64> = (0..words as u64).collect();
    let chunks = words / (MIB / 8);
    let mut k = 0;
    // One MiB per call, a different one each time round the buffer.
    let samples = sample(budget, || {
        let start = (k % chunks) * (MIB / 8);
        k += 1;
        let s: u64 = buf[start..start + MIB / 8]
            .iter()
            .fold(0u64, |a, &x| a.wrapping_add(x));
        black_box(s);
        1
    });
    (
        samples,
        format!("of a {} buffer", crate::support::fmt::fmt_bytes(words * 8)),
    )
}

fn hashmap_lookup(budget: &Budget) -> (Vec<f64>, String) {
    let mut rng = crate::rng(405);
    let keys: Vec<u64> = (0..1000).map(|_| rng.random()).collect();
    let map: std::collections::HashMap<u64, u64> = keys.iter().map(|&k| (k, k ^ 1)).collect();
    let mut probes = keys.clone();
    probes.shuffle(&mut rng);
    let samples = sample(budget, || {
        let mut s = 0u64;
        for k in &probes {
            s = s.wrapping_add(map[black_box(k)]);
        }
        black_box(s);
        probes.len() as u64
    });
    (samples, String::new())
}

fn vec_push(budget: &Budget) -> (Vec<f64>, String) {
    let mut v: Vec<u64> = Vec::with_capacity(4096);
    let samples = sample(budget, || {
        v.clear();
        for i in 0..4096u64 {
            v.push(black_box(i));
        }
        black_box(&v);
        4096
    });
    (samples, String::new())
}

fn string_alloc_small(budget: &Budget) -> (Vec<f64>, String) {
    let samples = sample(budget, || {
        for _ in 0..256 {
            black_box(String::from(black_box("hello world!")));
        }
        256
    });
    (samples, String::new())
}

fn arc_clone(budget: &Budget) -> (Vec<f64>, String) {
    let a = std::sync::Arc::new(42u64);
    let samples = sample(budget, || {
        for _ in 0..1024 {
            black_box(std::sync::Arc::clone(black_box(&a)));
        }
        1024
    });
    (samples, String::new())
}

fn tokio_spawn(budget: &Budget) -> (Vec<f64>, String) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .build()
        .expect("a runtime");
    let samples = sample(budget, || {
        rt.block_on(async {
            let handles: Vec<_> = (0..256u64)
                .map(|i| tokio::spawn(async move { black_box(i) }))
                .collect();
            for h in handles {
                black_box(h.await.expect("the task ran"));
            }
        });
        256
    });
    (samples, String::new())
}

fn async_channel_send(budget: &Budget) -> (Vec<f64>, String) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let (tx, mut rx) = tokio::sync::mpsc::channel::<u64>(256);
    let samples = sample(budget, || {
        rt.block_on(async {
            for i in 0..256u64 {
                tx.send(black_box(i)).await.expect("the receiver lives");
            }
            for _ in 0..256 {
                black_box(rx.recv().await);
            }
        });
        256
    });
    (samples, String::new())
}

#[cfg(feature = "python")]
mod python {
    //! The Python rows, through the interpreter the `python` feature embeds.

    use super::{Budget, sample};
    use pyo3::prelude::*;
    use std::ffi::CString;

    /// Nanoseconds per operation of a Python statement `stmt` run `n` times
    /// in a loop (after `setup`), less the same loop with `pass`.
    fn timeit(budget: &Budget, setup: &str, stmt: &str) -> Vec<f64> {
        Python::attach(|py| {
            let code = CString::new(format!(
                "{setup}\ndef _run(n):\n    for _ in range(n):\n        {stmt}\ndef _empty(n):\n    for _ in range(n):\n        pass\n"
            ))
            .expect("no NUL");
            let globals = pyo3::types::PyDict::new(py);
            py.run(&code, Some(&globals), None).expect("the setup runs");
            let run = globals.get_item("_run").ok().flatten().expect("defined");
            let empty = globals.get_item("_empty").ok().flatten().expect("defined");
            const N: u64 = 1000;
            let full = sample(budget, || {
                run.call1((N,)).expect("runs");
                N
            });
            let base = sample(budget, || {
                empty.call1((N,)).expect("runs");
                N
            });
            full.iter().zip(&base).map(|(f, b)| f - b).collect()
        })
    }

    pub fn measure(id: &str, budget: &Budget) -> Option<(Vec<f64>, String)> {
        crate::hints::python_batching::start_interpreter();
        Some(match id {
            "python_call" => (
                timeit(budget, "def f(x):\n    return x", "f(1)"),
                String::new(),
            ),
            "gil_acquire_release" => (
                sample(budget, || {
                    for _ in 0..256 {
                        Python::attach(|py| {
                            std::hint::black_box(py);
                        });
                    }
                    256
                }),
                String::new(),
            ),
            "py_dict_lookup" => (
                timeit(budget, "d = {i: i for i in range(1000)}", "d[500]"),
                String::new(),
            ),
            "py_list_append" => (timeit(budget, "l = []", "l.append(1)"), String::new()),
            "py_getattr" => (
                timeit(
                    budget,
                    "class C:\n    def __init__(self):\n        self.x = 1\no = C()",
                    "getattr(o, 'x')",
                ),
                String::new(),
            ),
            "py_isinstance" => (timeit(budget, "x = 1", "isinstance(x, int)"), String::new()),
            "py_json_1k" => (
                timeit(
                    budget,
                    "import json\ns = json.dumps([{'id': i, 'name': 'item%d' % i, 'ok': True} for i in range(28)])[:1024]\ns = s[:s.rfind('},') + 1] + ']'",
                    "json.loads(s)",
                ),
                String::new(),
            ),
            _ => return None,
        })
    }
}
