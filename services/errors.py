"""Who may do what: the errors of access, raised by the use-cases that check it (`Actor`)."""

from errors import ProbonoError


class AccessError(ProbonoError):
    """Base of the errors of access: who is acting, and whether they may."""


class NotSignedIn(AccessError):
    """No valid credentials were presented for an action that needs an account."""


class NotAllowed(AccessError):
    """The caller may not do this (not their mission, not their association)."""


class TooManyAttempts(AccessError):
    """The same action was tried too often lately: wait `retry_after` seconds (sent as the
    Retry-After header)."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
