"""The pages a person reads before acting: a need's own page, an applicant's page, the
scoping assistant's proposals, and hours typed as people type them."""

import re
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlmodel import Session

from matching.embedders import SentenceTransformerEmbedder
from models import NeedStatus, OrganisationKind, ProfileLanguage, queries
from services import workflow
from services.ranking import encoding
from tests import factories
from tests.factories import cast, mission_in_progress
from tests.webforms import post, sign_in


def test_a_need_has_its_own_page_read_before_applying(
    client: TestClient, session: Session, embedder: SentenceTransformerEmbedder
) -> None:
    people = cast(session, name="Les Amis du Quartier")
    draft = factories.make_need(
        session, organisation_id=people.organisation_id, status=NeedStatus.DRAFT
    )
    session.add(ProfileLanguage(profile_id=people.volunteer.profile_id or 0, code="fr"))
    session.commit()
    encoding.sync_embeddings(session, embedder)
    page = f"/needs/{people.need_id}"

    anonymous = client.get(page, headers={"Accept-Language": "en"})
    assert anonymous.status_code == 200
    assert "Un site pour la troupe" in anonymous.text
    assert "Les Amis du Quartier" in anonymous.text
    assert f'href="/signin?next=/needs/{people.need_id}"' in anonymous.text
    assert client.get(f"/needs/{draft.id}").status_code == 404  # not published

    sign_in(client, session, people.volunteer_email)
    volunteer = client.get(page, headers={"Accept-Language": "en"}).text
    assert "Why it fits you" in volunteer, volunteer[volunteer.find("Why it fits") :][:1500]
    assert "cannot take it" not in volunteer, volunteer[volunteer.find("cannot take") :][:600]
    assert f'action="/me/needs/{people.need_id}/apply"' in volunteer
    applied = post(client, f"/me/needs/{people.need_id}/apply", {})
    assert applied.status_code == 303
    after = client.get(page, headers={"Accept-Language": "en"}).text
    assert "See your application" in after
    assert f'action="/me/needs/{people.need_id}/apply"' not in after

    client.cookies.clear()
    member = queries.organisations.members(session, people.organisation_id)[0]
    sign_in(client, session, member.email)
    assert client.get(f"/needs/{draft.id}").status_code == 200  # its association's own draft


def test_an_association_reads_its_applicant_before_answering(
    client: TestClient, session: Session, embedder: SentenceTransformerEmbedder
) -> None:
    people = cast(session, slug="les-amis")
    profile = queries.profiles.get_profile(session, people.volunteer.profile_id or 0)
    profile.headline, profile.about = "Développeuse web", "Je fais des sites WordPress."
    session.add(ProfileLanguage(profile_id=people.volunteer.profile_id or 0, code="fr"))
    session.commit()
    encoding.sync_embeddings(session, embedder)
    mission = workflow.propose(session, people.volunteer, people.need_id)
    session.commit()
    page = f"/org/les-amis/missions/{mission.id}/volunteer"

    member = queries.organisations.members(session, people.organisation_id)[0]
    sign_in(client, session, member.email)
    assert f'href="{page}"' in client.get(f"/org/les-amis/missions/{mission.id}").text
    seen = client.get(page, headers={"Accept-Language": "en"})
    assert seen.status_code == 200
    assert "Je fais des sites WordPress." in seen.text
    assert "Why they fit your need" in seen.text
    assert f'action="/org/les-amis/missions/{mission.id}/accept"' in seen.text
    accepted = post(client, f"/org/les-amis/missions/{mission.id}/accept", {})
    assert accepted.status_code == 303

    client.cookies.clear()
    sign_in(client, session, people.volunteer_email)
    assert client.get(page).status_code == 404  # the association's page, not the volunteer's


def test_hours_typed_with_a_decimal_comma_are_read_on_a_french_page(
    client: TestClient, session: Session
) -> None:
    people = cast(session)
    mission_id = mission_in_progress(session, people, hours="2")
    sign_in(client, session, people.volunteer_email)
    page = f"/me/missions/{mission_id}"
    french = {"Accept-Language": "fr"}
    logged = post(
        client, f"{page}/hours", {"hours": "3,5", "description": "maquette"}, headers=french
    )
    assert logged.status_code == 303
    assert logged.headers["location"] == page
    hours = [h.hours for h in queries.missions.hours_of(session, mission_id)]
    assert Decimal("3.5") in hours

    refused = post(
        client, f"{page}/hours", {"hours": "trois", "description": "réunion"}, headers=french
    )
    assert refused.status_code == 303
    again = client.get(refused.headers["location"], headers=french).text
    assert "Écrivez les heures en nombre supérieur à 0" in again
    assert 'value="trois"' in again  # what was typed comes back
    assert 'value="réunion"' in again


def test_the_assistant_splits_a_text_that_asks_for_two_things(
    client: TestClient, session: Session
) -> None:
    people = cast(session, slug="les-amis")
    member = queries.organisations.members(session, people.organisation_id)[0]
    sign_in(client, session, member.email)
    french = {"Accept-Language": "fr"}
    story = "notre site est vieux et on ne sait pas le mettre à jour, et on voudrait une newsletter"
    split = post(client, "/org/les-amis/needs/propose", {"story": story}, headers=french)
    assert split.status_code == 200, split.text
    assert "Refaire le site internet" in split.text  # a title from the text's own words
    assert "Lancer une newsletter" in split.text
    assert split.text.count('action="/org/les-amis/needs/propose"') == 2

    site = post(
        client,
        "/org/les-amis/needs/propose",
        {
            "template": "website",
            "story": "Notre site est vieux, on ne sait pas le mettre à jour.",
            "rest": "On voudrait une newsletter.",
        },
        headers=french,
    )
    form = site.text
    assert 'value="Refaire le site internet"' in form
    assert "WordPress" in form  # the deliverable similar needs take
    assert 'name="rest" value="On voudrait une newsletter."' in form
    chosen = re.findall(r'<option value="(\d)" selected>', form)
    assert chosen
    assert max(int(level) for level in chosen) <= 3  # e-2/e-3 for a small association

    published = post(
        client,
        "/org/les-amis/needs",
        {
            "title": "Un site internet",
            "description": "Notre site est vieux.",
            "hours_estimate": "60",
            "work_mode": "remote",
            "languages": "fr",
            "rest": "On voudrait une newsletter.",
        },
    )
    assert published.status_code == 303, published.text
    assert "rest=" in published.headers["location"]
    need_page = client.get(published.headers["location"], headers={"Accept-Language": "en"}).text
    assert "Your text also asked for something else" in need_page
    assert 'name="story" value="On voudrait une newsletter."' in need_page


def test_the_association_a_badge_names_has_a_public_page(
    client: TestClient, session: Session
) -> None:
    people = cast(session, name="Les Amis du Quartier", slug="amis-quartier", city="Nantes")
    draft = factories.make_need(
        session,
        organisation_id=people.organisation_id,
        status=NeedStatus.DRAFT,
        title="Un brouillon",
    )
    session.commit()
    page = client.get("/organisations/amis-quartier", headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    assert "Les Amis du Quartier" in page.text
    assert "Une association à Nantes" in page.text
    assert f'href="/needs/{people.need_id}"' in page.text  # its published need
    assert f'href="/needs/{draft.id}"' not in page.text  # not its draft
    company = factories.make_organisation(session, kind=OrganisationKind.COMPANY, slug="acme-co")
    session.commit()
    assert client.get(f"/organisations/{company.slug}").status_code == 404
    assert client.get("/organisations/nobody").status_code == 404
    hostile = factories.make_organisation(
        session, slug="hostile", website="javascript:alert(1)", description="<script>x</script>"
    )
    session.commit()
    page = client.get(f"/organisations/{hostile.slug}")
    assert "javascript:" not in page.text  # only web addresses become links
    assert "<script>x" not in page.text


def test_the_assistant_asks_for_detail_when_a_text_is_too_vague(
    client: TestClient, session: Session
) -> None:
    people = cast(session, slug="les-amis")
    member = queries.organisations.members(session, people.organisation_id)[0]
    sign_in(client, session, member.email)
    french = {"Accept-Language": "fr"}
    story = "On a besoin d'aide pour le numérique"
    page = post(client, "/org/les-amis/needs/propose", {"story": story}, headers=french)
    assert page.status_code == 200, page.text
    assert 'id="scoping-vague"' in page.text
    assert "ce qui doit exister à la fin" in page.text  # what is missing, in French
    assert 'name="template" value="website"' in page.text  # the common needs to choose from
    assert 'name="title"' not in page.text  # no invented need to publish
    assert "On a besoin d&#39;aide pour le numérique" in page.text  # what was typed is kept


def test_an_association_reads_its_ranked_volunteers_in_plain_words(
    client: TestClient, session: Session, embedder: SentenceTransformerEmbedder
) -> None:
    people = cast(session, slug="les-amis-classes")
    session.add(ProfileLanguage(profile_id=people.volunteer.profile_id or 0, code="fr"))
    session.commit()
    encoding.sync_embeddings(session, embedder)
    member = queries.organisations.members(session, people.organisation_id)[0]
    sign_in(client, session, member.email)
    page = client.get(
        f"/org/les-amis-classes/needs/{people.need_id}", headers={"Accept-Language": "fr"}
    )
    assert page.status_code == 200
    assert "parle français" in page.text  # languages by their names, not codes
    assert 'class="fit-summary"' in page.text
