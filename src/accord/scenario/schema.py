"""The scenario schema: actors, issues with labelled scales, positions, sources and proposals.

Every number may carry an uncertainty (a standard deviation or a low-high range) and the ids
of the sources that justify it. Objects here are validated data; models never see them, they
see the arrays made by :func:`accord.scenario.compile`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from accord.scenario.limits import MAX_SCALE_MAGNITUDE, MIN_SCALE_SPAN

ISSUE_ID = r"^[A-Za-z_][A-Za-z0-9_]*$"
ACTOR_ID = r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$"
ITEM_ID = r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$"


def _not_a_bool(value: Any) -> Any:
    """Pydantic reads ``true`` as 1.0; a number field must not (YAML reads ``yes`` as true)."""
    if isinstance(value, bool):
        raise PydanticCustomError("bool_not_number", "true/false (yes/no, on/off in YAML) is not a number")
    return value


#: a float that refuses booleans
Number = Annotated[float, BeforeValidator(_not_a_bool)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True)


class Uncertainty(_Strict):
    """How firm a number is: a standard deviation, or a low-high range.

    Written as a bare number (read as ``sd``), ``{sd: 5}``, or ``{low: 40, high: 70}``.
    ``distribution`` defaults to a normal truncated to the valid range for ``sd`` and a
    uniform for a range; ``triangular`` takes the coded number as its mode.
    """

    sd: Number | None = Field(default=None, ge=0)
    low: Number | None = None
    high: Number | None = None
    distribution: Literal["normal", "uniform", "triangular"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, data: Any) -> Any:
        if isinstance(data, int | float) and not isinstance(data, bool):
            return {"sd": data}
        if isinstance(data, list | tuple) and len(data) == 2:
            return {"low": data[0], "high": data[1]}
        return data

    @model_validator(mode="after")
    def _one_kind(self) -> Uncertainty:
        has_range = self.low is not None or self.high is not None
        if self.sd is None and not has_range:
            raise ValueError("give either sd or both low and high")
        if self.sd is not None and has_range:
            raise ValueError("give either sd or low/high, not both")
        if has_range and (self.low is None or self.high is None):
            raise ValueError("a range needs both low and high")
        if has_range and self.low > self.high:  # type: ignore[operator]  # both set: checked above
            raise ValueError(f"low ({self.low}) is above high ({self.high})")
        if self.sd is not None and self.distribution not in (None, "normal"):
            raise ValueError("a standard deviation goes with the normal distribution")
        return self

    @property
    def kind(self) -> str:
        """The distribution drawn from: ``normal`` for ``sd``, else ``distribution`` or ``uniform``."""
        if self.sd is not None:
            return "normal"
        return self.distribution or "uniform"


class Source(_Strict):
    """Where a number comes from: a citation, its address and date, a short paraphrase."""

    id: str = Field(pattern=ITEM_ID)
    citation: str = Field(min_length=1)
    url: str | None = None
    date: dt.date | None = None
    quote: str | None = None


class Scale(_Strict):
    """A bounded issue scale with labelled anchor points (e.g. 0: "no territory ceded").

    Its ends lie within +-:data:`~accord.scenario.limits.MAX_SCALE_MAGNITUDE` and at least
    :data:`~accord.scenario.limits.MIN_SCALE_SPAN` apart, where the models' arithmetic is exact
    enough (a scale of +-1e308 has an infinite width).
    """

    min: Number = 0.0
    max: Number = 100.0
    anchors: dict[Number, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if not self.min < self.max:
            raise ValueError(f"scale min ({self.min}) must be below max ({self.max})")
        if max(abs(self.min), abs(self.max)) > MAX_SCALE_MAGNITUDE:
            raise ValueError(f"scale {self.min:g}..{self.max:g} reaches beyond "
                             f"+-{MAX_SCALE_MAGNITUDE:g}; rescale the issue (e.g. to millions)")
        if self.max - self.min < MIN_SCALE_SPAN:
            raise ValueError(f"scale {self.min:g}..{self.max:g} is narrower than {MIN_SCALE_SPAN:g}")
        outside = [a for a in self.anchors if not self.min <= a <= self.max]
        if outside:
            raise ValueError(f"anchor points {outside} lie outside the scale {self.min}..{self.max}")
        return self

    def label(self, value: float) -> str | None:
        """Return the anchor label at ``value``, if one is defined there.

        Parameters
        ----------
        value : float
            A point on the scale; an anchor matches when it is close to it (``math.isclose``).

        Returns
        -------
        str or None
            The anchor's label, or None when no anchor lies at ``value``.
        """
        for point, text in self.anchors.items():
            if math.isclose(point, value):
                return text
        return None


class Issue(_Strict):
    """A question the parties negotiate, placed on a bounded :class:`Scale`.

    ``status_quo`` is where the issue stands today (on the scale), with its own uncertainty;
    ``units`` and ``description`` say what the scale measures.
    """

    id: str = Field(pattern=ISSUE_ID)
    name: str = Field(min_length=1)
    scale: Scale = Field(default_factory=Scale)
    status_quo: Number | None = None
    status_quo_uncertainty: Uncertainty | None = None
    units: str | None = None
    description: str | None = None
    sources: list[str] = Field(default_factory=list)


class Actor(_Strict):
    """A party to the negotiation.

    ``veto`` lists issues it can block alone (the short form of a decision rule requiring its
    consent on them).
    """

    id: str = Field(pattern=ACTOR_ID)
    name: str = Field(min_length=1)
    capability: Number
    capability_uncertainty: Uncertainty | None = None
    capability_by_issue: dict[str, Number] = Field(default_factory=dict)
    veto: list[str] = Field(default_factory=list, description="issue ids this actor can veto")
    group: str | None = None
    notes: str | None = None
    sources: list[str] = Field(default_factory=list)


class Position(_Strict):
    """An actor's stand on one issue; an actor without a Position has no stake in that issue."""

    actor: str
    issue: str
    position: Number
    salience: Number
    position_uncertainty: Uncertainty | None = None
    salience_uncertainty: Uncertainty | None = None
    sources: list[str] = Field(default_factory=list)
    note: str | None = None


class Proposal(_Strict):
    """A negotiated package: a point on some or all of the scenario's issues."""

    id: str = Field(pattern=ITEM_ID)
    name: str = Field(min_length=1)
    date: dt.date | None = None
    description: str | None = None
    points: dict[str, Number] = Field(min_length=1)
    notes: dict[str, str] = Field(default_factory=dict, description="per-issue justification")
    sources: list[str] = Field(default_factory=list)


class Lever(_Strict):
    """A move one actor controls that the scenario declares, for ``accord strategy``.

    For example a transfer: aid to an ally, sanctions on an opponent.
    ``set`` holds what-if assignments (``capability[ukraine] *= 1.2``; the grammar of
    :mod:`accord.experiments.interventions`); ``cost`` is its price in effort points, the unit of
    every lever's cost (one point = moving one actor's position by 1% of an issue's scale, or its
    salience by one point of 100): the analyst's judgement, stated beside its sources.
    """

    id: str = Field(pattern=ITEM_ID)
    actor: str = Field(description="the actor who controls the lever")
    name: str = Field(min_length=1)
    set: list[str] = Field(min_length=1, description="what-if assignments the lever makes")
    cost: float = Field(gt=0, description="in effort points")
    description: str | None = None
    sources: list[str] = Field(default_factory=list)


class NoDeal(_Strict):
    """Where an issue ends up if no agreement is reached: an outside option.

    The outside option is the "best alternative to a negotiated agreement" (Fisher & Ury 1981;
    Raiffa 1982, ch. 4). Without ``actor`` it is every actor's expectation; with one, that
    actor's own (sides can expect different things of the war going on). An actor with no entry
    on an issue expects the issue-wide one, else the issue's status quo. ``date`` is the time the
    value refers to.

    References
    ----------
    R. Fisher and W. Ury, *Getting to Yes: Negotiating Agreement Without Giving In*, Houghton
    Mifflin, 1981.

    H. Raiffa, *The Art and Science of Negotiation*, Harvard University Press, 1982, ch. 4.
    """

    issue: str
    actor: str | None = None
    value: float
    uncertainty: Uncertainty | None = None
    date: dt.date | None = None
    sources: list[str] = Field(default_factory=list)
    note: str | None = None


class Body(_Strict):
    """A decision body whose members vote: a council, a parliament's groups, a coalition.

    ``members`` maps actor ids to voting weights (a plain list gives each weight 1). A member
    that is not an actor of the scenario cannot be judged; its vote is left out (with a warning).
    """

    id: str = Field(pattern=ACTOR_ID)
    name: str = Field(min_length=1)
    members: dict[str, float] = Field(min_length=1)
    sources: list[str] = Field(default_factory=list)
    note: str | None = None

    @field_validator("members", mode="before")
    @classmethod
    def _from_list(cls, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return {str(m): 1.0 for m in value}
        return value

    @field_validator("members")
    @classmethod
    def _positive(cls, value: dict[str, float]) -> dict[str, float]:
        bad = {m: w for m, w in value.items() if not w > 0}
        if bad:
            raise ValueError(f"voting weights must be above 0 (got {bad})")
        return value


class Approval(_Strict):
    """One consent a decision needs.

    ``actor``: that actor must agree (a government, a parliament coded as one actor, or with
    ``referendum: true`` an electorate voting on the package). ``body``: that body votes by
    ``vote``: ``unanimity`` (every member, the default), ``majority`` (members holding more than
    half the weight) or ``supermajority`` (at least ``share`` of it; write ``"2/3"`` for two
    thirds). ``unless``: an
    approval that overrides a refusal (a veto overridden by a two-thirds vote). Written as a bare
    id, an approval is ``{actor: ID}``.
    """

    actor: str | None = None
    body: str | None = None
    vote: Literal["unanimity", "majority", "supermajority"] | None = None
    share: float | None = Field(default=None, gt=0, le=1)
    referendum: bool = False
    unless: Approval | None = None
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_id(cls, data: Any) -> Any:
        return {"actor": data} if isinstance(data, str) else data

    @field_validator("share", mode="before")
    @classmethod
    def _fraction(cls, value: Any) -> Any:
        """``"2/3"`` is exactly two thirds (0.6667 is a little more: 2 of 3 members fall short)."""
        if isinstance(value, str) and "/" in value:
            top, _, bottom = value.partition("/")
            try:
                return float(top) / float(bottom)
            except (ValueError, ZeroDivisionError):
                return value
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> Approval:
        if (self.actor is None) == (self.body is None):
            raise ValueError("name either an actor or a body")
        if self.actor is not None and self.vote is not None:
            raise ValueError("a vote rule goes with a body, not an actor")
        if self.referendum and self.actor is None:
            raise ValueError("a referendum is an actor (the electorate, with its own positions)")
        if (self.vote == "supermajority") != (self.share is not None):
            raise ValueError("a supermajority needs a share (e.g. \"2/3\" or 0.6), and a share needs "
                             "vote: supermajority")
        return self

    @property
    def names(self) -> list[str]:
        """The actor or body this approval and its overrides name."""
        own = [self.actor or self.body or ""]
        return own + (self.unless.names if self.unless is not None else [])


class DecisionRule(_Strict):
    """Who must agree to a package.

    The rule holds for packages that settle any of ``issues``, or for the ``proposals`` named, or
    (with neither) for every package. Every approval in ``requires`` is needed (a ratification
    chain).
    """

    id: str = Field(pattern=ITEM_ID)
    name: str | None = None
    issues: list[str] = Field(default_factory=list)
    proposals: list[str] = Field(default_factory=list)
    requires: list[Approval] = Field(min_length=1)
    sources: list[str] = Field(default_factory=list)
    note: str | None = None


class ScenarioHeader(_Strict):
    """The scenario's own fields, without its lists."""

    id: str = Field(pattern=ITEM_ID)
    title: str = Field(min_length=1)
    as_of: dt.date | None = None
    description: str | None = None
    salience_scale: Literal[1, 100] = Field(default=100, description="saliences run 0..100 (default) or 0..1")
    model_settings: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="per model name, parameters the scenario's source gives for it (e.g. a KTAB "
        "file's smp options); JSON data",
    )

    @field_validator("salience_scale", mode="before")
    @classmethod
    def _int_scale(cls, value: Any) -> Any:
        return int(value) if isinstance(value, float) and value in (1.0, 100.0) else value

    @field_validator("model_settings")
    @classmethod
    def _json_data(cls, value: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError):
            raise ValueError("model settings must be JSON data: text, finite numbers, true/false, "
                             "lists and mappings") from None
        return value


class Scenario(ScenarioHeader):
    """A negotiation: who takes part, over what, standing where, and on whose word."""

    sources: list[Source] = Field(default_factory=list)
    actors: list[Actor] = Field(min_length=1)
    issues: list[Issue] = Field(min_length=1)
    positions: list[Position] = Field(min_length=1)
    proposals: list[Proposal] = Field(default_factory=list)
    levers: list[Lever] = Field(default_factory=list)
    no_deal: list[NoDeal] = Field(default_factory=list)
    bodies: list[Body] = Field(default_factory=list)
    decision_rules: list[DecisionRule] = Field(default_factory=list)

    @property
    def actor_ids(self) -> list[str]:
        """The actors' ids, in the scenario's order."""
        return [a.id for a in self.actors]

    @property
    def issue_ids(self) -> list[str]:
        """The issues' ids, in the scenario's order."""
        return [i.id for i in self.issues]

    def actor(self, actor_id: str) -> Actor:
        """Return the actor with id ``actor_id``.

        Parameters
        ----------
        actor_id : str
            The actor's id.

        Returns
        -------
        Actor
            The actor.

        Raises
        ------
        AccordError
            If the scenario has no actor with that id (the message lists the known ids).
        """
        return _find(self.actors, actor_id, "actor")

    def issue(self, issue_id: str) -> Issue:
        """Return the issue with id ``issue_id``.

        Parameters
        ----------
        issue_id : str
            The issue's id.

        Returns
        -------
        Issue
            The issue.

        Raises
        ------
        AccordError
            If the scenario has no issue with that id (the message lists the known ids).
        """
        return _find(self.issues, issue_id, "issue")

    def proposal(self, proposal_id: str) -> Proposal:
        """Return the proposal with id ``proposal_id``.

        Parameters
        ----------
        proposal_id : str
            The proposal's id.

        Returns
        -------
        Proposal
            The proposal.

        Raises
        ------
        AccordError
            If the scenario has no proposal with that id (the message lists the known ids).
        """
        return _find(self.proposals, proposal_id, "proposal")

    def source(self, source_id: str) -> Source:
        """Return the source with id ``source_id``.

        Parameters
        ----------
        source_id : str
            The source's id.

        Returns
        -------
        Source
            The source.

        Raises
        ------
        AccordError
            If the scenario has no source with that id (the message lists the known ids).
        """
        return _find(self.sources, source_id, "source")

    def body(self, body_id: str) -> Body:
        """Return the body with id ``body_id``.

        Parameters
        ----------
        body_id : str
            The body's id.

        Returns
        -------
        Body
            The body.

        Raises
        ------
        AccordError
            If the scenario has no body with that id (the message lists the known ids).
        """
        return _find(self.bodies, body_id, "body")


def _find(items: list[Any], item_id: str, kind: str) -> Any:
    for item in items:
        if item.id == item_id:
            return item
    known = ", ".join(i.id for i in items) or "none"
    from accord.errors import AccordError

    raise AccordError(f"unknown {kind} {item_id!r}; known: {known}")
