"""Rate limits counted in Django's cache: "N requests per period" per key, in fixed windows.

The counters live in the default cache, so servers that share Redis share them; the embedded mode's memory cache
counts per process. A cache that fails lets requests through (an outage of the cache is not an outage of the site).
"""

import hashlib
import ipaddress
import logging
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)
RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\w*\s*$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text):
    """ "5/m" → 5 a minute; "20/10m" → 20 in ten minutes (units s, m, h, d; "5/minute" reads as "5/m")."""
    match = RATE.match(str(text))
    if not match or int(match[1]) < 1:
        raise ImproperlyConfigured(f"A rate is N/period, such as 5/m or 20/10m, not {text!r}")
    return Rate(int(match[1]), int(match[2] or 1) * UNIT_SECONDS[match[3]])


def client_ip(request):
    """The client's address: REMOTE_ADDR, or the one the TRUSTED_PROXIES proxies in front of us recorded; None if bad.

    Each trusted proxy appends the address it was connected from to X-Forwarded-For, so the client is the Nth entry
    from the right; entries further left are whatever the client sent, and are never believed.
    """
    address = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXIES
    header = request.META.get("HTTP_X_FORWARDED_FOR")
    forwarded = [part.strip() for part in header.split(",")] if header else []
    if proxies and len(forwarded) >= proxies:
        address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def counter_key(scope, key, rate, now):
    window = int(now // rate.seconds)
    digest = hashlib.sha256(str(key).encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{rate.seconds}:{digest}:{window}"


def seconds_left(rate, now):
    """Seconds until the current window ends: what Retry-After says."""
    return max(1, math.ceil(rate.seconds - now % rate.seconds))


def hit(scope, key, rate):
    """Count one request; the seconds to wait when it is over the limit, else 0."""
    now = time.time()
    name = counter_key(scope, key, rate, now)
    try:
        cache.add(name, 0, timeout=rate.seconds + 1)
        try:
            count = cache.incr(name)
        except ValueError:  # the window's counter expired between add and incr
            cache.set(name, count := 1, timeout=rate.seconds + 1)
    except Exception:
        logger.warning("Rate limit %s not counted: the cache failed", scope, exc_info=True)
        return 0
    return seconds_left(rate, now) if count > rate.count else 0


def wait(scope, key, rate):
    """The seconds to wait when the limit is already reached (nothing counted), else 0."""
    now = time.time()
    try:
        count = cache.get(counter_key(scope, key, rate, now), 0)
    except Exception:
        logger.warning("Rate limit %s not read: the cache failed", scope, exc_info=True)
        return 0
    return seconds_left(rate, now) if count >= rate.count else 0
