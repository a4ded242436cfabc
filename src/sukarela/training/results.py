"""Where each participant stands: attendance (overall and per module), module results with
every attempt, and the graduation rules they do not meet yet (engines.graduation).

A session counts as held once its day has passed or attendance was taken at it; a held
session with no mark for a participant counts as absent. A participant is counted only on
the sessions held while they were in the cohort: from the day they joined (joined_on, a
late joiner) or the cohort's start, and before the day they dropped out. Computed per cohort in a few
queries (a cohort is tens of people and about a hundred sessions).
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from sukarela.engines import graduation as engine
from sukarela.training.models import Assessment, Attendance, Cohort, Mark, Participant


@dataclass
class ParticipantResult:
    participant: Participant
    counts: Counter = field(default_factory=Counter)
    held: int = 0
    rate: float | None = None
    module_rates: dict = field(default_factory=dict)  # CohortModule pk -> percent or None
    modules: tuple = ()                                # engine.ModuleResult, in module order
    final_scores: tuple = ()
    unmet: list = field(default_factory=list)          # engine.Unmet

    @property
    def eligible(self) -> bool:
        return not self.unmet

    @property
    def passed_count(self) -> int:
        return sum(1 for m in self.modules if m.passed)

    @property
    def reasons(self) -> list[str]:
        return [describe(u) for u in self.unmet]


def rules_of(cohort: Cohort) -> engine.Rules:
    return engine.Rules(min_attendance=float(cohort.min_attendance), require_all_modules=cohort.require_all_modules,
                        final_pass_mark=None if cohort.final_pass_mark is None else float(cohort.final_pass_mark))


def _pct(value) -> str:
    return number_format(value, 1) + "%"


def describe(unmet: engine.Unmet) -> str:
    """The rule a participant does not meet, in words an officer can act on."""
    if unmet.rule == "attendance":
        if unmet.actual is None:
            return _("Kehadiran belum tercatat (minimum %(need)s).") % {"need": _pct(unmet.needed)}
        return _("Kehadiran %(rate)s di bawah minimum %(need)s.") % {"rate": _pct(unmet.actual),
                                                                    "need": _pct(unmet.needed)}
    if unmet.rule == "module":
        if unmet.actual is None:
            return _("Modul %(code)s (%(title)s) belum dinilai.") % {"code": unmet.code, "title": unmet.title}
        return _("Modul %(code)s (%(title)s) belum lulus: nilai %(score)s, lulus %(need)s.") % {
            "code": unmet.code, "title": unmet.title, "score": number_format(unmet.actual, 2),
            "need": number_format(unmet.needed, 2)}
    if unmet.actual is None:
        return _("Ujian akhir belum dinilai.")
    return _("Ujian akhir belum lulus: nilai %(score)s, lulus %(need)s.") % {
        "score": number_format(unmet.actual, 2), "need": number_format(unmet.needed, 2)}


def _held(cohort: Cohort, today: dt.date | None) -> dict:
    """{session pk: (module pk, date)} of the sessions that have taken place."""
    today = today or timezone.localdate()
    marked = set(Attendance.objects.filter(session__cohort=cohort).values_list("session_id", flat=True).distinct())
    return {pk: (module, date) for pk, module, date in cohort.sessions.values_list("pk", "module_id", "date")
            if date < today or pk in marked}


def held_sessions(cohort: Cohort, today: dt.date | None = None) -> dict:
    """{session pk: module pk} of the sessions that have taken place."""
    return {pk: module for pk, (module, _date) in _held(cohort, today).items()}


def counts_for(participant: Participant, cohort: Cohort, day: dt.date) -> bool:
    """Whether a session on `day` counts for the participant: from the day they joined (a late
    joiner) or the cohort's start, and before the day they dropped out."""
    if day < (participant.joined_on or cohort.starts_on):
        return False
    return participant.dropped_on is None or day < participant.dropped_on


def cohort_results(cohort: Cohort, participants=None, today: dt.date | None = None) -> list[ParticipantResult]:
    participants = list(participants if participants is not None
                        else cohort.participants.select_related("volunteer"))
    held = _held(cohort, today)
    modules = list(cohort.modules.all())
    marks = defaultdict(dict)  # participant -> {session: mark}
    for pid, sid, mark in Attendance.objects.filter(participant__in=participants, session_id__in=held).values_list(
            "participant_id", "session_id", "mark"):
        marks[pid][sid] = mark
    scores = defaultdict(list)  # (participant, module or None) -> scores by attempt
    for pid, mid, score in Assessment.objects.filter(participant__in=participants).order_by(
            "attempt").values_list("participant_id", "module_id", "score"):
        scores[(pid, mid)].append(float(score))
    rules = rules_of(cohort)
    out = []
    for p in participants:
        # Only the sessions held while they were in the cohort count, for or against them.
        mine = {sid: module for sid, (module, day) in held.items() if counts_for(p, cohort, day)}
        taken = [(module, marks[p.pk][sid]) for sid, module in mine.items() if sid in marks[p.pk]]
        result = ParticipantResult(participant=p, held=len(mine))
        result.counts = Counter(mark for _module, mark in taken)
        result.rate = _rate(len(mine), result.counts)
        held_per_module = Counter(mine.values())
        for m in modules:
            counts = Counter(mark for module, mark in taken if module == m.pk)
            result.module_rates[m.pk] = _rate(held_per_module[m.pk], counts)
        result.modules = tuple(engine.ModuleResult(m.code, m.title, float(m.pass_mark), tuple(scores[(p.pk, m.pk)]))
                               for m in modules)
        result.final_scores = tuple(scores[(p.pk, None)])
        result.unmet = engine.evaluate(engine.Record(result.rate, result.modules, result.final_scores), rules)
        out.append(result)
    return out


def _rate(held: int, counts: Counter) -> float | None:
    return engine.attendance_rate(held, counts[Mark.PRESENT], counts[Mark.LATE], counts[Mark.EXCUSED])


def below_threshold(cohort: Cohort, results=None) -> list[ParticipantResult]:
    """Active participants whose attendance so far is under the cohort's minimum: the warning list."""
    results = results if results is not None else cohort_results(cohort)
    minimum = float(cohort.min_attendance)
    return [r for r in results if r.participant.status == "active" and r.rate is not None and r.rate < minimum]
