"""Matplotlib figures of every result (object API, no backend switched): one module per kind of run."""
