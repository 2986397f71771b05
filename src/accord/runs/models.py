"""Which models a run uses and with what parameters: the one place that decides it.

Rules (the same for every front end):

* model names are looked up case-insensitively; none named means every model; a name given
  twice runs once; models run and are listed in the registry's display order;
* parameters a scenario carries for a model (``Scenario.model_settings``, e.g. SMP's settings in
  a KTAB XML file) apply first; then the run's shared ``params`` (each goes to every chosen model
  that declares it; a name that no chosen model declares is an error, so a typo never passes
  silently); then ``model_params`` of that one model; ``rounds`` is a shared ``rounds``;
* values are checked by the model itself when it is built (type, range, choices).
"""

from __future__ import annotations

import dataclasses
import difflib
from typing import Any

from accord.errors import AccordError
from accord.models import Model, available_models, model_class
from accord.runs.spec import ModelChoice
from accord.scenario import Scenario


def model_names(names: list[str]) -> list[str]:
    """Return the registered names of the models asked for, each once, in display order.

    The registry's display order (simple to elaborate) makes every front end list a run's
    models the same way.

    Parameters
    ----------
    names : list of str
        Model names, any case; empty: all models.

    Returns
    -------
    list of str
        Registered names.

    Raises
    ------
    AccordError
        On an unknown model name.
    """
    if not names:
        return available_models()
    chosen = list(dict.fromkeys(model_class(n).name for n in names))
    order = {name: n for n, name in enumerate(available_models())}
    return sorted(chosen, key=lambda name: order.get(name, len(order)))


def declared(name: str) -> set[str]:
    """Return the parameter names a model declares.

    Parameters
    ----------
    name : str
        Model name.

    Returns
    -------
    set of str
        Its parameters' names.
    """
    return {f.name for f in dataclasses.fields(model_class(name))}


def _unknown(key: str, names: list[str]) -> AccordError:
    known = sorted(set().union(*(declared(n) for n in names))) if names else []
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return AccordError(f"parameter {key!r}: none of the chosen models ({', '.join(names)}) has it{hint} "
                       f"(their parameters: {', '.join(known) or 'none'}; `accord models` lists them)")


def configure(choice: ModelChoice, scenario: Scenario | None = None) -> list[Model]:
    """Return the configured models of a run (see the module docstring for the rules).

    Parameters
    ----------
    choice : ModelChoice
        The run's models and parameters (any spec that holds them).
    scenario : Scenario or None, optional
        The scenario, whose ``model_settings`` apply first.

    Returns
    -------
    list of Model
        The models, with their parameters, in display order.

    Raises
    ------
    AccordError
        On an unknown model, a parameter no chosen model declares (with the closest name),
        parameters for a model not chosen, or a value the model refuses.
    """
    names = model_names(choice.models)
    shared: dict[str, Any] = dict(choice.params)
    if choice.rounds is not None:
        shared["rounds"] = choice.rounds
    for key in shared:
        if not any(key in declared(n) for n in names):
            raise _unknown(key, names)
    own: dict[str, dict[str, Any]] = {}
    for given, values in choice.model_params.items():
        name = model_class(given).name
        if name not in names:
            raise AccordError(f"parameters for {name}, which is not among the chosen models "
                              f"({', '.join(names)})")
        for key in values:
            if key not in declared(name):
                raise _unknown(key, [name])
        own[name] = dict(values)
    settings = dict(getattr(scenario, "model_settings", None) or {})
    models = []
    for name in names:
        mine = declared(name)
        params = {**{k: v for k, v in (settings.get(name) or {}).items() if k in mine},
                  **{k: v for k, v in shared.items() if k in mine}, **own.get(name, {})}
        try:
            models.append(model_class(name)().with_params(**params))
        except (TypeError, ValueError) as exc:
            raise AccordError(f"model {name}: {exc}") from None
    return models
