"""KTAB's spatial model of politics (SMP).

``model.py`` declares the model and its options; ``rounds.py`` runs the turns over a batch of
draws and applies the stopping rule; ``turn.py`` is one state: assessment, challenges, bargains
and their resolution; ``kernel.py`` holds the votes, victory odds, probabilistic Condorcet
elections and risk attitudes; ``details.py`` what a run records. Specification:
``docs/specs/spatial-model.md``.
"""
