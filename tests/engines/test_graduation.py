"""Graduation rules: each rule alone, together, at its boundary, with remedial attempts."""

import pytest

from sukarela.engines.graduation import (
    ModuleResult, Record, Rules, Unmet, attendance_rate, evaluate, may_attempt)

ALL_RULES = Rules(min_attendance=80.0, require_all_modules=True, final_pass_mark=70.0)
ATTENDANCE_ONLY = Rules(min_attendance=80.0, require_all_modules=False, final_pass_mark=None)


def module(code="K1", scores=(80.0,), pass_mark=70.0, title=None):
    return ModuleResult(code=code, title=title or f"Module {code}", pass_mark=pass_mark, scores=tuple(scores))


def record(rate=90.0, modules=(), final=(75.0,)):
    return Record(attendance_rate=rate, modules=tuple(modules), final_scores=tuple(final))


# --- attendance rate --------------------------------------------------------------------

@pytest.mark.parametrize("held, present, late, excused, expected", [
    (10, 8, 0, 0, 80.0),
    (10, 6, 2, 0, 80.0),      # late counts as attending
    (10, 7, 0, 2, 87.5),      # excused sessions leave the denominator: 7 / 8
    (10, 5, 0, 0, 50.0),      # the 5 unmarked sessions count as absent
    (25, 7, 0, 0, 28.0),      # exact, not 28.000000000000004
    (3, 0, 0, 0, 0.0),
])
def test_attendance_rate(held, present, late, excused, expected):
    assert attendance_rate(held, present, late, excused) == expected


@pytest.mark.parametrize("held, excused", [(0, 0), (3, 3)])
def test_attendance_rate_is_none_when_nothing_counts(held, excused):
    assert attendance_rate(held, 0, 0, excused) is None


@pytest.mark.parametrize("args", [(5, 4, 1, 1), (2, -1, 0, 0), (-1, 0, 0, 0)])
def test_attendance_rate_rejects_impossible_counts(args):
    with pytest.raises(ValueError):
        attendance_rate(*args)


# --- each rule alone ---------------------------------------------------------------------

def test_everything_met_means_eligible():
    assert evaluate(record(modules=[module("K1"), module("K2")]), ALL_RULES) == []


@pytest.mark.parametrize("rate, met", [(80.0, True), (79.99, False), (100.0, True), (0.0, False)])
def test_attendance_boundary(rate, met):
    expected = [] if met else [Unmet("attendance", needed=80.0, actual=rate)]
    assert evaluate(record(rate=rate), ATTENDANCE_ONLY) == expected


def test_attendance_from_counts_at_the_boundary():
    assert evaluate(record(rate=attendance_rate(10, 7, 1, 0)), ATTENDANCE_ONLY) == []
    assert evaluate(record(rate=attendance_rate(10, 7, 0, 0)), ATTENDANCE_ONLY)[0].actual == 70.0
    # Excused: 7 of 9 counted sessions is 77.8 %, below 80 although only 2 were missed.
    assert evaluate(record(rate=attendance_rate(10, 7, 0, 1)), ATTENDANCE_ONLY)[0].rule == "attendance"


def test_no_attendance_yet_is_unmet():
    assert evaluate(record(rate=None), ATTENDANCE_ONLY) == [Unmet("attendance", needed=80.0, actual=None)]


@pytest.mark.parametrize("scores, actual", [((69.99,), 69.99), ((), None), ((90.0, 50.0), 50.0)])
def test_module_unmet_names_the_module(scores, actual):
    rules = Rules(min_attendance=0.0, require_all_modules=True, final_pass_mark=None)
    result = evaluate(record(modules=[module("K1"), module("K2", scores, title="Mentoring")]), rules)
    assert result == [Unmet("module", code="K2", title="Mentoring", needed=70.0, actual=actual)]


def test_module_at_its_pass_mark_passes():
    assert module(scores=(70.0,)).passed
    assert not module(scores=(69.99,)).passed


def test_modules_ignored_when_not_required():
    assert evaluate(record(modules=[module(scores=(10.0,)), module(scores=())]), ATTENDANCE_ONLY) == []


@pytest.mark.parametrize("final, actual", [((69.0,), 69.0), ((), None), ((80.0, 60.0), 60.0)])
def test_final_unmet(final, actual):
    rules = Rules(min_attendance=0.0, require_all_modules=False, final_pass_mark=70.0)
    assert evaluate(record(final=final), rules) == [Unmet("final", needed=70.0, actual=actual)]


def test_final_met_at_the_mark_and_by_a_retake():
    rules = Rules(min_attendance=0.0, require_all_modules=False, final_pass_mark=70.0)
    assert evaluate(record(final=(70.0,)), rules) == []
    assert evaluate(record(final=(50.0, 72.5)), rules) == []


def test_no_final_assessment_ignores_final_scores():
    assert evaluate(record(final=()), ATTENDANCE_ONLY) == []


# --- combinations ------------------------------------------------------------------------

def test_every_unmet_rule_in_a_stable_order():
    modules = [module("K1", (50.0,)), module("K2"), module("K3", ())]
    result = evaluate(record(rate=60.0, modules=modules, final=(10.0,)), ALL_RULES)
    assert [(u.rule, u.code) for u in result] == [
        ("attendance", ""), ("module", "K1"), ("module", "K3"), ("final", "")]
    assert [u.actual for u in result] == [60.0, 50.0, None, 10.0]
    assert [u.needed for u in result] == [80.0, 70.0, 70.0, 70.0]


def test_module_pass_marks_differ():
    modules = [module("K1", (65.0,), pass_mark=60.0), module("K2", (65.0,), pass_mark=75.0)]
    assert [u.code for u in evaluate(record(modules=modules), ALL_RULES)] == ["K2"]


# --- remedial ----------------------------------------------------------------------------

def test_remedial_latest_counts():
    first = module(scores=(60.0,))
    assert (first.latest, first.passed, first.attempts) == (60.0, False, 1)
    second = module(scores=(60.0, 75.0))
    assert (second.latest, second.passed, second.attempts) == (75.0, True, 2)
    assert evaluate(record(modules=[second]), ALL_RULES) == []
    none = module(scores=())
    assert (none.latest, none.passed, none.attempts) == (None, False, 0)


@pytest.mark.parametrize("scores, max_attempts, expected", [
    ((), 2, None),
    ((60.0,), 2, None),                  # failed once: remedial allowed
    ((60.0, 65.0), 2, "max_attempts"),
    ((60.0, 65.0), 3, None),
    ((80.0,), 2, "passed"),              # remedial is only for a failed module
    ((60.0, 75.0), 2, "passed"),         # passed wins over the attempt count
    ((), 0, "max_attempts"),
])
def test_may_attempt(scores, max_attempts, expected):
    assert may_attempt(module(scores=scores), max_attempts) == expected
