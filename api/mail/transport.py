"""Handing emails over: to an SMTP server (`PROBONO_SMTP_URL`, with the standard library's
smtplib, the connection kept open between messages), or as `.eml` files in `var/mail/` when
no server is configured (the embedded default).

`send` calls `handing()` at the last moment before the end of the message's data leaves:
the worker records it, so that after a crash it knows whether the server may have the
message (services/notifications/delivery.py says what it then does)."""

import logging
import os
import smtplib
import ssl
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from config import Settings
from services.notifications.delivery import Handing, Refused, TemporaryFailure, Transport

log = logging.getLogger(__name__)


_END = b"\r\n.\r\n"  # the end of a message's data: its last line, then a dot alone
_DOT = b".\r\n"


class _Handing:
    """Calls `handing` just before the end of the message's data is written to the socket
    (smtplib sends the DATA command as text, then the data and its end as bytes)."""

    handing: Handing | None = None
    _body_next = False

    def data(self, msg: Any) -> tuple[int, bytes]:
        self._body_next = True
        try:
            return super().data(msg)  # type: ignore[misc, no-any-return]
        finally:
            self._body_next = False

    def send(self, s: bytes | str) -> None:
        if self._body_next and isinstance(s, bytes) and s.endswith(_END):
            # The data goes first, then the end: a server keeps no message whose end it did
            # not receive, so until the end leaves a retry is safe.
            self._body_next = False
            super().send(s[: -len(_DOT)])  # type: ignore[misc]
            if self.handing is not None:
                self.handing()
            s = _DOT
        super().send(s)  # type: ignore[misc]


class _SMTP(_Handing, smtplib.SMTP):  # type: ignore[misc]
    pass


class _SMTPS(_Handing, smtplib.SMTP_SSL):  # type: ignore[misc]
    pass


class SmtpTransport:
    def __init__(self, url: str, timeout: float) -> None:
        parts = urlsplit(url)
        self.secure = parts.scheme == "smtps"
        self.host = parts.hostname or "localhost"
        self.port = parts.port or (465 if self.secure else 25)
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.timeout = timeout
        self._connection: _SMTP | None = None

    @property
    def where(self) -> str:
        return f"{'smtps' if self.secure else 'smtp'}://{self.host}:{self.port}"

    def _connect(self) -> _SMTP:
        if self._connection is not None:
            return self._connection
        context = ssl.create_default_context()
        connection: _SMTP
        if self.secure:
            connection = _SMTPS(self.host, self.port, timeout=self.timeout, context=context)  # type: ignore[assignment]
        else:
            connection = _SMTP(self.host, self.port, timeout=self.timeout)
            connection.ehlo()
            if connection.has_extn("starttls"):
                connection.starttls(context=context)
                connection.ehlo()
        if self.user:
            connection.login(self.user, self.password or "")
        self._connection = connection
        return connection

    def send(self, message: EmailMessage, handing: Handing) -> None:
        try:
            connection = self._connect()
            connection.handing = handing
            connection.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            self._failed(code, reply, address=True)
        except smtplib.SMTPResponseException as exc:
            self._failed(exc.smtp_code, exc.smtp_error, address=False)
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}", answered=False) from None

    def _failed(self, code: int, reply: bytes | str, *, address: bool) -> None:
        detail = f"{code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
        if 400 <= code < 500 or code < 200:
            self.close()
            raise TemporaryFailure(detail, answered=True)
        try:
            if self._connection is not None:
                self._connection.rset()
        except (smtplib.SMTPException, OSError):
            self.close()
        raise Refused(detail, address=address)

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()


class FileTransport:
    """Each message as an .eml file; the rename makes it appear whole or not at all."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @property
    def where(self) -> str:
        return str(self.folder)

    def send(self, message: EmailMessage, handing: Handing) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").partition("@")[0]
        target = self.folder / f"{name}.eml"
        partial = self.folder / f".{name}.eml.partial"
        partial.write_bytes(message.as_bytes(policy=SMTP_POLICY))
        handing()
        os.replace(partial, target)
        log.info("email %r to %s written to %s", message["Subject"], message["To"], target)

    def close(self) -> None:
        pass


def transport_for(settings: Settings) -> Transport:
    if settings.smtp_url is not None and settings.smtp_url.get_secret_value():
        return SmtpTransport(settings.smtp_url.get_secret_value(), settings.smtp_timeout_seconds)
    return FileTransport(settings.var_dir / "mail")
