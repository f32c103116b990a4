#!/usr/bin/env bash
# Seed the working corpora and run fuzz targets with cargo-fuzz (libFuzzer, no sanitizer: it
# runs on the stable toolchain).
#
#   bash fuzz/run.sh SECONDS [TARGET...]      each target for SECONDS, one after another
#   PARALLEL=1 bash fuzz/run.sh 3600          every target side by side (one process each)
#   RUNS=10000000 MAX_LEN=1024 bash fuzz/run.sh 7200 read_text
#                                            stop at RUNS executions (or SECONDS); inputs of at
#                                            most MAX_LEN bytes (default: libFuzzer's guess)
#
# Working corpora live in fuzz/corpus/TARGET (not committed). Seeds are read in place: the
# fixtures and ../shared/corpus documents of each format are passed to libFuzzer as extra,
# read-only corpus folders; the pipeline target's seeds are written with their format byte in
# front. Crashes land in fuzz/artifacts/TARGET; minimise one with `cargo fuzz tmin -s none
# TARGET FILE`, then commit it under fuzz/regressions/TARGET/ (the replay in `cargo test` runs
# it) with the fix.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:?usage: run.sh SECONDS [TARGET...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(read_markdown read_text read_latex read_json_resume read_rendercv read_docx read_docx_xml read_pdf config rule pipeline)
shared=../../shared/corpus

seeds_for() {
  case "$1" in
    read_markdown) echo ../fixtures/markdown $shared/markdown $shared/interview ;;
    read_text) echo ../fixtures/text $shared/text ;;
    read_latex) echo ../fixtures/latex $shared/latex ;;
    read_json_resume) echo ../fixtures/json-resume $shared/json-resume ;;
    read_rendercv) echo ../fixtures/rendercv $shared/rendercv ;;
    read_docx) echo $shared/docx ;;
    read_pdf) echo ;;
    *) echo ;;
  esac
}

mkdir -p corpus
# Rules and lexicons as seeds for the rule loader; configs for the config loader.
if [ ! -d corpus/rule ]; then
  mkdir -p corpus/rule
  find ../rules -name '*.toml' | head -200 | while read -r f; do cp "$f" "corpus/rule/$(echo "$f" | tr / _)"; done
fi
if [ ! -d corpus/config ]; then
  mkdir -p corpus/config
  printf 'select = ["metrics"]\nignore = ["style/long-bullet"]\nexclude = ["drafts/**"]\n[severity]\n"style/long-bullet" = "info"\n[kinds]\nscript = ["scripts/**"]\n[sections]\n"Selected Work" = "experience"\n[script]\nseconds-per-answer = 90\n[limits]\nblocks = 500\n' > corpus/config/full.toml
  printf 'rules = ["lint-rules"]\n' > corpus/config/rules.toml
fi
# The pipeline target: the first byte picks the format (see resume_lint::fuzzing::FORMATS).
if [ ! -d corpus/pipeline ]; then
  mkdir -p corpus/pipeline
  i=0
  for pair in "0:md" "1:txt" "2:tex" "3:json" "4:yaml" "5:docx"; do
    byte=${pair%%:*}; ext=${pair#*:}
    find ../fixtures $shared -name "*.$ext" 2>/dev/null | while read -r f; do
      { printf "\\x0$byte"; cat "$f"; } > "corpus/pipeline/seed-$byte-$(basename "$f")"
    done
  done
fi
# read_docx_xml's input is a package's document, styles and header parts joined by 0x01 bytes:
# seeded with those of the shared .docx files (the working corpus is never committed).
if [ ! -d corpus/read_docx_xml ]; then
  mkdir -p corpus/read_docx_xml
  python3 -c "
import glob, zipfile
for i, f in enumerate(sorted(glob.glob('$shared/docx/*.docx'))):
    z = zipfile.ZipFile(f)
    part = lambda n: z.read(n) if n in z.namelist() else b''
    open('corpus/read_docx_xml/seed-%d' % i, 'wb').write(b'\x01'.join(part(n) for n in ('word/document.xml', 'word/styles.xml', 'word/header1.xml')))"
fi
# A small PDF seed, made by the benchmark's generator.
if [ ! -d corpus/read_pdf ]; then
  mkdir -p corpus/read_pdf
  python3 -c "
import sys; sys.path.insert(0, '../bench'); import hostile
open('corpus/read_pdf/seed.pdf', 'wb').write(hostile.pdf(3000))
open('corpus/pipeline/seed-6.pdf', 'wb').write(b'\x06' + hostile.pdf(3000))"
fi

run() {
  local t=$1
  mkdir -p "corpus/$t"
  local extra=()
  [ -z "${RUNS:-}" ] || extra+=("-runs=$RUNS")
  [ -z "${MAX_LEN:-}" ] || extra+=("-max_len=$MAX_LEN")
  local status=0
  # shellcheck disable=SC2046
  cargo fuzz run -s none "$t" "corpus/$t" $(seeds_for "$t") -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 "${extra[@]}" > "corpus/$t.log" 2>&1 || status=$?
  echo "$t: $(grep -a -E "^Done [0-9]+ runs" "corpus/$t.log" | tail -1)"
  # A crash, a timeout, running out of memory, or a build that failed: show why, and fail.
  if [ "$status" != 0 ]; then
    echo "fuzz target $t failed (exit $status); the end of fuzz/corpus/$t.log:" >&2
    tail -n 25 "corpus/$t.log" >&2
    return 1
  fi
}

failed=0
if [ "${PARALLEL:-}" = 1 ]; then
  pids=()
  for t in "${targets[@]}"; do run "$t" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
else
  for t in "${targets[@]}"; do run "$t" || failed=1; done
fi
# A crash leaves an artifact: fail then.
if compgen -G "artifacts/*/*" > /dev/null; then
  echo "fuzzing found crashes:" >&2
  ls artifacts/*/* >&2
  exit 1
fi
exit "$failed"
