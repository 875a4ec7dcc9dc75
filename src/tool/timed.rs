//! The one entry point the bench times through: every arm of every hint is
//! compiled here, in the library, whatever harness calls it.

use std::any::Any;
use std::time::Duration;

use crate::hint::{EachHint, Hint, NoProbe, Variants};
use crate::measure::paired::time_against_bad;

/// Times one sample of `hint`'s `variant` against its `bad` on `input`
/// (which must be that hint's input): `iters` calls of each, `bad` first
/// unless `flip`; the two durations in (bad, variant) order.
///
/// This function is not generic, and the visitors it hands to the hints
/// are this module's: so every arm of every hint, and the loop that times
/// it, is monomorphised here, in the library, under the library's codegen
/// settings (`[profile.release.package.perf-hints]`, which the bench
/// profile inherits: one codegen unit), whatever harness calls
/// it. An edit to the bench cannot change how an arm is compiled, and no arm
/// is compiled in a different crate from its pair. The lookup by id runs
/// once per sample, outside the timed loops.
pub fn time_sample(
    hint: &str,
    variant: &str,
    input: &dyn Any,
    iters: u64,
    flip: bool,
) -> Result<(Duration, Duration), String> {
    struct Find<'a> {
        hint: &'a str,
        variant: &'a str,
        input: &'a dyn Any,
        iters: u64,
        flip: bool,
        out: Option<Result<(Duration, Duration), String>>,
    }
    impl EachHint for Find<'_> {
        fn hint<H: Hint>(&mut self) {
            if H::ID != self.hint || self.out.is_some() {
                return;
            }
            let Some(input) = self.input.downcast_ref::<H::Input>() else {
                self.out = Some(Err(format!("{}: the input is not this hint's", H::ID)));
                return;
            };
            struct Arm<'a, H: Hint> {
                variant: &'a str,
                input: &'a H::Input,
                iters: u64,
                flip: bool,
                out: Option<(Duration, Duration)>,
            }
            impl<H: Hint> Variants<H> for Arm<'_, H> {
                type Probe = NoProbe;
                fn variant<F: Fn(&H::Input, &NoProbe) -> H::Output>(
                    &mut self,
                    name: &'static str,
                    f: F,
                ) {
                    if name == self.variant && self.out.is_none() {
                        let other = |i: &H::Input| f(i, &NoProbe);
                        self.out = Some(time_against_bad::<H, _>(
                            self.input, &other, self.iters, self.flip,
                        ));
                    }
                }
            }
            let mut arm = Arm::<H> {
                variant: self.variant,
                input,
                iters: self.iters,
                flip: self.flip,
                out: None,
            };
            H::variants(&mut arm);
            self.out = Some(
                arm.out
                    .ok_or_else(|| format!("{} has no variant {:?}", H::ID, self.variant)),
            );
        }
    }
    let mut find = Find {
        hint,
        variant,
        input,
        iters,
        flip,
        out: None,
    };
    crate::hints::for_each(&mut find);
    find.out
        .unwrap_or_else(|| Err(format!("no hint {hint:?} in this build")))
}
