//! The examples' quick timer: a plain loop, not criterion. The median of five
//! batches, with the fastest and slowest batch as its range: a first look;
//! `cargo bench -- <id>/` gives the figures the table is made of.

use std::time::{Duration, Instant};

use crate::model::Estimate;

/// Time for all batches of one variant at one size.
const BUDGET: Duration = Duration::from_millis(150);
pub const BATCHES: usize = 5;

pub fn quick_time<I, O>(input: &I, f: &impl Fn(&I) -> O) -> Estimate {
    let start = Instant::now();
    std::hint::black_box(f(std::hint::black_box(input)));
    let once = start.elapsed().max(Duration::from_nanos(1));
    let per_batch = BUDGET / BATCHES as u32;
    let iters = (per_batch.as_nanos() / once.as_nanos()).clamp(1, 1_000_000) as u32;
    let mut batches: Vec<f64> = (0..BATCHES)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..iters {
                std::hint::black_box(f(std::hint::black_box(input)));
            }
            t.elapsed().as_nanos() as f64 / f64::from(iters)
        })
        .collect();
    batches.sort_by(f64::total_cmp);
    Estimate {
        point: batches[BATCHES / 2],
        lo: batches[0],
        hi: batches[BATCHES - 1],
    }
}
