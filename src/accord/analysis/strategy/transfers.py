"""Declared transfers: moves the scenario says the client controls.

They are the scenario's ``levers:`` (:class:`accord.scenario.Lever`), such as aid to an ally or
sanctions on an opponent.

Each is a what-if (its ``set`` assignments, applied to every draw by
:func:`accord.experiments.interventions.apply`) with the cost the scenario states.
"""

from __future__ import annotations

from accord.analysis.strategy.levers import Lever
from accord.analysis.strategy.setting import Setting
from accord.errors import AccordError
from accord.experiments.interventions import Intervention, parse_assignment


def transfer_levers(s: Setting) -> list[Lever]:
    """List the transfers the scenario declares for the client.

    Parameters
    ----------
    s : Setting
        The strategy setting.

    Returns
    -------
    list of Lever
        One ``transfer`` lever per declared lever of the client, at its stated cost.

    Raises
    ------
    AccordError
        When a declared lever's ``set`` assignment does not parse.
    """
    levers = []
    for declared in s.scenario.levers:
        if declared.actor != s.client_id:
            continue
        try:
            sets = tuple(parse_assignment(text) for text in declared.set)
        except AccordError as exc:
            raise AccordError(f"scenario {s.scenario.id}, lever {declared.id}: {exc}") from None
        iv = Intervention(id=declared.id, name=declared.name, description=declared.description or "",
                          set=sets)
        levers.append(Lever("transfer", f"transfer:{declared.id}", declared.name, float(declared.cost),
                            intervention=iv, notes={"changes": "; ".join(declared.set)}))
    return levers
