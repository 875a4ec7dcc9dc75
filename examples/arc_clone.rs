//! One shared `Arc<Config>` cloned per item against a borrowed `&Config`,
//! on one and two threads, with and without work per item.
//!
//! `cargo run --release --example arc_clone`

perf_hints::count_allocations!();

use std::sync::Arc;

use perf_hints::Hint;
use perf_hints::hints::arc_clone::{self, Case};

fn main() {
    let shared = Arc::new(arc_clone::config());
    let clone = Arc::clone(&shared);
    println!(
        "Cloning an Arc copies no data, it adds one to a shared count (now {}); \
         dropping the clone subtracts it again\n",
        Arc::strong_count(&clone)
    );
    drop(clone);
    perf_hints::example::run::<Case>(Case::sizes());
}
