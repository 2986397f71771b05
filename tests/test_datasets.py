"""The data sets shipped as package data (``accord.data``): found by name, complete, packaged."""

from __future__ import annotations

import csv
import fnmatch
import hashlib
import re
import tomllib
from pathlib import Path

import pytest

from accord.data import dataset_description, dataset_names, dataset_path
from accord.errors import AccordError

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "accord"


def test_names_and_paths():
    assert dataset_names() == ["deu3"]
    path = dataset_path("deu3")
    assert path.is_file() and path.name == "deu3.tsv"
    assert "development split" in dataset_description("deu3")


@pytest.mark.parametrize("name", ["deu", "DEU3", "", "deu3/deu3.tsv"])
def test_unknown_name_is_an_error_listing_the_known_ones(name):
    with pytest.raises(AccordError, match=r"unknown data set .*deu3"):
        dataset_path(name)


def test_deu3_matches_its_sources_note():
    """The figures and checksums that src/accord/data/deu3/SOURCES.md states."""
    folder = dataset_path("deu3").parent
    note = (folder / "SOURCES.md").read_text(encoding="utf-8")
    stated = dict(re.findall(r"\| `([\w.]+)` \| [^|]+ \| [^|]+ \| `([0-9a-f]{64})` \|", note))
    files = sorted(p.name for p in folder.iterdir() if p.name != "SOURCES.md")
    assert sorted(stated) == files
    for name, digest in stated.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    with dataset_path("deu3").open(newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    actors = [c[1:] for c in rows[0] if c.startswith("p") and "s" + c[1:] in rows[0]]
    scoreable = [
        r for r in rows
        if r["out"].strip() and 0 <= float(r["out"]) <= 100
        and sum(bool(r["p" + a].strip()) and bool(r["s" + a].strip()) for a in actors) >= 3
    ]
    assert len(actors) == 30
    assert len(rows) == 236
    assert len({r["prnr"] for r in rows}) == 90
    assert len(scoreable) == 227
    assert "236" in note and "90 of the 141 proposals" in note and "227" in note


def test_every_shipped_data_file_is_declared_package_data():
    """Each file matches a glob of pyproject's package-data, under its package's key."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    for name in dataset_names():
        for path in dataset_path(name).parent.iterdir():
            rel = path.relative_to(PACKAGE.parent).as_posix()  # accord/data/deu3/...
            assert any(
                rel.startswith(package.replace(".", "/") + "/")
                and fnmatch.fnmatch(rel.removeprefix(package.replace(".", "/") + "/"), glob)
                for package, globs in declared.items()
                for glob in globs
            ), rel
