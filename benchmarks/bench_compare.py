"""An earlier commit against this tree on the same workloads, run turn about, in the same minutes.

The development machine's speed varies about twofold within minutes, so two runs an hour apart
say little about a change. Here the earlier commit (a ``git worktree`` in a temporary folder,
its kernels compiled first) and this tree run each workload alternately, as fresh processes,
``--rounds`` times; the row keeps each side's best wall and CPU time and their ratio, and checks
that both printed the same output. First, each model alone on 2,000 draws of the built-in
scenario on one thread (CPU seconds, best of ``--rounds + 1`` turns about): the table
``compare_models``; then the table ``compare``: the 10,000-draw forecast, the default what-if
and (without ``--quick``) one SMP turn at 1,000 actors, the goals' workloads.

    .venv/bin/python benchmarks/bench_compare.py [--against COMMIT] [--rounds N] [--quick]

The default earlier commit is the end of issue 15's third pass (``d2e606c``).
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

BEFORE = "d2e606c"


#: one turn of SMP at 1,000 actors (the goals' case), printing a digest of the positions
_SMP_1000 = """
import hashlib, sys
sys.path.insert(0, "benchmarks")
from bench_exchange import synthetic
from accord.models import get_model
run = get_model("smp", rounds=1, min_rounds=0).run(synthetic(1000, 1, seed=4))
print(hashlib.md5(run.positions.tobytes()).hexdigest())
"""


def workloads(quick: bool) -> list[tuple[str, list[str]]]:
    """The workloads compared: (label, arguments of ``python``), each a fresh process."""
    draws = "1000" if quick else "10000"
    cli = ["-m", "accord.cli.main"]
    out = [(f"`accord forecast --draws {draws}` (every model)",
            [*cli, "forecast", "--draws", draws, "--seed", "7", "--event", EVENT]),
           ("`accord whatif --named us-ends-nato-sales`", [*cli, "whatif", "--named", "us-ends-nato-sales"])]
    if not quick:
        out.append(("SMP, 1,000 actors x 1 dimension, one turn (whole process)", ["-c", _SMP_1000]))
    return out


def run(src: Path, args: list[str], out: Path) -> dict[str, float]:
    """One run of ``python args`` with the package in ``src``, its output written to ``out``."""
    return measure([sys.executable, *args], env={"PYTHONPATH": str(src), "ACCORD_BENCH_STDOUT": str(out)})


#: one model on a batch of draws of the built-in scenario, one thread: prints its CPU seconds
_MODEL = """
import sys, time
from accord.experiments.uncertainty import make_models, run_ensemble
from accord.scenario.builtin import load_builtin
scenario, models = load_builtin(), make_models([sys.argv[1]])
run_ensemble(scenario, 20, 7, models, workers=1)  # kernels loaded, caches warm
start = time.process_time()
run_ensemble(scenario, int(sys.argv[2]), 7, models, workers=1)
print(time.process_time() - start)
"""


def model_seconds(src: Path, model: str, draws: int) -> float:
    """CPU seconds of ``model`` on ``draws`` draws of the built-in scenario, from ``src``, one thread."""
    out = subprocess.run([sys.executable, "-c", _MODEL, model, str(draws)], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(src)})
    return float(out.stdout.split()[-1])


def compare_models(sides: dict[str, Path], against: str, draws: int, rounds: int) -> None:
    """One row per model: its CPU time on the built-in draws from each side, turn about."""
    from accord.models import available_models

    for model in available_models():
        best = {side: model_seconds(src, model, draws) for side, src in sides.items()}
        for _ in range(rounds - 1):
            for side, src in sides.items():
                best[side] = min(best[side], model_seconds(src, model, draws))
        ratio = best["now"] / best["before"]
        row("compare_models", f"{model}: {best['before']:.3g} s -> {best['now']:.3g} s (x{ratio:.2f})",
            model=model, against=against, draws=draws, before=round(best["before"], 3),
            now=round(best["now"], 3), ratio=round(ratio, 3), rounds=rounds)


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
            compare_models(sides, args.against, 500 if args.quick else 2000, args.rounds + 1)
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
