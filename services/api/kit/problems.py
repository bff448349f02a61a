"""RFC 9457 problem details, as response models for OpenAPI and as the error body."""

from typing import Any

from pydantic import BaseModel, Field

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldProblem(BaseModel):
    field: str = Field(description="Dotted path of the offending input, e.g. `body.countries.0`.")
    message: str
    type: str


class Problem(BaseModel):
    type: str = Field(description="A URI naming the kind of problem.", examples=["urn:puente:problem:not-found"])
    title: str = Field(examples=["Not found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["business 3f0c… does not exist"])
    instance: str | None = Field(None, description="The request path.")
    request_id: str | None = None
    errors: list[FieldProblem] | None = Field(None, description="Field errors, for 422.")


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: each status documented as problem+json."""
    descriptions = {
        400: "Bad request",
        401: "Missing or unknown API key",
        403: "The key's role may not do this",
        404: "Absent, or not visible to this key",
        409: "Conflicts with the current state",
        412: "If-Match names a stale version",
        413: "Body too large",
        415: "Body is not JSON",
        422: "Invalid input",
        428: "If-Match required",
        429: "Too many requests",
    }
    return {
        status: {
            "model": Problem,
            "description": descriptions.get(status, "Problem"),
            "content": {PROBLEM_MEDIA_TYPE: {}},
        }
        for status in statuses
    }


COMMON_PROBLEMS = problem_responses(401, 403, 413, 415, 422, 429)
