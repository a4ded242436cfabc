"""The programme around the groups: two recruitment campaigns (~60,000 applications through
screening and selection), training cohorts per province with their participants, the alumni of
the first wave with tracer-survey outcomes, partners and ~50,000 linkages, a national budget.

Campaign A (opened 800 days ago) selected the TKS posted when the window opened: the current TKS
of "A" blocks and the alumni of "AB" blocks; campaign B (440 days ago) the current TKS of "AB"
and "B" blocks. 3 % of the trainees dropped out. Every selected application points at its TKS
account (Application.volunteer); the rest are eligible (waitlisted or not selected) or not.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from common import copy_frame, days, masked
from plan import regency_weights

CAMPAIGNS = {"A": (-800, -770, -760, -758, -735), "B": (-440, -410, -400, -398, -370)}  # open, close, select, cohort
STATUSES = (("terealisasi", 0.45), ("disepakati", 0.12), ("dihubungi", 0.13), ("diusulkan", 0.15), ("gagal", 0.15))
PURPOSES = (("pinjaman", 0.35), ("pelatihan", 0.15), ("pasar", 0.20), ("peralatan", 0.10), ("perizinan", 0.15),
            ("pendampingan", 0.05))
OUTCOMES = (("bekerja", 0.40), ("usaha", 0.25), ("inkubator", 0.03), ("studi", 0.07), ("mencari", 0.25))


def _choice(rng, table, n):
    return rng.choice([k for k, _p in table], n, p=[p for _k, p in table])


def write(rng, p, ids, codes, villages, today: dt.date, officer: int, n: dict) -> dict:
    from sukarela.alumni.models import AlumniRecord, Outcome
    from sukarela.monitoring.models import Budget
    from sukarela.recruitment.models import Application, Campaign, ConsentText
    from sukarela.training.models import Cohort, Curriculum, Participant

    consent = ConsentText.of("Bench consent")
    curriculum = Curriculum.objects.create(name="Bench TKS")
    kind = p.block_kind
    wave = {"A": np.concatenate([ids.tks[kind == "A"], ids.alumni[kind == "AB"]]),
            "B": np.concatenate([ids.tks[kind != "A"]])}
    half = len(ids.dropped) // 2
    dropped = {"A": ids.dropped[:half], "B": ids.dropped[half:]}
    weights = regency_weights(codes, np.array([len(v) for v in villages]))
    home = dict(ids.tks_village)
    apps, counts = [], {"applications": 0, "participants": 0}
    cohort_of: dict[tuple, int] = {}
    for name, (opens, closes, select, starts, ends) in CAMPAIGNS.items():
        year = (today + dt.timedelta(days=opens)).year
        campaign = Campaign.objects.create(
            name=f"Bench {name}", year=year, target_seats=len(wave[name]) + len(dropped[name]),
            opens_on=today + dt.timedelta(days=opens), closes_on=today + dt.timedelta(days=closes),
            screening_closes_on=today + dt.timedelta(days=closes + 5), published=True,
            selected_at=dt.datetime.combine(today + dt.timedelta(days=select), dt.time(3), dt.timezone.utc))
        chosen = wave[name].tolist() + list(dropped[name])
        total = round(n["applications"] * (0.55 if name == "A" else 0.45))
        others = max(0, total - len(chosen))
        regency = rng.choice(len(codes), others, p=weights)
        other_homes = [villages[r][int(d * len(villages[r]))][0] for r, d in zip(regency, rng.random(others))]
        domicile = [home[u] for u in chosen] + other_homes
        m = len(domicile)
        selected = np.arange(m) < len(chosen)
        eligible = selected | (rng.random(m) < 0.55)
        decision = np.where(selected, "selected", np.where(eligible, np.where(rng.random(m) < 0.3, "waitlisted",
                                                                               "not_selected"), ""))
        apps.append(pl.DataFrame({
            "campaign_id": campaign.pk, "nik": [f"88{name == 'A':d}{i:013d}" for i in range(m)],
            "full_name": [f"Pelamar {name}{i}" for i in range(m)], "birth_date": dt.date(1998, 5, 1),
            "sex": np.where(rng.random(m) < 0.5, "L", "P"), "phone": "", "email": "",
            "education_level": rng.choice(["D3", "D4", "S1"], m), "education_field": "", "domicile_id": domicile,
            "quota_region_id": [d[:2] for d in domicile], "address": "", "motivation": "", "experience": "",
            "household_id": "", "declarations": "{}", "consent_text_id": consent.pk, "source": "form",
            "submitted_at": pl.Series(np.datetime64(today, "D") + rng.integers(opens, closes, m).astype(
                "timedelta64[D]")).cast(pl.Datetime("us")).dt.replace_time_zone("UTC"),
            "eligible": eligible, "ineligible_rule": np.where(eligible, "", "education"),
            "admin_status": np.where(eligible, "verified", "pending"), "decision": decision,
            "score": masked(rng.uniform(55, 95, m), eligible),
            "volunteer_id": masked(np.array(chosen + [0] * others, dtype=np.int64), selected),
            "seat_region_id": masked(pl.Series([d[:2] for d in domicile]), selected)}))
        cohorts = {}
        for province in sorted({d[:2] for d in domicile[:len(chosen)]}):
            cohorts[province] = Cohort.objects.create(
                name=f"Bench {name} {province}", campaign=campaign, curriculum=curriculum, region_id=province,
                starts_on=today + dt.timedelta(days=starts), ends_on=today + dt.timedelta(days=ends)).pk
        cohort_of |= {(name, prov): pk for prov, pk in cohorts.items()}
        out = np.array([u in set(dropped[name]) for u in chosen])
        at = lambda d: dt.datetime.combine(today + dt.timedelta(days=d), dt.time(2), dt.timezone.utc)  # noqa: E731
        copy_frame(Participant._meta.db_table, pl.DataFrame({
            "cohort_id": [cohorts[d[:2]] for d in domicile[:len(chosen)]], "volunteer_id": chosen,
            "status": np.where(out, "dropped", "graduated"), "enrolled_at": at(starts),
            "dropped_on": masked(days(today, np.full(len(chosen), starts + 7)), out), "drop_reason": "",
            "graduated_at": masked(pl.Series([at(ends)] * len(chosen)), ~out)}))
        counts["participants"] += len(chosen)
    frame = pl.concat(apps, how="vertical_relaxed")
    copy_frame(Application._meta.db_table, frame)
    counts["applications"] = frame.height

    ab = np.flatnonzero(kind == "AB")
    ended = p.block_handover[ab]
    alumni = ids.alumni[ab]
    copy_frame(AlumniRecord._meta.db_table, pl.DataFrame({
        "tks_id": alumni, "cohort_id": [cohort_of[("A", home[u][:2])] for u in alumni.tolist()],
        "posting_ended_on": days(today, ended), "created_at": dt.datetime.now(dt.timezone.utc)}))
    record = dict(AlumniRecord.objects.values_list("tks_id", "pk"))
    rows = []
    for wave_months, answer in ((6, 0.70), (12, 0.55)):
        due = ended + round(wave_months * 30.4)
        has = (due < 0) & (rng.random(len(ab)) < answer)
        status = _choice(rng, OUTCOMES, int(has.sum()))
        rows.append(pl.DataFrame({
            "alumni_id": [record[u] for u in alumni[has].tolist()], "as_of": days(today, due[has]),
            "status": status, "organisation": "",
            "jobs_created": masked(rng.integers(0, 6, len(status)), np.isin(status, ["usaha", "inkubator"])),
            "note": "", "source": "survei", "created_at": dt.datetime.now(dt.timezone.utc)}))
    outcomes = pl.concat(rows)
    copy_frame(Outcome._meta.db_table, outcomes)
    counts |= {"alumni": len(ab), "outcomes": outcomes.height}
    counts["linkages"] = _linkages(rng, p, ids, codes, today, officer, n)
    for year in range(today.year - 2, today.year + 1):
        Budget.objects.create(region=None, year=year, amount=180_000_000_000, note="Bench", entered_by_id=officer)
    return counts


def _linkages(rng, p, ids, codes, today: dt.date, officer: int, n: dict) -> int:
    from sukarela.partners.models import Linkage, Partner, PartnerType

    kinds = list(PartnerType.objects.values_list("code", flat=True))
    provinces = sorted({c[:2] for c in codes})
    m = n["partners"]
    copy_frame(Partner._meta.db_table, pl.DataFrame({
        "name": [f"Mitra Bench {i}" for i in range(m)], "name_key": [f"mitra bench {i}" for i in range(m)],
        "kind_id": rng.choice(kinds, m), "reach": "provinsi", "region_id": rng.choice(provinces, m), "address": "",
        "website": "", "notes": "", "active": True, "created_at": dt.datetime.now(dt.timezone.utc),
        "created_by_id": officer}))
    partners = np.array(Partner.objects.values_list("pk", flat=True))
    k = n["linkages"]
    last = np.minimum(p.seg_end, 0)
    live = np.flatnonzero(last - p.seg_start > 30)
    seg = rng.choice(live, k)
    block = p.group_block[p.seg_group[seg]]
    broker = np.where(p.seg_alumnus[seg], ids.alumni[block], ids.tks[block])
    proposed = p.seg_start[seg] + (rng.random(k) * (last[seg] - p.seg_start[seg] - 1)).astype(np.int64)
    status_on = np.minimum(proposed + rng.integers(7, 121, k), -1)
    status, purpose = _choice(rng, STATUSES, k), _choice(rng, PURPOSES, k)
    done = status == "terealisasi"
    money = done & np.isin(purpose, ["pinjaman", "pasar", "peralatan"])
    amount = np.where(purpose == "pinjaman", rng.integers(5, 51, k) * 1_000_000, rng.integers(1, 21, k) * 1_000_000)
    copy_frame(Linkage._meta.db_table, pl.DataFrame({
        "group_id": ids.groups[p.seg_group[seg]], "partner_id": rng.choice(partners, k), "purpose": purpose,
        "broker_id": broker, "status": status, "proposed_on": days(today, proposed),
        "status_on": days(today, status_on), "failed_reason": np.where(status == "gagal", "Syarat tidak terpenuhi", ""),
        "value_amount": masked(amount, money),
        "people_trained": masked(rng.integers(3, 21, k), done & (purpose == "pelatihan")), "notes": "",
        "created_at": dt.datetime.now(dt.timezone.utc), "created_by_id": officer}))
    return k
