"""Access control for the workbench: token, host and origin checks, request size limit.

* Loopback binding (the default) needs no token; any other host needs one, given as
  ``Authorization: Bearer T``, the ``accord_token`` cookie, or once as ``?token=T`` (which sets
  the cookie and redirects to the clean address).
* Requests whose ``Host`` is not an allowed name are refused (DNS-rebinding).
* A state-changing request (any method but GET, HEAD, OPTIONS) is refused with 403 when a browser
  says it comes from another site: an ``Origin`` other than this server's (``Origin: null``, sent
  by sandboxed frames, ``file:`` pages and redirects, included), ``Sec-Fetch-Site: cross-site`` or
  ``same-site``, or, without an ``Origin``, a ``Referer`` from another host (cross-site request
  forgery). Clients that send none of these (scripts, curl) are not browsers and cannot be forged.
* The token cookie is ``Secure`` when the request came over HTTPS: the connection's own scheme, or
  ``X-Forwarded-Proto`` only when the server is told to trust a proxy in front of it.
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


def cross_site(headers: dict[str, str], host: str) -> str | None:
    """Why a request's headers show it was sent by a page of another site, or None.

    ``Origin: null`` is refused outright: browsers send it from sandboxed frames, ``data:`` and
    ``file:`` pages and after cross-site redirects, none of which is this server's page.
    """
    origin = headers.get("origin")
    if origin is not None:
        if origin.strip().lower() == "null":
            return "Origin: null"
        if urlsplit(origin).netloc.lower() != host.lower():
            return f"Origin {origin}"
        return None
    fetch_site = headers.get("sec-fetch-site", "").strip().lower()
    if fetch_site in ("cross-site", "same-site"):
        return f"Sec-Fetch-Site: {fetch_site}"
    referer = headers.get("referer")
    if referer and urlsplit(referer).netloc.lower() != host.lower():
        return "Referer from another host"
    return None


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


#: on every response: no page of the workbench may be framed by another site (clickjacking), no
#: response is sniffed as another type, and no address with a query leaves in a Referer header
PROTECTIVE_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


def _protected(send: Send) -> Send:
    """Return ``send`` adding :data:`PROTECTIVE_HEADERS` to the start of every response."""

    async def protected(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *PROTECTIVE_HEADERS]}
        await send(message)

    return protected


class Guard:
    """ASGI middleware applying the checks above to every HTTP request."""

    def __init__(
        self,
        app: ASGIApp,
        token: str | None,
        max_body: int,
        allowed_hosts: set[str] | None = None,
        trust_proxy: bool = False,
    ) -> None:
        self.app = app
        self.token = token
        self.max_body = max_body
        self.allowed_hosts = allowed_hosts  # None: any host (a token is required then)
        self.trust_proxy = trust_proxy  # honour X-Forwarded-Proto

    def _scheme(self, scope: Scope, headers: dict[str, str]) -> str:
        """``https`` or ``http``: as the client reached us (through a trusted proxy's word)."""
        forwarded = headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
        if self.trust_proxy and forwarded in ("http", "https"):
            return forwarded
        return str(scope.get("scheme", "http"))

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
        send = _protected(send)  # every answer below, refusals and redirects included
        headers = self._headers(scope)
        host = headers.get("host", "")
        hostname = urlsplit(f"//{host}").hostname or ""
        if self.allowed_hosts is not None and hostname not in self.allowed_hosts:
            await _send_problem(send, 400, "Bad Request", f"host {host!r} is not served here")
            return
        method = scope.get("method", "GET")
        unsafe = method not in ("GET", "HEAD", "OPTIONS")
        if unsafe and (reason := cross_site(headers, host)):
            await _send_problem(send, 403, "Forbidden", f"cross-site requests that change state are "
                                f"not accepted ({reason})")
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
                await self._set_cookie_and_redirect(scope, send, self._scheme(scope, headers) == "https")
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

    async def _set_cookie_and_redirect(self, scope: Scope, send: Send, secure: bool) -> None:
        query = [
            (k, v)
            for k, _, v in (p.partition("=") for p in scope.get("query_string", b"").decode().split("&") if p)
            if k != "token"
        ]
        location = scope.get("path", "/") + (f"?{urlencode(query)}" if query else "")
        cookie = f"{COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict" + ("; Secure" if secure else "")
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

