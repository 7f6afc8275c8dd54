"""Limits on what a request may cost: the size of its body (settings.max_request_bytes), the
rate of badge verifications per address (settings.verify_rate_limit) and of sign-ups per
address (settings.sign_up_rate_limit). Sign-in has its own limit, kept in the database
(services/people/accounts.py).

The address is the one that connects, or the one a trusted proxy forwards
(settings.trusted_proxies). Verifications and sign-ups are counted per client address in a
moving window by `limits`, in the memory of each server process: with several workers the
limit holds per worker."""

import contextlib
import math
import time

from fastapi import Request
from limits import RateLimitItem, parse, storage, strategies
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.web.security import client_address
from services.errors import TooManyAttempts


class Limiter:
    def __init__(self, rule: str) -> None:
        self.rule: RateLimitItem = parse(rule)
        self._window = strategies.MovingWindowRateLimiter(storage.MemoryStorage())

    def check(self, action: str, address: str, *, count: bool = True) -> None:
        """Counts one action of the address (`count=False`: only checks that one is left).

        Raises:
            TooManyAttempts: the address used up its allowance; the message says when."""
        allowed = (
            self._window.hit(self.rule, action, address)
            if count
            else self._window.test(self.rule, action, address)
        )
        if allowed:
            return
        stats = self._window.get_window_stats(self.rule, action, address)
        wait = max(1, math.ceil(stats.reset_time - time.time()))
        raise TooManyAttempts(
            f"too many {action}s from this address (at most {self.rule}): try again in {wait} s",
            retry_after=wait,
        )


def limit_verification(request: Request) -> None:
    """A dependency of every verification route (API and page)."""
    limiter: Limiter = request.app.state.verify_limiter
    limiter.check("verification", client_address(request))


def limit_sign_up(request: Request) -> None:
    """Checked before a sign-up form is read; `count_sign_up` once an account is made, so that
    a person who corrects a typo does not spend the allowance."""
    limiter: Limiter = request.app.state.sign_up_limiter
    limiter.check("sign-up", client_address(request), count=False)


def count_sign_up(request: Request) -> None:
    limiter: Limiter = request.app.state.sign_up_limiter
    with contextlib.suppress(TooManyAttempts):  # the account is made: nothing to refuse now
        limiter.check("sign-up", client_address(request))


class BodyTooLarge(HTTPException):
    """An HTTPException, so that FastAPI's body parsing passes it on as it is (api/errors.py
    gives it the one error shape)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit // 1024} KB, the limit")


class BodyLimit:
    """Refuses a body larger than the limit as it is read: at once when its Content-Length
    says so, else when the bytes received pass it (a chunked body). Nothing past the limit is
    read, and the handler never sees a part of a body. Starlette's own middleware answers in
    plain text, outside the app's error handlers: hence this one."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        received = 0

        async def limited() -> Message:
            nonlocal received
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise BodyTooLarge(self.max_bytes)
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, limited, send)
