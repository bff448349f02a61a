"""Typed domain errors; services raise these and only the API turns them into problem+json.

PuenteError
├── NotFound            404  absent, or not yours (the two are indistinguishable on purpose)
├── Conflict            409  a uniqueness or state clash
│   └── InvalidTransition   409  a match status move the lifecycle does not allow
├── PreconditionFailed  412  If-Match names a stale version
├── Unauthorized        401  no or unknown credentials
│   └── BadSignature        401  an inbound webhook whose signature or timestamp fails
├── Forbidden           403  known caller, role not allowed
├── ValidationFailed    422  input that parses but breaks a rule
│   └── UnsafeTarget        422  a webhook URL pointing at a private or metadata address
├── TooLarge            413  body over the configured cap
├── UnsupportedMediaType 415 a body that is not JSON
└── RateLimited         429  too many requests for this key
"""

from typing import Any, ClassVar


class PuenteError(Exception):
    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal error"
    code: ClassVar[str] = "internal"

    def __init__(self, detail: str = "", *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.extra = extra or {}


class NotFound(PuenteError):
    status = 404
    title = "Not found"
    code = "not-found"


class Conflict(PuenteError):
    status = 409
    title = "Conflict"
    code = "conflict"


class InvalidTransition(Conflict):
    title = "Invalid status transition"
    code = "invalid-transition"


class PreconditionFailed(PuenteError):
    status = 412
    title = "Precondition failed"
    code = "precondition-failed"


class PreconditionRequired(PuenteError):
    status = 428
    title = "Precondition required"
    code = "precondition-required"


class Unauthorized(PuenteError):
    status = 401
    title = "Unauthorized"
    code = "unauthorized"


class BadSignature(Unauthorized):
    title = "Bad webhook signature"
    code = "bad-signature"


class Forbidden(PuenteError):
    status = 403
    title = "Forbidden"
    code = "forbidden"


class ValidationFailed(PuenteError):
    status = 422
    title = "Validation failed"
    code = "validation-failed"


class UnsafeTarget(ValidationFailed):
    title = "Unsafe webhook target"
    code = "unsafe-target"


class TooLarge(PuenteError):
    status = 413
    title = "Request body too large"
    code = "too-large"


class UnsupportedMediaType(PuenteError):
    status = 415
    title = "Unsupported media type"
    code = "unsupported-media-type"


class RateLimited(PuenteError):
    status = 429
    title = "Too many requests"
    code = "rate-limited"
