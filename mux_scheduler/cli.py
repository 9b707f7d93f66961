"""Command line: ``mux-scheduler --help`` (also ``python -m mux_scheduler``)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

import mux_scheduler.models  # noqa: F401 - every table is known before any query
from mux_scheduler.core.settings import get_settings

app = typer.Typer(
    help=(
        "mux-scheduler: plan, build and export 24-hour playlists for government TV channels "
        "on DVB-T2 multiplexes. Settings come from MUX_* environment variables or a .env file."
    ),
    no_args_is_help=True,
    add_completion=False,
)


@app.command()
def migrate() -> None:
    """Create or upgrade the database tables to the current version."""
    from mux_scheduler.core.db import make_engine
    from mux_scheduler.core.migrate import upgrade

    settings = get_settings()
    settings.ensure_dirs()
    engine = make_engine(settings)
    upgrade(engine)
    engine.dispose()
    typer.echo(f"Database is up to date: {_redacted(settings.database_url)}")


@app.command("create-admin")
def create_admin(
    username: Annotated[str, typer.Option(help="Log-in name of the new administrator.")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True, hide_input=True, confirmation_prompt=True, help="At least 10 characters."
        ),
    ],
    full_name: Annotated[str, typer.Option(help="Name shown in the audit log.")] = "",
) -> None:
    """Create an administrator account (the first user of a new installation)."""
    from mux_scheduler.auth import service
    from mux_scheduler.auth.models import Role
    from mux_scheduler.core.db import make_engine, session_scope
    from mux_scheduler.core.errors import AppError

    engine = make_engine(get_settings())
    try:
        with session_scope(engine) as session:
            service.create_user(
                session, username=username, password=password, role=Role.ADMIN, full_name=full_name
            )
    except AppError as exc:
        typer.echo(f"Error: {exc.detail}", err=True)
        raise typer.Exit(code=1) from exc
    finally:
        engine.dispose()
    typer.echo(f"Administrator {username!r} created.")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Uvicorn worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Reload on code change (development).")] = False,
) -> None:
    """Serve the REST API and web UI over HTTP (run `migrate` first)."""
    import uvicorn

    uvicorn.run(
        "mux_scheduler.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
    )


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve after seeding.")
    ] = True,
) -> None:
    """Migrate, load demo data (operator, mux, channels, agencies, users, clips, rules) and
    serve: the clips are analysed and conformed, and today and tomorrow are built and published."""
    from mux_scheduler.core.db import make_engine, session_scope
    from mux_scheduler.demo import seed_demo, seed_demo_media
    from mux_scheduler.demo_schedule import conform_demo_media, publish_demo_days, seed_demo_rules

    migrate()
    settings = get_settings()
    engine = make_engine(settings)
    with session_scope(engine) as session:
        logins = seed_demo(session)
    with session_scope(engine) as session:
        clips = seed_demo_media(session, settings)
    if clips:
        typer.echo(f"Demo clips ingested: {', '.join(clips)}")
    typer.echo("Analysing and conforming demo clips to each channel's profile...")
    conform_demo_media(engine, settings)
    seed_demo_rules(engine, settings)
    ready = conform_demo_media(engine, settings)  # campaign spots on the other agency's channel
    typer.echo(f"{ready} asset(s) ready. Building today and tomorrow:")
    for line in publish_demo_days(engine):
        typer.echo(f"  {line}")
    engine.dispose()
    typer.echo("\nDemo log-ins (development only):")
    for login in logins:
        typer.echo(f"  {login.role:<14} {login.username:<18} {login.password:<22} {login.note}")
    if serve_after:
        typer.echo(f"\nOpen http://{host}:{port}/ (API docs at http://{host}:{port}/docs)\n")
        serve(host=host, port=port, workers=1, reload=False)


@app.command()
def worker(
    concurrency: Annotated[
        int | None,
        typer.Option(help="Jobs run at once (default: MUX_LOCAL_WORKERS).", min=1),
    ] = None,
    pool: Annotated[
        str,
        typer.Option(help="Celery pool: prefork, threads or solo (ignored with MUX_QUEUE=local)."),
    ] = "threads",
    loglevel: Annotated[str, typer.Option(help="Log level: debug, info, warning.")] = "info",
) -> None:
    """Work the background job queue (analysis, transcodes) until stopped with Ctrl-C.

    With MUX_QUEUE=celery this is a Celery worker on MUX_REDIS_URL, queue MUX_CELERY_QUEUE,
    and may run on other machines that share MUX_MEDIA_ROOT and the database. With
    MUX_QUEUE=local it works the database queue in the foreground, next to (or instead of)
    the pool inside `serve`. Jobs a killed worker left behind are retried on start.
    """
    import logging

    from mux_scheduler.core.db import make_engine
    from mux_scheduler.jobs.registry import load_handlers

    logging.basicConfig(level=loglevel.upper(), format="%(asctime)s %(name)s %(message)s")
    settings = get_settings()
    settings.ensure_dirs()
    load_handlers()
    engine = make_engine(settings)
    size = concurrency or settings.local_workers
    try:
        if settings.queue == "celery":
            _celery_worker(engine, settings, size, pool, loglevel)
        else:
            import signal

            from mux_scheduler.jobs.pool import LocalWorkerPool

            local = LocalWorkerPool(engine, settings, size=size)
            signal.signal(signal.SIGTERM, lambda *_: local.stopping.set())
            typer.echo(f"Working the job queue with {size} local worker(s); Ctrl-C to stop.")
            local.run_forever()
    except KeyboardInterrupt:
        typer.echo("Stopped; unfinished jobs go back to the queue.")
    finally:
        engine.dispose()


def _celery_worker(engine: Any, settings: Any, size: int, pool: str, loglevel: str) -> None:
    from sqlmodel import Session

    from mux_scheduler.jobs import queue, runner
    from mux_scheduler.jobs.celery_app import get_celery, send_job

    runner.recover_stale(engine, settings)
    with Session(engine) as session:
        for job_id, priority in queue.queued_ids(session):
            send_job(settings, job_id, priority)
    get_celery(settings).worker_main(
        [
            "worker",
            f"--pool={pool}",
            f"--concurrency={size}",
            f"--queues={settings.celery_queue}",
            f"--loglevel={loglevel}",
            "--without-gossip",
            "--without-mingle",
        ]
    )


@app.command()
def scheduler(
    run: Annotated[
        str | None,
        typer.Option(
            help="Run one job now and exit: nightly-build, expiry-warnings, transcode-sweep "
            "or cutoff:<operator-slug>."
        ),
    ] = None,
    list_jobs: Annotated[
        bool, typer.Option("--list", help="Show the stored jobs and their next run, then exit.")
    ] = False,
    loglevel: Annotated[str, typer.Option(help="Log level: debug, info, warning.")] = "info",
) -> None:
    """Run the time-based automation until stopped: nightly builds, publish-and-deliver
    before each operator's cut-off, expiry warnings, job-queue sweeps.

    Run exactly one scheduler process per installation. Its jobs are kept in the database,
    so after downtime each missed job runs once (not once per missed time).
    """
    import logging

    from mux_scheduler.automation import scheduler as automation
    from mux_scheduler.core.db import make_engine

    logging.basicConfig(level=loglevel.upper(), format="%(asctime)s %(name)s %(message)s")
    settings = get_settings()
    settings.ensure_dirs()
    engine = make_engine(settings)
    runtime = automation.Runtime(engine, settings)
    try:
        if run is not None:
            typer.echo(automation.run_once(runtime, run))
        elif list_jobs:
            jobs = automation.describe_jobs(runtime)
            if not jobs:
                typer.echo("No jobs stored yet: they are added when the scheduler first starts.")
            for job_id, name, next_run in jobs:
                when = next_run.isoformat() if next_run else "paused"
                typer.echo(f"{job_id:<28} {when:<27} {name}")
        else:
            typer.echo("Scheduler running; Ctrl-C or SIGTERM to stop.")
            automation.run_forever(runtime)
    except ValueError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(code=2) from exc
    finally:
        engine.dispose()


def _redacted(url: str) -> str:
    if "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    return f"{scheme}://***@{rest.split('@', 1)[1]}"


def main() -> None:
    app()
