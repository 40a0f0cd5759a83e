"""Who may write, and the guards every response gets.

Writing (retract, merge, confirm) needs the admin token (``TRACKER_ADMIN_TOKEN``): the JSON API
takes it as ``Authorization: Bearer <token>``; the pages exchange it at ``/login`` for a signed,
HttpOnly, SameSite=Strict session cookie naming the analyst, and every form carries a CSRF token
derived from that session (checked with the request's Origin). Without a configured token the
app is read-only. Sessions and CSRF tokens are signed with ``itsdangerous`` (a key derived from
the admin token, so changing the token logs everyone out).

``BodyLimitMiddleware`` refuses request bodies over a limit (413) before any route reads them;
``SecurityHeadersMiddleware`` adds the Content-Security-Policy and friends to every response.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "tracker_session"
SESSION_SECONDS = 12 * 3600
MAX_BODY_BYTES = 64 * 1024
_NAME = re.compile(r"[^\w .@-]+", re.UNICODE)


class AuthError(Exception):
    """A write without valid credentials (or with a bad CSRF token)."""


@dataclass(frozen=True)
class Analyst:
    """Who is writing: the name recorded in the correction's metadata."""

    name: str

    @property
    def recorded_as(self) -> str:
        """The ``analyst`` metadata value of corrections made through the web app."""
        return f"web:{self.name}"


def clean_name(text: str | None) -> str:
    """An analyst's display name: word characters, spaces, ``.@-``; at most 60; never empty."""
    name = " ".join(_NAME.sub("", text or "").split())[:60]
    return name or "analyst"


class Guard:
    """Checks credentials against the admin token (None: the app is read-only)."""

    def __init__(self, token: str | None) -> None:
        self.token = token or None
        key = hashlib.sha256(f"tracker-web:{token or ''}".encode()).hexdigest()
        self._sessions = URLSafeTimedSerializer(key, salt="session")
        self._csrf = URLSafeTimedSerializer(key, salt="csrf")

    @property
    def writable(self) -> bool:
        """True when a token is configured, so writes are possible at all."""
        return self.token is not None

    def token_ok(self, given: str | None) -> bool:
        """Constant-time comparison of ``given`` with the admin token."""
        if self.token is None or not given:
            return False
        return hmac.compare_digest(given.encode(), self.token.encode())

    def bearer(self, request: Request) -> Analyst:
        """The analyst of an API request with ``Authorization: Bearer <token>``; raises
        AuthError."""
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if not self.writable:
            raise AuthError("this server is read-only (no TRACKER_ADMIN_TOKEN configured)")
        if scheme.lower() != "bearer" or not self.token_ok(given.strip()):
            raise AuthError("writing needs the admin token: Authorization: Bearer <token>")
        return Analyst(clean_name(request.headers.get("x-analyst")))

    def session_cookie(self, analyst: Analyst) -> str:
        """A signed session value naming ``analyst``."""
        return self._sessions.dumps({"analyst": analyst.name})

    def session(self, request: Request) -> Analyst | None:
        """The analyst of a page request's valid session cookie, else None."""
        value = request.cookies.get(SESSION_COOKIE)
        if not value or not self.writable:
            return None
        try:
            data: Any = self._sessions.loads(value, max_age=SESSION_SECONDS)
        except BadSignature:
            return None
        return Analyst(clean_name(data.get("analyst"))) if isinstance(data, dict) else None

    def csrf_token(self, request: Request) -> str:
        """The CSRF token for forms on this session's pages (empty without a session)."""
        value = request.cookies.get(SESSION_COOKIE)
        if not value or self.session(request) is None:
            return ""
        return self._csrf.dumps(hashlib.sha256(value.encode()).hexdigest())

    def form_writer(self, request: Request, csrf: str | None) -> Analyst:
        """The analyst of a form post: a valid session, a same-origin request and the session's
        CSRF token; raises AuthError."""
        analyst = self.session(request)
        if analyst is None:
            raise AuthError(
                "log in with the admin token first"
                if self.writable
                else "this server is read-only (no TRACKER_ADMIN_TOKEN configured)"
            )
        check_origin(request)
        value = request.cookies.get(SESSION_COOKIE, "")
        try:
            bound = self._csrf.loads(csrf or "", max_age=SESSION_SECONDS)
        except BadSignature:
            raise AuthError(
                "the form's CSRF token is missing or invalid; reload the page"
            ) from None
        if bound != hashlib.sha256(value.encode()).hexdigest():
            raise AuthError("the form's CSRF token belongs to another session; reload the page")
        return analyst


def check_origin(request: Request) -> None:
    """Refuse a cross-site form post: a present Origin (or Referer) must be this host."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin or origin == "null":
        if origin == "null":
            raise AuthError("cross-site request refused")
        return
    host = request.headers.get("host", "")
    stripped = origin.split("://", 1)[-1].split("/", 1)[0]
    if stripped != host:
        raise AuthError("cross-site request refused")


class BodyLimitMiddleware:
    """Answers 413 to a request whose body is larger than ``limit`` bytes (by Content-Length,
    or while it streams in), before the application reads it."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _too_large(send, self.limit)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _BodyTooLargeError
            return message

        try:
            await self.app(scope, limited, send)
        except _BodyTooLargeError:
            await _too_large(send, self.limit)


class _BodyTooLargeError(Exception):
    pass


async def _too_large(send: Send, limit: int) -> None:
    body = f"request body too large (limit {limit} bytes)".encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware:
    """Adds the pages' Content-Security-Policy and the usual hardening headers."""

    def __init__(self, app: ASGIApp, csp: str) -> None:
        self.app = app
        self.headers = {
            "content-security-policy": csp,
            "x-content-type-options": "nosniff",
            "referrer-policy": "same-origin",
            "x-frame-options": "DENY",
            "cross-origin-opener-policy": "same-origin",
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for k, v in self.headers.items():
                    headers.setdefault(k, v)
            await send(message)

        await self.app(scope, receive, with_headers)
