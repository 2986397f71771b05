"""Turning results into tables, JSON, CSV and figures."""
