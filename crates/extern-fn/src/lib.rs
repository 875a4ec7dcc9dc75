//! Tiny functions that live in their own crate, so that `perf-hints` calls
//! them across a crate boundary. `mix` has no `#[inline]`; `mix_inline` has.

/// The per-item step of the inlining hint: a multiply, a rotate, an xor.
/// No `#[inline]`: whether a caller in another crate can inline it is up to
/// the compiler.
pub fn mix(x: u64) -> u64 {
    x.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(17) ^ x
}

/// The same step, marked `#[inline]` so its body is available to every caller.
#[inline]
pub fn mix_inline(x: u64) -> u64 {
    x.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(17) ^ x
}
