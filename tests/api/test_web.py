"""The web layer's rules, page by page: forms need their CSRF token, sessions and cookies are
what they should be, sign-in slows down guessing, nobody sees another organisation's pages,
languages follow the person, and a person can take their data or erase it."""

import re
from typing import Any

from argon2 import PasswordHasher
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.web import i18n
from config import REPOSITORY, Environment, Settings
from models import Account, Cause, persisted_id, queries
from services.credentials import verification
from tests import factories
from tests.factories import cast, completed, mission_in_progress
from tests.webforms import PASSWORD, csrf, post, sign_in


def _sign_up(
    client: TestClient, email: str, role: str = "volunteer", language: str = "fr", **extra: str
) -> Any:
    fields = {"role": role, "display_name": "Camille", "email": email, "password": PASSWORD}
    return post(client, "/signup", fields | extra, headers={"Accept-Language": language})


def test_a_form_without_its_token_is_refused(client: TestClient) -> None:
    response = client.post(
        "/signin", data={"email": "a@example.org", "password": "x"}, headers={"Accept": "text/html"}
    )
    assert response.status_code == 400
    assert "expired" in response.text or "expiré" in response.text
    forged = client.post("/signin", data={"csrf": "0" * 64, "email": "a@example.org"})
    assert forged.status_code == 400


def test_sign_up_in_and_out_with_safe_cookies(client: TestClient) -> None:
    response = _sign_up(client, "camille@example.org")
    assert response.status_code == 303
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("probono_session=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    page = client.get("/me", headers={"Accept": "text/html"})
    assert page.status_code == 200
    for header in ("content-security-policy", "x-frame-options", "x-content-type-options"):
        assert header in page.headers
    assert post(client, "/signout", {}).status_code == 303
    assert client.get("/me", follow_redirects=False).headers["location"] == "/signin?next=/me"


def test_sign_up_errors_say_what_to_fix(client: TestClient) -> None:
    response = post(
        client,
        "/signup",
        {"role": "volunteer", "display_name": "", "email": "not-an-email", "password": "short"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert "This field is required." in response.text
    assert "at least 10 characters" in response.text
    assert 'aria-invalid="true"' in response.text
    _sign_up(client, "dup@example.org")
    client.cookies.clear()
    again = _sign_up(client, "DUP@example.org", language="en")
    assert again.status_code == 422
    assert "already uses this email" in again.text


def test_sign_in_slows_down_guessing_but_never_locks_the_owner_out(client: TestClient) -> None:
    _sign_up(client, "target@example.org")  # signs in from the owner's address
    client.cookies.clear()
    elsewhere = ("203.0.113.9", 1)
    with TestClient(client.app, base_url="https://testserver", client=elsewhere) as guesser:
        statuses = [
            post(
                guesser,
                "/signin",
                {"email": "target@example.org", "password": f"wrong {n}"},
                headers={"Accept-Language": "en"},
            ).status_code
            for n in range(6)
        ]
        assert statuses[:5] == [422] * 5
        assert statuses[5] == 429
        blocked = post(
            guesser,
            "/signin",
            {"email": "target@example.org", "password": PASSWORD},
            headers={"Accept-Language": "en"},
        )
        assert blocked.status_code == 429  # even the right password waits, a little
        assert 1 <= int(blocked.headers["Retry-After"]) <= 60
        assert re.search(r"wait \d+ seconds? before trying again", blocked.text)
    owner = post(client, "/signin", {"email": "target@example.org", "password": PASSWORD})
    assert owner.status_code == 303  # from an address they signed in from: at once


def test_nobody_sees_another_organisations_pages(
    client: TestClient, session: Session, settings: Settings
) -> None:
    _sign_up(
        client,
        "member-a@example.org",
        role="association",
        association_name="Asso A",
        city="Lyon",
        country="FR",
        cause="food_aid",
        identifier_kind="rna",
        identifier="W751234567",
    )
    mine = queries.organisations.get_account(session, "member-a@example.org")
    membership = queries.organisations.memberships(session, persisted_id(mine.id))[0]
    own = queries.credentials.organisations_by_id(session, [membership.organisation_id])
    assert own[membership.organisation_id].cause is Cause.FOOD_AID
    other = cast(session)
    credential = completed(session, settings, other)
    other_slug = queries.credentials.organisations_by_id(session, [other.organisation_id])[
        other.organisation_id
    ].slug
    assert client.get(f"/org/{other_slug}", headers={"Accept": "text/html"}).status_code == 404
    mission = f"/org/{other_slug}/missions/{credential.mission_id}"
    assert client.get(mission, headers={"Accept": "text/html"}).status_code == 404
    revoke = post(client, f"{mission}/revoke", {"reason_text": "not mine"})
    assert revoke.status_code == 404
    assert queries.credentials.get_credential(session, credential.id).revoked_at is None
    assert (
        client.get(
            f"/me/missions/{credential.mission_id}", headers={"Accept": "text/html"}
        ).status_code
        == 404
    )
    assert mine.id is not None


def test_the_form_token_changes_at_sign_in_and_sign_out(client: TestClient) -> None:
    _sign_up(client, "rotating@example.org")
    post(client, "/signout", {})
    before = csrf(client)
    assert (
        post(client, "/signin", {"email": "rotating@example.org", "password": PASSWORD}).status_code
        == 303
    )
    signed_in = csrf(client)
    assert signed_in != before
    # A token read before signing in (a shared computer) no longer sends a form.
    stale = client.post("/signout", data={"csrf": before}, follow_redirects=False)
    assert stale.status_code == 400
    assert post(client, "/signout", {}).status_code == 303
    assert csrf(client) not in {before, signed_in}


def test_the_language_cookie_is_secure_in_production(client: TestClient) -> None:
    production = client.app.state.settings.model_copy(  # type: ignore[attr-defined]
        update={"env": Environment.PRODUCTION, "public_base_url": "http://probono.example"}
    )
    client.app.state.settings = production  # type: ignore[attr-defined]
    chosen = client.get("/language/en", follow_redirects=False)
    cookie = chosen.headers["set-cookie"]
    assert cookie.startswith("lang=en")
    assert "Secure" in cookie
    assert "HttpOnly" in cookie


def test_the_page_follows_the_persons_language(client: TestClient) -> None:
    assert (
        ">Aide alimentaire</option>"
        in client.get("/signup?role=association", headers={"Accept-Language": "fr"}).text
    )
    english = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in english.text
    assert "Verify a badge" in english.text
    french = client.get("/", headers={"Accept-Language": "de, fr;q=0.5"})
    assert '<html lang="fr">' in french.text
    assert "Vérifier un badge" in french.text
    chosen = client.get("/language/en?next=/verify", follow_redirects=False)
    assert chosen.headers["location"] == "/verify"
    assert client.get("/", headers={"Accept-Language": "fr"}).text.count('lang="en"') >= 1
    assert (
        client.get("/language/en?next=https://evil.example", follow_redirects=False).headers[
            "location"
        ]
        == "/"
    )


def test_every_message_has_its_french_translation() -> None:
    with (i18n.FOLDER / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file)
    untranslated = [
        m.id
        for m in catalog
        if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert untranslated == []
    with (i18n.FOLDER / "messages.pot").open("rb") as file:
        template = read_po(file)
    assert {m.id for m in template if m.id} <= {m.id for m in catalog if m.id}


def test_every_message_the_code_says_is_in_the_catalogues() -> None:
    """What `pybabel extract` finds in the pages and the code (babel.cfg): a message missing
    from the catalogues would show in English on a French page."""
    with (REPOSITORY / "babel.cfg").open() as file:
        method_map, options_map = parse_mapping_cfg(file)  # type: ignore[no-untyped-call]
    said = {
        message if isinstance(message, str) else message[0]
        for _, _, message, _, _ in extract_from_dir(REPOSITORY, method_map, options_map)
    }
    with (i18n.FOLDER / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as file:
        french = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(file) if m.id}
    with (i18n.FOLDER / "messages.pot").open("rb") as file:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(file) if m.id}
    assert sorted(said - french) == []
    assert sorted(said - template) == [], "run pybabel extract -F babel.cfg (see its first line)"
    assert sorted(template - said) == [], "a message no page says any more"


def test_a_person_takes_their_data_or_erases_it(
    client: TestClient, session: Session, settings: Settings
) -> None:
    people = cast(session)
    credential = completed(session, settings, people)
    account = session.get(Account, people.volunteer.account_id)
    assert account is not None
    account.password_hash = PasswordHasher().hash(PASSWORD)  # the cast was made without one
    session.commit()
    assert (
        post(client, "/signin", {"email": people.volunteer_email, "password": PASSWORD}).status_code
        == 303
    )
    data = client.get("/me/data")
    assert data.headers["content-disposition"].startswith("attachment")
    exported = data.json()
    assert exported["account"]["email"] == people.volunteer_email
    assert exported["credentials"][0]["id"] == credential.id
    assert exported["missions"][0]["hours"]
    refused = post(client, "/me/delete", {})
    assert refused.status_code == 422
    assert post(client, "/me/delete", {"confirm": "on"}).status_code == 303
    session.expire_all()
    erased = session.get(Account, people.volunteer.account_id)
    assert erased is not None
    assert erased.email.endswith("@erased.invalid")
    assert not erased.is_active
    profile = queries.profiles.get_profile(session, people.volunteer.profile_id or 0)
    assert profile.about == ""
    report = verification.verify_badge(session, settings, credential.ob3_jwt)
    assert report.valid  # the badge lives on: it names nobody
    assert queries.notifications.of_account(session, erased.id or 0) == []  # what they were told
    back = post(client, "/signin", {"email": people.volunteer_email, "password": PASSWORD})
    assert back.status_code == 422


def test_an_association_signs_up_with_a_proof_and_an_admin_verifies_it(
    client: TestClient, session: Session, settings: Settings
) -> None:
    base = {"association_name": "Les Amis", "city": "Lille", "country": "FR"}
    wrong = _sign_up(
        client,
        "amis@example.org",
        role="association",
        language="en",
        identifier_kind="siren",
        identifier="732 829 321",
        **base,
    )
    assert wrong.status_code == 422
    assert "This is not a SIREN number" in wrong.text
    assert "type it again" in wrong.text  # the password is not sent back to the page
    assert 'value="732 829 321"' in wrong.text  # kept to be corrected
    assert queries.organisations.find_account(session, "amis@example.org") is None
    no_document = _sign_up(
        client,
        "amis@example.org",
        role="association",
        language="en",
        identifier_kind="other",
        **base,
    )
    assert "Send your statutes" in no_document.text
    made = client.post(
        "/signup",
        data={
            "csrf": csrf(client, "/signup?role=association"),
            "role": "association",
            "display_name": "Camille",
            "email": "amis@example.org",
            "password": PASSWORD,
            "identifier_kind": "other",
            "identifier": "statuts 2019",
            **base,
        },
        files={"document": ("statuts.pdf", b"%PDF-1.4 statuts", "application/pdf")},
        follow_redirects=False,
    )
    assert made.status_code == 303
    assert made.headers["location"].startswith("/org/")  # the association's own page
    found = queries.organisations.get_account(session, "amis@example.org")
    slug = (
        queries.credentials.organisations_by_id(
            session,
            [queries.organisations.memberships(session, persisted_id(found.id))[0].organisation_id],
        )
        .popitem()[1]
        .slug
    )
    home = client.get(f"/org/{slug}", headers={"Accept-Language": "en"})
    assert "The platform is checking that your association exists" in home.text
    # Only a platform admin sees the page, downloads the document and decides.
    assert client.get("/admin/associations").status_code == 404
    admin = factories.make_account(session, email="admin@example.org", is_platform_admin=True)
    session.commit()
    client.cookies.clear()
    sign_in(client, session, admin.email)
    page = client.get("/admin/associations", headers={"Accept-Language": "en"})
    assert "Les Amis" in page.text
    assert "Download the document (statuts.pdf)" in page.text
    document = client.get(f"/admin/associations/{slug}/document")
    assert document.content == b"%PDF-1.4 statuts"
    assert document.headers["content-disposition"].startswith("attachment")
    verified = post(client, f"/admin/associations/{slug}/verify", {})
    assert verified.status_code == 303
    assert queries.organisations.get_organisation(session, slug).verification.value == "verified"


def test_a_day_past_24_hours_is_refused_in_the_page_language(
    client: TestClient, session: Session
) -> None:
    people = cast(session)
    mission_id = mission_in_progress(session, people, hours="20")
    sign_in(client, session, people.volunteer_email)
    page = f"/me/missions/{mission_id}"
    refused = post(client, f"{page}/hours", {"hours": "6", "description": "trop"})
    assert refused.status_code == 303
    shown = client.get(page, headers={"Accept-Language": "fr"}).text
    assert "Une journée compte 24 heures au plus : 20 h sont déjà déclarées" in shown
    assert "vous pouvez en ajouter 4 h au plus" in shown


def test_signing_in_lands_in_ones_own_space_unless_a_page_was_asked(
    client: TestClient, session: Session
) -> None:
    people = cast(session, slug="les-amis")
    member = queries.organisations.members(session, people.organisation_id)[0]
    member.password_hash = PasswordHasher().hash(PASSWORD)
    volunteer = queries.organisations.get_account(session, people.volunteer_email)
    volunteer.password_hash = PasswordHasher().hash(PASSWORD)
    session.commit()

    def landing(email: str, next_path: str = "/") -> str:
        client.cookies.clear()
        answer = post(client, "/signin", {"email": email, "password": PASSWORD, "next": next_path})
        assert answer.status_code == 303, answer.text
        return str(answer.headers["location"])

    assert landing(member.email) == "/org/les-amis"
    assert landing(people.volunteer_email) == "/me"
    assert landing(people.volunteer_email, "/me/needs") == "/me/needs"
    assert landing(member.email, "https://elsewhere.example/") == "/org/les-amis"  # not away


def test_sign_up_asks_the_role_first_and_drops_nothing(
    client: TestClient, session: Session
) -> None:
    choice = client.get("/signup", headers={"Accept-Language": "en"}).text
    assert 'href="/signup?role=volunteer"' in choice
    assert 'href="/signup?role=association"' in choice
    assert 'name="association_name"' not in choice
    volunteer_form = client.get("/signup?role=volunteer").text
    assert 'name="association_name"' not in volunteer_form
    assert 'name="role" value="volunteer"' in volunteer_form
    assert 'name="association_name"' in client.get("/signup?role=association").text

    mixed = _sign_up(client, "mixed@example.org", language="en", association_name="Les Amis")
    assert mixed.status_code == 422
    assert "choose &#34;for an association&#34; first" in mixed.text
    assert queries.organisations.find_account(session, "mixed@example.org") is None
