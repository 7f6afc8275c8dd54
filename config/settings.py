"""Settings for every process (API, CLI, tests), read from the environment and `.env`."""

import ipaddress
import logging
import math
import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal, Self

import limits
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from errors import ProbonoError

REPOSITORY = Path(__file__).resolve().parent.parent

log = logging.getLogger(__name__)


class SettingsError(ProbonoError):
    """The configuration is incomplete or invalid; the message says what to set."""


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


# Secrets that have no default outside development: (attribute, what it protects).
_SECRETS = (
    ("secret_key", "signs sessions and tokens"),
    ("key_encryption_key", "encrypts signing keys at rest"),
)


# A secret must carry at least 32 random bytes: a guessable one lets anyone forge sessions.
SECRET_BITS = 256
_CLASSES = (
    (str.islower, 26),
    (str.isupper, 26),
    (str.isdigit, 10),
    (lambda c: not c.isalnum(), 33),
)


def entropy_bits(secret: str) -> float:
    """An upper bound of the entropy of a secret: its length times the bits of a character of
    the kinds it uses (lower case, upper case, digits, others). A string of few distinct
    characters ("aaaa…", "abab…") is not random whatever its length: 0."""
    if len(set(secret)) < 10:
        return 0.0
    pool = sum(size for test, size in _CLASSES if any(test(c) for c in secret))
    return len(secret) * math.log2(pool)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PROBONO_", env_file=".env", extra="ignore")

    env: Environment = Environment.DEVELOPMENT
    # var/ holds what a running service writes (SQLite file, generated dev secrets, model cache).
    var_dir: Path = REPOSITORY / "var"
    # data/ holds the versioned reference data shipped with the code.
    data_dir: Path = REPOSITORY / "data"
    # Empty means the embedded SQLite file in var_dir; PostgreSQL by URL.
    database_url: str = ""
    # PostgreSQL connections per server process: kept open, and opened beyond up to the
    # overflow. A worker runs up to 40 requests at once (Starlette's thread pool), so 5 + 35
    # means none waits for a connection (PostgreSQL's default allows 100 in all).
    database_pool_size: int = Field(default=5, ge=1)
    database_max_overflow: int = Field(default=35, ge=0)
    public_base_url: str = "http://127.0.0.1:8000"
    secret_key: SecretStr | None = None
    key_encryption_key: SecretStr | None = None
    demo_seed: int = 2026
    # Lets the demo accounts sign in (development only; generated in var_dir when unset).
    demo_password: SecretStr | None = None
    # The multilingual default, or the English-only fallback "all-minilm-l6-v2".
    embedding_model: str = "multilingual-e5-small"
    # The model is loaded before the server answers, so that a broken model stops the start-up;
    # false defers it to the first request that needs it (a server that only runs missions
    # and verifies badges starts in about a second).
    preload_model: bool = True
    embedding_batch_size: int = Field(default=32, ge=1, le=512)
    # Where models built at set-up live (git-ignored; built from wheels, never downloaded).
    model_cache_dir: Path = REPOSITORY / "var" / "models"
    # Up to this many profiles, similarity search is exact; beyond, an approximate index
    # (docs/performance.md) saved in var_dir/index so that a restart does not rebuild it.
    exact_search_limit: int = Field(default=100_000, ge=1)
    # Open Badges 3.0 credentials are signed with RS256 (every verifier knows it) or ES256.
    # OB 2.0 signed assertions always use RS256, the only algorithm its verifiers accept.
    badge_algorithm: Literal["RS256", "ES256"] = "RS256"
    # Where private signing keys live, always encrypted with the key-encryption key: in the
    # database, or as files in signing_key_dir (kept apart from database backups).
    signing_key_store: Literal["database", "files"] = "database"
    signing_key_dir: Path = REPOSITORY / "var" / "keys"
    # Years a credential stays valid; none means it does not expire (a mission happened).
    credential_validity_years: int | None = Field(default=None, ge=1, le=50)
    # The verifier reads our own documents from the database; badges of other issuers need
    # their documents fetched over HTTPS, which this allows.
    verify_fetch_external: bool = False
    # Retention of personal data (`probono retention apply`): sign-in attempts (an email and an
    # address each) for this many days; accounts unused for this many years are erased as
    # their owner could (none: kept until erased).
    sign_in_log_days: int = Field(default=30, ge=1)
    idle_account_years: int | None = Field(default=None, ge=1)
    # The largest request body accepted, uploads included (413 beyond): room for a baked
    # badge (verified up to 2 MB) and a cost import of tens of thousands of rows.
    max_request_bytes: int = Field(default=4 * 1024 * 1024, ge=64 * 1024)
    # Badge verification needs no account: each address may verify this many badges (limits'
    # notation: "60/minute", "1000/hour"), counted per server process.
    verify_rate_limit: str = "60/minute"
    # Accounts each address may create (a person signs up once; a script would fill the
    # platform with fake associations).
    sign_up_rate_limit: str = "10/hour"
    # The reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, as
    # addresses or networks separated by commas ("10.0.0.5,192.168.1.0/24"). Empty: none, and
    # the limits per address count the address that connects (a client on this machine cannot
    # pose as others by writing the header).
    trusted_proxies: str = ""
    platform_name: str = "probono"
    platform_email: str = "badges@probono.example"
    # Email. Empty: each message is written as a file in var_dir/mail (the embedded default).
    # smtp://user:password@host:587 (STARTTLS when the server offers it) or smtps://…:465.
    smtp_url: SecretStr | None = None
    # The sender of every email; empty: the platform's name and address above.
    mail_from: str = ""
    # An email the server did not take is tried again after this many seconds, doubled at
    # each try, until this many tries (then it waits for a platform admin: a dead letter).
    mail_retry_seconds: int = Field(default=60, ge=1)
    mail_max_attempts: int = Field(default=8, ge=1, le=30)
    # A mail server that does not answer within this is a failed try (then retried).
    smtp_timeout_seconds: float = Field(default=30, gt=0, le=300)
    # How often the worker looks for due emails and deadlines when it has nothing to do.
    worker_poll_seconds: float = Field(default=5, gt=0, le=3600)
    # Answer deadlines: an application unanswered this many days sends the association a
    # reminder, and expires after the second period; hours or a completion waiting for a
    # confirmation send a reminder after the third.
    application_reminder_days: float = Field(default=3, gt=0)
    application_expiry_days: float = Field(default=10, gt=0)
    confirmation_reminder_days: float = Field(default=3, gt=0)
    log_level: str = "INFO"

    @field_validator("verify_rate_limit", "sign_up_rate_limit")
    @classmethod
    def _a_rate(cls, value: str) -> str:
        limits.parse(value)  # "couldn't parse rate limit string …" as the error
        return value

    @field_validator("smtp_url")
    @classmethod
    def _an_smtp_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and value.get_secret_value():
            scheme = value.get_secret_value().partition("://")[0]
            if scheme not in {"smtp", "smtps"}:
                raise ValueError(
                    "write the mail server as smtp://user:password@host:587 or "
                    "smtps://user:password@host:465"
                )
        return value

    @property
    def sender(self) -> str:
        return self.mail_from or f"{self.platform_name} <{self.platform_email}>"

    @field_validator("trusted_proxies")
    @classmethod
    def _addresses(cls, value: str) -> str:
        for entry in filter(None, (part.strip() for part in value.split(","))):
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(
                    f"{entry!r} is not an address or a network (such as 10.0.0.5 or 10.0.0.0/8)"
                ) from None
        return value

    @property
    def trusted_proxy_list(self) -> list[str]:
        return [part.strip() for part in self.trusted_proxies.split(",") if part.strip()]

    @model_validator(mode="after")
    def _secrets_present_outside_development(self) -> Self:
        if self.env is not Environment.PRODUCTION:
            return self
        problems = []
        for name, purpose in _SECRETS:
            value: SecretStr | None = getattr(self, name)
            if value is None or not value.get_secret_value():
                problems.append(f"PROBONO_{name.upper()} ({purpose}) is missing")
            elif entropy_bits(value.get_secret_value()) < SECRET_BITS:
                problems.append(f"PROBONO_{name.upper()} ({purpose}) is too weak")
        if problems:
            raise ValueError(
                "production mode refuses to start: "
                + "; ".join(problems)
                + f". Give each secret at least {SECRET_BITS // 8} random bytes, such as the "
                "output of `python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'probono.db'}"

    def secret(self, name: str) -> SecretStr:
        """Returns a configured secret; in development and test, generates one and says so.

        Generated secrets are kept in `var_dir` so that a restart keeps sessions and keys usable.
        """
        value: SecretStr | None = getattr(self, name)
        if value is not None and value.get_secret_value():
            return value
        if self.env is Environment.PRODUCTION:  # unreachable after validation; kept as a guard
            raise RuntimeError(f"PROBONO_{name.upper()} is required in production")
        path = self.var_dir / "secrets" / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
            path.chmod(0o600)
            log.warning(
                "PROBONO_%s is not set: generated a development secret in %s "
                "(set it explicitly in production)",
                name.upper(),
                path,
            )
        return SecretStr(path.read_text(encoding="utf-8").strip())


@lru_cache
def get_settings() -> Settings:
    """The settings of this process, read once.

    Raises:
        SettingsError: a variable is invalid or a production secret is missing.
    """
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: "
            f"{e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors(include_url=False)
        )
        raise SettingsError(f"invalid configuration: {problems}") from None
