"""`probono migrate | reference | demo | init | serve`."""

import argparse
from typing import Any

from sqlmodel import Session

from cli import model_commands
from config import Environment, Settings, get_settings
from models import queries, utcnow
from reporting import demo as reporting_demo
from services import schema
from services.credentials import addresses
from services.demo import badges, dataset
from services.people import accounts
from services.reference import loading
from services.runtime import current_engine, get_engine


def register(commands: Any) -> None:
    migrate = commands.add_parser("migrate", help="bring the database to the current schema")
    migrate.set_defaults(handler=_migrate)

    ref = commands.add_parser("reference", help="reference frameworks (e-CF, DigComp, ESCO…)")
    ref_commands = ref.add_subparsers(dest="action", required=True, metavar="ACTION")
    load = ref_commands.add_parser("load", help="load the frameworks whose data files changed")
    load.add_argument("--force", action="store_true", help="reload even if unchanged")
    load.set_defaults(handler=_reference_load)

    demo_parser = commands.add_parser("demo", help="the bilingual demo data set")
    demo_commands = demo_parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    demo_load = demo_commands.add_parser("load", help="load the demo data (once)")
    demo_load.add_argument("--seed", type=int, help="random seed (default from settings)")
    demo_load.set_defaults(handler=_demo_load)

    init = commands.add_parser(
        "init", help="migrate, load reference data, and load demo data into an empty database"
    )
    init.add_argument("--no-demo", action="store_true", help="do not load the demo data")
    init.set_defaults(handler=_init)

    serve = commands.add_parser("serve", help="serve the API (and its /docs)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (use PostgreSQL)")
    serve.add_argument("--reload", action="store_true", help="restart on code changes")
    serve.set_defaults(handler=_serve)


def _migrate(_: argparse.Namespace) -> int:
    schema.upgrade(get_engine())
    print(f"database at revision {schema.current_revision(get_engine())}")
    return 0


def _reference_load(args: argparse.Namespace) -> int:
    with Session(current_engine()) as session:
        for report in loading.load_reference_data(
            session, get_settings().data_dir, force=args.force
        ):
            detail = f" ({report.competences} competences)" if report.outcome != "unchanged" else ""
            print(f"{report.framework_id}: {report.outcome}{detail}")
    return 0


def _demo_load(args: argparse.Namespace) -> int:
    settings = get_settings()
    seed = settings.demo_seed if args.seed is None else args.seed
    with Session(current_engine(), expire_on_commit=False) as session:
        summary = dataset.load_demo(session, settings.data_dir, seed=seed)
        print(summary)
        if not summary.already_loaded:
            print(badges.load_demo_badges(session, settings, seed=seed))
            print(
                reporting_demo.load_demo_costs(
                    session, settings.data_dir, seed=seed, today=utcnow().date()
                )
            )
            print(_demo_sign_in(session, settings))
    return 0


def _demo_sign_in(session: Session, settings: Settings) -> str:
    if settings.env is Environment.PRODUCTION:
        return "demo accounts have no password in production: they cannot sign in"
    password = settings.secret("demo_password").get_secret_value()
    accounts.set_password(session, queries.organisations.demo_accounts(session), password)
    where = (
        "PROBONO_DEMO_PASSWORD"
        if settings.demo_password is not None
        else settings.var_dir / "secrets" / "demo_password"
    )
    return (
        f"demo accounts sign in with the password in {where}, e.g."
        " fondation-estuaire-solidaire.1@example.org for an engagement dashboard"
    )


def _init(args: argparse.Namespace) -> int:
    _migrate(args)
    with Session(current_engine()) as session:
        addresses.check(session, get_settings())
    _reference_load(argparse.Namespace(force=False))
    if not args.no_demo:
        _demo_load(argparse.Namespace(seed=None))
    return model_commands.embed_all(args)


_WORKER_STARTUP_SECONDS = 180


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    get_settings()  # a configuration error is reported here, before any worker starts
    # So is a database that was never migrated, or is behind this code (every page would fail),
    # and an address that is not one badges were published at (they would all fail).
    with Session(current_engine()) as session:
        addresses.check(session, get_settings())
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        reload=args.reload,
        # Forwarded headers are read by the app, from settings.trusted_proxies only.
        proxy_headers=False,
        # A worker loads the embedding model before it answers: on a busy machine that takes
        # longer than uvicorn's few seconds, and it would kill and restart workers forever.
        timeout_worker_healthcheck=_WORKER_STARTUP_SECONDS,
    )
    return 0
