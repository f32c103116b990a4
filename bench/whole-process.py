#!/usr/bin/env python3
"""Whole-process benchmark of the release binary against the budgets in the brief.

Measures: one resume with all built-in rules (wall time per process, median of many runs);
bulk linting throughput on one core and on all cores; peak memory for one resume; and how
the time moves with the number of rules. Synthetic resumes come from
../shared/bench/make-corpus.py (benchmarks only, never rule quality).

Usage: python3 bench/whole-process.py [N_FILES]
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "resume-lint")
MAKE = os.path.join(ROOT, "..", "shared", "bench", "make-corpus.py")


def timed(args, env=None, repeat=1):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return times


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        one = os.path.join(tmp, "one.md")
        subprocess.run([sys.executable, MAKE, "--one", one], check=True, stdout=subprocess.DEVNULL)
        corpus = os.path.join(tmp, "corpus")
        subprocess.run([sys.executable, MAKE, corpus, str(n), "7"], check=True, stdout=subprocess.DEVNULL)
        size = sum(os.path.getsize(os.path.join(dp, f)) for dp, _, fs in os.walk(corpus) for f in fs)

        timed([BIN, one], repeat=5)  # warm the page cache
        single = timed([BIN, one], repeat=200)
        print(f"one resume, all rules, whole process: median {statistics.median(single)*1000:.2f} ms, "
              f"p90 {sorted(single)[int(len(single)*0.9)]*1000:.2f} ms")

        one_rule = timed([BIN, "--select", "style/duty-not-result", one], repeat=200)
        print(f"one resume, one rule:                  median {statistics.median(one_rule)*1000:.2f} ms")

        child = subprocess.Popen([BIN, one], stdout=subprocess.DEVNULL)
        _, _, usage = os.wait4(child.pid, 0)
        print(f"peak RSS, one resume: {usage.ru_maxrss/1024:.1f} MB")

        cores = os.cpu_count() or 1
        for threads in sorted({1, cores}):
            env = dict(os.environ, RAYON_NUM_THREADS=str(threads))
            t = min(timed([BIN, "--format", "concise", corpus], env=env, repeat=3))
            print(f"bulk {n * 2} files, {size/1e6:.1f} MB, {threads} thread(s): {t:.3f} s = {size/1e6/t:.1f} MB/s "
                  f"({size/1e6/t/threads:.1f} MB/s per core)")


if __name__ == "__main__":
    main()
