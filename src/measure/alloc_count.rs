//! A counting global allocator: deterministic allocation figures for the table.
//!
//! Counts are kept per thread, so tests running in parallel do not see each
//! other's allocations, and a figure only covers the work done on the calling
//! thread. The bench binary does not install this allocator: its timings run on
//! the plain system allocator, and the counts come from a separate process
//! (`perf-hints counts`), so counting never skews a timing.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

pub use crate::model::AllocCounts;

thread_local! {
    // `const` initialisation with a `Copy` value: no lazy init and no destructor,
    // so touching it from inside the allocator never allocates.
    static COUNTS: Cell<AllocCounts> = const { Cell::new(AllocCounts::ZERO) };
}

fn bump(f: impl FnOnce(&mut AllocCounts)) {
    // `try_with` fails only while the thread is being torn down; those
    // allocations are not part of any measured call.
    let _ = COUNTS.try_with(|c| {
        let mut v = c.get();
        f(&mut v);
        c.set(v);
    });
}

/// The system allocator, plus per-thread counters. Install it with
/// [`count_allocations!`](crate::count_allocations).
pub struct CountingAlloc;

// SAFETY: every method forwards to `System` with the caller's arguments
// unchanged; the counters are thread-local `Cell`s that never allocate.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        bump(|c| {
            c.allocs += 1;
            c.bytes += layout.size() as u64;
        });
        // SAFETY: same contract as ours, forwarded unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        bump(|c| {
            c.allocs += 1;
            c.bytes += layout.size() as u64;
        });
        // SAFETY: same contract as ours, forwarded unchanged.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        bump(|c| c.deallocs += 1);
        // SAFETY: same contract as ours, forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        bump(|c| {
            c.reallocs += 1;
            c.bytes += new_size.saturating_sub(layout.size()) as u64;
            c.realloc_bytes += layout.size() as u64;
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

/// Runs `f` and returns its result with the allocations it made on this thread.
/// The result is dropped by the caller, after the counting stops.
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, AllocCounts) {
    let before = COUNTS.with(Cell::get);
    let out = f();
    let after = COUNTS.with(Cell::get);
    (out, after.since(before))
}

/// Whether this binary counts: false when [`CountingAlloc`] is not installed.
pub fn is_installed() -> bool {
    let (b, counts) = measure(|| std::hint::black_box(Box::new(7u64)));
    drop(b);
    counts.allocs == 1
}
