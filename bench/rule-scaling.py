#!/usr/bin/env python3
"""How the time moves with the number of rules: builds resume-lint with ten times the built-in
rules (nine copies of every rule and lexicon class, under new ids and with new words, so the
vocabulary and the patterns grow tenfold; copies never fire, so both builds print the same
findings and the ratio is the cost of carrying rules, not of printing more) and times it against the normal build, whole process,
interleaved, on one resume and on a folder of synthetic resumes.

Usage: python3 bench/rule-scaling.py [--runs N] [--keep DIR]
The copy is built in a temporary directory with its own target dir (a full release build);
with --keep DIR it is built in DIR and kept, so a profiler can be pointed at DIR's binary and a
second run rebuilds only the crate.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAKE = os.path.join(ROOT, "..", "shared", "bench", "make-corpus.py")
COPIES = 9


def mutate_words(text, k):
    """New words for copy k: every word of a lexicon list or a pattern literal gets a suffix that
    no resume contains, so the copies cost lookups and matching but never fire."""
    def word(m):
        w = m.group(0)
        return w if w.startswith("@") or not w[0].isalpha() else f"{w}zq{k}"
    return re.sub(r"@?[A-Za-z][A-Za-z0-9']*", word, text)


def copy_rules(rules_dir, k):
    for dirpath, _, files in os.walk(rules_dir):
        for name in sorted(files):
            if not name.endswith(".toml") or "zq" in name:
                continue
            path = os.path.join(dirpath, name)
            text = open(path, encoding="utf-8").read()
            if os.path.basename(dirpath) == "lexicon":
                # Classes renamed `name-zqK`, words suffixed, includes pointing at the copies.
                text = re.sub(r"^\[classes\.([a-z0-9-]+)\]", lambda m: f"[classes.{m.group(1)}-zq{k}]", text, flags=re.M)
                text = re.sub(r"^(words = )(\[.*?\])", lambda m: m.group(1) + mutate_words(m.group(2), k), text, flags=re.M | re.S)
                text = re.sub(r'^(include = \[)(.*?)(\])', lambda m: m.group(1) + re.sub(r'"([a-z0-9-]+)"', lambda n: f'"{n.group(1)}-zq{k}"', m.group(2)) + m.group(3), text, flags=re.M)
                out = os.path.join(dirpath, name.replace(".toml", f"-zq{k}.toml"))
            else:
                stem = name[:-5]
                text = re.sub(r'^id = "([a-z-]+)/([a-z0-9-]+)"', lambda m: f'id = "{m.group(1)}/{m.group(2)}-zq{k}"', text, flags=re.M)
                # Patterns: classes point at the copies, literal words get the suffix (inside the
                # quoted pattern strings only, never the keys).
                def pattern_string(m):
                    body = re.sub(r'@(?!quantity\b|number\b|capitalized\b|measure\b)([a-z0-9-]+)', lambda n: f"@{n.group(1)}-zq{k}", m.group(0))
                    return re.sub(r'(?<![@\w-])([a-z][a-z\']*)(?=[+?|"\s\]\\]|$)', lambda n: f"{n.group(1)}zq{k}", body)
                def patterns(m):
                    return re.sub(r'"(?:[^"\\]|\\.)*"', pattern_string, m.group(0))
                text = re.sub(r'^(patterns|unless|exceptions|trigger|evidence|claim) = \[(?:[^\n]*\]$|.*?^\])', patterns, text, flags=re.M | re.S)
                text = re.sub(r'^supersedes = .*$', "", text, flags=re.M)
                # Copies must not fire, or the run measures printing their findings, not
                # carrying the rules. Word-bearing patterns can no longer match; a rule that
                # fires on what is *absent* (requires, document, coverage) gets evidence that is
                # always there, and a budget (limit, repeat) one out of reach.
                kind = re.search(r'^kind = "([a-z]+)"', text, flags=re.M).group(1)
                if kind == "requires":
                    text = re.sub(r'^patterns = \[', 'patterns = ["_", ', text, count=1, flags=re.M)
                elif kind == "document":
                    text = re.sub(r'^evidence = \[', 'evidence = ["_", ', text, count=1, flags=re.M)
                elif kind in ("limit", "repeat"):
                    text = re.sub(r'^max = (\d+)', lambda m: f"max = {int(m.group(1)) * 1000}", text, count=1, flags=re.M)
                elif kind == "coverage":
                    text = re.sub(r'^tolerate = .*$', "", text, flags=re.M)
                    text = re.sub(r'^kind = "coverage"', 'kind = "coverage"\ntolerate = 1000', text, count=1, flags=re.M)
                # The copies' examples would not fire (their words are new); keep only what the
                # loader requires and drop the rest.
                text = text.split("[[bad]]")[0] + '[[bad]]\ncontext = "bullet"\ntext = "x"\n[[good]]\ncontext = "bullet"\ntext = "y"\n'
                out = os.path.join(dirpath, f"{stem}-zq{k}.toml")
            open(out, "w", encoding="utf-8").write(text)


def timed(cmd, env=None):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--keep", metavar="DIR", help="build the copy in DIR and keep it")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    base = os.path.join(ROOT, "target", "release", "resume-lint")
    with tempfile.TemporaryDirectory() as scratch:
        tmp = os.path.abspath(args.keep) if args.keep else scratch
        crate = os.path.join(tmp, "crate")
        if os.path.isdir(crate):
            shutil.rmtree(crate)
        files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
        for f in files:
            os.makedirs(os.path.dirname(os.path.join(crate, f)) or crate, exist_ok=True)
            shutil.copy2(os.path.join(ROOT, f), os.path.join(crate, f))
        for k in range(1, COPIES + 1):
            copy_rules(os.path.join(crate, "rules"), k)
        print("building the 10x copy (a full release build)...", file=sys.stderr)
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=crate, check=True,
                       env=dict(os.environ, CARGO_TARGET_DIR=os.path.join(tmp, "target")))
        big = os.path.join(tmp, "target", "release", "resume-lint")
        n_base = len(subprocess.run([base, "rules"], capture_output=True, text=True).stdout.splitlines())
        n_big = len(subprocess.run([big, "rules"], capture_output=True, text=True).stdout.splitlines())
        one = os.path.join(tmp, "one.md")
        subprocess.run([sys.executable, MAKE, "--one", one], check=True, stdout=subprocess.DEVNULL)
        folder = os.path.join(tmp, "bulk")
        subprocess.run([sys.executable, MAKE, folder, "200", "1"], check=True, stdout=subprocess.DEVNULL)
        same = subprocess.run([base, "--format", "concise", one], capture_output=True).stdout == \
            subprocess.run([big, "--format", "concise", one], capture_output=True).stdout
        for label, cmd_args, runs in [("one resume", [one], args.runs), ("400 files", ["--format", "concise", folder], 5)]:
            a, b = [], []
            for _ in range(runs):
                a.append(timed([base, *cmd_args]))
                b.append(timed([big, *cmd_args]))
            ratios = sorted(y / x for x, y in zip(a, b))
            print(f"{label}: built-in rules {statistics.median(a)*1000:.1f} ms, 10x rules {statistics.median(b)*1000:.1f} ms, "
                  f"ratio median {statistics.median(ratios):.2f} (min {ratios[0]:.2f}, max {ratios[-1]:.2f})")
        print(f"rules listed: {n_base} lines vs {n_big} lines; same findings on the resume: {same}")
        # Instructions (callgrind) do not depend on what else the machine is doing.
        if shutil.which("valgrind"):
            for label, cmd_args in [("one resume", [one]), ("400 files", ["--format", "concise", folder])]:
                counts = []
                for binary in (base, big):
                    out = os.path.join(tmp, "cg.out")
                    r = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", binary, *cmd_args],
                                       capture_output=True, text=True, env=dict(os.environ, RAYON_NUM_THREADS="1"))
                    m = re.search(r"refs:\s+([\d,]+)", r.stderr)
                    counts.append(int(m.group(1).replace(",", "")) if m else 0)
                if all(counts):
                    print(f"{label}: instructions {counts[0]:,} vs {counts[1]:,}, ratio {counts[1] / counts[0]:.2f}")


if __name__ == "__main__":
    main()
