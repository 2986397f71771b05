"""The malformed-file corpus (tests/data/malformed/make_corpus.py): every file gives, through
``accord scenario validate FILE``, exit 1 with a message naming the file and saying what is
wrong, or a correct read (exit 0), each in under 10 s and with under 1 GiB of memory.

The files of one format are validated in one child process; after its imports the child limits
its own address space to what it then uses plus 1 GiB (``RLIMIT_AS``), so a reader that blows
up fails here with ``MemoryError`` instead of exhausting the machine.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from limited import GIB, run_limited

BUILDER = Path(__file__).parent / "data" / "malformed" / "make_corpus.py"
GROUPS = ("yaml", "json", "csv", "bdm", "ktab", "ktabxml", "decide", "xlsx", "other")
MAX_SECONDS = 10.0

CHILD = """
import io, os
from contextlib import redirect_stderr, redirect_stdout
from accord.cli.main import main

def vm_size():
    for line in open("/proc/self/status"):
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024

ceiling = vm_size() + {budget}
resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
results = {{}}
for name in {names!r}:
    out = io.StringIO()
    start = time.perf_counter()
    with redirect_stdout(out), redirect_stderr(out):
        try:
            code = main(["scenario", "validate", os.path.join({folder!r}, name)])
        except MemoryError:
            code = "MemoryError"
    results[name] = {{"exit": code, "text": out.getvalue(), "seconds": time.perf_counter() - start}}
print(json.dumps(results))
"""


def _builder():
    spec = importlib.util.spec_from_file_location("make_corpus", BUILDER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, dict[str, object]]]:
    folder = tmp_path_factory.mktemp("malformed")
    return folder, _builder().build(folder)


def test_the_corpus_is_large_and_covers_every_format(corpus):
    _, manifest = corpus
    assert len(manifest) >= 100
    counts = {g: sum(name.split("-")[0] == g for name in manifest) for g in GROUPS}
    assert all(n >= 5 for n in counts.values()), counts
    assert sum(entry["exit"] == 1 for entry in manifest.values()) >= 80


@pytest.mark.parametrize("group", GROUPS)
def test_every_file_is_a_clear_error_or_a_correct_read(corpus, group):
    folder, manifest = corpus
    names = sorted(n for n in manifest if n.split("-")[0] == group)
    code = CHILD.format(budget=GIB, names=names, folder=str(folder))
    results = run_limited(code, memory=8 * GIB, timeout=MAX_SECONDS * len(names) + 60)
    failures = []
    for name in names:
        got, want = results[name], manifest[name]
        text = got["text"]
        ok = (got["exit"] == want["exit"] and name in text and str(want["message"]) in text
              and "Traceback" not in text and "internal error" not in text
              and got["seconds"] < MAX_SECONDS)
        if not ok:
            failures.append(f"{name}: exit {got['exit']} (want {want['exit']}, {want['message']!r}), "
                            f"{got['seconds']:.1f} s:\n{text}")
    assert not failures, "\n".join(failures)
