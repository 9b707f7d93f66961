"""Command line: ``mux-scheduler --help`` (also ``python -m mux_scheduler``)."""

from __future__ import annotations

from typing import Annotated

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
    """Migrate, load demo data (operator, mux, channels, agencies, users) and serve."""
    from mux_scheduler.core.db import make_engine, session_scope
    from mux_scheduler.demo import seed_demo

    migrate()
    engine = make_engine(get_settings())
    with session_scope(engine) as session:
        logins = seed_demo(session)
    engine.dispose()
    typer.echo("\nDemo log-ins (development only):")
    for login in logins:
        typer.echo(f"  {login.role:<14} {login.username:<18} {login.password:<22} {login.note}")
    if serve_after:
        typer.echo(f"\nOpen http://{host}:{port}/ (API docs at http://{host}:{port}/docs)\n")
        serve(host=host, port=port, workers=1, reload=False)


def _redacted(url: str) -> str:
    if "@" not in url:
        return url
    scheme, rest = url.split("://", 1)
    return f"{scheme}://***@{rest.split('@', 1)[1]}"


def main() -> None:
    app()
