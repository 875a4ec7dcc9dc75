//! Array of structs against struct of arrays, as the number of fields read grows.
//!
//! `cargo run --release --example soa_vs_aos`

perf_hints::count_allocations!();

use perf_hints::hints::soa_vs_aos::{Case, FIELDS, PARTICLES, Particle};

fn main() {
    let aos = PARTICLES * size_of::<Particle>();
    println!(
        "{PARTICLES} particles of {} bytes: {} MB in either layout. Reading k of the {FIELDS} fields \
         pulls all {} MB through the caches with AoS, k × {} MB with SoA.\n",
        size_of::<Particle>(),
        aos / 1_000_000,
        aos / 1_000_000,
        PARTICLES * size_of::<f64>() / 1_000_000
    );
    perf_hints::example::run::<Case>(&[1, 2, 4, 8]);
}
