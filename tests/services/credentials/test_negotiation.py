"""A status list has one URL and two forms: the Accept header chooses, as the verifiers that
fetch it send it (DCC: JSON; openbadgeslib: nothing; ours: application/vc first)."""

import pytest

from badges.verify_ob3 import STATUS_LIST_ACCEPT
from services.credentials.publication import wants_json


@pytest.mark.parametrize(
    ("accept", "json"),
    [
        (None, False),  # openbadgeslib's urllib sends none: the VC-JWT
        ("", False),
        ("*/*", False),
        ("application/ld+json, application/json", True),  # DCC verifier-core
        (STATUS_LIST_ACCEPT, True),  # ours
        ("application/vc+jwt", False),
        ("application/json;q=0.5, application/vc+jwt", False),  # the higher quality wins
        ("application/vc+jwt;q=0.1, application/vc", True),
        ("text/html,application/xhtml+xml,*/*;q=0.8", False),  # a browser
        ("application/json;q=nonsense, application/vc+jwt", False),
    ],
)
def test_the_accept_header_chooses_the_form(accept: str | None, json: bool) -> None:
    assert wants_json(accept) is json
