"""The local web workbench: FastAPI app, JSON API under ``/api``, Jinja2 pages, Plotly charts.

Its packages (FastAPI, uvicorn, Jinja2, Plotly) are accord's own dependencies.
"""

from accord.web.app import create_app

__all__ = ["create_app"]
