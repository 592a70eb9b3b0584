"""The shared refusal tables (``ticketing_runtime.refusals``): the nearest class answers."""

from __future__ import annotations

import pytest

from ticketing_runtime.coded_refusal import CodedRefusal
from ticketing_runtime.refusals import (
    ProblemTable,
    StatusTable,
    coded_problem,
    problem_for,
    status_in,
)


class Missing(CodedRefusal):
    pass


class Gone(Missing):
    pass


def test_a_status_table_answers_the_first_class_the_refusal_is() -> None:
    table: StatusTable = {Gone: 410, Missing: 404}
    assert status_in(table, Gone("gone", "long gone")) == 410
    assert status_in(table, Missing("missing", "not here")) == 404
    assert status_in(table, CodedRefusal("other", "?")) == 500


def test_a_coded_refusal_names_its_problem_and_extra_fields() -> None:
    problem = coded_problem(Missing("unknown-thing", "no thing 't1'", thing="t1"), 404)
    assert (problem.status, problem.code, problem.detail) == (404, "unknown-thing", "no thing 't1'")
    assert problem.to_dict()["thing"] == "t1"


def test_a_problem_table_answers_the_nearest_class_with_extra_fields() -> None:
    table: ProblemTable = {Missing: (404, "missing")}
    problem = problem_for(Gone("gone", "long gone"), table, reason="expired")
    assert (problem.status, problem.code, problem.detail) == (404, "missing", "long gone")
    assert problem.extra == {"reason": "expired"}
    with pytest.raises(KeyError):
        problem_for(ValueError("x"), table)
