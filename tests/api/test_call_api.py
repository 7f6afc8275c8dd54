"""The first call through the API: the association proposes times, the volunteer reads and
chooses one, both download the booked call as a calendar file in their own zone; bad times
say which field is at fault, and a second time after booking is a conflict."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlmodel import Session

from models import Account
from services.actors import create_token
from tests.factories import cast
from tests.services.test_calls import PARIS, accepted, local


def _bearer(session: Session, email: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(session, email)}"}


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def test_propose_choose_and_download_the_call(client: TestClient, session: Session) -> None:
    people = cast(session)
    mission_id = accepted(session, people)
    member = session.get(Account, people.member.account_id)
    assert member is not None
    member.timezone = "America/Toronto"
    session.commit()
    volunteer_h = _bearer(session, people.volunteer_email)
    member_h = _bearer(session, people.member.email)
    url = f"/api/v1/missions/{mission_id}/call"
    assert _ok(client.get(url, headers=volunteer_h)) == {
        "mission_id": mission_id,
        "slots": [],
        "chosen": None,
    }
    first, second = local(3, 10), local(4, 16)
    body = {
        "slots": [
            {"starts_at": first.isoformat(), "timezone": PARIS},
            {"starts_at": second.isoformat(), "timezone": PARIS},
        ],
        "minutes": 60,
    }
    proposed = _ok(client.post(f"{url}/slots", json=body, headers=member_h), 201)
    assert [s["minutes"] for s in proposed["slots"]] == [60, 60]
    starts = [datetime.fromisoformat(s["starts_at"]) for s in proposed["slots"]]
    assert starts[0] == first.replace(tzinfo=ZoneInfo(PARIS))
    assert datetime.fromisoformat(proposed["slots"][0]["ends_at"]) - starts[0] == timedelta(hours=1)
    read = _ok(client.get(url, headers=volunteer_h))
    assert read["slots"] == proposed["slots"]
    assert client.get(f"{url}.ics", headers=volunteer_h).status_code == 409  # not booked yet

    slot_id = read["slots"][1]["id"]
    chosen = _ok(client.post(f"{url}/choice", json={"slot_id": slot_id}, headers=volunteer_h))
    assert chosen["id"] == slot_id
    assert chosen["chosen_at"] is not None
    again = _ok(client.post(f"{url}/choice", json={"slot_id": slot_id}, headers=volunteer_h))
    assert again == chosen  # idempotent
    other = read["slots"][0]["id"]
    refused = client.post(f"{url}/choice", json={"slot_id": other}, headers=volunteer_h)
    assert refused.status_code == 409
    assert refused.json()["code"] == "conflict"
    assert _ok(client.get(url, headers=member_h))["chosen"]["id"] == slot_id

    for headers, zone in ((volunteer_h, PARIS), (member_h, "America/Toronto")):
        response = client.get(f"{url}.ics", headers=headers)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/calendar")
        assert "invitation.ics" in response.headers["content-disposition"]
        ics = Calendar.from_ical(response.text)
        assert str(ics["method"]) == "PUBLISH"
        [event] = ics.walk("VEVENT")
        assert event["dtstart"].params["TZID"] == zone
        assert event.decoded("dtstart") == second.replace(tzinfo=ZoneInfo(PARIS))


def test_bad_times_name_their_field_and_only_the_right_side_acts(
    client: TestClient, session: Session
) -> None:
    people = cast(session)
    mission_id = accepted(session, people)
    url = f"/api/v1/missions/{mission_id}/call"
    member_h = _bearer(session, people.member.email)
    volunteer_h = _bearer(session, people.volunteer_email)
    past = {"slots": [{"starts_at": local(-2).isoformat(), "timezone": PARIS}]}
    refused = client.post(f"{url}/slots", json=past, headers=member_h)
    assert refused.status_code == 422
    assert refused.json()["field"] == "slots.0.starts_at"
    zone = {"slots": [{"starts_at": local(2).isoformat(), "timezone": "Paris"}]}
    assert client.post(f"{url}/slots", json=zone, headers=member_h).json()["field"] == (
        "slots.0.timezone"
    )
    four = {"slots": [{"starts_at": local(d).isoformat(), "timezone": PARIS} for d in range(2, 6)]}
    assert client.post(f"{url}/slots", json=four, headers=member_h).status_code == 422
    good = {"slots": [{"starts_at": local(2).isoformat(), "timezone": PARIS}]}
    assert client.post(f"{url}/slots", json=good, headers=volunteer_h).status_code == 403
    slot_id = _ok(client.post(f"{url}/slots", json=good, headers=member_h), 201)["slots"][0]["id"]
    choice = {"slot_id": slot_id}
    assert client.post(f"{url}/choice", json=choice, headers=member_h).status_code == 403
    missing = client.post(f"{url}/choice", json={"slot_id": slot_id + 1000}, headers=volunteer_h)
    assert missing.status_code == 422
    assert missing.json()["field"] == "slot_id"
    stranger = cast(session)
    stranger_h = _bearer(session, stranger.member.email)
    assert client.get(url, headers=stranger_h).status_code == 404
    assert client.post(f"{url}/slots", json=good, headers=stranger_h).status_code == 404
    assert client.get(url).status_code == 401
