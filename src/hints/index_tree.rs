//! # Link tree nodes by index, not by `Box` (`index_tree`)
//!
//! ## Cost model
//! A binary search tree of `Option<Box<Node>>` children makes one heap
//! allocation per node, each with the allocator's own header and rounding,
//! and puts the nodes wherever the allocator had room. A node holding a `u32`
//! key and two 8-byte links is 24 bytes, 32 once the allocator rounds it.
//! Every step down the tree follows a pointer to a separately allocated
//! block, and dropping the tree frees each node on its own.
//!
//! ## The fix
//! Keep every node in one `Vec` and link children by `u32` index, with
//! `u32::MAX` for "none". Nodes shrink to 12 bytes, the whole tree is one
//! allocation (plus the `Vec`'s growth), nodes sit next to each other in
//! insertion order, and dropping the tree is one free.
//!
//! ## When it does not help
//! Removing nodes needs a free list or leaves holes, indices are not checked
//! against the right arena by the type system, and a `u32` index caps the
//! tree at 4 billion nodes. A small tree that stays in cache loses most of
//! the locality advantage, but not the allocator call and the free per node
//! that `Box` costs, so the saving there is that call and its free; the
//! locality adds to it as the tree grows.
//!
//! ## Finding it
//! Caught by: no clippy lint.
//!
//! Signal: allocations and misses. A tree built of `Box` nodes shows one
//! allocation per node in an allocation profile (the allocs column of `cargo
//! bench -- index_tree/`) and, on a walk or lookup, a cache miss per node
//! visited where the nodes outgrow the cache (the D1 and LL columns).
//!
//! ## Claim
//! 8-byte links become 4-byte indices; one allocation per node becomes a few
//! per tree; better locality. The 4 bytes hold with a sentinel for "no child"
//! (`u32::MAX` here): an `Option<u32>` link would take 8.
//!
//! ## Measured
//! `size_of`: `BoxNode` 24, `IndexNode` 12 (a test checks both). `bad` makes
//! one allocation per distinct key, `good` a few allocator calls per tree (a
//! test checks it at 32,000 nodes). At the largest tree the boxed nodes miss
//! the simulated last-level cache several times as often as the packed ones
//! (the exact counts): that and the allocator call per node are what the
//! table's times weigh.
//!
//! The outcome paragraph and table below are generated from the newest record.
//! Rerun with `cargo bench -- index_tree/`.
#![cfg_attr(doc, doc = include_str!("../../results/rustdoc/index_tree.md"))]

use rand::Rng;

use crate::hint::{Hint, Topic, Variants};
use crate::sources::{self, SourcePoint};
use crate::judge::expect::{self, Expect, Figure, Growth, Sizes};
use crate::judge::predict::Prediction;

/// What each variant returns: probes found, a checksum of the in-order walk,
/// and how many distinct keys the tree holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    pub found: usize,
    pub walk: u64,
    pub len: usize,
}

/// A node that owns its children through `Box`es.
pub struct BoxNode {
    pub key: u32,
    pub left: Option<Box<BoxNode>>,
    pub right: Option<Box<BoxNode>>,
}

/// A node in one `Vec`, with children as indices into it.
#[derive(Clone, Copy)]
pub struct IndexNode {
    pub key: u32,
    pub left: u32,
    pub right: u32,
}

const NONE: u32 = u32::MAX;

/// A tree of `Box`ed nodes.
#[derive(Default)]
pub struct BoxTree {
    root: Option<Box<BoxNode>>,
    len: usize,
}

impl BoxTree {
    pub fn insert(&mut self, key: u32) {
        let mut slot = &mut self.root;
        while let Some(node) = slot {
            if key == node.key {
                return;
            }
            slot = if key < node.key {
                &mut node.left
            } else {
                &mut node.right
            };
        }
        *slot = Some(Box::new(BoxNode {
            key,
            left: None,
            right: None,
        }));
        self.len += 1;
    }

    pub fn contains(&self, key: u32) -> bool {
        let mut cur = &self.root;
        while let Some(node) = cur {
            if key == node.key {
                return true;
            }
            cur = if key < node.key { &node.left } else { &node.right };
        }
        false
    }

    /// Visits the keys in increasing order, with an explicit stack.
    pub fn walk(&self, mut visit: impl FnMut(u32)) {
        let mut stack: Vec<&BoxNode> = Vec::new();
        let mut cur = self.root.as_deref();
        while cur.is_some() || !stack.is_empty() {
            while let Some(n) = cur {
                stack.push(n);
                cur = n.left.as_deref();
            }
            let n = stack.pop().expect("the loop condition ensures a node");
            visit(n.key);
            cur = n.right.as_deref();
        }
    }
}

impl Drop for BoxTree {
    /// Frees iteratively, so a degenerate (sorted-input) tree cannot overflow the stack.
    fn drop(&mut self) {
        let mut stack: Vec<Box<BoxNode>> = self.root.take().into_iter().collect();
        while let Some(mut n) = stack.pop() {
            stack.extend(n.left.take());
            stack.extend(n.right.take());
        }
    }
}

/// A tree whose nodes live in one `Vec`.
pub struct IndexTree {
    nodes: Vec<IndexNode>,
    root: u32,
}

impl IndexTree {
    pub fn with_capacity(n: usize) -> Self {
        IndexTree {
            nodes: Vec::with_capacity(n),
            root: NONE,
        }
    }

    pub fn insert(&mut self, key: u32) {
        let new = self.nodes.len() as u32;
        let mut cur = self.root;
        if cur == NONE {
            self.root = new;
        }
        while cur != NONE {
            let node = &mut self.nodes[cur as usize];
            if key == node.key {
                return;
            }
            let next = if key < node.key {
                &mut node.left
            } else {
                &mut node.right
            };
            if *next == NONE {
                *next = new;
                break;
            }
            cur = *next;
        }
        self.nodes.push(IndexNode {
            key,
            left: NONE,
            right: NONE,
        });
    }

    pub fn contains(&self, key: u32) -> bool {
        let mut cur = self.root;
        while cur != NONE {
            let node = &self.nodes[cur as usize];
            if key == node.key {
                return true;
            }
            cur = if key < node.key { node.left } else { node.right };
        }
        false
    }

    /// Visits the keys in increasing order, with an explicit stack.
    pub fn walk(&self, mut visit: impl FnMut(u32)) {
        let mut stack: Vec<u32> = Vec::new();
        let mut cur = self.root;
        while cur != NONE || !stack.is_empty() {
            while cur != NONE {
                stack.push(cur);
                cur = self.nodes[cur as usize].left;
            }
            let n = &self.nodes[stack.pop().expect("the loop condition ensures a node") as usize];
            visit(n.key);
            cur = n.right;
        }
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

fn fold_walk(h: u64, k: u32) -> u64 {
    h.wrapping_mul(31).wrapping_add(u64::from(k))
}

/// Builds, searches and walks a tree of `Box`ed nodes.
pub fn bad(keys: &[u32], probes: &[u32]) -> Summary {
    let mut tree = BoxTree::default();
    for &k in keys {
        tree.insert(k);
    }
    let found = probes.iter().filter(|&&p| tree.contains(p)).count();
    let mut walk = 0;
    tree.walk(|k| walk = fold_walk(walk, k));
    Summary {
        found,
        walk,
        len: tree.len,
    }
}

/// Builds, searches and walks a tree of nodes in one `Vec`, linked by `u32` index.
pub fn good(keys: &[u32], probes: &[u32]) -> Summary {
    let mut tree = IndexTree::with_capacity(keys.len());
    for &k in keys {
        tree.insert(k);
    }
    let found = probes.iter().filter(|&&p| tree.contains(p)).count();
    let mut walk = 0;
    tree.walk(|k| walk = fold_walk(walk, k));
    Summary {
        found,
        walk,
        len: tree.len(),
    }
}

/// Keys to insert and keys to look up.
pub struct Keys {
    pub keys: Vec<u32>,
    pub probes: Vec<u32>,
}

/// Probes per call, half of them present.
pub const PROBES: usize = 1_024;

/// `n` random keys in random order, and [`PROBES`] probes, the same on every run.
pub fn input(n: usize) -> Keys {
    let mut rng = crate::rng(2);
    let keys: Vec<u32> = (0..n).map(|_| rng.random()).collect();
    let probes = (0..PROBES)
        .map(|i| {
            if i % 2 == 0 && !keys.is_empty() {
                keys[rng.random_range(0..keys.len())]
            } else {
                rng.random()
            }
        })
        .collect();
    Keys { keys, probes }
}

pub struct Case;

impl Hint for Case {
    const ID: &'static str = "index_tree";
    const TOPIC: Topic = Topic::Layout;
    const SOURCES: &'static [SourcePoint] = &[sources::INDICES];
    const SIZE: &'static str = "nodes";
    const CLAIM: &'static str = "8-byte links -> 4-byte indices; allocations per node -> a few per tree; better locality";
    const CACHE_SIM: bool = true;
    type Param = usize;
    type Input = Keys;
    type Output = Summary;

    fn sizes() -> &'static [usize] {
        &[1_000, 32_000, 400_000]
    }

    const INPUT: fn(usize) -> Keys = input;

    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |k: &Keys, _| bad(&k.keys, &k.probes));
        v.variant("good", |k: &Keys, _| good(&k.keys, &k.probes));
    }

    fn layout() -> Vec<(&'static str, usize)> {
        vec![
            ("BoxNode", size_of::<BoxNode>()),
            ("IndexNode", size_of::<IndexNode>()),
        ]
    }

    fn expect() -> Vec<Expect<usize>> {
        vec![
            expect::smaller_layout("IndexNode", "BoxNode"),
            expect::fewer_by(Figure::Allocs, "good", "bad", 100.0).at(Sizes::From(32_000)),
            expect::fewer(Figure::Instructions, "good", "bad"),
            expect::fewer(Figure::LlMisses, "good", "bad").at(Sizes::From(400_000)),
            expect::grows(Figure::Instructions, Growth::NLogN),
        ]
    }

    /// An allocation and a free per node saved at every size, and the
    /// locality on top of it as the tree outgrows the caches: faster
    /// everywhere.
    fn predict(_size: usize) -> Vec<Prediction> {
        vec![Prediction::faster("good")]
    }
}
