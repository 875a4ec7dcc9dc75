//! A counting global allocator: deterministic allocation figures for the table.
//!
//! Besides the calls and bytes it counts the bytes live on each thread and
//! their high-water mark, which [`measure`] turns into a call's peak live
//! bytes.
//!
//! Counts are kept per thread, so tests running in parallel do not see each
//! other's allocations, and a figure only covers the work done on the calling
//! thread. The bench binary does not install this allocator: its timings run on
//! the plain system allocator, and the counts come from a separate process
//! (`perf-hints counts`), so counting never skews a timing.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

pub use crate::model::AllocCounts;

/// This thread's counters: the counts, and the bytes live now and at most
/// since the last [`measure`] began. Live bytes are signed: a thread may free
/// blocks another thread allocated.
#[derive(Clone, Copy)]
struct Tally {
    counts: AllocCounts,
    live: i64,
    peak: i64,
}

thread_local! {
    // `const` initialisation with a `Copy` value: no lazy init and no destructor,
    // so touching it from inside the allocator never allocates.
    static TALLY: Cell<Tally> = const {
        Cell::new(Tally {
            counts: AllocCounts::ZERO,
            live: 0,
            peak: 0,
        })
    };
}

fn bump(f: impl FnOnce(&mut Tally)) {
    // `try_with` fails only while the thread is being torn down; those
    // allocations are not part of any measured call.
    let _ = TALLY.try_with(|c| {
        let mut v = c.get();
        f(&mut v);
        v.peak = v.peak.max(v.live);
        c.set(v);
    });
}

fn tally() -> Tally {
    TALLY.with(Cell::get)
}

/// The system allocator, plus per-thread counters. Install it with
/// [`count_allocations!`](crate::count_allocations).
pub struct CountingAlloc;

// SAFETY: every method forwards to `System` with the caller's arguments
// unchanged; the counters are thread-local `Cell`s that never allocate.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        bump(|t| {
            t.counts.allocs += 1;
            t.counts.bytes += layout.size() as u64;
            t.live += layout.size() as i64;
        });
        // SAFETY: same contract as ours, forwarded unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        bump(|t| {
            t.counts.allocs += 1;
            t.counts.bytes += layout.size() as u64;
            t.live += layout.size() as i64;
        });
        // SAFETY: same contract as ours, forwarded unchanged.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        bump(|t| {
            t.counts.deallocs += 1;
            t.live -= layout.size() as i64;
        });
        // SAFETY: same contract as ours, forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        bump(|t| {
            t.counts.reallocs += 1;
            t.counts.bytes += new_size.saturating_sub(layout.size()) as u64;
            t.counts.realloc_bytes += layout.size() as u64;
            t.live += new_size as i64 - layout.size() as i64;
        });
        // SAFETY: same contract as ours, forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Installs [`CountingAlloc`] as the global allocator of the binary that calls
/// it (the `perf-hints` tool, the examples and the tests; never the bench).
#[macro_export]
macro_rules! count_allocations {
    () => {
        #[global_allocator]
        static PERF_HINTS_COUNTING_ALLOC: $crate::measure::alloc_count::CountingAlloc =
            $crate::measure::alloc_count::CountingAlloc;
    };
}

/// Runs `f` and returns its result with the allocations it made on this
/// thread, and its peak live bytes: the high-water mark is reset to the bytes
/// live when `f` starts, so [`AllocCounts::peak_bytes`] is the most `f` had
/// live at once above that. The result is dropped by the caller, after the
/// counting stops, so its bytes count towards the peak. A `measure` inside
/// `f` leaves the enclosing one's peak as it would be without it.
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, AllocCounts) {
    let before = tally();
    TALLY.with(|c| {
        c.set(Tally {
            peak: before.live,
            ..before
        })
    });
    let out = f();
    let after = tally();
    // The enclosing measurement's mark, as if this one had not reset it.
    TALLY.with(|c| {
        c.set(Tally {
            peak: before.peak.max(after.peak),
            ..after
        })
    });
    let mut counts = after.counts.since(before.counts);
    counts.peak_bytes = Some((after.peak - before.live).max(0) as u64);
    (out, counts)
}

/// Whether this binary counts: false when [`CountingAlloc`] is not installed.
pub fn is_installed() -> bool {
    let (b, counts) = measure(|| std::hint::black_box(Box::new(7u64)));
    drop(b);
    counts.allocs == 1
}
