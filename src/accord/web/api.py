"""The JSON API (``/api/...``) behind every page; FastAPI documents it at ``/api/openapi.json``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from accord.errors import AccordError, ScenarioError
from accord.runs.budget import SERVER
from accord.store import Store
from accord.web import service
from accord.web.jobs import Job, JobFailed, JobPool

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
Draws = Annotated[int, Field(ge=0, le=2**31 - 1, description="Monte Carlo draws (0: none); the server's "
                             f"budget bounds them (by default at most {SERVER.draws:,})")]
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
        """Return the request as fields of a run spec (unset fields take the spec's defaults)."""
        fields = self.model_dump(exclude={"version_id"}, exclude_none=True)
        fields["models"] = list(self.models or [])
        return fields


class ForecastRequest(_RunRequest):
    draws: Draws = 0
    events: list[Expr] = Field(default_factory=list, max_length=50)
    veto_rule: Literal["total", "issue"] = "total"
    settlement_draws: int | None = Field(default=None, ge=1, le=1_000_000,
                                         description="the settlement headline analyses the first this many "
                                         "draws; default 2,000, as on the command line")


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


class StrategyRequest(_RunRequest):
    actor: str = Field(max_length=200)
    draws: Draws = 200
    step: float = Field(default=10.0, gt=0, le=100)
    budget: float = Field(default=30.0, gt=0, le=10000)
    top: int = Field(default=6, ge=1, le=50)
    families: list[Literal["position", "salience", "persuasion", "transfer", "concession"]] = Field(
        default_factory=list, max_length=5)
    targets: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=100)


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
    result = await run_in_threadpool(service.read_upload, file.filename, data, format or None,
                                     request.app.state.uploads)
    if result.scenario is None:
        raise ScenarioError(result.problems)
    saved = await run_in_threadpool(_store(request).save_scenario, result.scenario, "upload", result.name)
    return saved.summary()


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


# runs: every run goes to the pool of run workers (accord.web.jobs) ---------------------------
def _pool(request: Request) -> JobPool:
    return request.app.state.jobs


def submit(request: Request, kind: str, version_id: int, fields: JSONDict) -> Job:
    """Admit a run (a bad request or one over the budget fails here) and queue it."""
    spec, version = service.prepare_run(_store(request), kind, version_id, fields, _pool(request).limits)
    return _pool(request).submit(kind, version_id, spec.model_dump(mode="json"), version.content)


async def _run_and_wait(request: Request, kind: str, version_id: int, fields: JSONDict) -> JSONDict:
    import asyncio

    job = await run_in_threadpool(submit, request, kind, version_id, fields)
    try:
        run = await asyncio.wrap_future(job.future)
    except asyncio.CancelledError:  # the server is stopping: the run is not wanted any more
        _pool(request).cancel(job.id)
        raise JobFailed({"status": 503, "title": "Service Unavailable",
                         "detail": "the server stopped before the run ended; nothing was recorded"}) from None
    stored = await run_in_threadpool(_store(request).run, run.id)
    return {"run": stored.summary(), "results": stored.results}


@router.post("/forecast", status_code=201, summary="Run models on a scenario version and record the run",
             description="Waits for the run; `POST /api/jobs/forecast` returns at once with a job to follow.")
async def run_forecast(request: Request, body: ForecastRequest) -> JSONDict:
    return await _run_and_wait(request, "forecast", body.version_id, body.spec_fields())


@router.get("/versions/{version_id}/whatifs", summary="Named what-ifs shipped for this scenario")
def named_whatifs(request: Request, version_id: Id) -> list[JSONDict]:
    return service.named_whatifs(_store(request).version(version_id).scenario_id)


@router.post("/whatif", status_code=201, summary="Baseline vs intervention on the same draws; recorded",
             description="Waits for the run; `POST /api/jobs/whatif` returns at once with a job to follow.")
async def run_whatif(request: Request, body: WhatIfRequest) -> JSONDict:
    return await _run_and_wait(request, "whatif", body.version_id, body.spec_fields())


@router.post("/deal", status_code=201, summary="Who gains, who vetoes, and repairs for proposals; recorded",
             description="Waits for the run; `POST /api/jobs/deal` returns at once with a job to follow.")
async def run_deal(request: Request, body: DealRequest) -> JSONDict:
    return await _run_and_wait(request, "deal", body.version_id, body.spec_fields())


@router.post("/strategy", status_code=201,
             summary="One actor's levers ranked, its relations and the blocs; recorded",
             description="Waits for the run; `POST /api/jobs/strategy` returns at once with a job to follow.")
async def run_strategy(request: Request, body: StrategyRequest) -> JSONDict:
    return await _run_and_wait(request, "strategy", body.version_id, body.spec_fields())


def _job_out(request: Request, job: Job) -> JSONDict:
    out = job.summary()
    out["url"] = f"/api/jobs/{job.id}"
    if job.run is not None:
        out["results"] = _store(request).run(job.run.id).results
    return out


def _accepted(request: Request, response: Response, job: Job) -> JSONDict:
    response.headers["Location"] = f"/api/jobs/{job.id}"
    return _job_out(request, job)


@router.post("/jobs/forecast", status_code=202, summary="Queue a forecast; follow it at /api/jobs/{id}")
def queue_forecast(request: Request, response: Response, body: ForecastRequest) -> JSONDict:
    return _accepted(request, response, submit(request, "forecast", body.version_id, body.spec_fields()))


@router.post("/jobs/whatif", status_code=202, summary="Queue a what-if; follow it at /api/jobs/{id}")
def queue_whatif(request: Request, response: Response, body: WhatIfRequest) -> JSONDict:
    return _accepted(request, response, submit(request, "whatif", body.version_id, body.spec_fields()))


@router.post("/jobs/deal", status_code=202, summary="Queue a deal analysis; follow it at /api/jobs/{id}")
def queue_deal(request: Request, response: Response, body: DealRequest) -> JSONDict:
    return _accepted(request, response, submit(request, "deal", body.version_id, body.spec_fields()))


@router.post("/jobs/strategy", status_code=202,
             summary="Queue a strategy search; follow it at /api/jobs/{id}")
def queue_strategy(request: Request, response: Response, body: StrategyRequest) -> JSONDict:
    return _accepted(request, response, submit(request, "strategy", body.version_id, body.spec_fields()))


JobId = Annotated[str, PathParam(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]


@router.get("/jobs/{job_id}", summary="A queued run: status, progress, and when done the run and its results")
def get_job(request: Request, job_id: JobId) -> JSONDict:
    return _job_out(request, _pool(request).get(job_id))


@router.delete("/jobs/{job_id}", summary="Cancel a queued or running run (nothing is recorded)")
def cancel_job(request: Request, job_id: JobId) -> JSONDict:
    return _job_out(request, _pool(request).cancel(job_id))


@router.get("/runs", summary="Recorded runs, newest first, a page at a time (without results)",
            description="The `Link` header (rel=\"next\") gives the next page when there is one: "
            "`before` is the id of the last run of this page.")
def list_runs(
    request: Request,
    response: Response,
    scenario_id: Annotated[str | None, Query(max_length=200)] = None,
    version_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    before: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="only runs older than this")] = None,
) -> list[JSONDict]:
    from urllib.parse import urlencode

    runs = _store(request).runs(scenario_id, version_id, limit + 1, before)
    if len(runs) > limit:
        query = {k: v for k, v in (("scenario_id", scenario_id), ("version_id", version_id)) if v is not None}
        query.update(limit=limit, before=runs[limit - 1].id)
        response.headers["Link"] = f'</api/runs?{urlencode(query)}>; rel="next"'
    return [r.summary() for r in runs[:limit]]


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

