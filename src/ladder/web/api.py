"""The JSON API (``/api/v1``): same permissions as the pages, session or bearer token."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ladder.app import access, dashboard, uploads
from ladder.app.uploads import KINDS
from ladder.web.deps import CsrfChecked, Scoped, Who, workspace

router = APIRouter(prefix="/api/v1", tags=["api"])


class Org(BaseModel):
    code: str = Field(description="ODS code of the organisation")
    href: str


class ProblemOut(BaseModel):
    file: str
    row: int | None
    column: str | None
    value: str | None
    code: str
    reason: str
    hint: str
    severity: str
    rows: list[int] = Field(default_factory=list)


class UploadOut(BaseModel):
    status: str = Field(description="stored | invalid | blocked | no_rows")
    kind: str
    period: int
    org_code: str
    rows_read: int
    rows_stored: int
    rows_rejected: int
    errors: list[ProblemOut]
    warnings: list[ProblemOut]


@router.get("/orgs", response_model=list[Org], summary="Organisations you may see")
def list_orgs(request: Request, who: Who) -> list[Org]:
    codes = access.visible(workspace(request), who.user)
    return [Org(code=c, href=f"/api/v1/orgs/{c}/results") for c in codes]


@router.get(
    "/orgs/{code}/results",
    summary="Stored results of an organisation",
    description="The records of `ladder metrics --format json` (docs/indicators.md), read from "
    "the stored results (never computed on request); an empty list when none are stored.",
    response_model=list[dict[str, Any]],
    responses={404: {"description": "No such organisation (for you)"}},
)
def results(request: Request, scoped: Scoped, period: int | None = None) -> list[dict[str, Any]]:
    ws = workspace(request)
    found = dashboard.results_of(ws, scoped.org, period)
    access.audit_read(ws, scoped, f"api results {period or 'all'}")
    return [r.to_dict() for r in found]


@router.post(
    "/orgs/{code}/uploads",
    summary="Validate and store a file",
    description=f"multipart: kind ({', '.join(KINDS)}), period (year), file (CSV or XLSX, at "
    f"most {uploads.MAX_BYTES // (1024 * 1024)} MB), quarantine (store valid rows, set "
    "aside bad ones). Analysts and admins only. 422 with the problems when nothing is stored.",
    response_model=UploadOut,
    responses={
        403: {"description": "Your role may not upload"},
        404: {"description": "No such organisation (for you)"},
        413: {"description": "File too large"},
    },
    dependencies=[CsrfChecked],
)
def upload(
    request: Request,
    scoped: Scoped,
    kind: Annotated[str, Form()],
    period: Annotated[int, Form(ge=2000, le=2100)],
    file: Annotated[UploadFile, File()],
    quarantine: Annotated[bool, Form()] = False,
) -> JSONResponse:
    scoped.require_upload()
    ws = workspace(request)
    name = file.filename or "upload"
    suffix = uploads.check_request(kind, period, name)
    upload_id = uploads.keep(ws, scoped, suffix, iter(lambda: file.file.read(1 << 20), b""))
    checked = uploads.validate(ws, scoped, upload_id, kind, period, name)
    access.audit_staff_read(ws, scoped, f"api upload validation ({kind} {period})")
    if checked.blocked or (checked.errors and not quarantine):
        uploads.discard(ws, scoped, upload_id)
        status, stored, rejected = ("blocked" if checked.blocked else "invalid"), 0, 0
    else:
        outcome = uploads.store(ws, scoped, upload_id, kind, period, quarantine=quarantine)
        status, stored, rejected = outcome.status.value, outcome.rows_stored, outcome.rows_rejected
    body = UploadOut(
        status=status,
        kind=kind,
        period=period,
        org_code=scoped.org,
        rows_read=checked.rows_read,
        rows_stored=stored,
        rows_rejected=rejected,
        errors=[ProblemOut(**_problem(p)) for p in checked.errors],
        warnings=[ProblemOut(**_problem(p)) for p in checked.warnings],
    )
    return JSONResponse(body.model_dump(), status_code=200 if status == "stored" else 422)


def _problem(problem: Any) -> dict[str, Any]:
    doc: dict[str, Any] = problem.to_dict()
    doc["rows"] = list(doc.get("rows", []))
    return {k: doc.get(k) for k in ProblemOut.model_fields} | {"rows": doc["rows"]}
