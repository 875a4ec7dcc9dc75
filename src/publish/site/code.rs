//! The variants' code, taken from a hint module's source: the closures its
//! `variants` fn hands over (`v.variant("bad", |i, _| bad(i))`) and the
//! module's top-level functions each closure calls, with their doc comments,
//! cut out of the text by the spans `syn` parses them with.

use std::collections::BTreeMap;

use syn::spanned::Spanned;
use syn::visit::Visit;

/// One variant as the module hands it over.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// `bad`, `good`, ...
    pub name: String,
    /// The closure, as written: `|i: &Vec<u32>, _| bad(i)`.
    pub closure: String,
    /// The module's functions the closure calls, in the order it calls them:
    /// (name, source text from its first doc line to its closing brace).
    pub functions: Vec<(String, String)>,
    /// The module's functions those call in turn (and those in turn), each
    /// once, in the order first called: where the work of a variant that
    /// only picks its input (`bad` calls `filter(&input.random)`) is.
    pub helpers: Vec<(String, String)>,
}

/// The text `span` covers in `source` (lines are 1-based, columns count
/// characters from 0, as proc-macro2 gives them).
fn text_of(source: &str, span: proc_macro2::Span) -> String {
    let (start, end) = (span.start(), span.end());
    let offset = |line: usize, column: usize| -> usize {
        let line_start: usize = source
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let rest = &source[line_start..];
        line_start
            + rest
                .char_indices()
                .nth(column)
                .map_or(rest.len(), |(i, _)| i)
    };
    let (a, b) = (
        offset(start.line, start.column),
        offset(end.line, end.column),
    );
    source.get(a..b).unwrap_or_default().to_string()
}

/// Every `v.variant("name", expr)` call under a fn body.
#[derive(Default)]
struct VariantCalls<'a> {
    found: Vec<(String, &'a syn::Expr)>,
}

impl<'a> Visit<'a> for VariantCalls<'a> {
    fn visit_expr_method_call(&mut self, call: &'a syn::ExprMethodCall) {
        if call.method == "variant"
            && call.args.len() == 2
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(name),
                ..
            }) = &call.args[0]
        {
            self.found.push((name.value(), &call.args[1]));
        }
        syn::visit::visit_expr_method_call(self, call);
    }
}

/// The names of the plain function calls (`bad(..)`, not `x.bad(..)`) under
/// an expression, in order, each once.
#[derive(Default)]
struct Calls {
    names: Vec<String>,
}

impl<'a> Visit<'a> for Calls {
    fn visit_expr_call(&mut self, call: &'a syn::ExprCall) {
        if let syn::Expr::Path(p) = &*call.func
            && let Some(ident) = p.path.get_ident()
        {
            let name = ident.to_string();
            if !self.names.contains(&name) {
                self.names.push(name);
            }
        }
        syn::visit::visit_expr_call(self, call);
    }
}

/// The files of a hint module other than its lesson file that hold part of
/// what the page shows: python_batching's `impl Hint` (with `fn variants`)
/// lives in `python_batching/case.rs`, its `bad` and `good` in the lesson.
fn parts(id: &str) -> &'static [&'static str] {
    match id {
        "python_batching" => &[include_str!("../../hints/python_batching/case.rs")],
        _ => &[],
    }
}

/// The variants of hint `id`, whose lesson file is `source`: [`variants_in`]
/// over the lesson and the module's other files that hold its `impl Hint`.
pub fn of_hint(id: &str, source: &str) -> Result<Vec<Variant>, String> {
    let mut sources = vec![source];
    sources.extend(parts(id));
    variants_in(&sources)
}

/// The variants of the hint module `source`, in the order its `variants` fn
/// hands them over; an error when the source does not parse or has no such
/// fn.
pub fn variants(source: &str) -> Result<Vec<Variant>, String> {
    variants_in(&[source])
}

/// [`variants`] for a module split over several files: the first `fn
/// variants` found in `sources`, and the top-level functions of all of them
/// (the first file's where two share a name).
pub fn variants_in(sources: &[&str]) -> Result<Vec<Variant>, String> {
    let files = sources
        .iter()
        .map(|s| syn::parse_file(s).map_err(|e| format!("does not parse: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let mut functions: BTreeMap<String, (&str, &syn::ItemFn)> = BTreeMap::new();
    for (file, source) in files.iter().zip(sources).rev() {
        for item in &file.items {
            if let syn::Item::Fn(f) = item {
                functions.insert(f.sig.ident.to_string(), (source, f));
            }
        }
    }
    let (source, body) = files
        .iter()
        .zip(sources)
        .find_map(|(file, source)| {
            file.items
                .iter()
                .filter_map(|item| match item {
                    syn::Item::Impl(i) => Some(i),
                    _ => None,
                })
                .flat_map(|i| &i.items)
                .find_map(|item| match item {
                    syn::ImplItem::Fn(f) if f.sig.ident == "variants" => Some((*source, &f.block)),
                    _ => None,
                })
        })
        .ok_or("has no `fn variants`")?;
    let mut calls = VariantCalls::default();
    calls.visit_block(body);
    if calls.found.is_empty() {
        return Err("its `fn variants` hands over no `v.variant(\"name\", ..)`".into());
    }
    Ok(calls
        .found
        .into_iter()
        .map(|(name, expr)| {
            let mut called = Calls::default();
            called.visit_expr(expr);
            let direct: Vec<String> = called
                .names
                .into_iter()
                .filter(|n| functions.contains_key(n))
                .collect();
            // Breadth first through the module's functions they call.
            let mut seen = direct.clone();
            let mut helpers = Vec::new();
            let mut next = 0;
            while next < seen.len() {
                let mut calls = Calls::default();
                calls.visit_item_fn(functions[&seen[next]].1);
                for n in calls.names {
                    if functions.contains_key(&n) && !seen.contains(&n) {
                        seen.push(n.clone());
                        helpers.push(n);
                    }
                }
                next += 1;
            }
            let text = |n: &String| {
                let (src, f) = functions[n];
                (n.clone(), text_of(src, f.span()))
            };
            Variant {
                name,
                closure: text_of(source, expr.span()),
                functions: direct.iter().map(text).collect(),
                helpers: helpers.iter().map(text).collect(),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODULE: &str = r#"//! # A hint
//! Doc.

use crate::hint::{Hint, Variants};

/// The slow one: "}" in a string and a '}' char do not end it.
pub fn bad(xs: &[u32]) -> u32 {
    let s = "}";
    let _c = '}';
    xs.iter().map(|x| { x + s.len() as u32 }).sum()
}

/// The fast one.
#[inline]
pub fn good(xs: &[u32]) -> u32 {
    helper(xs)
}

fn helper(xs: &[u32]) -> u32 {
    xs.iter().sum()
}

pub struct Case;

impl Hint for Case {
    fn variants<V: Variants<Self>>(v: &mut V) {
        v.variant("bad", |i: &Vec<u32>, _| bad(i));
        v.variant("good", |i: &Vec<u32>, p| rt(p).block_on(good(i)));
        v.variant("inline", |i: &Vec<u32>, _| i.iter().sum());
    }
}
"#;

    #[test]
    fn finds_each_variant_and_the_functions_it_calls() {
        let v = variants(MODULE).unwrap();
        let names: Vec<&str> = v.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["bad", "good", "inline"]);
        assert_eq!(v[0].closure, "|i: &Vec<u32>, _| bad(i)");
        assert_eq!(v[0].functions.len(), 1);
        let bad = &v[0].functions[0].1;
        assert!(bad.starts_with("/// The slow one"), "{bad}");
        assert!(bad.ends_with("as u32 }).sum()\n}"), "{bad}");
        // `rt` is not a function of the module; `good` is, with its attribute.
        assert_eq!(v[1].functions.len(), 1);
        assert!(v[1].functions[0].1.contains("#[inline]\npub fn good"));
        assert_eq!(v[1].helpers.len(), 1);
        assert!(v[1].helpers[0].1.starts_with("fn helper"));
        assert!(v[0].helpers.is_empty());
        assert!(v[2].functions.is_empty());
        assert_eq!(v[2].closure, "|i: &Vec<u32>, _| i.iter().sum()");
    }

    #[test]
    fn every_listed_hint_has_its_bad_and_good_functions() {
        // python_batching's `impl Hint` lives in `python_batching/case.rs`:
        // `of_hint` reads it beside the lesson file.
        for e in crate::hints::all() {
            let v = of_hint(e.id(), e.source()).unwrap_or_else(|err| panic!("{}: {err}", e.id()));
            for want in ["bad", "good"] {
                let found = v.iter().find(|v| v.name == want);
                let found = found.unwrap_or_else(|| panic!("{}: no {want}", e.id()));
                assert!(
                    found
                        .functions
                        .iter()
                        .any(|(_, text)| text.contains(&format!("fn {want}"))),
                    "{}: {want} calls no function of the module: {}",
                    e.id(),
                    found.closure
                );
            }
        }
    }
}
