"""A realistic bilingual demo data set, generated reproducibly from a seed.

The texts come from data/demo/ (written by the team, FR and EN); the seed picks who writes what,
where people live, their levels and availability. Names are fictional (Faker); every email is
on example.org. Dates are relative to the day of loading so that the demo never looks stale.
"""

import json
import random
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from faker import Faker
from sqlmodel import Session

from models import (
    Account,
    MemberRole,
    Membership,
    Organisation,
    OrganisationKind,
    Programme,
    Verification,
    persisted_id,
    queries,
    utcnow,
)
from services.demo.missions import add_demo_missions
from services.people.profiles import CompetenceResolver, save_need, save_volunteer
from services.records import CompetenceRef, NeedRecord, VolunteerRecord

VOLUNTEERS = 200
NEEDS = 60
_UNNAMED_EMPLOYER = {"fr": "une PME", "en": "a small company"}
_FAKER_LOCALES = {
    "FR": "fr_FR",
    "BE": "fr_BE",
    "ES": "es_ES",
    "IE": "en_IE",
    "DE": "de_DE",
    "IT": "it_IT",
    "PT": "pt_PT",
    "NL": "nl_NL",
    "GB": "en_GB",
}


@dataclass(frozen=True)
class DemoSummary:
    organisations: int
    volunteers: int
    needs: int
    missions: int
    already_loaded: bool = False

    def __str__(self) -> str:
        if self.already_loaded:
            return "demo data already loaded: nothing to do"
        return (
            f"demo data loaded: {self.organisations} organisations, {self.volunteers} volunteers, "
            f"{self.needs} needs, {self.missions} missions"
        )


def _read(data_dir: Path, name: str) -> Any:
    return json.loads((data_dir / "demo" / name).read_text(encoding="utf-8"))


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch in ".-")


class DemoBuilder:
    """Generates the demo set into a session; `load_demo` is the use-case that commits."""

    def __init__(self, session: Session, data_dir: Path, *, seed: int, today: date) -> None:
        self.session = session
        self.random = random.Random(seed)
        self.seed = seed
        self.today = today
        self.organisations = _read(data_dir, "organisations.json")
        self.templates = _read(data_dir, "need_templates.json")
        self.archetypes = _read(data_dir, "volunteer_archetypes.json")
        self.availability = _read(data_dir, "availability.json")
        self.resolver = CompetenceResolver(session)
        self._fakers: dict[str, Faker] = {}

    def faker(self, country: str) -> Faker:
        locale = _FAKER_LOCALES.get(country, "en_GB")
        if locale not in self._fakers:
            fake = Faker(locale)
            fake.seed_instance(self.seed)
            self._fakers[locale] = fake
        return self._fakers[locale]

    def _account(self, email: str, name: str, locale: str) -> Account:
        account = Account(email=email, display_name=name, locale=locale)
        self.session.add(account)
        self.session.flush()
        return account

    def organisations_and_people(self) -> int:
        data = self.organisations
        created: dict[str, Organisation] = {}
        rows = [(a, OrganisationKind.ASSOCIATION) for a in data["associations"]]
        rows += [(c, OrganisationKind.COMPANY) for c in data["companies"]]
        rows += [(f, OrganisationKind.FOUNDATION) for f in data["foundations"]]
        for row, kind in rows:
            language = "fr" if row.get("country", "FR") in {"FR", "BE"} else "en"
            organisation = Organisation(
                slug=row["slug"],
                name=row["name"],
                kind=kind,
                cause=row.get("cause"),
                city=row["city"],
                country=row["country"],
                staff_size=row.get("staff_size"),
                website=f"https://{row['slug']}.example.org",
                description=row.get(f"description_{language}") or row.get("description_en", ""),
                # The demo's associations are fictional and taken as checked: their missions
                # issue badges at once.
                verification=Verification.VERIFIED,
                verified_at=utcnow() if kind is OrganisationKind.ASSOCIATION else None,
            )
            self.session.add(organisation)
            self.session.flush()
            created[row["slug"]] = organisation
            role = {
                OrganisationKind.ASSOCIATION: MemberRole.ASSOCIATION_MEMBER,
                OrganisationKind.COMPANY: MemberRole.COMPANY_MANAGER,
                OrganisationKind.FOUNDATION: MemberRole.FOUNDATION_MANAGER,
            }[kind]
            for number in range(1 if kind is not OrganisationKind.ASSOCIATION else 2):
                name = self.faker(row["country"]).name()
                account = self._account(f"{row['slug']}.{number + 1}@example.org", name, language)
                self.session.add(
                    Membership(
                        account_id=persisted_id(account.id),
                        organisation_id=persisted_id(organisation.id),
                        role=role,
                    )
                )
        for row in data["programmes"]:
            company, run_by = created[row["company"]], created[row["run_by"]]
            self.session.add(
                Programme(
                    slug=row["slug"],
                    name=row["name"],
                    company_id=persisted_id(company.id),
                    run_by_id=persisted_id(run_by.id),
                    description=row.get("description_fr") or row.get("description_en", ""),
                )
            )
        self._account("admin@example.org", "Platform admin", "fr").is_platform_admin = True
        self.session.flush()
        return len(created)

    def _weighted(self, items: list[dict[str, Any]]) -> dict[str, Any]:
        return self.random.choices(items, weights=[item.get("weight", 1) for item in items])[0]

    def volunteer(self, number: int) -> VolunteerRecord:
        archetype = self._weighted(self.archetypes)
        place = self.random.choice(self.availability["cities"])
        languages = list(self._weighted(self.availability["language_profiles"])["languages"])
        writes = (
            "fr"
            if "fr" in languages and ("en" not in languages or self.random.random() < 0.55)
            else "en"
        )
        if writes not in languages:
            writes = "en" if "en" in languages else "fr"
        years = self.random.randint(2, 25)  # the texts say '{years} ans'
        seniority = min(1.0, years / 15)
        companies = self.organisations["companies"]
        company = self.random.choice(companies) if self.random.random() < 0.85 else None
        programme = next(
            (
                p["slug"]
                for p in self.organisations["programmes"]
                if company and p["company"] == company["slug"]
            ),
            None,
        )
        fake = self.faker(place["country"])
        first, last = fake.first_name(), fake.last_name()
        about = self.random.choice(archetype[f"about_{writes}"]).format(
            years=years,
            # Employers that are not on the platform stay unnamed.
            employer=company["name"] if company else _UNNAMED_EMPLOYER[writes],
        )
        starts = self.today + timedelta(days=self.random.randint(-30, 30))
        windowed = self.random.random() < 0.6
        remote_ok = self.random.random() < 0.85
        return VolunteerRecord(
            email=f"{_ascii(first)}.{_ascii(last)}.{number}@example.org",
            display_name=f"{first} {last}",
            headline=archetype[f"title_{writes}"],
            about=about,
            languages=languages,
            city=place["city"],
            country=place["country"],
            timezone=place["timezone"],
            remote_ok=remote_ok,
            onsite_ok=not remote_ok or self.random.random() < 0.6,
            hours_per_month=self.random.choice(self.availability["hours_per_month"]),
            available_from=starts if windowed else None,
            available_until=starts + timedelta(days=self.random.randint(60, 300))
            if windowed
            else None,
            employer=company["slug"] if company else None,
            programme=programme,
            locale=writes,
            competences=[
                CompetenceRef(
                    framework=claim.get("framework", "ecf"),
                    code=claim["code"],
                    level=round(
                        claim["level_min"] + seniority * (claim["level_max"] - claim["level_min"])
                    ),
                )
                for claim in archetype["claims"]
            ],
        )

    def need(self, number: int) -> NeedRecord:
        categories = sorted({t["category"] for t in self.templates})
        category = categories[number % len(categories)]
        associations = self.organisations["associations"]
        association = associations[number % len(associations)]
        # Some templates only make sense for some causes (a shop for a sheltered workshop).
        template = self.random.choice(
            [
                t
                for t in self.templates
                if t["category"] == category
                and association["cause"] in t.get("causes", [association["cause"]])
            ]
        )
        languages = list(association["languages"])
        writes = (
            "fr"
            if "fr" in languages and ("en" not in languages or self.random.random() < 0.6)
            else "en"
        )
        if writes not in languages:
            languages.append(writes)
        fill = {"association": association["name"], "city": association["city"]}
        work_mode = self.random.choice(template["work_modes"])
        hours = self.random.randint(template["hours_min"], template["hours_max"])
        return NeedRecord(
            association=association["slug"],
            ref=f"demo-{number + 1:03d}",
            title=template[f"title_{writes}"].format(**fill),
            description=template[f"description_{writes}"].format(**fill),
            deliverable=template[f"deliverable_{writes}"].format(**fill),
            hours_estimate=max(template["hours_min"], 5 * round(hours / 5)),
            work_mode=work_mode,
            city=association["city"] if work_mode != "remote" else None,
            country=association["country"] if work_mode != "remote" else None,
            languages=languages,
            deadline=self.today + timedelta(days=self.random.randint(30, 200)),
            status="draft" if number % 20 == 19 else "open",
            competences=[CompetenceRef(**r) for r in template["requirements"]],
        )


def load_demo(
    session: Session, data_dir: Path, *, seed: int, today: date | None = None
) -> DemoSummary:
    """Loads the demo set into an empty database once; commits once."""
    first = _read(data_dir, "organisations.json")["associations"][0]["slug"]
    if queries.organisations.find_organisation(session, first) is not None:
        return DemoSummary(0, 0, 0, 0, already_loaded=True)
    builder = DemoBuilder(session, data_dir, seed=seed, today=today or datetime.now(UTC).date())
    organisations = builder.organisations_and_people()
    volunteers = [
        save_volunteer(session, builder.volunteer(n), builder.resolver) for n in range(VOLUNTEERS)
    ]
    needs = [save_need(session, builder.need(n), builder.resolver) for n in range(NEEDS)]
    missions = add_demo_missions(session, builder.random, needs, volunteers, today=builder.today)
    session.commit()
    return DemoSummary(organisations, len(volunteers), len(needs), missions)
