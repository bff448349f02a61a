"""The OpenAPI document marks the operations that need a Bearer key, and only those."""

import httpx


async def test_openapi_marks_exactly_the_authenticated_operations(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    secured = {
        (path, method)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if operation.get("security") == [{"HTTPBearer": []}]
    }
    open_ = {(path, method) for path, ops in document["paths"].items() for method in ops} - secured
    assert ("/v1/businesses/{business_id}", "get") in secured
    assert ("/v1/businesses", "post") in secured
    assert ("/v1/metrics/summary", "get") in secured
    # probes, the scrape endpoint and signed inbound webhooks are the only operations without a key
    assert open_ == {
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/metrics", "get"),
        ("/v1/inbound/{integration_id}", "post"),
    }
