"""A match's reasons as the pages say them: in the page's language, with their figures."""

from dataclasses import replace
from datetime import date

from sqlmodel import Session

from api.web import i18n
from api.web.words import Competences, reasons
from matching.constraints import Nearby, NeedFacts, VolunteerFacts, exclusions, penalties
from matching.coverage import CompetenceMatch
from matching.scoring import Explanation

TODAY = date(2026, 3, 1)
HYBRID = NeedFacts(
    languages=frozenset({"fr"}),
    work_mode="hybrid",
    city="Lille",
    country="FR",
    hours_estimate=40,
    deadline=date(2026, 4, 1),
)
BERLIN = VolunteerFacts(
    languages=frozenset({"fr", "de"}),
    city="Berlin",
    country="DE",
    remote_ok=True,
    onsite_ok=True,
    hours_per_month=20,
)


def _said(session: Session, locale: str, explanation: Explanation) -> dict[str, list[str]]:
    token = i18n.current.set(locale)
    try:
        found = reasons(Competences(session), explanation)
    finally:
        i18n.current.reset(token)
    return {"exclusions": found["exclusions"], "penalties": found["penalties"]}


def test_soft_penalties_keep_their_hours_and_cities_in_both_languages(session: Session) -> None:
    lower = Explanation(0.5, {}, penalties=tuple(penalties(HYBRID, BERLIN, today=TODAY)))
    assert _said(session, "fr", lower)["penalties"] == [
        "Peut donner environ 20 h sur les 40 h demandées avant l'échéance : "
        "la mission pourrait durer plus longtemps.",
        "Vit à Berlin, loin de Lille : travaillerait à distance et viendrait rarement sur place.",
    ]
    assert _said(session, "en", lower)["penalties"] == [
        "Can give about 20 h of the 40 h asked before the deadline: the mission may take longer.",
        "Lives in Berlin, not near Lille: would work remotely and come rarely.",
    ]


def test_exclusions_say_which_date_and_which_languages(session: Session) -> None:
    passed = replace(HYBRID, deadline=date(2026, 1, 15))
    german = replace(BERLIN, languages=frozenset({"de"}))
    found = exclusions(passed, german, today=TODAY, nearby=Nearby())
    said = _said(session, "fr", Explanation(0.0, {}, exclusions=tuple(found)))["exclusions"]
    assert said == [
        "Aucune langue de travail en commun (mission : français ; bénévole : allemand).",
        "L'échéance (15 janvier 2026) est passée.",
    ]


def test_a_match_reads_as_a_sentence_first_each_level_written_once(session: Session) -> None:
    explanation = Explanation(
        score=0.7,
        contributions={},
        competences=(
            CompetenceMatch("ecf:B.1", 2, 2, "met", 1.0, "declared"),
            CompetenceMatch("ecf:A.6", 2, 3, "met", 1.0, "declared"),
            CompetenceMatch("ecf:B.4", 3, 2, "below", 0.5, "declared"),
            CompetenceMatch("ecf:D.6", 2, None, "missing", 0.0, None),
        ),
    )
    token = i18n.current.set("fr")
    try:
        found = reasons(Competences(session), explanation)
    finally:
        i18n.current.reset(token)
    assert found["counts"] == (2, 1, 1)
    assert found["summary"] == (
        "Possède 2 des 4 compétences demandées, et 1 autre à un niveau plus bas. "
        "Manque : Marketing numérique. La langue, le lieu et le temps conviennent."
    )
    same, higher, below, missing = (sentence for _, sentence in found["competences"])
    assert same.count("e-2") == 1  # asked and offered alike: said once
    assert "au niveau demandé" in same
    assert "e-3" in higher
    assert "e-2" in higher
    assert "en dessous" in below
    assert "non indiqué" in missing


def test_a_volunteer_reads_about_themselves_in_the_second_person(session: Session) -> None:
    lower = Explanation(
        0.5,
        {},
        competences=(CompetenceMatch("ecf:B.1", 2, 2, "met", 1.0, "declared"),),
        penalties=tuple(penalties(HYBRID, BERLIN, today=TODAY)),
    )
    token = i18n.current.set("fr")
    try:
        found = reasons(Competences(session), lower, you=True)
    finally:
        i18n.current.reset(token)
    assert found["summary"] == "Vous avez toutes les compétences demandées."
    assert found["penalties"] == [
        "Vous pouvez donner environ 20 h sur les 40 h demandées avant l'échéance : "
        "la mission pourrait durer plus longtemps.",
        "Vous vivez à Berlin, loin de Lille : vous travailleriez à distance et viendriez rarement.",
    ]


def test_levels_are_named_as_people_say_them_with_their_code(session: Session) -> None:
    words = Competences(session)
    for locale, expected in (("fr", "confirmé (e-2)"), ("en", "experienced (e-2)")):
        token = i18n.current.set(locale)
        try:
            assert words.level("ecf", 2) == expected
            assert words.level("ecf-4.0", 2) == expected  # by the framework's id too
            assert words.level("ecf", 5).endswith("(e-5)")
        finally:
            i18n.current.reset(token)


def test_dates_and_money_are_written_the_way_the_reader_writes_them() -> None:
    written = {}
    for language, accept in (("fr", "fr-FR"), ("en", "en-GB,en;q=0.8"), ("en", "en-US")):
        token = i18n.current.set(language)
        region = i18n.region.set(i18n.region_of(language, accept))
        try:
            written[accept] = (i18n.day(date(2026, 12, 4)), i18n.money_text(48060))
        finally:
            i18n.region.reset(region)
            i18n.current.reset(token)
    assert written["fr-FR"] == ("4 décembre 2026", "48\u202f060,00\u00a0€")
    assert written["en-GB,en;q=0.8"] == ("4 December 2026", "€48,060.00")
    assert written["en-US"] == ("December 4, 2026", "€48,060.00")
    assert i18n.region_of("en", "de-DE,en;q=0.5") == "en_GB"  # English, the European way


def test_a_country_is_read_by_its_name_in_either_language_or_its_code() -> None:
    assert i18n.country_code("France") == "FR"
    assert i18n.country_code(" belgique ") == "BE"
    assert i18n.country_code("Royaume Uni") == "GB"
    assert i18n.country_code("ie") == "IE"
    assert i18n.country_code("Atlantis") is None


def test_hours_are_read_as_people_type_them() -> None:
    token = i18n.current.set("fr")
    try:
        typed = {text: i18n.typed_number(text) for text in ("3,5", "2h30", "1 h", "2h75", "abc")}
    finally:
        i18n.current.reset(token)
    assert typed == {"3,5": "3.5", "2h30": "2.5", "1 h": "1", "2h75": "2h75", "abc": "abc"}
