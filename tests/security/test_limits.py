"""Badge verification needs no account, so each address has an allowance (settings
verify_rate_limit), and so has signing up (sign_up_rate_limit); past it the API and the pages
answer 429 and say when to try again. Signing in slows guessing down without ever locking an
account's owner out."""

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from api.request_limits import Limiter
from config import Settings, SettingsError, get_settings
from models import LoginAttempt, utcnow
from services.errors import NotSignedIn, TooManyAttempts
from services.people import accounts
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
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
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
    assert int(refused.headers["Retry-After"]) >= 1


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


def test_signing_up_has_an_allowance_per_address(client: TestClient) -> None:
    client.app.state.sign_up_limiter = Limiter("2/hour")  # type: ignore[attr-defined]
    # A form sent back to be corrected makes no account: it does not count.
    typo = webforms.post(client, "/signup", {"role": "volunteer", "display_name": "Typo"})
    assert typo.status_code == 422
    for n in range(2):
        client.cookies.clear()
        made = webforms.post(
            client,
            "/signup",
            {
                "role": "volunteer",
                "display_name": f"Person {n}",
                "email": f"person{n}@example.org",
                "password": webforms.PASSWORD,
            },
        )
        assert made.status_code == 303
    client.cookies.clear()
    refused = webforms.post(
        client,
        "/signup",
        {"role": "volunteer", "display_name": "Third", "email": "third@example.org"},
        headers={"Accept-Language": "en"},
    )
    assert refused.status_code == 429
    assert "Too many attempts: wait" in refused.text
    assert int(refused.headers["Retry-After"]) > 60
    assert 'value="third@example.org"' in refused.text  # what was typed is kept


OWNER = "owner@example.org"
RIGHT = "the right password"


def _failures(session: Session, count: int, *, ago: timedelta, address: str | None = None) -> None:
    """Failed sign-ins on the owner's account, the last one `ago`, from many addresses (a
    botnet) or from one."""
    last = utcnow() - ago
    for n in range(count):
        session.add(
            LoginAttempt(
                email=OWNER,
                address=address or f"203.0.113.{n}",
                at=last - timedelta(seconds=count - 1 - n),
                succeeded=False,
            )
        )
    session.commit()


def test_failing_on_purpose_cannot_lock_the_owner_out(session: Session) -> None:
    accounts.sign_up(session, email=OWNER, password=RIGHT, display_name="Owner", locale="en")
    accounts.sign_in(session, email=OWNER, password=RIGHT, address="198.51.100.1")
    _failures(session, 40, ago=timedelta(seconds=1))
    # From an address the owner signed in from: at once.
    accounts.sign_in(session, email=OWNER, password=RIGHT, address="198.51.100.1")
    # From a new address: a delay of a minute at most after the last failure, said in seconds.
    with pytest.raises(TooManyAttempts) as waiting:
        accounts.sign_in(session, email=OWNER, password=RIGHT, address="198.51.100.2")
    assert 1 <= waiting.value.retry_after <= 60
    # A minute after the last failure, however many there were: in.
    for attempt in session.exec(select(LoginAttempt).where(col(LoginAttempt.succeeded).is_(False))):
        attempt.at -= timedelta(seconds=61)
    session.commit()
    accounts.sign_in(session, email=OWNER, password=RIGHT, address="198.51.100.2")


def test_delays_grow_with_each_failure_and_one_address_waits_out_the_window(
    session: Session,
) -> None:
    accounts.sign_up(session, email=OWNER, password=RIGHT, display_name="Owner", locale="en")
    waits = []
    for n in range(accounts.FAILURES_PER_ACCOUNT + 4):
        try:
            accounts.sign_in(session, email=OWNER, password=f"wrong {n}", address=f"192.0.2.{n}")
        except NotSignedIn:
            waits.append(0)
        except TooManyAttempts as exc:
            waits.append(exc.retry_after)
            # as if the guesser had waited: the failure lands after the delay
            _failures(session, 1, ago=timedelta(0), address=f"192.0.2.{n}")
    assert waits[: accounts.FAILURES_PER_ACCOUNT] == [0] * accounts.FAILURES_PER_ACCOUNT
    assert waits[accounts.FAILURES_PER_ACCOUNT :] == [1, 2, 4, 8]
    # An address past its own allowance (a guesser, or an office of many people) slows down
    # the same way, a minute at most, even for another account's right password.
    _failures(session, accounts.FAILURES_PER_ADDRESS + 30, ago=timedelta(0), address="192.0.2.200")
    with pytest.raises(TooManyAttempts) as refused:
        accounts.sign_in(session, email="other@example.org", password=RIGHT, address="192.0.2.200")
    assert refused.value.retry_after == 60
