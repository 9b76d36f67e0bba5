"""The reps' HTTP API: pools, leads, claims and everything around a claim."""

import json
from collections.abc import Callable
from typing import Any

from aiohttp import web

from schemas.config.access import Permission, User
from schemas.config.pools import Pool
from schemas.events import ReturnReason
from services.claims.claiming import Claimed, Claims, Refused
from services.claims.inventory import Inventory
from services.claims.lifecycle import Done, Lifecycle, Rejected, Result
from services.claims.limits import remaining_limits
from services.claims.models import (
    Assign,
    Change,
    ClaimedLead,
    ClaimNext,
    Contact,
    Limits,
    PoolSummary,
    Presence,
    RecordOutcome,
    ReturnLead,
    Rule,
    TransferDecision,
    TransferRequest,
    WhyNot,
)
from services.claims.openapi import Route, document
from services.claims.permissions import crosses_into, may
from services.claims.refusals import refusal_problem, rejection_problem
from services.claims.roundrobin import RoundRobin
from services.claims.tiers import Standings
from services.claims.transfers import Transfers
from services.common.auth import TokenIndex, bearer_auth, request_user
from services.common.clock import Clock
from services.common.http import (
    Handler,
    HealthCheck,
    Problem,
    json_response,
    new_web_app,
    read_body,
)
from services.common.live_config import LiveConfig

ONE = ClaimNext()

ROUTES = [
    Route("GET", "/me", "The authenticated user"),
    Route("GET", "/me/limits", "Remaining claim limits", response=Limits),
    Route("PUT", "/me/presence", "Presence toggle", body=Presence, response=Change),
    Route("GET", "/pools", "Pools the user may view", response=PoolSummary, many=True),
    Route("GET", "/pools/{pool}/leads", "Available leads, contact fields hidden"),
    Route(
        "POST",
        "/pools/{pool}/claim",
        "Claim the next best lead, or a batch",
        body=ClaimNext,
        response=ClaimedLead,
        many=True,
    ),
    Route(
        "GET", "/pools/{pool}/why-not", "Every rule for the next lead", response=WhyNot
    ),
    Route("POST", "/pools/{pool}/assign", "Round-robin assignment", body=Assign),
    Route("GET", "/leads/{lead_id}", "A lead's state and history (view)"),
    Route("POST", "/leads/{lead_id}/claim", "Claim this lead", response=ClaimedLead),
    Route(
        "GET", "/leads/{lead_id}/why-not", "Every rule for this lead", response=WhyNot
    ),
    Route("POST", "/leads/{lead_id}/return", "Give a lead back", body=ReturnLead),
    Route("POST", "/leads/{lead_id}/contact", "Log first contact", body=Contact),
    Route("POST", "/leads/{lead_id}/outcome", "Record an outcome", body=RecordOutcome),
    Route(
        "POST", "/leads/{lead_id}/transfers", "Request a transfer", body=TransferRequest
    ),
    Route("GET", "/transfers", "Pending transfers the user may decide"),
    Route(
        "POST",
        "/transfers/{transfer_id}/decision",
        "Approve or reject a transfer",
        body=TransferDecision,
        response=Change,
    ),
    Route("GET", "/openapi.json", "This document"),
]


class ClaimsApi:
    def __init__(
        self,
        live: LiveConfig,
        inventory: Inventory,
        claims: Claims,
        clock: Clock,
        lifecycle: Lifecycle,
        transfers: Transfers,
        round_robin: RoundRobin,
        standings: Standings,
        ready: Callable[[], bool] = lambda: True,
    ) -> None:
        self.live = live
        self.inventory = inventory
        self.claims = claims
        self.clock = clock
        self.lifecycle = lifecycle
        self.transfers = transfers
        self.round_robin = round_robin
        self.ready = ready
        self.standings = standings

    def web_app(self, health: HealthCheck | None = None) -> web.Application:
        app = new_web_app(
            [bearer_auth(TokenIndex(self.live)), self._while_rebuilding], health
        )
        handlers = {
            ("GET", "/me"): self.me,
            ("GET", "/me/limits"): self.limits,
            ("PUT", "/me/presence"): self.presence,
            ("GET", "/pools"): self.list_pools,
            ("GET", "/pools/{pool}/leads"): self.list_leads,
            ("POST", "/pools/{pool}/claim"): self.claim_next,
            ("GET", "/pools/{pool}/why-not"): self.why_not_pool,
            ("POST", "/pools/{pool}/assign"): self.assign,
            ("GET", "/leads/{lead_id}"): self.lead_detail,
            ("POST", "/leads/{lead_id}/claim"): self.claim_lead,
            ("GET", "/leads/{lead_id}/why-not"): self.why_not_lead,
            ("POST", "/leads/{lead_id}/return"): self.give_back,
            ("POST", "/leads/{lead_id}/contact"): self.contact,
            ("POST", "/leads/{lead_id}/outcome"): self.outcome,
            ("POST", "/leads/{lead_id}/transfers"): self.request_transfer,
            ("GET", "/transfers"): self.pending_transfers,
            ("POST", "/transfers/{transfer_id}/decision"): self.decide_transfer,
            ("GET", "/openapi.json"): self.openapi,
        }
        for route in ROUTES:
            app.router.add_route(
                route.method, route.path, handlers[(route.method, route.path)]
            )
        return app

    def _user(self, request: web.Request) -> User:
        """The caller, with the tier the last recalculation gave them."""
        return self.standings.apply(request_user(request))

    @web.middleware
    async def _while_rebuilding(
        self, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        # A half-rebuilt view would let a taken lead be claimed again.
        if not self.ready() and request.path != "/health":
            raise Problem(
                503,
                "Rebuilding",
                "the claims view is being rebuilt from Kafka; retry shortly",
                headers={"Retry-After": "2"},
            )
        return await handler(request)

    async def openapi(self, request: web.Request) -> web.Response:
        return json_response(document(ROUTES, self.live.current.version))

    async def me(self, request: web.Request) -> web.Response:
        user = self._user(request)
        return json_response(user.model_dump(mode="json", exclude={"token_sha256"}))

    async def limits(self, request: web.Request) -> web.Response:
        user = self._user(request)
        found = await remaining_limits(
            self.inventory.redis,
            self.inventory.keys,
            self.live.current,
            user,
            self.clock.now(),
        )
        return json_response(Limits(rep_id=user.id, limits=found))

    async def presence(self, request: web.Request) -> web.Response:
        user = self._user(request)
        body = await read_body(request, Presence)
        await self.lifecycle.set_away(user.id, body.away)
        state = "away" if body.away else "present"
        return json_response(Change(outcome=state, event_id=""))

    async def list_pools(self, request: web.Request) -> web.Response:
        user = self._user(request)
        config = self.live.current
        visible = [
            p
            for p in config.pools
            if may(config, user, p, Permission.VIEW) or await self._crossing(user, p)
        ]
        return json_response(
            [
                PoolSummary(
                    name=pool.name,
                    quality=pool.quality.value,
                    description=pool.description,
                    depth=await self.inventory.depth(pool.name),
                    mode=await self.lifecycle.pool_mode(pool.name),
                    blind_pull=pool.blind_pull,
                ).model_dump(mode="json")
                for pool in visible
            ]
        )

    async def list_leads(self, request: web.Request) -> web.Response:
        user = self._user(request)
        pool = await self._visible_pool(request, user)
        if pool.blind_pull and not may(
            self.live.current, user, pool, Permission.MANAGE
        ):
            raise Problem(
                403,
                "Blind-pull pool",
                f"pool {pool.name!r} hands out its next best lead: "
                "POST /pools/{pool}/claim instead of choosing",
                kind="https://leadpool.dev/problems/blind-pull",
                permission=Permission.MANAGE.value,
            )
        leads = await self.inventory.available(pool.name, _limit(request))
        return json_response([_public_view(lead, pool) for lead in leads])

    async def claim_next(self, request: web.Request) -> web.Response:
        user = self._user(request)
        pool = self._claimable_pool(request, user)
        # Most claims carry no body: skip parsing one.
        body = await read_body(request, ClaimNext) if request.body_exists else ONE
        taken, refused = await self.claims.claim_batch(
            self.live.current, user, self.clock.now(), pool.name, body.count
        )
        if not taken and refused is not None:
            raise refusal_problem(refused)
        return json_response([await self._claimed(c) for c in taken])

    async def claim_lead(self, request: web.Request) -> web.Response:
        user = self._user(request)
        outcome = await self.claims.claim(
            self.live.current,
            user,
            self.clock.now(),
            lead_id=request.match_info["lead_id"],
        )
        if isinstance(outcome, Refused):
            raise refusal_problem(outcome)
        return json_response(await self._claimed(outcome))

    async def why_not_pool(self, request: web.Request) -> web.Response:
        user = self._user(request)
        pool = await self._visible_pool(request, user)
        rep = self._subject(request, user, pool)
        checks = await self.claims.why_not(
            self.live.current, rep, self.clock.now(), pool=pool.name
        )
        return _why_not(rep, checks)

    async def lead_detail(self, request: web.Request) -> web.Response:
        user = self._user(request)
        pool = await self._lead_pool(request, user, Permission.VIEW)
        lead_id = request.match_info["lead_id"]
        stored = await self.inventory.lead(lead_id)
        return json_response(
            {
                **_public_view(stored, pool),
                "state": stored.get("state"),
                "rep_id": stored.get("rep") or None,
                "returns": int(stored.get("returns", 0)),
                "history": await self.inventory.history(lead_id),
            }
        )

    async def why_not_lead(self, request: web.Request) -> web.Response:
        user = self._user(request)
        pool = await self._lead_pool(request, user, Permission.VIEW)
        rep = self._subject(request, user, pool)
        checks = await self.claims.why_not(
            self.live.current,
            rep,
            self.clock.now(),
            lead_id=request.match_info["lead_id"],
        )
        return _why_not(rep, checks)

    async def assign(self, request: web.Request) -> web.Response:
        user = self._user(request)
        pool = self._pool(request, user, Permission.MANAGE)
        body = await read_body(request, Assign)
        outcome = await self.round_robin.assign(
            self.live.current, pool.name, self.clock.now(), body.reason, body.lead_id
        )
        if isinstance(outcome, Refused):
            raise refusal_problem(outcome)
        return json_response(await self._claimed(outcome))

    async def give_back(self, request: web.Request) -> web.Response:
        user = self._user(request)
        await self._lead_pool(request, user, Permission.CLAIM)
        body = await read_body(request, ReturnLead)
        result = await self.lifecycle.give_back(
            self.live.current,
            request.match_info["lead_id"],
            self.clock.now(),
            reason=ReturnReason.REP_RETURNED,
            rep_id=user.id,
            note=body.reason,
        )
        return _change(result)

    async def contact(self, request: web.Request) -> web.Response:
        user = self._user(request)
        await self._lead_pool(request, user, Permission.CLAIM)
        body = await read_body(request, Contact)
        result = await self.lifecycle.contact(
            self.live.current,
            request.match_info["lead_id"],
            user.id,
            self.clock.now(),
            body.channel,
        )
        return _change(result)

    async def outcome(self, request: web.Request) -> web.Response:
        user = self._user(request)
        await self._lead_pool(request, user, Permission.CLAIM)
        body = await read_body(request, RecordOutcome)
        result = await self.lifecycle.record_outcome(
            self.live.current,
            request.match_info["lead_id"],
            user.id,
            self.clock.now(),
            body.outcome,
            body.deal_size,
        )
        return _change(result)

    async def request_transfer(self, request: web.Request) -> web.Response:
        user = self._user(request)
        await self._lead_pool(request, user, Permission.VIEW)
        body = await read_body(request, TransferRequest)
        if body.to_pool not in self.live.current.pool_names:
            raise Problem(
                422,
                "Invalid request body",
                f"to_pool: unknown pool {body.to_pool!r}",
                errors=[{"field": "to_pool", "reason": "unknown pool"}],
            )
        transfer_id, result = await self.transfers.request(
            self.live.current,
            request.match_info["lead_id"],
            body.to_pool,
            user.id,
            body.reason,
            self.clock.now(),
        )
        return _change(result, transfer_id=transfer_id)

    async def pending_transfers(self, request: web.Request) -> web.Response:
        user = self._user(request)
        config = self.live.current
        pending = await self.transfers.pending()
        return json_response(
            [
                t
                for t in pending
                if t.get("to_pool") in config.pool_names
                and may(config, user, config.pool(t["to_pool"]), Permission.MANAGE)
            ]
        )

    async def decide_transfer(self, request: web.Request) -> web.Response:
        user = self._user(request)
        config = self.live.current
        transfer_id = request.match_info["transfer_id"]
        stored = await self.transfers.get(transfer_id)
        if not stored:
            raise Problem(404, "No such transfer", f"transfer {transfer_id!r}")
        _require(config, user, config.pool(stored["to_pool"]), Permission.MANAGE)
        body = await read_body(request, TransferDecision)
        result = await self.transfers.decide(
            config, transfer_id, user.id, body.approved, self.clock.now(), body.note
        )
        return _change(result)

    async def _claimed(self, outcome: Claimed) -> dict[str, Any]:
        if outcome.lead_json is not None:
            lead = {"lead": outcome.lead_json}
        else:
            lead = await self.inventory.lead(outcome.lead_id)
        # The shape of ClaimedLead, built directly: this is the hot path.
        return {
            "lead_id": outcome.lead_id,
            "pool": outcome.pool,
            "rep_id": outcome.rep_id,
            "event_id": outcome.event_stream_id,
            "lead": _lead_body(lead),
        }

    def _subject(self, request: web.Request, user: User, pool: Pool) -> User:
        """Whom "why not" is about: the caller, or for a manager any rep."""
        rep_id = request.query.get("rep")
        if rep_id is None or rep_id == user.id:
            return user
        config = self.live.current
        _require(config, user, pool, Permission.MANAGE)
        try:
            return config.user(rep_id)
        except KeyError:
            raise Problem(
                404, "No such user", f"rep: unknown user {rep_id!r}"
            ) from None

    async def _lead_pool(
        self, request: web.Request, user: User, wanted: Permission
    ) -> Pool:
        lead_id = request.match_info["lead_id"]
        stored = await self.inventory.lead(lead_id)
        config = self.live.current
        if not stored or stored.get("pool") not in config.pool_names:
            raise Problem(404, "No such lead", f"lead {lead_id!r} is not pooled")
        pool = config.pool(stored["pool"])
        if stored.get("rep") == user.id and wanted is not Permission.MANAGE:
            # The rep a lead went to works it whatever the pool's grants (one
            # claimed while a territory was open, say); the scripts check
            # that they still hold it.
            return pool
        _require(config, user, pool, wanted)
        return pool

    def _claimable_pool(self, request: web.Request, user: User) -> Pool:
        """The pool to claim from. A rep of another territory passes on to
        the claim step, which knows whether the pool's territory is open."""
        config = self.live.current
        name = request.match_info["pool"]
        if name in config.pool_names and crosses_into(config, user, config.pool(name)):
            return config.pool(name)
        return self._pool(request, user, Permission.CLAIM)

    async def _visible_pool(self, request: web.Request, user: User) -> Pool:
        """A pool the user may view: by grant, or open to their territory now."""
        config = self.live.current
        name = request.match_info["pool"]
        if name in config.pool_names and await self._crossing(user, config.pool(name)):
            return config.pool(name)
        return self._pool(request, user, Permission.VIEW)

    async def _crossing(self, user: User, pool: Pool) -> bool:
        """Whether the pool's territory is open to this rep of another one."""
        config = self.live.current
        return crosses_into(config, user, pool) and await self.lifecycle.territory_open(
            pool.name, self.clock.now()
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
        _require(config, user, pool, wanted)
        return pool


def _require(config: Any, user: User, pool: Pool, wanted: Permission) -> None:
    if not may(config, user, pool, wanted):
        raise Problem(
            403,
            f"Missing permission: {wanted.value}",
            f"user {user.id!r} lacks {wanted.value!r} on pool {pool.name!r}",
            kind="https://leadpool.dev/problems/forbidden",
            permission=wanted.value,
            pool=pool.name,
        )


def _why_not(rep: User, checks: Any) -> web.Response:
    if isinstance(checks, Refused):
        raise refusal_problem(checks)
    rules = [Rule(**vars(check)) for check in checks]
    answer = WhyNot(
        rep_id=rep.id, would_claim=all(r.passed for r in rules), rules=rules
    )
    return json_response(answer.model_dump(mode="json"))


def _change(result: Result, **details: Any) -> web.Response:
    if isinstance(result, Rejected):
        raise rejection_problem(result.rule)
    assert isinstance(result, Done)
    change = Change(
        outcome=result.outcome,
        event_id=result.stream_id,
        details=result.details | details,
    )
    return json_response(change.model_dump(mode="json"))


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
