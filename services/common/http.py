"""HTTP plumbing every service shares: the server, problem details, bodies.

Errors follow RFC 9457 (problem details): a JSON object with `type`,
`title`, `status`, `detail` and, for bad input, `errors` naming each field.
"""

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiohttp import web
from mode import Service
from pydantic import BaseModel, ValidationError

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
M = TypeVar("M", bound=BaseModel)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Problem(Exception):
    """An error answer: raised anywhere in a handler, rendered by middleware."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        kind: str = "about:blank",
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.kind = kind
        self.errors = errors
        self.headers = headers or {}
        self.extensions = extensions

    def body(self, instance: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": self.kind,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
        }
        if self.errors is not None:
            body["errors"] = self.errors
        return body | self.extensions


def field_errors(err: ValidationError) -> list[dict[str, str]]:
    return [
        {
            "field": ".".join(str(part) for part in error["loc"]) or "$",
            "reason": error["msg"],
        }
        for error in err.errors(include_url=False)
    ]


def invalid_body(errors: list[dict[str, str]]) -> Problem:
    return Problem(
        422,
        "Invalid request body",
        "; ".join(f"{e['field']}: {e['reason']}" for e in errors),
        kind="https://leadpool.dev/problems/invalid-body",
        errors=errors,
    )


async def read_body(request: web.Request, model: type[M]) -> M:
    raw = await request.read()
    try:
        return model.model_validate_json(raw or b"{}")
    except ValidationError as err:
        raise invalid_body(field_errors(err)) from err


def json_response(payload: Any, status: int = 200) -> web.Response:
    return web.json_response(payload, status=status, dumps=_dumps)


def _dumps(payload: Any) -> str:
    if isinstance(payload, BaseModel):
        return payload.model_dump_json()
    return json.dumps(payload, default=str)


@web.middleware
async def problem_middleware(request: web.Request, handler: Handler) -> Any:
    try:
        return await handler(request)
    except Problem as problem:
        return _render(problem, request)
    except web.HTTPException as err:
        if err.status < 400:
            raise
        return _render(Problem(err.status, err.reason, err.text or err.reason), request)
    except Exception:
        log.exception("request failed", extra={"path": request.path})
        return _render(Problem(500, "Internal error", "see the service log"), request)


def _render(problem: Problem, request: web.Request) -> web.Response:
    return web.Response(
        status=problem.status,
        text=json.dumps(problem.body(request.path)),
        content_type=PROBLEM_JSON,
        headers=problem.headers,
    )


HealthCheck = Callable[[], dict[str, Any]]


def new_web_app(
    middlewares: list[Any] | None = None, health: HealthCheck | None = None
) -> web.Application:
    async def report_health(request: web.Request) -> web.Response:
        return json_response({"status": "ok", **(health() if health else {})})

    app = web.Application(middlewares=[problem_middleware, *(middlewares or [])])
    app.router.add_get("/health", report_health)
    return app


class HttpService(Service):
    """Serves an aiohttp application for the lifetime of a Faust worker."""

    def __init__(self, web_app: web.Application, host: str, port: int) -> None:
        super().__init__()
        self.web_app = web_app
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def on_start(self) -> None:
        self._runner = web.AppRunner(self.web_app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        log.info("http listening", extra={"url": self.web_url})

    async def on_stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
