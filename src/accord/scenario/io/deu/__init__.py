"""The DEU data set (Decision-making in the European Union): one-issue scenarios with outcomes.

:func:`load_deu` reads the wide table or the long ``issues.csv`` + ``positions.csv`` pair
(:mod:`.reader`); the format's quirks live beside it: damaged dates (:mod:`.dates`) and the
actors' capabilities, which DEU does not record (:mod:`.capabilities`).
"""

from accord.scenario.io.deu.reader import DeuCase, DeuData, load_deu, veto_players, wave_of

__all__ = ["DeuCase", "DeuData", "load_deu", "veto_players", "wave_of"]
