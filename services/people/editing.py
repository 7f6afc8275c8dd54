"""A person's own edits from the pages: saved, committed, then encoded and read at once, so that
the next ranking sees them instead of waiting for `probono embed`."""

from sqlmodel import Session

from matching.embedders import Embedder
from models import InvalidData, Need, VolunteerProfile, persisted_id
from models.queries.embeddings import Owner
from services import runtime
from services.people import profiles
from services.ranking import encoding
from services.ranking.inference import Inference
from services.records import NeedRecord, VolunteerRecord


def save_profile(session: Session, embedder: Embedder, record: VolunteerRecord) -> VolunteerProfile:
    """Saves a volunteer's profile (their account's, which the record names) and makes it
    matchable at once.

    Raises:
        InvalidData: a value breaks a rule of the domain; nothing is saved.
    """
    try:
        profile = profiles.save_volunteer(session, record, profiles.CompetenceResolver(session))
        session.commit()
    except InvalidData:
        session.rollback()
        raise
    _encode(
        session,
        embedder,
        "profile",
        persisted_id(profile.id),
        encoding.profile_text(profile.headline, profile.about),
    )
    return profile


def publish_need(session: Session, embedder: Embedder, record: NeedRecord) -> Need:
    """Saves an association's need (the association the record names) and makes it matchable
    at once.

    Raises:
        InvalidData: a value breaks a rule of the domain; nothing is saved.
    """
    try:
        need = profiles.save_need(session, record, profiles.CompetenceResolver(session))
        session.commit()
    except InvalidData:
        session.rollback()
        raise
    _encode(
        session,
        embedder,
        "need",
        persisted_id(need.id),
        encoding.need_text(need.title, need.description, need.deliverable),
    )
    return need


def _encode(session: Session, embedder: Embedder, owner: Owner, owner_id: int, text: str) -> None:
    encoding.refresh_one(
        session,
        embedder,
        owner,
        owner_id,
        text,
        after_batch=Inference(session, runtime.get_suggester()),
    )
