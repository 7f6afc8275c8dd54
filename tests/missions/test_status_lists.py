"""Status lists: each credential takes an entry of its issuer's current list, counted on the
issuer's row; a list that has given its share of entries gives way to the next one, which is
served, signed, and holds that credential's revocation."""

import json

from sqlmodel import Session

from badges import signing, status
from config import Settings
from missions import issuance, publication
from models import Credential, Issuer, queries
from tests.factories import cast, completed


def _issuer(session: Session, credential: Credential) -> Issuer:
    issuer = queries.credentials.get_issuer(session, credential.issuer_id)
    session.refresh(issuer)
    return issuer


def _served_list(session: Session, settings: Settings, issuer_id: int, number: int) -> str:
    token = publication.serve(session, settings, f"/status/{issuer_id}/{number}").body.decode()
    return str(signing.unverified_payload(token)["credentialSubject"]["encodedList"])


def test_each_credential_is_counted_in_the_current_list(
    session: Session, settings: Settings
) -> None:
    made = [completed(session, settings, cast(session)) for _ in range(3)]
    assert {c.issuer_id for c in made} == {made[0].issuer_id}  # the platform's, for all
    issuer = _issuer(session, made[0])
    assert (issuer.status_list, issuer.status_list_used) == (1, 3)
    assert [c.status_list for c in made] == [1, 1, 1]
    assert len({c.status_list_index for c in made}) == 3


def test_a_full_list_gives_way_to_the_next(session: Session, settings: Settings) -> None:
    first = completed(session, settings, cast(session))
    issuer = _issuer(session, first)
    issuer.status_list_used = issuance._LIST_FILL  # the share of list 1 is given
    session.commit()

    people = cast(session)
    second = completed(session, settings, people)
    assert (first.status_list, second.status_list) == (1, 2)
    issuer = _issuer(session, second)
    assert (issuer.status_list, issuer.status_list_used) == (2, 1)

    issuance.revoke(session, people.member, second.id, "issued in error")
    index = second.status_list_index
    assert status.is_set(_served_list(session, settings, second.issuer_id, 2), index)
    assert not status.is_set(_served_list(session, settings, second.issuer_id, 1), index)
    beyond = publication.serve(session, settings, f"/status/{second.issuer_id}/3")
    assert beyond.status == 404
    assert "no status list 3" in json.loads(beyond.body)["detail"]
