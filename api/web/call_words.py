"""The words of a first call's calendar invitation (api/mail/calendar.py), in the current
language: kept beside the pages' messages, which every catalogue extraction reads."""

from api.web.i18n import _


def summary(need: str, other: str) -> str:
    return _("First call: “%(need)s” with %(other)s") % {"need": need, "other": other}


def description(need: str, page: str) -> str:
    return _(
        "The first call of the mission “%(need)s”. Agree on how you call (telephone, video) "
        "in the mission's conversation: %(page)s"
    ) % {"need": need, "page": page}
