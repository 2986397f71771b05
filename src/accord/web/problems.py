"""Errors as RFC 9457 problem details (``application/problem+json``), never a traceback.

Browsers asking for HTML pages get the same fields rendered as a small page.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from accord.errors import AccordError, Problem, ScenarioError
from accord.runs.budget import OverBudget
from accord.store import NotFound
from accord.web.jobs import JobFailed, QueueFull

PROBLEM_TYPE = "application/problem+json"


def problem_json(p: Problem) -> dict[str, Any]:
    """Return one scenario problem as JSON (:meth:`accord.errors.Problem.to_dict`).

    NaN and infinities are text, so a problem about a bad number can always be sent.
    """
    return p.to_dict()


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def problem_response(
    request: Request, status: int, detail: str, title: str | None = None, **extra: Any
) -> Response:
    body = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extra,
    }
    if _wants_html(request):
        templates = request.app.state.templates
        return templates.TemplateResponse(request, "error.html", {"problem": body}, status_code=status)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM_TYPE, headers=headers)


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        return problem_response(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {
                "loc": [str(x) for x in e.get("loc", ())],
                "message": str(e.get("msg", "")),
                "type": e.get("type"),
            }
            for e in exc.errors()
        ]
        lines = "; ".join(f"{'.'.join(e['loc'])}: {e['message']}" for e in errors[:5])
        return problem_response(request, 422, f"invalid request: {lines}", "Invalid request", errors=errors)

    @app.exception_handler(NotFound)
    async def _missing(request: Request, exc: NotFound) -> Response:
        return problem_response(request, 404, str(exc))

    @app.exception_handler(ScenarioError)
    async def _scenario(request: Request, exc: ScenarioError) -> Response:
        head = str(exc).split("\n", 1)[0]
        return problem_response(
            request, 422, head, "Invalid scenario", problems=[problem_json(p) for p in exc.problems]
        )

    @app.exception_handler(OverBudget)
    async def _over(request: Request, exc: OverBudget) -> Response:
        return problem_response(request, 422, str(exc), "Over budget", reasons=exc.reasons,
                                estimate=exc.estimate.to_dict())

    @app.exception_handler(QueueFull)
    async def _busy(request: Request, exc: QueueFull) -> Response:
        response = problem_response(request, 503, str(exc), "Busy")
        response.headers["Retry-After"] = "30"
        return response

    @app.exception_handler(JobFailed)
    async def _failed(request: Request, exc: JobFailed) -> Response:
        body = dict(exc.problem)
        status = int(body.pop("status", 500))
        detail, title = str(body.pop("detail", "the run failed")), body.pop("title", None)
        body.pop("type", None)
        return problem_response(request, status, detail, title, **body)

    @app.exception_handler(AccordError)
    async def _user(request: Request, exc: AccordError) -> Response:
        return problem_response(request, 422, str(exc), "Cannot do that")

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> Response:
        logging.getLogger("accord.web").error("internal error on %s", request.url.path, exc_info=exc)
        return problem_response(
            request, 500, f"internal error ({type(exc).__name__}); this is a bug in accord, please report it"
        )
