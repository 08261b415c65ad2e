"""The bot service's guards against a stranger's input, on a real ASGI app."""

import json

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.guards import BodyLimit, RateLimit, read_json

read_bytes = []


async def echo(request: Request):
    body = await request.body()
    read_bytes.append(len(body))
    return JSONResponse({"got": len(body), "json": await read_json(request) is not None})


APP = Starlette(
    routes=[Route("/small", echo, methods=["POST"]), Route("/big", echo, methods=["POST"])],
    middleware=[Middleware(BodyLimit, limits=[("/big", 1000)], default=100)],
)


@pytest.fixture
def client():
    read_bytes.clear()
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=APP), base_url="http://test")


@pytest.mark.asyncio
async def test_an_announced_body_over_the_limit_is_refused_unread(client):
    response = await client.post("/small", content=b"x" * 101)
    assert response.status_code == 413 and read_bytes == []
    assert (await client.post("/big", content=b"x" * 1000)).status_code == 200


@pytest.mark.asyncio
async def test_a_chunked_body_is_cut_off_once_past_the_limit(client):
    chunks_sent = 0

    async def endless():
        nonlocal chunks_sent
        for _ in range(10_000):
            chunks_sent += 1
            yield b"x" * 500

    response = await client.post("/big", content=endless())
    assert response.status_code == 413
    assert read_bytes == []  # the handler never got a body


@pytest.mark.asyncio
async def test_json_nested_past_the_parser_is_a_bad_request_not_a_crash(client):
    deep = "[" * 100_000 + "]" * 100_000
    response = await client.post("/big", content=b"1")
    assert response.json()["json"] is True
    APP_DEEP = Starlette(
        routes=[Route("/", echo, methods=["POST"])], middleware=[Middleware(BodyLimit, limits=[], default=10**6)]
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=APP_DEEP), base_url="http://test") as deep_client:
        answer = await deep_client.post("/", content=deep.encode())
    assert answer.status_code == 200 and answer.json()["json"] is False
    with pytest.raises(RecursionError):
        json.loads(deep)  # what read_json keeps from reaching the handler


def test_rate_limit_counts_per_key_and_forgets_the_window():
    now = [0.0]
    limit = RateLimit(3, 60, keys=2, clock=lambda: now[0])
    assert [limit.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limit.allow("b") and limit.retry_after("a") == 61
    now[0] = 61
    assert limit.allow("a")
    limit.allow("c")
    assert len(limit._events) == 2  # bounded: the oldest key was forgotten
