"""One way to turn what a caller gives as a seed into a random generator.

Every layer takes randomness as a :data:`SeedLike` and normalises it here, so a function never
has to care whether it was handed an integer, a ``numpy.random.SeedSequence`` or a ready
``numpy.random.Generator``. No seed means :data:`DEFAULT_SEED`: every run repeats itself unless
the user asks for another seed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: the seed used when none is given (the same on the command line, the web and in Python)
DEFAULT_SEED = 0

SeedLike = int | np.random.SeedSequence | np.random.Generator | None


def as_generator(seed: SeedLike = None) -> np.random.Generator:
    """Return a random generator for ``seed``.

    A generator is returned as it is (its state is shared with the caller); an integer or seed
    sequence seeds a new PCG64 generator; ``None`` means :data:`DEFAULT_SEED`.

    Parameters
    ----------
    seed : SeedLike
        An integer (>= 0), a ``SeedSequence``, a ``Generator`` or ``None``.

    Returns
    -------
    numpy.random.Generator
        The generator to draw from.

    Raises
    ------
    TypeError
        If ``seed`` is none of these (a bool is not taken as an integer).
    ValueError
        If ``seed`` is a negative integer.
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


#: what a random stream is for: the first word of its key (see :func:`stream`)
DRAWS, MODELS, BOOTSTRAP = 0, 1, 2


def _word(part: int | str) -> int:
    """Turn a key part into a 32-bit word.

    Integers stay as they are, names go through SHA-256 (stable on every machine and Python,
    unlike ``hash``).
    """
    if isinstance(part, str):
        import hashlib

        return int.from_bytes(hashlib.sha256(part.encode()).digest()[:4], "little")
    if part < 0:
        raise ValueError(f"a stream key must be 0 or more, not {part}")
    return int(part)


def stream(seed: int, *key: int | str) -> Any:
    """Return the random stream named ``key`` under the root ``seed``.

    The stream is ``SeedSequence(seed, spawn_key=key)``.

    Streams are found by name, never by the order in which they are asked for, so a model's
    numbers do not depend on which other models run, a what-if's baseline and its change use the
    same streams, and a sweep gives the same numbers wherever its tasks run. ``stream(seed, DRAWS)``
    is the Monte Carlo draws' stream (it equals ``SeedSequence(seed).spawn(2)[0]``, as before),
    ``stream(seed, MODELS, name)`` model ``name``'s own generator, ``stream(seed, BOOTSTRAP)`` the
    bootstrap's.

    Parameters
    ----------
    seed : int
        The run's seed (0 or more).
    *key : int or str
        Integers (0 or more) and names.

    Returns
    -------
    numpy.random.SeedSequence
        The stream's seed sequence.

    Raises
    ------
    ValueError
        If a key part is a negative integer.
    """
    import numpy as np

    return np.random.SeedSequence(seed, spawn_key=tuple(_word(k) for k in key))
