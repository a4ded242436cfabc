"""The field app's server side: the shell page (TKS only), its service worker and web manifest.
What runs in the phone's browser is tested in tests/browser/test_field_app.py."""

import datetime as dt
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from sukarela.mentoring.views import field as field_views
from tests.scope_harness import RouteCase

pytestmark = pytest.mark.django_db


class TestFieldAppPage(RouteCase):
    """Only a TKS records visits: every other role gets a 403 page that says so."""

    route = "mentoring:field_app"
    insider = "tks_in"
    outsider = "district"
    outsider_status = 403

    def url(self, obj):
        return reverse("mentoring:field_app")


def _config(response) -> dict:
    match = re.search(r'<script id="field-config" type="application/json">(.*?)</script>', response.content.decode(), re.S)
    return json.loads(match.group(1))


def test_shell_carries_what_the_script_needs(client, world):
    client.force_login(world.tks_in)
    response = client.get("/lapangan/")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    html = response.content.decode()
    assert '<link rel="manifest" href="/lapangan/manifest.webmanifest">' in html
    for script in field_views.SCRIPTS:
        assert f'src="/static/{script}"' in html
    config = _config(response)
    assert config["user"] == {"id": world.tks_in.pk, "full_name": world.tks_in.full_name}
    assert config["csrf"] and config["urls"]["sw"] == "/lapangan/sw.js"
    strings = config["strings"]
    assert strings["states"] == {"menunggu": "menunggu", "mengirim": "mengirim", "terkirim": "terkirim",
                                 "konflik": "konflik", "ditolak": "ditolak"}
    assert strings["fields"]["started_at"] == "Mulai" and strings["fields"]["group"] == "Kelompok"
    assert strings["indicator_fields"]["turnover"] == "Omzet sebulan (Rp)"
    # The form: photos from the camera, kinds from the model, the indicators optional.
    assert 'type="file" accept="image/*" capture="environment"' in html
    assert 'value="kegiatan"' in html and "Indikator kelompok (tidak wajib)" in html


def test_other_roles_get_a_clear_403(client, world):
    for user in (world.district, world.national):
        client.force_login(user)
        response = client.get("/lapangan/")
        assert response.status_code == 403
        assert "Aplikasi lapangan hanya untuk TKS" in response.content.decode()


def test_service_worker_is_served_fresh_and_precaches_the_shell(client, world):
    response = client.get("/lapangan/sw.js")  # public: the browser re-checks it without a session
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    version = field_views.cache_version()
    assert f'const CACHE = "lapangan-{version}";' in body
    precache = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", body).group(1))
    assert precache == [f"/static/{name}" for name in field_views.ASSETS]
    for name in field_views.ASSETS:
        assert finders.find(name), name
    assert 'const SHELL = "/lapangan/";' in body and 'const BOOTSTRAP = "/api/field/bootstrap";' in body


def test_cache_version_follows_the_files(monkeypatch, tmp_path):
    before = field_views.cache_version()
    assert before == field_views.cache_version()
    changed = tmp_path / "app.js"
    changed.write_text("// a new deploy\n")
    real = finders.find
    monkeypatch.setattr(finders, "find", lambda name: str(changed) if name.endswith("app.js") else real(name))
    assert field_views.cache_version() != before


def test_manifest_makes_the_app_installable(client):
    response = client.get("/lapangan/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Sukarela Lapangan" and manifest["short_name"]
    assert manifest["start_url"] == "/lapangan/" and manifest["scope"] == "/lapangan/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon
        if icon["type"] == "image/png":
            with Image.open(path) as image:
                assert f"{image.width}x{image.height}" == icon["sizes"]


def test_a_tks_finds_the_app_on_their_home_page(client, world):
    client.force_login(world.tks_in)
    assert 'href="/lapangan/"' in client.get("/").content.decode()
    client.force_login(world.district)
    assert 'href="/lapangan/"' not in client.get("/").content.decode()


# --- the phone's history: GET /api/field/visits?since= read page by page --------------------------

def _ms(iso: str) -> dt.datetime:
    """A time as the phone holds it: JavaScript's Date keeps milliseconds."""
    t = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return t.replace(microsecond=t.microsecond // 1000 * 1000)


def read_history(client, since: dt.datetime, page=field_views.HISTORY_PAGE, between_pages=lambda n: None):
    """What the phone's refreshHistory (outbox.js) does: from `since`, page after page, each right
    after the last row read (the page's `next`), until a short page."""
    seen, after, requests = [], None, 0
    while True:
        params = {"since": since.isoformat(), "limit": page, **({"after": after} if after else {})}
        response = client.get("/api/field/visits", params)
        assert response.status_code == 200, response.content
        requests += 1
        data = response.json()
        seen += data["items"]
        if len(data["items"]) < page:
            return seen, requests
        between_pages(requests)
        after = data["next"]


def test_history_pages_through_more_than_a_page_of_changes_missing_none(client, field_world):
    """130 changed visits, 110 of them changed at the very same moment (a supervisor approving a
    batch), and a visit already read changed again between two pages: every change reaches the
    phone, oldest first by (updated_at, id), the last one with its new status."""
    from sukarela.mentoring.models import Visit
    from sukarela.mentoring.services import visits as visit_services
    from tests.mentoring.conftest import visit_payload

    tks, group = field_world.tks, field_world.groups[0]
    start = timezone.now() - dt.timedelta(days=10)
    ids = []
    for n in range(130):
        body = visit_payload(group, started_at=(start + dt.timedelta(minutes=90 * n)).isoformat(), attendance=[])
        ids.append(visit_services.submit(tks, body)[0].pk)
    batch = timezone.now() + dt.timedelta(seconds=1)
    Visit.objects.filter(pk__in=ids[:110]).update(updated_at=batch)
    for n, pk in enumerate(ids[110:]):
        Visit.objects.filter(pk=pk).update(updated_at=batch + dt.timedelta(milliseconds=1500 + 3 * n))
    client.force_login(tks)

    moved = {}

    def review_one_already_read(request_no):
        if request_no == 1:  # the first page is in; one of its visits is returned to the TKS now
            pk = ids[5]
            Visit.objects.filter(pk=pk).update(status="dikembalikan", review_comment="Lengkapi",
                                               updated_at=timezone.now() + dt.timedelta(seconds=5))
            moved["pk"] = str(pk)

    seen, requests = read_history(client, batch - dt.timedelta(minutes=5), between_pages=review_one_already_read)
    assert requests >= 2
    assert {v["id"] for v in seen} == {str(pk) for pk in ids}  # none missed
    last = [v for v in seen if v["id"] == moved["pk"]][-1]
    assert last["status"] == "dikembalikan" and last["review_comment"] == "Lengkapi"
    first_page = seen[:field_views.HISTORY_PAGE]
    keys = [(_ms(v["updated_at"]), v["id"]) for v in first_page]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    assert [v["id"] for v in first_page] == sorted(str(pk) for pk in ids[:110])[:field_views.HISTORY_PAGE]
    # Read again from a few minutes before the last change (as the phone's next refresh does):
    # everything again, harmlessly, and nothing new.
    again, _ = read_history(client, _ms(seen[-1]["updated_at"]) - dt.timedelta(minutes=5))
    assert {v["id"] for v in again} == {str(pk) for pk in ids}


def test_history_refuses_a_cursor_it_did_not_make(client, field_world):
    client.force_login(field_world.tks)
    for bad in ("kemarin|123", "2025-01-01T00:00:00|00000000-0000-0000-0000-000000000000", "2025-01-01T00:00:00+00:00"):
        response = client.get("/api/field/visits", {"after": bad})
        assert response.status_code == 422, bad
        assert response.json()["detail"][0]["loc"][-1] == "after", bad
    assert client.get("/api/field/visits").json()["next"] is None  # nothing yet: no cursor
