"""Mutation testing: operators touch solution code only, ids are stable, survivors fail the
command until killed or recorded as equivalent."""

from __future__ import annotations

import pytest

from autograder.build.markup import parse_solution
from autograder.cli import main
from autograder.mutation.operators import cell_mutants, solution_lines
from autograder.mutation.run import (
    MutantsFileError,
    check_equivalents,
    load_equivalents,
    mutants_for,
)

CELL = '''import numpy as np

SCALE = 2.0


def f(x, y):
    z = x - 1
    # BEGIN SOLUTION
    s = np.sum(x @ y.T, axis=0, keepdims=True)
    s += 3
    return s if s.max() > 0 else -s
    # END SOLUTION


def g(n):
    n = n * 2  # SOLUTION
    return n
'''


def _ops() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in cell_mutants(CELL):
        out.setdefault(m.line, []).append(m.operator)
    return out


def test_solution_lines_drop_markers_and_mark_the_solution():
    source, lines, owner = solution_lines(CELL)
    text = source.splitlines()
    assert "BEGIN SOLUTION" not in source and "# SOLUTION" not in source
    assert {text[n - 1].strip() for n in lines} == {
        "s = np.sum(x @ y.T, axis=0, keepdims=True)", "s += 3",
        "return s if s.max() > 0 else -s", "n = n * 2"}
    assert set(owner.values()) == {"f", "g"}


def test_only_solution_code_is_mutated():
    ops = _ops()
    assert "z = x - 1" not in ops and "SCALE = 2.0" not in ops and "return n" not in ops


def test_operator_families():
    ops = _ops()
    first = ops["s = np.sum(x @ y.T, axis=0, keepdims=True)"]
    for op in ("remove-statement", "sum->mean", "drop-axis", "drop-keepdims", "drop-transpose",
               "MatMult->Mult", "swap-operands", "constant+1", "constant-1", "constant-flip"):
        assert op in first, op
    assert {"inplace->copy", "constant+1"} <= set(ops["s += 3"])
    assert {"Gt->GtE", "drop-USub", "max->min"} <= set(ops["return s if s.max() > 0 else -s"])
    assert {"Mult->Div", "remove-statement"} <= set(ops["n = n * 2"])


def test_every_mutant_compiles_and_differs():
    for m in cell_mutants(CELL):
        compile(m.source(), "<mutant>", "exec")
        assert m.mutated_line != m.line


def test_ids_are_unique_and_stable(tmp_path):
    from toy import write_toy

    spec = parse_solution(write_toy(tmp_path))
    ids = [c.id for c in mutants_for(spec)]
    assert len(ids) == len(set(ids)) and ids == [c.id for c in mutants_for(spec)]
    assert "q1:double:Mult->Div:" in " ".join(ids)
    assert all(c.question == "q1" for c in mutants_for(spec, {"q1"}))


def test_mutants_file_needs_a_reason(tmp_path):
    path = tmp_path / "mutants.toml"
    path.write_text('[[equivalent]]\nid = "q1:f:Add->Sub:00000000"\n')
    with pytest.raises(MutantsFileError, match="one-line reason"):
        load_equivalents(path)


def test_mutate_fails_on_a_survivor_until_it_is_recorded(toy_root, capsys):
    survivor = [c.id for c in mutants_for(parse_solution(toy_root / "solutions/toy/toy.ipynb"))
                if c.mutant.operator == "inplace->copy"]
    assert len(survivor) == 1, "self.total += n  ->  self.total = self.total + n"
    assert main(["mutate", "toy", "--question", "q2", "--jobs", "2"]) == 1
    assert survivor[0] in capsys.readouterr().err.replace("\n", "")
    (toy_root / "solutions/toy/mutants.toml").write_text(
        f'[[equivalent]]\nid = "{survivor[0]}"\nreason = "ints are immutable: += rebinds"\n')
    assert main(["mutate", "toy", "--question", "q2", "--jobs", "2"]) == 0
    assert "1 equivalent" in capsys.readouterr().err


def test_check_equivalents_flags_ids_that_name_no_mutant(toy_root):
    (toy_root / "solutions/toy/mutants.toml").write_text(
        '[[equivalent]]\nid = "q9:nothing:Add->Sub:deadbeef"\nreason = "gone"\n')
    (problem,) = check_equivalents(toy_root, "toy")
    assert "q9:nothing:Add->Sub:deadbeef is not a mutant" in problem
