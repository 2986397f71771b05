"""The JSON API (``/api/...``) behind every page; FastAPI documents it at ``/api/openapi.json``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field

from accord.errors import AccordError, ScenarioError
from accord.store import Store
from accord.web import service

router = APIRouter(prefix="/api", tags=["api"])

Id = Annotated[int, PathParam(ge=1, le=2**31 - 1)]
JSONDict = dict[str, Any]
ParamKey = Annotated[str, Field(max_length=100)]
ParamValue = Annotated[float, Field(allow_inf_nan=False)] | int | bool | Annotated[str, Field(max_length=200)]


def _store(request: Request) -> Store:
    return request.app.state.store


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Edit(_Body):
    actor: str = Field(max_length=200)
    issue: str | None = Field(default=None, max_length=200)
    field: Literal["position", "salience", "position_sd", "salience_sd", "capability", "capability_sd"]
    value: float | None = None


class EditRequest(_Body):
    edits: list[Edit] = Field(min_length=1, max_length=5000)


Seed = Annotated[int, Field(ge=0, le=2**63 - 1, description="Random seed; the same seed, the same numbers.")]
Draws = Annotated[int, Field(ge=0, le=service.MAX_DRAWS, description="Monte Carlo draws (0: none)")]
ModelName = Annotated[str, Field(max_length=100)]
Expr = Annotated[str, Field(max_length=500)]


class _RunRequest(_Body):
    """What every run request has; defaults are the command line's (:mod:`accord.runs.spec`)."""

    version_id: int = Field(ge=1, le=2**31 - 1)
    models: list[ModelName] | None = Field(default=None, max_length=50)
    params: dict[ParamKey, ParamValue] = Field(default_factory=dict, max_length=50)
    rounds: int | None = Field(default=None, ge=1)
    seed: Seed | None = Field(default=None, description="default: 0, as on the command line")
    label: str | None = Field(default=None, max_length=200)

    def spec_fields(self) -> dict[str, Any]:
        """The request as fields of a run spec (unset fields take the spec's defaults)."""
        fields = self.model_dump(exclude={"version_id"}, exclude_none=True)
        fields["models"] = list(self.models or [])
        return fields


class ForecastRequest(_RunRequest):
    draws: Draws = 0
    events: list[Expr] = Field(default_factory=list, max_length=50)
    veto_rule: Literal["total", "issue"] = "total"


class Intervention(_Body):
    named: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=20)
    set: list[Annotated[str, Field(max_length=500)]] = Field(default_factory=list, max_length=100)
    add: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=50)
    remove: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=50)


class WhatIfRequest(_RunRequest):
    intervention: Intervention
    draws: Draws = 1000
    events: list[Expr] = Field(default_factory=list, max_length=50)

    def spec_fields(self) -> dict[str, Any]:
        fields = super().spec_fields()
        fields["change"] = fields.pop("intervention")
        return fields


class DealRequest(_Body):
    version_id: int = Field(ge=1, le=2**31 - 1)
    proposals: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=20)
    points: dict[ParamKey, Annotated[float, Field(allow_inf_nan=False)]] = Field(
        default_factory=dict, max_length=100
    )
    leave_open: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=100)
    against: str = Field(default="no-deal", max_length=500)
    veto_rule: Literal["total", "issue"] = "total"
    threshold: float = Field(default=0.5, ge=0, lt=1)
    draws: Draws = 0
    seed: Seed | None = Field(default=None, description="default: 0, as on the command line")
    repair: bool | None = None
    hold: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=100)
    compare: bool = False
    label: str | None = Field(default=None, max_length=200)

    def spec_fields(self) -> dict[str, Any]:
        return self.model_dump(exclude={"version_id"}, exclude_none=True)


def _version_out(store: Store, version_id: int) -> JSONDict:
    info = store.version(version_id)
    scenario = info.scenario()
    return {
        **info.summary(),
        "versions": [v.summary() for v in store.versions(info.scenario_id)],
        "scenario": info.content,
        "grid": service.scenario_grid(scenario),
    }


@router.get("/scenarios", summary="Stored scenarios (built-in and the user's), latest version of each")
def list_scenarios(request: Request) -> list[JSONDict]:
    return [{**info.summary(), "n_versions": n} for info, n in _store(request).scenarios()]


@router.post("/scenarios", status_code=201, summary="Upload a scenario file (any supported format)")
async def upload_scenario(
    request: Request,
    file: Annotated[UploadFile, File(description="YAML, JSON, CSV, XLSX, Decide or KTAB file")],
    format: Annotated[str | None, Form(max_length=40)] = None,
) -> JSONDict:
    data = await file.read(request.app.state.max_upload + 1)
    if len(data) > request.app.state.max_upload:
        raise AccordError(f"the file is larger than the limit of {request.app.state.max_upload // 1024} KiB")
    result = service.read_upload(file.filename, data, format or None)
    if result.scenario is None:
        raise ScenarioError(result.problems)
    return _store(request).save_scenario(result.scenario, "upload", result.name).summary()


@router.get("/formats", summary="File formats accord reads")
def formats() -> list[JSONDict]:
    from accord.scenario.io import FORMATS

    return [
        {"name": f.name, "description": f.description, "extensions": list(f.extensions)}
        for f in FORMATS.values()
    ]


@router.get("/scenarios/{scenario_id}/versions", summary="Every stored version of a scenario")
def scenario_versions(
    request: Request, scenario_id: Annotated[str, PathParam(max_length=200)]
) -> list[JSONDict]:
    return [v.summary() for v in _store(request).versions(scenario_id)]


@router.get("/versions/{version_id}", summary="One scenario version: content and the actors x issues grid")
def get_version(request: Request, version_id: Id) -> JSONDict:
    return _version_out(_store(request), version_id)


@router.post("/versions/{version_id}/edits", status_code=201, summary="Edit cells; saved as a new version")
def edit_version(request: Request, version_id: Id, body: EditRequest) -> JSONDict:
    store = _store(request)
    base = store.version(version_id)
    scenario = service.apply_edits(base, [e.model_dump() for e in body.edits])
    saved = store.save_scenario(scenario, "edit", f"edit of v{base.version}", parent_id=base.id)
    return saved.summary()


@router.get("/models", summary="Available models, their parameters and defaults")
def models() -> list[JSONDict]:
    return service.model_catalog()


@router.post("/forecast", status_code=201, summary="Run models on a scenario version and record the run")
def run_forecast(request: Request, body: ForecastRequest) -> JSONDict:
    run = service.run_forecast(_store(request), body.version_id, body.spec_fields())
    return {"run": run.summary(), "results": run.results}


@router.get("/versions/{version_id}/whatifs", summary="Named what-ifs shipped for this scenario")
def named_whatifs(request: Request, version_id: Id) -> list[JSONDict]:
    return service.named_whatifs(_store(request).version(version_id).scenario_id)


@router.post("/whatif", status_code=201, summary="Baseline vs intervention on the same draws; recorded")
def run_whatif(request: Request, body: WhatIfRequest) -> JSONDict:
    run = service.run_whatif(_store(request), body.version_id, body.spec_fields())
    return {"run": run.summary(), "results": run.results}


@router.post("/deal", status_code=201, summary="Who gains, who vetoes, and repairs for proposals; recorded")
def run_deal(request: Request, body: DealRequest) -> JSONDict:
    run = service.run_deal(_store(request), body.version_id, body.spec_fields())
    return {"run": run.summary(), "results": run.results}


@router.get("/runs", summary="Recorded runs, newest first")
def list_runs(
    request: Request,
    scenario_id: Annotated[str | None, Query(max_length=200)] = None,
    version_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[JSONDict]:
    return [r.summary() for r in _store(request).runs(scenario_id, version_id, limit)]


@router.get("/runs/{run_id}", summary="One recorded run with its results")
def get_run(request: Request, run_id: Id) -> JSONDict:
    run = _store(request).run(run_id)
    return {"run": run.summary(), "results": run.results}


@router.get("/compare", summary="Outcomes of several runs side by side")
def compare(
    request: Request, ids: Annotated[list[Annotated[int, Field(ge=1, le=2**31 - 1)]], Query(max_length=20)]
) -> JSONDict:
    from accord.store.compare import compare_many

    store = _store(request)
    return compare_many(store, [store.run(i) for i in ids])

