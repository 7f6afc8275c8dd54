"""Handing emails over: to an SMTP server (`PROBONO_SMTP_URL`, with the standard library's
smtplib, the connection kept open between messages), or as `.eml` files in `var/mail/` when
no server is configured (the embedded default).

`send` calls `handing()` at the last moment before the message's body leaves: the worker
records it, so that after a crash it knows whether the server may already have the message
(RFC 5321 leaves a client that stopped between the end of the data and the server's answer
no way to know; RFC 1047). Before that moment, nothing reached the server and a retry is
safe; after it, sending again could deliver twice."""

import logging
import os
import smtplib
import ssl
from collections.abc import Callable
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from config import Settings

log = logging.getLogger(__name__)
Handing = Callable[[], None]


class TemporaryFailure(Exception):
    """The server could not take the message now (4xx, down, timed out): try again later."""


class Refused(Exception):
    """The server refused the message for good (5xx)."""

    def __init__(self, detail: str, *, address: bool) -> None:
        super().__init__(detail)
        self.address = address  # the recipient's address itself was refused (a bounce)


class Transport(Protocol):
    def send(self, message: EmailMessage, handing: Handing) -> None: ...

    def close(self) -> None: ...

    @property
    def where(self) -> str: ...


class _Handing:
    """Calls `handing` just before the message's body is written to the socket (the DATA
    command itself goes first, as text; the body goes as bytes)."""

    handing: Handing | None = None
    _body_next = False

    def data(self, msg: Any) -> tuple[int, bytes]:
        self._body_next = True
        try:
            return super().data(msg)  # type: ignore[misc, no-any-return]
        finally:
            self._body_next = False

    def send(self, s: bytes | str) -> None:
        if self._body_next and isinstance(s, bytes):
            self._body_next = False
            if self.handing is not None:
                self.handing()
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
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from None

    def _failed(self, code: int, reply: bytes | str, *, address: bool) -> None:
        detail = f"{code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
        if 400 <= code < 500 or code < 200:
            self.close()
            raise TemporaryFailure(detail)
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
