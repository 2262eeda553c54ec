"""deploy/nginx.conf, run: nginx on loopback in front of two `dateline serve`, as docs/deploy.md describes."""

import re
import shutil
import subprocess
from contextlib import ExitStack
from pathlib import Path

import pytest

from .processes import fetch, free_port, run_dateline, serving, stop, wait_for

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
MAIN = """
daemon off;
user root;
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format upstreams '$request_uri $upstream_addr';
    access_log {run}/access.log upstreams;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    include {run}/dateline.conf;
}}
"""


def adapted(config, *, port, upstreams, var, run):
    """The shipped config on loopback: our upstreams, no TLS (nginx plays the TLS end: it says https), our folders."""
    servers = "".join(f"    server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;\n" for p in upstreams)
    config = re.sub(r"(    server 10\.0\.0\.\d+:8000 [^\n]*\n)+", servers, config)
    config = re.sub(r"\nserver \{\n    listen 80;.*?\n\}\n", "\n", config, flags=re.S)  # the redirect to HTTPS
    config = config.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{port};")
    config = re.sub(r"    (listen \[::\]:443|ssl_)[^\n]*\n", "", config)
    config = config.replace("X-Forwarded-Proto $scheme", "X-Forwarded-Proto https")
    config = config.replace("/srv/dateline/var/", f"{var}/").replace("/var/cache/nginx/dateline", f"{run}/cache")
    assert config.count("127.0.0.1:") == len(upstreams) + 1 and "ssl" not in config
    return config


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Two `dateline serve` (HTTPS=1) on one database, and nginx in front of them; yields (nginx URL, folders)."""
    if not NGINX:
        pytest.skip("nginx is not installed (Debian: apt install nginx; .ci/run installs it)")
    tmp = tmp_path_factory.mktemp("deploy")
    var, run = tmp / "var", tmp / "run"
    run.mkdir()
    var.mkdir()
    env = {"DATELINE_VAR": str(var), "DATABASE_URL": "", "REDIS_URL": "", "HTTPS": "1", "SECRET_KEY": "k" * 60}
    run_dateline("migrate", "--noinput", "-v0", env=env)
    run_dateline("demo", env=env)
    ports, port = [free_port(), free_port()], free_port()
    config = adapted((ROOT / "deploy" / "nginx.conf").read_text(), port=port, upstreams=ports, var=var, run=run)
    (run / "dateline.conf").write_text(config)
    (run / "nginx.conf").write_text(MAIN.format(run=run))
    with ExitStack() as stack:
        for upstream in ports:
            stack.enter_context(serving(env, upstream, stack.enter_context(open(run / f"serve-{upstream}.log", "w"))))
        (var / "static" / "nginx-only.txt").write_text("served by nginx")
        nginx = subprocess.Popen([NGINX, "-c", str(run / "nginx.conf"), "-p", str(run)])
        stack.callback(stop, nginx)
        wait_for(f"http://127.0.0.1:{port}/static/nginx-only.txt")
        yield f"http://127.0.0.1:{port}", ports, run


def test_config_is_valid_nginx(site):
    """`nginx -t` accepts the adapted config."""
    base, ports, run = site
    argv = [NGINX, "-t", "-c", str(run / "nginx.conf"), "-p", str(run)]
    result = subprocess.run(argv, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_story_page_comes_through_nginx_over_https(site):
    """The seed story through nginx: 200, with https links, since the app trusts X-Forwarded-Proto (HTTPS=1)."""
    base = site[0]
    status, headers, html = fetch(base + "/news/318214/foreign-combat-forces-to-leave-iraq-in-15-days-military")
    assert status == 200 and "News ID: 318214" in html
    assert '<link rel="canonical" href="https://127.0.0.1' in html
    assert "max-age=31536000" in headers["Strict-Transport-Security"]


def test_the_app_alone_redirects_plain_http(site):
    """Without the proxy's header the same server sends plain HTTP to HTTPS: the header is what it trusts."""
    port = site[1][0]
    status, headers, _ = fetch(f"http://127.0.0.1:{port}/", follow=False)
    assert status == 301 and headers["Location"].startswith("https://")


def test_static_files_are_served_by_nginx_with_long_cache_headers(site):
    """Static files come from STATIC_ROOT through nginx (a file the app does not know), cached for a year."""
    base = site[0]
    status, headers, body = fetch(base + "/static/nginx-only.txt")
    assert status == 200 and body == "served by nginx"
    html = fetch(base + "/")[2]
    css = re.search(r'href="(/static/dateline/site\.[0-9a-f]{12}\.css)"', html)[1]
    status, headers, _ = fetch(base + css, headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get_all("Cache-Control") == ["public, max-age=31536000, immutable"]
    assert headers["Content-Encoding"] == "gzip"


def test_both_app_servers_take_requests(site):
    """nginx spreads pages over both upstreams."""
    base, ports, run = site
    for n in range(8):
        assert fetch(f"{base}/?spread={n}")[0] == 200
    used = re.findall(r"^/\?spread=\d+ 127\.0\.0\.1:(\d+)$", (run / "access.log").read_text(), flags=re.M)
    assert {int(port) for port in used} == set(ports)
