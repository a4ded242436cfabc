"""The synthetic programme's shape, in numpy (no Django, no database): who mentors which groups
where and when. programme.py writes it; visits.py fills the postings with visits.

Two recruitment waves: campaign A trained the TKS posted when the two-year window opens
(today − 730 days), campaign B a year later. Each current TKS holds one *block* of 10–14 groups
in one regency:
- "A"  (42 %): an A graduate has mentored the block since the window opened;
- "AB" (30 %): an A graduate mentored it until a hand-over about a year ago (then an alumnus),
  a B graduate since;
- "B"  (28 %): groups registered about 13 months ago, mentored by a B graduate since.
About 2 % of the groups are newly registered and not yet mentored, and 8 % of the others
stopped on a day in the window (their posting ended that day). Regencies are drawn by their
number of villages, Java's doubled, so Java holds about half of the groups, as in life.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FULL = {"tks": 9_000, "groups": 110_000, "visits": 5_000_000, "applications": 60_000, "linkages": 50_000,
        "partners": 600}
WINDOW = 730  # days: the two years ending today
JAVA = ("31", "32", "33", "34", "35", "36")
KINDS, KIND_P = np.array(["A", "AB", "B"]), [0.42, 0.30, 0.28]
STOPPED_SHARE, UNMENTORED_SHARE = 0.08, 0.02


def sizes(scale: float) -> dict:
    return {k: max(1, round(v * scale)) for k, v in FULL.items()}


@dataclass
class Plan:
    # blocks (one per current TKS)
    block_kind: np.ndarray      # "A" | "AB" | "B"
    block_regency: np.ndarray   # index into regencies
    block_handover: np.ndarray  # day offset from today (negative) of the AB hand-over, else 0
    # groups
    group_block: np.ndarray     # block index, -1 unmentored
    group_regency: np.ndarray
    registered: np.ndarray      # day offsets from today (negative)
    aid_on: np.ndarray          # day offset, or a large positive number when no aid
    stopped: np.ndarray         # day offset, or 1 (never): stopped_on when <= 0
    # posting segments: group, mentor kind ("cur" current TKS of the block, "alu" its alumnus), days
    seg_group: np.ndarray
    seg_alumnus: np.ndarray     # bool: the block's earlier (alumnus) mentor
    seg_start: np.ndarray
    seg_end: np.ndarray         # exclusive day offset; 1 = still open today
    seg_open: np.ndarray        # bool


def regency_weights(regency_codes: list[str], villages_per_regency: np.ndarray) -> np.ndarray:
    w = villages_per_regency.astype(float) * np.array([2.0 if c[:2] in JAVA else 1.0 for c in regency_codes])
    return w / w.sum()


def make(rng: np.random.Generator, n_tks: int, n_groups: int, weights: np.ndarray) -> Plan:
    kind = rng.choice(KINDS, size=n_tks, p=KIND_P)
    regency = rng.choice(len(weights), size=n_tks, p=weights)
    handover = np.where(kind == "AB", rng.integers(-365, -330, n_tks), 0)
    per_block = rng.integers(10, 15, n_tks)
    mentored = min(int(per_block.sum()), round(n_groups * (1 - UNMENTORED_SHARE)))
    group_block = np.repeat(np.arange(n_tks), per_block)[:mentored]
    n_unmentored = n_groups - mentored
    group_block = np.concatenate([group_block, np.full(n_unmentored, -1)])
    group_regency = np.concatenate([regency[group_block[:mentored]],
                                    rng.choice(len(weights), size=n_unmentored, p=weights)])
    gkind = np.where(group_block >= 0, kind[np.maximum(group_block, 0)], "N")
    registered = np.select([gkind == "B", gkind == "N"],
                           [rng.integers(-420, -370, n_groups), rng.integers(-60, -5, n_groups)],
                           rng.integers(-1095, -760, n_groups))
    has_aid = (gkind != "N") & (rng.random(n_groups) < 0.95)
    aid_on = np.where(has_aid, registered + rng.integers(10, 61, n_groups), 10_000)
    start = np.select([gkind == "B"], [rng.integers(-365, -330, n_groups)], -WINDOW)
    stops = (gkind != "N") & (rng.random(n_groups) < STOPPED_SHARE)
    stopped = np.where(stops, start + 90 + (rng.random(n_groups) * (-1 - start - 90)).astype(int), 1)
    hand = handover[np.maximum(group_block, 0)]
    seg_group, seg_alumnus, seg_start, seg_end = [], [], [], []
    idx = np.arange(n_groups)
    # the current mentor: from the start (A, B) or the hand-over (AB), unless stopped before it
    cur_start = np.where(gkind == "AB", hand, start)
    has_cur = (gkind != "N") & (stopped > cur_start)
    seg_group.append(idx[has_cur])
    seg_alumnus.append(np.zeros(has_cur.sum(), bool))
    seg_start.append(cur_start[has_cur])
    seg_end.append(np.minimum(stopped, 1)[has_cur])
    # the alumnus of an AB block: from the window's start to the hand-over or the stop
    ab = gkind == "AB"
    seg_group.append(idx[ab])
    seg_alumnus.append(np.ones(ab.sum(), bool))
    seg_start.append(start[ab])
    seg_end.append(np.minimum(hand, stopped)[ab])
    seg_end_all = np.concatenate(seg_end)
    return Plan(kind, regency, handover, group_block, group_regency, registered, aid_on, stopped,
                np.concatenate(seg_group), np.concatenate(seg_alumnus), np.concatenate(seg_start), seg_end_all,
                seg_end_all == 1)
