"""The JSON of a judged package: everything its tables show, so a stored run renders as it ran."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from accord.analysis.coverage import verdict_words
from accord.analysis.disagreement import against_dict
from accord.analysis.proposals import proposal_dict
from accord.experiments.uncertainty import summarise

if TYPE_CHECKING:
    from accord.analysis.deal import DealResult


def _num(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def deal_dict(r: DealResult) -> dict[str, Any]:
    """Return one package's judgement as JSON-ready data.

    It holds everything the tables show (see ``docs/deal-analysis.md``, "JSON"), so a stored run
    renders as it ran.

    Parameters
    ----------
    r : DealResult
        The judged package.

    Returns
    -------
    dict
        The judgement: scenario, proposal, rules, coverage, verdict, per-issue and per-actor
        entries, requirements, draws, deal-breakers and repair.
    """
    from accord.analysis.deal import UTILITY

    s, pt, st = r.scenario, r.point, r.setting
    ref, shared = st.reference, st.shared
    issues = {}
    for k, issue_id in enumerate(s.issue_ids):
        entry: dict[str, Any] = {
            "name": s.issues[k].name,
            "package": _num(r.package[k]),
            "no_deal": _num(ref[k]),
            "no_deal_source": st.sources[k],
            "moved": bool(pt.moved[k]),
            "settled": not np.isnan(r.package[k]),
        }
        if not shared[k]:
            entry["no_deal_by_actor"] = {a: _num(st.disagreement[n, k]) for n, a in enumerate(s.actor_ids)
                                         if not np.isnan(st.disagreement[n, k])}
        issues[issue_id] = entry
    req = pt.requirements
    votes_on = req.voter_issues() if req is not None else st.arrays.veto
    probs = r.probabilities()
    q = summarise(r.draws.gain) if r.draws is not None else None  # per actor, over draws
    failed = set(pt.failed())
    actors = {}
    for a, actor in enumerate(s.actors):
        entry = {
            "name": actor.name,
            "clout": float(pt.clout[a]),
            "gain": float(pt.gain[a]),
            "issue_gains": {i: float(pt.issue_gain[a, k]) for k, i in enumerate(s.issue_ids)},
            "verdict": "gains" if pt.gains[a] else "loses" if pt.loses[a] else "indifferent",
            "accepts": bool(pt.accepts[a]),
            "holds_veto": bool(pt.holds_veto[a]),
            "veto_issues": [i for k, i in enumerate(s.issue_ids) if votes_on[a, k] and pt.moved[k]],
            "vetoes": bool(pt.vetoes[a]),
            "blocks": [req.items[c].text for c in sorted(failed)
                       if req is not None and req.items[c].voters[a]] if pt.vetoes[a] else [],
        }
        if not shared.all():
            entry["no_deal"] = {i: _num(st.disagreement[a, k]) for k, i in enumerate(s.issue_ids)}
        if probs is not None and q is not None:
            entry.update({f"p_{key}": float(v[a]) for key, v in probs.items()})
            entry["gain_quantiles"] = {"5%": float(q["q05"][a]), "50%": float(q["median"][a]),
                                       "95%": float(q["q95"][a])}
        actors[actor.id] = entry
    coverage = r.coverage.to_dict()
    out: dict[str, Any] = {
        "scenario": {"id": s.id, "title": s.title},
        "proposal": proposal_dict(r.proposal),
        "against": against_dict(st.against),
        "rules": st.rules.to_dict(),
        "utility": UTILITY,
        "coverage": coverage,
        "verdict": r.verdict,
        "verdict_text": verdict_words(r.verdict, coverage),
        "issues": issues,
        "not_compared": r.not_compared,
        "actors": actors,
        "requirements": _requirements(r),
        "support_share": float(pt.support_share),
        "coalition": bool(pt.coalition),
        "vetoed_by": [s.actor_ids[a] for a in np.flatnonzero(pt.vetoes)],
        "accepted": bool(pt.accepted),
        "draws": None,
        "breakers": [b.to_dict() for b in r.breakers],
        "repair": None if r.repair is None else r.repair.to_dict(s),
    }
    if r.draws is not None:
        dr = r.draws
        out["draws"] = {
            "n": int(dr.gain.shape[0]),
            "p_accepted": float(dr.accepted.mean()),
            "p_coalition": float(dr.coalition.mean()),
            "p_vetoed": float(dr.vetoed.mean()),
            "support_share_mean": float(dr.support_share.mean()),
        }
    return out


def _requirements(r: DealResult) -> list[dict[str, Any]]:
    """List the consents the package needs (those that apply), met or failed, with who refused."""
    pt, s = r.point, r.scenario
    req = pt.requirements
    if req is None or pt.active is None or pt.met is None:
        return []
    out = []
    for c, item in enumerate(req.items):
        if not pt.active[c]:
            continue
        refused = [s.actor_ids[a] for a in np.flatnonzero(item.voters) if pt.vetoes[a] and not pt.met[c]]
        out.append({"rule": item.rule, "text": item.text,
                    "issues": [i for k, i in enumerate(s.issue_ids)
                               if req.issue_matrix[c, k] and pt.moved[k]],
                    "met": bool(pt.met[c]), "refused_by": refused})
    return out
