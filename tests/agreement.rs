//! Every variant of every hint returns what `bad` returns: at every size the
//! bench uses (the largest included), and at the edges (empty, one element).

use perf_hints::hint::check_agreement;
use perf_hints::{EachHint, Hint};

struct Agree(Vec<String>);

impl EachHint for Agree {
    fn hint<H: Hint>(&mut self) {
        let mut sizes = vec![0, 1];
        sizes.extend_from_slice(H::sizes());
        for size in sizes {
            let input = H::input(size);
            if let Err(e) = check_agreement::<H>(size, &input) {
                self.0.push(e);
            }
        }
    }
}

#[test]
fn variants_agree_at_every_size_and_edge() {
    let mut a = Agree(Vec::new());
    perf_hints::hints::for_each(&mut a);
    assert!(a.0.is_empty(), "{}", a.0.join("\n"));
}

#[test]
fn sizes_are_increasing_and_variants_start_with_bad_then_good() {
    struct Shape(Vec<String>);
    impl EachHint for Shape {
        fn hint<H: Hint>(&mut self) {
            if !H::sizes().windows(2).all(|w| w[0] < w[1]) {
                self.0.push(format!("{}: sizes not increasing", H::ID));
            }
            let names = perf_hints::hint::variant_names::<H>();
            if names.len() < 2 || names[0] != "bad" || names[1] != "good" {
                self.0.push(format!(
                    "{}: variants {names:?} must start bad, good",
                    H::ID
                ));
            }
        }
    }
    let mut s = Shape(Vec::new());
    perf_hints::hints::for_each(&mut s);
    assert!(s.0.is_empty(), "{}", s.0.join("\n"));
}
