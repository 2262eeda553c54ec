"""Real processes for the fault and deployment tests: `dateline` commands, `dateline serve`, redis-server, nginx."""

import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATELINE = [sys.executable, "-m", "dateline"]


def environment(**env):
    """This process's environment without the test-only async switch, plus `env`."""
    return {**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env}


def run_dateline(*args, env, timeout=120):
    """Run a `dateline` command; fail the test, showing its error output, if it fails."""
    result = subprocess.run([*DATELINE, *args], env=environment(**env), capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stderr
    return result.stdout


def dumpdata(env, *models):
    """Every field of every row of `models`, as `dateline dumpdata` writes them."""
    return run_dateline("dumpdata", *models, "--indent", "1", "--natural-foreign", env=env)


def free_port():
    """A free loopback port below the ephemeral range (32768+), so nothing else is handed it meanwhile."""
    for _ in range(100):
        port = random.randint(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


def wait_for(url, seconds=60):
    """Wait until `url` answers at all (any HTTP status)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            fetch(url, timeout=2, follow=False)  # a redirect (HTTPS=1) is an answer too
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer in {seconds} s")


def wait_until(condition, seconds):
    """Seconds until `condition()` held, checked every 20 ms; fails the test after `seconds`."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, f"not within {seconds} s"
        time.sleep(0.02)
    return time.monotonic() - started


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, data=None, headers=None, timeout=10, follow=True):
    """(status, headers, body text) of one request; HTTP errors (and, with follow=False, redirects) are answers too."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read()
            return response.status, response.headers, body.decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")


def start_server(env, port, log, workers=1):
    """A `dateline serve` subprocess; its pid is the server's own (serve execs granian)."""
    argv = [*DATELINE, "serve", "--port", str(port), "--workers", str(workers)]
    return subprocess.Popen(argv, env=environment(**env), stdout=log, stderr=subprocess.STDOUT)


@contextmanager
def serving(env, port, log, workers=1, seconds=60):
    """A `dateline serve` that answers on `port` (within `seconds`) for the duration of the block, then is stopped."""
    server = start_server(env, port, log, workers)
    try:
        wait_for(f"http://127.0.0.1:{port}/robots.txt", seconds)
        yield server
    finally:
        stop(server)


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_redis(port, directory):
    """A throwaway redis-server on loopback, in the foreground of its own process."""
    argv = ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
    process = subprocess.Popen([*argv, "--dir", str(directory)], stdout=subprocess.DEVNULL)
    for _ in range(100):
        if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip() == b"PONG":
            return process
        time.sleep(0.05)
    raise TimeoutError("redis-server did not start")


def redis_keys(port):
    result = subprocess.run(["redis-cli", "-p", str(port), "--scan"], capture_output=True, text=True)
    return result.stdout.split()


EDITOR = """
from django.contrib.auth.models import Group, User
user = User.objects.create_user("editor", "editor@example.org", "a long pass phrase", is_staff=True)
user.groups.set(Group.objects.filter(name__in=["Editor", "Moderator"]))
"""


def editor_token(env):
    """An API token of a user who is both Editor and Moderator."""
    run_dateline("shell", "-c", EDITOR, env=env)
    return run_dateline("token", "create", "editor", env=env).split()[-1]


def postgres_url():
    """The PostgreSQL of `make test-pg` (DATABASE_URL), or None on SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@contextmanager
def scratch_postgres_database(url):
    """A new empty database on `url`'s server, dropped afterwards; yields its URL."""
    import uuid

    import psycopg

    name = f"dateline_scratch_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_varnish(vcl, port):
    """varnishd in the foreground on loopback with the VCL text `vcl`; returns the process once it answers.

    Its folder is outside pytest's (mode 700): varnishd reads the VCL and works there as its own user."""
    directory = Path(tempfile.mkdtemp(prefix="dateline-varnish-"))
    directory.chmod(0o755)
    (directory / "dateline.vcl").write_text(vcl)
    argv = ["varnishd", "-F", "-a", f"127.0.0.1:{port}", "-f", str(directory / "dateline.vcl"), "-n", str(directory)]
    with open(directory / "varnishd.log", "w") as log:  # its chatter; read it when it does not start
        process = subprocess.Popen([*argv, "-s", "malloc,64m", "-T", "none"], stdout=log, stderr=subprocess.STDOUT)
    process.directory = directory
    try:
        wait_for(f"http://127.0.0.1:{port}/robots.txt", 60)
    except TimeoutError:
        log = (directory / "varnishd.log").read_text()
        stop_varnish(process)
        raise TimeoutError(f"varnishd did not answer:\n{log[-2000:]}") from None
    return process


def stop_varnish(process):
    stop(process)
    shutil.rmtree(process.directory, ignore_errors=True)


class Recorder(ThreadingHTTPServer):
    """A server Dateline calls (a webhook receiver, a WebSub hub, an edge cache, a CDN's API), on loopback: records
    each request as (method, path, headers with lower-case names, body) in `calls`, when it came in `times`
    (time.monotonic()), and answers `status`."""

    def __init__(self, status=200):
        super().__init__(("127.0.0.1", 0), RecorderHandler)
        self.calls, self.times, self.status = [], [], status

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class RecorderHandler(BaseHTTPRequestHandler):
    def record(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.times.append(time.monotonic())
        self.server.calls.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PURGE = record

    def log_message(self, *args):
        pass


@contextmanager
def recording(server):
    """`server` (a Recorder) answering in a thread for the duration of the block."""
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
