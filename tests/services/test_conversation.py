"""A mission's conversation: its volunteer and its association's members write to each other,
the other side is told (never the author), strangers are told the mission does not exist,
admins read without writing, and a message is 1 to MESSAGE_LENGTH characters, shown as
written — through the use-case, the API and the pages, in French and in English."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from models import (
    MESSAGE_LENGTH,
    InvalidData,
    MissionInitiator,
    NotFound,
    Notification,
    NotificationKind,
    persisted_id,
    queries,
)
from services import workflow
from services.actors import actor_of, create_token
from services.errors import NotAllowed
from services.notifications import conversation
from tests import factories
from tests.factories import Cast, cast
from tests.webforms import post, sign_in


def _told(session: Session, mission_id: int) -> list[tuple[int, dict[str, object]]]:
    rows = session.exec(
        select(Notification)
        .where(
            col(Notification.mission_id) == mission_id,
            col(Notification.kind) == NotificationKind.MESSAGE,
        )
        .order_by(col(Notification.id))
    )
    return [(row.account_id, row.params) for row in rows]


def _application(session: Session) -> tuple[Cast, int]:
    """A volunteer's application, not yet answered: the conversation is open already."""
    people = cast(session)
    mission = workflow.propose(session, people.volunteer, people.need_id)
    return people, persisted_id(mission.id)


def test_both_sides_write_and_each_is_told_of_the_others(session: Session) -> None:
    people, mission_id = _application(session)
    second = factories.make_member(session, people.organisation_id)
    session.commit()
    asked = conversation.post(session, people.volunteer, mission_id, "  Quand peut-on parler ?\n")
    assert asked.body == "Quand peut-on parler ?"  # the spaces around it are not kept
    assert asked.side is MissionInitiator.VOLUNTEER
    assert sorted(a for a, _ in _told(session, mission_id)) == sorted(
        [people.member.account_id, persisted_id(second.id)]
    )
    conversation.post(session, people.member, mission_id, "Mardi à 18 h ?")
    told = _told(session, mission_id)
    assert told[-1] == (
        people.volunteer.account_id,
        {"need_id": people.need_id, "excerpt": "Mardi à 18 h ?"},
    )
    assert people.member.account_id not in [a for a, _ in told[2:]]  # not of their own words

    seen = conversation.messages(session, people.member, mission_id)
    assert [(s.body, s.side, s.author, s.own) for s in seen] == [
        (
            "Quand peut-on parler ?",
            MissionInitiator.VOLUNTEER,
            people.volunteer.display_name,
            False,
        ),
        ("Mardi à 18 h ?", MissionInitiator.ASSOCIATION, people.member.display_name, True),
    ]
    assert [s.own for s in conversation.messages(session, people.volunteer, mission_id)] == [
        True,
        False,
    ]


def test_strangers_are_told_nothing_and_admins_only_read(session: Session) -> None:
    people, mission_id = _application(session)
    others = cast(session)
    conversation.post(session, people.volunteer, mission_id, "Bonjour")
    for stranger in (others.volunteer, others.member):
        with pytest.raises(NotFound):
            conversation.messages(session, stranger, mission_id)
        with pytest.raises(NotFound):
            conversation.post(session, stranger, mission_id, "Bonjour")
    admin = actor_of(session, factories.make_account(session, is_platform_admin=True))
    session.commit()
    assert [s.body for s in conversation.messages(session, admin, mission_id)] == ["Bonjour"]
    with pytest.raises(NotAllowed):
        conversation.post(session, admin, mission_id, "Je lis tout")
    assert len(queries.notifications.messages_of(session, mission_id)) == 1


def test_a_message_is_one_to_a_page_of_characters(session: Session) -> None:
    people, mission_id = _application(session)
    for empty in ("", "   \n\t "):
        with pytest.raises(InvalidData) as refused:
            conversation.post(session, people.volunteer, mission_id, empty)
        assert refused.value.field == "body"
    with pytest.raises(InvalidData) as too_long:
        conversation.post(session, people.volunteer, mission_id, "a" * (MESSAGE_LENGTH + 1))
    assert too_long.value.field == "body"
    assert str(MESSAGE_LENGTH) in str(too_long.value)
    session.rollback()
    # A browser sends each line break as two characters but counted it as one.
    lines = ("b" * 99 + "\r\n") * (MESSAGE_LENGTH // 100)
    kept = conversation.post(session, people.volunteer, mission_id, lines)
    assert len(kept.body) == MESSAGE_LENGTH - 1  # the last line break is stripped
    assert "\r" not in kept.body
    excerpt = _told(session, mission_id)[-1][1]["excerpt"]
    assert isinstance(excerpt, str)
    assert len(excerpt) <= conversation.EXCERPT + 1
    assert excerpt.endswith("…")
    with pytest.raises(InvalidData) as nul:
        conversation.post(session, people.volunteer, mission_id, "a\x00b")
    assert nul.value.field == "body"
    session.rollback()
    assert len(queries.notifications.messages_of(session, mission_id)) == 1


def test_the_api_reads_and_writes_the_conversation(client: TestClient, session: Session) -> None:
    people, mission_id = _application(session)
    volunteer = {"Authorization": f"Bearer {create_token(session, people.volunteer_email)}"}
    member = {"Authorization": f"Bearer {create_token(session, people.member.email)}"}
    stranger = {"Authorization": f"Bearer {create_token(session, cast(session).volunteer_email)}"}
    path = f"/api/v1/missions/{mission_id}/messages"
    written = client.post(path, json={"body": "<b>Bonjour</b>"}, headers=volunteer)
    assert written.status_code == 201, written.text
    assert written.json() | {"id": 0, "created_at": ""} == {
        "id": 0,
        "mission_id": mission_id,
        "side": "volunteer",
        "author": people.volunteer.display_name,
        "body": "<b>Bonjour</b>",
        "created_at": "",
        "own": True,
    }
    assert client.post(path, json={"body": "Bienvenue"}, headers=member).status_code == 201
    read = client.get(path, headers=member).json()
    assert [(m["body"], m["own"]) for m in read] == [("<b>Bonjour</b>", False), ("Bienvenue", True)]
    for body in (" ", "x" * (MESSAGE_LENGTH + 1)):
        refused = client.post(path, json={"body": body}, headers=member)
        assert refused.status_code == 422
        assert refused.json()["field"] == "body"
    assert client.post(path, json={}, headers=member).status_code == 422
    assert client.get(path, headers=stranger).status_code == 404
    assert client.post(path, json={"body": "Hello"}, headers=stranger).status_code == 404
    assert client.get(path).status_code == 401
    assert len(client.get(path, headers=volunteer).json()) == 2


def _page(client: TestClient, path: str, language: str) -> str:
    response = client.get(path, headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_pages_show_the_conversation_escaped(
    client: TestClient, session: Session, language: str
) -> None:
    people, mission_id = _application(session)
    slug = queries.credentials.organisations_by_id(session, [people.organisation_id])[
        people.organisation_id
    ].slug
    client.headers["Accept-Language"] = language  # the flashed messages' language too
    sign_in(client, session, people.volunteer_email)
    mine = f"/me/missions/{mission_id}"
    sent = post(client, f"{mine}/messages", {"body": "<script>alert(1)</script>\nÀ bientôt"})
    assert sent.status_code == 303
    assert sent.headers["location"] == f"{mine}#conversation"
    shown = _page(client, mine, language)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\nÀ bientôt" in shown
    assert "<script>alert" not in shown
    assert ("Votre message est envoyé." if language == "fr" else "Your message is sent.") in shown

    refused = post(client, f"{mine}/messages", {"body": "  "})
    assert refused.headers["location"] == f"{mine}?conversation=refused#write"
    again = _page(client, refused.headers["location"], language)
    wanted = {"fr": "Écrivez un message de 1 à 4\u202f000 caractères.", "en": "1 to 4,000"}
    assert wanted[language] in again
    assert 'aria-invalid="true"' in again
    # Another space's form is not the volunteer's: the mission does not exist there.
    assert (
        post(client, f"/org/{slug}/missions/{mission_id}/messages", {"body": "x"}).status_code
        == 404
    )

    client.cookies.clear()
    sign_in(client, session, people.member.email)
    theirs = f"/org/{slug}/missions/{mission_id}"
    assert post(client, f"{theirs}/messages", {"body": "Bienvenue !"}).status_code == 303
    seen = _page(client, theirs, language)
    assert 'id="conversation"' in seen
    assert "&lt;script&gt;" in seen
    assert "Bienvenue !" in seen
    assert people.volunteer.display_name in seen
    assert post(client, f"{mine}/messages", {"body": "x"}).status_code == 404
