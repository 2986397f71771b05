"""Bueno de Mesquita's expected-utility model: ``eum-scholz`` (the replication) and ``eum`` (repaired).

``model.py`` declares the two models; ``rules.py`` the rule variants that tell them apart;
``rounds.py`` runs the rounds over draws and issues; ``kernel.py`` holds the numerics of one
round and ``votes.py`` their compiled vote sums; ``details.py`` what a run records.
Specification: ``docs/specs/expected-utility.md``.
"""
