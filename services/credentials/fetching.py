"""Fetching another issuer's document for the verifier without opening a way into the
network the service runs in (server-side request forgery).

HTTPS only; every address a name resolves to must be public, and the connection goes to the
address that was checked (a second lookup could answer otherwise); redirects are followed by
hand, each hop checked the same way; the body and the time are capped.
"""

import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from urllib.parse import urljoin

import httpcore

from badges.report import Fetched, FetchError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

TIMEOUT = 10.0  # seconds, for the whole fetch with its redirects
MAX_BYTES = 1024 * 1024
MAX_REDIRECTS = 3
_REDIRECTS = {301, 302, 303, 307, 308}
_PHASES = ("connect", "read", "write", "pool")
_FAILURES = (
    httpcore.NetworkError,
    httpcore.TimeoutException,
    httpcore.ProtocolError,
    httpcore.UnsupportedProtocol,
    ssl.SSLError,
    OSError,
)


def is_public(address: Address) -> bool:
    """Reachable on the internet: not loopback, private, link-local (cloud metadata lives
    at 169.254.169.254), shared, reserved, multicast, nor an IPv4 one of those mapped into
    IPv6."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_public(address.ipv4_mapped)
    return address.is_global and not address.is_multicast


class _PublicOnly(httpcore.SyncBackend):
    """Connects only to addresses the policy allows, and to the very address it checked."""

    def __init__(self, allowed: Callable[[Address], bool]) -> None:
        self.allowed = allowed

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise httpcore.ConnectError(f"{host} cannot be resolved: {exc}") from exc
        addresses = [ipaddress.ip_address(info[4][0]) for info in found]
        refused = sorted({str(a) for a in addresses if not self.allowed(a)})
        if refused or not addresses:
            raise httpcore.ConnectError(
                f"{host} resolves to {', '.join(refused) or 'nothing'}: not a public address, "
                "so it is not fetched"
            )
        return super().connect_tcp(str(addresses[0]), port, timeout, local_address, socket_options)


def fetch(
    url: str,
    *,
    accept: str,
    allowed: Callable[[Address], bool] = is_public,
    ssl_context: ssl.SSLContext | None = None,
) -> Fetched:
    """The document at an outside HTTPS URL.

    Raises:
        FetchError: not HTTPS, not a public address, too many redirects, too large, too slow,
            or the network failed; the message says which.
    """
    deadline = time.monotonic() + TIMEOUT
    with httpcore.ConnectionPool(
        ssl_context=ssl_context or ssl.create_default_context(),
        network_backend=_PublicOnly(allowed),
        max_connections=1,
    ) as pool:
        for _ in range(MAX_REDIRECTS + 1):
            if not url.startswith("https://"):
                raise FetchError(f"{url}: only HTTPS documents are fetched")
            timeout = deadline - time.monotonic()
            if timeout <= 0:
                raise FetchError(f"{url} took longer than {TIMEOUT:.0f} s")
            try:
                with pool.stream(
                    "GET",
                    url,
                    headers=[("Accept", accept), ("User-Agent", "probono-verifier")],
                    extensions={"timeout": dict.fromkeys(_PHASES, timeout)},
                ) as response:
                    headers = {
                        k.decode("latin-1").lower(): v.decode("latin-1")
                        for k, v in response.headers
                    }
                    if response.status in _REDIRECTS and "location" in headers:
                        url = urljoin(url, headers["location"])
                        continue
                    body = _body(url, response.iter_stream(), deadline)
                    return Fetched(response.status, headers.get("content-type", ""), body)
            except _FAILURES as exc:
                raise FetchError(f"{url} cannot be fetched: {exc}") from exc
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")


def _body(url: str, chunks: Iterable[bytes], deadline: float) -> bytes:
    body = bytearray()
    for chunk in chunks:
        body += chunk
        if len(body) > MAX_BYTES:
            raise FetchError(f"{url} is larger than {MAX_BYTES // 1024} KB")
        if time.monotonic() > deadline:
            raise FetchError(f"{url} took longer than {TIMEOUT:.0f} s")
    return bytes(body)
