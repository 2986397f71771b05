"""Bad input never gives a traceback, never a silently wrong forecast: every reader, fuzzed.

The seeds are the peer tools' real sample files (``tests/data/anchor-data``), the DEU data
(the packaged development split, ``src/accord/data/deu3``) and the built-in scenario exported to YAML, JSON, CSV and
XLSX. Hypothesis mutates them (lines deleted, duplicated or swapped; cells replaced by junk,
NaN, inf, huge, negative or non-ASCII values; truncation; NUL bytes; other delimiters, line
endings, a BOM, latin-1 bytes) and builds random YAML structures at the schema's positions.
The properties:

* reading either gives a scenario or raises ``ScenarioError``/``AccordError`` whose every
  problem names the file and says something readable (table rows carry their row number);
* a scenario that loads compiles to finite arrays inside its declared scales, and the fast
  models give finite outcomes inside the scales;
* the CLI answers 0 or 1 (never 70, the internal-error code) and never prints a traceback.

Under the default ``ci`` profile examples are derandomised and bounded so the whole file runs in
a few seconds per test; ``make fuzz`` runs the random ``fuzz`` profile with many more
(``tests/hypothesis_profiles.py``). The size mutations (``test_mutations_that_reach_the_limits``)
grow files up to and past the readers' limits (:mod:`accord.scenario.limits`) and run under a
memory ceiling, so a reader that blows up fails the test instead of the machine.
"""

from __future__ import annotations

import io
import re
import shutil
import warnings
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st

import hostile
from accord.errors import AccordError, ScenarioError
from accord.models import get_model
from accord.scenario import compile_scenario
from accord.scenario.builtin import load_builtin
from accord.scenario.io import load_scenario
from accord.scenario.io.deu import DeuData, load_deu
from accord.scenario.io.writers import scenario_to_dict, write_scenario
from accord.scenario.schema import Scenario
from hypothesis_profiles import examples
from limited import memory_ceiling

MODELS = ("compromise", "weighted-median", "nash", "eum", "smp", "exchange")
TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx")
FUZZ = settings(max_examples=examples(60))  # derandomised under the ci profile, random under fuzz
ANCHOR_FILES = (
    "BDM_DecisionModel_Replication/ChinaData.csv",
    "BDM_DecisionModel_Replication/HondurasCrisisData.csv",
    "bdm-scholz-expected-utility-model/ExampleActors.csv",
    "bdm-scholz-expected-utility-model/Sultan.csv",
    "decide-exchange-model/copenhagen.csv",
    "decide-exchange-model/sample_data.txt",
    "ktab/inputs/dummyData_3Dim.csv",
    "ktab/inputs/dummyData_3Dim-no-final-comma.csv",
    "ktab/inputs/SOE-Policy.csv",
    "ktab/inputs/dummyData_3Dim.xml",
    "ktab/inputs/smpExample.xml",  # invalid as shipped (a position reads "?"): a seed all the same
    "predictioneers_game/ukraine_data_slim.csv",
)
INVALID_SEEDS = {"smpExample.xml"}
JUNK = (
    "", " ", "nan", "NaN", "inf", "-inf", "Infinity", "1e308", "-1e308", "1e999", "-5", "-0.0",
    "1e-320", "99999999999999999999999", "9" * 5000, "ü∆😀", "名前", "\x00", "abc", "0", "1,5",
    "1.2.3", "'", '"', "#", "#A", ":", "- ", "{", "[", "]", "&a", "*a", "!!binary", "0x10", "1_000",
    "True", "null", "~", "999", "\t", ",", ";", "2025-13-45", "<", "</Actor>", "&amp;", "\\",
)


# ----------------------------------------------------------------------------- mutations
def _lines_op(fn: Callable[[list[bytes], int, bytes], list[bytes]]) -> Callable[[bytes, int, bytes], bytes]:
    def op(data: bytes, k: int, junk: bytes) -> bytes:
        ending = b"\r\n" if b"\r\n" in data else b"\r" if b"\r" in data and b"\n" not in data else b"\n"
        lines = data.split(ending)
        return ending.join(fn(lines, k % max(len(lines), 1), junk) if lines else lines)

    return op


def _delete(lines: list[bytes], i: int, junk: bytes) -> list[bytes]:
    return lines[:i] + lines[i + 1 :]


def _duplicate(lines: list[bytes], i: int, junk: bytes) -> list[bytes]:
    return lines[: i + 1] + lines[i:]


def _swap(lines: list[bytes], i: int, junk: bytes) -> list[bytes]:
    j = (i * 7 + 3) % len(lines)
    lines = list(lines)
    lines[i], lines[j] = lines[j], lines[i]
    return lines


def _blank(lines: list[bytes], i: int, junk: bytes) -> list[bytes]:
    return [*lines[:i], b"", *lines[i + 1 :]]


def _cell(lines: list[bytes], i: int, junk: bytes) -> list[bytes]:
    line = lines[i]
    sep = max((b",", b"\t", b";", b": "), key=line.count)
    cells = line.split(sep)
    cells[(i * 5 + len(junk)) % len(cells)] = junk
    return [*lines[:i], sep.join(cells), *lines[i + 1 :]]


def _number(data: bytes, k: int, junk: bytes) -> bytes:
    numbers = list(re.finditer(rb"-?\d+(\.\d+)?", data))
    if not numbers:
        return data
    m = numbers[k % len(numbers)]
    return data[: m.start()] + junk + data[m.end() :]


MUTATIONS: dict[str, Callable[[bytes, int, bytes], bytes]] = {
    "delete line": _lines_op(_delete),
    "duplicate line": _lines_op(_duplicate),
    "swap lines": _lines_op(_swap),
    "blank line": _lines_op(_blank),
    "replace cell": _lines_op(_cell),
    "replace number": _number,
    "insert junk": lambda d, k, j: d[: k % (len(d) + 1)] + j + d[k % (len(d) + 1) :],
    "truncate": lambda d, k, j: d[: k % (len(d) + 1)],
    "NUL byte": lambda d, k, j: d[: k % (len(d) + 1)] + b"\x00" + d[k % (len(d) + 1) :],
    "delimiter": lambda d, k, j: d.replace(b",", (b";", b"\t", b"|", b" ")[k % 4]),
    "tabs to commas": lambda d, k, j: d.replace(b"\t", b","),
    "CR endings": lambda d, k, j: d.replace(b"\r\n", b"\n").replace(b"\n", b"\r"),
    "CRLF endings": lambda d, k, j: d.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"),
    "BOM": lambda d, k, j: b"\xef\xbb\xbf" + d,
    "latin-1": lambda d, k, j: d.decode("utf-8", "replace").encode("latin-1", "replace") + b"\xe9\xff",
}
mutation = st.tuples(
    st.sampled_from(sorted(MUTATIONS)), st.integers(0, 1 << 20), st.sampled_from(JUNK)
)


def mutate(data: bytes, steps: list[tuple[str, int, str]]) -> bytes:
    for name, k, junk in steps:
        data = MUTATIONS[name](data, k, junk.encode("utf-8"))
    return data


# ----------------------------------------------------------------------------- properties
def check_problems(exc: AccordError, path: Path) -> None:
    """Every problem names the file and reads as a sentence; table rows carry their number."""
    if not isinstance(exc, ScenarioError):
        assert path.name in str(exc), f"error does not name the file: {exc}"
        return
    assert exc.problems, "a ScenarioError with no problems"
    for p in exc.problems:
        assert p.file and Path(p.file.split("[")[0]).name == path.name, f"problem without the file: {p}"
        assert isinstance(p.message, str) and p.message.strip(), f"empty message: {p!r}"
        assert "Traceback" not in str(p)
        about_a_row = p.field is not None and p.field.split(".")[0] in ("actors", "issues", "positions")
        if about_a_row and path.suffix in TABLE_SUFFIXES and p.line_word == "row":
            assert p.line is not None, f"a row problem without its row number: {p}"


def check_forecast(scenario: Scenario) -> None:
    """A scenario that loads compiles to finite, in-scale arrays and finite, in-scale forecasts."""
    arrays = compile_scenario(scenario)
    for name in ("position", "salience", "capability"):
        assert np.isfinite(getattr(arrays, name)).all(), name
    lo, hi = arrays.lower, arrays.upper
    assert np.isfinite(lo).all() and np.isfinite(hi).all() and (lo < hi).all()
    assert ((arrays.position >= lo) & (arrays.position <= hi)).all()
    assert ((arrays.salience >= 0) & (arrays.salience <= 1)).all()
    assert (arrays.capability >= 0).all()
    tol = 1e-9 * np.maximum(hi - lo, 1.0)
    for name in MODELS:
        model = get_model(name)
        if arrays.n_issues < model.min_issues:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            outcome = np.asarray(model.run(arrays, rng=np.random.default_rng(0)).outcome)
        assert np.isfinite(outcome).all(), f"{name}: non-finite outcome"
        assert ((outcome >= lo - tol) & (outcome <= hi + tol)).all(), f"{name}: outcome off the scale"


def check_load(path: Path) -> Scenario | None:
    try:
        scenario = load_scenario(path)
    except AccordError as exc:
        check_problems(exc, path)
        return None
    check_forecast(scenario)
    return scenario


def run_cli(args: list[str]) -> tuple[int, str]:
    from accord.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        code = main(args)
    return code, out.getvalue() + err.getvalue()


# ----------------------------------------------------------------------------- seeds
@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def seeds(shared_dir, workdir) -> list[tuple[str, bytes]]:
    """(file name, bytes) of every text seed: the peer tools' files and the built-in scenario."""
    anchor = shared_dir / "anchor-data"
    out = [(Path(name).name, (anchor / name).read_bytes()) for name in ANCHOR_FILES]
    scenario = load_builtin()
    for suffix in (".yaml", ".json", ".csv"):
        path = workdir / f"builtin{suffix}"
        write_scenario(scenario, path)
        out.append((path.name, path.read_bytes()))
    return out


def test_seeds_load(seeds, workdir):
    """The unmutated seeds are valid scenarios, so the mutations start from real input."""
    for name, data in seeds:
        path = workdir / "seed" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        assert (check_load(path) is None) == (name in INVALID_SEEDS), path


_counter = iter(range(10**9))


def _write(workdir: Path, name: str, data: bytes) -> Path:
    path = workdir / f"m{next(_counter)}{Path(name).suffix}"
    path.write_bytes(data)
    return path


@FUZZ
@given(data=st.data(), steps=st.lists(mutation, min_size=1, max_size=3))
def test_mutated_files_load_or_explain(seeds, workdir, data, steps):
    name, seed = data.draw(st.sampled_from(seeds), label="seed")
    path = _write(workdir, name, mutate(seed, steps))
    check_load(path)


@settings(FUZZ, max_examples=examples(25))
@given(data=st.data(), steps=st.lists(mutation, min_size=1, max_size=2))
def test_cli_on_mutated_files(seeds, workdir, data, steps):
    name, seed = data.draw(st.sampled_from(seeds), label="seed")
    path = _write(workdir, name, mutate(seed, steps))
    for args in (["scenario", "validate", str(path)], ["forecast", str(path), "-m", "compromise"]):
        code, text = run_cli(args)
        assert code in (0, 1), f"{args}: exit {code}\n{text}"
        assert "Traceback" not in text and "internal error" not in text, text


# ----------------------------------------------------------------------------- XLSX
XLSX_OPS = ("set", "clear", "delete row", "duplicate row", "swap rows", "rename sheet", "drop sheet")


def _mutate_book(source: Path, target: Path, steps: list[tuple[str, int, str]]) -> None:
    import openpyxl

    book = openpyxl.load_workbook(source)
    for op, k, junk in steps:
        sheet = book.worksheets[k % len(book.worksheets)]
        n_rows, n_cols = max(sheet.max_row, 1), max(sheet.max_column, 1)
        row, col = 1 + (k >> 3) % n_rows, 1 + (k >> 9) % n_cols
        if op == "set":
            number = {"nan": float("nan"), "inf": float("inf"), "1e308": 1e308, "-5": -5.0}.get(junk)
            sheet.cell(row, col).value = number if number is not None else junk.replace("\x00", "")
        elif op == "clear":
            sheet.cell(row, col).value = None
        elif op == "delete row":
            sheet.delete_rows(row)
        elif op in ("duplicate row", "swap rows"):
            other = 1 + (k >> 13) % n_rows
            a = [c.value for c in sheet[row]]
            b = [c.value for c in sheet[other]]
            for c, value in enumerate(b if op == "swap rows" else a, start=1):
                sheet.cell(row, c).value = value
            for c, value in enumerate(a, start=1):
                sheet.cell(other, c).value = value
        elif op == "rename sheet" and junk.strip() and not re.search(r"[\[\]:*?/\\\x00']", junk):
            if junk not in book.sheetnames:
                sheet.title = junk[:31]
        elif op == "drop sheet" and len(book.worksheets) > 1:
            book.remove(sheet)
    book.save(target)


@pytest.fixture(scope="module")
def workbooks(workdir) -> list[Path]:
    """The built-in scenario as a native workbook and as a one-sheet long table."""
    import openpyxl

    scenario = load_builtin()
    native = workdir / "builtin.xlsx"
    write_scenario(scenario, native)
    long_csv = workdir / "builtin-long.csv"
    write_scenario(scenario, long_csv)
    book = openpyxl.Workbook()
    import csv

    with long_csv.open(newline="") as handle:
        for row in csv.reader(handle):
            book.active.append([float(c) if re.fullmatch(r"-?\d+(\.\d+)?", c) else c for c in row])
    table = workdir / "builtin-long.xlsx"
    book.save(table)
    return [native, table]


def test_workbook_seeds_load(workbooks):
    for path in workbooks:
        assert check_load(path) is not None, path


@settings(FUZZ, max_examples=examples(40))
@given(
    data=st.data(),
    steps=st.lists(st.tuples(st.sampled_from(XLSX_OPS), st.integers(0, 1 << 20), st.sampled_from(JUNK)),
                   min_size=1, max_size=4),
)
def test_mutated_workbooks_load_or_explain(workbooks, workdir, data, steps):
    source = data.draw(st.sampled_from(workbooks), label="workbook")
    path = workdir / f"m{next(_counter)}.xlsx"
    _mutate_book(source, path, steps)
    check_load(path)


@settings(FUZZ, max_examples=examples(15))
@given(data=st.data(), steps=st.lists(mutation, min_size=1, max_size=2))
def test_workbook_bytes_mutated(workbooks, workdir, data, steps):
    """A damaged .xlsx (truncated, NUL bytes, ...) is an error naming the file, not a crash."""
    source = data.draw(st.sampled_from(workbooks), label="workbook")
    path = _write(workdir, ".xlsx", mutate(source.read_bytes(), steps))
    check_load(path)
    code, text = run_cli(["scenario", "validate", str(path)])
    assert code in (0, 1) and "Traceback" not in text, text


# ----------------------------------------------------------------------------- DEU
@pytest.fixture(scope="module")
def deu_seeds(shared_dir) -> dict[str, bytes]:
    """The first 25 issues of the wide table and of the long pair (their positions with them)."""
    deu = shared_dir / "benchmark-data/deu3"
    wide = deu.joinpath("deu3.tsv").read_bytes().split(b"\n")
    issues = deu.joinpath("issues.csv").read_bytes().split(b"\n")
    positions = deu.joinpath("positions.csv").read_bytes().split(b"\n")
    head = issues[0].decode().split(",")
    col = head.index("isnr")
    kept = {line.decode().split(",")[col] for line in issues[1:26]}
    pcol = positions[0].decode().split(",").index("isnr")
    pos = [positions[0]] + [p for p in positions[1:] if p and p.decode().split(",")[pcol] in kept]
    return {
        "deu3.tsv": b"\n".join(wide[:26]) + b"\n",
        "issues.csv": b"\n".join(issues[:26]) + b"\n",
        "positions.csv": b"\n".join(pos) + b"\n",
    }


def check_deu(path: Path) -> None:
    try:
        data = load_deu(path)
    except AccordError as exc:
        assert isinstance(exc, ScenarioError), exc
        for p in exc.problems:
            assert p.file and p.message.strip(), p
            assert p.line is not None or p.field is None, f"a cell problem without its row: {p}"
        return
    assert isinstance(data, DeuData)
    for case in data.cases:
        if case.scenario is not None:
            check_forecast(case.scenario) if len(data.cases) < 3 else compile_scenario(case.scenario)
        for value in (case.outcome, case.reference_point):
            assert value is None or 0 <= value <= 100


def test_deu_seeds_load(deu_seeds, workdir):
    folder = workdir / "deu-seed"
    folder.mkdir(exist_ok=True)
    for name, data in deu_seeds.items():
        (folder / name).write_bytes(data)
    assert len(load_deu(folder / "deu3.tsv").cases) == 25
    assert len(load_deu(folder).cases) == 25


@settings(FUZZ, max_examples=examples(40))
@given(
    name=st.sampled_from(["deu3.tsv", "issues.csv", "positions.csv"]),
    steps=st.lists(mutation, min_size=1, max_size=3),
)
def test_mutated_deu_loads_or_explains(deu_seeds, workdir, name, steps):
    folder = workdir / f"deu{next(_counter)}"
    folder.mkdir()
    for other, data in deu_seeds.items():
        (folder / other).write_bytes(mutate(data, steps) if other == name else data)
    check_deu(folder / "deu3.tsv" if name == "deu3.tsv" else folder)
    shutil.rmtree(folder)


# ----------------------------------------------------------------------------- random YAML
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8), st.sampled_from(["a", "x", "s1", "ukraine", "russia", "sd", "low", "high"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=6), st.sampled_from(
            ["id", "name", "actor", "issue", "position", "salience", "capability", "scale", "min",
             "max", "anchors", "sd", "low", "high", "points", "veto", "capability_by_issue",
             "status_quo", "sources", "salience_scale"])), inner, max_size=5),
    ),
    max_leaves=12,
)


def _paths(node: Any, here: tuple = ()) -> list[tuple]:
    """Every place in a nested dict/list where a value can be replaced."""
    out = [here]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*here, key))
    elif isinstance(node, list):
        for n, value in enumerate(node):
            out += _paths(value, (*here, n))
    return out


def _replace(node: Any, where: tuple, value: Any) -> Any:
    if not where:
        return value
    node = dict(node) if isinstance(node, dict) else list(node)
    node[where[0]] = _replace(node[where[0]], where[1:], value)
    return node


@pytest.fixture(scope="module")
def small_native() -> dict[str, Any]:
    """The built-in scenario cut to three actors and two issues, as its YAML dict."""
    data = scenario_to_dict(load_builtin())
    actors = [a["id"] for a in data["actors"][:3]]
    issues = [i["id"] for i in data["issues"][:2]]
    data["actors"] = [
        {k: v for k, v in a.items() if k not in ("veto", "capability_by_issue")} for a in data["actors"][:3]
    ]
    data["issues"] = data["issues"][:2]
    data["positions"] = [p for p in data["positions"] if p["actor"] in actors and p["issue"] in issues]
    data.pop("proposals", None)
    return data


@settings(FUZZ, max_examples=examples(80))
@given(data=st.data(), value=values, as_json=st.booleans())
def test_random_structures_at_schema_positions(small_native, workdir, data, value, as_json):
    where = data.draw(st.sampled_from(_paths(small_native)), label="where")
    scenario = _replace(small_native, where, value)
    if as_json:
        path = workdir / f"r{next(_counter)}.json"
        import json

        path.write_text(json.dumps(scenario, default=str))
    else:
        path = workdir / f"r{next(_counter)}.yaml"
        path.write_text(yaml.safe_dump(scenario, allow_unicode=True, sort_keys=False))
    check_load(path)


@settings(FUZZ, max_examples=examples(40))
@given(value=st.dictionaries(st.sampled_from(
    ["id", "title", "as_of", "salience_scale", "description", "actors", "issues", "positions",
     "proposals", "sources", "extra"]), values, max_size=8))
def test_random_top_level_mappings(workdir, value):
    path = workdir / f"t{next(_counter)}.yaml"
    path.write_text(yaml.safe_dump(value, allow_unicode=True))
    check_load(path)


# ----------------------------------------------------------------------------- KTAB XML settings
@pytest.fixture(scope="module")
def smp_xml(shared_dir) -> bytes:
    """smpExample.xml (model parameters and ideal adjustment) with its one blank position filled."""
    data = (shared_dir / "anchor-data/ktab/inputs/smpExample.xml").read_bytes()
    return data.replace(b"<dCoord></dCoord>", b"<dCoord>50</dCoord>", 1)


@settings(FUZZ, max_examples=examples(30))
@given(steps=st.lists(mutation, min_size=1, max_size=2))
def test_mutated_ktab_settings(smp_xml, workdir, steps):
    """The XML's model parameters configure smp: bad ones are errors, never crashes or NaNs."""
    from accord.models import get_model
    from accord.scenario.io.ktab import ktab_settings

    path = _write(workdir, "s.xml", mutate(smp_xml, steps))
    try:
        settings = ktab_settings(path)
        params: dict = dict(settings.params)
        if settings.accommodation is not None:
            params["accommodation"] = settings.accommodation.tolist()
        model = get_model("smp", **params)
        scenario = load_scenario(path)
    except AccordError as exc:
        assert path.name in str(exc) or isinstance(exc, ScenarioError) or str(exc).startswith("smp"), exc
        return
    arrays = compile_scenario(scenario)
    outcome = model.run(arrays, rng=np.random.default_rng(0)).outcome
    assert np.isfinite(outcome).all()
    code, text = run_cli(["forecast", str(path), "-m", "smp"])
    assert code in (0, 1) and "Traceback" not in text and "internal error" not in text, text


# ----------------------------------------------------------------------------- size limits
SIZES = (10, 1_000, 100_000, 210_000)  # up to and past MAX_ROWS (200,000)


def _grow(data: bytes, op: str, k: int, n: int) -> bytes:
    """Make ``data`` big: a line repeated ``n`` times, a cell of ``n`` characters, a quote left
    open at ``k`` before the rest, ``n`` more header columns, or lists nested ``n`` deep."""
    ending = b"\r\n" if b"\r\n" in data else b"\n"
    lines = data.split(ending)
    i = k % max(len(lines), 1)
    if op == "repeat line":
        return ending.join([*lines[: i + 1], *[lines[i]] * n, *lines[i + 1 :]])
    if op == "long cell":
        at = k % (len(data) + 1)
        return data[:at] + b"x" * n + data[at:]
    if op == "open quote":
        at = k % (len(data) + 1)
        return data[:at] + b'"' + data[at:] + b"y" * n
    if op == "wide header":
        return ending.join([lines[0] + b",c" * min(n, 20_000), *lines[1:]])
    return b"[" * min(n, 5_000) + data + b"]" * min(n, 5_000)  # "nest"


def check_bounded_load(path: Path) -> None:
    """Load or explain, within a 1 GiB ceiling; a loaded scenario respects the limits."""
    from accord.scenario.limits import MAX_ACTORS, MAX_ISSUES

    with memory_ceiling():
        try:
            scenario = load_scenario(path)
        except AccordError as exc:
            check_problems(exc, path)
            return
    assert len(scenario.actors) <= MAX_ACTORS and len(scenario.issues) <= MAX_ISSUES
    assert np.isfinite(compile_scenario(scenario).position).all()


@settings(FUZZ, max_examples=examples(12))
@given(data=st.data(), op=st.sampled_from(["repeat line", "long cell", "open quote", "wide header", "nest"]),
       k=st.integers(0, 1 << 20), n=st.sampled_from(SIZES))
def test_mutations_that_reach_the_limits(seeds, workdir, data, op, k, n):
    name, seed = data.draw(st.sampled_from(seeds), label="seed")
    event(f"{op} {n}")
    check_bounded_load(_write(workdir, name, _grow(seed, op, k, n)))


WORKBOOKS = {
    "declared grid": lambda n, col: hostile.declared_everything(n),
    "far cell": lambda n, col: hostile.far_cell(min(n, 1_048_576), col),
    "shared strings": lambda n, col: hostile.shared_string_bomb(max(1, n // 4_000)),
    "many strings": lambda n, col: hostile.many_strings(n * 10),
}


@settings(FUZZ, max_examples=examples(10))
@given(kind=st.sampled_from(sorted(WORKBOOKS)), n=st.sampled_from(SIZES),
       col=st.sampled_from(["E", "ALL", "ALM", "XFD"]))
def test_workbooks_that_reach_the_limits(workdir, kind, n, col):
    path = _write(workdir, "w.xlsx", WORKBOOKS[kind](n, col))
    check_bounded_load(path)
