"""The reps' HTTP API: list pools and leads, claim them."""

import json
from typing import Any

from aiohttp import web

from schemas.config.access import Permission, User
from schemas.config.pools import Pool
from services.claims.auth import TokenIndex, auth_middleware, current_user
from services.claims.claiming import Claimed, Claims
from services.claims.inventory import Inventory
from services.claims.permissions import may
from services.claims.refusals import refusal_problem
from services.common.clock import Clock
from services.common.http import HealthCheck, Problem, json_response, new_web_app
from services.common.live_config import LiveConfig


class ClaimsApi:
    def __init__(
        self, live: LiveConfig, inventory: Inventory, claims: Claims, clock: Clock
    ) -> None:
        self.live = live
        self.inventory = inventory
        self.claims = claims
        self.clock = clock

    def web_app(self, health: HealthCheck | None = None) -> web.Application:
        app = new_web_app([auth_middleware(TokenIndex(self.live))], health)
        app.router.add_get("/me", self.me)
        app.router.add_get("/pools", self.list_pools)
        app.router.add_get("/pools/{pool}/leads", self.list_leads)
        app.router.add_post("/pools/{pool}/claim", self.claim_next)
        app.router.add_post("/leads/{lead_id}/claim", self.claim_lead)
        return app

    async def me(self, request: web.Request) -> web.Response:
        user = current_user(request)
        return json_response(user.model_dump(mode="json", exclude={"token_sha256"}))

    async def list_pools(self, request: web.Request) -> web.Response:
        user = current_user(request)
        config = self.live.current
        visible = [p for p in config.pools if may(config, user, p, Permission.VIEW)]
        return json_response(
            [
                {
                    "name": pool.name,
                    "quality": pool.quality.value,
                    "description": pool.description,
                    "depth": await self.inventory.depth(pool.name),
                }
                for pool in visible
            ]
        )

    async def list_leads(self, request: web.Request) -> web.Response:
        user = current_user(request)
        pool = self._pool(request, user, Permission.VIEW)
        limit = _limit(request)
        leads = await self.inventory.available(pool.name, limit)
        return json_response([_public_view(lead, pool) for lead in leads])

    async def claim_next(self, request: web.Request) -> web.Response:
        user = current_user(request)
        pool = self._pool(request, user, Permission.CLAIM)
        outcome = await self.claims.claim(
            self.live.current, user, self.clock.now(), pool=pool.name
        )
        return await self._answer(outcome)

    async def claim_lead(self, request: web.Request) -> web.Response:
        user = current_user(request)
        outcome = await self.claims.claim(
            self.live.current,
            user,
            self.clock.now(),
            lead_id=request.match_info["lead_id"],
        )
        return await self._answer(outcome)

    async def _answer(self, outcome: Any) -> web.Response:
        if not isinstance(outcome, Claimed):
            raise refusal_problem(outcome)
        lead = await self.inventory.lead(outcome.lead_id)
        return json_response(
            {
                "lead_id": outcome.lead_id,
                "pool": outcome.pool,
                "rep_id": outcome.rep_id,
                "event_id": outcome.event_stream_id,
                "lead": _lead_body(lead),
            }
        )

    def _pool(self, request: web.Request, user: User, wanted: Permission) -> Pool:
        config = self.live.current
        name = request.match_info["pool"]
        try:
            pool = config.pool(name)
        except KeyError:
            raise Problem(
                404, "No such pool", f"pool {name!r} is not configured"
            ) from None
        if not may(config, user, pool, wanted):
            raise Problem(
                403,
                f"Missing permission: {wanted.value}",
                f"user {user.id!r} lacks {wanted.value!r} on pool {pool.name!r}",
                kind="https://leadpool.dev/problems/forbidden",
                permission=wanted.value,
                pool=pool.name,
            )
        return pool


def _limit(request: web.Request) -> int:
    raw = request.query.get("limit", "50")
    if not raw.isdigit() or not 1 <= int(raw) <= 500:
        raise Problem(
            400,
            "Invalid query parameter",
            "limit: must be a whole number from 1 to 500",
            errors=[
                {"field": "limit", "reason": "must be a whole number from 1 to 500"}
            ],
        )
    return int(raw)


def _lead_body(stored: dict[str, str]) -> dict[str, Any]:
    return dict(json.loads(stored.get("lead") or "{}"))


def _public_view(stored: dict[str, str], pool: Pool) -> dict[str, Any]:
    body = _lead_body(stored)
    for field in pool.hidden_fields:
        if body.get(field) is not None:
            body[field] = "hidden until claimed"
    return {
        "lead_id": stored.get("lead_id"),
        "pool": stored.get("pool"),
        "priority": float(stored.get("priority", 0)),
        "lead": body,
    }
