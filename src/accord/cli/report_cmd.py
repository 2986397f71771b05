"""``accord report``: a brief for readers who do not run accord (one HTML page, or Markdown)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from accord.cli.common import parse_params, run, write_text
from accord.cli.history import DbOpt, get_run, open_store
from accord.cli.options import SEED, InputFormat, Models, Output, Params, Rounds, ScenarioArg, Seed
from accord.errors import AccordError


class BriefFormat(StrEnum):
    html = "html"
    md = "md"


def report_command(
    scenario: ScenarioArg = None,
    output: Output = None,
    format: Annotated[BriefFormat, typer.Option(
        "--format", "-f", help="html: one self-contained page (charts inline, prints to PDF); md: Markdown.")
    ] = BriefFormat.html,
    model: Models = None,
    param: Params = None,
    rounds: Rounds = None,
    seed: Seed = SEED,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws for the bands, what-ifs and deals (0: none).",
                                       min=0)] = 200,
    whatif: Annotated[list[str] | None, typer.Option(
        "--whatif", help="A named what-if of the scenario or a what-if file (repeatable); default: every "
        "named what-if.")] = None,
    no_whatifs: Annotated[bool, typer.Option("--no-whatifs", help="Leave what-ifs out.")] = False,
    proposal: Annotated[list[str] | None, typer.Option(
        "--proposal", help="A proposal of the scenario to judge (repeatable); default: all of them.")] = None,
    no_deals: Annotated[bool, typer.Option("--no-deals", help="Leave the proposals out.")] = False,
    sensitivity: Annotated[int, typer.Option(
        help="Analyse the sensitivity of this many of the issues the models disagree on most (0: none).",
        min=0, max=10)] = 2,
    run_: Annotated[list[int] | None, typer.Option(
        "--run", help="Add a saved run from the history by its id (repeatable; `accord runs list`).")] = None,
    db: DbOpt = None,
    input_format: InputFormat = None,
) -> None:
    """Write a brief of a scenario for readers who do not run accord.

    The outlook, each issue's forecast with its band and meaning, where the models disagree and why.

    Then the what-ifs, deals, sensitivity, sources and method.
    """
    from accord.runs import BriefSpec, build

    if no_whatifs and whatif:
        raise AccordError("--whatif and --no-whatifs contradict each other")
    if no_deals and proposal:
        raise AccordError("--proposal and --no-deals contradict each other")
    spec = build(BriefSpec, scenario=scenario, input_format=input_format, models=list(model or []),
                 params=parse_params(param), rounds=rounds, seed=seed, draws=draws,
                 whatifs=[] if no_whatifs else (list(whatif) if whatif else None),
                 proposals=[] if no_deals else (list(proposal) if proposal else None),
                 sensitivity=sensitivity, runs=list(run_ or []))
    saved = []
    if spec.runs:  # read before the work: a missing run fails first
        from accord.store.results import load_result

        store = open_store(db, must_exist=True)
        for run_id in spec.runs:
            found = get_run(store, run_id)
            saved.append((run_id, load_result(found, store.version(found.scenario_version_id))))
    brief = run(spec).with_saved(saved)
    from accord.report.brief import render

    write_text(render(brief, format.value), output)
