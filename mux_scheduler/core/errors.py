"""One error hierarchy for the whole service.

Services raise these; the API renders them once as RFC 9457 problem+json and the web UI as a
readable message. Nothing below the HTTP edge raises ``HTTPException``.
"""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """Base of every error a user can be shown."""

    status: int = 400
    code: str = "bad-request"
    title: str = "Bad request"

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class NotFound(AppError):
    status = 404
    code = "not-found"
    title = "Not found"


class Unauthenticated(AppError):
    status = 401
    code = "unauthenticated"
    title = "Authentication required"


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    title = "Forbidden"


class Conflict(AppError):
    status = 409
    code = "conflict"
    title = "Conflict"


class ValidationFailed(AppError):
    status = 422
    code = "validation-failed"
    title = "Validation failed"


class TooManyRequests(AppError):
    status = 429
    code = "too-many-requests"
    title = "Too many requests"


class PayloadTooLarge(AppError):
    status = 413
    code = "payload-too-large"
    title = "Payload too large"


class MediaError(AppError):
    """A media file cannot be probed, measured or converted."""

    status = 422
    code = "media-error"
    title = "Media file rejected"


class ProfileMismatch(MediaError):
    code = "profile-mismatch"
    title = "File does not match the technical profile"


class TranscodeFailed(MediaError):
    status = 500
    code = "transcode-failed"
    title = "Transcode failed"


class StorageFull(AppError):
    status = 507
    code = "storage-full"
    title = "Insufficient storage"


class ScheduleError(AppError):
    status = 422
    code = "schedule-error"
    title = "Schedule cannot be built"


class TemplateRejected(AppError):
    status = 422
    code = "template-rejected"
    title = "Template rejected"


class DeliveryFailed(AppError):
    status = 502
    code = "delivery-failed"
    title = "Delivery failed"


class PdfFailed(AppError):
    status = 503
    code = "pdf-unavailable"
    title = "PDF rendering unavailable"
