"""The HTML pages: server-rendered Jinja2 over the same service functions as the API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from accord.store import Store
from accord.web import service

router = APIRouter(include_in_schema=False)
Id = Annotated[int, PathParam(ge=1, le=2**31 - 1)]


def _store(request: Request) -> Store:
    return request.app.state.store


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status)


def _home(request: Request, status: int = 200, **context: Any) -> HTMLResponse:
    from accord.scenario.io import FORMATS

    store = _store(request)
    return _page(
        request,
        "scenarios.html",
        status,
        scenarios=store.scenarios(),
        runs=store.runs(limit=10),
        formats=list(FORMATS.values()),
        max_upload_kib=request.app.state.max_upload // 1024,
        **context,
    )


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return _home(request)


@router.post("/upload", response_class=HTMLResponse)
async def upload(
    request: Request,
    file: Annotated[UploadFile, File()],
    format: Annotated[str | None, Form(max_length=40)] = None,
) -> Response:
    limit = request.app.state.max_upload
    data = await file.read(limit + 1)
    if len(data) > limit:
        return _home(request, 413, upload_error=f"the file is larger than the limit of {limit // 1024} KiB")
    result = await run_in_threadpool(service.read_upload, file.filename, data, format or None,
                                     request.app.state.uploads)
    if result.scenario is None:
        by_line: dict[int, list[Any]] = {}
        unplaced = []
        for p in result.problems:
            if p.line is not None and result.lines is not None and 1 <= p.line <= len(result.lines):
                by_line.setdefault(p.line, []).append(p)
            else:
                unplaced.append(p)
        return _home(request, 422, upload=result, by_line=by_line, unplaced=unplaced)
    saved = await run_in_threadpool(_store(request).save_scenario, result.scenario, "upload", result.name)
    return RedirectResponse(f"/versions/{saved.id}", status_code=303)


@router.get("/scenarios/{scenario_id}")
def scenario_latest(request: Request, scenario_id: Annotated[str, PathParam(max_length=200)]) -> Response:
    return RedirectResponse(f"/versions/{_store(request).latest(scenario_id).id}", status_code=303)


def _version_context(request: Request, version_id: int) -> dict[str, Any]:
    store = _store(request)
    info = store.version(version_id)
    scenario = info.scenario()
    return {
        "info": info,
        "scenario": scenario,
        "versions": store.versions(info.scenario_id),
        "grid": service.scenario_grid(scenario),
        "runs": store.runs(version_id=version_id, limit=20),
    }


@router.get("/versions/{version_id}", response_class=HTMLResponse)
def scenario_page(request: Request, version_id: Id) -> HTMLResponse:
    return _page(request, "scenario.html", tab="scenario", **_version_context(request, version_id))


@router.get("/versions/{version_id}/forecast", response_class=HTMLResponse)
def forecast_page(request: Request, version_id: Id) -> HTMLResponse:
    return _page(
        request, "forecast.html", tab="forecast", models=service.model_catalog(),
        **_version_context(request, version_id),
    )


@router.get("/versions/{version_id}/whatif", response_class=HTMLResponse)
def whatif_page(request: Request, version_id: Id) -> HTMLResponse:
    return _page(
        request, "whatif.html", tab="whatif", models=service.model_catalog(),
        **_whatif_context(request, version_id),
    )


def _whatif_context(request: Request, version_id: int) -> dict[str, Any]:
    context = _version_context(request, version_id)
    context["whatif"] = True
    context["named"] = service.named_whatifs(context["info"].scenario_id)
    return context


@router.get("/versions/{version_id}/deal", response_class=HTMLResponse)
def deal_page(request: Request, version_id: Id) -> HTMLResponse:
    return _page(
        request, "deal.html", tab="deal", deal=True, models=service.model_catalog(),
        **_version_context(request, version_id),
    )


@router.get("/versions/{version_id}/strategy", response_class=HTMLResponse)
def strategy_page(request: Request, version_id: Id) -> HTMLResponse:
    return _page(
        request, "strategy.html", tab="strategy", strategy=True, models=service.model_catalog(),
        **_version_context(request, version_id),
    )


RUNS_PAGE = 50  # runs per page of the run history


@router.get("/runs", response_class=HTMLResponse)
def runs_page(
    request: Request, before: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None
) -> HTMLResponse:
    """Show the run history, newest first, a page at a time (``before``: runs older than that id)."""
    runs = _store(request).runs(limit=RUNS_PAGE + 1, before=before)
    older = runs[RUNS_PAGE - 1].id if len(runs) > RUNS_PAGE else None
    return _page(request, "runs.html", runs=runs[:RUNS_PAGE], older=older, newest=before is None)


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, run_id: Id) -> HTMLResponse:
    store = _store(request)
    run = store.run(run_id)
    context = _version_context(request, run.scenario_version_id)
    return _page(request, "run.html", tab="runs", run=run, **context)


@router.get("/compare", response_class=HTMLResponse)
def compare_page(
    request: Request, ids: Annotated[list[int], Query(max_length=20)]
) -> HTMLResponse:
    from accord.store.compare import compare_many

    store = _store(request)
    runs = [store.run(i) for i in ids if 1 <= i < 2**31]
    table = compare_many(store, runs)
    # each issue's scale, so that issues on different scales are drawn as shares of their range
    scales: dict[str, dict[str, float]] = {}
    for run in runs:
        for issue in store.version(run.scenario_version_id).scenario().issues:
            scales.setdefault(issue.id, {"min": issue.scale.min, "max": issue.scale.max})
    table["scales"] = {row: scales[row] for row in table["issues"] if row in scales}
    return _page(request, "compare.html", table=table)
