"""What bench/run.py and bench/peers.py measure with: a keep-alive HTTP client that reads the footer and
Server-Timing figures, bounded wrk runs, percentiles, worker memory, the machine, and the scratch Dateline servers."""

import http.client
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.processes import DATELINE, environment, free_port, serving, start_varnish, stop_varnish  # noqa: E402

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:130.0) Gecko/20100101 Firefox/130.0"  # counted as a reader
FOOTER = re.compile(rb"Page Generated in ([0-9.]+) sec")
SERVER_TIMING = re.compile(r"app;dur=([0-9.]+)")
SERVER_ONLY = ("DATABASE_URL", "REDIS_URL")  # the embedded default: SQLite under DATELINE_VAR, no Redis


def site_env(var_dir, **extra):
    """The environment of a scratch site: its own DATELINE_VAR, SQLite, no Redis, whatever this shell says."""
    env = {k: v for k, v in environment().items() if k not in SERVER_ONLY}
    return {**env, "DATELINE_VAR": str(var_dir), **extra}


def dateline(*args, env, timeout):
    """Run a `dateline` command to completion; its error output is shown when it fails."""
    return run_to_completion([*DATELINE, *args], f"dateline {' '.join(args)}", env, timeout)


def bench_data(*args, env, timeout):
    """Run bench/benchdata.py (the benchmark site's data) to completion, as `dateline` above."""
    script = Path(__file__).with_name("benchdata.py")
    return run_to_completion([sys.executable, str(script), *args], f"{script.name} {' '.join(args)}", env, timeout)


def run_to_completion(argv, name, env, timeout):
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout)
    if result.returncode:
        raise RuntimeError(f"{name} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def setup_django(directory):
    """Django in this process, on the scratch site's database (for the URLs to request and the query counts)."""
    os.environ.update(DJANGO_SETTINGS_MODULE="dateline.settings", DATELINE_VAR=str(directory))
    for name in SERVER_ONLY:
        os.environ.pop(name, None)
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": static}


@contextmanager
def dateline_server(env, log_path, workers=2):
    """`dateline serve --workers N` on a free loopback port for the duration of the block: yields (port, pid)."""
    port = free_port()
    with open(log_path, "ab") as log, serving(env, port, log, workers, seconds=90) as server:
        yield port, server.pid


@contextmanager
def varnish_in_front(port):
    """deploy/varnish.vcl (Debian's varnishd) on a free loopback port in front of Dateline on `port`: yields its
    port, or None where varnishd is not installed."""
    if not shutil.which("varnishd"):
        yield None
        return
    vcl = (ROOT / "deploy" / "varnish.vcl").read_text().replace('.port = "8000";', f'.port = "{port}";')
    edge_port = free_port()
    varnish = start_varnish(vcl, edge_port)
    try:
        yield edge_port
    finally:
        stop_varnish(varnish)


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.body = status, body
        self.cache = headers.get("X-Cache")
        timing = SERVER_TIMING.search(headers.get("Server-Timing") or "")
        self.server_ms = float(timing[1]) if timing else None
        footer = FOOTER.search(body)
        self.footer_s = float(footer[1]) if footer else None


class Client:
    """Sequential GETs on one keep-alive connection to a loopback server, as a browser reader sends them."""

    def __init__(self, port):
        self.port, self.connection = port, None

    def get(self, path):
        for attempt in (1, 2):  # a server may close an idle keep-alive connection: reconnect once
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.connection.request("GET", path, headers={"User-Agent": BROWSER})
                response = self.connection.getresponse()
                return Answer(response.status, response.headers, response.read())
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise

    def close(self):
        if self.connection:
            self.connection.close()


def percentile(values, p):
    """Nearest-rank percentile (p in 0-100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def median(values):
    return statistics.median(values) if values else None


def to_ms(text):
    """wrk's '812.00us', '1.23ms', '2.01s' or '1.5m' in milliseconds."""
    number, unit = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse_wrk(output):
    """req/s, p50 and p99 in ms, and errors (socket errors plus non-2xx/3xx answers) from `wrk --latency`."""
    rps = re.search(r"Requests/sec:\s+([0-9.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = sum(map(int, sockets.groups())) if sockets else 0
    return {
        "rps": float(rps[1]) if rps else 0.0,
        "p50_ms": to_ms(p50[1]) if p50 else None,
        "p99_ms": to_ms(p99[1]) if p99 else None,
        "errors": errors + (int(non_2xx[1]) if non_2xx else 0),
    }


def wrk_command(url, seconds, script=None, script_args=(), connections=16, threads=2):
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    argv += ["-H", f"User-Agent: {BROWSER}"]
    if script:
        argv += ["-s", str(script)]
    return [*argv, url, *(["--", *script_args] if script_args else [])]


def wrk(url, seconds, **options):
    """One bounded wrk run against a loopback URL."""
    result = subprocess.run(wrk_command(url, seconds, **options), capture_output=True, text=True, timeout=seconds + 60)
    return {"url": url, "seconds": seconds, **parse_wrk(result.stdout)}


def worker_pids(pid):
    """The server's worker processes: the children of the granian (or gunicorn) main process."""
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, timeout=10)
        return [int(child) for child in found.stdout.split()]


def rss_mb(pid):
    """VmRSS of one process in MB, or None once it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found[1]) / 1024 if found else None


def machine():
    """Cores, CPU model, RAM, OS and the UTC date: what a figure needs beside it to mean something."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    memory = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
    return {
        "cores": len(re.findall(r"^processor\s*:", cpuinfo, re.M)),
        "cpu": model[1].strip() if model else platform.processor(),
        "ram_gib": round(int(memory[1]) / 1024 / 1024, 1) if memory else None,
        "system": platform.platform(),
        "python": platform.python_version(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def describe(host):
    return f"{host['cores']} cores ({host['cpu']}), {host['ram_gib']} GiB RAM, {host['system']}; {host['date']}"


def write_json(figures, directory, prefix=""):
    """var/bench/<prefix><UTC timestamp>.json, and latest.json for the plain benchmark; returns the path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{prefix}{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    text = json.dumps(figures, indent=2)
    path.write_text(text)
    if not prefix:
        (directory / "latest.json").write_text(text)
    return path


def verdict(passed):
    return "n/a" if passed is None else ("PASS" if passed else "MISS")


def fmt(value, digits=1):
    return "-" if value is None else f"{value:.{digits}f}"
