r"""Warnings about a valid scenario: numbers and citations that are allowed but likely mistakes.

``accord scenario validate`` prints them after "valid"; they never stop a run.

* Saliences all within 0–1 while the scenario's salience scale is 0–100 (or the reverse: all
  within 0–0.01 on a 0–1 scale): every actor then looks almost indifferent, or the numbers were
  meant on the other scale. A few fractional saliences among values above 1 on a 0–100 scale are
  named one by one (a 0.8 among 80s weighs a hundred times less than meant).
* A citation or URL that is a path on someone's disk (``/home/...``, ``C:\...``, ``./notes.txt``,
  ``file://...``): a reader elsewhere cannot open it.
"""

from __future__ import annotations

import re

from accord.scenario.schema import Scenario

#: a path on a disk: absolute (POSIX, home, Windows), relative with ./ or ../, file: URLs, or a
#: folder/file.ext written without a scheme
_PATH = re.compile(
    r"(?<![\w/:.])(?:file:/\S+|~/\S*|\.{1,2}/\S+|/(?:[\w.-]+/)+[\w.-]+|[A-Za-z]:\\\S+|"
    r"(?:[\w.-]+/)+[\w-]+\.(?:txt|pdf|docx?|xlsx?|csv|html?|md|json|ya?ml|png|jpe?g|tsv|xml))"
)


def local_paths(text: str) -> list[str]:
    """Find the file paths written in ``text`` (web addresses with a scheme are not paths).

    Parameters
    ----------
    text : str
        A citation, a URL or any other text.

    Returns
    -------
    list of str
        The paths, in order, without trailing punctuation.
    """
    found = []
    for match in _PATH.finditer(text):
        start = match.start()
        if re.search(r"[a-z][a-z0-9+.-]*://\S*$", text[:start]) and not match.group().startswith("file:"):
            continue  # the rest of an http(s):// address
        found.append(match.group().rstrip(").,;'\""))
    return found


def salience_warnings(scenario: Scenario) -> list[str]:
    """Warn about saliences that look as if written on the other salience scale.

    Parameters
    ----------
    scenario : Scenario
        A valid scenario.

    Returns
    -------
    list of str
        One sentence for the whole scenario (all saliences on the wrong scale) or one per
        fractional salience among values above 1; empty when nothing looks wrong.
    """
    values = [(p.actor, p.issue, p.salience) for p in scenario.positions]
    positive = [v for v in values if v[2] > 0]
    if not positive:
        return []
    if scenario.salience_scale == 100:
        if all(s <= 1 for *_, s in values):
            return [f"all {len(values)} saliences lie within 0–1 while salience_scale is 100 (saliences run "
                    "0–100): every actor looks almost indifferent; if they are shares, add "
                    "'salience_scale: 1' to the scenario (or multiply them by 100)"]
        fractional = [v for v in positive if v[2] < 1 and v[2] != int(v[2])]
        if fractional and any(s > 1 for *_, s in values):
            return [f"salience {s:g} of {a} on {i} looks like a 0–1 value among 0–100 ones (salience_scale "
                    f"is 100): did you mean {100 * s:g}?" for a, i, s in fractional]
        return []
    if all(s <= 0.01 for *_, s in values):
        return [f"all {len(values)} saliences lie within 0–0.01 while salience_scale is 1 (saliences run "
                "0–1): were they divided by 100 twice?"]
    return []


def citation_warnings(scenario: Scenario) -> list[str]:
    """Warn about sources whose citation or URL points into a local file system.

    Parameters
    ----------
    scenario : Scenario
        A valid scenario.

    Returns
    -------
    list of str
        One sentence per local path found.
    """
    found = []
    for source in scenario.sources:
        for field, text in (("citation", source.citation), ("url", source.url or "")):
            for path in local_paths(text):
                found.append(f"source {source.id}: the {field} names a local file path ({path}); a reader "
                             "elsewhere cannot open it: cite the document itself (title, publisher, date, "
                             "web address)")
    return found


def lint(scenario: Scenario) -> list[str]:
    """Return every warning about ``scenario``, one sentence each.

    Parameters
    ----------
    scenario : Scenario
        A valid scenario.

    Returns
    -------
    list of str
        The salience warnings, then the citation warnings.
    """
    return [*salience_warnings(scenario), *citation_warnings(scenario)]
