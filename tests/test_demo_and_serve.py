"""`sukarela demo --no-serve` twice, then `sukarela serve` (granian + WhiteNoise) answering over HTTP."""

import contextlib
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import datetime
from http.cookiejar import CookieJar
from zoneinfo import ZoneInfo

import pytest


def _env(data_dir):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"} and not k.startswith("SUKARELA_")}
    return env | {"SUKARELA_DATA_DIR": str(data_dir)}


def _demo(data_dir):
    return subprocess.run(
        [sys.executable, "-m", "sukarela", "demo", "--no-serve", "--small"],
        env=_env(data_dir), capture_output=True, text=True, timeout=300,
    )


def _counts(data_dir):
    with sqlite3.connect(data_dir / "sukarela.sqlite3") as db:
        return {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("core_user", "regions_region", "core_auditevent", "training_cohort", "training_session",
                          "training_attendance", "training_assessment", "training_certificate", "groups_group",
                          "assignments_posting")}


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.headers, response.read().decode()


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo")
    first = _demo(data_dir)
    assert first.returncode == 0, first.stderr[-3000:]
    return data_dir, first.stdout


def test_demo_prints_logins_and_builds_data(demo_dir):
    data_dir, output = demo_dir
    for login in ("nasional", "jabar", "bogor", "tks-3201-1"):
        assert re.search(rf"^\s+{re.escape(login)}\s", output, re.M), output
    counts = _counts(data_dir)
    assert counts["core_user"] >= 10 and counts["regions_region"] > 100


def test_demo_has_a_finished_and_a_half_way_training_cohort(demo_dir):
    data_dir, output = demo_dir
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date().isoformat()  # the demo's (settings.TIME_ZONE) today
    with sqlite3.connect(data_dir / "sukarela.sqlite3") as db:
        def one(sql, *args):
            return db.execute(sql, args).fetchone()[0]

        finished = one("SELECT id FROM training_cohort WHERE ends_on < ? AND name LIKE '%Jawa Barat'", today)
        running = one("SELECT id FROM training_cohort WHERE starts_on <= ? AND ends_on >= ?", today, today)
        graduates = one("SELECT COUNT(*) FROM training_participant WHERE cohort_id = ? AND status = 'graduated'",
                        finished)
        certificates = one("SELECT COUNT(*) FROM training_certificate c JOIN training_participant p "
                           "ON p.id = c.participant_id WHERE p.cohort_id = ?", finished)
        assert graduates >= 5 and certificates == graduates
        assert one("SELECT COUNT(*) FROM training_certificate WHERE revoked_at IS NOT NULL") == 1
        assert one("SELECT COUNT(*) FROM training_participant WHERE cohort_id = ? AND status = 'dropped'", finished)
        # Half-way: sessions behind and ahead, attendance and scores for the part already taught.
        assert one("SELECT COUNT(*) FROM training_session WHERE cohort_id = ? AND date < ?", running, today)
        assert one("SELECT COUNT(*) FROM training_session WHERE cohort_id = ? AND date > ?", running, today)
        assert one("SELECT COUNT(*) FROM training_attendance a JOIN training_session s ON s.id = a.session_id "
                   "WHERE s.cohort_id = ? AND s.date < ?", running, today) > 50
        assert not one("SELECT COUNT(*) FROM training_attendance a JOIN training_session s ON s.id = a.session_id "
                       "WHERE s.cohort_id = ? AND s.date >= ?", running, today)
        assert one("SELECT COUNT(*) FROM training_assessment a JOIN training_participant p ON p.id = a.participant_id "
                   "WHERE p.cohort_id = ?", running)
    assert re.search(r"^\s+pelatih-ntb\s", output, re.M), output


def test_demo_has_groups_in_two_provinces_posted_to_graduates(demo_dir):
    data_dir, _ = demo_dir
    with sqlite3.connect(data_dir / "sukarela.sqlite3") as db:
        provinces = db.execute(
            "SELECT substr(g.village_id, 1, 2), COUNT(*) FROM assignments_posting p "
            "JOIN groups_group g ON g.id = p.group_id WHERE p.ends_on IS NULL GROUP BY 1").fetchall()
        graduates = db.execute("SELECT COUNT(*) FROM assignments_posting p JOIN training_participant t "
                               "ON t.volunteer_id = p.mentor_id WHERE t.status = 'graduated'").fetchone()[0]
        postings = db.execute("SELECT COUNT(*) FROM assignments_posting").fetchone()[0]
    assert {code for code, _n in provinces} == {"32", "52"} and all(n >= 20 for _c, n in provinces)
    assert graduates == postings


def test_demo_twice_adds_nothing(demo_dir):
    data_dir, _ = demo_dir
    before = _counts(data_dir)
    again = _demo(data_dir)
    assert again.returncode == 0, again.stderr[-3000:]
    assert _counts(data_dir) == before


@contextlib.contextmanager
def _serving(data_dir, *extra):
    """`sukarela serve` in a session of its own, answering on /healthz: (base URL, process)."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sukarela", "serve", "--port", str(port), "--workers", "1", "--threads", "2", *extra],
        env=_env(data_dir), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, body = _get(base + "/healthz")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(server.stdout.read().decode()[-3000:]) from None
                time.sleep(0.3)
        assert status == 200 and '"database": "ok"' in body
        yield base, server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, 15)
        server.wait(timeout=20)


@pytest.fixture(scope="module")
def server(demo_dir):
    with _serving(demo_dir[0]) as running:
        yield running


@pytest.fixture(scope="module")
def served(server):
    return server[0]


def test_serve_answers_with_pages_and_static_files(served):
    status, _, page = _get(served + "/masuk/")
    assert status == 200 and "csrfmiddlewaretoken" in page
    css = re.search(r'href="(/static/sukarela/sukarela\.[0-9a-f]+\.css)"', page)
    assert css, "stylesheet not served under a hashed name (collectstatic manifest missing?)"
    status, headers, _ = _get(served + css.group(1))
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert "max-age=315360000" in headers["Cache-Control"]  # WhiteNoise's immutable files
    htmx = re.search(r'src="(/static/htmx/htmx\.min\.[0-9a-f]+\.js)"', page)
    assert htmx and _get(served + htmx.group(1))[0] == 200


def _login(base, username):
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/masuk/", timeout=5).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"username": username, "password": "sukarela-demo", "csrfmiddlewaretoken": token})
    request = urllib.request.Request(base + "/masuk/", data=form.encode(), headers={"Referer": base + "/masuk/"})
    home = opener.open(request, timeout=5).read().decode()
    assert "Selamat datang" in home, home[:2000]
    return opener


def test_demo_officers_log_in_and_see_their_scope(served):
    national = _login(served, "nasional").open(served + "/api/users?limit=500", timeout=5)
    everyone = {u["username"]: u["region"] for u in json.loads(national.read())["items"]}
    assert {"bogor", "garut", "tks-5203-1"} <= set(everyone)
    district = _login(served, "bogor")
    listed = json.loads(district.open(served + "/api/users?limit=500", timeout=5).read())["items"]
    assert listed and all(u["region"] == "32.01" or u["region"].startswith("32.01.") for u in listed)
    assert {u["username"] for u in listed} == {n for n, r in everyone.items() if r and r.startswith("32.01")}
    page = district.open(served + "/pengguna/", timeout=5).read().decode()
    assert "tks-3201-1" in page and "tks-3205-1" not in page and "tks-5203-1" not in page


def _schedulers(parent: int) -> list[int]:
    """The `sukarela scheduler` processes whose parent is `parent` (read from Linux's /proc)."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry.name}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if int(fields[1]) == parent and fields[0] not in "ZX" and b"scheduler" in argv:
            found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in "ZX"
    except OSError:
        return False


def test_serve_starts_the_scheduler_beside_granian(server):
    _base, process = server
    [pid] = _schedulers(process.pid)
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        assert f.read().split(b"\0")[-3:-1] == [b"--parent", str(process.pid).encode()]


def test_the_scheduler_ends_with_the_server(demo_dir):
    with _serving(demo_dir[0]) as (_base, process):
        deadline = time.monotonic() + 10
        while not (found := _schedulers(process.pid)) and time.monotonic() < deadline:
            time.sleep(0.2)
        [pid] = found
        os.kill(process.pid, 15)  # granian alone, not its process group: the scheduler must notice
        process.wait(timeout=20)
        deadline = time.monotonic() + 10
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _running(pid), "the scheduler outlived the server"


def test_serve_without_the_scheduler(demo_dir):
    with _serving(demo_dir[0], "--no-scheduler") as (_base, process):
        assert _schedulers(process.pid) == []
