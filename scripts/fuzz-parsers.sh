#!/usr/bin/env bash
# Fuzzes the hand-written parsers with libFuzzer (`swiftc -sanitize=fuzzer,address`): the Open311
# form, the 311 CSV import, GeoJSON boundary layers, classifier model files and follow-up tokens.
# Each target lives in Tests/Fuzz/NAME/Target.swift with its seed corpus in Tests/Fuzz/NAME/corpus;
# the parsers are compiled from Sources with coverage and AddressSanitizer into .build-fuzz/.
# Inputs found during a run go to a scratch corpus (the repository's stays as committed); a crash,
# a failed check, a leak or an input slower than 5 s fails the run and is kept in .build-fuzz/crashes/.
#   scripts/fuzz-parsers.sh                    # CI: a fixed seed and a fixed number of inputs per target,
#                                              # so the same commit always fuzzes the same way (about 15 s each)
#   scripts/fuzz-parsers.sh --seconds 300 [--target NAME]   # exploring: random seed, bounded time
#   scripts/fuzz-parsers.sh --replay FILE --target NAME      # run one input (a crash) again
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=
only=
replay=
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --target) only=$2; shift 2 ;;
    --replay) replay=$(realpath "$2"); shift 2 ;;
    *) echo "usage: $0 [--seconds N] [--target NAME] [--replay FILE --target NAME]" >&2; exit 2 ;;
  esac
done
# The Swift runtime's backtracer reads memory ASan guards: a trap would be reported as its crash.
export SWIFT_BACKTRACE=enable=no
out=$PWD/.build-fuzz
mkdir -p "$out/lib" "$out/crashes"
flags=(-swift-version 6 -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility
       -parse-as-library -sanitize=fuzzer,address -O -g)

# module NAME [DEPENDENCY…]: a module of Sources, instrumented, as a static library (rebuilt
# when one of its sources or a library it depends on is newer).
module() {
  local name=$1; shift
  local lib=$out/lib/lib$name.a dep
  local stale=$([ -f "$lib" ] || echo missing)
  for dep in "$@"; do [ "$out/lib/lib$dep.a" -nt "$lib" ] && stale=yes; done
  [ -n "$(find "Sources/$name" -name '*.swift' -newer "$lib" 2>/dev/null | head -1)" ] && stale=yes
  [ -n "$stale" ] || return 0
  echo "compiling $name (instrumented)…"
  swiftc "${flags[@]}" -I "$out/lib" -module-name "$name" -emit-module -emit-module-path "$out/lib/$name.swiftmodule" \
    -emit-library -static -o "$lib" $(find "Sources/$name" -name '*.swift' | sort)
}

# target NAME SOURCES… : links Tests/Fuzz/NAME/Target.swift with extra source files and libraries
# (unoptimised, so that a failed check names itself).
target() {
  local name=$1; shift
  echo "linking fuzz-$name…"
  swiftc "${flags[@]/-O/-Onone}" -I "$out/lib" -L "$out/lib" -module-name "Fuzz_${name//-/_}" -o "$out/fuzz-$name" "Tests/Fuzz/$name/Target.swift" "$@"
}

names=(open311-form follow-up-token csv-import geojson model-file)
[ -n "$only" ] && names=("$only")
needs() { for n in "${names[@]}"; do case "$n" in "$@") return 0 ;; esac; done; return 1; }
needs csv-import geojson model-file && module ResponseCore
needs geojson model-file && module ResponseDispatch ResponseCore
for name in "${names[@]}"; do
  case "$name" in
    open311-form) target "$name" Sources/ResponseServer/Open311/Open311Form.swift ;;
    follow-up-token) target "$name" Sources/ResponseServer/Auth/FollowUpToken.swift ;;
    csv-import) target "$name" -lResponseCore ;;
    geojson|model-file) target "$name" -lResponseDispatch -lResponseCore ;;
    *) echo "no fuzz target '$name' (targets: open311-form follow-up-token csv-import geojson model-file)" >&2; exit 2 ;;
  esac
done

if [ -n "$replay" ]; then
  exec "$out/fuzz-$only" "$replay"
fi
failed=()
for name in "${names[@]}"; do
  scratch=$(mktemp -d /tmp/sr-fuzz-corpus.XXXXXX)
  if [ -n "$seconds" ]; then
    budget=(-max_total_time="$seconds")
    echo "fuzzing $name for $seconds s ($(ls "Tests/Fuzz/$name/corpus" | wc -l) seeds)…"
  else
    # Deterministic: seed 1 and a number of inputs each target runs in about 15 s on 2 cores
    # (a new finding then fails every run of the commit that has it, not one run in five).
    case "$name" in
      open311-form) runs=45000 ;; follow-up-token) runs=600000 ;; csv-import) runs=7000 ;;
      geojson) runs=300000 ;; model-file) runs=150000 ;;
    esac
    budget=(-seed=1 -runs="$runs" -max_total_time=120)
    echo "fuzzing $name: $runs inputs from seed 1 ($(ls "Tests/Fuzz/$name/corpus" | wc -l) seeds)…"
  fi
  if "$out/fuzz-$name" "$scratch" "Tests/Fuzz/$name/corpus" "${budget[@]}" -timeout=5 -rss_limit_mb=2048 \
       -max_len=65536 -artifact_prefix="$out/crashes/$name-" -print_final_stats=1 > "$out/$name.log" 2>&1; then
    grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$out/$name.log" | tr '\n' ' ' | sed "s/^/  $name: /"; echo
    echo "  corpus grew to $(ls "$scratch" | wc -l) inputs"
  else
    failed+=("$name")
    echo "  $name FAILED: see $out/$name.log; the input is in $out/crashes/"
    grep -aE "Fatal error|Precondition failed|failure|#[45] " "$out/$name.log" | head -4 | sed 's/^/    /'
  fi
  rm -rf "$scratch"
done
[ ${#failed[@]} -eq 0 ] || { echo "fuzzing failed: ${failed[*]}"; exit 1; }
echo "fuzzing passed: ${names[*]}"
