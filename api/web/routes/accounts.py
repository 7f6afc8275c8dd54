"""Home, language, signing up (as a volunteer or for an association), in and out."""

import math
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import UploadFile

from api.deps import SessionDep, settings_of
from api.request_limits import count_sign_up, limit_sign_up
from api.web import i18n, security, words
from api.web.deps import ViewerDep
from api.web.forms import Form, read_form
from api.web.i18n import _, ngettext
from api.web.pages import redirect, render
from models import Account, Cause, Conflict, IdentifierKind, InvalidData, queries
from services.actors import actor_of
from services.errors import NotSignedIn, TooManyAttempts
from services.people import accounts, associations
from services.people.associations import Proof

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path of this site: never send people elsewhere after signing in."""
    if (
        not target
        or urlsplit(target).netloc
        or not target.startswith("/")
        or target.startswith("//")
    ):
        return "/"
    return target


@router.get("/")
def home(request: Request, session: SessionDep, viewer: ViewerDep) -> HTMLResponse:
    needs = queries.profiles.count_open_needs(session)
    return render(request, "home.html", viewer, {"open_needs": needs})


@router.get("/language/{code}")
def language(request: Request, code: str, next: Annotated[str | None, Query()] = None) -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    if code in i18n.LOCALES:
        security.set_language(response, settings_of(request), code)
    return response


def _signup_context(values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    return {
        "values": values,
        "errors": errors,
        "causes_options": words.causes(),
        "identifier_options": words.identifier_kinds(),
    }


ROLES = ("volunteer", "association")
_ASSOCIATION_FIELDS = ("association_name", "city", "country", "identifier")


@router.get("/signup")
def signup_page(
    request: Request, viewer: ViewerDep, role: Annotated[str | None, Query()] = None
) -> HTMLResponse:
    if role not in ROLES:  # the role first: the form then asks only what it needs
        return render(request, "signup_role.html", viewer, {})
    return render(request, "signup.html", viewer, _signup_context({"role": role}, {}))


# What each kind of identifier looks like, said to the person who typed a wrong one.
_IDENTIFIER_HELP: dict[IdentifierKind, Callable[[], str]] = {
    IdentifierKind.RNA: lambda: _("An RNA number is W followed by 9 digits, such as W751234567."),
    IdentifierKind.SIREN: lambda: _(
        "This is not a SIREN number: it has 9 digits, the last one a check digit that must "
        "match the others. Copy it again from your INSEE notice."
    ),
    IdentifierKind.BCE: lambda: _(
        "This is not a Belgian enterprise number: it has 10 digits, such as 0403.170.701, the "
        "last two a check number that must match the others. Copy it again from the register."
    ),
    IdentifierKind.UK_CHARITY: lambda: _(
        "A UK charity number has 6 or 7 digits, or SC or NIC and 6 digits."
    ),
}


async def _proof(form: Form) -> Proof | None:
    """The association's identifier or document, checked before anything is saved (the
    form's errors say what to fix)."""
    kind_value = form.text("identifier_kind", required=True)
    if kind_value not in {k.value for k in IdentifierKind}:
        form.errors.setdefault("identifier_kind", _("Choose how we can check it exists."))
        return None
    kind = IdentifierKind(kind_value)
    upload = form.values.get("document")
    content = b""
    if isinstance(upload, UploadFile) and upload.filename:
        content = await upload.read(associations.MAX_DOCUMENT + 1)
    proof = Proof(
        kind,
        form.text("identifier", max_length=40),
        upload.filename if isinstance(upload, UploadFile) and upload.filename else "",
        (upload.content_type or "") if isinstance(upload, UploadFile) else "",
        content,
    )
    try:
        associations.check_proof(proof)
    except InvalidData as exc:
        if exc.field == "identifier" and kind in _IDENTIFIER_HELP:
            form.errors["identifier"] = _IDENTIFIER_HELP[kind]()
        else:
            form.errors["document"] = _(
                "Send your statutes or the receipt of your declaration, as a PDF, PNG or JPEG "
                "file of 2 MB at most."
            )
    return proof


def _too_many(exc: TooManyAttempts) -> str:
    if exc.retry_after < 120:
        return ngettext(
            "Too many attempts: wait %(num)s second before trying again.",
            "Too many attempts: wait %(num)s seconds before trying again.",
            exc.retry_after,
        ) % {"num": exc.retry_after}
    minutes = math.ceil(exc.retry_after / 60)
    return ngettext(
        "Too many attempts: wait %(num)s minute before trying again.",
        "Too many attempts: wait %(num)s minutes before trying again.",
        minutes,
    ) % {"num": minutes}


@router.post("/signup")
async def signup(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    form = await read_form(request)
    try:
        limit_sign_up(request)
    except TooManyAttempts as exc:
        page = render(
            request,
            "signup.html",
            viewer,
            _signup_context(form.values, {"form": _too_many(exc)}),
            status=429,
        )
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    role = form.text("role")
    if role not in ROLES:
        return redirect(request, "/signup", ("error", _("Choose who you are joining as.")))
    proof = await _read_sign_up(form, role)
    made = _make_account(session, form, role, proof) if form.ok else None
    if made is None:
        context = _signup_context(form.values, form.errors)
        context["retype_password"] = "password" not in form.errors
        return render(request, "signup.html", viewer, context, status=422)
    account, landing = made
    count_sign_up(request)
    token = accounts.first_session(session, account, security.client_address(request))
    response = redirect(
        request,
        landing,
        (
            "ok",
            _("Welcome! Your account is ready.")
            if role == "volunteer"
            else _(
                "Welcome! Post your needs now; the platform checks your association within a "
                "few days, and its missions issue badges from then on."
            ),
        ),
    )
    security.start_session(response, settings_of(request), token)
    return response


async def _read_sign_up(form: Form, role: str) -> Proof | None:
    """Checks the sign-up form's fields (errors in `form.errors`); an association's proof."""
    form.text("display_name", required=True, max_length=120)
    form.text("email", required=True, max_length=254)
    if len(str(form.values.get("password", ""))) < accounts.MIN_PASSWORD:
        form.errors["password"] = _("Choose a password of at least %(n)s characters.") % {
            "n": accounts.MIN_PASSWORD
        }
    if role != "association":
        if any(form.text(name) for name in _ASSOCIATION_FIELDS):
            # Never drop what was typed: an association's details need the association's form.
            form.errors["form"] = _(
                "You gave an association's details: to register an association, choose "
                '"for an association" first.'
            )
        return None
    form.text("association_name", required=True, max_length=200)
    form.text("city", required=True, max_length=120)
    code = i18n.country_code(form.text("country", required=True))
    if code is None:
        form.errors["country"] = _("Write the country's name or its two letters, such as FR.")
    else:
        form.values["country"] = code
    return await _proof(form)


def _make_account(
    session: Session, form: Form, role: str, proof: Proof | None
) -> tuple[Account, str] | None:
    """The new account and where it lands; None with the reason in `form.errors`."""
    try:
        account = accounts.sign_up(
            session,
            email=form.text("email"),
            password=str(form.values.get("password", "")),
            display_name=form.text("display_name"),
            locale=i18n.current.get(),
        )
        if role != "association":
            return account, "/me/profile"
        cause = form.text("cause")
        made = accounts.register_association(
            session,
            account,
            name=form.text("association_name"),
            city=form.text("city"),
            country=form.text("country"),
            cause=Cause(cause) if cause in {c.value for c in Cause} else None,
            proof=proof,
        )
        return account, f"/org/{made.slug}"
    except Conflict:
        form.errors["email"] = _("An account already uses this email: sign in instead.")
    except InvalidData as exc:
        form.errors[exc.field or "form"] = _("Check this field: %(why)s") % {"why": exc}
    return None


@router.get("/signin")
def signin_page(
    request: Request, viewer: ViewerDep, next: Annotated[str | None, Query()] = None
) -> HTMLResponse:
    return render(
        request, "signin.html", viewer, {"values": {"next": _safe_next(next)}, "errors": {}}
    )


@router.post("/signin")
async def signin(request: Request, session: SessionDep, viewer: ViewerDep) -> Response:
    form = await read_form(request)
    email = form.text("email", required=True)
    password = str(form.values.get("password", ""))
    status, retry = 422, 0
    if form.ok:
        try:
            signed = accounts.sign_in(
                session, email=email, password=password, address=security.client_address(request)
            )
        except NotSignedIn:
            form.errors["form"] = _("Wrong email or password.")
        except TooManyAttempts as exc:
            status = 429
            form.errors["form"] = _too_many(exc)
            retry = exc.retry_after
    if not form.ok:
        page = render(
            request,
            "signin.html",
            viewer,
            {"values": form.values, "errors": form.errors},
            status=status,
        )
        if status == 429:
            page.headers["Retry-After"] = str(retry)
        return page
    target = _safe_next(form.text("next"))
    if target == "/":  # no page asked for (or one elsewhere): their own space
        target = security.own_space(session, actor_of(session, signed.account))
    response = redirect(request, target, ("ok", _("You are signed in.")))
    security.start_session(response, settings_of(request), signed.token)
    return response


@router.post("/signout")
async def signout(request: Request, session: SessionDep) -> Response:
    await read_form(request)
    accounts.sign_out(session, request.cookies.get(security.SESSION_COOKIE))
    response = redirect(request, "/", ("ok", _("You are signed out.")))
    security.end_session(response, settings_of(request))
    return response
