"""The stored JSON form that results whose content is a JSON payload share.

A deal, strategy or backtest result is its spec plus a payload of plain JSON fields; stored, it
is one object ``{"kind": ..., "spec": {...}, **payload}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from accord.jsonsafe import clean


def payload_json(kind: str, spec: BaseModel, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Return the stored form of a result: its kind, its spec and its payload's fields.

    Parameters
    ----------
    kind : str
        The kind of run (``"deal"``, ``"strategy"``, ...).
    spec : pydantic.BaseModel
        The request that ran.
    payload : Mapping
        The result's JSON fields.

    Returns
    -------
    dict
        The JSON form (NaN and infinities as null).
    """
    return clean({"kind": kind, "spec": spec.model_dump(mode="json"), **payload})


def payload_of(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return the payload's fields of a stored result (all but ``kind`` and ``spec``).

    Parameters
    ----------
    data : Mapping
        The stored JSON form (:func:`payload_json`).

    Returns
    -------
    dict
        The payload.
    """
    return {k: v for k, v in data.items() if k not in ("kind", "spec")}
