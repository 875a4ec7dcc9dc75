//! The runner behind `examples/<id>.rs`: what the variants do differently,
//! their counts and a quick timing, in about ten seconds.
//! The timing is paired the way the bench pairs it
//! ([`crate::measure::paired`]), in a shorter budget and one process: a
//! first look; `cargo bench -- <id>/` gives the figures the table is made of.

use std::time::{Duration, Instant};

use crate::hint::{Hint, NoProbe, Variants};
use crate::measure::paired::{self, Sample};
use crate::model::{self, HintRun};
use crate::publish::summary;

/// Time for the samples of one variant paired with `bad`, at one size.
const BUDGET: Duration = Duration::from_millis(300);
/// The widest an example's output gets, however wide the terminal.
const WIDTH: usize = 100;
/// Samples per pair; the order of the two arms alternates between them.
const SAMPLES: usize = 10;

/// Prints the hint's doc, its variants' one-line docs, and a table of counts
/// and quick timings at each of `sizes`.
pub fn run<H: Hint>(sizes: &[H::Param]) {
    let source = crate::hints::source(H::ID).unwrap_or("");
    let doc = crate::hints::module_doc(source);
    let title = doc.lines().next().unwrap_or(H::ID).trim_start_matches("# ");
    let width = summary::width().min(WIDTH);
    print!(
        "{}",
        summary::wrap(&format!("{} — {}", H::ID, title), width)
    );
    println!();
    let names = crate::hint::variant_names::<H>();
    let name_w = names.iter().map(|n| n.len()).max().unwrap_or(4);
    for name in names {
        let what = crate::hints::variant_doc(source, name).unwrap_or_default();
        let text = summary::wrap(&what, width - name_w - 4);
        for (i, line) in text.lines().enumerate() {
            let label = if i == 0 { name } else { "" };
            println!("  {label:>name_w$}  {line}");
        }
    }
    println!();
    if !crate::measure::alloc_count::is_installed() {
        println!("(allocations are not counted: this binary lacks `count_allocations!()`)\n");
    }

    let started = Instant::now();
    let mut run: HintRun = crate::measure::counts::count::<H>(sizes);
    for (row, &size) in run.rows.iter_mut().zip(sizes) {
        let input = (H::INPUT)(size);
        struct Time<'a, H: Hint>(&'a H::Input, &'a mut model::Row, Vec<Sample>);
        impl<H: Hint> Variants<H> for Time<'_, H> {
            type Probe = NoProbe;
            fn variant<F: Fn(&H::Input, &NoProbe) -> H::Output>(
                &mut self,
                name: &'static str,
                f: F,
            ) {
                if name == "bad" {
                    return;
                }
                let other = |i: &H::Input| f(i, &NoProbe);
                let samples = paired::quick_samples::<H, _>(self.0, &other, BUDGET, SAMPLES);
                if let Some(v) = self.1.variants.iter_mut().find(|v| v.name == name) {
                    v.time = paired::time(&samples, false).and_then(|w| paired::across(&[w]));
                    v.speedup = paired::speedup(&samples).and_then(|w| paired::across(&[w]));
                }
                self.2.extend(samples);
            }
        }
        let mut time = Time::<H>(&input, row, Vec::new());
        H::variants(&mut time);
        let bad = paired::time(&time.2, true).and_then(|w| paired::across(&[w]));
        if let Some(v) = row.variants.first_mut() {
            v.time = bad;
        }
    }
    let claim = crate::publish::outcome::claim_line(&run, crate::model::MARGIN).replace("**", "");
    print!("{}", summary::wrap(&claim, width));
    println!();
    print!("{}", summary::hint_block(&run, crate::model::MARGIN, width));
    print!(
        "{}",
        summary::wrap(
            &format!(
                "Quick timing, paired as the bench pairs it ({SAMPLES} samples per variant, each \
                 timing bad and the variant back to back in alternating order; one process, so \
                 the interval is this process's only), {:.1} s in all. For the table's figures \
                 (processes over differently laid-out builds): `cargo bench{} -- {}/`",
                started.elapsed().as_secs_f64(),
                H::FEATURE.map_or(String::new(), |f| format!(" --features {f}")),
                H::ID
            ),
            width
        )
    );
}
