//! # Struct of arrays for scans over a few fields (`soa_vs_aos`)
//!
//! ## Cost model
//! A `Vec<Particle>` (array of structs, AoS) stores each particle's eight
//! `f64` fields together: 64 bytes, one cache line per particle. A loop that
//! reads one field still pulls every line through the caches, so it moves 64
//! bytes from memory for 8 bytes it uses. Once the data is larger than the
//! last-level cache, bytes moved is what such a scan costs.
//!
//! ## The fix
//! Store one `Vec` per field (struct of arrays, SoA). A loop over `k` fields
//! reads `k` dense arrays, `8 × k` bytes per particle, each a plain stream
//! for the prefetcher (and for SIMD, which these fixed-order `f64` sums do
//! not use).
//!
//! Here the job sums the first `k` fields of 2 million particles (128 MB per
//! layout, past a 32 MB L3), and the size is `k`, the
//! number of fields the job reads: 1, 2, 4 or all 8. Both variants add in the
//! same order, with four running sums so that the additions' latency does not
//! hide the memory traffic, and return the same `f64` to the bit.
//!
//! ## When it does not help
//! When the job uses the whole record, AoS reads the same bytes as SoA, in
//! one stream instead of eight: the gap closes (at `k` = 8 here). A job that
//! visits single particles in random order and uses all their fields would
//! favour AoS, one cache line per particle against eight (not measured
//! here). SoA also makes adding, removing or passing around one particle
//! clumsier (eight pushes, no `&Particle`). When the data fits in cache, the
//! layout matters much less.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: cache misses per field read. A loop that reads one field of a
//! large array of structs shows last-level misses (and bytes moved) in
//! proportion to the whole struct: the D1 and LL columns of `cargo bench --
//! soa_vs_aos/`.
//!
//! ## Claim
//! Contiguous per-field arrays: a scan reads only the fields it uses (the
//! sources: a numeric array holds 8 bytes per value where a list of boxed
//! floats takes about 28); when the whole record is needed, AoS is fine.
//!
//! ## Measured
//! The counts in the table below come from `cargo run --release -- validate
//! soa_vs_aos` (identical on every run of the same binary; caches simulated
//! with an 8 MiB last level and 64-byte lines). Neither layout allocates.
//! `bad` misses the last level once per particle whatever `k` is: every line
//! is read, whatever the job uses. `good` misses `k` eighths as often, and at
//! `k` = 8 as often as AoS. Instructions are close, and somewhat lower for
//! SoA: the difference is bytes moved, not code, and the misses are what the
//! table's times weigh; with the whole record the two layouts move the same
//! bytes.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- soa_vs_aos/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/soa_vs_aos.md"))]

use rand::Rng;

use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::judge::predict::Prediction;
use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};

/// Particles per call: 128 MB in either layout.
pub const PARTICLES: usize = 2_000_000;
/// Fields per particle.
pub const FIELDS: usize = 8;
/// Running sums per scan: enough that the additions keep up with memory.
const LANES: usize = 4;

/// One particle, all fields together: 64 bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Particle {
    pub x: f64,
    pub y: f64,
    pub z: f64,
    pub vx: f64,
    pub vy: f64,
    pub vz: f64,
    pub mass: f64,
    pub charge: f64,
}

impl Particle {
    /// Field `j` in declaration order; with a constant `j` this compiles to one load.
    #[inline(always)]
    fn field(&self, j: usize) -> f64 {
        match j {
            0 => self.x,
            1 => self.y,
            2 => self.z,
            3 => self.vx,
            4 => self.vy,
            5 => self.vz,
            6 => self.mass,
            _ => self.charge,
        }
    }
}

/// The same particles, one `Vec` per field.
#[derive(Clone, Debug, Default)]
pub struct Particles {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub z: Vec<f64>,
    pub vx: Vec<f64>,
    pub vy: Vec<f64>,
    pub vz: Vec<f64>,
    pub mass: Vec<f64>,
    pub charge: Vec<f64>,
}

impl Particles {
    pub fn len(&self) -> usize {
        self.x.len()
    }

    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// Field `j`'s array, in declaration order.
    fn column(&self, j: usize) -> &[f64] {
        match j {
            0 => &self.x,
            1 => &self.y,
            2 => &self.z,
            3 => &self.vx,
            4 => &self.vy,
            5 => &self.vz,
            6 => &self.mass,
            _ => &self.charge,
        }
    }

}

impl From<&[Particle]> for Particles {
    /// Each array is collected from an exact-size iterator: one allocation of
    /// the final size, as `Vec<Particle>` gets.
    fn from(ps: &[Particle]) -> Particles {
        let col = |f: fn(&Particle) -> f64| ps.iter().map(f).collect();
        Particles {
            x: col(|p| p.x),
            y: col(|p| p.y),
            z: col(|p| p.z),
            vx: col(|p| p.vx),
            vy: col(|p| p.vy),
            vz: col(|p| p.vz),
            mass: col(|p| p.mass),
            charge: col(|p| p.charge),
        }
    }
}

/// The sum of the first `K` fields of particle `i`, added left to right.
#[inline(always)]
fn record_sum<const K: usize>(get: impl Fn(usize) -> f64) -> f64 {
    let mut s = 0.0;
    for j in 0..K {
        s += get(j);
    }
    s
}

/// Adds `per(i)` for every `i < n` into [`LANES`] running sums, particle `i`
/// into sum `i % LANES`, then adds the sums in order: the same association
/// in both layouts, so the same result to the bit.
#[inline(always)]
fn lanes_sum(n: usize, per: impl Fn(usize) -> f64) -> f64 {
    let mut acc = [0.0f64; LANES];
    let full = n - n % LANES;
    let mut i = 0;
    while i < full {
        for (l, a) in acc.iter_mut().enumerate() {
            *a += per(i + l);
        }
        i += LANES;
    }
    for (l, a) in acc.iter_mut().enumerate().take(n - full) {
        *a += per(full + l);
    }
    acc.iter().sum()
}

fn aos_sum<const K: usize>(ps: &[Particle]) -> f64 {
    lanes_sum(ps.len(), |i| record_sum::<K>(|j| ps[i].field(j)))
}

fn soa_sum<const K: usize>(ps: &Particles) -> f64 {
    let n = ps.len();
    // Slicing every array to `n` first lets the compiler drop the bounds checks.
    let cols: [&[f64]; K] = std::array::from_fn(|j| &ps.column(j)[..n]);
    lanes_sum(n, |i| record_sum::<K>(|j| cols[j][i]))
}

/// Sums the first `fields` fields of every particle, read from a `Vec<Particle>`.
pub fn bad(ps: &[Particle], fields: usize) -> f64 {
    match fields {
        0 => aos_sum::<0>(ps),
        1 => aos_sum::<1>(ps),
        2 => aos_sum::<2>(ps),
        3 => aos_sum::<3>(ps),
        4 => aos_sum::<4>(ps),
        5 => aos_sum::<5>(ps),
        6 => aos_sum::<6>(ps),
        7 => aos_sum::<7>(ps),
        _ => aos_sum::<FIELDS>(ps),
    }
}

/// Sums the same fields read from one `Vec` per field.
pub fn good(ps: &Particles, fields: usize) -> f64 {
    match fields {
        0 => soa_sum::<0>(ps),
        1 => soa_sum::<1>(ps),
        2 => soa_sum::<2>(ps),
        3 => soa_sum::<3>(ps),
        4 => soa_sum::<4>(ps),
        5 => soa_sum::<5>(ps),
        6 => soa_sum::<6>(ps),
        7 => soa_sum::<7>(ps),
        _ => soa_sum::<FIELDS>(ps),
    }
}

/// The same particles in both layouts, and how many fields the job reads.
pub struct Input {
    pub aos: Vec<Particle>,
    pub soa: Particles,
    pub fields: usize,
}

/// `n` random particles, the same on every run. One draw from the seeded
/// generator starts a SplitMix64 sequence, one step per particle, spread over
/// its eight fields: 32M draws from the generator would dominate every
/// callgrind run of `validate` and the unoptimised test build. The values
/// do not steer the sums (there are no branches on them).
pub fn particles(n: usize) -> Vec<Particle> {
    let mut state: u64 = crate::rng(32).random();
    (0..n)
        .map(|_| {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            let seed = z ^ (z >> 31);
            // Field j: a multiplicative hash of the particle's value, scaled to [-1, 1).
            let f = |j: u64| {
                let h = (seed ^ j).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                (h >> 11) as f64 / (1u64 << 52) as f64 - 1.0
            };
            Particle {
                x: f(0),
                y: f(1),
                z: f(2),
                vx: f(3),
                vy: f(4),
                vz: f(5),
                mass: f(6) + 2.0,
                charge: f(7),
            }
        })
        .collect()
}

/// [`PARTICLES`] particles in both layouts; the job reads `fields` of them (at most 8).
pub fn input(fields: usize) -> Input {
    let aos = particles(PARTICLES);
    let soa = Particles::from(aos.as_slice());
    Input {
        aos,
        soa,
        fields: fields.min(FIELDS),
    }
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "soa_vs_aos";
    const TOPIC: Topic = Topic::Layout;
    const SOURCES: &'static [SourcePoint] = &[sources::CONTIGUOUS_NUMBERS];
    const SIZE: &'static str = "fields read";
    const CLAIM: &'static str = "a scan reads only the fields it uses (8 of 64 bytes per particle for one field); \
         AoS is fine when the whole record is used";
    const CACHE_SIM: bool = true;
    type Param = usize;
    type Input = Input;
    type Output = f64;

    /// One field of eight up to the whole record, at a fixed 2M particles.
    fn sizes() -> &'static [usize] {
        &[1, 2, 4, 8]
    }

    const INPUT: fn(usize) -> Input = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Input, _| bad(&i.aos, i.fields));
        v.variant("good", |i: &Input, _| good(&i.soa, i.fields));
    }

    fn layout() -> Vec<(&'static str, usize)> {
        vec![
            ("Particle (AoS record)", size_of::<Particle>()),
            ("f64 (one SoA field)", size_of::<f64>()),
        ]
    }

    /// A scan of `k` fields moves `k` eighths of the bytes AoS moves: SoA is
    /// faster while the job reads fewer than all eight. With the whole record
    /// both move the same bytes and, as the claim says, AoS is as good: level.
    fn predict(fields: usize) -> Vec<Prediction> {
        if fields >= FIELDS {
            vec![Prediction::level("good")]
        } else {
            vec![Prediction::faster("good")]
        }
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::exactly(Figure::Allocs, "bad", |_| 0),
            expect::exactly(Figure::Allocs, "good", |_| 0),
            // One field of eight: an eighth of the lines, so far fewer misses.
            expect::fewer_by(Figure::LlMisses, "good", "bad", 7.0).at(Sizes::UpTo(1)),
            // k of eight fields: about 8 / k times fewer.
            expect::fewer_by(Figure::LlMisses, "good", "bad", 1.9).at(Sizes::UpTo(4)),
            // The whole record: the same bytes either way, no saving.
            expect::no_better(Figure::LlMisses, "good", "bad", 0.9).at(Sizes::From(FIELDS)),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }
}
