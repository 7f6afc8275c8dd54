"""Filling the web pages' forms from a test client: the CSRF token each form carries, and
signing in with a password set for the test."""

import re
from typing import Any

from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlmodel import Session

from models import queries

PASSWORD = "a long enough password"


def csrf(client: TestClient, path: str = "/signin") -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert found is not None
    return found.group(1)


def post(client: TestClient, path: str, data: dict[str, Any], **kwargs: Any) -> Any:
    return client.post(path, data={"csrf": csrf(client), **data}, follow_redirects=False, **kwargs)


def sign_in(client: TestClient, session: Session, email: str) -> None:
    """Signs in an account made by the factories (which have no password)."""
    account = queries.organisations.get_account(session, email)
    account.password_hash = PasswordHasher().hash(PASSWORD)
    session.commit()
    assert post(client, "/signin", {"email": email, "password": PASSWORD}).status_code == 303
