"""Logging out clears the browser's cached pages; the field app's stored visits only when it asks."""

from django.urls import reverse

from sukarela.core.views import SIGNED_IN_COOKIE


def test_a_plain_logout_clears_the_cache_but_never_the_queued_visits(client, world):
    client.force_login(world.tks_in)
    response = client.post(reverse("core:logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'
    assert response.cookies[SIGNED_IN_COOKIE]["max-age"] == 0
    assert "_auth_user_id" not in client.session


def test_the_field_apps_logout_after_its_warning_clears_storage_too(client, world):
    client.force_login(world.tks_in)
    response = client.post(reverse("core:logout"), {"clear_storage": "1"})
    assert response["Clear-Site-Data"] == '"cache", "storage"'
