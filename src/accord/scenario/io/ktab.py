"""KTAB's spatial-model (SMP) scenarios: its CSV table and its XML file.

CSV (KTAB ``smpc --csv``), comma separated, a trailing comma on each line or not::

    <scenario name>,<description>,<number of actors>,<number of dimensions>,
    Actor,Description,Power,<dim 1 name>,<dim 1 salience name>,...,
    <actor>,<description>,<capability>,<position 1>,<salience 1>,...,

XML (``smpc --xml``): ``Scenario`` with ``name``, ``desc``, ``prngSeed``, optional
``ModelParameters``, ``Dimensions/dName``, ``Actors/Actor`` (``name``, ``description``,
``capability``, ``Position/dCoord``, ``Salience/dSal``) and optional ``IdealAdjustment/iaPair``.

Positions and saliences are on 0..100 (KTAB divides both by 100); each actor's saliences must
sum to at most 100, as KTAB requires. Capabilities are kept as written, except that when one
exceeds accord's 0..100 range all are divided by the same power of ten (the SMP depends only on
their ratios); the description says so. An XML file's model parameters (``ModelParameters``) and
ideal-adjustment matrix (``IdealAdjustment``) become the scenario's ``model_settings["smp"]``, in
the ``smp`` model's parameter names (:data:`KTAB_PARAMETERS`) plus ``accommodation`` (the matrix
as a list of rows, the identity where a pair is not given); their values are checked here, with
the line of each bad one. :func:`ktab_settings` returns the same with the file's PRNG seed.
Files with more than :data:`~accord.scenario.limits.MAX_ACTORS` actors or
:data:`~accord.scenario.limits.MAX_ISSUES` dimensions are refused before anything is built.
XML is parsed with expat; documents with a DOCTYPE (hence entities) are refused.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

import numpy as np

from accord.errors import Problem, ScenarioError
from accord.scenario.io.base import Format, RawScenario, register_format
from accord.scenario.io.tables import as_number, csv_records, slug
from accord.scenario.io.text import decode_text
from accord.scenario.limits import MAX_ACTORS, MAX_ISSUES
from accord.scenario.schema import ACTOR_ID

#: KTAB ModelParameters element -> (the smp model's parameter, the values KTAB knows)
KTAB_PARAMETERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "VictoryProbModel": ("victory_model", ("Linear", "Square", "Quartic", "Octic", "Binary")),
    "PCEModel": ("pce_model", ("Conditional", "MarkovUniform", "MarkovIncentive")),
    "StateTransitions": ("state_transitions", ("Deterministic", "Stochastic")),
    "VotingRule": ("voting_rule", ("Prop", "Binary", "PropBin", "PropCbc", "Cubic", "ASymProsp")),
    "BigRAdjust": ("big_r_adjust", ("None", "OneThird", "Half", "TwoThirds", "Full")),
    "BigRRange": ("big_r_range", ("Min", "Mid", "Max")),
    "ThirdPartyCommit": ("third_party_commit", ("SemiCommit", "FullCommit", "NoCommit")),
    "InterVecBrgn": ("inter_vec_bargain", ("S2P2", "S1P1", "S2PMax")),
    "BargnModel": ("bargain_model", ("InitOnlyInterp", "InitRcvrInterp", "PWCompInterp")),
}
PARAMS = {tag: name for tag, (name, _) in KTAB_PARAMETERS.items()}  # element -> smp parameter
MODEL = "smp"  # the model whose settings a KTAB file carries


# ----------------------------------------------------------------------------- shared
def _actor_id(name: str, n: int) -> str:
    name = name.strip()
    return name if re.match(ACTOR_ID, name) else (slug(name) or f"actor{n + 1}")


def _issue_ids(names: list[str]) -> list[str]:
    ids: list[str] = []
    for d, name in enumerate(names):
        base = slug(name) or f"dim{d + 1}"
        base = base if re.match(r"^[A-Za-z_]", base) else f"d_{base}"
        new, k = base, 2
        while new in ids:
            new, k = f"{base}_{k}", k + 1
        ids.append(new)
    return ids


@dataclass
class _Actor:
    name: str
    desc: str
    cap: Any
    pos: list[Any]
    sal: list[Any]
    line: int
    lines: list[tuple[int, int]] = field(default_factory=list)  # (position line, salience line)


def _build(raw: RawScenario, path: Path, name: str, desc: str, dims: list[str],
           actors: list[_Actor], kind: str) -> RawScenario:
    """Build the native-form dict and its line map; check KTAB's total-salience limit."""
    issue_ids = _issue_ids(dims)
    caps = [a.cap for a in actors if isinstance(a.cap, float)]
    factor, note = 1.0, ""
    top = max(caps, default=0.0)
    if np.isfinite(top) and top > 100:
        factor = 10.0 ** int(np.ceil(np.log10(top / 100.0)))
        while top / factor > 100:
            factor *= 10
        note = f" Capabilities divided by {factor:g} to fit accord's 0..100 range."
    out_actors: list[dict[str, Any]] = []
    positions: list[dict[str, Any]] = []
    for n, a in enumerate(actors):
        actor_id = _actor_id(a.name, n)
        cap = a.cap / factor if isinstance(a.cap, float) else a.cap
        entry: dict[str, Any] = {"id": actor_id, "name": a.name.strip() or actor_id, "capability": cap}
        if a.desc.strip():
            entry["notes"] = a.desc.strip()
        raw.lines[("actors", n)] = a.line
        raw.lines[("actors", n, "capability")] = a.line
        out_actors.append(entry)
        numbers = [s for s in a.sal if isinstance(s, float)]
        if sum(numbers) > 100 + 1e-9:
            raw.problems.append(Problem(
                f"saliences of actor {a.name.strip()!r} add up to {sum(numbers):g}",
                file=str(path), line=a.line, field="salience", value=sum(numbers),
                expected="a total of at most 100 (KTAB: no more than 100% of attention)"))
        for d, (p, s) in enumerate(zip(a.pos, a.sal, strict=True)):
            k = len(positions)
            positions.append({"actor": actor_id, "issue": issue_ids[d], "position": p, "salience": s})
            pl, sl = a.lines[d] if a.lines else (a.line, a.line)
            raw.lines[("positions", k)] = pl
            raw.lines[("positions", k, "position")] = pl
            raw.lines[("positions", k, "salience")] = sl
    title = name.strip() or path.stem
    raw.data = {
        "id": slug(title) or slug(path.stem) or "scenario",
        "title": title,
        "description": (desc.strip() + " " if desc.strip() else "")
        + f"Imported from {path.name} (KTAB SMP {kind}).{note}",
        "actors": out_actors,
        "issues": [{"id": i, "name": n.strip() or i, "scale": {"min": 0.0, "max": 100.0}}
                   for i, n in zip(issue_ids, dims, strict=True)],
        "positions": positions,
    }
    return raw


# ----------------------------------------------------------------------------- CSV
def _count(cell: str) -> int | None:
    cell = cell.strip()
    return int(cell) if re.fullmatch(r"\d+", cell) else None


def read_ktab_csv(path: Path, text: str) -> RawScenario:
    """Read a KTAB SMP CSV table (``smpc --csv``) into the native form.

    Parameters
    ----------
    path : Path
        The file (its stem is the title when the header gives no name).
    text : str
        The file's text.

    Returns
    -------
    RawScenario
        The native form, with the row of each actor and value and the problems met (a header
        that declares more than the limits allow stops the reading before anything is built).
    """
    raw = RawScenario(data={}, file=str(path), line_word="row")

    def fail(line: int, message: str, value: Any = None, expected: str | None = None) -> RawScenario:
        raw.problems.append(Problem(message, file=str(path), line=line, value=value, expected=expected))
        return raw

    records, raw.problems = csv_records(text, str(path), skipinitialspace=True)
    if raw.problems:
        return raw
    rows = [cells for _, cells in records]
    head = rows[0] if rows else []
    if len(head) < 4 or _count(head[2]) is None or _count(head[3]) is None:
        return fail(1, "first row is not a KTAB scenario header", ",".join(head),
                    "name,description,number of actors,number of dimensions")
    n_act, n_dim = _count(head[2]), _count(head[3])
    assert n_act is not None and n_dim is not None
    if n_dim < 1 or n_act < 2:
        return fail(1, f"declares {n_act} actors and {n_dim} dimensions", ",".join(head[2:4]),
                    "at least 2 actors and 1 dimension")
    if n_act > MAX_ACTORS or n_dim > MAX_ISSUES:
        return fail(1, f"declares {n_act} actors and {n_dim} dimensions", ",".join(head[2:4]),
                    f"at most {MAX_ACTORS:,} actors and {MAX_ISSUES:,} dimensions")
    width = 3 + 2 * n_dim
    header = rows[1] if len(rows) > 1 else []
    if len([c for c in header[:width] if c.strip()]) < width:
        return fail(2, f"column header has fewer than the {width} columns that {n_dim} dimensions need",
                    ",".join(header), "Actor,Description,Power, then a position and a salience "
                    "column per dimension")
    dims = [header[3 + 2 * d].strip() for d in range(n_dim)]
    actors: list[_Actor] = []
    for line, row in records[2:]:
        if not any(c.strip() for c in row):
            continue
        cells = [c.strip() for c in row]
        if len(cells) < width or not all(cells[2:width]):
            present = len([c for c in cells[:width] if c])
            fail(line, f"has {present} of the {width} values an actor row needs", ",".join(row),
                 f"name, description, capability and {n_dim} position,salience pairs")
            continue
        vals = [as_number(c) for c in cells[2:width]]
        actors.append(_Actor(cells[0], cells[1], vals[0], vals[1::2], vals[2::2], line))
    found = len(actors) + sum(1 for p in raw.problems if p.line and p.line > 2)
    if found != n_act:
        fail(1, f"declares {n_act} actors but the file has {found} actor rows", n_act,
             "the number of actor rows in the third field of the first row")
    if raw.problems:
        return raw
    return _build(raw, path, head[0], head[1], dims, actors, "CSV")


def _sniff_csv(path: Path, head: str) -> bool:
    lines = head.split("\n")[:3]
    if len(lines) < 3 or "," not in lines[1]:
        return False
    first = next(csv.reader([lines[0]], skipinitialspace=True), [])
    if len(first) < 4 or first[0].lstrip().lstrip("'").startswith("#"):
        return False
    return _count(first[2]) is not None and _count(first[3]) is not None \
        and len(lines[1].split(",")) >= 5


# ----------------------------------------------------------------------------- XML
@dataclass
class _Node:
    tag: str
    line: int
    text: str = ""
    children: list[_Node] = field(default_factory=list)

    def all(self, tag: str) -> list[_Node]:
        return [c for c in self.children if c.tag == tag]

    def one(self, tag: str) -> _Node | None:
        found = self.all(tag)
        return found[0] if found else None


class _Refused(Exception):
    pass


def _parse_xml(text: str) -> _Node:
    """Parse XML into a light element tree with line numbers; refuse DOCTYPE and entities."""
    parser = expat.ParserCreate()
    stack: list[_Node] = [_Node("#document", 0)]

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = _Node(tag, parser.CurrentLineNumber)
        stack[-1].children.append(node)
        stack.append(node)

    def end(tag: str) -> None:
        stack.pop()

    def chars(data: str) -> None:
        stack[-1].text += data

    def refuse(*args: Any) -> None:
        raise _Refused

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.Parse(text.lstrip("\ufeff"), True)
    return stack[0]


def _xml_root(path: Path, text: str, raw: RawScenario) -> _Node | None:
    try:
        doc = _parse_xml(text)
    except _Refused:
        raw.problems.append(Problem("XML with a DOCTYPE or entity declarations is not accepted",
                                    file=str(path), expected="a plain KTAB SMP XML file"))
        return None
    except expat.ExpatError as exc:
        raw.problems.append(Problem(f"not well-formed XML: {expat.ErrorString(exc.code)}",
                                    file=str(path), line=exc.lineno))
        return None
    root = doc.one("Scenario")
    if root is None:
        raw.problems.append(Problem("the XML has no <Scenario> root", file=str(path), line=1,
                                    expected="a KTAB SMP scenario"))
        return None
    return root


def read_ktab_xml(path: Path, text: str) -> RawScenario:
    """Read a KTAB SMP XML file (``smpc --xml``) into the native form.

    The file's ``ModelParameters`` and ``IdealAdjustment`` become ``model_settings["smp"]``.

    Parameters
    ----------
    path : Path
        The file (its stem is the title when the file gives no name).
    text : str
        The file's text.

    Returns
    -------
    RawScenario
        The native form, with the line of each actor and value and the problems met.
    """
    raw = RawScenario(data={}, file=str(path))
    root = _xml_root(path, text, raw)
    if root is None:
        return raw

    def problem(node: _Node, message: str, expected: str | None = None, value: Any = None) -> None:
        raw.problems.append(Problem(message, file=str(path), line=node.line, value=value,
                                    expected=expected))

    dims_el = root.one("Dimensions")
    if dims_el is None:
        what = "a KTAB reform-priorities scenario" if root.one("govBudget") else "no <Dimensions>"
        problem(root, f"this XML is {what}, not a spatial-model scenario",
                "a KTAB SMP scenario with <Dimensions> and <Actors>")
        return raw
    dims = [d.text.strip() for d in dims_el.all("dName")]
    if not dims:
        problem(dims_el, "no <dName> in <Dimensions>", "at least one dimension")
        return raw
    actors_el = root.one("Actors")
    actor_els = actors_el.all("Actor") if actors_el is not None else []
    if len(actor_els) < 2:
        problem(actors_el or root, f"{len(actor_els)} actors found", "at least 2 <Actor> elements")
        return raw
    if len(actor_els) > MAX_ACTORS or len(dims) > MAX_ISSUES:
        problem(actors_el or root, f"{len(actor_els):,} actors and {len(dims):,} dimensions",
                f"at most {MAX_ACTORS:,} actors and {MAX_ISSUES:,} dimensions")
        return raw
    actors = []
    for a in actor_els:
        name_el, desc_el, cap_el = a.one("name"), a.one("description"), a.one("capability")
        coords = [*(a.one("Position") or _Node("", a.line)).all("dCoord")]
        sals = [*(a.one("Salience") or _Node("", a.line)).all("dSal")]
        label = name_el.text.strip() if name_el is not None else "?"
        if len(coords) != len(dims) or len(sals) != len(dims):
            problem(a, f"actor {label!r} has {len(coords)} <dCoord> and {len(sals)} <dSal>",
                    f"{len(dims)} of each, one per dimension")
            continue
        if name_el is None or cap_el is None:
            problem(a, f"actor {label!r} lacks <name> or <capability>", "both")
            continue
        actors.append(_Actor(name_el.text, desc_el.text if desc_el is not None else "",
                             as_number(cap_el.text), [as_number(c.text) for c in coords],
                             [as_number(s.text) for s in sals], cap_el.line,
                             [(c.line, s.line) for c, s in zip(coords, sals, strict=True)]))
    settings = _settings(root, str(path), raw)
    if raw.problems:
        return raw
    name = root.one("name")
    desc = root.one("desc")
    _build(raw, path, name.text if name is not None else "",
           desc.text if desc is not None else "", dims, actors, "XML")
    if settings:
        raw.data["model_settings"] = {MODEL: settings}
        mp, adj = root.one("ModelParameters"), root.one("IdealAdjustment")
        raw.lines[("model_settings",)] = (mp or adj or root).line
    return raw


def _sniff_xml(path: Path, head: str) -> bool:
    start = head.lstrip("\ufeff \t\n")
    return start.startswith("<") and "<Scenario" in head and ("<Dimensions" in head or
                                                               "<Actors" in head)


# ----------------------------------------------------------------------------- settings
def _actor_names(root: _Node) -> list[str]:
    return [(a.one("name") or _Node("", 0)).text.strip()
            for a in (root.one("Actors") or _Node("", 0)).all("Actor")]


def _parameters(root: _Node, file: str, raw: RawScenario) -> dict[str, str]:
    """``ModelParameters`` in the smp model's names, each value in KTAB's own spelling."""
    params: dict[str, str] = {}
    mp = root.one("ModelParameters")
    for child in mp.children if mp is not None else []:
        where = f"ModelParameters.{child.tag}"
        if child.tag not in KTAB_PARAMETERS:
            near = difflib.get_close_matches(child.tag, KTAB_PARAMETERS, n=1, cutoff=0.7)
            hint = f"did you mean {near[0]!r}? " if near else ""
            raw.problems.append(Problem("unknown model parameter", file=file, line=child.line,
                                        field=where, value=child.tag,
                                        expected=f"{hint}one of: {', '.join(KTAB_PARAMETERS)}"))
            continue
        name, choices = KTAB_PARAMETERS[child.tag]
        value = child.text.strip()
        match = next((c for c in choices if c.lower() == value.lower()), None)
        if match is None:
            raw.problems.append(Problem(f"not one of KTAB's {child.tag} values", file=file,
                                        line=child.line, field=where, value=value,
                                        expected=f"one of: {', '.join(choices)}"))
        elif name in params:
            raw.problems.append(Problem("given twice", file=file, line=child.line, field=where,
                                        value=value, expected="each parameter once"))
        else:
            params[name] = match
    return params


def _accommodation(root: _Node, file: str, raw: RawScenario, names: list[str]) -> np.ndarray | None:
    """Read ``IdealAdjustment`` as the matrix A[i, j] (identity where a pair is not given).

    KTAB's rules are checked: entries >= 0 and each row's sum at most 1 (spec section 10).
    """
    adj = root.one("IdealAdjustment")
    if adj is None:
        return None
    if len(names) > MAX_ACTORS:
        raw.problems.append(Problem(f"{len(names):,} actors to adjust", file=file, line=adj.line,
                                    field="IdealAdjustment", expected=f"at most {MAX_ACTORS:,} actors"))
        return None
    acc = np.eye(len(names))
    given: dict[tuple[int, int], int] = {}
    before = len(raw.problems)
    for pair in adj.all("iaPair"):
        parts = [pair.one(t) for t in ("adjustingIdeal", "referencePos", "adjust")]
        who = [p.text.strip() if p is not None else "" for p in parts[:2]]
        if any(p is None for p in parts) or who[0] not in names or who[1] not in names:
            raw.problems.append(Problem(
                "an ideal adjustment needs <adjustingIdeal> and <referencePos> naming actors, "
                "and <adjust>", file=file, line=pair.line, field="IdealAdjustment.iaPair",
                value=" / ".join(w for w in who if w) or None,
                expected=f"actor names: {', '.join(names[:6])}{', ...' if len(names) > 6 else ''}"))
            continue
        node = parts[2]
        assert node is not None
        value = as_number(node.text)
        if not isinstance(value, float) or not np.isfinite(value) or value < 0:
            raw.problems.append(Problem("must be a finite number of 0 or more", file=file,
                                        line=node.line, field="IdealAdjustment.iaPair.adjust",
                                        value=node.text.strip(), expected="a number from 0 to 1"))
            continue
        cell = (names.index(who[0]), names.index(who[1]))
        if cell in given:
            raw.problems.append(Problem(
                f"second adjustment of {who[0]} towards {who[1]} (first at line {given[cell]})",
                file=file, line=pair.line, field="IdealAdjustment.iaPair", expected="each pair once"))
            continue
        given[cell] = pair.line
        acc[cell] = value
    if len(raw.problems) > before:
        return None
    for i, total in enumerate(acc.sum(axis=1)):
        if total > 1 + 1e-10:
            raw.problems.append(Problem(
                f"the adjustments of {names[i]}'s ideal add up to {total:g}", file=file,
                line=adj.line, field="IdealAdjustment", value=total,
                expected="at most 1 per adjusting actor (an actor not adjusting towards itself "
                "keeps a 1 there: give its own pair)"))
    return acc


def _settings(root: _Node, file: str, raw: RawScenario) -> dict[str, Any]:
    """Collect the smp model's settings the file gives (problems go to ``raw``)."""
    settings: dict[str, Any] = dict(_parameters(root, file, raw))
    acc = _accommodation(root, file, raw, _actor_names(root))
    if acc is not None:
        settings["accommodation"] = acc.tolist()
    return settings


@dataclass(frozen=True)
class KtabSettings:
    """What a KTAB file says beyond the scenario.

    Its model parameters (``Smp`` field names), the ideal-accommodation matrix (None: identity)
    and the PRNG seed.
    """

    params: dict[str, str]
    accommodation: np.ndarray | None
    seed: int | None


def ktab_settings(path: str | Path) -> KtabSettings:
    """Read the model parameters, ideal adjustment and seed of a KTAB XML file.

    Parameters
    ----------
    path : str or Path
        A KTAB file; a CSV file (or anything that is not KTAB XML) has no settings.

    Returns
    -------
    KtabSettings
        The settings; empty (no parameters, no matrix, no seed) for a file that is not KTAB XML.

    Raises
    ------
    ScenarioError
        Naming file, line and field when the XML is not well formed or a value is not KTAB's.
    """
    path = Path(path)
    text = decode_text(path, path.read_bytes())
    if not _sniff_xml(path, text[:65536]):
        return KtabSettings({}, None, None)
    raw = RawScenario(data={}, file=str(path))
    root = _xml_root(path, text, raw)
    if root is None:
        raise ScenarioError(raw.problems)
    settings = _settings(root, str(path), raw)
    if raw.problems:
        raise ScenarioError(raw.problems)
    acc = settings.pop("accommodation", None)
    seed_el = root.one("prngSeed")
    seed_text = seed_el.text.strip() if seed_el is not None else ""
    seed = int(seed_text) if re.fullmatch(r"[0-9]{1,40}", seed_text) else None  # not "²" (isdigit)
    return KtabSettings(settings, None if acc is None else np.array(acc), seed)


register_format(Format(
    name="ktab",
    description="KTAB spatial-model scenario (SMP CSV table)",
    extensions=(".csv",),
    sniff=_sniff_csv,
    read=read_ktab_csv,
))
register_format(Format(
    name="ktab-xml",
    description="KTAB spatial-model scenario (SMP XML)",
    extensions=(".xml",),
    sniff=_sniff_xml,
    read=read_ktab_xml,
))
