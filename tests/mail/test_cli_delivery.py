"""The bar: with PROBONO_SMTP_URL pointing at a real SMTP server, `probono mission apply` for
a demo need then `probono worker --once` delivers one email to each of the association's
members, in their language, naming the need; the worker run again sends nothing more."""

from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from cli import main
from config import get_settings
from models import Account, DeliveryState, NeedStatus, Notification, VolunteerProfile, queries
from services.runtime import get_engine
from tests.mail.smtp import smtp_server, text_of


def test_apply_then_worker_emails_each_member_once(
    cli_database: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with smtp_server() as (server, url):
        monkeypatch.setenv("PROBONO_SMTP_URL", url)
        monkeypatch.setenv("PROBONO_PUBLIC_BASE_URL", "https://probono.test")
        get_settings.cache_clear()
        for command in (["migrate"], ["reference", "load"], ["demo", "load"]):
            assert main(command) == 0
        # The demo's past is told in people's spaces, never by email.
        assert main(["worker", "--once"]) == 0
        already = len(server.messages)
        with Session(get_engine()) as session:
            need = queries.profiles.list_needs(session, statuses=[NeedStatus.OPEN])[0]
            members = queries.organisations.members(session, need.organisation_id)
            assert len(members) >= 2
            members[-1].locale = "en"  # one member reads English: each gets their language
            session.add(members[-1])
            session.commit()
            profile = next(
                p
                for p in session.exec(select(VolunteerProfile).order_by(col(VolunteerProfile.id)))
                if queries.missions.unended_mission(session, need.id or 0, p.id or 0) is None
            )
            volunteer = session.get(Account, profile.account_id)
            assert volunteer is not None
            locales = {m.email: m.locale for m in members}
        capsys.readouterr()
        assert main(["mission", "apply", str(need.id), "--as", volunteer.email]) == 0
        assert main(["worker", "--once"]) == 0
        assert "sent" in capsys.readouterr().out

        about = [m for m in server.messages[already:] if need.title in str(m["Subject"])]
        assert sorted(str(m["To"]).split("<")[1].rstrip(">") for m in about) == sorted(locales)
        for message in about:
            address = str(message["To"]).split("<")[1].rstrip(">")
            locale = locales[address]
            assert message["Content-Language"] == locale
            body = text_of(message)
            assert need.title in body
            assert volunteer.display_name in body
            expected = "propose son aide" if locale == "fr" else "offers to help"
            assert expected in body, body
            assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            assert volunteer.email not in message.as_string()  # no one's address is shown
        total = len(server.messages)
        assert main(["worker", "--once"]) == 0
        assert len(server.messages) == total
        with Session(get_engine()) as session:
            for notification in session.exec(select(Notification)).all():
                assert notification.state is not DeliveryState.PENDING
    get_settings.cache_clear()
