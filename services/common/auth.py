"""Bearer-token authentication against the hashed tokens in configuration.

Shared by the services with an authenticated HTTP API: a token's SHA-256
digest is looked up among the users' `token_sha256`, and the user is
attached to the request for the handler's permission checks.
"""

import hashlib

from aiohttp import web

from schemas.config import LeadpoolConfig
from schemas.config.access import User
from services.common.http import Handler, Problem
from services.common.live_config import LiveConfig

PUBLIC_PATHS = frozenset({"/health", "/metrics"})
USER_KEY = web.RequestKey("leadpool_user", User)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenIndex:
    """Digest -> user, rebuilt whenever the configuration changes."""

    def __init__(self, live: LiveConfig) -> None:
        self._by_digest = self._index(live.current)
        live.subscribe(lambda _old, new: self._reindex(new))

    def _reindex(self, config: LeadpoolConfig) -> None:
        self._by_digest = self._index(config)

    @staticmethod
    def _index(config: LeadpoolConfig) -> dict[str, User]:
        return {digest: user for user in config.users for digest in user.token_sha256}

    def user_for(self, token: str) -> User | None:
        # A digest lookup reveals nothing useful about the token through timing.
        return self._by_digest.get(token_digest(token))


def bearer_auth(index: TokenIndex) -> object:
    @web.middleware
    async def authenticate(request: web.Request, handler: Handler) -> object:
        if request.path in PUBLIC_PATHS:
            return await handler(request)
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthorized("send an Authorization: Bearer <token> header")
        user = index.user_for(token.strip())
        if user is None:
            raise _unauthorized("the token is not known")
        if not user.active:
            raise Problem(403, "Forbidden", f"user {user.id!r} is deactivated")
        request[USER_KEY] = user
        return await handler(request)

    return authenticate


def request_user(request: web.Request) -> User:
    return request[USER_KEY]


def _unauthorized(detail: str) -> Problem:
    return Problem(
        401,
        "Unauthorized",
        detail,
        kind="https://leadpool.dev/problems/unauthorized",
        headers={"WWW-Authenticate": 'Bearer realm="leadpool"'},
    )
