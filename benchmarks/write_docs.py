"""Write docs/performance.md: the prose of ``performance.md.in`` with its tables filled in from
``results.json`` (the rows ``make bench`` measured). Tables are never edited by hand.

    .venv/bin/python benchmarks/write_docs.py

In the template, a line ``{{table NAME}}`` becomes the rows of table NAME as Markdown (the
columns below), each with the commit that measured it and the machine's load at the time.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DOCS = HERE.parent / "docs" / "performance.md"


def seconds(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    value = float(value)
    if value < 1:
        return f"{value * 1e3:.3g} ms"
    return f"{value:.3g} s" if value < 100 else f"{value:.0f} s"


def number(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "**no**"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.{digits}g}" if abs(value) < 1e4 else f"{value:,.0f}"
    return str(value)


def mib(value: Any) -> str:
    return "" if value is None or value != value else f"{float(value):.0f} MiB"


def ms(value: Any) -> str:
    return "" if value is None else f"{float(value):.3g}"


#: per table: (heading, field, format)
COLUMNS: dict[str, list[tuple[str, str, Any]]] = {
    "goals": [("workload", "workload", str), ("before (issue 15)", "before", str), ("goal", "goal", str),
              ("now: wall", "wall", seconds), ("CPU", "cpu", seconds), ("peak memory", "rss_mib", mib),
              ("met", "met", number), ("now / goal", "ratio", number)],
    "compare": [("workload", "workload", str), ("earlier commit", "against", str),
                ("earlier: wall", "before", seconds), ("CPU", "before_cpu", seconds),
                ("now: wall", "now", seconds), ("CPU", "now_cpu", seconds),
                ("now / earlier", "ratio", number),
                ("same output", "same", number), ("runs each", "rounds", number),
                ("probe range", "probes", str)],
    "compare_models": [("model", "model", str), ("earlier commit", "against", str),
                       ("draws", "draws", number),
                       ("earlier: CPU", "before", seconds), ("now: CPU", "now", seconds),
                       ("now / earlier", "ratio", number), ("runs each", "rounds", number)],
    "scaling": [("model", "model", str), ("actors", "actors", number), ("issues", "issues", number),
                ("run", "unit", str), ("wall", "wall", seconds), ("CPU", "cpu", seconds),
                ("slope from the size before", "slope", number), ("peak memory (process)", "rss_mib", mib)],
    "scaling_fit": [("model", "model", str), ("time grows as actors^", "exponent", number),
                    ("fitted over actors", "sizes", str)],
    "batch": [("model", "model", str), ("1 thread", "batch_s", seconds), ("its CPU", "cpu_s", seconds),
              ("every core", "all_cores_s", seconds), ("per draw (ms, 1 thread)", "per_draw_ms", ms),
              ("one single run (ms)", "single_ms", ms), ("as many single runs", "singles_s", seconds),
              ("ratio", "ratio", number)],
    "sampling": [("draws", "draws", number), ("sampling", "seconds", seconds)],
    "sweep": [("run", "run", str), ("tasks", "tasks", number), ("wall", "seconds", seconds),
              ("tasks/s", "tasks_per_s", number), ("same results", "identical", number)],
    "exchange_cases": [("scenario", "scenario", str), ("actors", "actors", number),
                       ("issues", "issues", number), ("candidates (round 1)", "candidates", number),
                       ("exchanges (round 1)", "exchanges", number), ("10 rounds (ms)", "ms", ms),
                       ("best of", "repeat", number)],
    "exchange_batch": [("model", "model", str), ("draws", "draws", number),
                       ("single run (ms)", "single_ms", ms), ("threads", "threads", number),
                       ("batch", "batch_s", seconds), ("CPU", "cpu_s", seconds),
                       ("ms per draw", "ms_per_draw", ms), ("ratio", "ratio", number)],
    "eum_cases": [("model", "model", str), ("case", "case", str), ("time", "seconds", seconds),
                  ("peak traced memory (MB)", "peak_mb", number),
                  ("slope from the size before", "slope", number)],
    "smp_cases": [("scenario", "scenario", str), ("actors", "actors", number), ("dims", "dims", number),
                  ("turns", "turns", number), ("time", "seconds", seconds), ("ms/turn", "ms_per_turn", ms)],
    "settlement": [("veto rule", "veto_rule", str), ("draws", "draws", number), ("time", "seconds", seconds),
                   ("P(zone)", "p_zone", number), ("draws solved exactly", "exact", number),
                   ("best of", "repeat", number)],
    "strategy": [("client", "client", str), ("models", "models", str), ("draws", "draws", number),
                 ("wall", "wall", seconds), ("CPU", "cpu", seconds), ("levers evaluated", "levers", number)],
    "smp_batch": [("draws", "draws", number), ("turns", "turns", str), ("batch", "seconds", seconds),
                  ("ms per draw", "ms_per_draw", ms), ("single run (ms)", "single_ms", ms)],
}


def table(name: str, rows: list[dict[str, Any]]) -> str:
    """The rows of one table as Markdown, each with its commit, load and speed probe."""
    chosen = [r for r in rows if r["table"] == name]
    if not chosen:
        return f"*(no rows for `{name}` yet: run `make bench`)*"
    columns = COLUMNS[name]
    head = [h for h, _, _ in columns] + ["load", "probe", "commit"]
    lines = ["| " + " | ".join(head) + " |",
             "|" + "|".join("---" if fmt is str else "---:" for _, _, fmt in columns) + "|---:|---:|---|"]
    for r in chosen:
        cells = [fmt(r.get(field)) if fmt is not str else str(r.get(field, "")) for _, field, fmt in columns]
        probe = "" if r.get("probe_ms") is None else f"{r['probe_ms']:.0f} ms"
        cells += [f"{r['load']:.2g}", probe, f"`{r['commit']}` {r['date'][:10]}"]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def render(template: str, data: dict[str, Any]) -> str:
    rows = data.get("rows", [])
    machine = data.get("machine", {})
    text = re.sub(r"^\{\{table (\w+)\}\}$", lambda m: table(m.group(1), rows), template, flags=re.M)
    described = ", ".join(f"{k} {v}" for k, v in machine.items())
    return text.replace("{{machine}}", described or "(not recorded)")


def main() -> None:
    data = json.loads((HERE / "results.json").read_text())
    template = (HERE / "performance.md.in").read_text()
    header = ("<!-- Generated by benchmarks/write_docs.py from benchmarks/results.json (`make bench`); "
              "edit benchmarks/performance.md.in, not this file. -->\n")
    DOCS.write_text(header + render(template, data))
    print(f"wrote {DOCS.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
