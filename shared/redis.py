"""Redis connections: arq settings and pool built from Settings."""

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
