"""The verifier fetches other issuers' documents without becoming a way into the service's own
network: a real HTTPS server on this machine (a test CA from trustme) shows that private
addresses are refused before any connection, hop by hop through redirects, and that size,
scheme and redirect limits hold."""

import http.server
import ipaddress
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import trustme
from sqlmodel import Session

from badges.report import FetchError
from config import Settings
from services.credentials import fetching, verification

LOCAL = "127.0.0.1"


@dataclass
class Server:
    port: int
    client_context: ssl.SSLContext
    connections: list[str] = field(default_factory=list)  # one entry per TCP connection

    def url(self, path: str, host: str = LOCAL) -> str:
        return f"https://{host}:{self.port}{path}"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: Any

    def do_GET(self) -> None:
        port = self.server.server_address[1]
        redirects = {
            "/hop": "/doc",
            "/private": f"https://127.0.0.2:{port}/doc",
            "/plain": f"http://{LOCAL}:{port}/doc",
            "/loop": "/loop",
        }
        if self.path in redirects:
            self.send_response(302)
            self.send_header("Location", redirects[self.path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"x" * (fetching.MAX_BYTES + 1) if self.path == "/big" else b'{"found": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(LOCAL, "localhost").configure_cert(server_context)
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)

    class Counting(http.server.ThreadingHTTPServer):
        def verify_request(self, request: Any, client_address: Any) -> bool:
            found.connections.append(client_address[0])
            return True

    httpd = Counting((LOCAL, 0), _Handler)
    httpd.socket = server_context.wrap_socket(httpd.socket, server_side=True)
    found = Server(httpd.server_address[1], client_context)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield found
    httpd.shutdown()
    httpd.server_close()


def _only_local(address: fetching.Address) -> bool:
    return str(address) == LOCAL


def _fetch(server: Server, path: str) -> bytes:
    return fetching.fetch(
        server.url(path),
        accept="application/json",
        allowed=_only_local,
        ssl_context=server.client_context,
    ).body


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # shared address space
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fd00::1", False),
        ("fe80::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4 loopback mapped into IPv6
        ("::ffff:10.0.0.1", False),
        ("93.184.215.14", True),
        ("2001:4860:4860::8888", True),
    ],
)
def test_only_public_addresses_are_public(address: str, public: bool) -> None:
    assert fetching.is_public(ipaddress.ip_address(address)) is public


@pytest.mark.parametrize("host", [LOCAL, "localhost"])
def test_a_private_address_is_refused_before_any_connection(server: Server, host: str) -> None:
    before = len(server.connections)
    with pytest.raises(FetchError, match="not a public address"):
        fetching.fetch(
            server.url("/doc", host), accept="application/json", ssl_context=server.client_context
        )
    assert len(server.connections) == before


def test_a_document_is_fetched_and_redirects_are_followed(server: Server) -> None:
    assert _fetch(server, "/doc") == b'{"found": true}'
    assert _fetch(server, "/hop") == b'{"found": true}'


def test_a_redirect_to_a_private_address_is_refused(server: Server) -> None:
    before = len(server.connections)
    with pytest.raises(FetchError, match=r"127\.0\.0\.2: not a public address"):
        _fetch(server, "/private")
    assert server.connections[before:] == [LOCAL]  # the first hop only


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/plain", "only HTTPS documents are fetched"),
        ("/loop", "more than 3 redirects"),
        ("/big", "larger than 1024 KB"),
    ],
)
def test_limits_hold(server: Server, path: str, reason: str) -> None:
    with pytest.raises(FetchError, match=reason):
        _fetch(server, path)


def test_the_verifier_reports_the_refusal(
    session: Session, settings: Settings, server: Server
) -> None:
    allowed = settings.model_copy(update={"verify_fetch_external": True})
    report = verification.verify_badge(session, allowed, server.url("/doc"))
    failed = [c.message for c in report.checks if c.outcome == "failed"]
    assert any("not a public address" in message for message in failed), failed
