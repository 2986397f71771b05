"""The brief's content, section by section, from a :class:`~accord.runs.brief.BriefResult`.

At a glance (the headline, each issue's likely outcome in words, where the models part, what
the what-ifs and deals say), the forecast per issue with bands and meanings, where the models
disagree and why (the stakeholders' weight, each model's mechanism, its warnings, the inputs that
drive the outcome), the what-ifs, the deals, the sensitivity analyses, saved runs, the sources
and how the brief was made (accord's version, models, parameters, seed, draws).
"""

from __future__ import annotations

import math
import statistics
from typing import TYPE_CHECKING, Any

from accord.report.brief.document import (
    Bullets,
    Cell,
    Document,
    Figure,
    Inline,
    Paragraph,
    Section,
    Table,
    join,
    text,
)
from accord.report.meaning import Meaning, group_by_meaning, meaning
from accord.report.numbers import fmt_number

if TYPE_CHECKING:
    from accord.runs.brief import BriefResult
    from accord.scenario import Issue, Scenario

#: an issue is "disputed" when the models' forecasts spread over more than this share of its scale
DISPUTED = 0.15
#: models within this share of the scale of each other "agree"
AGREE = 0.10


def said(m: Meaning, short: bool = False) -> Inline:
    """Write a meaning as inline content.

    Parameters
    ----------
    m : Meaning
        Where a value lies among the anchors.
    short : bool
        Whether to shorten the anchors' labels.

    Returns
    -------
    Inline
        The meaning, the anchors' labels in italics; a dim dash when there is none.
    """
    return [(piece, "em" if label else "") for piece, label in m._parts(short)] or text("–", "dim")


def number(x: float | None, sign: bool = False) -> str:
    """Format a number as the brief's tables show it (:func:`~accord.report.numbers.fmt_number`).

    Parameters
    ----------
    x : float or None
        The number (any real number type).
    sign : bool
        Whether to show the sign of a positive number too.

    Returns
    -------
    str
        One decimal; a dash for a missing or non-finite number.
    """
    return fmt_number(None if x is None else float(x), sign)


def span(lo: float, hi: float) -> str:
    """Write a range of numbers.

    Parameters
    ----------
    lo, hi : float
        Its ends.

    Returns
    -------
    str
        ``lo–hi``, or one number when both read the same.
    """
    a, b = number(lo), number(hi)
    return a if a == b else f"{a}–{b}"


def document(brief: BriefResult) -> Document:
    """Build the whole brief, section by section.

    Parameters
    ----------
    brief : BriefResult
        The brief's content.

    Returns
    -------
    Document
        Title, subtitle and the sections that have content.
    """
    s, fc = brief.scenario, brief.forecast
    subtitle = join(
        f"A brief made with accord {brief.accord_version}",
        f" · evidence as of {s.as_of}" if s.as_of else "",
        f" · {len(fc.completed)} models"
        + (f", {fc.n_draws:,} draws" if fc.n_draws else "")
        + f", seed {fc.seed}",
    )
    parts = [
        glance(brief),
        forecast_section(brief),
        disagreement(brief),
        whatif_section(brief),
        deal_section(brief),
        sensitivity_section(brief),
        saved_section(brief),
        sources(s),
        method(brief),
    ]
    return Document(s.title, subtitle, [p for p in parts if p is not None])


# ----------------------------------------------------------------------------- at a glance
def median_forecast(brief: BriefResult, k: int) -> float:
    """Return the median of the models' forecasts of one issue.

    Parameters
    ----------
    brief : BriefResult
        The brief's content.
    k : int
        The issue's index in the scenario.

    Returns
    -------
    float
        The median over the models with a finite forecast; NaN when there is none.
    """
    values = [float(v) for v in brief.forecast.outcomes().iloc[k] if math.isfinite(v)]
    return statistics.median(values) if values else math.nan


def glance(brief: BriefResult) -> Section:
    """Build the section *At a glance*.

    Parameters
    ----------
    brief : BriefResult
        The brief's content.

    Returns
    -------
    Section
        The headline, each issue's likely outcome in words, how far the models part, and what the
        what-ifs and deals say.
    """
    from accord.report.views import headline_text

    s, fc = brief.scenario, brief.forecast
    section = Section("glance", "At a glance")
    headline = headline_text(fc)
    if headline:
        section.add(Paragraph(text(headline, "strong"), role="lead"))
    outcomes = fc.outcomes()
    section.add(
        Paragraph(
            join(
                f"{len(outcomes.columns)} models forecast where each of the {len(s.issues)} issues "
                "settles. The middle of their forecasts, what it means on the issue's scale, "
                "and how far the models part:"
            )
        )
    )
    rows: list[list[Cell | None]] = []
    for k, issue in enumerate(s.issues):
        row = outcomes.iloc[k]
        mid = median_forecast(brief, k)
        spread = (row.max() - row.min()) / (issue.scale.max - issue.scale.min)
        verdict = "agree" if spread <= AGREE else "disputed" if spread > DISPUTED else "close"
        rows.append(
            [
                Cell(join(text(issue.name, "strong"))),
                Cell(text(number(mid))),
                Cell(said(meaning(issue, mid))),
                Cell(text(span(row.min(), row.max()))),
                Cell(text(verdict)),
                Cell(text(number(issue.status_quo))),
            ]
        )
    section.add(
        Table(
            ["issue", "middle forecast", "what it means", "models' range", "models", "status quo"],
            rows,
            numeric=frozenset({1, 3, 5}),
            caption=text(
                "Middle forecast: the median of the models' forecasts. Models: agree within "
                f"{100 * AGREE:g}% of the scale, disputed beyond {100 * DISPUTED:g}%."
            ),
        )
    )
    notes: list[Inline] = []
    disputed = [(i, v) for i, v in brief.disputed() if v > DISPUTED][:3]
    if disputed:
        names = ", ".join(f"{s.issue(i).name} ({100 * v:.0f}% of its scale)" for i, v in disputed)
        notes.append(join(text("Where the models part most: ", "strong"), names, " (see below for why)."))
    for w in brief.whatifs:
        strongest = strongest_effect(w)
        if strongest:
            notes.append(join(text(f"{w.change.get('name') or w.change.get('id')}: ", "strong"), strongest))
    if brief.deal is not None:
        for pid, r in brief.deal.packages.items():
            notes.append(
                join(text(f"{(r.get('proposal') or {}).get('name') or pid}: ", "strong"), deal_verdict(r))
            )
    if notes:
        section.add(Bullets(notes))
    return section


def strongest_effect(w: Any) -> Inline:
    """Say which issue a what-if moves most.

    Parameters
    ----------
    w : Any
        A what-if result.

    Returns
    -------
    Inline
        The issue with the largest median effect over the models (as a share of its scale) in
        words; empty when no model has an effect.
    """
    best: tuple[float, int] | None = None
    for k, _ in enumerate(w.scenario.issues):
        effects = [float(m.effect[k]) for m in w.models.values() if math.isfinite(m.effect[k])]
        if effects:
            mid = statistics.median(effects)
            span = w.scenario.issues[k].scale.max - w.scenario.issues[k].scale.min
            if best is None or abs(mid) / span > abs(best[0]):
                best = (mid / span, k)
    if best is None:
        return []
    share, k = best
    issue = w.scenario.issues[k]
    value = share * (issue.scale.max - issue.scale.min)
    if abs(value) < 0.05:
        return text("moves no issue's median forecast (the median over the models)")
    effects = [float(m.effect[k]) for m in w.models.values() if math.isfinite(m.effect[k])]
    return join(
        f"moves {issue.name} most: by {number(value, True)} (the median over the models; from "
        f"{number(min(effects), True)} to {number(max(effects), True)} across them)"
    )


def deal_verdict(r: dict[str, Any]) -> Inline:
    """Say what became of a deal's package.

    Parameters
    ----------
    r : dict[str, Any]
        The package's result in a deal run.

    Returns
    -------
    Inline
        Accepted or not, the vetoes, the support and the share of draws it was accepted in.
    """
    verdict = "accepted" if r.get("accepted") else "not accepted"
    bits = [verdict]
    if r.get("vetoed_by"):
        bits.append("vetoed by " + ", ".join(r["vetoed_by"]))
    if r.get("support_share") is not None:
        bits.append(f"support {100 * r['support_share']:.0f}% of the weight")
    draws = r.get("draws") or {}
    if draws.get("p_accepted") is not None:
        bits.append(f"accepted in {100 * draws['p_accepted']:.0f}% of {draws.get('n', 0):,} draws")
    return text("; ".join(bits) + ".")


# ----------------------------------------------------------------------------- forecast
def issue_table(brief: BriefResult, k: int) -> Table:
    """Tabulate the forecasts of one issue.

    Parameters
    ----------
    brief : BriefResult
        The brief's content.
    k : int
        The issue's index in the scenario.

    Returns
    -------
    Table
        The status quo and the models sorted by forecast, each group of models that means the
        same sharing one meaning cell; the 90% band over the draws beside each.
    """
    fc = brief.forecast
    issue = brief.scenario.issues[k]
    outcomes = fc.outcomes()
    flagged = {n: {d.issue for d in m.diagnostics} for n, m in fc.models.items()}
    bands = {n: fc.draws_summary(n).loc[issue.id] for n, m in fc.completed.items() if m.draws is not None}
    values = [(n, float(outcomes.iloc[k][n])) for n in outcomes.columns]
    if issue.status_quo is not None:
        values.append(("status quo", float(issue.status_quo)))
    rows: list[list[Cell | None]] = []
    ends: set[int] = set()
    for m, members in group_by_meaning(issue, values):
        for n, (name, value) in enumerate(members):
            quo = name == "status quo"
            band = bands.get(name)
            row: list[Cell | None] = [
                Cell(text(name, "dim" if quo else "")),
                Cell(
                    text(
                        number(value) + ("!" if not quo and issue.id in flagged.get(name, ()) else ""),
                        "dim" if quo else "strong",
                    )
                ),
                Cell(text("" if band is None else f"{number(band['q05'])}–{number(band['q95'])}")),
                Cell(said(m), rows=len(members)) if n == 0 else None,
            ]
            rows.append(row)
        ends.add(len(rows) - 1)
    head = ["model", "forecast", "90% of draws", "what it means"]
    return Table(head, rows, numeric=frozenset({1, 2}), sections=frozenset(ends))


def forecast_section(brief: BriefResult) -> Section:
    """Build the section on the forecast, issue by issue.

    Parameters
    ----------
    brief : BriefResult
        The brief's content.

    Returns
    -------
    Section
        A chart of every forecast, a table per issue, the warnings and the dynamic models' rounds.
    """
    from accord.report.figures.forecast import draw_forecasts, draw_outcome_paths

    fc = brief.forecast
    section = Section("forecast", "The forecast, issue by issue")
    section.add(
        Paragraph(
            join(
                "Each model's forecast of where the issue settles, on the issue's own scale",
                f"; beside it the range holding 90% of its forecasts over {fc.n_draws:,} draws of the "
                "inputs' stated "
                "uncertainty"
                if fc.n_draws
                else "",
                ". ",
                text("What it means", "strong"),
                " names the scale's labelled points a forecast lies between "
                "(≈: close to one). ! marks a forecast with a warning, listed at the end of this section.",
            )
        )
    )
    section.add(
        Figure(
            draw_forecasts(fc),
            text(
                "Every model's forecast (markers) and, with draws, its 90% band; "
                "grey ticks: the stakeholders' positions; dashed: the status "
                "quo."
            ),
            "forecasts",
        )
    )
    for k, issue in enumerate(brief.scenario.issues):
        sub = Section(f"issue-{issue.id}", issue.name)
        sub.add(Paragraph(scale_line(issue), role="note"))
        sub.add(issue_table(brief, k))
        section.add(sub)
    warnings = [
        join(text(f"! {name}: ", "strong"), d.message) for name, m in fc.models.items() for d in m.diagnostics
    ]
    if warnings:
        section.add(
            Paragraph(text("Warnings: where a forecast alone would mislead", "strong")), Bullets(warnings)
        )
    dynamic = [n for n, m in fc.completed.items() if m.n_rounds > 1]
    if len(dynamic) > 1:
        section.add(
            Figure(
                draw_outcome_paths(fc, dynamic),
                text("How the dynamic models get there: each model's outcome round by round."),
                "rounds",
            )
        )
    return section


def scale_line(issue: Issue) -> Inline:
    """Describe an issue's scale in a line.

    Parameters
    ----------
    issue : Issue
        The issue.

    Returns
    -------
    Inline
        The range, the units, the status quo and what it means, and the issue's description.
    """
    parts: Inline = text(f"Scale {issue.scale.min:g}–{issue.scale.max:g}")
    if issue.units:
        parts += text(f" ({issue.units})")
    if issue.status_quo is not None:
        parts += text(f"; status quo {issue.status_quo:g}")
        m = meaning(issue, issue.status_quo)
        if m.anchors:
            parts += text(": ") + said(m)
    if issue.description:
        parts += text(". " + issue.description.strip())
    return parts


# ----------------------------------------------------------------------------- disagreement
def weights(scenario: Scenario, issue_id: str) -> list[tuple[str, float, float]]:
    """List the stakeholders of an issue by weight.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    issue_id : str
        The issue.

    Returns
    -------
    list[tuple[str, float, float]]
        ``(actor, share of capability x salience, position)``, heaviest first.
    """
    actors = {a.id: a for a in scenario.actors}
    rows = []
    for p in scenario.positions:
        if p.issue != issue_id:
            continue
        a = actors[p.actor]
        capability = a.capability_by_issue.get(issue_id, a.capability)
        rows.append((p.actor, capability * p.salience / scenario.salience_scale, p.position))
    total = sum(w for _, w, _ in rows) or 1.0
    return sorted(((a, w / total, x) for a, w, x in rows), key=lambda t: -t[1])


def disagreement(brief: BriefResult) -> Section | None:
    """Build the section on where the models disagree, and why.

    Parameters
    ----------
    brief : BriefResult
        The brief's content.

    Returns
    -------
    Section or None
        For up to three disputed issues: the stakeholders' weight, each model's mechanism, its
        warnings and the inputs that drive the outcome; a line saying the models agree when no
        issue is disputed.
    """
    from accord.models import model_class

    fc = brief.forecast
    s = brief.scenario
    disputed = [(i, v) for i, v in brief.disputed() if v > DISPUTED][:3]
    section = Section("disagreement", "Where the models disagree, and why")
    if not disputed:
        return section.add(
            Paragraph(
                text(
                    f"The models' forecasts lie within {100 * DISPUTED:g}% of each issue's "
                    "scale: they broadly agree."
                )
            )
        )
    section.add(
        Paragraph(
            text(
                "The models read the same numbers differently: a weighted mean pulls toward every "
                "stakeholder in proportion to its weight (capability × salience); a median settles on one "
                "stakeholder's position; the dynamic models let actors challenge, bargain or trade "
                "concessions across issues. Where their forecasts part, the mechanism and the weights "
                "say why."
            )
        )
    )
    outcomes = fc.outcomes()
    sensitivity = {r.issue: r for r in brief.sensitivity}
    for issue_id, share in disputed:
        k = s.issue_ids.index(issue_id)
        issue = s.issues[k]
        values = [(n, float(outcomes.iloc[k][n])) for n in outcomes.columns]
        groups = group_by_meaning(issue, values)
        sub = Section(f"why-{issue_id}", issue.name)
        lo, hi = min(v for _, v in values), max(v for _, v in values)
        sub.add(
            Paragraph(
                text(
                    f"The forecasts run from {number(lo)} to {number(hi)}: {100 * share:.0f}% of the "
                    f"{issue.scale.min:g}–{issue.scale.max:g} scale."
                )
            )
        )
        sub.add(
            Bullets(
                [
                    join(
                        text(", ".join(n for n, _ in members), "strong"),
                        f" ({span(members[0][1], members[-1][1])}): ",
                        said(m),
                    )
                    for m, members in groups
                ]
            )
        )
        heavy = weights(s, issue_id)[:4]
        names = {a.id: a.name for a in s.actors}
        sub.add(
            Paragraph(
                join(
                    text("The weight: ", "strong"),
                    "; ".join(f"{names[a]} holds {100 * w:.0f}% of the weight at {x:g}" for a, w, x in heavy)
                    + ".",
                )
            )
        )
        extremes = {n for n, _ in groups[0][1]} | {n for n, _ in groups[-1][1]}
        why = [
            join(text(f"{n}: ", "strong"), model_class(n).summary) for n in outcomes.columns if n in extremes
        ]
        why += [
            join(text(f"! {n}: ", "strong"), d.message)
            for n in outcomes.columns
            if n in extremes
            for d in fc.models[n].diagnostics
            if d.issue == issue_id
        ]
        sub.add(Paragraph(text("The models at either end, and how they work:", "strong")), Bullets(why))
        if issue_id in sensitivity:
            r = sensitivity[issue_id]
            top = ", ".join(f"{label} ({row[r.key]:.1f})" for label, row in r.table.head(3).iterrows())
            sub.add(
                Paragraph(
                    join(
                        text("What drives it ", "strong"),
                        f"(under {r.model}, Morris μ*: points the "
                        f"outcome moves across an input's range): {top}. See ",
                        text("Sensitivity", "em"),
                        ".",
                    )
                )
            )
        section.add(sub)
    return section


# ----------------------------------------------------------------------------- what-ifs
def effect_table(w: Any) -> Table:
    """Tabulate a what-if's effects.

    Parameters
    ----------
    w : Any
        A what-if result.

    Returns
    -------
    Table
        Issues down, models across: the effect (change of the median), ≈0 where only some draws
        moved; the last column names the models whose outcome now means something else on the
        scale.
    """
    from accord.report.tables.whatif import effect_value

    names = list(w.models)
    rows: list[list[Cell | None]] = []
    for k, issue in enumerate(w.scenario.issues):
        crossed = [
            n
            for n, m in w.models.items()
            if meaning(issue, m.baseline["median"][k]) != meaning(issue, m.whatif["median"][k])
        ]
        rows.append(
            [
                Cell(text(issue.name, "strong")),
                *(Cell(text(effect_value(w.models[n].effect[k], w.models[n].moved[k]))) for n in names),
                Cell(text(", ".join(crossed))),
            ]
        )
    return Table(
        ["issue", *names, "changes meaning under"],
        rows,
        numeric=frozenset(range(1, len(names) + 1)),
        caption=text(w.effect_definition + "; ≈0: the median moved less than 0.05 while some draws moved."),
    )


def whatif_section(brief: BriefResult) -> Section | None:
    """Build the section on the what-ifs.

    Parameters
    ----------
    brief : BriefResult
        The brief's content.

    Returns
    -------
    Section or None
        Per what-if its changes, a chart and a table of its effects; None without what-ifs.
    """
    from accord.report.figures.whatif import draw_effects

    if not brief.whatifs:
        return None
    section = Section("whatifs", "What-ifs")
    section.add(
        Paragraph(
            text(
                "Each what-if changes the scenario and runs every model again on the same draws of "
                "the inputs, so that the difference is the what-if's and not chance."
            )
        )
    )
    for n, w in enumerate(brief.whatifs):
        change = w.change
        sub = Section(f"whatif-{n + 1}", str(change.get("name") or change.get("id")))
        if change.get("description"):
            sub.add(Paragraph(text(str(change["description"]))))
        sub.add(Bullets([text(line, "code") for line in change.get("changes") or []]))
        sub.add(
            Figure(
                draw_effects(w),
                text("The effect per issue and model, with its 90% interval; the black line is no change."),
                f"whatif-{n + 1}",
            )
        )
        sub.add(effect_table(w))
        if w.skipped:
            sub.add(
                Paragraph(
                    text("Not run: " + "; ".join(f"{m} ({r})" for m, r in w.skipped.items())), role="note"
                )
            )
        section.add(sub)
    return section


# ----------------------------------------------------------------------------- deals
def deal_tables(deal: Any) -> list[Table]:
    """Tabulate a deal run.

    Parameters
    ----------
    deal : Any
        A deal result.

    Returns
    -------
    list[Table]
        Each package's verdict, and each actor's gain and verdict per package; none without
        packages.
    """
    packages = deal.packages
    if not packages:
        return []
    verdicts: list[list[Cell | None]] = [
        [Cell(text((r.get("proposal") or {}).get("name") or pid, "strong")), Cell(deal_verdict(r))]
        for pid, r in packages.items()
    ]
    actors = list(deal.scenario.actor_ids)
    rows: list[list[Cell | None]] = []
    for actor in actors:
        cells: list[Cell | None] = [Cell(text(actor, "strong"))]
        for r in packages.values():
            entry = (r.get("actors") or {}).get(actor) or {}
            bits = [number(entry.get("gain"), True)] if entry.get("gain") is not None else []
            if entry.get("verdict"):
                bits.append(str(entry["verdict"]))
            if entry.get("vetoes"):
                bits.append("vetoes")
            cells.append(Cell(text(" ".join(bits) or "–")))
        rows.append(cells)
    names = [(r.get("proposal") or {}).get("name") or pid for pid, r in packages.items()]
    return [
        Table(["package", "verdict"], verdicts),
        Table(
            ["actor", *names],
            rows,
            caption=text("Each actor's gain over no deal (utility points) and its verdict on each package."),
        ),
    ]


def deal_section(brief: BriefResult) -> Section | None:
    """Build the section on the deals.

    Parameters
    ----------
    brief : BriefResult
        The brief's content.

    Returns
    -------
    Section or None
        What the packages were judged against, and the deal's tables; None without a deal run.
    """
    if brief.deal is None:
        return None
    payload = brief.deal.payload
    section = Section("deals", "Deals")
    against = payload.get("against") or {}
    rules = payload.get("rules") or {}
    section.add(
        Paragraph(
            text(
                f"The scenario's proposals judged against {against.get('base', 'the status quo')}"
                + (f", veto rule {rules['veto_rule']}" if rules.get("veto_rule") else "")
                + (
                    f", a coalition needing {100 * float(rules['threshold']):.0f}% of the weight"
                    if rules.get("threshold") is not None
                    else ""
                )
                + "."
            )
        )
    )
    section.add(*deal_tables(brief.deal))
    return section


# ----------------------------------------------------------------------------- sensitivity
def sensitivity_table(r: Any, top: int = 10) -> Table:
    """Tabulate a sensitivity analysis.

    Parameters
    ----------
    r : Any
        A sensitivity result.
    top : int
        The number of inputs shown, most influential first.

    Returns
    -------
    Table
        One row per input, the method's indices as columns.
    """
    from accord.report.tables.sensitivity import TITLES

    digits = 3 if r.method == "sobol" else 2
    rows: list[list[Cell | None]] = [
        [Cell(text(str(label), "code")), *(Cell(text(f"{v:.{digits}f}")) for v in row.to_numpy())]
        for label, row in r.table.head(top).iterrows()
    ]
    return Table(["input", *TITLES[r.method]], rows, numeric=frozenset(range(1, 5)))


def sensitivity_section(brief: BriefResult) -> Section | None:
    """Build the section on the sensitivity of the disputed issues.

    Parameters
    ----------
    brief : BriefResult
        The brief's content.

    Returns
    -------
    Section or None
        Per analysis a table, a legend of its indices and a chart; None without analyses.
    """
    from accord.report.figures.sensitivity import draw_sensitivity
    from accord.report.tables.sensitivity import LEGENDS

    if not brief.sensitivity:
        return None
    section = Section("sensitivity", "Sensitivity of the disputed issues")
    section.add(
        Paragraph(
            text(
                "Which inputs move the outcome most when each is varied over its stated "
                "uncertainty (a tenth of its scale where none is stated)."
            )
        )
    )
    for n, r in enumerate(brief.sensitivity):
        sub = Section(f"sensitivity-{r.issue}", f"{brief.scenario.issue(r.issue).name} under {r.model}")
        sub.add(sensitivity_table(r))
        sub.add(Bullets([join(text(f"{term}: ", "strong"), words) for term, words in LEGENDS[r.method]]))
        sub.add(
            Figure(
                draw_sensitivity(r, 10),
                text(f"The ten most influential inputs ({r.n_runs:,} model runs)."),
                f"sensitivity-{n + 1}",
            )
        )
        section.add(sub)
    return section


# ----------------------------------------------------------------------------- saved runs
def saved_section(brief: BriefResult) -> Section | None:
    """Build the section on the saved runs the brief includes.

    Parameters
    ----------
    brief : BriefResult
        The brief's content.

    Returns
    -------
    Section or None
        A table per run; None without saved runs.
    """
    if not brief.saved:
        return None
    section = Section("saved", "Saved runs")
    for run_id, result in brief.saved:
        sub = Section(f"run-{run_id}", f"Run {run_id}: {result.kind}")
        if result.kind == "forecast":
            outcomes = result.outcomes()
            rows: list[list[Cell | None]] = [
                [
                    Cell(text(i.name, "strong")),
                    *(Cell(text(number(outcomes.iloc[k][n]))) for n in outcomes.columns),
                ]
                for k, i in enumerate(result.scenario.issues)
            ]
            sub.add(
                Table(
                    ["issue", *outcomes.columns], rows, numeric=frozenset(range(1, len(outcomes.columns) + 1))
                )
            )
        elif result.kind == "whatif":
            sub.add(
                Paragraph(text(str(result.change.get("name") or result.change.get("id")), "strong")),
                effect_table(result),
            )
        elif result.kind == "deal":
            sub.add(*deal_tables(result))
        elif result.kind == "sensitivity":
            sub.add(Paragraph(text(f"{result.issue} under {result.model}")), sensitivity_table(result))
        section.add(sub)
    return section


# ----------------------------------------------------------------------------- sources and method
def sources(s: Scenario) -> Section:
    """Build the section listing the scenario's sources.

    Parameters
    ----------
    s : Scenario
        The scenario.

    Returns
    -------
    Section
        Each source's id, citation, date, quote and web address.
    """
    section = Section("sources", "Sources")
    lead = "Every number of the scenario traces to these sources"
    lead += f"; evidence dated on or before {s.as_of} informs the positions." if s.as_of else "."
    section.add(Paragraph(text(lead)))
    items = []
    for src in s.sources:
        item = join(text(src.id, "code"), " ", src.citation)
        if src.date:
            item += text(f" ({src.date})")
        if src.quote:
            item += text(" — ") + text(src.quote, "em")
        if src.url:
            item += text(" ") + text(src.url, "link")
        items.append(item)
    if items:
        section.add(Bullets(items))
    return section


def params_text(name: str, params: dict[str, Any]) -> Inline:
    """List the parameters a model ran with.

    Parameters
    ----------
    name : str
        The model's name.
    params : dict[str, Any]
        The values it ran with.

    Returns
    -------
    Inline
        Every parameter as ``key=value``; those set away from the defaults first, in bold;
        ``none`` when the model has no parameters.
    """
    from accord.models import model_class

    try:
        declared = model_class(name).parameters()
    except Exception:  # noqa: BLE001  (a model this version no longer has)
        declared = {}
    changed = [f"{k}={v}" for k, v in params.items() if k not in declared or declared[k].default != v]
    default = [f"{k}={v}" for k, v in params.items() if k in declared and declared[k].default == v]
    if not params:
        return text("none", "dim")
    out: Inline = text(", ".join(changed), "strong") if changed else []
    if default:
        out += text(("; " if changed else "") + ", ".join(default) + " (defaults)", "code")
    return out


def command_line(brief: BriefResult) -> str:
    """Return the command that makes this brief again.

    Parameters
    ----------
    brief : BriefResult
        The brief's content.

    Returns
    -------
    str
        An ``accord report`` command line.
    """
    spec = brief.spec
    words = ["accord", "report"] + ([spec.scenario] if spec.scenario else [])
    words += [f"-m {m}" for m in spec.models]
    words += [f"-p {k}={v}" for k, v in spec.params.items()]
    words += [f"--draws {spec.draws}", f"--seed {spec.seed}"]
    if spec.whatifs is not None:
        words += [f"--whatif {w}" for w in spec.whatifs] or ["--no-whatifs"]
    if spec.proposals is not None:
        words += [f"--proposal {p}" for p in spec.proposals] or ["--no-deals"]
    words += [f"--run {r}" for r in spec.runs]
    return " ".join(words)


def method(brief: BriefResult) -> Section:
    """Build the section on how the brief was made.

    Parameters
    ----------
    brief : BriefResult
        The brief's content.

    Returns
    -------
    Section
        accord's version, the scenario, seed, draws, the command line again, the models with their
        parameters, and how to read the numbers.
    """
    from accord.models import model_class

    fc = brief.forecast
    section = Section("method", "How this brief was made")
    s = brief.scenario
    facts = [
        join(
            text("accord ", "strong"),
            brief.accord_version,
            " (open source; every model reproduces its reference program, see the project's docs)",
        ),
        join(
            text("Scenario ", "strong"),
            text(s.id, "code"),
            f": {len(s.actors)} actors, {len(s.issues)} issues, "
            f"{len(s.positions)} positions" + (f", as of {s.as_of}" if s.as_of else ""),
        ),
        join(text("Seed ", "strong"), f"{fc.seed}: the same scenario, models and seed give the same numbers"),
        join(
            text("Draws ", "strong"),
            f"{fc.n_draws:,} draws of the inputs' stated uncertainty"
            if fc.n_draws
            else "none: the coded inputs only",
        ),
        join(text("Again: ", "strong"), text(command_line(brief), "code")),
    ]
    section.add(Bullets(facts))
    rows: list[list[Cell | None]] = []
    for name, m in fc.models.items():
        status = m.skipped and f"not run: {m.skipped}"
        rows.append(
            [
                Cell(text(name, "strong")),
                Cell(text(model_class(name).summary)),
                Cell(text(status, "dim") if status else params_text(name, m.params)),
            ]
        )
    section.add(
        Table(
            ["model", "what it computes", "parameters"],
            rows,
            caption=text("In bold: parameters this brief set away from the model's defaults."),
        )
    )
    section.add(
        Paragraph(
            join(
                text("Reading the numbers. ", "strong"),
                "A forecast is where a model expects the issue to settle, on the issue's scale. The "
                "90% band holds the middle 90% of a model's forecasts over the draws. A what-if's "
                "effect is the change of the median forecast over the same draws. The meaning of a "
                "number comes from the scale's labelled points (its anchors), written by the "
                "scenario's author.",
            ),
            role="note",
        )
    )
    return section
