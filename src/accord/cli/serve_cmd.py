"""``accord serve``: the local web workbench (its packages are accord's own dependencies)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from accord.errors import AccordError

INSTALL_HINT = (
    "the web workbench's packages are not installed (an incomplete install?): "
    "pip install --force-reinstall accord (in a checkout: .venv/bin/pip install -e .)"
)


def say(text: str) -> None:
    """One unwrapped line on standard error (addresses must stay whole to be copied)."""
    print(text, file=sys.stderr, flush=True)


def _require_web() -> None:
    import importlib.util

    missing = [
        m for m in ("fastapi", "uvicorn", "jinja2", "multipart", "plotly", "sqlalchemy", "platformdirs")
        if importlib.util.find_spec(m) is None
    ]
    if missing:  # printed here, unstyled, as one line
        say(f"error: {INSTALL_HINT}; missing: {', '.join(missing)}")
        raise typer.Exit(1)


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on; anything but loopback needs a token.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port to listen on.", min=0, max=65535)] = 8000,
    db: Annotated[
        str | None,
        typer.Option("--db", envvar="ACCORD_DB", help="Run history database (SQLAlchemy URL); "
                     "default: SQLite in the user's data folder."),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(envvar="ACCORD_TOKEN", help="Access token (default: none on loopback, else generated)."),
    ] = None,
    max_upload_kib: Annotated[int, typer.Option(help="Largest accepted upload, in KiB.", min=1)] = 5120,
    workers: Annotated[
        int | None, typer.Option(help="Processes that run forecasts, what-ifs and deals (default: one per "
                                 "core beyond the first, at most 4).", min=1, max=64)
    ] = None,
    trust_proxy: Annotated[
        bool, typer.Option("--trust-proxy", help="A TLS proxy in front of this server sets X-Forwarded-Proto "
                           "(see docs/security.md); needs a token, like any address beyond this machine.")
    ] = False,
) -> None:
    """Start the web workbench (scenarios, forecasts, what-ifs, deals, run history)."""
    _require_web()
    import uvicorn

    from accord.store import Store
    from accord.web import create_app
    from accord.web.security import is_loopback, new_token

    public = trust_proxy or not is_loopback(host)  # behind a proxy, the world reaches us
    generated = public and not token
    if generated:
        token = new_token()
    if token is not None and len(token) < 16:
        raise AccordError("--token: use at least 16 characters")
    store = Store(db)
    app = create_app(store, token=token, max_upload=max_upload_kib * 1024, public=public,
                     trust_proxy=trust_proxy, workers=workers)
    shown = f"[{host}]" if ":" in host else host
    address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{port}/"
    say(f"run history: {store.display_url}")
    if token and generated:  # a token the user gave is never printed (it may be logged or shared)
        say(f"accord is serving on {address}?token={token}")
        say("open that address once; the browser keeps the token in a cookie. Ctrl+C stops it.")
    elif token:
        say(f"accord is serving on {address}  (open it once with ?token=YOUR_TOKEN, the token you gave; "
            "Ctrl+C stops it)")
    else:
        say(f"accord is serving on {address}  (Ctrl+C stops it)")
    # uvicorn's own proxy-header handling trusts any local client; accord's guard decides instead
    # runs waited for by open requests are cancelled after a few seconds of Ctrl+C
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False,
                timeout_graceful_shutdown=3)
