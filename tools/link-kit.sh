#!/usr/bin/env bash
# The linker of this project's builds on x86_64 Linux (`.cargo/config.toml`):
# it links exactly as rustc's default driver does (`cc` with the arguments
# rustc gives it, rust-lld among them), and for the bench binary only
# (`*/deps/hints-<hash>`) it then keeps a relink kit beside the output,
# `<output>.kit/`: copies of the object files rustc deletes after linking,
# and the argument list pointing at them. The bench
# (`perf_hints::measure::layouts`) links that kit again with
# `-Wl,--shuffle-sections=<glob>=<seed>`: the same machine code, with its
# functions and data in another order, in a second or two and without a
# rebuild. Anything the kit cannot cover (an @argument file, a failed copy)
# leaves no kit, and the bench then measures its one build.
set -u
cc "$@" || exit $?

out=""
prev=""
for a in "$@"; do
  if [ "$prev" = "-o" ]; then out="$a"; fi
  prev="$a"
done
case "$out" in
  */deps/hints-*) ;;
  *) exit 0 ;;
esac
case "$(basename "$out")" in
  *.*) exit 0 ;;
esac

kit="$out.kit"
rm -rf "$kit"
mkdir -p "$kit/obj" || exit 0
abs() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$PWD" "$1" ;; esac; }
: > "$kit/args.tmp"
n=0
for a in "$@"; do
  case "$a" in
    @*) rm -rf "$kit"; exit 0 ;;
  esac
  if [ "${a%.o}" != "$a" ] && [ -f "$a" ]; then
    n=$((n + 1))
    copy="$kit/obj/$n-$(basename "$a")"
    cp "$a" "$copy" || { rm -rf "$kit"; exit 0; }
    a="$(abs "$copy")"
  fi
  printf '%s\0' "$a" >> "$kit/args.tmp"
done
mv "$kit/args.tmp" "$kit/args"
exit 0
