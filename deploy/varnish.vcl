# Varnish 7 (Debian 12: apt install varnish varnish-modules) in front of Dateline, purged of exactly what changes.
# See docs/deploy.md, "An edge cache". Run every Dateline node with EDGE_CACHE=varnish and
# EDGE_CACHE_URL=http://<this Varnish>:6081 so that a change purges the pages that show it.
# Change: the backend below (one `backend` per app server; for several, see docs/deploy.md), and the `purgers` ACL
# (the addresses of the Dateline nodes, whose workers send the purges).
# Purges use varnish-modules' xkey (Dateline's pages carry their keys in an `xkey` header): one PURGE removes every
# object tagged with any of the keys, in time proportional to what it removes, and leaves nothing behind (bans would
# pile up on the ban list, tested against every object on lookup).
# tests/test_edge.py runs this file (backend and port replaced) in front of two nodes.
vcl 4.1;

import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Not allowed."));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Name the keys to purge in an xkey-purge header."));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone + " objects."));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);  # comment posts, API writes, logins
    }
    if (req.url ~ "^/(admin|newsroom|api|captcha)(/|$)") {
        return (pass);  # staff, the API (tokens) and captcha images: never shared
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|;)\s*(sessionid|messages)=") {
        return (pass);  # a signed-in reader or editor sees their own page
    }
    unset req.http.Cookie;  # nothing else in a cookie changes a public page
    return (hash);
}

sub vcl_backend_response {
    # Only what Dateline's page cache would keep is kept here: pages that name their keys and set no cookie, for
    # the s-maxage and stale-while-revalidate of their Cache-Control; and the static files (hashed names).
    if (beresp.http.Set-Cookie || !(beresp.http.xkey || bereq.url ~ "^/static/")) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;  # remember, for two minutes, not to wait for other requests of this URL
        return (deliver);
    }
}

sub vcl_deliver {
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    if (obj.hits > 0) {
        set resp.http.X-Edge-Cache = "hit";
    } else {
        set resp.http.X-Edge-Cache = "miss";
    }
}
