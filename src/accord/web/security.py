"""Access control for the workbench: token, host and origin checks, request size limit.

* Loopback binding (the default) needs no token; any other host needs one, given as
  ``Authorization: Bearer T``, the ``accord_token`` cookie, or once as ``?token=T`` (which sets
  the cookie and redirects to the clean address).
* Requests whose ``Host`` is not an allowed name are refused (DNS-rebinding), and state-changing
  requests from another origin are refused (cross-site request forgery).
* Request bodies larger than the limit are refused with 413 before they are parsed.
"""

from __future__ import annotations

import ipaddress
import json
import secrets
from urllib.parse import urlencode, urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "accord_token"
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]", "testserver"}


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


class _TooLarge(Exception):
    pass


async def _send_problem(
    send: Send, status: int, title: str, detail: str, headers: list | None = None
) -> None:
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Guard:
    """ASGI middleware applying the checks above to every HTTP request."""

    def __init__(
        self,
        app: ASGIApp,
        token: str | None,
        max_body: int,
        allowed_hosts: set[str] | None = None,
    ) -> None:
        self.app = app
        self.token = token
        self.max_body = max_body
        self.allowed_hosts = allowed_hosts  # None: any host (a token is required then)

    def _headers(self, scope: Scope) -> dict[str, str]:
        return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}

    def _presented_token(self, scope: Scope, headers: dict[str, str]) -> tuple[str | None, bool]:
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip(), False
        for part in headers.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == COOKIE:
                return value, False
        query = scope.get("query_string", b"").decode("latin-1")
        for part in query.split("&"):
            name, _, value = part.partition("=")
            if name == "token":
                return value, True
        return None, False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = self._headers(scope)
        host = headers.get("host", "")
        hostname = urlsplit(f"//{host}").hostname or ""
        if self.allowed_hosts is not None and hostname not in self.allowed_hosts:
            await _send_problem(send, 400, "Bad Request", f"host {host!r} is not served here")
            return
        method = scope.get("method", "GET")
        origin = headers.get("origin")
        unsafe = method not in ("GET", "HEAD", "OPTIONS")
        if unsafe and origin and origin != "null" and urlsplit(origin).netloc != host:
            await _send_problem(send, 403, "Forbidden", "cross-origin requests are not accepted")
            return
        if self.token is not None:
            given, from_query = self._presented_token(scope, headers)
            if given is None or not secrets.compare_digest(given.encode(), self.token.encode()):
                await _send_problem(
                    send, 401, "Unauthorized",
                    "this server needs its access token (printed by `accord serve`)",
                    [(b"www-authenticate", b"Bearer")],
                )
                return
            if from_query and method == "GET":
                await self._set_cookie_and_redirect(scope, send)
                return
        length = headers.get("content-length")
        if length is None and "chunked" in headers.get("transfer-encoding", ""):
            await _send_problem(send, 411, "Length Required", "send the request with a Content-Length")
            return
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _send_problem(send, 413, "Content Too Large", self._too_large())
            return
        await self._call_limited(scope, receive, send)

    def _too_large(self) -> str:
        return f"the request is larger than the limit of {self.max_body // 1024} KiB"

    async def _set_cookie_and_redirect(self, scope: Scope, send: Send) -> None:
        query = [
            (k, v)
            for k, _, v in (p.partition("=") for p in scope.get("query_string", b"").decode().split("&") if p)
            if k != "token"
        ]
        location = scope.get("path", "/") + (f"?{urlencode(query)}" if query else "")
        cookie = f"{COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [(b"location", location.encode()), (b"set-cookie", cookie.encode()),
                            (b"content-length", b"0")],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    async def _call_limited(self, scope: Scope, receive: Receive, send: Send) -> None:
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _send_problem(send, 413, "Content Too Large", self._too_large())

