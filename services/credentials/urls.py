"""Where the service publishes each document and page of a badge: the one table of public
paths (`PATHS`), which `PublicUrls` builds URLs from and the routers serve from (the badge
documents through `services.credentials.publication.DOCUMENTS`, the pages by name).

Badges carry these URLs for years (issuer ids, key ids, status lists, alignment targets), so
each path is stable and versioned by what it names, never by the software's version.
"""

from dataclasses import dataclass

from badges import did

PATHS: dict[str, str] = {
    # issuers and keys
    "jwks": "/.well-known/jwks.json",
    "key": "/keys/{key_uuid}",
    "issuer": "/issuers/{issuer_id}",
    "did_document": "/issuers/{issuer_id}/did.json",
    "status_list": "/status/{issuer_id}/{number}",
    "ob2_issuer": "/ob2/issuers/{issuer_id}",
    "ob2_revocation_list": "/ob2/issuers/{issuer_id}/revocations",
    "ob2_key": "/ob2/keys/{key_uuid}",
    # one credential
    "credential_page": "/credentials/{credential_id}",
    "credential_jwt": "/credentials/{credential_id}.jwt",
    "credential_json": "/credentials/{credential_id}.json",
    "credential_png": "/credentials/{credential_id}.png",
    "credential_svg": "/credentials/{credential_id}.svg",
    "image": "/credentials/{credential_id}/image.png",
    "achievement": "/achievements/{credential_id}",
    "mission": "/missions/{mission_id}",
    "endorsement": "/endorsements/{endorsement_id}.jwt",
    "endorsement_json": "/endorsements/{endorsement_id}.json",
    "ob2_badge_class": "/ob2/badges/{credential_id}",
    "ob2_assertion": "/ob2/assertions/{credential_id}",
    "ob2_jws": "/ob2/assertions/{credential_id}.jws",
    "ob2_png": "/ob2/assertions/{credential_id}.png",
    "ob2_svg": "/ob2/assertions/{credential_id}.svg",
    # pages for people
    "verify_page": "/verify",
    "organisation": "/organisations/{slug}",
    # frameworks (alignment targets): {name}/{version} is the framework's hosted path
    "competence": "/frameworks/{name}/{version}/{code}",
    "competence_level": "/frameworks/{name}/{version}/{code}/{level}",
}
# A credential's downloads, by the suffix its public page takes.
_CREDENTIAL_FORMS = {
    "": "credential_page",
    ".jwt": "credential_jwt",
    ".json": "credential_json",
    ".png": "credential_png",
    ".svg": "credential_svg",
}
_OB2_FORMS = {"": "ob2_assertion", ".jws": "ob2_jws", ".png": "ob2_png", ".svg": "ob2_svg"}


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

    def of_path(self, name: str, /, **parameters: str | int) -> str:
        """The URL of the path `name` of `PATHS`."""
        return self.base + PATHS[name].format(**parameters)

    # --- issuers and keys -------------------------------------------------------------------
    def jwks(self) -> str:
        return self.of_path("jwks")

    def issuer(self, issuer_id: int) -> str:
        return self.of_path("issuer", issuer_id=issuer_id)

    def issuer_did(self, issuer_id: int) -> str:
        """The issuer's identity in OB 3.0 documents: did:web of its profile's address, whose
        DID document is served at `did_document`."""
        return did.of_url(self.issuer(issuer_id))

    def did_document(self, issuer_id: int) -> str:
        return self.of_path("did_document", issuer_id=issuer_id)

    def key_id(self, issuer_id: int, key_uuid: str) -> str:
        """A key as a verification method of its issuer: a DID URL (a proof's
        `verificationMethod`, a VC-JWT's `kid`)."""
        return f"{self.issuer_did(issuer_id)}#{key_uuid}"

    def ob2_issuer(self, issuer_id: int) -> str:
        return self.of_path("ob2_issuer", issuer_id=issuer_id)

    def key(self, key_uuid: str) -> str:
        """The kid of a key: a URL that serves the one public JWK (OB 3.0 verifiers GET it)."""
        return self.of_path("key", key_uuid=key_uuid)

    def ob2_key(self, key_uuid: str) -> str:
        return self.of_path("ob2_key", key_uuid=key_uuid)

    def status_list(self, issuer_id: int, number: int) -> str:
        return self.of_path("status_list", issuer_id=issuer_id, number=number)

    def ob2_revocation_list(self, issuer_id: int) -> str:
        return self.of_path("ob2_revocation_list", issuer_id=issuer_id)

    def organisation(self, slug: str) -> str:
        return self.of_path("organisation", slug=slug)

    # --- one credential ---------------------------------------------------------------------
    def credential(self, credential_id: str, suffix: str = "") -> str:
        """The credential's public page; with a suffix (".jwt", ".json", ".png", ".svg") one
        of its downloads."""
        return self.of_path(_CREDENTIAL_FORMS[suffix], credential_id=credential_id)

    def image(self, credential_id: str) -> str:
        return self.of_path("image", credential_id=credential_id)

    def achievement(self, credential_id: str) -> str:
        return self.of_path("achievement", credential_id=credential_id)

    def mission(self, mission_id: int) -> str:
        return self.of_path("mission", mission_id=mission_id)

    def ob2_assertion(self, credential_id: str, suffix: str = "") -> str:
        return self.of_path(_OB2_FORMS[suffix], credential_id=credential_id)

    def ob2_badge_class(self, credential_id: str) -> str:
        return self.of_path("ob2_badge_class", credential_id=credential_id)

    def endorsement(self, endorsement_id: str, suffix: str = ".jwt") -> str:
        return self.of_path(
            "endorsement" if suffix == ".jwt" else "endorsement_json", endorsement_id=endorsement_id
        )

    def verify_page(self) -> str:
        return self.of_path("verify_page")

    # --- frameworks (alignment targets) -----------------------------------------------------
    def competence(self, path: str, code: str, level: str | None = None) -> str:
        """`path` is the framework's stable segment, e.g. "ecf/4.0" or "digcomp/2.2"."""
        name, version = path.split("/")
        if level is None:
            return self.of_path("competence", name=name, version=version, code=code)
        return self.of_path("competence_level", name=name, version=version, code=code, level=level)
