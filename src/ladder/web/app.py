"""The web application: :func:`create_app` (FastAPI) over one open workspace."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from ladder import __version__
from ladder.app import access, uploads
from ladder.app.errors import StoreError
from ladder.app.workspace import open_workspace
from ladder.web import api, careers, index_pages, lifecycle, pages, programmes, surveys
from ladder.web.deps import CsrfRefused, SignInNeeded
from ladder.web.security import Security, headers_middleware
from ladder.web.templating import HERE, render

ASSETS = HERE / "static" / "nhsuk"
APP_ASSETS = HERE / "static" / "app"


def create_app(
    workspace_dir: Path, database_url: str | None = None, *, secure: bool = True
) -> FastAPI:
    """The web service over the workspace at ``workspace_dir`` (its database at
    ``database_url`` when given). ``secure=False`` drops the Secure cookie flag and HSTS:
    only for plain-http development on 127.0.0.1 (docs/web.md)."""
    ws = open_workspace(Path(workspace_dir), database_url)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        ws.close()

    app = FastAPI(
        title="Ladder",
        version=__version__,
        description="Workforce equality indicators of NHS organisations (docs/web.md).",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        lifespan=lifespan,
    )
    security = Security(secure=secure)
    app.state.workspace = ws
    app.state.security = security
    app.middleware("http")(headers_middleware(security))
    app.middleware("http")(_size_limit)
    app.include_router(pages.router)
    app.include_router(api.router)
    app.include_router(lifecycle.router)
    app.include_router(lifecycle.api)
    app.include_router(surveys.router)
    app.include_router(careers.router)
    app.include_router(programmes.router)
    app.include_router(index_pages.router)
    if ASSETS.is_dir():
        app.mount("/assets", StaticFiles(directory=ASSETS), name="assets")
    app.mount("/app-assets", StaticFiles(directory=APP_ASSETS), name="app-assets")
    _handlers(app)
    return app


async def _size_limit(request: Request, call_next: object) -> Response:
    """Refuse a body declared larger than an upload may be (the upload also counts bytes)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > uploads.MAX_BYTES + 64 * 1024:
        return _problem(request, 413, "The file is too large", f"at most {uploads.MAX_BYTES} bytes")
    assert callable(call_next)
    response: Response = await call_next(request)
    return response


def _api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _problem(request: Request, status: int, title: str, detail: str = "") -> Response:
    if _api(request):
        return JSONResponse({"detail": title, "reason": detail}, status_code=status)
    return render(request, "error.html", {"title": title, "detail": detail}, status_code=status)


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(SignInNeeded)
    async def sign_in(request: Request, _: Exception) -> Response:
        if _api(request):
            return JSONResponse(
                {"detail": "sign in or give a bearer token"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(access.NotFound)
    async def not_found(request: Request, _: Exception) -> Response:
        return _problem(request, 404, "Page not found")

    @app.exception_handler(access.Forbidden)
    async def forbidden(request: Request, exc: Exception) -> Response:
        return _problem(request, 403, "You do not have permission to do this", str(exc))

    @app.exception_handler(CsrfRefused)
    async def csrf(request: Request, _: Exception) -> Response:
        return _problem(
            request, 403, "The form had expired", "go back, reload the page and try again"
        )

    @app.exception_handler(uploads.TooLarge)
    async def too_large(request: Request, exc: Exception) -> Response:
        return _problem(request, 413, "The file is too large", str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: Exception) -> Response:
        if _api(request):
            assert isinstance(exc, RequestValidationError)
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        return _problem(request, 400, "There is a problem", "the form was not filled in as asked")

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: Exception) -> Response:
        return _problem(request, 400, "There is a problem", str(exc))
