"""No query string makes a dashboard, the map or the figures API fail: a bad value is a form error,
a 404 or a 422, never a 500."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.monitoring.dashboard_data import small_programme

NOISE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
PARAMS = st.fixed_dictionaries({}, optional={"periode": NOISE, "indikator": NOISE, "region": NOISE,
                                             "period": NOISE, "indicator": NOISE, "months": NOISE,
                                             "unduh": st.sampled_from(["csv", "xlsx", "pdf", ""]),
                                             "tabel": NOISE, "page": NOISE})
URLS = ["/pantau/nasional/", "/pantau/wilayah/32.01/", "/pantau/peta/", "/pantau/anggaran/",
        "/api/monitoring/figures", "/api/monitoring/children", "/api/monitoring/trend", "/api/monitoring/map",
        "/api/monitoring/groups"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.sampled_from(URLS), params=PARAMS)
def test_no_query_string_is_a_server_error(client, world, url, params):
    if not hasattr(world, "_programme"):
        small_programme()
        world._programme = True
    client.force_login(world.national)
    response = client.get(url, params)
    assert response.status_code in (200, 404, 422), (url, params, response.status_code)
