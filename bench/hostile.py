#!/usr/bin/env python3
"""Hostile-input benchmark: time and peak memory of resume-lint against input size.

Not a test: it prints a table. For each input format it generates resumes of about 10 KB,
100 KB, 1 MB and 8 MB (just under the file-size limit), plus the adversarial cases of issue 11
(one-line files, a million bullets, one long JSON string, a 1 MB LaTeX macro argument, a DOCX
that expands to 30 MB, DOCX paragraphs cut into 600,000 one-word or 1.2 million one-character
runs, one 30 MB DOCX paragraph, a 500-page PDF, 40,000 suppressions, 20,000 named enable
directives, 20,000 exclude globs, and 20,000 long bullets: the most the default limits let
through in full, 7.8 MB), and runs the release binary on each as a whole process under
`timeout`, reading the child's peak RSS from wait4(2).

    python3 bench/hostile.py                 # everything (builds the release binary first)
    python3 bench/hostile.py --only md,pdf   # cases whose name contains one of these
    python3 bench/hostile.py --bin PATH      # another binary (e.g. main's, for a before/after)
    python3 bench/hostile.py --raise-limits  # lift the block and time limits: the work itself

Columns: case, input bytes, exit code, wall seconds, CPU seconds (user + system), peak RSS in
MB, and the first line of stderr when the run stopped at a limit.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZES = [("10K", 10_000), ("100K", 100_000), ("1M", 1_000_000), ("8M", 7_800_000)]
BULLETS = [
    "Helped with the recommendation model for the storefront.",
    "Responsible for the order service and its APIs.",
    "Cut p99 latency of the ranking service from 180 ms to 40 ms by caching features.",
    "Utilized Kafka and Redis to build several event-driven services.",
    "Worked on various improvements to the checkout flow that significantly improved performance.",
    "Built a BERT classifier for support tickets.",
]
HEAD = "Sam Rivera\n\nAspiring ML engineer, passionate about AI and eager to learn.\n\n"


def bullets(n_bytes):
    """Bullet texts adding up to about `n_bytes`."""
    out, total, i = [], 0, 0
    while total < n_bytes:
        b = BULLETS[i % len(BULLETS)]
        out.append(b)
        total += len(b) + 4
        i += 1
    return out


def markdown(n):
    lines = ["# Sam Rivera", "", "## Experience", "", "### Software Engineer, Parcelly, 2021 - present", ""]
    lines += ["- " + b for b in bullets(n)]
    return "\n".join(lines) + "\n"


def text(n):
    return HEAD + "EXPERIENCE\n\nSoftware Engineer, Parcelly, 2021 - present\n" + "\n".join("- " + b for b in bullets(n)) + "\n"


def json_resume(n):
    import json
    return json.dumps({"basics": {"name": "Sam Rivera"},
                       "work": [{"name": "Parcelly", "position": "Software Engineer", "highlights": bullets(n * 0.93)}]}, indent=1)


def rendercv(n):
    items = "\n".join("          - " + b for b in bullets(n))
    return ("cv:\n  name: Sam Rivera\n  sections:\n    experience:\n      - company: Parcelly\n"
            "        position: Software Engineer\n        highlights:\n" + items + "\n")


def latex(n):
    items = "\n".join("  \\item " + b for b in bullets(n))
    return ("\\documentclass{article}\n\\begin{document}\n\\section{Experience}\n\\begin{itemize}\n" + items +
            "\n\\end{itemize}\n\\end{document}\n")


def docx_from_paragraphs(paras, compress=zipfile.ZIP_DEFLATED):
    return docx_from_body("".join(f'<w:p><w:r><w:t xml:space="preserve">{p}</w:t></w:r></w:p>' for p in paras), compress)


def docx_from_runs(paras):
    """A .docx whose paragraphs are each cut into the runs given (a list of lists of texts)."""
    def run(text):
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f"<w:r><w:t{space}>{text}</w:t></w:r>"
    return docx_from_body("".join("<w:p>" + "".join(run(r) for r in runs) + "</w:p>" for runs in paras))


def docx_from_body(body, compress=zipfile.ZIP_DEFLATED):
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f'<w:body>{body}</w:body></w:document>')
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compress) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", document)
        z.writestr("word/_rels/document.xml.rels", '<?xml version="1.0" encoding="UTF-8"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')
    return buf.getvalue()


def docx(n):
    """A .docx whose paragraphs hold about `n` bytes of text (the file itself is much smaller)."""
    return docx_from_paragraphs(["Sam Rivera", "Experience"] + bullets(n))


def pdf_from_pages(pages):
    """A minimal PDF, one Helvetica text line per entry of each page."""
    objs = {}
    n_pages = len(pages)
    font_id, pages_id = 3, 2
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[font_id] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    kids = []
    next_id = 4
    for lines in pages:
        content = "BT /F1 10 Tf 50 750 Td 12 TL " + " ".join(
            "(" + l.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for l in lines) + " ET"
        cid, pid = next_id, next_id + 1
        next_id += 2
        data = content.encode("latin-1")
        objs[cid] = b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
        objs[pid] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                     b"/Resources << /Font << /F1 3 0 R >> >> >>" % cid)
        kids.append(pid)
    objs[pages_id] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % n_pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for i in sorted(objs):
        offsets[i] = len(out)
        out += b"%d 0 obj\n" % i + objs[i] + b"\nendobj\n"
    xref = len(out)
    count = max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % count
    for i in range(1, count):
        out += b"%010d 00000 n \n" % offsets[i]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count, xref)
    return bytes(out)


def pdf(n):
    lines = ["Sam Rivera", "EXPERIENCE"] + ["\x95 " + b for b in bullets(n // 2)]
    pages = [lines[i:i + 55] for i in range(0, len(lines), 55)][:500]
    data = pdf_from_pages(pages)
    while len(data) > n and len(pages) > 1:
        pages = pages[: len(pages) * 3 // 4]
        data = pdf_from_pages(pages)
    return data


def encode(body):
    return body.encode() if isinstance(body, str) else body


def globs_case():
    globs = "exclude = [" + ",".join(f'"drafts{i}/**/*.md"' for i in range(20_000)) + "]\n"
    files = {"resume-lint.toml": globs.encode()}
    for i in range(50):
        files[f"d/r{i}.md"] = markdown(2_000).encode()
    return files


def cases():
    """(name, a function making (files to write {relative: bytes}, extra args, paths to lint))."""
    gen = [("md", "resume.md", markdown), ("txt", "resume.txt", text), ("json", "resume.json", json_resume),
           ("yaml", "resume.yaml", rendercv), ("tex", "resume.tex", latex), ("docx", "resume.docx", docx),
           ("pdf", "resume.pdf", pdf)]
    for key, name, f in gen:
        for label, n in SIZES:
            yield (f"{key}-{label}", lambda f=f, n=n, name=name: ({name: encode(f(n))}, [], [name]))
    yield ("md-one-line-870K", lambda: ({"r.md": " ".join(bullets(870_000)).encode()}, [], ["r.md"]))
    yield ("md-one-line-7M", lambda: ({"r.md": " ".join(bullets(7_000_000)).encode()}, [], ["r.md"]))
    yield ("md-100k-bullets", lambda: ({"r.md": ("## Experience\n" + "".join(f"- {BULLETS[i % 6]}\n" for i in range(100_000))).encode()}, [], ["r.md"]))
    yield ("md-100k-short-bullets", lambda: ({"r.md": ("## Experience\n" + "- built it\n" * 100_000).encode()}, [], ["r.md"]))
    yield ("md-1M-bullets", lambda: ({"r.md": ("## Experience\n" + "- led x\n" * 1_000_000).encode()[: 8 * 1024 * 1024 - 1]}, [], ["r.md"]))
    yield ("md-20k-long-bullets", lambda: ({"r.md": ("## Experience\n" + "".join("- " + " ".join(BULLETS[(i + k) % 6] for k in range(6)) + "\n" for i in range(19_990))).encode()}, [], ["r.md"]))
    yield ("docx-20k-long-paragraphs", lambda: ({"r.docx": docx_from_paragraphs(["Sam Rivera", "Experience"] + [" ".join(BULLETS[(i + k) % 6] for k in range(6)) for i in range(19_990)])}, [], ["r.docx"]))
    # Many runs per paragraph: about 30 MB of XML, just under the zip-bytes limit.
    yield ("docx-600k-one-word-runs", lambda: ({"r.docx": docx_from_runs([["Sam Rivera"], ["Experience"]] + [[w + " " for w in " ".join(BULLETS[(i + k) % 6] for k in range(5)).split()[:60]] for i in range(10_000)])}, [], ["r.docx"]))
    yield ("docx-1.2M-one-char-runs", lambda: ({"r.docx": docx_from_runs([["Sam Rivera"], ["Experience"]] + [list(" ".join(BULLETS[(i + k) % 6] for k in range(16))[:1200]) for i in range(1_000)])}, [], ["r.docx"]))
    yield ("docx-one-30M-paragraph", lambda: ({"r.docx": docx_from_paragraphs(["Experience", "a" * 30_000_000])}, [], ["r.docx"]))
    yield ("md-8M-under-cap", lambda: ({"r.md": markdown(8 * 1024 * 1024 - 200).encode()[: 8 * 1024 * 1024 - 1]}, [], ["r.md"]))
    import json
    yield ("json-one-string-7M", lambda: ({"r.json": json.dumps({"basics": {"summary": " ".join(bullets(7_000_000))}}).encode()}, [], ["r.json"]))
    yield ("json-one-line-highlights", lambda: ({"r.json": json.dumps({"work": [{"name": "A", "highlights": bullets(4_000_000)}]}).encode()}, [], ["r.json"]))
    yield ("json-deep-nesting", lambda: ({"r.json": (b"[" * 100_000) + (b"]" * 100_000)}, [], ["r.json"]))
    yield ("tex-1M-macro-arg", lambda: ({"r.tex": ("\\section{Experience}\n\\begin{itemize}\n\\item \\textbf{" + " ".join(bullets(1_000_000)) + "}\n\\end{itemize}\n").encode()}, [], ["r.tex"]))
    yield ("tex-unbalanced-braces", lambda: ({"r.tex": (b"\\textbf{" * 200_000)}, [], ["r.tex"]))
    yield ("docx-expands-30M", lambda: ({"r.docx": docx_from_paragraphs([" ".join(bullets(300))] * 100_000)}, [], ["r.docx"]))
    yield ("pdf-500-pages", lambda: ({"r.pdf": pdf_from_pages([["Sam Rivera", "\x95 " + BULLETS[i % 6]] for i in range(500)])}, [], ["r.pdf"]))
    yield ("md-40k-suppressions", lambda: ({"r.md": ("## Experience\n" + "".join(f"<!-- resume-lint disable-next-line style -->\n- {BULLETS[i % 6]}\n" for i in range(40_000))).encode()}, [], ["r.md"]))
    yield ("md-20k-named-enables", lambda: ({"r.md": ("## Experience\n" + "".join(f"<!-- resume-lint disable style/r{i} -->\n" for i in range(20_000)) + "- Utilized Kafka.\n" + "".join(f"<!-- resume-lint enable style/r{i} -->\n" for i in range(20_000))).encode()}, [], ["r.md"]))
    yield ("20k-exclude-globs", lambda: (globs_case(), [], ["d"]))
    yield ("human-one-line-json", lambda: ({"r.json": json.dumps({"work": [{"name": "A", "highlights": bullets(4_000_000)}]}).encode()}, ["--format", "human"], ["r.json"]))
    yield ("human-1M-bullets", lambda: ({"r.md": ("## Experience\n" + "- Helped with the model\n" * 340_000).encode()[: 8 * 1024 * 1024 - 1]}, ["--format", "human"], ["r.md"]))


def run(binary, cwd, args, timeout):
    """Wall and CPU seconds, peak RSS (MB), exit code and first stderr line of one whole-process run."""
    start = time.monotonic()
    with open(os.devnull, "wb") as null, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(["timeout", str(timeout), binary, "--no-config" if False else "--color=never", *args],
                                cwd=cwd, stdout=null, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - start
        err.seek(0)
        first = err.read(300).decode(errors="replace").splitlines()
    code = os.waitstatus_to_exitcode(status)
    # `timeout` itself is the child: its maxrss is the largest of its waited-for children, and
    # its CPU times include theirs (user plus system: steadier than wall time on a busy machine).
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024, code, (first[0] if first else "")


def write_case(name, d):
    """Write one case's files under `d`; print its command-line arguments as JSON."""
    import json
    files, extra, paths = dict(cases())[name]()
    for rel, body in files.items():
        p = os.path.join(d, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(body)
    cfg = [] if "resume-lint.toml" in files else ["--no-config"]
    print(json.dumps({"size": sum(len(b) for b in files.values()),
                      "args": [*cfg, *(extra or ["--format", "concise"]), *paths]}))


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--write":
        return write_case(sys.argv[2], sys.argv[3])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", help="binary to run (default: build and use target/release/resume-lint)")
    ap.add_argument("--only", default="", help="comma-separated substrings of case names")
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--raise-limits", action="store_true",
                    help="lift the blocks, block-chars and time-ms limits, to measure the work itself")
    args = ap.parse_args()
    binary = args.bin
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        binary = os.path.join(ROOT, "target", "release", "resume-lint")
    wanted = [w for w in args.only.split(",") if w]
    print(f"{'case':28} {'bytes':>10} {'exit':>4} {'seconds':>8} {'cpu s':>6} {'peak MB':>8}  note")
    with tempfile.TemporaryDirectory() as tmp:
        for name, _ in cases():
            if wanted and not any(w in name for w in wanted):
                continue
            d = os.path.join(tmp, name)
            # Generated in a child process: Linux carries a parent's peak RSS into the processes it
            # starts, so this one must never hold a big input.
            made = json.loads(subprocess.check_output([sys.executable, __file__, "--write", name, d]))
            raised = ["--limit", "blocks=1G", "--limit", "block-chars=1G", "--limit", "time-ms=1000000"] if args.raise_limits else []
            wall, cpu, rss, code, note = run(binary, d, raised + made["args"], args.timeout)
            if code == 124:
                note = f"TIMEOUT after {args.timeout} s"
            print(f"{name:28} {made['size']:>10} {code:>4} {wall:>8.2f} {cpu:>6.2f} {rss:>8.1f}  {note[:90] if code in (2, 124) else ''}",
                  flush=True)
            subprocess.run(["rm", "-rf", d], check=True)


if __name__ == "__main__":
    sys.exit(main())
