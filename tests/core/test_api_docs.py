"""The API is described by OpenAPI, and its documentation page loads nothing from the internet."""

import re


def test_openapi_document_describes_the_scoped_endpoints(client, db):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Sukarela API"
    assert {"/api/users", "/api/users/{user_id}", "/api/regions", "/api/audit", "/api/me"} <= set(schema["paths"])
    assert {"TokenAuth", "CookieSessionAuth"} <= set(schema["components"]["securitySchemes"])


def test_docs_page_uses_only_local_assets(client, db):
    html = client.get("/api/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui" in s for s in sources), sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))], sources
