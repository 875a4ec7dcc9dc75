//! Small functions that live in their own crate, so that `perf-hints` calls
//! them across a crate boundary. `mix` and `mix_checked` have no `#[inline]`;
//! `mix_inline` and `mix_checked_inline` have.

/// The per-item step of the inlining hint: a multiply, a rotate, an xor.
/// No `#[inline]`, and a leaf with no calls in it: rustc (since 1.75) marks
/// such small leaf functions inlinable across crates by itself.
pub fn mix(x: u64) -> u64 {
    x.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(17) ^ x
}

/// The same step, marked `#[inline]` so its body is available to every caller.
#[inline]
pub fn mix_inline(x: u64) -> u64 {
    x.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(17) ^ x
}

/// The step with its rotation as an argument, checked as a public API
/// checks its arguments. No `#[inline]`: the `assert!` makes it call the
/// panic machinery, so it is not a leaf and rustc does not make it
/// inlinable across crates by itself; callers in other crates call it
/// (without LTO), and the check runs on every call.
///
/// # Panics
/// If `shift` is 64 or more.
pub fn mix_checked(x: u64, shift: u32) -> u64 {
    assert!(shift < 64, "rotation {shift} out of range");
    x.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(shift) ^ x
}

/// [`mix_checked`] marked `#[inline]`: a caller gets the body, and with a
/// constant `shift` the check folds away.
///
/// # Panics
/// If `shift` is 64 or more.
#[inline]
pub fn mix_checked_inline(x: u64, shift: u32) -> u64 {
    assert!(shift < 64, "rotation {shift} out of range");
    x.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(shift) ^ x
}
