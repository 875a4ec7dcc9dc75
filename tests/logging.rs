//! `logging_hot_path`: what a disabled `debug!` evaluates. One test function,
//! alone in its binary, because the log level is process-wide.

use perf_hints::hints::logging_hot_path::{self as lh, Batch};
use perf_hints::{Hint, hint::check_agreement};

#[test]
fn disabled_debug_formats_only_the_eager_message() {
    let formatted = |b: &Batch| {
        let counters = lh::Case::counters(b);
        let get = |v: &str| {
            counters
                .iter()
                .find(|c| c.variant == v)
                .map(|c| c.value)
                .unwrap()
        };
        (get("bad"), get("good"), get("hoisted"))
    };
    let off = lh::input(0);
    assert_eq!(formatted(&off), (lh::ITEMS as u64, 0, 0));
    check_agreement::<lh::Case>(0, &off).unwrap();

    let on = lh::input(1);
    let n = lh::ITEMS as u64;
    assert_eq!(formatted(&on), (n, n, n));
    check_agreement::<lh::Case>(1, &on).unwrap();
}
