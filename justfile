# perf-hints: every recipe is one plain command, shown here, so nothing needs just.

# List the recipes.
default:
    @just --list

# Check that every hint's variants agree (and the rest of the test suite).
test:
    cargo test
    cargo run --release -- validate

# Measure every hint and print the before/after table (also saved in target/perf-hints/).
bench:
    cargo bench

# Measure one hint, e.g. `just hint with_capacity`.
hint id:
    cargo bench -- {{id}}/

# Quick smoke run: every hint with shortened measurements; the table is for checking, not quoting.
smoke:
    PERF_HINTS_QUICK=1 cargo bench

# Record a full run under results/records/ and regenerate results/README.md.
record:
    PERF_HINTS_RECORD=1 cargo bench

# Check every hint's expectations from deterministic counts (needs valgrind).
validate:
    cargo run --release -- validate

# Regenerate results/ (tables, charts, pages) and the README's results section from the newest record (no measuring).
report:
    cargo run --release -- report

# The results as a static site from the records (no measuring): target/perf-hints/site/index.html.
site:
    cargo run --release -- site

# Compare two records (default: the two newest), e.g. `just compare --only-moved`.
compare *args:
    cargo run --release -- compare {{args}}

# The API docs, warnings denied as CI builds them; each hint's page ends with its latest table.
doc:
    RUSTDOCFLAGS="-D warnings" cargo doc --no-deps

# Formatting, lints and tests, as CI runs them.
check:
    cargo fmt --check
    cargo clippy --all-targets -- -D warnings
    cargo test
    cargo run --release -- validate
    cargo run --release -- report --check
    RUSTDOCFLAGS="-D warnings" cargo doc --no-deps

# The bench workflow's publish steps, locally: validate, record a full run,
# regenerate results/ (FEATURES= to leave Python out).
publish:
    bash .ci/publish
