"""Writing in a mission's conversation from its page: the volunteer from their space, a member
from their association's. The page itself lists the messages (missions_web, conversation.html);
a refused message comes back to the form with its reason in the page's language."""

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from api.deps import Id, SessionDep
from api.web import security
from api.web.deps import ViewerDep
from api.web.forms import read_form
from api.web.i18n import _, number
from api.web.pages import redirect
from api.web.routes.missions_web import mission_url, mission_view
from models import MESSAGE_LENGTH, DataError, InvalidData, NotFound
from models.text import NUL
from services import workflow
from services.actors import Actor
from services.errors import AccessError
from services.notifications import conversation

router = APIRouter(include_in_schema=False)


@router.post("/me/missions/{mission_id}/messages")
async def volunteer_message(
    mission_id: Id, request: Request, session: SessionDep, viewer: ViewerDep
) -> Response:
    return await _post(mission_id, None, request, session, viewer)


@router.post("/org/{slug}/missions/{mission_id}/messages")
async def association_message(
    slug: str, mission_id: Id, request: Request, session: SessionDep, viewer: ViewerDep
) -> Response:
    return await _post(mission_id, slug, request, session, viewer)


def _back(session: Session, actor: Actor, mission_id: int, slug: str | None) -> str:
    """The mission's page in the space the form was posted from, which must be the actor's
    own: the volunteer's, or their association's (admins read, they do not write)."""
    view = mission_view(session, workflow.visible_mission(session, actor, mission_id))
    # As the mission's pages see it: its volunteer first, should they be a member too.
    if actor.profile_id == view.mission.volunteer_id:
        side = "volunteer"
    elif view.need.organisation_id in actor.associations:
        side = "association"
    else:
        side = "other"
    if (slug is None and side == "volunteer") or (
        slug == view.association.slug and side == "association"
    ):
        return mission_url(view, side)
    raise NotFound(f"no mission {mission_id}")


async def _post(
    mission_id: int,
    slug: str | None,
    request: Request,
    session: Session,
    viewer: security.Viewer,
) -> Response:
    actor = security.require(viewer, request)
    form = await read_form(request)
    back = _back(session, actor, mission_id, slug)
    typed = str(form.values.get("body", ""))
    try:
        conversation.post(session, actor, mission_id, typed)
    except (DataError, AccessError) as exc:
        session.rollback()
        # The page shows the reason beside the message box too (conversation.html).
        return redirect(
            request, f"{back}?conversation=refused#write", ("error", _explain(exc, typed))
        )
    return redirect(request, f"{back}#conversation", ("ok", _("Your message is sent.")))


def _explain(exc: DataError | AccessError, typed: str) -> str:
    if isinstance(exc, InvalidData) and exc.field == "body" and NUL not in typed:
        return _("Write a message of 1 to %(most)s characters.") % {
            "most": number(MESSAGE_LENGTH, 0)
        }
    return _("That could not be done: %(why)s") % {"why": exc}
