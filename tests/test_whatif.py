"""What-ifs: the assignment language, its effects worked out by hand, common random numbers."""

from __future__ import annotations

import json

import numpy as np
import pytest
import yaml

from accord.cli.main import main
from accord.errors import AccordError
from accord.experiments.expr import ExpressionError
from accord.experiments.interventions import Intervention, NewActor, apply, parse_assignment
from accord.experiments.uncertainty import ensemble
from accord.experiments.whatif import builtin_whatifs, load_whatifs, whatif
from accord.scenario import Scenario, compile_scenario


def _scenario() -> Scenario:
    """a: capability 60 at 0, b: capability 40 at 100 on x (salience 100 each); y has uncertainty."""
    return Scenario.model_validate({
        "id": "two", "title": "two",
        "actors": [{"id": "a", "name": "A", "capability": 60}, {"id": "b", "name": "B", "capability": 40}],
        "issues": [{"id": "x", "name": "X", "status_quo": 50}, {"id": "y", "name": "Y"}],
        "positions": [
            {"actor": "a", "issue": "x", "position": 0, "salience": 100},
            {"actor": "b", "issue": "x", "position": 100, "salience": 100},
            {"actor": "a", "issue": "y", "position": 30, "salience": 50, "position_uncertainty": 10},
            {"actor": "b", "issue": "y", "position": 70, "salience": 50, "position_uncertainty": 10},
        ],
    })


def _iv(*sets: str, **kw) -> Intervention:
    return Intervention(set=tuple(parse_assignment(s) for s in sets), **kw)


def test_no_op_gives_exactly_zero_difference_for_every_model():
    for iv in (Intervention(), _iv("capability[a] *= 1", "position[b, x] += 0", "salience[a] = salience[a]")):
        result = whatif(_scenario(), iv, n_draws=50, seed=3)
        assert result.changed, result.skipped
        for name in result.changed:
            assert np.array_equal(result.difference(name), np.zeros_like(result.difference(name)), equal_nan=True)


def test_baseline_uses_the_same_draws_as_the_forecast_ensemble():
    s = _scenario()
    base = whatif(s, _iv("capability[a] *= 2"), n_draws=200, seed=9, models=["compromise", "median"]).baseline
    ens = ensemble(s, 200, seed=9, models=["compromise", "median"]).finals
    for name in base:
        np.testing.assert_array_equal(base[name], ens[name])


def test_capability_scaling_shifts_the_compromise_by_the_hand_value():
    # baseline: (60*0 + 40*100) / 100 = 40; halving a: (30*0 + 40*100) / 70 = 57.142857...
    result = whatif(_scenario(), _iv("capability[a] = 0.5 * capability[a]"), n_draws=100, seed=1,
                    models=["compromise"])
    diff = result.difference("compromise")
    np.testing.assert_allclose(result.baseline["compromise"][:, 0], 40.0)
    np.testing.assert_allclose(diff[:, 0], 4000 / 70 - 40)
    # on y the weights are 30*50 and 40*50 against 60*50 and 40*50: the shift follows the draws
    y_a, y_b = 0.0 + result.baseline["compromise"][:, 1], result.changed["compromise"][:, 1]
    assert np.all(np.abs(y_b - y_a) > 0)
    table = result.table("compromise")
    assert table.loc["x", "diff_median"] == pytest.approx(17.142857, abs=1e-6)


def test_each_kind_of_change_on_the_arrays():
    s = _scenario()
    arrays = compile_scenario(s)
    changed, ids = apply(
        _iv("salience[b, x] = 25", "position[a] += 10", "status_quo[x] = position[b, x] - 60",
            "capability[b, y] = capability[a, y] / 3", "position[c, x] = 90", "salience[c, x] = 50",
            add=(NewActor("c", 20),), remove=("a",)),
        arrays, s.actor_ids, s.issue_ids, s.salience_scale)
    assert ids == ["b", "c"]
    np.testing.assert_allclose(changed.salience, [[0.25, 0.5], [0.5, 0.0]])
    np.testing.assert_allclose(changed.position[1, 0], 90)
    np.testing.assert_allclose(changed.status_quo, [40, np.nan])
    np.testing.assert_allclose(changed.capability, [[40, 20], [20, 20]])
    assert changed.stake.tolist() == [[True, True], [True, False]]
    # the original arrays are untouched
    assert compile_scenario(s).position[0, 0] == 0 and arrays.salience[1, 0] == 1.0


def test_values_stay_in_range():
    s = _scenario()
    changed, _ = apply(_iv("position[a, x] -= 500", "salience[b, x] *= 3", "capability[a] = -5"),
                       compile_scenario(s), s.actor_ids, s.issue_ids, s.salience_scale)
    assert changed.position[0, 0] == 0 and changed.salience[1, 0] == 1 and (changed.capability[0] == 0).all()


def test_remove_and_add_actor_by_hand():
    s = _scenario()
    removed = whatif(s, Intervention(remove=("b",)), n_draws=0, models=["compromise"])
    assert removed.changed["compromise"][0, 0] == 0  # only a is left, at 0
    added = whatif(s, _iv("position[c, x] = 100", "salience[c, x] = 100", add=(NewActor("c", 40),)),
                   n_draws=0, models=["compromise"])
    assert added.changed["compromise"][0, 0] == pytest.approx((40 * 100 + 40 * 100) / 140)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("capability[zz] = 1", "unknown actor 'zz'"),
        ("capability[a, zz] = 1", "unknown issue 'zz'"),
        ("power[a] = 1", "unknown field 'power'"),
        ("capability[a] := 1", "unexpected character ':'"),
        ("capability[a] = capability[a] > 1", "column 31: unexpected '>'"),
        ("capability[a] = __import__('os')", "unexpected character"),
        ("capability[a] = __import__(os)", "calls are not allowed"),
        ("capability[a] = a.b", "unexpected character '.'"),
        ("capability[a] = b", "expected a number or a reference"),
        ("status_quo[a, x] = 1", "expected status_quo[ISSUE]"),
        ("capability = 1", "expected a target"),
        ("capability[a] /= 0", "not a finite number"),
        ("position[a, y] = position[a, x] + position[b]", None),
    ],
)
def test_bad_assignments_are_user_errors(text, words):
    s = _scenario()
    if words is None:  # a valid one, for contrast
        apply(_iv(text), compile_scenario(s), s.actor_ids, s.issue_ids)
        return
    with pytest.raises(AccordError) as info:
        apply(_iv(text), compile_scenario(s), s.actor_ids, s.issue_ids)
    assert words in str(info.value), str(info.value)
    if isinstance(info.value, ExpressionError):
        assert "column" in str(info.value)


def test_new_stakes_need_both_position_and_salience():
    s = Scenario.model_validate({**_scenario().model_dump(), "positions": _scenario().model_dump()["positions"][:3]})
    with pytest.raises(AccordError, match="give it a salience"):
        apply(_iv("position[b, y] = 10"), compile_scenario(s), s.actor_ids, s.issue_ids)
    with pytest.raises(ExpressionError, match="b has no stake in y"):
        apply(_iv("position[a] = position[b]"), compile_scenario(s), s.actor_ids, s.issue_ids)


def test_yaml_file_and_the_named_whatifs(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text(yaml.safe_dump({"whatifs": [
        {"id": "half", "set": ["capability[a] *= 0.5"]},
        {"id": "drop", "remove": ["b"], "add": [{"id": "c", "capability": 5}]},
    ]}))
    first, second = load_whatifs(path)
    assert first.id == "half" and second.remove == ("b",) and second.add[0].capability == 5
    path.write_text('set: ["capability[a] *= "]\n')
    with pytest.raises(AccordError, match="w.yaml, what-if 1"):
        load_whatifs(path)
    from accord.scenario.builtin import load_builtin

    scenario = load_builtin("ukraine-2025-12")
    named = builtin_whatifs(scenario.id)
    assert {w.id for w in named} >= {"us-ends-nato-sales", "europe-transfers-assets", "russia-erodes",
                                      "us-aligns-with-europe"}
    arrays = compile_scenario(scenario)
    for w in named:  # every named what-if applies to the built-in scenario and changes something
        changed, _ = apply(w, arrays, scenario.actor_ids, scenario.issue_ids, scenario.salience_scale)
        assert any(not np.array_equal(getattr(changed, f), getattr(arrays, f), equal_nan=True)
                   for f in ("position", "salience", "capability", "status_quo")), w.id


def test_whatif_command(capsys, tmp_path):
    path = tmp_path / "two.yaml"
    path.write_text(yaml.safe_dump(json.loads(_scenario().model_dump_json(exclude_none=True))))
    code = main(["whatif", str(path), "--set", "capability[a] = 0.5 * capability[a]", "-m", "compromise",
                 "--draws", "50", "--seed", "4", "-f", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    data = json.loads(out)
    x = data["models"]["compromise"]["issues"]["x"]
    assert x["baseline"]["median"] == pytest.approx(40) and x["difference"]["q05"] == pytest.approx(4000 / 70 - 40)
    assert data["draws"] == 50 and data["seed"] == 4
    code = main(["whatif", str(path), "--remove", "b", "-m", "compromise", "--draws", "0"])
    out, _ = capsys.readouterr()
    assert code == 0 and "remove b" in out and "Δ -40.0" in out
    code = main(["whatif", str(path), "--set", "capability[q] = 1"])
    out, err = capsys.readouterr()
    assert code == 1 and "unknown actor 'q'" in err and "Traceback" not in err
    code = main(["whatif", str(path)])
    _, err = capsys.readouterr()
    assert code == 1 and "nothing to change" in err
    code = main(["whatif", "--list"])
    out, _ = capsys.readouterr()
    assert code == 0 and "us-ends-nato-sales" in out


def test_unreadable_whatif_files_are_user_errors(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_bytes(b"set: ['capability[a] *= 0.5 \xff']\n")  # not UTF-8
    with pytest.raises(AccordError, match="w.yaml: cannot read"):
        load_whatifs(path)
    path.write_text("set: [unclosed\n")
    with pytest.raises(AccordError, match="w.yaml: not valid YAML"):
        load_whatifs(path)
    with pytest.raises(AccordError, match="nope.yaml: cannot read"):
        load_whatifs(tmp_path / "nope.yaml")


def test_an_actor_without_stakes_needs_the_issue_named():
    # china is new: no stake anywhere, so position[china] covers no issue and used to change nothing
    s = _scenario()
    iv = Intervention(add=(NewActor("china", 40),), set=(parse_assignment("position[china] = 50"),))
    with pytest.raises(ExpressionError, match=r"china has no stake in any issue; name one, e\.g\. position\[china, x\]"):
        apply(iv, compile_scenario(s), s.actor_ids, s.issue_ids)
    iv = Intervention(add=(NewActor("china", 40),), set=tuple(
        parse_assignment(t) for t in ("position[china, x] = 50", "salience[china, x] = 100")))
    changed, ids = apply(iv, compile_scenario(s), s.actor_ids, s.issue_ids)
    assert ids[-1] == "china" and changed.stake[-1].tolist() == [True, False]
    assert changed.position[-1, 0] == 50 and changed.salience[-1, 0] == 1.0
