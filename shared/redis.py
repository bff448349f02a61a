"""Redis connections: arq settings and pool built from Settings."""

from urllib.parse import urlsplit, urlunsplit

from arq import ArqRedis, create_pool
from arq.connections import RedisSettings

from shared.config import Settings


def arq_redis_settings(settings: Settings) -> RedisSettings:
    if not settings.redis_url:
        raise RuntimeError("no Redis configured; call shared.embedded.ensure_services first")
    redis_settings = RedisSettings.from_dsn(settings.redis_url)
    redis_settings.conn_timeout = 2
    redis_settings.conn_retries = 3
    return redis_settings


async def create_arq_pool(settings: Settings) -> ArqRedis:
    return await create_pool(arq_redis_settings(settings))


def with_database(url: str, db: int) -> str:
    """`url` pointed at Redis database `db`, for TCP (`redis://host:port/n`) and socket (`unix://…?db=n`) URLs."""
    if url.startswith("unix://"):
        return f"{url.split('?')[0]}?db={db}"
    return urlunsplit(urlsplit(url)._replace(path=f"/{db}"))
