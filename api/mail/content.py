"""What each kind of notification says: its subject, its lines, the words it quotes and the
page where the person acts. The strings are the pages' catalogue entries; the caller sets
the person's language (i18n.current) first."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from api.web import i18n, words
from api.web.i18n import _, ngettext
from models import (
    Account,
    CallSlot,
    EndReason,
    HoursStatus,
    Notification,
    NotificationKind,
    persisted_id,
    queries,
)
from services.credentials.urls import PublicUrls
from services.notifications import calls

K = NotificationKind


@dataclass(frozen=True)
class Content:
    subject: str
    lines: list[str]
    action: tuple[str, str] | None = None  # (what the button says, the page's address)
    quote: str = ""  # someone's own words (a reason, a message), shown as written
    links: list[tuple[str, str]] = field(default_factory=list)  # (title, address)


@dataclass(frozen=True)
class Facts:
    """What a message names, read when it is written out (a need renamed since reads new)."""

    account: Account
    params: dict[str, Any]
    need: str = ""
    association: str = ""
    slug: str = ""
    volunteer: str = ""
    mission_id: int | None = None
    volunteer_side: bool = False  # the person is the mission's volunteer
    when: str = ""  # a booked call's time, in the person's zone
    times: tuple[str, ...] = ()  # the times proposed for a first call, in the person's zone

    def mission_page(self, base: str) -> str:
        if self.volunteer_side:
            return f"{base}/me/missions/{self.mission_id}"
        return f"{base}/org/{self.slug}/missions/{self.mission_id}"


def facts(session: Session, notification: Notification, account: Account) -> Facts:
    params = dict(notification.params)
    if notification.mission_id is None:  # of an association, or of nothing in particular
        if "organisation_id" not in params:
            return Facts(account, params)
        found = queries.organisations.organisation_by_id(session, params["organisation_id"])
        return Facts(account, params, association=found.name, slug=found.slug)
    mission = queries.missions.get_mission(session, notification.mission_id)
    need = queries.profiles.get_need(session, mission.need_id)
    organisation = queries.organisations.organisation_by_id(session, need.organisation_id)
    profile = queries.profiles.get_profile(session, mission.volunteer_id)
    volunteer = queries.organisations.account_by_id(session, profile.account_id)
    return Facts(
        account,
        params,
        need=need.title,
        association=organisation.name,
        slug=organisation.slug,
        volunteer=volunteer.display_name
        if volunteer is not None and volunteer.is_active
        else _("a former member"),
        mission_id=persisted_id(mission.id),
        volunteer_side=profile.account_id == account.id,
        when=_booked_when(session, params, account),
        times=_proposed(session, notification, account),
    )


def _hours(f: Facts) -> tuple[str, str]:
    return i18n.number(Decimal(f.params["hours"])), i18n.day(
        date.fromisoformat(f.params["work_date"])
    )


def content(kind: NotificationKind, f: Facts, base: str) -> Content:
    """The message of one notification, in the current language."""
    return _WRITERS[kind](f, base)


def _application(f: Facts, base: str) -> Content:
    return Content(
        _("%(volunteer)s applied to “%(need)s”") % {"volunteer": f.volunteer, "need": f.need},
        [
            _("%(volunteer)s offers to help with your need “%(need)s”.")
            % {"volunteer": f.volunteer, "need": f.need},
            _("See their profile, then accept or decline: they are waiting for your answer."),
        ],
        (_("See the application"), f.mission_page(base)),
    )


def _invitation(f: Facts, base: str) -> Content:
    return Content(
        _("%(association)s asks for your help: “%(need)s”")
        % {"association": f.association, "need": f.need},
        [
            _("%(association)s thinks your skills fit their need “%(need)s”.")
            % {"association": f.association, "need": f.need},
            _("Read the need, then accept or decline the proposal."),
        ],
        (_("See the proposal"), f.mission_page(base)),
    )


def _accepted(f: Facts, base: str) -> Content:
    other = f.association if f.volunteer_side else f.volunteer
    return Content(
        _("%(other)s accepted: “%(need)s”") % {"other": other, "need": f.need},
        [
            _("%(other)s accepted the mission “%(need)s”.") % {"other": other, "need": f.need},
            _(
                "The association proposes times for a first call on the mission's page; you "
                "can also write to each other there."
            )
            if f.volunteer_side
            else _(
                "Propose times for a first call on the mission's page (you can also write to "
                "each other there), then start the mission."
            ),
        ],
        (_("Open the mission"), f.mission_page(base)),
    )


def _reason(f: Facts) -> str:
    value = f.params.get("reason")
    return words.end_reason(EndReason(value)) if value else ""


def _declined(f: Facts, base: str) -> Content:
    other = f.association if f.volunteer_side else f.volunteer
    return Content(
        _("%(other)s declined: “%(need)s”") % {"other": other, "need": f.need},
        [
            _("%(other)s declined the proposal for “%(need)s”.") % {"other": other, "need": f.need},
            _("Reason: %(reason)s") % {"reason": _reason(f)},
        ],
        (
            _("See other needs") if f.volunteer_side else _("See other volunteers"),
            f"{base}/me/needs" if f.volunteer_side else f"{base}/org/{f.slug}",
        ),
        quote=f.params.get("note", ""),
    )


def _cancelled(f: Facts, base: str) -> Content:
    return Content(
        _("The mission “%(need)s” was cancelled") % {"need": f.need},
        [
            _("The mission “%(need)s” was cancelled.") % {"need": f.need},
            _("Reason: %(reason)s") % {"reason": _reason(f)},
        ],
        (_("Open the mission"), f.mission_page(base)),
        quote=f.params.get("note", ""),
    )


def _started(f: Facts, base: str) -> Content:
    lines = [_("The mission “%(need)s” has started.") % {"need": f.need}]
    if f.volunteer_side:
        lines.append(_("Log your hours on the mission's page as you work."))
    return Content(
        _("The mission “%(need)s” has started") % {"need": f.need},
        lines,
        (_("Open the mission"), f.mission_page(base)),
    )


def _hours_logged(f: Facts, base: str) -> Content:
    hours, day = _hours(f)
    return Content(
        _("Hours to approve: “%(need)s”") % {"need": f.need},
        [
            _("%(volunteer)s logged %(hours)s h on %(day)s for “%(need)s”.")
            % {"volunteer": f.volunteer, "hours": hours, "day": day, "need": f.need},
            _("Approve them or not: the mission completes once its hours are reviewed."),
        ],
        (_("Review the hours"), f.mission_page(base)),
    )


def _hours_reviewed(f: Facts, base: str) -> Content:
    hours, day = _hours(f)
    approved = f.params.get("status") == HoursStatus.APPROVED.value
    values = {"hours": hours, "day": day, "need": f.need}
    return Content(
        (_("Hours approved: “%(need)s”") if approved else _("Hours not approved: “%(need)s”"))
        % values,
        [
            (
                _("Your %(hours)s h of %(day)s for “%(need)s” were approved.")
                if approved
                else _("Your %(hours)s h of %(day)s for “%(need)s” were not approved.")
            )
            % values
        ],
        (_("Open the mission"), f.mission_page(base)),
    )


def _to_confirm(f: Facts, base: str) -> Content:
    other = f.association if f.volunteer_side else f.volunteer
    return Content(
        _("Confirm that “%(need)s” is done") % {"need": f.need},
        [
            _("%(other)s confirmed that the mission “%(need)s” is done.")
            % {"other": other, "need": f.need},
            _("Confirm it too: the badge is issued when both sides have.")
            if f.volunteer_side
            else _(
                "Confirm it too, with your assessment of the competences the volunteer "
                "exercised: the badge is issued when both sides have."
            ),
        ],
        (_("Confirm completion"), f.mission_page(base)),
    )


def _badge_issued(f: Facts, base: str) -> Content:
    urls = PublicUrls.of(base)
    credential = str(f.params.get("credential_id", ""))
    return Content(
        _("Your badge for “%(need)s” is ready") % {"need": f.need},
        [
            _("%(association)s confirmed your mission “%(need)s”: your badge is signed.")
            % {"association": f.association, "need": f.need},
            _("Add it to your wallet or your profile; anyone can check it on the verifier."),
        ],
        (_("See your badge"), urls.credential(credential)),
        links=[
            (_("Your badges"), f"{base}/me/credentials"),
            (_("The verifier"), urls.verify_page()),
        ],
    )


def _badge_revoked(f: Facts, base: str) -> Content:
    return Content(
        _("Your badge for “%(need)s” was withdrawn") % {"need": f.need},
        [
            _("%(association)s withdrew the badge of your mission “%(need)s”.")
            % {"association": f.association, "need": f.need},
            _("Verifiers now see it as revoked. Their reason:"),
        ],
        (_("Your badges"), f"{base}/me/credentials"),
        quote=f.params.get("reason", ""),
    )


def _badge_signed_again(f: Facts, base: str) -> Content:
    return Content(
        _("Download the Open Badges 2.0 copy of your badge “%(need)s” again") % {"need": f.need},
        [
            _(
                "The issuer of your badge for the mission “%(need)s” has changed its signing "
                "keys. Your badge is still valid, and its Open Badges 3.0 forms are unchanged."
            )
            % {"need": f.need},
            _(
                "Its Open Badges 2.0 signed copy (JWS) was signed again with the new key: a copy "
                "you downloaded before no longer verifies in Open Badges 2.0 tools. Download it "
                "again from your badges."
            ),
        ],
        (_("Your badges"), f"{base}/me/credentials"),
    )


def _verified(f: Facts, base: str) -> Content:
    return Content(
        _("%(association)s is verified") % {"association": f.association},
        [
            _("The platform checked %(association)s: the badges of its missions are now issued.")
            % {"association": f.association},
        ],
        (_("Your association's space"), f"{base}/org/{f.slug}"),
    )


def _message(f: Facts, base: str) -> Content:
    author = f.association if f.volunteer_side else f.volunteer
    return Content(
        _("New message about “%(need)s”") % {"need": f.need},
        [
            _("%(author)s wrote about the mission “%(need)s”:")
            % {"author": author, "need": f.need},
        ],
        (_("Reply on the site"), f.mission_page(base) + "#conversation"),
        quote=f.params.get("excerpt", ""),
    )


def _reminder(f: Facts, base: str) -> Content:
    return Content(
        _("An application waits for your answer: “%(need)s”") % {"need": f.need},
        [
            _("%(volunteer)s applied to “%(need)s” and waits for your answer.")
            % {"volunteer": f.volunteer, "need": f.need},
            ngettext(
                "Without an answer, the application expires in %(num)s day.",
                "Without an answer, the application expires in %(num)s days.",
                int(f.params.get("days_left", 1)),
            )
            % {"num": f.params.get("days_left", 1)},
        ],
        (_("See the application"), f.mission_page(base)),
    )


def _expired(f: Facts, base: str) -> Content:
    if not f.volunteer_side:
        return Content(
            _("An application to “%(need)s” has expired") % {"need": f.need},
            [
                _(
                    "The application of %(volunteer)s to “%(need)s” went unanswered for too "
                    "long and has expired; they were told kindly."
                )
                % {"volunteer": f.volunteer, "need": f.need},
                _("Other volunteers fit this need: see them and invite one."),
            ],
            (_("See the volunteers who fit"), f"{base}/org/{f.slug}/needs/{f.params['need_id']}"),
        )
    suggested = f.params.get("suggested", [])
    return Content(
        _("Your application to “%(need)s” has expired") % {"need": f.need},
        [
            _(
                "%(association)s could not answer your application to “%(need)s” in time. "
                "Thank you for offering your skills: here are other needs that fit them."
            )
            % {"association": f.association, "need": f.need},
        ],
        (_("See the needs that fit you"), f"{base}/me/needs"),
        links=[(str(s["title"]), f"{base}/needs/{int(s['id'])}") for s in suggested],
    )


def _waiting(f: Facts, base: str) -> Content:
    return Content(
        _("“%(need)s” waits for you") % {"need": f.need},
        [
            (
                _("Hours logged for “%(need)s” wait for your approval.")
                if f.params.get("waiting") == "hours"
                else _("The mission “%(need)s” waits for your confirmation that it is done.")
            )
            % {"need": f.need},
        ],
        (_("Open the mission"), f.mission_page(base)),
    )


def _call_proposed(f: Facts, base: str) -> Content:
    return Content(
        _("%(association)s proposes a first call") % {"association": f.association},
        [
            _("%(association)s proposes times for a first call about “%(need)s”.")
            % {"association": f.association, "need": f.need},
            *(f"- {time}" for time in f.times),
            _("Choose the one that suits you: both of you then receive the invitation."),
        ],
        (_("Choose a time"), f.mission_page(base) + "#call"),
    )


def _proposed(session: Session, notification: Notification, account: Account) -> tuple[str, ...]:
    """The times still proposed for the mission's first call (read when the email is written)."""
    if notification.kind is not K.CALL_PROPOSED or notification.mission_id is None:
        return ()
    zone = calls.zone_of(session, account)
    slots = queries.notifications.slots_of(session, notification.mission_id)
    return tuple(i18n.moment(s.starts_at, zone) for s in slots if s.chosen_at is None)


def _booked_when(session: Session, params: dict[str, Any], account: Account) -> str:
    """A booked call's time in the person's zone and the current language."""
    slot = session.get(CallSlot, int(params["slot_id"])) if "slot_id" in params else None
    if slot is None:
        return ""
    return i18n.moment(slot.starts_at, calls.zone_of(session, account))


def _call_booked(f: Facts, base: str) -> Content:
    other = f.association if f.volunteer_side else f.volunteer
    return Content(
        _("First call booked: “%(need)s”") % {"need": f.need},
        [
            _("Your first call with %(other)s about “%(need)s” is on %(when)s.")
            % {"other": other, "need": f.need, "when": f.when},
            _("The invitation is attached: open it to add the call to your calendar."),
        ],
        (_("Open the mission"), f.mission_page(base) + "#call"),
    )


def _digest(f: Facts, base: str) -> Content:
    found = f.params.get("items", [])
    return Content(
        _("New on the platform this week"),
        [
            _("New needs this week ask for competences you have:")
            if f.slug == ""
            else _("New volunteers this week have competences your open needs ask for:")
        ],
        (_("See more"), f"{base}/me/needs" if f.slug == "" else f"{base}/org/{f.slug}"),
        links=[(str(item["title"]), f"{base}{item['path']}") for item in found],
    )


_WRITERS = {
    K.APPLICATION_RECEIVED: _application,
    K.INVITATION: _invitation,
    K.ACCEPTED: _accepted,
    K.DECLINED: _declined,
    K.CANCELLED: _cancelled,
    K.STARTED: _started,
    K.HOURS_LOGGED: _hours_logged,
    K.HOURS_REVIEWED: _hours_reviewed,
    K.COMPLETION_TO_CONFIRM: _to_confirm,
    K.BADGE_ISSUED: _badge_issued,
    K.BADGE_REVOKED: _badge_revoked,
    K.BADGE_SIGNED_AGAIN: _badge_signed_again,
    K.ASSOCIATION_VERIFIED: _verified,
    K.MESSAGE: _message,
    K.APPLICATION_REMINDER: _reminder,
    K.APPLICATION_EXPIRED: _expired,
    K.CONFIRMATION_REMINDER: _waiting,
    K.CALL_PROPOSED: _call_proposed,
    K.CALL_BOOKED: _call_booked,
    K.DIGEST: _digest,
}


def kind_name(kind: NotificationKind) -> str:
    """How the preferences page names each kind."""
    return {
        K.APPLICATION_RECEIVED: _("A volunteer applies to one of your needs"),
        K.INVITATION: _("An association proposes a mission to you"),
        K.ACCEPTED: _("A proposal is accepted"),
        K.DECLINED: _("A proposal is declined"),
        K.CANCELLED: _("A mission is cancelled"),
        K.STARTED: _("A mission starts"),
        K.HOURS_LOGGED: _("Hours to approve"),
        K.HOURS_REVIEWED: _("Your hours are approved or not"),
        K.COMPLETION_TO_CONFIRM: _("A completion to confirm"),
        K.BADGE_ISSUED: _("Your badge is issued"),
        K.BADGE_REVOKED: _("Your badge is withdrawn"),
        K.BADGE_SIGNED_AGAIN: _("A badge's Open Badges 2.0 copy is signed again"),
        K.ASSOCIATION_VERIFIED: _("Your association is verified"),
        K.MESSAGE: _("A message in a mission's conversation"),
        K.APPLICATION_REMINDER: _("Reminders of applications to answer"),
        K.APPLICATION_EXPIRED: _("An application expires"),
        K.CONFIRMATION_REMINDER: _("Reminders of hours or completions to confirm"),
        K.CALL_PROPOSED: _("Times proposed for a first call"),
        K.CALL_BOOKED: _("A first call is booked"),
        K.DIGEST: _("The weekly digest"),
    }[kind]
