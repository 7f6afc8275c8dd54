"""A real SMTP server for the tests (aiosmtpd, in a thread of the test process): it keeps
every message it accepts, and can refuse addresses or answer slowly."""

import email
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refused: set[str] = set()  # addresses answered 550
        self.busy = False  # every message answered 451 (try again later)
        self.delay = 0.0  # seconds before accepting each message (a slow server)
        self.received = threading.Condition()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.busy:
            return "451 4.3.0 try again later"
        if self.delay:
            time.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=default)
        assert isinstance(message, EmailMessage)
        with self.received:
            self.messages.append(message)
            self.received.notify_all()
        return "250 2.0.0 accepted"

    def wait_for(self, count: int, timeout: float = 60) -> bool:
        with self.received:
            return self.received.wait_for(lambda: len(self.messages) >= count, timeout)

    def ids(self) -> Counter[str]:
        return Counter(str(m["Message-ID"]) for m in self.messages)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[tuple[Recorder, str]]:
    """The server and its URL (smtp://127.0.0.1:PORT)."""
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield recorder, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def html_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("html",))
    assert body is not None
    return str(body.get_content())
