"""Graduation rules, evaluated so that every rule a participant does not meet is named.

Attendance
    ``attendance_rate`` = (present + late) / (held - excused) * 100. Excused
    sessions leave the denominator; a held session nobody marked counts as
    absent. With nothing counted yet the rate is None, and a None rate does not
    meet the attendance rule. The rate meets ``min_attendance`` when it is at
    least that value (80.0 passes a minimum of 80.0).

Modules (only when ``require_all_modules``)
    A module is passed when its latest score (remedial attempts replace the
    earlier ones) is at least its pass mark; a module with no score is unmet.

Final assessment (only when ``final_pass_mark`` is set)
    The latest final score must be at least the pass mark; no score is unmet.

Remedial
    ``may_attempt`` allows another attempt only for a module not yet passed and
    with fewer than ``max_attempts`` attempts so far.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rules:
    min_attendance: float            # percent, e.g. 80.0
    require_all_modules: bool
    final_pass_mark: float | None    # None: no final assessment


@dataclass(frozen=True)
class ModuleResult:
    code: str
    title: str
    pass_mark: float
    scores: tuple[float, ...]        # attempts in order (1st, remedial 2nd, ...)

    @property
    def latest(self) -> float | None:
        return self.scores[-1] if self.scores else None

    @property
    def passed(self) -> bool:
        return self.latest is not None and self.latest >= self.pass_mark

    @property
    def attempts(self) -> int:
        return len(self.scores)


@dataclass(frozen=True)
class Record:
    attendance_rate: float | None    # percent; None when no session has been held yet
    modules: tuple[ModuleResult, ...]
    final_scores: tuple[float, ...] = ()


@dataclass(frozen=True)
class Unmet:
    rule: str                        # "attendance" | "module" | "final"
    code: str = ""                   # module code for "module"
    title: str = ""                  # module title for "module"
    needed: float = 0                # the threshold (percent or pass mark)
    actual: float | None = None      # the participant's value (None: no score / no attendance yet)


def attendance_rate(held: int, present: int, late: int, excused: int) -> float | None:
    """(present + late) / (held - excused) * 100, or None when no session counts yet."""
    if min(held, present, late, excused) < 0:
        raise ValueError("Session counts cannot be negative.")
    if present + late + excused > held:
        raise ValueError(
            f"More marked sessions ({present + late + excused}) than sessions held ({held}).")
    counted = held - excused
    if counted == 0:
        return None
    # One division after the multiplication keeps exact rates exact: 7 of 25 is 28.0,
    # where 7 / 25 * 100 would give 28.000000000000004.
    return 100 * (present + late) / counted


def evaluate(record: Record, rules: Rules) -> list[Unmet]:
    """Every rule not met: attendance, then modules in order, then final; empty means may graduate."""
    unmet = []
    rate = record.attendance_rate
    if rate is None or rate < rules.min_attendance:
        unmet.append(Unmet("attendance", needed=rules.min_attendance, actual=rate))
    if rules.require_all_modules:
        for module in record.modules:
            if not module.passed:
                unmet.append(Unmet("module", code=module.code, title=module.title,
                                   needed=module.pass_mark, actual=module.latest))
    if rules.final_pass_mark is not None:
        final = record.final_scores[-1] if record.final_scores else None
        if final is None or final < rules.final_pass_mark:
            unmet.append(Unmet("final", needed=rules.final_pass_mark, actual=final))
    return unmet


def may_attempt(result: ModuleResult, max_attempts: int) -> str | None:
    """Why another attempt is refused ("passed" or "max_attempts"), None when it is allowed."""
    if result.passed:
        return "passed"
    if result.attempts >= max_attempts:
        return "max_attempts"
    return None
