"""One way to turn what a caller gives as a seed into a random generator.

Every layer takes randomness as a :data:`SeedLike` and normalises it here, so a function never
has to care whether it was handed an integer, a ``numpy.random.SeedSequence`` or a ready
``numpy.random.Generator``. No seed means :data:`DEFAULT_SEED`: every run repeats itself unless
the user asks for another seed.
"""

from __future__ import annotations

import numpy as np

#: the seed used when none is given (the same on the command line, the web and in Python)
DEFAULT_SEED = 0

SeedLike = int | np.random.SeedSequence | np.random.Generator | None


def as_generator(seed: SeedLike = None) -> np.random.Generator:
    """A generator for ``seed``: a generator is returned as it is (its state is shared with the
    caller); an integer or seed sequence seeds a new PCG64 generator; ``None`` means
    :data:`DEFAULT_SEED`.

    Parameters
    ----------
    seed
        An integer (>= 0), a ``SeedSequence``, a ``Generator`` or ``None``.

    Returns
    -------
    numpy.random.Generator
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        seed = DEFAULT_SEED
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer | np.random.SeedSequence):
        raise TypeError(f"a seed must be an integer, a SeedSequence or a Generator, "
                        f"not {type(seed).__name__}")
    if isinstance(seed, int | np.integer) and seed < 0:
        raise ValueError(f"a seed must be 0 or more, not {seed}")
    return np.random.default_rng(seed)
