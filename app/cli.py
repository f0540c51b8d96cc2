"""Flask commands: ``flask seed-demo``, ``flask users create-admin``, ``flask mail send``, ...

Each command commits once at the end (the edge), then runs the side effects it queued.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from app.core import effects
from app.core.errors import DomainValidationError
from app.extensions import db

users_cli = AppGroup("users", help="Manage accounts.")
mail_cli = AppGroup("mail", help="The outgoing mail queue.")
storage_cli = AppGroup("storage", help="Uploaded files.")
catalog_cli = AppGroup("catalog", help="The product catalogue.")
certs_cli = AppGroup("certs", help="Certificates.")
curation_cli = AppGroup("curation", help="Curation rounds.")
search_cli = AppGroup("search", help="The catalogue's search index.")
matching_cli = AppGroup("matching", help="Buyer requests and quotes.")
events_cli = AppGroup("events", help="Business-matching events.")
admin_cli = AppGroup("admin", help="The trade office's pages.")


def commit_and_run_effects() -> None:
    db.session.commit()
    effects.run_pending(db.session())


@users_cli.command("create-admin")
@click.option("--email", required=True, help="Login email of the administrator.")
@click.option("--name", "full_name", required=True, help="Full name.")
@click.password_option(help="Asked for when not given.")
def create_admin(email: str, full_name: str, password: str) -> None:
    """Create an administrator of the trade office (email confirmed)."""
    from app.auth.services import create_user

    try:
        user = create_user(email, full_name, password, confirmed=True, is_admin=True)
    except DomainValidationError as error:
        raise click.ClickException(str(error.message)) from error
    commit_and_run_effects()
    click.echo(f"Administrator {user.email} created.")


@mail_cli.command("send")
def send_mail() -> None:
    """Send queued messages that are due (run every few minutes from cron)."""
    from app.core.mail import deliver_pending

    click.echo(f"{deliver_pending(limit=500)} message(s) sent.")


@storage_cli.command("gc")
def storage_gc() -> None:
    """Remove stored files that no row refers to; report rows whose file is missing."""
    from app.storage import collect_garbage

    removed, missing = collect_garbage()
    click.echo(f"{removed} orphan file(s) removed; {missing} row(s) point at a missing file.")
    if missing:
        raise SystemExit(1)


@catalog_cli.command("sync-categories")
def sync_categories() -> None:
    """Bring the category table in line with app/catalog/taxonomy.py."""
    from app.catalog.taxonomy import sync_categories as sync

    added = sync()
    commit_and_run_effects()
    click.echo(f"Categories in line with the taxonomy ({added} added).")


@certs_cli.command("remind")
def remind_certificates() -> None:
    """Tell IKMs 30 and 7 days before a certificate expires (run daily)."""
    from app.catalog.services import note_expired_certificates, send_expiry_reminders
    from app.core import clock

    sent = send_expiry_reminders(clock.today())
    expired = note_expired_certificates(clock.today())
    commit_and_run_effects()
    click.echo(
        f"{sent} reminder(s) sent; {expired} newly expired certificate(s) taken off the badges."
    )


@curation_cli.command("remind")
@click.option(
    "--days",
    default=3,
    show_default=True,
    help="Remind when the review is due within this many days.",
)
def remind_curators(days: int) -> None:
    """Remind curators whose reviews are due soon and not yet submitted (run daily)."""
    from app.core import clock
    from app.curation.assignment import send_due_reminders

    sent = send_due_reminders(clock.today(), days=days)
    commit_and_run_effects()
    click.echo(f"{sent} reminder(s) sent.")


@matching_cli.command("expire")
def expire_requests() -> None:
    """Expire open requests whose delivery date has come without an award (run daily)."""
    from app.core import clock
    from app.matching.services import expire_overdue

    expired = expire_overdue(clock.today())
    commit_and_run_effects()
    click.echo(f"{expired} request(s) expired.")


@search_cli.command("drain")
def search_drain() -> None:
    """Apply pending index jobs (normally done after each change; run from cron as a safety net)."""
    from app.search import drain

    click.echo(f"{drain()} job(s) applied.")


@search_cli.command("rebuild")
@click.option(
    "--procs", default=1, show_default=True, help="Processes that analyse text in parallel."
)
@click.option(
    "--memory-mb",
    default=512,
    show_default=True,
    type=click.IntRange(32, 65536),
    help="Words held in memory per process before spilling to disk (less memory, slower).",
)
@click.option(
    "--if-needed",
    is_flag=True,
    help="Only when the index is missing, unreadable, built with an older schema or format, or"
    " holds another number of products than the catalogue lists.",
)
def search_rebuild(procs: int, memory_mb: int, if_needed: bool) -> None:
    """Build a fresh index beside the live one and swap it in atomically."""
    from app.search import rebuild, rebuild_reason
    from app.search.indexing import listed_products
    from app.search.whoosh_index import indexed_count

    if if_needed:
        reason = rebuild_reason()
        if reason is None:
            held = listed_products(indexed_count())
            click.echo(f"Search index is up to date ({held}); not rebuilt.")
            return
        click.echo(f"Building the search index: {reason}.")
    try:
        count = rebuild(procs=procs, memory_mb=memory_mb)
    except RuntimeError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Search index built: {listed_products(count)}.")


@search_cli.command("check")
def search_check() -> None:
    """Compare the index with the database; exit 1 when they differ."""
    from app.search import check

    differences = check()
    for kind, ids in differences.items():
        if ids:
            click.echo(f"{kind}: {len(ids)} product(s): {', '.join(ids[:50])}")
    if any(differences.values()):
        raise SystemExit(1)
    click.echo("The index matches the database.")


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Only when the database has no accounts yet.")
@click.option(
    "--products",
    type=click.IntRange(min=1, max=1_000_000),
    help="Also generate a large catalogue of this many listed products (once per database).",
)
def seed_demo(if_empty: bool, products: int | None) -> None:
    """Load realistic demo data (idempotent: running it again changes nothing)."""
    from app.auth.models import User
    from app.demo import seed

    if if_empty and db.session.scalar(db.select(User.id).limit(1)) is not None:
        click.echo("The database already has accounts; demo data not loaded.")
        return
    summary = seed()
    commit_and_run_effects()
    click.echo("Demo data ready: " + ", ".join(f"{n} {what}" for what, n in summary.items()))
    if products:
        _generate_catalogue(products)


def _generate_catalogue(products: int) -> None:
    import time

    from app.demo import bulk

    existing = bulk.generated_count()
    if existing:
        click.echo(f"A generated catalogue of {existing} products is already there; kept.")
        return
    started = time.perf_counter()
    summary = bulk.generate(products)
    db.session.commit()
    bulk.analyze()
    db.session.commit()
    click.echo(
        f"Generated in {time.perf_counter() - started:.0f} s: "
        + ", ".join(f"{n} {what}" for what, n in summary.items())
        + ". Run `flask search rebuild` to index them."
    )


@events_cli.command("schedule")
@click.argument("event_id", type=int)
@click.option("--seconds", type=float, default=None, help="The solver's time limit.")
def schedule_event(event_id: int, seconds: float | None) -> None:
    """Run the scheduler for an event now (as the office's button does after the response)."""
    from app.core.forms import INTEGER_COLUMN_MAX
    from app.events import schedule
    from app.events.models import Event, EventState, RunState

    event = db.session.get(Event, event_id) if 0 < event_id <= INTEGER_COLUMN_MAX else None
    if event is None:
        raise click.ClickException(f"No event {event_id}.")
    if event.state != EventState.SCHEDULING:
        raise click.ClickException(
            f"Event {event_id} is {event.state}; close its registration first."
        )
    run = schedule.execute(schedule.new_run(event), seconds)
    commit_and_run_effects()
    if run.state != RunState.DONE:
        raise click.ClickException(f"Not scheduled: {run.error}")
    optimal = "optimal" if run.is_optimal else "not proven optimal"
    click.echo(
        f"Placed {run.placed} meetings, left out {len(run.unplaced)} ({optimal}, "
        f"{run.seconds:.1f} s)."
    )


@admin_cli.command("charts-css")
def charts_css():
    """Write static/css/charts.css: the rules pygal would put in each chart (the CSP allows
    no inline style), after a change of the charts' style in app/admin/charts.py."""
    from pathlib import Path

    from app.admin import charts

    target = Path(current_app.static_folder, "css", "charts.css")
    target.write_text(charts.stylesheet())
    click.echo(f"Written: {target}")


def register(app: Flask) -> None:
    for group in (
        admin_cli,
        users_cli,
        mail_cli,
        storage_cli,
        catalog_cli,
        certs_cli,
        curation_cli,
        search_cli,
        matching_cli,
        events_cli,
    ):
        app.cli.add_command(group)
    app.cli.add_command(seed_demo)
