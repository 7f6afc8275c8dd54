"""Imports keep every good row, report every bad one, and never duplicate on a re-run."""

import io
import json
from typing import Any

import pytest
from sqlmodel import Session

from models import OrganisationKind, queries
from services.people import transfer
from services.people.transfer import Format, Kind
from tests.factories import make_organisation

VOLUNTEER = {
    "email": "Lea.Martin@example.org",
    "display_name": "Léa Martin",
    "headline": "Développeuse web",
    "about": "Je développe des sites WordPress et Django depuis huit ans.",
    "languages": ["fr", "en"],
    "city": "Nantes",
    "country": "fr",
    "hours_per_month": 8,
    "employer": "acme",
    "competences": ["ecf:B.1:e-3", "ecf:A.6:e-2"],
}


@pytest.fixture
def organisations(session: Session) -> None:
    make_organisation(session, slug="acme", kind=OrganisationKind.COMPANY)
    make_organisation(session, slug="les-jardins", kind=OrganisationKind.ASSOCIATION)


def _jsonl(*rows: Any) -> io.BytesIO:
    lines = [row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) for row in rows]
    return io.BytesIO("\n".join(lines).encode())


def _import(
    session: Session, handle: io.BytesIO, kind: Kind, fmt: Format = Format.JSONL
) -> transfer.ImportReport:
    return transfer.import_rows(session, transfer.read_rows(handle, fmt), kind)


@pytest.mark.usefixtures("organisations")
def test_good_rows_go_in_and_every_bad_row_is_reported(session: Session) -> None:
    rows = [
        VOLUNTEER,
        VOLUNTEER | {"email": "not-an-email"},
        "{this is not json",
        VOLUNTEER | {"email": "b@example.org", "competences": ["ecf:A.1:e-2"]},  # A.1 is e-4 … e-5
        VOLUNTEER | {"email": "c@example.org", "employer": "nobody"},
        VOLUNTEER | {"email": "d@example.org", "hours_per_month": -3},
        VOLUNTEER | {"email": "e@example.org", "display_name": "Eve"},
    ]
    report = _import(session, _jsonl(*rows), Kind.VOLUNTEERS)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    errors = {(e.line, e.field) for e in report.errors}
    assert errors == {
        (2, "email"),
        (3, None),
        (4, "competences"),
        (5, "employer"),
        (6, "hours_per_month"),
    }
    assert "A.1 allows levels e-4 to e-5" in next(e.reason for e in report.errors if e.line == 4)
    assert queries.organisations.find_account(session, "lea.martin@example.org") is not None
    assert queries.organisations.find_account(session, "e@example.org") is not None
    assert queries.organisations.find_account(session, "b@example.org") is None


@pytest.mark.usefixtures("organisations")
def test_importing_the_same_file_again_changes_nothing(session: Session) -> None:
    first = _import(session, _jsonl(VOLUNTEER), Kind.VOLUNTEERS)
    again = _import(session, _jsonl(VOLUNTEER), Kind.VOLUNTEERS)
    assert (first.created, again.created, again.updated, again.unchanged) == (1, 0, 0, 1)
    assert queries.profiles.count_profiles(session) == 1
    changed = _import(session, _jsonl(VOLUNTEER | {"hours_per_month": 12}), Kind.VOLUNTEERS)
    assert (changed.created, changed.updated) == (0, 1)


@pytest.mark.usefixtures("organisations")
def test_csv_needs_with_lists_in_cells_and_a_bad_encoding(session: Session) -> None:
    header = (
        "association,ref,title,description,hours_estimate,work_mode,city,languages,competences\n"
    )
    good = (
        'les-jardins,n1,Nouveau site,"Notre site date de 2012, il faut le refaire.",'
        "40,hybrid,Lille,fr;en,ecf:B.1:e-2\n"
    )
    no_city = "les-jardins,n2,Atelier,Former l'équipe,10,onsite,,fr,\n"
    latin1 = "les-jardins,n3,Caf\xe9,Texte,10,remote,,fr,\n".encode("latin-1")
    unknown = "les-jardins,n4,Site,Texte,10,remote,,fr,ecf:Z.9:e-2\n"
    data = (header + good + no_city).encode() + latin1 + unknown.encode()
    report = _import(session, io.BytesIO(data), Kind.NEEDS, Format.CSV)
    assert report.created == 1
    assert {(e.line, e.field) for e in report.errors} == {(3, None), (4, None), (5, "competences")}
    assert "city is required" in next(e.reason for e in report.errors if e.line == 3)
    assert "UTF-8" in next(e.reason for e in report.errors if e.line == 4)


@pytest.mark.usefixtures("organisations")
def test_export_then_import_round_trips(session: Session) -> None:
    _import(session, _jsonl(VOLUNTEER), Kind.VOLUNTEERS)
    need = {
        "association": "les-jardins",
        "ref": "n1",
        "title": "Site",
        "description": "Refaire le site.",
        "hours_estimate": 20,
        "work_mode": "remote",
        "languages": ["fr"],
        "competences": ["ecf:B.1:e-2"],
    }
    _import(session, _jsonl(need), Kind.NEEDS)
    for kind in Kind:
        for fmt in Format:
            out = io.StringIO()
            count = transfer.write_records(
                transfer.export_records(session, kind), fmt, out, transfer.columns(kind)
            )
            assert count == 1
            report = _import(session, io.BytesIO(out.getvalue().encode()), kind, fmt)
            assert (report.unchanged, report.errors) == (1, []), (kind, fmt, out.getvalue())
    exported = json.loads(next(iter(_export_lines(session, Kind.VOLUNTEERS))))
    assert exported["email"] == "lea.martin@example.org"
    assert exported["country"] == "FR"
    assert sorted(exported["competences"], key=str) == [
        {"framework": "ecf", "code": "A.6", "level": 2},
        {"framework": "ecf", "code": "B.1", "level": 3},
    ]


def _export_lines(session: Session, kind: Kind) -> list[str]:
    out = io.StringIO()
    transfer.write_records(
        transfer.export_records(session, kind), Format.JSONL, out, transfer.columns(kind)
    )
    return out.getvalue().splitlines()


@pytest.mark.usefixtures("organisations")
def test_messages_read_as_plain_sentences(session: Session) -> None:
    report = _import(session, _jsonl(VOLUNTEER | {"timezone": "Mars/Olympus"}), Kind.VOLUNTEERS)
    assert [str(e) for e in report.errors] == [
        "line 1, field timezone: unknown time zone 'Mars/Olympus'"
        " (use an IANA name such as Europe/Paris)"
    ]
