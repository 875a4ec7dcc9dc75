//! The runner behind `examples/<id>.rs`: what the variants do differently,
//! their counts and a quick timing, in about ten seconds.
//! The timing is [`crate::measure::quick`]'s, a first look; `cargo bench --
//! <id>/` gives the figures the table is made of.

use std::time::Instant;

use crate::hint::{Hint, NoProbe, Variants};
use crate::measure::quick::{BATCHES, quick_time};
use crate::model::{self, HintRun};
use crate::publish::table;

/// Prints the hint's doc, its variants' one-line docs, and a table of counts
/// and quick timings at each of `sizes`.
pub fn run<H: Hint>(sizes: &[H::Param]) {
    let source = crate::hints::source(H::ID).unwrap_or("");
    let doc = crate::hints::module_doc(source);
    let title = doc.lines().next().unwrap_or(H::ID).trim_start_matches("# ");
    println!("{} — {}\n", H::ID, title);
    for name in crate::hint::variant_names::<H>() {
        let what = crate::hints::variant_doc(source, name).unwrap_or_default();
        println!("  {name:>8}: {what}");
    }
    println!();
    if !crate::measure::alloc_count::is_installed() {
        println!("(allocations are not counted: this binary lacks `count_allocations!()`)\n");
    }

    let started = Instant::now();
    let mut run: HintRun = crate::measure::counts::count::<H>(sizes);
    for (row, &size) in run.rows.iter_mut().zip(sizes) {
        let input = H::input(size);
        struct Time<'a, H: Hint>(&'a H::Input, &'a mut model::Row);
        impl<H: Hint> Variants<H> for Time<'_, H> {
            type Probe = NoProbe;
            fn variant<F: Fn(&H::Input, &NoProbe) -> H::Output>(
                &mut self,
                name: &'static str,
                f: F,
            ) {
                let t = quick_time(self.0, &|i| f(i, &NoProbe));
                if let Some(v) = self.1.variants.iter_mut().find(|v| v.name == name) {
                    v.time = Some(t);
                }
            }
        }
        H::variants(&mut Time::<H>(&input, row));
    }
    let mut out = String::new();
    table::render_hint(&run, crate::model::DEFAULT_MARGIN, &mut out);
    println!("{}", out.trim_start_matches(&format!("### {}\n\n", H::ID)));
    println!(
        "Quick timing (median of {BATCHES} batches, range min–max), {:.1} s in all. \
         For criterion figures: cargo bench{} -- {}/",
        started.elapsed().as_secs_f64(),
        H::FEATURE.map_or(String::new(), |f| format!(" --features {f}")),
        H::ID
    );
}
