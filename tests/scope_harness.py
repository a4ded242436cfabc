"""The scope harness: one subclass per view or API endpoint proves the access rules.

In the spirit of NetBox's ViewTestCases. A subclass names its `route` (a URL name
such as "core:user_detail", or "METHOD /api/path" as in the OpenAPI document) and
says how to make a target object inside and outside the viewer's scope. It then
inherits four tests:

- anonymous is refused (login redirect for pages, 401 for the API);
- an outsider gets `outsider_status` (404 for an object outside their region,
  403 for a role that may not use the route) and changes nothing;
- an insider gets `ok_status`;
- a write leaves an audit record with `audit_action`.

`ListCase` adds: a list shows inside objects and never outside ones, in its rows
or in its count. tests/test_routes_covered.py fails when a route has no case.
"""

import json

from sukarela.core.models import AuditEvent


class RouteCase:
    route = ""
    method = "get"
    ok_status = 200
    outsider_status = 404
    audit_action: str | None = None
    insider = "district"  # attribute of the `world` fixture that makes the request
    outsider = "district"

    # --- what a subclass provides -------------------------------------------------
    def make(self, world, where: str):
        """Create the target object: where is "in" or "out" of the viewer's scope."""
        return None

    def url(self, obj) -> str:
        raise NotImplementedError

    def data(self, obj, world) -> dict | None:
        return None

    # --- plumbing -----------------------------------------------------------------
    @property
    def is_api(self) -> bool:
        return " /api/" in self.route

    def request(self, client, obj, world):
        method = getattr(client, self.method)
        data = self.data(obj, world)
        if self.is_api and data is not None:
            return method(self.url(obj), data=json.dumps(data), content_type="application/json")
        return method(self.url(obj), data=data) if data is not None else method(self.url(obj))

    def test_anonymous_is_refused(self, client, world):
        obj = self.make(world, "in")
        before = AuditEvent.objects.count()
        response = self.request(client, obj, world)
        if self.is_api:
            assert response.status_code == 401, response.content
        else:
            assert response.status_code == 302, response.status_code
            assert "/masuk/" in response["Location"]
        assert AuditEvent.objects.count() == before

    def test_outsider_is_refused(self, client, world):
        obj = self.make(world, "out")
        client.force_login(getattr(world, self.outsider))
        before = AuditEvent.objects.count()
        response = self.request(client, obj, world)
        assert response.status_code == self.outsider_status, response.content[:500]
        assert AuditEvent.objects.count() == before, "a refused request wrote to the audit trail"
        self.assert_not_leaked(response, obj)

    def test_insider_works(self, client, world):
        obj = self.make(world, "in")
        client.force_login(getattr(world, self.insider))
        before = AuditEvent.objects.count()
        response = self.request(client, obj, world)
        assert response.status_code == self.ok_status, response.content[:1000]
        if self.audit_action:
            event = AuditEvent.objects.order_by("-id").first()
            assert AuditEvent.objects.count() == before + 1
            assert event.action == self.audit_action
            assert event.actor == getattr(world, self.insider)
            assert event.changes, "the audit record names no changed field"
        else:
            assert AuditEvent.objects.count() == before

    def assert_not_leaked(self, response, obj):
        marker = self.marker(obj) if obj is not None else None
        if marker:
            assert marker not in response.content.decode(), "an out-of-scope object leaked into a refusal"

    def marker(self, obj) -> str | None:
        return None


class ListCase(RouteCase):
    """A list (page or API) of scoped objects; `marker(obj)` is text that identifies one row."""

    def list_url(self, world) -> str:
        return self.url(None)

    def test_list_hides_outside_objects(self, client, world):
        inside, outside = self.make(world, "in"), self.make(world, "out")
        client.force_login(getattr(world, self.insider))
        response = client.get(self.list_url(world))
        assert response.status_code == 200
        body = response.content.decode()
        assert self.marker(inside) in body
        assert self.marker(outside) not in body
        if self.is_api:
            payload = response.json()
            expected = self.expected_count(world)
            assert payload["count"] == expected == len(payload["items"])

    def expected_count(self, world) -> int:
        raise NotImplementedError
