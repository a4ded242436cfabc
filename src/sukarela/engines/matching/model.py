"""The engine's inputs and outputs, its error, and the difference between two postings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

BOUNDARIES = ("regency", "province", "none")
REASONS = ("no_mentor_in_reach", "all_in_reach_full", "only_forbidden_in_reach")


class MatchingError(ValueError):
    """Inputs that cannot be matched as asked; the message (Indonesian) names the mentor, group or pair."""


@dataclass(frozen=True)
class Mentor:
    id: int
    region: str                  # Kemendagri code of home (village "32.01.05.2006" or coarser)
    lat: float | None = None     # None: no point known -> region-hierarchy distance
    lon: float | None = None
    sectors: frozenset[str] = frozenset()
    capacity: int = 10


@dataclass(frozen=True)
class Group:
    id: int
    region: str
    sector: str
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Policy:
    max_km: float = 50.0
    boundary: str = "province"        # "regency" | "province" | "none" (may cross provinces)
    sector_penalty_km: float = 50.0   # added to the cost when the mentor lacks the group's sector
    k_nearest: int = 20               # first candidates per group (nearest allowed mentors within max_km);
                                      # widened where needed: the result is optimal over all allowed pairs
    pinned: frozenset = frozenset()   # {(mentor_id, group_id)}: in the result, whatever the distance
    forbidden: frozenset = frozenset()  # {(mentor_id, group_id)}: never
    current: Mapping[int, int] = field(default_factory=dict)  # group_id -> mentor_id published today
    keep_current: bool = True         # coverage first, then keep most current pairs, then least cost


@dataclass(frozen=True)
class Assignment:
    group: int
    mentor: int
    km: float          # great-circle km, or region_km() when either side has no point
    sector_fit: bool   # the mentor has the group's sector
    cost: int          # round(km * 10) + (0 if sector_fit else round(sector_penalty_km * 10))
    pinned: bool       # the pair was pinned by hand
    kept: bool         # the pair is the group's current posting (kept, or re-chosen unchanged)


@dataclass(frozen=True)
class Unassigned:
    group: int
    reason: str   # one of REASONS


@dataclass
class Result:
    assignments: list[Assignment]   # sorted by group id
    unassigned: list[Unassigned]    # sorted by group id
    total_cost: int
    parts: int                      # independent components solved
    seconds: dict                   # {"prepare": s, "fixed": s, "candidates": s, "components": s, "solve": s, ...}
                                    # ("solve": every flow and pricing round; "pricing": the rounds alone)
    rounds: int = 1                 # flow solves until the optimum over all allowed pairs was proved

    @property
    def covered(self) -> int:
        return len(self.assignments)

    def mapping(self) -> dict[int, int]:
        """group id -> mentor id."""
        return {a.group: a.mentor for a in self.assignments}


@dataclass(frozen=True)
class Changes:
    kept: list[tuple[int, int]]             # (group, mentor): same mentor before and after
    moved: list[tuple[int, int, int]]       # (group, old mentor, new mentor)
    added: list[tuple[int, int]]            # (group, new mentor): had none before
    dropped: list[tuple[int, int]]          # (group, old mentor): has none now (unassigned or gone)

    @property
    def unchanged(self) -> bool:
        return not (self.moved or self.added or self.dropped)


def diff(before: Mapping[int, int], result: Result | Mapping[int, int]) -> Changes:
    """What applying ``result`` changes in the posting ``before`` (both group -> mentor), by group id."""
    after = result.mapping() if isinstance(result, Result) else dict(result)
    kept, moved, added, dropped = [], [], [], []
    for g in sorted(set(before) | set(after)):
        old, new = before.get(g), after.get(g)
        if old is not None and new is not None:
            (kept.append((g, new)) if old == new else moved.append((g, old, new)))
        elif new is not None:
            added.append((g, new))
        else:
            dropped.append((g, old))
    return Changes(kept, moved, added, dropped)
