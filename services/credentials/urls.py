"""Where the service publishes each document of a badge: the one place that knows the URLs.

Badges carry these URLs for years (issuer ids, key ids, status lists, alignment targets), so
each path is stable and versioned by what it names, never by the software's version.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class PublicUrls:
    base: str  # PROBONO_PUBLIC_BASE_URL, without a trailing slash

    @classmethod
    def of(cls, base: str) -> "PublicUrls":
        return cls(base.rstrip("/"))

    def owns(self, url: str) -> bool:
        return url == self.base or url.startswith(self.base + "/")

    def path(self, url: str) -> str:
        """The path of one of our URLs (with its query), for the local resolver."""
        return url[len(self.base) :] or "/"

    # --- issuers and keys -------------------------------------------------------------------
    def jwks(self) -> str:
        return f"{self.base}/.well-known/jwks.json"

    def issuer(self, issuer_id: int) -> str:
        return f"{self.base}/issuers/{issuer_id}"

    def ob2_issuer(self, issuer_id: int) -> str:
        return f"{self.base}/ob2/issuers/{issuer_id}"

    def key(self, key_uuid: str) -> str:
        """The kid of a key: a URL that serves the one public JWK (OB 3.0 verifiers GET it)."""
        return f"{self.base}/keys/{key_uuid}"

    def ob2_key(self, key_uuid: str) -> str:
        return f"{self.base}/ob2/keys/{key_uuid}"

    def status_list(self, issuer_id: int, number: int) -> str:
        return f"{self.base}/status/{issuer_id}/{number}"

    def revocation_list(self, issuer_id: int) -> str:
        return f"{self.base}/revocations/{issuer_id}"

    def ob2_revocation_list(self, issuer_id: int) -> str:
        return f"{self.base}/ob2/issuers/{issuer_id}/revocations"

    def organisation(self, slug: str) -> str:
        return f"{self.base}/organisations/{slug}"

    # --- one credential ---------------------------------------------------------------------
    def credential(self, credential_id: str, suffix: str = "") -> str:
        """The credential's public page; with a suffix (".jwt", ".json", ".png", ".svg") one
        of its downloads."""
        return f"{self.base}/credentials/{credential_id}{suffix}"

    def image(self, credential_id: str) -> str:
        return f"{self.base}/credentials/{credential_id}/image.png"

    def achievement(self, credential_id: str) -> str:
        return f"{self.base}/achievements/{credential_id}"

    def mission(self, mission_id: int) -> str:
        return f"{self.base}/missions/{mission_id}"

    def ob2_assertion(self, credential_id: str, suffix: str = "") -> str:
        return f"{self.base}/ob2/assertions/{credential_id}{suffix}"

    def ob2_badge_class(self, credential_id: str) -> str:
        return f"{self.base}/ob2/badges/{credential_id}"

    def endorsement(self, endorsement_id: str) -> str:
        return f"{self.base}/endorsements/{endorsement_id}.jwt"

    def verify_page(self) -> str:
        return f"{self.base}/verify"

    # --- frameworks (alignment targets) -----------------------------------------------------
    def competence(self, path: str, code: str, level: str | None = None) -> str:
        """`path` is the framework's stable segment, e.g. "ecf/4.0" or "digcomp/2.2"."""
        return f"{self.base}/frameworks/{path}/{code}" + (f"/{level}" if level else "")
