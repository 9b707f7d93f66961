"""tus 1.0 resumable uploads at ``/api/v1/uploads`` (core, creation, termination)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response, status
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from mux_scheduler.assets import tus
from mux_scheduler.core.deps import CurrentPrincipal, SessionDep, SettingsDep
from mux_scheduler.core.errors import AppError, ValidationFailed
from mux_scheduler.core.problems import problem_response

OFFSET_CONTENT_TYPE = "application/offset+octet-stream"


class TusVersionUnsupported(AppError):
    status = 412
    code = "tus-version-unsupported"
    title = "Unsupported tus version"


class UnsupportedMediaType(AppError):
    status = 415
    code = "unsupported-media-type"
    title = "Unsupported media type"


class TusRoute(APIRoute):
    """Every tus response, errors included, carries ``Tus-Resumable``; the version is checked
    before anything else (OPTIONS excepted, as the protocol says)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                if request.method != "OPTIONS":
                    _check_version(request.headers.get("tus-resumable"))
                response = await original(request)
            except AppError as exc:
                response = problem_response(
                    status=exc.status,
                    code=exc.code,
                    title=exc.title,
                    detail=exc.detail,
                    instance=request.url.path,
                    errors=exc.errors,
                )
                if exc.status == 412:
                    response.headers["Tus-Version"] = tus.TUS_VERSION
                if exc.status == 401:
                    response.headers["WWW-Authenticate"] = "Bearer"
            response.headers["Tus-Resumable"] = tus.TUS_VERSION
            return response

        return handler


def _check_version(value: str | None) -> None:
    if value != tus.TUS_VERSION:
        raise TusVersionUnsupported(
            f"Send 'Tus-Resumable: {tus.TUS_VERSION}' (got {value!r}); it is the only version "
            "this server speaks."
        )


def _non_negative(name: str, value: str | None) -> int:
    if value is None or not value.isdigit():
        raise ValidationFailed(
            f"Header {name} must be a non-negative integer.",
            errors=[{"loc": ["header", name], "msg": "non-negative integer expected"}],
        )
    return int(value)


router = APIRouter(prefix="/uploads", tags=["uploads"], route_class=TusRoute)


@router.options("", status_code=status.HTTP_204_NO_CONTENT, summary="tus capabilities")
def capabilities(settings: SettingsDep) -> Response:
    return Response(
        status_code=status.HTTP_204_NO_CONTENT,
        headers={
            "Tus-Version": tus.TUS_VERSION,
            "Tus-Extension": tus.TUS_EXTENSIONS,
            "Tus-Max-Size": str(settings.max_upload_bytes),
        },
    )


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a resumable upload")
def create_upload(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    settings: SettingsDep,
    upload_length: Annotated[str | None, Header()] = None,
    upload_metadata: Annotated[str | None, Header()] = None,
) -> Response:
    length = _non_negative("Upload-Length", upload_length)
    upload = tus.create(
        session, settings=settings, principal=principal, length=length, metadata=upload_metadata
    )
    headers = {"Location": str(request.url_for("upload_offset", upload_id=upload.id))}
    if length == 0:
        asset = tus.complete(session, settings=settings, principal=principal, upload=upload)
        headers["X-Asset-Id"] = str(asset.id)
    return Response(status_code=status.HTTP_201_CREATED, headers=headers)


@router.head("/{upload_id}", name="upload_offset", summary="Where to resume")
def upload_offset(upload_id: str, session: SessionDep, principal: CurrentPrincipal) -> Response:
    upload = tus.find(session, principal, upload_id)
    headers = {
        "Upload-Offset": str(upload.offset_bytes),
        "Upload-Length": str(upload.length_bytes),
        "Cache-Control": "no-store",
    }
    if upload.completed_asset_id is not None:
        headers["X-Asset-Id"] = str(upload.completed_asset_id)
    return Response(status_code=status.HTTP_200_OK, headers=headers)


@router.patch("/{upload_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Append bytes")
async def append(
    upload_id: str,
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    settings: SettingsDep,
    upload_offset: Annotated[str | None, Header()] = None,
    content_type: Annotated[str | None, Header()] = None,
) -> Response:
    if content_type != OFFSET_CONTENT_TYPE:
        raise UnsupportedMediaType(f"PATCH bodies must be sent as {OFFSET_CONTENT_TYPE}.")
    offset = _non_negative("Upload-Offset", upload_offset)
    upload = tus.find(session, principal, upload_id)
    try:
        await tus.append(
            session, settings=settings, upload=upload, offset=offset, chunks=request.stream()
        )
    except ClientDisconnect:
        # The bytes that arrived are kept; nobody is left to read a response.
        return Response(status_code=status.HTTP_204_NO_CONTENT)
    headers = {"Upload-Offset": str(upload.offset_bytes)}
    if upload.offset_bytes == upload.length_bytes:
        # Hashing the whole file takes a while: keep the event loop free meanwhile.
        asset = await run_in_threadpool(
            tus.complete, session, settings=settings, principal=principal, upload=upload
        )
        headers["X-Asset-Id"] = str(asset.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT, headers=headers)


@router.delete("/{upload_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Abandon")
def terminate(
    upload_id: str, session: SessionDep, principal: CurrentPrincipal, settings: SettingsDep
) -> Response:
    upload = tus.find(session, principal, upload_id)
    tus.terminate(session, settings=settings, upload=upload)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
