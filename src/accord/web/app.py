"""The FastAPI application: API routes, pages, static files, error handling and access control."""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from accord import __version__
from accord.errors import AccordError
from accord.store import Store
from accord.web.problems import install_handlers
from accord.web.security import LOOPBACK_NAMES, Guard

HERE = Path(__file__).parent
DEFAULT_MAX_UPLOAD = 5 * 1024 * 1024


def plotly_js() -> Path:
    """Return the plotly.min.js bundled in the installed ``plotly`` package (never a CDN)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise AccordError("the plotly package is missing; reinstall accord: "
                          "pip install --force-reinstall accord")
    path = Path(next(iter(spec.submodule_search_locations))) / "package_data" / "plotly.min.js"
    if not path.exists():
        raise AccordError(f"{path}: plotly's bundled JavaScript is missing; reinstall plotly")
    return path


def create_app(
    store: Store | None = None,
    token: str | None = None,
    max_upload: int = DEFAULT_MAX_UPLOAD,
    public: bool = False,
    builtins: bool = True,
    trust_proxy: bool = False,
    workers: int | None = None,
    limits: Any = None,
    upload_root: Path | None = None,
    extra_memory: int | None = None,
) -> FastAPI:
    """Make the workbench over ``store`` (``builtins``: store the built-in scenarios first).

    ``public`` (a non-loopback bind) accepts any Host header, so it requires ``token``;
    ``trust_proxy``: a TLS proxy in front sets ``X-Forwarded-Proto`` (see ``docs/security.md``).
    Runs go to a pool of ``workers`` processes (:mod:`accord.web.jobs`) under ``limits``
    (:data:`accord.runs.budget.SERVER` by default), each worker's memory growing by at most
    ``extra_memory`` (default: the budget's memory and a margin); uploads wait under ``upload_root``
    (:mod:`accord.web.uploads`).
    """
    from accord.web.jobs import JobPool
    from accord.web.uploads import UploadSpace

    if public and not token:
        raise AccordError("serving beyond this machine needs an access token")

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.uploads.open()
        app.state.jobs.start()
        yield
        app.state.jobs.close()
        app.state.uploads.close()

    app = FastAPI(
        title="accord",
        version=__version__,
        description="Forecast multi-party negotiations: scenarios, forecasts, what-ifs, deals, run history.",
        docs_url=None,  # Swagger UI would load its assets from a CDN
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.store = store or Store()
    app.state.jobs = JobPool(app.state.store, workers=workers, limits=limits, extra_memory=extra_memory)
    app.state.uploads = UploadSpace(upload_root)
    app.state.templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.state.templates.env.globals["defaults"] = spec_defaults()
    app.state.max_upload = max_upload
    install_handlers(app)
    app.add_middleware(
        Guard, token=token, max_body=max_upload + 64 * 1024, allowed_hosts=None if public else LOOPBACK_NAMES,
        trust_proxy=trust_proxy,
    )
    js = plotly_js()

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def _plotly() -> FileResponse:
        return FileResponse(js, media_type="text/javascript")

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    from accord.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    if builtins:
        from accord.web.service import import_builtins

        import_builtins(app.state.store)
    return app


def spec_defaults() -> dict[str, int]:
    """Return the defaults the pages' forms start from: the run specs' own (the command line's)."""
    from accord.runs import DealSpec, ForecastSpec, StrategySpec, WhatIfSpec

    return {"seed": ForecastSpec.model_fields["seed"].default,
            "forecast_draws": ForecastSpec.model_fields["draws"].default,
            "whatif_draws": WhatIfSpec.model_fields["draws"].default,
            "deal_draws": DealSpec.model_fields["draws"].default,
            "strategy_draws": StrategySpec.model_fields["draws"].default}
