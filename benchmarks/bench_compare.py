"""An earlier commit against this tree on the same workloads, run turn about, in the same minutes.

The development machine's speed varies about twofold within minutes, so two runs an hour apart
say little about a change. Here the earlier commit (a ``git worktree`` in a temporary folder,
its kernels compiled first) and this tree run each workload alternately, as fresh processes,
``--rounds`` times; the row keeps each side's best wall and CPU time and their ratio, and checks
that both printed the same output.

    .venv/bin/python benchmarks/bench_compare.py [--against COMMIT] [--rounds N] [--quick]

The default earlier commit is the end of issue 15's second pass (``3bc3774``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_goals import EVENT, measure
from record import ROOT, probe_ms, row

BEFORE = "3bc3774"


def workloads(quick: bool) -> list[tuple[str, list[str]]]:
    """The command lines compared: (label, arguments of ``python -m accord.cli.main``)."""
    draws = "1000" if quick else "10000"
    return [(f"`accord forecast --draws {draws}` (every model)",
             ["forecast", "--draws", draws, "--seed", "7", "--event", EVENT]),
            ("`accord whatif --named us-ends-nato-sales`", ["whatif", "--named", "us-ends-nato-sales"])]


def run(src: Path, args: list[str], out: Path) -> dict[str, float]:
    """One run of the command line from the package in ``src``, its output written to ``out``."""
    return measure([sys.executable, "-m", "accord.cli.main", *args],
                   env={"PYTHONPATH": str(src), "ACCORD_BENCH_STDOUT": str(out)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default=BEFORE, help=f"the earlier commit (default {BEFORE})")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each side, alternately")
    parser.add_argument("--quick", action="store_true", help="1,000 draws instead of 10,000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder) / "before"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(tree), args.against], cwd=ROOT,
                       check=True)
        try:
            sides = {"before": tree / "src", "now": ROOT / "src"}
            for src in sides.values():  # each side's kernels compiled in its own tree, not timed
                subprocess.run([sys.executable, "-m", "accord.models.warmup"], check=True,
                               stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(src)})
            for label, command in workloads(args.quick):
                best: dict[str, dict[str, float]] = {}
                outputs = {}
                probes = []
                for _ in range(args.rounds):
                    for side, src in sides.items():
                        probes.append(probe_ms())
                        outputs[side] = Path(folder) / f"{side}.txt"
                        now = run(src, command, outputs[side])
                        if side not in best or now["wall"] < best[side]["wall"]:
                            best[side] = now
                same = outputs["before"].read_text() == outputs["now"].read_text()
                ratio = best["now"]["wall"] / best["before"]["wall"]
                row("compare", f"{label}: {best['before']['wall']:.3g} s -> {best['now']['wall']:.3g} s "
                    f"(x{ratio:.2f}, same output: {same})", workload=label, against=args.against,
                    before=round(best["before"]["wall"], 3), before_cpu=round(best["before"]["cpu"], 2),
                    now=round(best["now"]["wall"], 3), now_cpu=round(best["now"]["cpu"], 2),
                    ratio=round(ratio, 3), same=same, rounds=args.rounds,
                    probes=f"{min(probes):.0f}-{max(probes):.0f} ms")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)


if __name__ == "__main__":
    main()
