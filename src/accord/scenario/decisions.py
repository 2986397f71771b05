"""Who must agree to a package: the scenario's decision rules as arrays.

A package needs every *requirement* that applies to it; a requirement applies when the package
moves one of its issues (or, for a rule on proposals or on every package, when the package moves
anything). A requirement is met when one of its *consents* is given (the first is the rule's
own; later ones are overrides, ``unless``); a consent is given when the voters who agree hold
enough of its weight:

    sum_i v_li [i agrees]  >=  q_l sum_i v_li     (> for a simple majority, q_l = 1/2)

An actor's consent is ``v = e_actor, q = 1``; unanimity of a body is its members with ``q = 1``.
An actor's ``veto`` list is the requirement of its own consent on those issues (the form files
used before decision rules existed). Tsebelis (2002, *Veto Players*) calls an actor whose
refusal alone fails every consent of a requirement a veto player: :func:`individual_vetoes`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.errors import Problem
from accord.scenario.schema import Approval, Scenario

VOTE_QUOTA = {"unanimity": 1.0, "majority": 0.5}


@dataclass(frozen=True)
class Consent:
    """One way to meet a requirement: the voters' weights ``[A]`` and the quota they must reach."""

    voters: np.ndarray  # [A] >= 0
    quota: float  # share of the voters' weight that must agree
    strict: bool  # more than the quota (a simple majority) rather than at least it
    label: str  # e.g. "russia", "eu_council (unanimity)", "us_congress unless ..."

    def passes(self, agree: np.ndarray) -> np.ndarray:
        """Tell whether the consent is given.

        Parameters
        ----------
        agree : np.ndarray
            Who agrees, bool, shape ``[..., A]``.

        Returns
        -------
        np.ndarray
            Bool, shape ``[...]``: the agreeing voters hold enough weight (within a relative
            tolerance of 1e-9 of the total).
        """
        total = float(self.voters.sum())
        weight = (agree * self.voters).sum(axis=-1)
        eps = 1e-9 * total
        return weight > self.quota * total + eps if self.strict else weight >= self.quota * total - eps

    def blocked_by(self, a: int) -> bool:
        """Tell whether actor ``a`` refusing alone fails this consent (everyone else agreeing).

        Parameters
        ----------
        a : int
            The actor's index.

        Returns
        -------
        bool
            True when the others' weight falls short of the quota; False for a non-voter.
        """
        total = float(self.voters.sum())
        rest = total - float(self.voters[a])
        if self.voters[a] <= 0:
            return False
        eps = 1e-9 * total
        return rest <= self.quota * total + eps if self.strict else rest < self.quota * total - eps


@dataclass(frozen=True)
class Requirement:
    """A rule's approval: when it is needed and how it is met.

    It is needed when the package moves one of ``issues`` (or anything, with ``every_package``);
    it is met when one of ``consents`` is given.
    """

    rule: str
    text: str
    consents: tuple[Consent, ...]
    issues: np.ndarray  # [I] bool
    every_package: bool

    @property
    def voters(self) -> np.ndarray:
        """Bool ``[A]``: who votes in any of the consents."""
        return np.any([c.voters > 0 for c in self.consents], axis=0)


@dataclass(frozen=True)
class Requirements:
    """Every requirement of a scenario (for one proposal, when rules name proposals)."""

    items: tuple[Requirement, ...]
    n_actors: int
    n_issues: int

    def __len__(self) -> int:
        return len(self.items)

    @property
    def issue_matrix(self) -> np.ndarray:
        """Bool ``[C, I]``: requirement c applies when issue k moves."""
        if not self.items:
            return np.zeros((0, self.n_issues), dtype=bool)
        return np.array([r.issues | r.every_package for r in self.items])

    @property
    def voter_matrix(self) -> np.ndarray:
        """Bool ``[C, A]``: actor a votes in requirement c."""
        if not self.items:
            return np.zeros((0, self.n_actors), dtype=bool)
        return np.array([r.voters for r in self.items])

    @property
    def simple(self) -> bool:
        """Whether every requirement is one consent that every voter must give.

        With no majorities and no overrides, a package passes when each voter of an applying
        requirement agrees.
        """
        return all(len(r.consents) == 1 and r.consents[0].quota >= 1.0 and not r.consents[0].strict
                   for r in self.items)

    def every_voter(self) -> Requirements:
        """Return stronger requirements: every voter of every consent must agree.

        No majorities, no overrides. A package meeting them meets these.

        Returns
        -------
        Requirements
            One unanimous consent per requirement.
        """
        items = tuple(Requirement(r.rule, r.text, (Consent(r.voters.astype(float), 1.0, False, r.text),),
                                  r.issues, r.every_package) for r in self.items)
        return Requirements(items, self.n_actors, self.n_issues)

    def veto_players_only(self) -> Requirements:
        """Return weaker requirements: only the voters who can fail a requirement alone must agree.

        A package that fails them fails these.

        Returns
        -------
        Requirements
            One consent of the veto players per requirement that has any; the others are dropped.
        """
        items = []
        for r in self.items:
            alone = np.array([all(c.blocked_by(a) for c in r.consents) for a in range(self.n_actors)])
            if alone.any():
                items.append(Requirement(r.rule, r.text, (Consent(alone.astype(float), 1.0, False, r.text),),
                                         r.issues, r.every_package))
        return Requirements(tuple(items), self.n_actors, self.n_issues)

    def voter_issues(self) -> np.ndarray:
        """Tell which actors vote on some requirement that applies to each issue.

        Returns
        -------
        np.ndarray
            Bool, shape ``[A, I]``.
        """
        return (self.voter_matrix[:, :, None] & self.issue_matrix[:, None, :]).any(axis=0)


def _consents(approval: Approval, scenario: Scenario) -> list[Consent]:
    """Return the consents an approval stands for: its own, then its overrides'.

    Names the scenario does not have are left out (:func:`rule_warnings` reports them).
    """
    actors = {a: n for n, a in enumerate(scenario.actor_ids)}
    bodies = {b.id: b for b in scenario.bodies}
    out: list[Consent] = []
    if approval.actor is not None and approval.actor in actors:
        voters = np.zeros(len(actors))
        voters[actors[approval.actor]] = 1.0
        label = f"{approval.actor} (referendum)" if approval.referendum else approval.actor
        out.append(Consent(voters, 1.0, False, label))
    elif approval.body is not None and (approval.body in bodies or approval.body in actors):
        vote = approval.vote or "unanimity"
        quota = approval.share if vote == "supermajority" else VOTE_QUOTA[vote]
        assert quota is not None  # Approval's validator: a supermajority has a share
        voters = np.zeros(len(actors))
        if approval.body in bodies:
            for member, weight in bodies[approval.body].members.items():
                if member in actors:
                    voters[actors[member]] = weight
        else:  # a body coded as one actor: its vote is its consent
            voters[actors[approval.body]] = 1.0
        share = f"{quota:.0%}" if vote == "supermajority" else vote
        if voters.sum() > 0:
            out.append(Consent(voters, float(quota), vote == "majority", f"{approval.body} ({share})"))
    if approval.unless is not None:
        out += _consents(approval.unless, scenario)
    return out


def approval_text(approval: Approval) -> str:
    """Write an approval as a short phrase: ``pres unless congress (supermajority 67%)``.

    Parameters
    ----------
    approval : Approval
        The approval, with its overrides.

    Returns
    -------
    str
        The phrase.
    """
    own = approval.actor or f"{approval.body} ({approval.vote or 'unanimity'}" + (
        f" {approval.share:.0%})" if approval.share else ")")
    if approval.referendum:
        own += " (referendum)"
    return own + (f" unless {approval_text(approval.unless)}" if approval.unless is not None else "")


def requirements(scenario: Scenario, proposal: str | None = None) -> Requirements:
    """Return the scenario's requirements: each rule's approvals, then each actor's ``veto`` list.

    Rules that name proposals apply only when ``proposal`` is one of them (to every package it
    moves); rules naming neither issues nor proposals apply to every package.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    proposal : str or None
        The proposal being judged, for rules that name proposals.

    Returns
    -------
    Requirements
        The requirements; approvals whose names the scenario lacks are left out.
    """
    n_a, issue_ids = len(scenario.actors), scenario.issue_ids
    items: list[Requirement] = []
    for rule in scenario.decision_rules:
        if rule.proposals and proposal not in rule.proposals and not rule.issues:
            continue
        on_proposal = bool(rule.proposals) and proposal in rule.proposals
        issues = np.array([k in rule.issues for k in issue_ids], dtype=bool)
        every = on_proposal or not (rule.issues or rule.proposals)
        for approval in rule.requires:
            consents = _consents(approval, scenario)
            if consents:
                items.append(Requirement(rule.id, approval_text(approval), tuple(consents), issues, every))
    for a, actor in enumerate(scenario.actors):
        if actor.veto:
            voters = np.zeros(n_a)
            voters[a] = 1.0
            issues = np.array([k in actor.veto for k in issue_ids], dtype=bool)
            items.append(Requirement(f"veto:{actor.id}", actor.id, (Consent(voters, 1.0, False, actor.id),),
                                     issues, False))
    return Requirements(tuple(items), n_a, len(issue_ids))


def individual_vetoes(scenario: Scenario) -> np.ndarray:
    """Find the veto players: who can block a package moving an issue on their own.

    An actor is a veto player on an issue when its refusal fails every consent of a requirement
    on that issue (Tsebelis 2002).

    Parameters
    ----------
    scenario : Scenario
        The scenario.

    Returns
    -------
    np.ndarray
        Bool, shape ``[A, I]``.

    References
    ----------
    G. Tsebelis, *Veto Players: How Political Institutions Work*, Princeton University Press,
    2002.
    """
    req = requirements(scenario)
    out = np.zeros((req.n_actors, req.n_issues), dtype=bool)
    for r in req.items:
        issues = r.issues | r.every_package
        for a in range(req.n_actors):
            if all(c.blocked_by(a) for c in r.consents):
                out[a] |= issues
    return out


def rule_warnings(scenario: Scenario, lines: dict[tuple[str | int, ...], int] | None = None,
                  file: str | None = None) -> list[Problem]:
    """Warn about decision rules the scenario cannot fully judge.

    A rule or body may name what the scenario does not have as an actor (its consent cannot be
    judged and is left out); an issue may have stakeholders but no rule on who decides.

    Parameters
    ----------
    scenario : Scenario
        The scenario.
    lines : dict of tuple to int, optional
        Line numbers by location in the file (e.g. ``("decision_rules", 0, "requires", 1)``);
        a warning takes the line of its location or of the nearest enclosing one.
    file : str, optional
        The file's name, for the warnings.

    Returns
    -------
    list of Problem
        One warning per unknown name and per issue no rule covers.
    """
    lines = lines or {}
    actors = set(scenario.actor_ids)
    bodies = {b.id for b in scenario.bodies}
    out: list[Problem] = []

    def line(loc: tuple[str | int, ...]) -> int | None:
        for n in range(len(loc), 0, -1):
            if loc[:n] in lines:
                return lines[loc[:n]]
        return None

    def warn(loc: tuple[str | int, ...], message: str, value: str | None, expected: str) -> None:
        out.append(Problem(message, file=file, line=line(loc), field=".".join(map(str, loc)), value=value,
                           expected=expected))

    for n, body in enumerate(scenario.bodies):
        for member in body.members:
            if member not in actors:
                warn(("bodies", n, "members", member), f"body {body.id} names a member that is not an "
                     "actor; its vote is left out", member, "an actor id (add the actor to judge its vote)")
    for n, rule in enumerate(scenario.decision_rules):
        for j, approval in enumerate(rule.requires):
            chain: Approval | None = approval
            loc: tuple[str | int, ...] = ("decision_rules", n, "requires", j)
            while chain is not None:
                if chain.actor is not None and chain.actor not in actors:
                    warn((*loc, "actor"), f"rule {rule.id} names an actor the scenario does not have; "
                         "its consent is left out", chain.actor, "an actor id")
                if chain.body is not None and chain.body not in bodies | actors:
                    warn((*loc, "body"), f"rule {rule.id} names a body that is neither a body nor an "
                         "actor of the scenario; its vote is left out", chain.body,
                         "a body id (bodies list) or an actor id")
                chain, loc = chain.unless, (*loc, "unless")
    covered = np.asarray(individual_vetoes(scenario).any(axis=0)
                         | requirements(scenario).issue_matrix.any(axis=0))
    staked = {p.issue for p in scenario.positions}
    for k, issue in enumerate(scenario.issues):
        if issue.id in staked and not covered[k]:
            warn(("issues", k), f"issue {issue.id} has stakeholders but no decision rule or veto says who "
                 "must agree to settle it; a winning coalition alone decides", None,
                 "a decision rule naming the issue (or an actor's veto on it)")
    return out


def from_vetoes(veto: np.ndarray) -> Requirements:
    """Return the requirements of a bare veto matrix: each actor's consent on its issues.

    Parameters
    ----------
    veto : np.ndarray
        Bool, shape ``[A, I]``: the actor can veto the issue.

    Returns
    -------
    Requirements
        One requirement per actor with a veto, labelled by the actor's index.
    """
    n_a, n_i = veto.shape
    items = []
    for a in np.flatnonzero(veto.any(axis=1)):
        voters = np.zeros(n_a)
        voters[a] = 1.0
        items.append(Requirement(f"veto:{a}", str(a), (Consent(voters, 1.0, False, str(a)),), veto[a].copy(),
                                 False))
    return Requirements(tuple(items), n_a, n_i)
