"""A notification written out as an email in its person's language: plain text and HTML
from the templates beside this module, with the headers a mail client and a receiving server
expect (a Message-ID that stays the same at every try, one-click unsubscribe as RFC 8058
describes, Auto-Submitted)."""

from collections.abc import Callable
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from sqlmodel import Session

from api.mail import calendar
from api.mail.content import Content, content, facts
from api.web import i18n
from config import Settings
from models import Account, Notification, NotificationKind, persisted_id, utcnow
from services.notifications import preferences

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
    extensions=["jinja2.ext.i18n"],
    keep_trailing_newline=True,
)
_env.install_gettext_callables(  # type: ignore[attr-defined]
    gettext=i18n._, ngettext=i18n.ngettext, newstyle=True
)
_env.policies["ext.i18n.trimmed"] = True

Attachment = tuple[str, str, bytes]  # file name, media type ("text/calendar"), content
# Files some kinds carry (the calendar invitation of a booked call), by kind.
ATTACHMENTS: dict[
    NotificationKind, Callable[[Session, Settings, Notification, Account], list[Attachment]]
] = {NotificationKind.CALL_BOOKED: calendar.attachments}


def message_id(settings: Settings, notification: Notification) -> str:
    host = urlsplit(settings.public_base_url).hostname or "localhost"
    return f"<{notification.message_id}@{host}>"


def written(
    session: Session,
    settings: Settings,
    notification: Notification,
    account: Account,
    locale: str | None = None,
) -> Content:
    """The notification's words in its person's language, or the page's (their space)."""
    token = i18n.current.set(locale or account.locale)
    try:
        base = settings.public_base_url.rstrip("/")
        return content(notification.kind, facts(session, notification, account), base)
    finally:
        i18n.current.reset(token)


def compose(
    session: Session, settings: Settings, notification: Notification, account: Account
) -> EmailMessage:
    base = settings.public_base_url.rstrip("/")
    words = written(session, settings, notification, account)
    signed = preferences.unsubscribe_token(settings, persisted_id(account.id), notification.kind)
    unsubscribe = f"{base}/unsubscribe/{signed}?lang={account.locale}"  # the email's language
    values = {
        "content": words,
        "name": account.display_name,
        "locale": account.locale,
        "platform": settings.platform_name,
        "preferences": f"{base}/notifications/settings?lang={account.locale}",
        "unsubscribe": unsubscribe,
    }
    token = i18n.current.set(account.locale)
    try:
        text = _env.get_template("email.txt").render(values)
        html = _env.get_template("email.html").render(values)
    finally:
        i18n.current.reset(token)
    message = EmailMessage()
    message["Subject"] = words.subject
    message["From"] = settings.sender
    message["To"] = Address(display_name=account.display_name, addr_spec=account.email)
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = message_id(settings, notification)
    message["Auto-Submitted"] = "auto-generated"
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    attach = ATTACHMENTS.get(notification.kind)
    for filename, media_type, data in (
        attach(session, settings, notification, account) if attach else []
    ):
        main, _, sub = media_type.partition("/")
        message.add_attachment(data, maintype=main, subtype=sub, filename=filename)
    # After the parts: making a message multipart moves its Content-* headers to a part.
    message["Content-Language"] = account.locale
    return message
