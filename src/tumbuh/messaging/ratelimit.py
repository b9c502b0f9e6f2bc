"""Fixed-window rate limits in the cache (per process with the default in-memory cache,
shared across processes with ``REDIS_URL``)."""

from __future__ import annotations

import time

from django.core.cache import cache


def allow(key: str, limit: int, window_seconds: int = 60) -> bool:
    """Count one hit for ``key``; False once ``limit`` hits fell in the current window."""
    if limit <= 0:
        return True
    slot = int(time.time() // window_seconds)
    name = f"tumbuh:rl:{key}:{slot}"
    if cache.add(name, 1, timeout=window_seconds + 5):
        return True
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=window_seconds + 5)
        return True
    return count <= limit
