"""The API benchmark's floor: FastAPI itself, one dependency and a response model, reading the row
exactly as the baseline does (asyncpg, no auth, no ORM). What Puente cannot go below on FastAPI."""

import uuid
from typing import Annotated

import asyncpg
from fastapi import Depends, FastAPI, HTTPException, Request

from bench.baseline_app import COLUMNS, lifespan
from services.api.businesses.schemas import BusinessRead


async def _pool(request: Request) -> asyncpg.Pool:
    pool: asyncpg.Pool = request.app.state.pool
    return pool


app = FastAPI(lifespan=lifespan)


@app.get("/businesses/{business_id}")
async def get_one(business_id: uuid.UUID, pool: Annotated[asyncpg.Pool, Depends(_pool)]) -> BusinessRead:
    async with pool.acquire() as connection:
        row = await connection.fetchrow(f"SELECT {COLUMNS} FROM businesses WHERE id = $1", business_id)
    if row is None:
        raise HTTPException(404)
    return BusinessRead.model_validate(dict(row))
