"""Privacy: erasing people leaves every aggregate of a programme's report as it was; personal
data is kept only as long as configured (`probono retention apply`); and neither the logs nor
the answers carry a secret, a password, a token or a person's email. A person's messages are
in their data, and stay in the missions' conversations once they are erased, by nobody."""

import logging
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from cli import main
from config import Settings
from models import (
    Account,
    ApiToken,
    LoginAttempt,
    Membership,
    WebSession,
    persisted_id,
    queries,
    utcnow,
)
from reporting import figures
from services import workflow
from services.actors import create_token
from services.notifications import conversation
from services.people import accounts, retention
from tests import factories, webforms
from tests.reporting.scenario import build_scenario
from tests.reporting.test_reports import WHOLE


def _aggregates(report: figures.Report) -> dict[str, object]:
    """Everything of the report that counts, none of what names people."""
    return {
        "missions": dict(report.missions),
        "hours": (report.hours_declared, report.hours_approved),
        "associations": (report.associations_helped, report.small_associations_helped),
        "volunteers": (report.volunteers_engaged, report.volunteers_returning),
        "credentials": len(report.credentials),
        "teams": [(line.name, line.hours_approved) for line in report.by_team],
        "by_association": [(line.name, line.hours_approved) for line in report.by_association],
        "competences": report.by_area_level,
        "value": report.valuation.value,
        "reduction": report.valuation.reduction_estimate,
        "by_month": report.hours_by_month,
    }


def test_reports_stay_right_after_the_volunteers_are_erased(
    session: Session, settings: Settings
) -> None:
    scenario = build_scenario(session, settings)
    before = _aggregates(figures.build(session, settings, scenario.programme, WHOLE))
    volunteers = session.exec(
        select(Account).where(~col(Account.id).in_(select(Membership.account_id)))
    ).all()
    assert volunteers
    for account in volunteers:
        if not account.is_platform_admin:
            accounts.erase_account(session, account)
    session.expire_all()
    after = figures.build(session, settings, scenario.programme, WHOLE)
    assert _aggregates(after) == before
    assert before["value"] != 0  # the valuation, tied to the erased employees, is still there


def test_retention_deletes_what_is_past_its_time(session: Session, settings: Settings) -> None:
    now = utcnow()
    people = factories.cast(session)
    idle = session.get(Account, people.volunteer.account_id)
    member = session.get(Account, people.member.account_id)
    assert idle is not None
    assert member is not None
    idle.created_at = idle.last_login_at = now - timedelta(days=3 * 365)
    member.created_at = now - timedelta(days=3 * 365)  # old, but its API token is in use
    create_token(session, member.email)
    for api_token in session.exec(select(ApiToken).where(col(ApiToken.account_id) == member.id)):
        api_token.last_used_at = now
    session.add_all(
        [
            LoginAttempt(email="old@example.org", address="192.0.2.1", at=now - timedelta(days=31)),
            LoginAttempt(email="new@example.org", address="192.0.2.2", at=now),
        ]
    )
    session.commit()
    cookie = accounts.open_session(session, member)
    for web_session in session.exec(
        select(WebSession).where(col(WebSession.account_id) == member.id)
    ):
        web_session.expires_at = now - timedelta(seconds=1)
    session.commit()

    kept = retention.apply_retention(session, settings)  # idle_account_years unset
    assert kept.accounts_erased == 0
    assert kept.sign_ins_deleted >= 1
    assert kept.sessions_deleted >= 1
    emails = {a.email for a in session.exec(select(LoginAttempt)).all()}
    assert "old@example.org" not in emails
    assert "new@example.org" in emails
    assert accounts.account_of_session(session, cookie) is None

    done = retention.apply_retention(session, settings.model_copy(update={"idle_account_years": 2}))
    assert done.accounts_erased >= 1
    session.expire_all()
    erased = session.get(Account, people.volunteer.account_id)
    assert erased is not None
    assert erased.email.endswith("@erased.invalid")
    still = session.get(Account, people.member.account_id)
    assert still is not None
    assert still.is_active
    assert still.email == member.email


def test_the_retention_command_says_what_it_did(
    cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate"]) == 0
    capsys.readouterr()
    assert main(["retention", "apply"]) == 0
    out = capsys.readouterr().out
    assert "sign-in attempts older than 30 days" in out
    assert "idle accounts kept" in out


def test_no_secret_password_token_or_email_in_logs_or_answers(
    client: TestClient, session: Session, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    people = factories.cast(session)
    token = create_token(session, people.volunteer.email)
    secrets = {
        "secret key": settings.secret("secret_key").get_secret_value(),
        "key-encryption key": settings.secret("key_encryption_key").get_secret_value(),
        "password": webforms.PASSWORD,
        "token": token,
        "email": people.volunteer.email,
    }
    caplog.set_level(logging.DEBUG)
    answers = [
        webforms.post(
            client, "/signin", {"email": people.volunteer.email, "password": webforms.PASSWORD}
        ),
        client.get("/api/v1/missions", headers={"Authorization": f"Bearer {token}x"}),
        client.get("/api/v1/missions", headers={"Authorization": f"Bearer {token}"}),
        client.post(
            "/api/v1/verify",
            json={"badge": "eyJhbGciOiJub25lIn0.e30.", "email": people.volunteer.email},
        ),
        client.get(
            "/api/v1/needs/2147483647/matches", headers={"Authorization": f"Bearer {token}"}
        ),
        client.post(
            "/api/v1/missions", json={"need_id": "x"}, headers={"Authorization": f"Bearer {token}"}
        ),
    ]
    logged = caplog.text
    assert logged, "nothing was logged: the check would prove nothing"
    for name, value in secrets.items():
        assert value not in logged, f"the {name} is in the logs"
    for answer in answers:
        for name in ("secret key", "key-encryption key", "password", "token"):
            assert secrets[name] not in answer.text, f"the {name} is in {answer.request.url}"


def test_messages_are_exported_with_their_author_and_stay_without_them_once_erased(
    client: TestClient, session: Session
) -> None:
    people = factories.cast(session)
    mission_id = persisted_id(workflow.propose(session, people.volunteer, people.need_id).id)
    conversation.post(session, people.volunteer, mission_id, "Je suis libre mardi.")
    conversation.post(session, people.member, mission_id, "Parfait, à mardi !")
    volunteer = session.get(Account, people.volunteer.account_id)
    assert volunteer is not None
    exported = accounts.export_data(session, volunteer, "https://probono.test")["messages"]
    assert [(m["mission_id"], m["body"]) for m in exported] == [
        (mission_id, "Je suis libre mardi.")
    ]
    assert exported[0]["created_at"]

    accounts.erase_account(session, volunteer)
    session.expire_all()
    kept = queries.notifications.messages_of(session, mission_id)
    assert [(m.body, m.author_id) for m in kept] == [
        ("Je suis libre mardi.", None),
        ("Parfait, à mardi !", people.member.account_id),
    ]
    assert accounts.export_data(session, volunteer, "https://probono.test")["messages"] == []
    seen = conversation.messages(session, people.member, mission_id)
    assert [s.author for s in seen] == [None, people.member.display_name]
    webforms.sign_in(client, session, people.member.email)
    slug = queries.credentials.organisations_by_id(session, [people.organisation_id])[
        people.organisation_id
    ].slug
    for language, former in (("fr", "ancien membre"), ("en", "former member")):
        page = client.get(
            f"/org/{slug}/missions/{mission_id}", headers={"Accept-Language": language}
        )
        assert former in page.text
        assert "Je suis libre mardi." in page.text
