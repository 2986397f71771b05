"""Run the benchmark scripts, keep their rows, and write docs/performance.md from them.

    .venv/bin/python benchmarks/run.py [NAME ...] [--quick] [--no-docs]

``make bench`` runs every ``bench_*.py`` in this folder (or those named, e.g. ``goals scaling``),
one after another, showing their output as it comes. Each measurement is a row (see
``record.py``) tagged with the commit and the machine's load; the rows replace those of the
same tables in ``benchmarks/results.json`` (the tables not rerun keep their rows, with the
commit that measured them), and ``write_docs.py`` renders docs/performance.md from that file.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
#: options each script takes for a quick run
QUICK = {"goals": ["--quick", "--skip-compile"], "compare": ["--quick", "--rounds", "1"],
         "scaling": ["--quick"], "eum": ["--quick"],
         "exchange": ["--skip-large", "--draws", "300"], "smp": ["--skip-160", "--draws", "50"],
         "experiments": ["--draws", "1000", "--whatifs", "100", "--sweep-draws", "200"],
         "settlement": ["--draws", "200", "--repeat", "1"], "strategy": ["--quick"]}


def run_script(script: Path, extra: list[str]) -> tuple[int, list[dict]]:
    """Run one script, echoing its readable lines, and return its exit code and rows."""
    rows = []
    with subprocess.Popen([sys.executable, str(script), *extra], stdout=subprocess.PIPE, text=True,
                          cwd=HERE.parent) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("@@ROW "):
                rows.append(json.loads(line[6:]))
            else:
                print(line, end="", flush=True)
    return proc.returncode, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="scripts to run (bench_NAME.py); default: all")
    parser.add_argument("--quick", action="store_true", help="smaller cases (not for the docs' numbers)")
    parser.add_argument("--no-docs", action="store_true", help="keep the rows, do not rewrite the docs")
    args = parser.parse_args()
    scripts = sorted(HERE.glob("bench_*.py"))
    if args.names:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in args.names]
    stored = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"rows": []}
    failed = []
    for script in scripts:
        name = script.stem.removeprefix("bench_")
        print(f"\n=== {script.stem} ===", flush=True)
        start = time.perf_counter()
        code, rows = run_script(script, QUICK.get(name, []) if args.quick else [])
        print(f"({script.stem}: {time.perf_counter() - start:.1f} s, exit {code})", flush=True)
        if code:
            failed.append(script.stem)
            continue
        tables = {r["table"] for r in rows}
        stored["rows"] = [r for r in stored["rows"] if r["table"] not in tables] + rows
    if not args.quick:
        from record import machine

        stored["machine"] = machine()
        RESULTS.write_text(json.dumps(stored, indent=1) + "\n")
        if not args.no_docs:
            subprocess.run([sys.executable, str(HERE / "write_docs.py")], check=True, cwd=HERE.parent)
    if failed:
        print(f"failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
