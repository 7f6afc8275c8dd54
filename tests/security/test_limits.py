"""Badge verification needs no account, so each address has an allowance (settings
verify_rate_limit); past it the API and the page answer 429 and say when to try again."""

import pytest
from fastapi.testclient import TestClient

from api.request_limits import Limiter
from config import Settings, SettingsError, get_settings
from tests import webforms

BADGE = "not a badge at all"


def test_the_api_refuses_past_the_allowance(client: TestClient) -> None:
    client.app.state.verify_limiter = Limiter("3/minute")  # type: ignore[attr-defined]
    for _ in range(3):
        assert client.post("/api/v1/verify", json={"badge": BADGE}).status_code == 200
    refused = client.post("/api/v1/verify", json={"badge": BADGE})
    assert refused.status_code == 429
    body = refused.json()
    assert body["code"] == "too_many_attempts"
    assert "at most 3 per 1 minute" in body["detail"]
    assert "try again in" in body["detail"]
    # Uploads count against the same allowance.
    upload = client.post("/api/v1/verify/upload", files={"file": ("b.json", b"{}")})
    assert upload.status_code == 429


def test_the_page_refuses_past_the_allowance(client: TestClient) -> None:
    client.app.state.verify_limiter = Limiter("2/minute")  # type: ignore[attr-defined]
    for _ in range(2):
        assert webforms.post(client, "/verify", {"badge": BADGE}).status_code == 200
    refused = webforms.post(client, "/verify", {"badge": BADGE})
    assert refused.status_code == 429
    assert "try again in" in refused.text


def test_a_rate_that_cannot_be_read_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PROBONO_VERIFY_RATE_LIMIT", "lots")
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError, match="verify_rate_limit"):
            get_settings()
    finally:
        get_settings.cache_clear()
    assert Settings(verify_rate_limit="1000/hour").verify_rate_limit == "1000/hour"
