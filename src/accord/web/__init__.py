"""The local web workbench: FastAPI app, JSON API under ``/api``, Jinja2 pages, Plotly charts.

Needs the ``web`` extra: ``pip install 'accord[web]'``.
"""

from accord.web.app import create_app

__all__ = ["create_app"]
