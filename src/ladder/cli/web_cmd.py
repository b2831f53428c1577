"""Web service commands: ``user add``, ``token create`` and ``serve`` (docs/web.md).

Thin: accounts are in :mod:`ladder.app.accounts`; ``serve`` runs the web app with uvicorn,
naming it by its import path (the CLI and the web front end do not import each other).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from ladder.cli.workspace_cmd import Directory, _errors

PASSWORD_ENV = "LADDER_PASSWORD"

user_app = typer.Typer(help="Accounts of the web service.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens of the web service.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
    app.command("serve")(serve_cmd)


@user_app.command("add")
def user_add_cmd(
    directory: Directory,
    email: Annotated[str, typer.Argument(help="The user's e-mail address (their sign-in).")],
    role: Annotated[
        str, typer.Option("--role", help="analyst, viewer, assessor or admin.", show_default=False)
    ],
    org: Annotated[
        str | None,
        typer.Option(
            "--org",
            help="The user's organisation (ODS code); an assessor without one is an index "
            "assessor (every organisation's open-index submissions, nothing else).",
        ),
    ] = None,
) -> None:
    """Add a user. The password comes from $LADDER_PASSWORD, else a prompt."""
    from ladder.app.accounts import add_user
    from ladder.app.workspace import open_workspace

    password = os.environ.get(PASSWORD_ENV) or typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    with _errors(), open_workspace(directory) as ws:
        user = add_user(ws, email, password, role, org)
        where = f" of {user.org}" if user.org else ""
        typer.echo(f"Added {user.email}: {user.role}{where}")


@token_app.command("create")
def token_create_cmd(
    directory: Directory,
    email: Annotated[str, typer.Argument(help="The user the token acts as.")],
) -> None:
    """Create an API token (printed once; only its hash is kept)."""
    from ladder.app.accounts import create_token
    from ladder.app.workspace import open_workspace

    with _errors(), open_workspace(directory) as ws:
        typer.echo(create_token(ws, email))


def serve_cmd(
    workspace: Annotated[Path, typer.Option("--workspace", help="Workspace folder.")],
    database_url: Annotated[
        str | None, typer.Option("--database-url", help="The workspace's database (optional).")
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    insecure_dev: Annotated[
        bool,
        typer.Option(
            "--insecure-dev",
            help="Plain http on 127.0.0.1 for development: cookies without the Secure flag.",
        ),
    ] = False,
) -> None:
    """Run the web service (uvicorn). Behind TLS in production: see docs/web.md."""
    import uvicorn

    if insecure_dev and host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo("error: --insecure-dev is only for 127.0.0.1", err=True)
        raise typer.Exit(2)
    with _errors():
        from ladder.app.workspace import open_workspace

        open_workspace(workspace).close()  # a clear error now rather than from the server
    os.environ["LADDER_WEB_WORKSPACE"] = str(workspace.resolve())
    if database_url:
        os.environ["LADDER_WEB_DATABASE_URL"] = database_url
    os.environ["LADDER_WEB_INSECURE_DEV"] = "1" if insecure_dev else "0"
    uvicorn.run(
        "ladder.web.main:from_environment",
        factory=True,
        host=host,
        port=port,
        proxy_headers=True,
        server_header=False,
    )
