"""Riding out a Redis outage: a breaker that stops asking a dead server, and a cache over it.

Redis is the broker and (unless CACHE_URL says otherwise) the cache that allauth's rate
limits use. Neither may turn a Redis outage into a page or sign-in outage: a request that
finds Redis down logs one warning, carries on without it, and for the next few seconds does
not try again, so no request waits for a connect timeout more than once per window.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import redis.exceptions
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

T = TypeVar("T")

# How long a tripped breaker answers "down" without trying the server again.
RETRY_AFTER_SECONDS = 5.0


class Breaker:
    """Per-process memory of a recent failure of one outside service."""

    def __init__(self, name: str, retry_after: float = RETRY_AFTER_SECONDS) -> None:
        self.name = name
        self.retry_after = retry_after
        self._open_until = 0.0
        self._lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    def trip(self, exc: BaseException) -> None:
        with self._lock:
            already_open = self.is_open()
            self._open_until = time.monotonic() + self.retry_after
        if not already_open:
            logger.warning(
                "%s is unreachable (%s: %s); carrying on without it for %.0f s",
                self.name,
                type(exc).__name__,
                exc,
                self.retry_after,
            )

    def reset(self) -> None:
        with self._lock:
            self._open_until = 0.0


cache_breaker = Breaker("Redis cache")
broker_breaker = Breaker("Celery broker")


# What "Redis is unreachable" looks like from redis-py (OSError: a refused or reset socket).
CONNECTION_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


def _fail_open(default: Callable[..., Any]) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Run a cache call; when Redis is down, answer `default(*args, **kwargs)` instead."""

    def decorate(method: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(method)
        def wrapper(self: FailOpenRedisCache, *args: Any, **kwargs: Any) -> T:
            if cache_breaker.is_open():
                return default(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except CONNECTION_ERRORS as exc:
                cache_breaker.trip(exc)
                return default(*args, **kwargs)

        return wrapper

    return decorate


def _get_default(key: str, default: Any = None, version: int | None = None) -> Any:
    return default


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache that behaves as an empty cache while Redis is unreachable.

    For allauth's rate limits this means "no limit" during an outage (each trip is logged):
    the portal stays usable, and the limits return with Redis. `add` answers True so that
    allauth's cache lock does not spin for its one-second wait on every request.
    """

    get = _fail_open(_get_default)(RedisCache.get)
    set = _fail_open(lambda *a, **k: None)(RedisCache.set)
    add = _fail_open(lambda *a, **k: True)(RedisCache.add)
    touch = _fail_open(lambda *a, **k: False)(RedisCache.touch)
    delete = _fail_open(lambda *a, **k: False)(RedisCache.delete)
    has_key = _fail_open(lambda *a, **k: False)(RedisCache.has_key)
    get_many = _fail_open(lambda *a, **k: {})(RedisCache.get_many)
    set_many = _fail_open(lambda *a, **k: [])(RedisCache.set_many)
    delete_many = _fail_open(lambda *a, **k: None)(RedisCache.delete_many)
    clear = _fail_open(lambda *a, **k: False)(RedisCache.clear)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        # No fallback value makes sense for a counter: callers of incr handle ValueError
        # (the key "does not exist") already, so an outage looks like a missing key.
        if cache_breaker.is_open():
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        try:
            return super().incr(key, delta, version)
        except CONNECTION_ERRORS as exc:
            cache_breaker.trip(exc)
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from exc
