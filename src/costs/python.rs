//! The Python rows, through the interpreter the `python` feature embeds.

use crate::measure::sampler::{Budget, sample};
use pyo3::prelude::*;
use std::ffi::CString;

/// Nanoseconds per operation of a Python statement `stmt` run `n` times
/// in a loop (after `setup`), less the same loop with `pass`.
fn timeit(budget: &Budget, setup: &str, stmt: &str) -> Vec<f64> {
    Python::attach(|py| {
        let code = CString::new(format!(
            "{setup}\ndef _run(n):\n    for _ in range(n):\n        {stmt}\ndef _empty(n):\n    for _ in range(n):\n        pass\n"
        ))
        .expect("no NUL");
        let globals = pyo3::types::PyDict::new(py);
        py.run(&code, Some(&globals), None).expect("the setup runs");
        let run = globals.get_item("_run").ok().flatten().expect("defined");
        let empty = globals.get_item("_empty").ok().flatten().expect("defined");
        const N: u64 = 1000;
        let full = sample(budget, || {
            run.call1((N,)).expect("runs");
            N
        });
        let base = sample(budget, || {
            empty.call1((N,)).expect("runs");
            N
        });
        full.iter().zip(&base).map(|(f, b)| f - b).collect()
    })
}

pub fn measure(id: &str, budget: &Budget) -> Option<(Vec<f64>, String)> {
    crate::support::python::start();
    Some(match id {
        "python_call" => (
            timeit(budget, "def f(x):\n    return x", "f(1)"),
            String::new(),
        ),
        "gil_acquire_release" => (
            sample(budget, || {
                for _ in 0..256 {
                    Python::attach(|py| {
                        std::hint::black_box(py);
                    });
                }
                256
            }),
            String::new(),
        ),
        "py_dict_lookup" => (
            timeit(budget, "d = {i: i for i in range(1000)}", "d[500]"),
            String::new(),
        ),
        "py_list_append" => (timeit(budget, "l = []", "l.append(1)"), String::new()),
        "py_getattr" => (
            timeit(
                budget,
                "class C:\n    def __init__(self):\n        self.x = 1\no = C()",
                "getattr(o, 'x')",
            ),
            String::new(),
        ),
        "py_isinstance" => (timeit(budget, "x = 1", "isinstance(x, int)"), String::new()),
        "py_json_1k" => (
            timeit(
                budget,
                "import json\ns = json.dumps([{'id': i, 'name': 'item%d' % i, 'ok': True} for i in range(28)])[:1024]\ns = s[:s.rfind('},') + 1] + ']'",
                "json.loads(s)",
            ),
            String::new(),
        ),
        _ => return None,
    })
}
