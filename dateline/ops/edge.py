"""An edge cache in front of the nodes (Varnish, Fastly, Cloudflare), purged of exactly the pages that changed.

Every page the page cache keeps carries its keys (`Surrogate-Key` and `xkey` headers, see pagecache.middleware);
when the page cache invalidates keys, the same keys are purged at the edge, by a job (batched, retried: a purge
twice is harmless). EDGE_CACHE chooses the backend:

- `varnish`: `PURGE /` to each Varnish in EDGE_CACHE_URL with the keys in an `xkey-purge` header (deploy/varnish.vcl
  purges them with varnish-modules' xkey, and accepts purges only from its ACL);
- `fastly`: Fastly's batch purge by surrogate key (`POST /service/{FASTLY_SERVICE_ID}/purge`, `Fastly-Key`);
- `cloudflare`: Cloudflare's purge by cache tag (`POST /zones/{CLOUDFLARE_ZONE_ID}/purge_cache`, `{"tags": …}`).
"""

import json
import logging

from django.conf import settings

from dateline import pagecache

from . import outbound
from .jobs import retry, task

logger = logging.getLogger("dateline.edge")
RETRY_DELAYS = [5, 30, 120, 600, 1800]
BATCH = {"varnish": 200, "fastly": 256, "cloudflare": 30}  # keys per request (Fastly's and Cloudflare's limits)
API = {"fastly": "https://api.fastly.com", "cloudflare": "https://api.cloudflare.com/client/v4"}


class PurgeFailed(Exception):
    pass


def connect():
    """OpsConfig.ready: purge the edge whenever the page cache invalidates (with EDGE_CACHE set)."""
    if settings.EDGE_CACHE:
        pagecache.on_invalidate(queue_purge)


def queue_purge(keys):
    edge_keys = sorted({pagecache.edge_key(key) for key in keys})
    size = BATCH[settings.EDGE_CACHE]
    for start in range(0, len(edge_keys), size):
        purge.enqueue(edge_keys[start : start + size], 1)


@task()
def purge(keys, attempt):
    """Purge `keys` at the edge; on failure, queue the next attempt (a purge is safe to repeat)."""
    try:
        BACKENDS[settings.EDGE_CACHE](keys)
    except (PurgeFailed, outbound.Refused, *outbound.FAILURES) as error:
        if not retry(purge, attempt, RETRY_DELAYS, keys):
            raise
        logger.warning("Edge purge failed (%s); trying again", error)
        return f"failed: {error}"
    return len(keys)


def send(method, url, body=b"", headers=None):
    """One purge request to an edge server or API that we configured ourselves (so private addresses are fine)."""
    response = outbound.request(method, url, body=body, headers=headers, timeout=10, allow_private=True)
    if not 200 <= response.status < 300:
        raise PurgeFailed(f"{url}: HTTP {response.status} {response.body[:200]!r}")
    return response


def purge_varnish(keys):
    for url in settings.EDGE_CACHE_URL:
        send("PURGE", url.rstrip("/") + "/", headers={"xkey-purge": " ".join(keys)})


def purge_fastly(keys):
    base = (settings.EDGE_CACHE_URL or [API["fastly"]])[0].rstrip("/")
    headers = {"Fastly-Key": settings.FASTLY_API_TOKEN, "content-type": "application/json"}
    body = json.dumps({"surrogate_keys": keys}).encode()
    send("POST", f"{base}/service/{settings.FASTLY_SERVICE_ID}/purge", body, headers)


def purge_cloudflare(keys):
    base = (settings.EDGE_CACHE_URL or [API["cloudflare"]])[0].rstrip("/")
    headers = {"Authorization": f"Bearer {settings.CLOUDFLARE_API_TOKEN}", "content-type": "application/json"}
    body = json.dumps({"tags": keys}).encode()
    send("POST", f"{base}/zones/{settings.CLOUDFLARE_ZONE_ID}/purge_cache", body, headers)


BACKENDS = {"varnish": purge_varnish, "fastly": purge_fastly, "cloudflare": purge_cloudflare}
