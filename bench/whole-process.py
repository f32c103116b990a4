#!/usr/bin/env python3
"""Whole-process benchmark: resume-lint side by side with peer tools, in one run, on one input.

This machine is small and shared, so absolute milliseconds drift from run to run. What stays put
is the ratio between tools measured in the same run, interleaved (A B C A B C ...), so that a slow
patch of the machine hits every tool alike. Quote the ratios, not the milliseconds.

What it does, in one invocation:
  1. builds resume-lint (cargo build --release), unless --no-build;
  2. makes one synthetic resume and a 1,000-resume corpus (md/ + txt/, so 2,000 files) with
     ../shared/bench/make-corpus.py (synthetic text: for speed only, never rule quality);
  3. writes 500 fixed phrases for ripgrep, taken deterministically from the corpus, as a
     "dumb phrase search" floor for what a phrase-list linter has to cost;
  4. times whole processes (start-up included, which is what a user or an editor pays):
     one resume: resume-lint --version / all rules / one rule, ripgrep, write-good, textlint,
     proselint, harper-bench;  bulk: resume-lint with 1 and 2 threads, ripgrep, and every peer,
     on a 100-file slice and on the full folder (peers that overrun --cap on the full folder are
     skipped with a note);
  5. prints markdown tables: median / min / max ms, ratio to resume-lint, peak RSS, MB/s.
  6. with --callgrind (and valgrind installed): instructions per input byte for the native
     tools on the 100-file slice; instruction counts barely move with machine load.

Peers are installed by bench/peers/setup.sh (pinned versions; nothing is fetched here). A peer
that is missing is reported and skipped. This script is never run by the test suite.

Usage: python3 bench/whole-process.py [--quick] [--runs N] [--bulk-runs N] [--cap S]
                                      [--no-build | --bin PATH] [--callgrind] [--keep DIR]
"""
import argparse
import collections
import hashlib
import importlib.util
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
BIN = os.path.join(ROOT, "target", "release", "resume-lint")
MAKE = os.path.join(ROOT, "..", "shared", "bench", "make-corpus.py")
PEERS = os.path.join(BENCH, "peers")
NODE_BIN = os.path.join(PEERS, "node_modules", ".bin")
HARPER = os.path.join(BENCH, "harper-bench", "target", "release", "harper-bench")
MISSING = "not installed (run bench/peers/setup.sh)"
# GNU time, for peak RSS. ru_maxrss from os.wait4 alone is useless here: Linux carries the
# forking parent's high-water mark (this Python process, tens of MB) across exec into the
# child's figure. GNU time forks the tool from its own small process, so its %M is the tool's.
GNU_TIME = "/usr/bin/time"

N_PHRASES = 500
SLICE = 100  # files in the small bulk input (also the callgrind input)


class Case:
    """One command line to time, and what was measured."""

    def __init__(self, tool, case, argv, *, env=None, cwd=None, nbytes=0,
                 missing=None, capped=False):
        self.tool, self.case, self.argv = tool, case, argv
        self.env, self.cwd, self.nbytes = env, cwd, nbytes
        self.missing = missing      # reason the tool cannot run, or None
        self.capped = capped        # a peer on a bulk input: skipped if its first run overruns --cap
        self.wall, self.cpu = [], []
        self.rss_kb = None          # peak RSS from the probe run
        self.runs = 0               # runs wanted; decided after the probe run
        self.note = None            # why it was skipped, or what the probe saw
        self.sample = ""            # last line of output from the probe, to show it did work


def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)  # the child's own session: only what this script started
    except ProcessLookupError:
        pass


def run_once(c, timeout=None, rss_file=None):
    """Run a case as a whole process; return (wall s, cpu s, ru_maxrss KiB, rc, output summary).

    os.wait4 gives the child's own rusage, so CPU time covers the tool and its threads only.
    Output goes to a temp file, not a pipe, so that printing never stalls the child. A timer
    kills the child's process group when it overruns `timeout`. With rss_file, the tool runs
    under GNU time, which writes its peak RSS there.
    """
    env = dict(os.environ, **(c.env or {}))
    argv = [GNU_TIME, "-f", "%M", "-o", rss_file] + c.argv if rss_file else c.argv
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                 env=env, cwd=c.cwd, start_new_session=True)
        timer = None
        if timeout:
            timer = threading.Timer(timeout, kill_group, (child.pid,))
            timer.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from waiting again
        if timer:
            timer.cancel()
        out.seek(0)
        text = re.sub(r"\x1b\[[0-9;]*m", "", out.read().decode("utf-8", "replace"))
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    last = f"{len(lines)} lines, last: {lines[-1]}" if lines else "(no output)"
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, child.returncode, last


def measure(cases, runs, cap, budget, tmp):
    """Probe each case once (warms the page cache and the tools' own caches, and measures peak
    RSS), then run them round-robin, rotating the starting case each round so no tool always
    runs first. Only the round-robin runs are timed."""
    live = []
    rss_file = os.path.join(tmp, "rss.txt") if os.access(GNU_TIME, os.X_OK) else None
    for c in cases:
        if c.missing:
            continue
        wall, cpu, rss, rc, last = run_once(c, timeout=cap if c.capped else None, rss_file=rss_file)
        if c.capped and wall >= cap:
            c.note = f"skipped: over the {cap:.0f} s cap on the first run"
            continue
        if rc < 0:
            c.note = f"killed by signal {-rc}"
            continue
        c.sample = f"rc={rc}, {last[:100]}"
        if rss_file:
            with open(rss_file) as fh:
                c.rss_kb = int(fh.read().split()[-1])
        else:
            c.rss_kb = rss  # an upper bound: see GNU_TIME
        # Slow peers get fewer runs so one run of the script stays within minutes.
        c.runs = max(1, min(runs, int(budget / max(wall, 1e-3))))
        live.append(c)
    for r in range(max((c.runs for c in live), default=0)):
        todo = [c for c in live if c.runs > r]
        k = r % len(todo)
        for c in todo[k:] + todo[:k]:
            wall, cpu, _, _, _ = run_once(c)
            c.wall.append(wall)
            c.cpu.append(cpu)


def ms(s):
    return f"{s * 1000:.1f}" if s < 10 else f"{s * 1000:.0f}"


def num(x):
    """Three significant figures, without scientific notation for the sizes seen here."""
    return f"{x:.3g}" if x < 100 else f"{x:.0f}"


def table(title, cases, baseline, bulk):
    """Markdown table. Ratio = this row's median / the baseline's median (>1: slower than it)."""
    print(f"\n### {title}\n")
    head = "| tool | case | runs | median ms | min ms | max ms | x resume-lint (>1: slower) | peak RSS MB |"
    rule = "|---|---|---:|---:|---:|---:|---:|---:|"
    if bulk:
        head += " MB/s | MB/s per core |"
        rule += "---:|---:|"
    print(head)
    print(rule)
    base = statistics.median(baseline.wall) if baseline.wall else None
    for c in cases:
        if not c.wall:
            why = c.missing or c.note or "no runs"
            print(f"| {c.tool} | {c.case} | 0 | {why} | | | | |" + (" | |" if bulk else ""))
            continue
        med = statistics.median(c.wall)
        ratio = f"{med / base:.2f}" if base else "n/a"
        row = (f"| {c.tool} | {c.case} | {len(c.wall)} | {ms(med)} | {ms(min(c.wall))} | {ms(max(c.wall))} "
               f"| {ratio} | {c.rss_kb / 1024:.1f} |")
        if bulk:
            mb = c.nbytes / 1e6
            # Per core = bytes per CPU-second (user+sys over all threads), so a multi-threaded
            # tool is not flattered by the second core.
            row += f" {num(mb / med)} | {num(mb / statistics.median(c.cpu))} |"
        print(row)


def ratio_line(label, a, b):
    if a.wall and b.wall:
        r = statistics.median(a.wall) / statistics.median(b.wall)
        print(f"- {label}: **{r:.2f}x**")
    else:
        print(f"- {label}: n/a ({a.missing or a.note or b.missing or b.note or 'no runs'})")


def make_phrases(corpus_files, path):
    """500 phrases: distinct word bigrams and trigrams of the corpus, ordered by a hash of the
    phrase (not by frequency), so the list mixes common and rare phrases and is the same on
    every machine (make-corpus.py is deterministic)."""
    grams = set()
    for f in corpus_files:
        with open(f, encoding="utf-8") as fh:
            words = re.findall(r"[a-z][a-z'-]+", fh.read().lower())
        for n in (2, 3):
            grams.update(" ".join(words[i:i + n]) for i in range(len(words) - n + 1))
    pick = sorted(grams, key=lambda g: hashlib.sha1(g.encode()).hexdigest())[:N_PHRASES]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(pick) + "\n")


def tree_bytes(paths):
    return sum(os.path.getsize(p) for p in paths)


def files_under(d):
    return sorted(os.path.join(dp, f) for dp, _, fs in os.walk(d) for f in fs if f.endswith((".md", ".txt")))


def peer_commands():
    """argv prefix for each peer, or a reason it is missing."""
    have_node = shutil.which("node") is not None

    def node_tool(name):
        exe = os.path.join(NODE_BIN, name)
        return [exe] if have_node and os.path.exists(exe) else None

    rg = shutil.which("rg")
    # Run proselint's module with this interpreter: a version-manager shim in front of the
    # `proselint` script would add its own start-up time to every run.
    if importlib.util.find_spec("proselint"):
        prose = [sys.executable, "-m", "proselint", "check"]
    elif shutil.which("proselint"):
        prose = [shutil.which("proselint"), "check"]
    else:
        prose = None
    textlint = node_tool("textlint")
    if textlint:
        textlint += ["--config", os.path.join(PEERS, ".textlintrc")]
    return {
        "ripgrep": [rg] if rg else None,
        "write-good": node_tool("write-good"),
        "textlint": textlint,
        "proselint": prose,
        "harper-bench": [HARPER] if os.path.exists(HARPER) else None,
    }


def callgrind(cmds, slice_dir, slice_files, phrases, tmp):
    """Total instructions (Ir) per input byte on the 100-file slice, start-up included, one
    thread. Counts move little with machine load, so this ratio is the least noisy one."""
    if not shutil.which("valgrind"):
        print("\n--callgrind: valgrind not installed; skipped")
        return
    nbytes = tree_bytes(slice_files)
    runs = [("resume-lint", [BIN, "--format", "concise", slice_dir])]
    if cmds["ripgrep"]:
        runs.append(("ripgrep (-j1)", cmds["ripgrep"] + ["-j1", "-c", "-F", "-i", "-f", phrases, slice_dir]))
    # harper-bench is left out: ~10 s natively on the slice is ~10 minutes under callgrind.
    print(f"\n### Instructions per byte (callgrind, {len(slice_files)} files, {nbytes / 1e6:.2f} MB)\n")
    print("| tool | total Ir | Ir / byte | x resume-lint |")
    print("|---|---:|---:|---:|")
    base = None
    for name, argv in runs:
        out = os.path.join(tmp, "callgrind.out")
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + argv,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=dict(os.environ, RAYON_NUM_THREADS="1"))
        total = None
        with open(out, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if line.startswith(("summary:", "totals:")):
                    total = int(line.split()[1])
        if total is None:
            print(f"| {name} | failed | | |")
            continue
        base = base or total
        print(f"| {name} | {total:,} | {total / nbytes:.0f} | {total / base:.2f} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="few runs (5 single, 2 bulk), 30 s cap: a smoke test")
    ap.add_argument("--runs", type=int, help="runs per single-file case (default 30)")
    ap.add_argument("--bulk-runs", type=int, help="runs per bulk case (default 5)")
    ap.add_argument("--cap", type=float, help="seconds a peer may take on the full folder (default 120)")
    ap.add_argument("--no-build", action="store_true", help="use the existing target/release binary")
    ap.add_argument("--bin", help="benchmark this resume-lint binary instead (implies --no-build), "
                                  "e.g. one built from an older commit")
    ap.add_argument("--callgrind", action="store_true", help="also count instructions per byte (valgrind)")
    ap.add_argument("--keep", metavar="DIR", help="write the inputs to DIR and keep them")
    a = ap.parse_args()
    runs = a.runs or (5 if a.quick else 30)
    bulk_runs = a.bulk_runs or (2 if a.quick else 5)
    cap = a.cap or (30.0 if a.quick else 120.0)
    # Per-case time budget after the probe: a 25 s peer gets 4 runs, not 5, at the default.
    budget = 100.0 if not a.quick else 15.0

    global BIN
    if a.bin:
        BIN = os.path.abspath(a.bin)
    elif not a.no_build:
        if subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT).returncode:
            sys.exit("cargo build --release failed; rerun with --no-build or --bin PATH")
    if not os.path.exists(BIN):
        sys.exit(f"{BIN} not found: build it, or pass --bin PATH")

    tmp_ctx = tempfile.TemporaryDirectory()
    tmp = a.keep or tmp_ctx.name
    os.makedirs(tmp, exist_ok=True)
    # Benchmark a private copy: a rebuild of target/ during the run must not swap binaries
    # between rounds.
    frozen = os.path.join(tmp, "resume-lint")
    shutil.copy2(BIN, frozen)
    BIN = frozen

    one = os.path.join(tmp, "one.md")
    subprocess.run([sys.executable, MAKE, "--one", one], check=True, stdout=subprocess.DEVNULL)
    corpus = os.path.join(tmp, "corpus")
    if not os.path.isdir(os.path.join(corpus, "md")):
        subprocess.run([sys.executable, MAKE, corpus, "1000", "1"], check=True, stdout=subprocess.DEVNULL)
    all_files = files_under(corpus)
    # The slice: the first files of each format, copied so a directory walk sees only them.
    slice_dir = os.path.join(tmp, "slice")
    if not os.path.isdir(slice_dir):
        for sub in ("md", "txt"):
            os.makedirs(os.path.join(slice_dir, sub))
            for f in sorted(os.listdir(os.path.join(corpus, sub)))[:SLICE // 2]:
                shutil.copy(os.path.join(corpus, sub, f), os.path.join(slice_dir, sub, f))
    slice_files = files_under(slice_dir)
    phrases = os.path.join(tmp, "phrases.txt")
    make_phrases(all_files, phrases)

    one_b, slice_b, all_b = os.path.getsize(one), tree_bytes(slice_files), tree_bytes(all_files)
    cmds = peer_commands()
    version = subprocess.run([BIN, "--version"], capture_output=True, text=True).stdout.strip()

    def peer(tool, case, args, **kw):
        prefix = cmds[tool]
        if prefix is None:
            return Case(tool, case, [], missing=MISSING, **kw)
        # textlint finds its rule packages relative to its working directory.
        return Case(tool, case, prefix + args, cwd=PEERS if tool == "textlint" else None, **kw)

    rg_args = ["-c", "-F", "-i", "-f", phrases]
    one_thread = {"RAYON_NUM_THREADS": "1"}

    # --- one resume ---------------------------------------------------------------------------
    single = [
        Case("resume-lint", "one resume, all rules", [BIN, "--format", "concise", one]),
        Case("resume-lint", "--version (process floor)", [BIN, "--version"]),
        Case("resume-lint", "one rule (style/duty-not-result)",
             [BIN, "--format", "concise", "--select", "style/duty-not-result", one]),
        peer("ripgrep", f"{N_PHRASES} phrases, -F -i -c", rg_args + [one]),
        peer("write-good", "default checks", [one]),
        peer("textlint", "rule write-good", [one]),
        peer("proselint", "default checks", [one]),
        peer("harper-bench", "curated lint group", [one]),
    ]

    # --- bulk ---------------------------------------------------------------------------------
    def bulk(label, d, files, nbytes, capped):
        n = len(files)
        rows = [
            Case("resume-lint", f"{label}, 1 thread", [BIN, "--format", "concise", d],
                 env=one_thread, nbytes=nbytes),
            Case("resume-lint", f"{label}, 2 threads", [BIN, "--format", "concise", d],
                 env={"RAYON_NUM_THREADS": "2"}, nbytes=nbytes),
            peer("ripgrep", f"{label}, -j1", ["-j1"] + rg_args + [d], nbytes=nbytes),
            peer("ripgrep", f"{label}, default threads", rg_args + [d], nbytes=nbytes),
            peer("harper-bench", label, [d], nbytes=nbytes, capped=capped),
            # write-good takes file names only; 2,000 of them fit on a command line.
            peer("write-good", label, files, nbytes=nbytes, capped=capped),
            peer("textlint", label, [d], nbytes=nbytes, capped=capped),
            peer("proselint", label, [d], nbytes=nbytes, capped=capped),
        ]
        return rows, f"{n} files, {nbytes / 1e6:.2f} MB"

    slice_rows, slice_desc = bulk(f"{len(slice_files)} files", slice_dir, slice_files, slice_b, True)
    all_rows, all_desc = bulk(f"{len(all_files)} files", corpus, all_files, all_b, True)

    print(f"# resume-lint whole-process benchmark\n")
    print(f"- {version} (from {a.bin or 'target/release'}); peers from bench/peers/setup.sh; "
          f"{os.cpu_count()} CPUs; runs: {runs} per single-file case, up to {bulk_runs} per bulk case "
          f"(fewer for slow peers), interleaved; cap on the full folder {cap:.0f} s")
    print(f"- inputs: one resume {one_b:,} bytes; slice {slice_desc}; folder {all_desc}; "
          f"{N_PHRASES} ripgrep phrases from the corpus")
    sys.stdout.flush()

    t0 = time.perf_counter()
    measure(single, runs, cap, budget * 4, tmp)
    measure(slice_rows, bulk_runs, cap, budget, tmp)
    measure(all_rows, bulk_runs, cap, budget, tmp)
    elapsed = time.perf_counter() - t0

    table(f"One resume ({one_b:,} bytes), whole process; ratio to resume-lint all rules",
          single, single[0], bulk=False)
    table(f"Bulk, {slice_desc}; ratio to resume-lint 1 thread", slice_rows, slice_rows[0], bulk=True)
    table(f"Bulk, {all_desc}; ratio to resume-lint 1 thread", all_rows, all_rows[0], bulk=True)

    rl, ver, rule1, rg1 = single[0], single[1], single[2], single[3]
    print("\n### Ratios to quote\n")
    ratio_line("resume-lint one resume / `--version` (work above process start)", rl, ver)
    ratio_line("resume-lint one resume / one rule", rl, rule1)
    ratio_line(f"resume-lint one resume / ripgrep {N_PHRASES} phrases", rl, rg1)
    ratio_line(f"resume-lint {all_desc}, 1 thread / ripgrep -j1", all_rows[0], all_rows[2])
    ratio_line(f"resume-lint {all_desc}, 1 thread / 2 threads (parallel speed-up)", all_rows[0], all_rows[1])
    for c in single[4:]:
        ratio_line(f"{c.tool} one resume / resume-lint", c, rl)

    if rl.rss_kb:
        how = "GNU time %M" if os.access(GNU_TIME, os.X_OK) else \
            "os.wait4 ru_maxrss, an upper bound: it includes this script's own RSS; install `time`"
        print(f"\nPeak RSS, resume-lint on one resume: {rl.rss_kb / 1024:.1f} MB ({how})")
    print("\n### Last line each tool printed on its probe run, to show it did the work\n")
    for c in single + slice_rows + all_rows:
        if c.sample:
            print(f"- {c.tool}, {c.case}: {c.sample}")
    print(f"\n(measured in {elapsed:.0f} s)")

    if a.callgrind:
        callgrind(cmds, slice_dir, slice_files, phrases, tmp)
    tmp_ctx.cleanup()


if __name__ == "__main__":
    main()
