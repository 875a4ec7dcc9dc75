//! # An enum instead of boxed trait objects (`enum_dispatch`)
//!
//! ## Cost model
//! A `Vec<Box<dyn Shape>>` holds fat pointers (16 bytes) to shapes that each
//! live in their own heap block: building it costs one allocation per
//! element, dropping it one free per element, and every call goes through a
//! vtable, an indirect call the compiler cannot inline. The blocks sit
//! wherever the allocator put them, each with the allocator's header.
//!
//! ## The fix
//! When the set of shapes is closed and known, use an enum: `Vec<ShapeEnum>`
//! stores every shape inline, so building the collection is one allocation,
//! dropping it one free, and `area` is a `match` the compiler can inline.
//!
//! Here the job builds the collection from `n` specs (a kind and three
//! dimensions, as a parser would hand them over: circles, rectangles and
//! triangles in random order), sums the areas, and drops the collection; all
//! three steps are timed, since the boxes' cost is split between them.
//!
//! ## When it does not help
//! An enum is as large as its largest variant: here 32 bytes for every shape,
//! where a box is 16 bytes in the `Vec` plus a block sized to its shape. With
//! one large, rare variant, an enum wastes memory on all the small ones (box
//! that one variant). An enum is closed: code outside the crate cannot add a
//! shape, which is what `dyn Trait` is for. When the collection is built once
//! and scanned many times, only the dispatch and the scattered blocks remain
//! of the cost, a smaller saving than here (not measured).
//!
//! ## Finding it
//! Caught by: no clippy lint. Checked and silent: `clippy::vec_box`
//! (complexity, on by default), which flags `Vec<Box<T>>` for a sized `T`
//! only, not `Vec<Box<dyn Trait>>`, and `clippy::boxed_local` (perf, on by
//! default).
//!
//! Signal: an allocation per element (`Box::new` under the loop that builds
//! the collection) and indirect calls in the hot loop; the allocs column of
//! `cargo bench -- enum_dispatch/` counts the boxes.
//!
//! ## Claim
//! Avoid a `Box` where inline storage works: no allocation per element, and
//! static dispatch. The sources give no figure beyond the allocation; they
//! price a small allocation at 20-50 ns and a non-inlined call at 1-10 ns
//! (both measured in the published run: `results/costs.md`).
//!
//! ## Measured
//! The counts in the table below come from `cargo run --release -- validate
//! enum_dispatch` (identical on every run of the same binary). Allocations are
//! exact: `bad` makes one per shape plus the `Vec`, `good` only the `Vec`.
//! `bad` runs several times as many instructions at every size, most of them
//! in `malloc` and `free` rather than in the areas or the dispatch, and at 1M
//! shapes it misses the simulated last level more often (a fat pointer plus a
//! heap block per shape, against one enum inline; the sizes are above the
//! table). The allocator calls are nearly all the work at a handful of shapes;
//! at the largest size the scattered blocks add cache misses on top.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- enum_dispatch/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/enum_dispatch.md"))]

use rand::Rng;

use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::judge::predict::Prediction;
use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};

/// What every shape can do.
pub trait Shape {
    fn area(&self) -> f64;
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Circle {
    pub r: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub w: f64,
    pub h: f64,
}

/// A triangle by its three sides.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Triangle {
    pub a: f64,
    pub b: f64,
    pub c: f64,
}

// The areas are defined once, on the structs, and both variants call the
// same code: the same floating-point operations, the same result to the bit.

impl Shape for Circle {
    #[inline]
    fn area(&self) -> f64 {
        std::f64::consts::PI * self.r * self.r
    }
}

impl Shape for Rect {
    #[inline]
    fn area(&self) -> f64 {
        self.w * self.h
    }
}

impl Shape for Triangle {
    /// Heron's formula.
    #[inline]
    fn area(&self) -> f64 {
        let s = (self.a + self.b + self.c) / 2.0;
        (s * (s - self.a) * (s - self.b) * (s - self.c)).sqrt()
    }
}

/// The closed set of shapes, stored inline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ShapeEnum {
    Circle(Circle),
    Rect(Rect),
    Triangle(Triangle),
}

impl ShapeEnum {
    #[inline]
    pub fn area(&self) -> f64 {
        match self {
            ShapeEnum::Circle(s) => s.area(),
            ShapeEnum::Rect(s) => s.area(),
            ShapeEnum::Triangle(s) => s.area(),
        }
    }
}

/// Which shape a spec describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Circle,
    Rect,
    Triangle,
}

/// A shape as the input describes it: a kind and up to three dimensions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spec {
    pub kind: Kind,
    pub dims: [f64; 3],
}

/// Builds `Box<dyn Shape>`s, one heap block each, and sums their areas through the vtable.
pub fn bad(specs: &[Spec]) -> f64 {
    let shapes: Vec<Box<dyn Shape>> = specs
        .iter()
        .map(|s| -> Box<dyn Shape> {
            let [a, b, c] = s.dims;
            match s.kind {
                Kind::Circle => Box::new(Circle { r: a }),
                Kind::Rect => Box::new(Rect { w: a, h: b }),
                Kind::Triangle => Box::new(Triangle { a, b, c }),
            }
        })
        .collect();
    shapes.iter().map(|s| s.area()).sum()
}

/// Builds `ShapeEnum`s inline in one `Vec` and sums their areas through a `match`.
pub fn good(specs: &[Spec]) -> f64 {
    let shapes: Vec<ShapeEnum> = specs
        .iter()
        .map(|s| {
            let [a, b, c] = s.dims;
            match s.kind {
                Kind::Circle => ShapeEnum::Circle(Circle { r: a }),
                Kind::Rect => ShapeEnum::Rect(Rect { w: a, h: b }),
                Kind::Triangle => ShapeEnum::Triangle(Triangle { a, b, c }),
            }
        })
        .collect();
    shapes.iter().map(|s| s.area()).sum()
}

/// `n` specs of random kinds and sizes, the same on every run; every
/// triangle's sides satisfy the triangle inequality.
pub fn input(n: usize) -> Vec<Spec> {
    let mut rng = crate::rng(33);
    (0..n)
        .map(|_| {
            let (a, b) = (rng.random_range(1.0..10.0), rng.random_range(1.0..10.0));
            match rng.random_range(0..3) {
                0 => Spec {
                    kind: Kind::Circle,
                    dims: [a, 0.0, 0.0],
                },
                1 => Spec {
                    kind: Kind::Rect,
                    dims: [a, b, 0.0],
                },
                _ => {
                    let (lo, hi) = (f64::abs(a - b), a + b);
                    let c = lo + (hi - lo) * rng.random_range(0.05..0.95);
                    Spec {
                        kind: Kind::Triangle,
                        dims: [a, b, c],
                    }
                }
            }
        })
        .collect()
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "enum_dispatch";
    const TOPIC: Topic = Topic::Layout;
    const SOURCES: &'static [SourcePoint] = &[sources::NO_BOX, sources::SPECIALISE];
    const SIZE: &'static str = "shapes";
    const CLAIM: &'static str = "avoid a Box where inline storage works: no allocation per element, static dispatch";
    const CACHE_SIM: bool = true;
    type Param = usize;
    type Input = Vec<Spec>;
    type Output = f64;

    /// From a handful of shapes to a collection past the last-level cache
    /// (1M shapes: 48 MB of boxes and pointers, 32 MB of enums).
    fn sizes() -> &'static [usize] {
        &[10, 1_000, 100_000, 1_000_000]
    }

    const INPUT: fn(usize) -> Vec<Spec> = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |s: &Vec<Spec>, _| bad(s));
        v.variant("good", |s: &Vec<Spec>, _| good(s));
    }

    fn layout() -> Vec<(&'static str, usize)> {
        vec![
            ("Box<dyn Shape>", size_of::<Box<dyn Shape>>()),
            ("ShapeEnum", size_of::<ShapeEnum>()),
            ("Circle", size_of::<Circle>()),
            ("Rect", size_of::<Rect>()),
            ("Triangle", size_of::<Triangle>()),
        ]
    }

    /// One allocation and one free per shape saved, and a `match` the
    /// compiler inlines instead of a vtable call: faster at every size. The
    /// sources name no factor, so none is predicted.
    fn predict(_shapes: usize) -> Vec<Prediction> {
        vec![Prediction::faster("good")]
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            // The Vec, plus one box per shape.
            expect::exactly(Figure::Allocs, "bad", |n| n as u64 + 1),
            expect::exactly(Figure::Allocs, "good", |_| 1),
            // The enum is the larger element: the price of storing inline.
            expect::smaller_layout("Box<dyn Shape>", "ShapeEnum"),
            expect::fewer(Figure::Instructions, "good", "bad"),
            expect::fewer(Figure::LlMisses, "good", "bad").at(Sizes::From(1_000_000)),
            expect::grows(Figure::Instructions, Growth::Linear),
        ]
    }
}
