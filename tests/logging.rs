//! `logging_hot_path`: what a disabled `debug!` evaluates. One test function,
//! alone in its binary, because the log level is process-wide.

use perf_hints::hint::check_agreement;
use perf_hints::hints::logging_hot_path::{self as lh, Batch};
use perf_hints::measure::counts;
use perf_hints::measure::probe::Counting;

#[test]
fn disabled_debug_formats_only_the_eager_message() {
    // Each variant called with a counting probe, at the level the input set.
    let formatted = |b: &Batch| {
        let count = |run: &dyn Fn(&[u64], &Counting) -> u64| {
            let probe = Counting::new();
            run(&b.items, &probe);
            probe.get("formatted")
        };
        (
            count(&|items, p| lh::bad(items, p)),
            count(&|items, p| lh::good(items, p)),
            count(&|items, p| lh::hoisted(items, p)),
            count(&|items, p| lh::static_filter(items, p)),
        )
    };
    let n = Some(lh::ITEMS as u64);
    let off = lh::input(0);
    assert_eq!(formatted(&off), (n, Some(0), Some(0), Some(0)));
    check_agreement::<lh::Case>(0, &off).unwrap();

    let on = lh::input(1);
    // The compile-time filter logs nothing even with debug on.
    assert_eq!(formatted(&on), (n, n, n, Some(0)));
    check_agreement::<lh::Case>(1, &on).unwrap();

    // Through the hint's variants, as `perf-hints counts` runs them: each
    // sets the level its input asks for.
    let run = counts::count::<lh::Case>(&[0, 1]);
    let row = |on: usize| {
        let r = &run.rows[on];
        let get = |v: &str| r.counter(v, "formatted");
        (
            get("bad"),
            get("good"),
            get("hoisted"),
            get("static_filter"),
        )
    };
    assert_eq!(row(0), (n, Some(0), Some(0), Some(0)));
    assert_eq!(row(1), (n, n, n, Some(0)));
}
