"""A person's notifications (what waits on them, newest first), their choice of what they
are told and how, the one-click unsubscribe of every email (RFC 8058: a POST that needs no
session, authorised by the signed link itself), and the platform admin's emails that could
not be sent."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import Id, SessionDep, settings_of
from api.mail.compose import written
from api.mail.content import kind_name
from api.web import i18n, security
from api.web.deps import ViewerDep
from api.web.forms import read_form
from api.web.i18n import _
from api.web.pages import redirect, render
from models import Channel, DeliveryState, NotFound, NotificationKind, queries
from services.actors import Actor
from services.notifications import delivery, outbox, preferences
from services.notifications.preferences import Subscription

router = APIRouter(include_in_schema=False)


@router.get("/notifications")
def notifications_page(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    actor = security.require(viewer, request)
    account = viewer.account
    assert account is not None
    settings = settings_of(request)
    rows: list[dict[str, Any]] = []
    for notification in queries.notifications.of_account(session, actor.account_id):
        words = written(session, settings, notification, account, i18n.current.get())
        rows.append({"n": notification, "words": words, "new": notification.read_at is None})
    page = render(request, "notifications.html", viewer, {"rows": rows, "account": account})
    outbox.read(session, actor.account_id)  # seen now: the count in the menu goes
    return page


@router.get("/notifications/settings")
def settings_page(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    actor = security.require(viewer, request)
    chosen = preferences.choices(session, actor.account_id)
    kinds = [(kind, kind_name(kind), chosen[kind]) for kind in _kinds(actor)]
    sides = {"volunteer": actor.profile_id is not None, "member": bool(actor.associations)}
    required = [kind_name(kind) for kind in outbox.required_for(**sides)]
    return render(
        request,
        "notification_settings.html",
        viewer,
        {"kinds": kinds, "required": required, "channels": _channels(), **sides},
    )


def _kinds(actor: Actor) -> tuple[NotificationKind, ...]:
    return outbox.kinds_for(volunteer=actor.profile_id is not None, member=bool(actor.associations))


def _channels() -> list[tuple[str, str]]:
    return [
        (Channel.EMAIL.value, _("By email and here")),
        (Channel.IN_APP.value, _("Here only")),
        (Channel.NONE.value, _("Not at all")),
    ]


@router.post("/notifications/settings")
async def save_settings(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    actor = security.require(viewer, request)
    form = await read_form(request)
    wanted = {kind.value: form.text(kind.value) for kind in _kinds(actor)}
    preferences.choose(session, actor.account_id, wanted, weekly_digest=form.flag("weekly_digest"))
    return redirect(request, "/notifications/settings", ("success", _("Your choices are saved.")))


@router.post("/notifications/email")
async def email_works(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    actor = security.require(viewer, request)
    await read_form(request)
    preferences.clear_bounce(session, actor.account_id)
    return redirect(request, "/notifications", ("success", _("We will send you emails again.")))


def _unsubscribe_page(
    request: Request, viewer: security.Viewer, token: str, found: Subscription | None, *, done: bool
) -> HTMLResponse:
    """The page of an unsubscribe link, in the language the email was in (its `lang`)."""
    values: dict[str, Any] = {"token": token, "done": done, "found": found}
    if found is not None:
        values["kind"] = kind_name(found.kind)
    return render(request, "unsubscribe.html", viewer, values, status=200 if found else 404)


@router.get("/unsubscribe/{token}")
def unsubscribe_page(
    request: Request, token: str, session: SessionDep, viewer: ViewerDep
) -> HTMLResponse:
    try:
        found = preferences.subscription(session, settings_of(request), token)
    except NotFound:
        found = None
    return _unsubscribe_page(request, viewer, token, found, done=False)


@router.post("/unsubscribe/{token}")
def unsubscribe(request: Request, token: str, session: SessionDep, viewer: ViewerDep) -> Response:
    """One click, from the mail client (RFC 8058) or the page above: no session, no CSRF
    token; the signed link is the authority, and doing it twice changes nothing."""
    try:
        found = preferences.unsubscribe(session, settings_of(request), token)
    except NotFound:
        found = None
    return _unsubscribe_page(request, viewer, token, found, done=True)


def _admin(request: Request, viewer: security.Viewer) -> None:
    if not security.require(viewer, request).is_admin:
        raise NotFound("no such page")


@router.get("/admin/mail")
def mail_page(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    _admin(request, viewer)
    failed = queries.notifications.by_state(session, DeliveryState.FAILED)
    counts = queries.notifications.count_by_state(session)
    return render(
        request,
        "admin_mail.html",
        viewer,
        {
            "failed": failed,
            "waiting": counts.get(DeliveryState.PENDING, 0),
            "sent": counts.get(DeliveryState.SENT, 0),
            "kind_name": kind_name,
        },
    )


@router.post("/admin/mail/{notification_id}/retry")
async def retry(
    request: Request, notification_id: Id, session: SessionDep, viewer: ViewerDep
) -> Response:
    _admin(request, viewer)
    await read_form(request)
    delivery.retry(session, notification_id)
    return redirect(
        request, "/admin/mail", ("success", _("The email will be sent again in a moment."))
    )
