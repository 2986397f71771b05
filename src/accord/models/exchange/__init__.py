"""Stokman & van Oosten's exchange model (Decide's equal-gain variant), and its random-rate twin.

``model.py`` declares the models; ``rounds.py`` runs the rounds of every draw through the
compiled ``kernel.py``; ``candidates.py`` is the numpy statement of the candidate trades;
``replay.py`` reproduces the reference program's decimal arithmetic exactly; ``details.py``
what a run records. Specification: ``docs/specs/exchange.md``.
"""
