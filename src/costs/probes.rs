//! The functions that measure the cost table's rows: samples of
//! nanoseconds per operation, and what each measured on.

use std::hint::black_box;

use rand::Rng;
use rand::seq::{IndexedRandom, SliceRandom};

use crate::measure::machine::Caches;
use crate::measure::sampler::{Budget, paired_difference, robust, sample};

/// This machine's cache sizes in bytes (L1 data, L2, last level), with
/// common defaults where the OS does not tell; detected once per process.
fn caches() -> (usize, usize, usize) {
    static CACHES: std::sync::OnceLock<(usize, usize, usize)> = std::sync::OnceLock::new();
    *CACHES.get_or_init(|| {
        let c = Caches::detect();
        let bytes = |b: Option<u64>, default: usize| b.map_or(default, |b| b as usize);
        (
            bytes(c.l1d(), 32 << 10),
            bytes(c.l2(), 1 << 20),
            bytes(c.last_level(), 32 << 20),
        )
    })
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

pub fn l1_reference(budget: &Budget) -> (Vec<f64>, String) {
    let (l1, _, _) = caches();
    chase(budget, l1 / 4, true, 401)
}

pub fn l2_reference(budget: &Budget) -> (Vec<f64>, String) {
    let (_, l2, _) = caches();
    chase(budget, l2 / 2, false, 402)
}

/// The size past every cache: 4x the last-level cache, at least 256 MiB
/// and at most 1 GiB.
fn past_caches() -> usize {
    let (_, _, llc) = caches();
    (4 * llc).clamp(256 << 20, 1 << 30)
}

pub fn main_memory_reference(budget: &Budget) -> (Vec<f64>, String) {
    chase(budget, past_caches(), false, 403)
}

pub fn branch_mispredict(budget: &Budget) -> (Vec<f64>, String) {
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

pub fn mutex_uncontended(budget: &Budget) -> (Vec<f64>, String) {
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

pub fn rust_call(budget: &Budget) -> (Vec<f64>, String) {
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

pub fn snappy_1k(budget: &Budget) -> (Vec<f64>, String) {
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

pub fn loopback_round_trip(budget: &Budget) -> (Vec<f64>, String) {
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

pub fn read_1mb_memory(budget: &Budget) -> (Vec<f64>, String) {
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

pub fn hashmap_lookup(budget: &Budget) -> (Vec<f64>, String) {
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

pub fn vec_push(budget: &Budget) -> (Vec<f64>, String) {
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

pub fn string_alloc_small(budget: &Budget) -> (Vec<f64>, String) {
    let samples = sample(budget, || {
        for _ in 0..256 {
            black_box(String::from(black_box("hello world!")));
        }
        256
    });
    (samples, String::new())
}

pub fn arc_clone(budget: &Budget) -> (Vec<f64>, String) {
    let a = std::sync::Arc::new(42u64);
    let samples = sample(budget, || {
        for _ in 0..1024 {
            black_box(std::sync::Arc::clone(black_box(&a)));
        }
        1024
    });
    (samples, String::new())
}

pub fn tokio_spawn(budget: &Budget) -> (Vec<f64>, String) {
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

pub fn async_channel_send(budget: &Budget) -> (Vec<f64>, String) {
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
