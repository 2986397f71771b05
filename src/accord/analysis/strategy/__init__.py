"""The client's view: what one actor can do to move the outcome its way.

* :mod:`.levers` -- a lever, its cost in effort points and how it changes the arrays;
* one module per lever family: :mod:`.own` (its stated position and salience), :mod:`.persuasion`
  (lobbying others), :mod:`.transfers` (moves the scenario declares it controls),
  :mod:`.concessions` (trades from the exchange model);
* :mod:`.search` -- ranking them on common random draws under the chosen models;
* :mod:`.relations` -- the expected-utility model's perceived relations (BDM quadrants);
* :mod:`.blocs` -- coalitions from the actors' ``group`` field, and the pivotal bloc.

See ``docs/strategy.md``.
"""

from accord.analysis.strategy.blocs import BlocIssue, blocs
from accord.analysis.strategy.levers import FAMILIES, Edit, Lever, apply_lever
from accord.analysis.strategy.relations import Relation, classify, perceived_utilities, relations
from accord.analysis.strategy.search import Gain, LeverResult, Search, search_levers

__all__ = [
    "FAMILIES", "BlocIssue", "Edit", "Gain", "Lever", "LeverResult", "Relation", "Search", "apply_lever",
    "blocs", "classify", "perceived_utilities", "relations", "search_levers",
]
