"""The malformed-file corpus: 100+ broken, hostile or odd scenario files of every format accord
reads, each with what ``accord scenario validate FILE`` must answer.

Every case is ``(file name, bytes, exit code, text the message must contain)``: exit 1 with a
clear message naming the file, or exit 0 where the file is odd but valid (then it must read
correctly). The files are built by :func:`build`, not stored: some are megabytes of generated
rows, and building them keeps the corpus readable as code. To look at them::

    python tests/data/malformed/make_corpus.py /tmp/corpus

writes every file and ``manifest.json`` there. ``tests/test_malformed_corpus.py`` builds the
corpus in a temporary folder and validates each file in a child process under a memory ceiling.
"""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests/, for the builders

import hostile  # noqa: E402

Case = tuple[str, bytes, int, str]

YAML = """id: t
title: T
actors:
  - {id: a, name: A, capability: 40}
  - {id: b, name: B, capability: 60}
issues:
  - {id: x, name: X}
positions:
  - {actor: a, issue: x, position: 20, salience: 50}
  - {actor: b, issue: x, position: 70, salience: 50}
"""
JSON = json.dumps({
    "id": "t", "title": "T",
    "actors": [{"id": "a", "name": "A", "capability": 40}, {"id": "b", "name": "B", "capability": 60}],
    "issues": [{"id": "x", "name": "X"}],
    "positions": [{"actor": "a", "issue": "x", "position": 20, "salience": 50},
                  {"actor": "b", "issue": "x", "position": 70, "salience": 50}],
}, indent=1)
LONG = "actor,issue,position,salience,capability\nA,x,10,50,40\nB,x,80,60,50\nC,x,40,30,20\n"
BDM = "Actor,Capability,Position,Salience\nA,40,10,50\nB,60,70,50\nC,20,40,30\n"
KTAB = "T,d,3,2,\nActor,Description,Power,P1,S1,P2,S2,\nA,a,10,50,30,40,20,\nB,b,20,60,30,40,20,\n" \
       "C,c,30,70,30,40,20,\n"
DECIDE = ("#A\tus\tUnited States\n#A\teu\tEuropean Union\n#P\tcuts\tEmission cuts\n"
          "#M\tcuts\t0\tnone\n#M\tcuts\t100\tall\n"
          "#D\tus\tcuts\t20\t0.5\t0.8\n#D\teu\tcuts\t80\t0.9\t0.6\n")
SETTINGS = "<ModelParameters><VotingRule>PropCbc</VotingRule><PCEModel>Conditional</PCEModel></ModelParameters>"


def _b(text: str) -> bytes:
    return text.encode("utf-8")


def _yaml() -> Iterator[Case]:
    yield "yaml-syntax.yaml", _b("id: t\ntitle: [unclosed\nactors: []\n"), 1, "not valid YAML"
    yield "yaml-duplicate-key.yaml", _b(YAML.replace("title: T\n", "title: T\ntitle: U\n")), 1, \
        "key appears twice"
    yield "yaml-yes-position.yaml", _b(YAML.replace("position: 20", "position: yes")), 1, "is not a number"
    yield "yaml-nan-position.yaml", _b(YAML.replace("position: 20", "position: .nan")), 1, "finite number"
    yield "yaml-inf-scale.yaml", _b(YAML.replace("{id: x, name: X}", "{id: x, name: X, scale: {max: .inf}}")), \
        1, "issues.0.scale.max"
    yield "yaml-huge-scale.yaml", _b(YAML.replace(
        "{id: x, name: X}", "{id: x, name: X, scale: {min: -1.0e+308, max: 1.0e+308}}")), 1, "reaches beyond"
    laughs = "id: t\ntitle: T\n" + "".join(
        f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]\n" if n else "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n"
        for n in range(8)) + "actors: *l7\nissues: []\npositions: []\n"
    yield "yaml-billion-laughs.yaml", _b(laughs), 1, "expands to more than"
    yield "yaml-recursive-alias.yaml", _b("id: t\ntitle: T\nactors: &a [*a]\npositions: []\n"), 1, \
        "contains it"
    yield "yaml-deep.yaml", _b("actors: " + "[" * 5000 + "]" * 5000 + "\npositions: []\n"), 1, \
        "nested too deeply"
    yield "yaml-python-object.yaml", _b(YAML + "description: !!python/object/apply:os.system ['echo hi']\n"), \
        1, "not valid YAML"
    yield "yaml-list.yaml", _b("- actors: []\n- positions: []\n"), 1, "holds a list"
    yield "yaml-unknown-actor.yaml", _b(YAML.replace("{actor: b,", "{actor: z,")), 1, "unknown actor id"
    yield "yaml-misspelt-field.yaml", _b(YAML.replace("salience: 50}\n  - {actor: b", "salence: 50}\n  - {actor: b")), \
        1, "did you mean 'salience'"
    yield "yaml-late-actors.yaml", _b(YAML.replace("title: T\n", "title: T\ndescription: >\n" + "  long\n" * 14000)), \
        0, "valid"
    yield "yaml-utf16-bom.yaml", codecs.BOM_UTF16_LE + YAML.replace("name: A", "name: Ä").encode("utf-16-le"), \
        0, "valid"
    yield "yaml-utf32-bom.yaml", codecs.BOM_UTF32_BE + YAML.encode("utf-32-be"), 0, "valid"
    yield "yaml-utf16-no-bom.yaml", YAML.encode("utf-16-le"), 1, "UTF-16"
    yield "yaml-empty.yaml", b"", 1, "the file is empty"
    yield "yaml-blank.yaml", b"  \n\n\t\n", 1, "the file is empty"
    yield "yaml-bad-date.yaml", _b(YAML + "as_of: 2025-13-45\n"), 1, "cannot read"
    yield "yaml-bigint.yaml", _b(YAML + "x: " + "9" * 5000 + "\n"), 1, "not valid YAML"
    actors = "".join(f"  - {{id: a{n}, name: A, capability: 1}}\n" for n in range(2001))
    yield "yaml-2001-actors.yaml", _b(YAML.replace(
        "  - {id: a, name: A, capability: 40}\n  - {id: b, name: B, capability: 60}\n", actors)), 1, \
        "at most 2,000 actors"
    yield "yaml-sd-too-wide.yaml", _b(YAML.replace("position: 20,", "position: 20, position_uncertainty: 500,")), \
        1, "wider than the whole scale"
    yield "yaml-two-documents.yaml", _b(YAML + "---\n" + YAML), 1, "not valid YAML"
    yield "yaml-model-settings-nan.yaml", _b(YAML + "model_settings: {smp: {rounds: .nan}}\n"), 1, \
        "model settings must be JSON data"
    yield "yaml-salience-scale.yaml", _b(YAML + "salience_scale: 7\n"), 1, "salience_scale"
    yield "yaml-tab-indent.yaml", _b(YAML.replace("  - {actor: a", "\t- {actor: a")), 1, "not valid YAML"


def _json() -> Iterator[Case]:
    yield "json-syntax.json", _b(JSON[:-5]), 1, "not valid JSON"
    yield "json-trailing-comma.json", _b(JSON.replace('"T",', '"T",,')), 1, "not valid JSON"
    yield "json-deep.json", _b('{"actors": ' + "[" * 100000 + "]" * 100000 + ', "positions": []}'), 1, \
        "nested too deeply"
    yield "json-nan.json", _b(JSON.replace('"position": 20', '"position": NaN')), 1, "finite number"
    yield "json-infinity-capability.json", _b(JSON.replace('"capability": 40', '"capability": -Infinity')), 1, \
        "finite number"
    yield "json-bigint.json", _b(JSON.replace('"T"', "9" * 5000)), 1, "not valid JSON"
    yield "json-array.json", b'[{"actors": []}]', 1, "cannot tell which format"
    yield "json-duplicate-key.json", _b(JSON.replace('"title": "T"', '"title": "T", "title": "U"')), 1, \
        "key appears twice"
    yield "json-true-salience.json", _b(JSON.replace('"salience": 50', '"salience": true', 1)), 1, \
        "is not a number"
    yield "json-string-position.json", _b(JSON.replace('"position": 20', '"position": "twenty"')), 1, \
        "a number"


def _long_csv() -> Iterator[Case]:
    yield "csv-unclosed-quote-long.csv", _b(hostile.unclosed_quote(LONG, 200_000)), 1, "never closed"
    yield "csv-unclosed-quote-end.csv", _b(LONG + '"D,x,50,50,50\n'), 1, "never closed"
    yield "csv-misspelt-column.csv", _b(LONG.replace("capability\n", "capability,postion_sd\n")), 1, \
        "did you mean 'position_sd'"
    yield "csv-missing-column.csv", _b(LONG.replace("salience,", "weight,")), 1, "cannot tell which format"
    yield "csv-extra-cell.csv", _b(LONG.replace("B,x,80,60,50", "B,x,80,60,50,7")), 1, "or more cells"
    yield "csv-text-position.csv", _b(LONG.replace("A,x,10", "A,x,ten")), 1, "a number"
    yield "csv-nan-position.csv", _b(LONG.replace("A,x,10", "A,x,nan")), 1, "finite number"
    yield "csv-inf-capability.csv", _b(LONG.replace("50\nC", "inf\nC")), 1, "finite number"
    yield "csv-issue-name-differs.csv", _b("actor,issue,position,salience,capability,issue_name\n"
                                           "A,x,10,50,40,One\nB,x,80,60,50,Two\n"), 1, "differs"
    yield "csv-no-capability.csv", _b(LONG.replace(",capability\n", "\n").replace(",40\n", "\n")
                                      .replace(",50\n", "\n").replace(",20\n", "\n")), 1, "no capability"
    yield "csv-200001-rows.csv", _b(hostile.long_csv([f"A{n},x,50,50,50" for n in range(200_001)])), 1, \
        "more than 200,000 rows"
    yield "csv-semicolon-decimal-comma.csv", _b(LONG.replace(",", ";").replace(";10;", ";10,5;")), 0, "valid"
    yield "csv-utf16-bom.csv", codecs.BOM_UTF16_BE + LONG.encode("utf-16-be"), 0, "valid"
    yield "csv-cp1252.csv", LONG.replace("A,x", "Andr\u00e9,x").encode("cp1252"), 0, "valid"
    yield "csv-header-only.csv", _b("actor,issue,position,salience,capability\n"), 1, "positions: is empty"
    yield "csv-formula-names.csv", _b(LONG.replace("A,x", "'=HYPERLINK(1),x")), 0, "valid"
    yield "csv-position-off-scale.csv", _b(LONG.replace("A,x,10", "A,x,1000")), 1, "outside its range"
    yield "csv-huge-scale.csv", _b("actor,issue,position,salience,capability,scale_min,scale_max\n"
                                   "A,x,10,50,40,-1e308,1e308\nB,x,80,60,50,,\n"), 1, "reaches beyond"
    yield "csv-cr-only.csv", _b(LONG.replace("\n", "\r")), 0, "valid"
    yield "csv-stray-quote.csv", _b(LONG.replace("A,x", 'A"5,x')), 0, "valid"


def _bdm() -> Iterator[Case]:
    yield "bdm-extra-cell.csv", _b(BDM.replace("B,60,70,50", "B,60,70,50,9")), 1, "or more cells"
    yield "bdm-short-row.csv", _b(BDM.replace("B,60,70,50", "B,60,70")), 1, "has 3 columns"
    yield "bdm-text-capability.csv", _b(BDM.replace("B,60", "B,sixty")), 1, "a number"
    yield "bdm-unclosed-quote.csv", _b(hostile.unclosed_quote(BDM, 200_000).replace(",x,50,50,50", ",50,50,50")), \
        1, "never closed"
    yield "bdm-huge-positions.csv", _b(BDM.replace("A,40,10", "A,40,-1e308").replace("B,60,70", "B,60,1e308")), \
        1, "reaches beyond"
    yield "bdm-negative-salience.csv", _b(BDM.replace("C,20,40,30", "C,20,40,-30")), 1, "outside its range"
    yield "bdm-cr-only.csv", _b(BDM.replace("\n", "\r")), 0, "valid"
    yield "bdm-duplicate-actor.csv", _b(BDM.replace("C,20", "A,20")), 1, "duplicate id"
    yield "bdm-synonyms-and-extra-column.csv", _b("Stakeholder,Power,Position,Salience,Resolve\n"
                                                  "A,40,10,50,1\nB,60,70,50,2\n"), 0, "valid"


def _ktab_csv() -> Iterator[Case]:
    yield "ktab-count-mismatch.csv", _b(KTAB.replace("T,d,3,2", "T,d,4,2")), 1, "declares 4 actors"
    yield "ktab-50000-actors.csv", _b(KTAB.replace("T,d,3,2", "T,d,50000,2")), 1, "at most 2,000 actors"
    yield "ktab-salience-over-100.csv", _b(KTAB.replace("A,a,10,50,30,40,20", "A,a,10,50,90,40,20")), 1, \
        "add up to 110"
    yield "ktab-unclosed-quote.csv", _b(hostile.unclosed_quote(KTAB, 200_000)), 1, "never closed"
    yield "ktab-short-row.csv", _b(KTAB.replace("B,b,20,60,30,40,20,", "B,b,20,60,30,")), 1, "of the 7 values"
    yield "ktab-big-capabilities.csv", _b(KTAB.replace("C,c,30", "C,c,5000")), 0, "valid"
    yield "ktab-text-position.csv", _b(KTAB.replace("B,b,20,60", "B,b,20,sixty")), 1, "a number"


def _ktab_xml() -> Iterator[Case]:
    doctype = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>\n<Scenario><Dimensions>' \
              '<dName>&a;</dName></Dimensions><Actors/></Scenario>\n'
    yield "ktabxml-doctype.xml", _b(doctype), 1, "DOCTYPE"
    laughs = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY a{n} "{("&a" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 9)) + \
        ']>\n<Scenario><Dimensions><dName>&a8;</dName></Dimensions></Scenario>\n'
    yield "ktabxml-entity-bomb.xml", _b(laughs), 1, "DOCTYPE"
    yield "ktabxml-not-well-formed.xml", _b(hostile.ktab_xml(3).replace("</Actors>", "")), 1, "not well-formed"
    yield "ktabxml-no-dimensions.xml", _b("<?xml version='1.0'?>\n<Scenario><Actors><Actor/></Actors></Scenario>\n"), \
        1, "not a spatial-model scenario"
    yield "ktabxml-bad-voting-rule.xml", _b(hostile.ktab_xml(3, parameters=SETTINGS.replace(">PropCbc<", ">Pro<"))), \
        1, "not one of KTAB's VotingRule values"
    yield "ktabxml-unknown-parameter.xml", _b(hostile.ktab_xml(3, parameters="<ModelParameters><BigRAdjst>Half"
                                                               "</BigRAdjst></ModelParameters>")), 1, \
        "did you mean 'BigRAdjust'"
    pair = "<IdealAdjustment><iaPair><adjustingIdeal>A0</adjustingIdeal><referencePos>A1</referencePos>" \
           "<adjust>{}</adjust></iaPair></IdealAdjustment>"
    yield "ktabxml-negative-adjust.xml", _b(hostile.ktab_xml(3, adjustment=pair.format("-0.2"))), 1, \
        "finite number of 0 or more"
    yield "ktabxml-nan-adjust.xml", _b(hostile.ktab_xml(3, adjustment=pair.format("nan"))), 1, \
        "finite number of 0 or more"
    yield "ktabxml-row-sum.xml", _b(hostile.ktab_xml(3, adjustment=pair.format("0.5"))), 1, "add up to 1.5"
    yield "ktabxml-20000-actors.xml", _b(hostile.ktab_xml(20_000, adjustment=pair.format("0.1"))), 1, \
        "at most 2,000 actors"
    yield "ktabxml-valid-settings.xml", _b(hostile.ktab_xml(3, parameters=SETTINGS)), 0, "valid"
    yield "ktabxml-dims-mismatch.xml", _b(hostile.ktab_xml(3, dims=2).replace("<dName>D1</dName>", "")), 1, \
        "<dCoord>"
    yield "ktabxml-nan-capability.xml", _b(hostile.ktab_xml(3).replace("<capability>10<", "<capability>nan<")), \
        1, "finite number"
    yield "ktabxml-reform-priorities.xml", _b("<?xml version='1.0'?>\n<Scenario><govBudget>1</govBudget>"
                                              "<Actors/></Scenario>\n"), 1, "reform-priorities"
    yield "ktabxml-one-actor.xml", _b(hostile.ktab_xml(1)), 1, "at least 2 <Actor>"


def _decide() -> Iterator[Case]:
    yield "decide-unknown-tag.csv", _b(DECIDE + "#Q\tx\n"), 1, "unknown row tag"
    yield "decide-power-out-of-range.csv", _b(DECIDE.replace("0.5\t0.8", "0.5\t800")), 1, "power is outside"
    yield "decide-one-scale-point.csv", _b(DECIDE.replace("#M\tcuts\t100\tall\n", "")), 1, "one scale point"
    yield "decide-unknown-actor.csv", _b(DECIDE.replace("#D\teu", "#D\tjp")), 1, "unknown actor id"
    yield "decide-duplicate-actor.csv", _b(DECIDE + "#A\tus\tagain\n"), 1, "actor defined twice"
    yield "decide-short-row.csv", _b(DECIDE + "#D\tus\tcuts\n"), 1, "too few fields"
    yield "decide-semicolons.csv", _b(DECIDE.replace("\t", ";")), 0, "valid"
    yield "decide-nan-scale-point.csv", _b(DECIDE.replace("#M\tcuts\t0\t", "#M\tcuts\tnan\t")), 1, \
        "scale point is not a number"
    yield "decide-position-off-scale.csv", _b(DECIDE.replace("cuts\t20\t", "cuts\t200\t")), 1, "outside its range"


def _xlsx() -> Iterator[Case]:
    yield "xlsx-declared-grid.xlsx", hostile.declared_everything(100_000), 0, "valid"
    yield "xlsx-row-beyond-limit.xlsx", hostile.far_cell(200_005, "A"), 1, "a sheet reaches row 200,005"
    yield "xlsx-far-column.xlsx", hostile.far_cell(5, "XFD"), 1, "reaches column 16,384"
    yield "xlsx-shared-string-bomb.xlsx", hostile.shared_string_bomb(200), 1, "unpacks to 200 MiB"
    yield "xlsx-ratio-bomb.xlsx", hostile.shared_string_bomb(8), 1, "(a zip bomb?)"
    yield "xlsx-not-a-zip.xlsx", b"PK\x03\x04" + b"\x00junk" * 100, 1, "cannot open as an Excel workbook"
    good = hostile.workbook()
    yield "xlsx-truncated.xlsx", good[: len(good) // 2], 1, "cannot open as an Excel workbook"
    yield "xlsx-empty-sheet.xlsx", hostile.workbook([]), 1, "the sheet is empty"
    yield "xlsx-misspelt-column.xlsx", hostile.workbook([[*hostile.LONG_HEADER, "salince_sd"], *hostile.LONG_ROWS]), \
        1, "did you mean 'salience_sd'"
    yield "xlsx-bool-position.xlsx", hostile.workbook([hostile.LONG_HEADER, ["A", "x", True, 50, 40],
                                                      *hostile.LONG_ROWS[1:]]), 1, "is not a number"
    yield "xlsx-formula-no-value.xlsx", hostile.workbook([hostile.LONG_HEADER, ["A", "x", "=1+1", 50, 40],
                                                         *hostile.LONG_ROWS[1:]]), 1, "position: has no value"
    doctype = hostile.rewrite(good, lambda name, part: b'<!DOCTYPE x [<!ENTITY a "a">]>' + part
                              if name == "xl/worksheets/sheet1.xml" else part)
    yield "xlsx-doctype-part.xlsx", doctype, 1, "DOCTYPE"
    yield "xlsx-valid-long.xlsx", good, 0, "valid"
    yield "xlsx-named-scenario", good, 0, "valid"  # no extension: the content says it is a workbook
    native = _native_workbook()
    yield "xlsx-native.xlsx", native, 0, "valid"
    yield "xlsx-native-bad-json-cell.xlsx", _native_workbook(capability="{not json"), 1, "actors.0.capability"
    yield "xlsx-native-formula-name.xlsx", _native_workbook(name="=cmd|' /C calc'!A0"), 0, "valid"


def _native_workbook(capability: object = 40, name: str = "A") -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    head = book.active
    head.title = "scenario"
    for row in (["field", "value"], ["id", "t"], ["title", "T"]):
        head.append(row)
    sheets = {
        "actors": [["id", "name", "capability"], ["a", name, capability], ["b", "B", 60]],
        "issues": [["id", "name"], ["x", "X"]],
        "positions": [["actor", "issue", "position", "salience"], ["a", "x", 20, 50], ["b", "x", 70, 50]],
    }
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula, as accord writes it
    import io

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _other() -> Iterator[Case]:
    yield "other-random-bytes.bin", bytes(range(256)) * 40, 1, "binary file"
    yield "other-html.txt", _b("<html><body>not a scenario</body></html>\n"), 1, "cannot tell which format"
    yield "other-prose.txt", _b("Dear analyst,\nplease find the positions attached.\n"), 1, \
        "cannot tell which format"
    yield "other-gzip.yaml", b"\x1f\x8b\x08\x00" + bytes(200), 1, "binary file"
    yield "other-pdf.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + bytes(50), 1, "binary file"


def cases() -> Iterator[Case]:
    """Every case of the corpus, format by format."""
    for group in (_yaml, _json, _long_csv, _bdm, _ktab_csv, _ktab_xml, _decide, _xlsx, _other):
        yield from group()


#: a file too large to read at all, made sparse (nothing is written): name, size, exit, message
SPARSE = ("other-65-mib.yaml", 65 * 2**20, 1, "more than a scenario file may be")


def build(folder: Path) -> dict[str, dict[str, object]]:
    """Write every file into ``folder``; the manifest ``{name: {"exit": ..., "message": ...}}``."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, dict[str, object]] = {}
    for name, content, code, message in cases():
        if name in manifest:
            raise ValueError(f"two cases named {name}")
        (folder / name).write_bytes(content)
        manifest[name] = {"exit": code, "message": message}
    name, size, code, message = SPARSE
    with (folder / name).open("wb") as f:
        f.truncate(size)
    manifest[name] = {"exit": code, "message": message}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "malformed-corpus")
    print(f"{len(build(out))} files written to {out}")
