"""The application class and what its workers reuse between requests, in one place.

Each kind of reused thing has its own bounded store (``Caches``), so a flood of one kind (CSRF
tokens of many sessions, say) never pushes out another (compiled list statements). A store is
emptied when full: rarely reached, and simpler than an LRU. bench/README.md says what each of
these buys.
"""
from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface


class Store:
    """Values built once per key in this worker, at most `bound` of them."""

    def __init__(self, bound: int):
        self.bound = bound
        self._values: dict = {}

    def get(self, key, build):
        value = self._values.get(key)
        if value is None:
            if len(self._values) >= self.bound:
                self._values.clear()
            value = self._values[key] = build()
        return value

    def clear(self) -> None:
        self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


class Caches:
    """What requests reuse, per worker; keys hold everything a value depends on."""

    def __init__(self):
        self.access: dict = {}                 # user id -> (auth stamp, Access); core.auth.access
        self.menus = Store(1_000)               # (permissions, language, page) -> menu; core.menu
        self.fragments = Store(1_000)           # rendered HTML: side menus, a list's header and filters
        self.list_layouts = Store(1_000)        # (type, columns, language, zone) -> ListLayout
        self.statements = Store(1_000)          # (type, filter shape) -> compiled list statements
        self.saved_views = Store(10_000)        # (user, type, "lists" stamp) -> his list settings, saved filters
        self.csrf_tokens = Store(10_000)        # a session's token -> its signed form; core.auth.csrf
        self.password_hashes = Store(10)        # the dummy hash unknown usernames are checked against

    def clear(self) -> None:
        for value in vars(self).values():
            value.clear()


class _CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with their signer built once per secret key rather than on
    every request."""
    _signers = Store(100)

    def get_signing_serializer(self, app):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        return self._signers.get(keys, lambda: super(_CookieSessions, self).get_signing_serializer(app))


class ErpApp(Flask):
    """Flask, with the session cookie's signer built once per worker. (Caching url_for and
    ensure_sync was measured on 5 Dec 2026 and removed: no difference the benchmark can see,
    about 2 µs and 0.1 µs a call; see bench/README.md.)"""

    session_interface = _CookieSessions()
