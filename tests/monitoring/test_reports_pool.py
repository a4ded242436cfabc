"""Builds asked from the browser or the API share a pool of BUILD_WORKERS threads, and one officer
has at most PER_USER_BUILDS builds waiting or running (the reviewer's case: 48 POSTs started 48
threads and 48 database connections)."""

import datetime as dt
import threading
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from sukarela.monitoring.models import Report, ReportState
from sukarela.monitoring.services import reports as service

MONTHS = [f"2025-{m:02d}" for m in range(1, 13)]


@pytest.fixture
def slow_builds(monkeypatch):
    """`build` replaced by one that waits until the test lets it go, counting how many run at once."""
    state = {"running": 0, "most": 0, "started": 0}
    lock, release = threading.Lock(), threading.Event()

    def build(report, progress=None):
        with lock:
            state["running"] += 1
            state["started"] += 1
            state["most"] = max(state["most"], state["running"])
        release.wait(10)
        with lock:
            state["running"] -= 1

    monkeypatch.setattr(service, "build", build)
    yield state
    release.set()
    deadline = time.monotonic() + 10
    while state["running"] and time.monotonic() < deadline:  # let the pool drain before the next test
        time.sleep(0.02)


def ask(client, month: str, fmt: str = "pdf", region: str = "32.01"):
    return client.post("/api/monitoring/reports", {"region": region, "month": month, "format": fmt},
                       content_type="application/json")


def settle(state, started: int):
    deadline = time.monotonic() + 5
    while state["started"] < started and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)  # long enough for a third build to start, were there a third thread


def test_builds_share_two_threads_and_an_officer_has_four_at_most(client, world, slow_builds):
    client.force_login(world.district)
    threads = threading.active_count()
    answers = [ask(client, month).status_code for month in MONTHS[:6]]
    assert answers == [202] * 4 + [422] * 2
    settle(slow_builds, 2)
    assert slow_builds["most"] == 2 and slow_builds["started"] == 2
    assert threading.active_count() - threads <= service.BUILD_WORKERS
    assert Report.objects.filter(requested_by=world.district, state=ReportState.QUEUED).count() == 4


def test_the_fifth_build_is_refused_with_the_reason(client, world, monkeypatch):
    monkeypatch.setattr(service, "start_in_background", lambda report: None)  # they stay queued
    client.force_login(world.district)
    for month in MONTHS[:4]:
        assert ask(client, month).status_code == 202
    refused = ask(client, MONTHS[4])
    assert refused.status_code == 422
    detail = refused.json()["detail"]
    assert detail[0]["loc"] == ["body"] and "4 laporan yang belum selesai" in detail[0]["msg"]
    assert Report.objects.count() == 4
    # The page says the same on its form.
    page = client.post(reverse("monitoring:report_list"), {"region": "32.01", "month": MONTHS[4], "format": "pdf"})
    assert page.status_code == 200 and "4 laporan yang belum selesai" in page.content.decode()
    # Asking again for one already under way is no new build: answered, not refused.
    assert ask(client, MONTHS[0]).status_code == 202
    # Another officer is not held up by this one's builds.
    client.force_login(world.national)
    assert ask(client, MONTHS[4]).status_code == 202


def test_finished_and_stale_builds_do_not_count(client, world, monkeypatch):
    monkeypatch.setattr(service, "start_in_background", lambda report: None)
    client.force_login(world.district)
    for month in MONTHS[:4]:
        assert ask(client, month).status_code == 202
    first, second = Report.objects.order_by("pk")[:2]
    Report.objects.filter(pk=first.pk).update(state=ReportState.DONE, built_at=timezone.now())
    Report.objects.filter(pk=second.pk).update(requested_at=timezone.now() - service.STALE_AFTER
                                               - dt.timedelta(minutes=1))
    assert ask(client, MONTHS[4]).status_code == 202
    assert ask(client, MONTHS[5]).status_code == 202
    assert ask(client, MONTHS[6]).status_code == 422
