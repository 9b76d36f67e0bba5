"""The router's HTTP API: the intake webhook and `explain`.

`POST /leads` takes one lead or a batch from a marketing system that
authenticates with its source's API key (`X-Api-Key`), and answers only
once the broker acknowledged every lead on `leads.intake`. A batch is all
or nothing: any invalid lead refuses the whole request, naming each field,
and each invalid lead is also published on `leads.rejected` with its
original payload, like a rejection from any other door.

`GET /leads/{lead_id}` says where a lead is and why (rule, reason, config
version), for users with view permission on its pool.
"""

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from schemas.config import LeadpoolConfig
from schemas.config.access import Permission
from schemas.config.routing import IntakeSource
from schemas.events import HeldLead, PooledLead, RejectedLead
from schemas.events import Problem as LeadProblem
from services.common.clock import Clock
from services.common.http import HealthCheck, Problem, json_response, new_web_app
from services.common.live_config import LiveConfig
from services.router.access import may, source_for_key, user_for_token
from services.router.decide import IntakeRecord, decide, reject
from services.router.dedupe import identities
from services.router.intake import Refused
from services.router.window import DedupeWindow

log = logging.getLogger(__name__)

Produce = Callable[[list[bytes]], Awaitable[None]]
_INVALID = "https://leadpool.dev/problems/invalid-lead"


class RouterApi:
    def __init__(
        self,
        live: LiveConfig,
        window: DedupeWindow,
        produce: Produce,
        clock: Clock,
        reject: Produce,
    ) -> None:
        self._live = live
        self._window = window
        self._produce = produce
        self._reject = reject
        self._clock = clock

    def web_app(self, health: HealthCheck, metrics: Any = None) -> web.Application:
        app = new_web_app(health=health)
        app.router.add_post("/leads", self.post_leads)
        app.router.add_get("/leads/{lead_id}", self.explain)
        if metrics is not None:
            app.router.add_get("/metrics", metrics)
        return app

    async def post_leads(self, request: web.Request) -> web.Response:
        config = self._live.current
        source = self._source(request, config)
        body = await request.read()
        try:
            items = _items(body, config.routing.webhook.max_batch)
        except _Unreadable as unreadable:
            await self._publish_rejected(
                [self._rejected(body, [unreadable.problem], source.name)]
            )
            raise _invalid([unreadable.problem.model_dump()]) from unreadable

        payloads, pooled, rejected, errors = [], [], [], []
        for index, item in enumerate(items):
            payload, outcome = self._check(item, source, config)
            payloads.append(payload)
            if isinstance(outcome, RejectedLead):
                rejected.append(outcome)
                errors += [_error(index, p) for p in outcome.reasons]
            pooled.append(outcome if isinstance(outcome, PooledLead) else None)
        if errors:
            await self._publish_rejected(rejected)
            raise _invalid(errors)

        duplicates = await self._duplicates(pooled, config)
        await self._produce(payloads)
        log.info("leads accepted", extra={"source": source.name, "count": len(items)})
        return json_response(
            {
                "accepted": len(items),
                "leads": [
                    {"index": i, "lead_id": p.lead.lead_id, "duplicate_of": d}
                    for i, (p, d) in enumerate(zip(pooled, duplicates, strict=True))
                    if p is not None
                ],
            },
            status=202,
        )

    async def explain(self, request: web.Request) -> web.Response:
        config = self._live.current
        user = _bearer_user(request, config)
        lead_id = request.match_info["lead_id"]
        found = await self._window.placement(lead_id)
        if found is None:
            raise Problem(
                404,
                "Lead not found",
                f"no lead {lead_id!r} in the dedupe window",
                lead_id=lead_id,
            )
        placement, merges = found
        if not may(user, Permission.VIEW, placement.pool, config):
            raise Problem(
                403,
                "Forbidden",
                f"user {user.id!r} may not view pool {placement.pool!r}",
                permission="view",
                pool=placement.pool,
            )
        return json_response(_explanation(placement, merges))

    def _source(self, request: web.Request, config: LeadpoolConfig) -> IntakeSource:
        key = request.headers.get("X-Api-Key", "").strip()
        source = source_for_key(key, config) if key else None
        if source is None:
            raise _unauthorized("send the source's API key in an X-Api-Key header")
        return source

    def _check(
        self, item: Any, source: IntakeSource, config: LeadpoolConfig
    ) -> tuple[bytes, PooledLead | RejectedLead]:
        if not isinstance(item, dict):
            kind = type(item).__name__
            payload = json.dumps(item).encode()
            reason = f"expected an object, got {kind}"
            problem = LeadProblem(field="$", reason=reason)
            return payload, self._rejected(payload, [problem])
        claimed = item.setdefault("source", source.name)
        payload = json.dumps(item).encode()
        if claimed != source.name:
            reason = f"this API key belongs to source {source.name!r}"
            problem = LeadProblem(field="source", reason=reason)
            return payload, self._rejected(payload, [problem], source.name)

        record = IntakeRecord(payload, self._clock.now(), released=True)
        decision = decide(record, config)
        assert not isinstance(decision, HeldLead)  # released: never held
        return payload, decision

    def _rejected(
        self, payload: bytes, problems: list[LeadProblem], source: str | None = None
    ) -> RejectedLead:
        record = IntakeRecord(payload, self._clock.now())
        return reject(record, Refused(problems, source=source))

    async def _publish_rejected(self, rejected: list[RejectedLead]) -> None:
        await self._reject([r.model_dump_json().encode() for r in rejected])
        reasons = [f"{p.field}: {p.reason}" for r in rejected for p in r.reasons]
        log.info(
            "webhook leads rejected",
            extra={"count": len(rejected), "reasons": reasons},
        )

    async def _duplicates(
        self, pooled: list[PooledLead | None], config: LeadpoolConfig
    ) -> list[str | None]:
        match_on = list(config.routing.dedupe.match_on)
        keyed = [identities(p.lead, match_on) if p else [] for p in pooled]
        known = await self._window.owners(keyed)

        # A copy inside the same batch is a duplicate of the first one too.
        first: dict[object, str] = {}
        answer: list[str | None] = []
        for lead, ids, owner in zip(pooled, keyed, known, strict=True):
            earlier = next((first[i] for i in ids if i in first), None)
            answer.append(owner or earlier)
            if lead is not None:
                for identity in ids:
                    first.setdefault(identity, owner or earlier or lead.lead.lead_id)
        return answer


class _Unreadable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.problem = LeadProblem(field="$", reason=reason)


def _items(raw: bytes, max_batch: int) -> list[Any]:
    try:
        body = json.loads(raw or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise _Unreadable(f"not valid JSON: {err}") from err
    items = body if isinstance(body, list) else [body]
    if not items:
        raise _invalid([{"field": "$", "reason": "an empty batch"}])
    if len(items) > max_batch:
        raise Problem(
            413,
            "Batch too large",
            f"{len(items)} leads in one request; at most {max_batch}",
            max_batch=max_batch,
        )
    return items


def _error(index: int, problem: LeadProblem) -> dict[str, str]:
    where = f"[{index}]" if problem.field == "$" else f"[{index}].{problem.field}"
    return {"field": where, "reason": problem.reason}


def _bearer_user(request: web.Request, config: LeadpoolConfig) -> Any:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    user = user_for_token(token.strip(), config) if scheme.lower() == "bearer" else None
    if user is None:
        raise _unauthorized("send a known user token as Authorization: Bearer <token>")
    if not user.active:
        raise Problem(403, "Forbidden", f"user {user.id!r} is deactivated")
    return user


def _explanation(placement: PooledLead, merges: int) -> dict[str, Any]:
    return {
        "lead_id": placement.lead.lead_id,
        "pool": placement.pool,
        "rule": placement.rule,
        "reason": placement.reason,
        "config_version": placement.config_version,
        "routed_at": placement.routed_at.isoformat(),
        "score": placement.lead.score,
        "owner_rep": placement.owner_rep,
        "fast_lane": placement.fast_lane,
        "merged_duplicates": merges,
    }


def _invalid(errors: list[dict[str, str]]) -> Problem:
    return Problem(
        422,
        "Invalid leads",
        "; ".join(f"{e['field']}: {e['reason']}" for e in errors),
        kind=_INVALID,
        errors=errors,
    )


def _unauthorized(detail: str) -> Problem:
    return Problem(
        401,
        "Unauthorized",
        detail,
        kind="https://leadpool.dev/problems/unauthorized",
        headers={"WWW-Authenticate": 'ApiKey realm="leadpool"'},
    )
