"""The platform admin's page of associations to verify: what each gave at sign-up (its
number, with a link to look it up in the public register, or its document), and the buttons
that verify it (its waiting badges are issued then) or reject it with a reason."""

import re
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SessionDep, settings_of
from api.web import security, words
from api.web.deps import ViewerDep
from api.web.forms import read_form
from api.web.i18n import _, ngettext
from api.web.pages import redirect, render
from models import IdentifierKind, InvalidData, NotFound, queries
from services.actors import Actor
from services.people import associations

router = APIRouter(include_in_schema=False)

# Where an admin looks an identifier up (public registers, searched by the number).
_REGISTERS = {
    IdentifierKind.RNA: "https://www.journal-officiel.gouv.fr/pages/associations-recherche/?q={}",
    IdentifierKind.SIREN: "https://annuaire-entreprises.data.gouv.fr/rechercher?terme={}",
    IdentifierKind.BCE: "https://kbopub.economie.fgov.be/kbopub/toonondernemingps.html?ondernemingsnummer={}",
    IdentifierKind.UK_CHARITY: "https://register-of-charities.charitycommission.gov.uk/charity-search/-/results/page/1/delta/20/keywords/{}",
}


def _admin(viewer_actor: Actor) -> Actor:
    if not viewer_actor.is_admin:
        raise NotFound("no such page")  # the page's existence is not for others to learn
    return viewer_actor


@router.get("/admin/associations")
def associations_page(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    _admin(security.require(viewer, request))
    rows = [
        {
            "association": found,
            "register": None
            if found.identifier_kind not in _REGISTERS or not found.identifier
            else _REGISTERS[found.identifier_kind].format(quote(found.identifier)),
            "document": document,
            "waiting": waiting,
        }
        for found, document, waiting in queries.organisations.associations_to_verify(session)
    ]
    labels = dict(words.identifier_kinds())
    return render(
        request,
        "admin_associations.html",
        viewer,
        {"rows": rows, "identifier_labels": labels},
    )


@router.get("/admin/associations/{slug}/document")
def document(slug: str, request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    _admin(security.require(viewer, request))
    found = queries.organisations.association_document(session, slug)
    if found is None:
        raise NotFound(f"{slug} sent no document")
    return Response(
        found.content,
        media_type=found.media_type,
        # Shown as a download, never rendered in the service's own origin.
        headers={"Content-Disposition": _attachment(found.filename, f"{slug}-{found.id}")},
    )


def _attachment(filename: str, fallback: str) -> str:
    """The download under the name it was sent with (its extension kept), safely quoted."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", filename) or fallback
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


@router.post("/admin/associations/{slug}/verify")
async def verify(slug: str, request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    actor = _admin(security.require(viewer, request))
    await read_form(request)
    issued = associations.verify(session, settings_of(request), actor, slug)
    return redirect(
        request,
        "/admin/associations",
        (
            "ok",
            ngettext(
                "Verified: %(num)s waiting badge issued.",
                "Verified: %(num)s waiting badges issued.",
                issued,
            )
            % {"num": issued},
        ),
    )


@router.post("/admin/associations/{slug}/reject")
async def reject(slug: str, request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    actor = _admin(security.require(viewer, request))
    form = await read_form(request)
    try:
        associations.reject(session, actor, slug, form.text("reason"))
    except InvalidData:
        return redirect(
            request, "/admin/associations", ("error", _("Say why the association is rejected."))
        )
    return redirect(
        request, "/admin/associations", ("ok", _("Rejected; the association is told why."))
    )
