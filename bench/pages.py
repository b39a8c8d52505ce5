"""Page benchmark: each page's median latency as a multiple of a bare Django view.

Run from the repo root: ``.venv/bin/python bench/pages.py``. It builds a throwaway state
dir, seeds it, serves the app with gunicorn as production does, signs in over HTTP and times
the pages in PAGES sequentially. Lines not starting with ``# `` are machine-read.
To add a page, add one Page(...) to PAGES (and a data set to bench/seed.py if it needs one).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
DEMO_PASSWORD = "Houqin-demo-2026"  # noqa: S105 (the published demo password)
DEMO_TOTP_SECRET = "HOUQINDEMOSECRETKEYXYZ234567ABCD"  # noqa: S105 (published demo key)
ADMINS = frozenset({"system_admin", "security_admin", "audit_admin"})
WARMUP, RUNS = 20, 200
MEMORY_TARGET_MB = 150.0


@dataclass(frozen=True)
class Page:
    """One timed figure: GET ``path`` signed in as ``login`` (None: anonymous)."""

    figure: str
    path: str
    login: str | None
    target: float = 5.0


DATASETS = ["users", "standards"]  # seeding functions in bench/seed.py, run in this order
FLOOR = Page("floor", "/bench/floor/", None)  # a bare view: ratios are page median / this
SIGNED_FLOOR = Page("floor (signed in)", "/bench/floor/", "leader")  # for humans only
PAGES = [
    Page("login page", "/accounts/login/", None),
    Page("home", "/", "leader"),
    Page("user list (600 users)", "/accounts/users/", "system_admin"),
    Page("staff list (demo center)", "/org/staff/", "leader"),
    Page("place tree (demo center)", "/places/", "leader"),
    Page("standard list (500 standards)", "/standards/", "leader"),
    Page("standard page (200 clauses)", "/standards/990200/", "leader"),
]


def totp(secret_b32: str, at: float | None = None) -> str:
    """RFC 6238 code (SHA1, 30 s steps, 6 digits)."""
    key = base64.b32decode(secret_b32)
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{code % 1_000_000:06d}"


class Client:
    """A minimal HTTP client with a cookie jar; reconnects when the server closes."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """Send one request; return (status, Location header, body)."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        if response.will_close:
            self.conn.close()
        return response.status, response.headers.get("Location", ""), text

    def post_form(self, path: str, fields: dict[str, str]) -> str:
        """GET the form for its CSRF token, POST it, expect a redirect; return Location."""
        status, _, html = self.request("GET", path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or match is None:
            raise RuntimeError(f"GET {path}: status {status}, CSRF token found: {bool(match)}")
        status, location, _ = self.request(
            "POST", path, {"csrfmiddlewaretoken": match[1], **fields}
        )
        if status != 302:
            raise RuntimeError(f"POST {path} as {fields.get('username', '')}: status {status}")
        return location

    def login(self, username: str) -> None:
        """Sign in with the demo password, then the TOTP code for the administrators."""
        location = self.post_form(
            "/accounts/login/", {"username": username, "password": DEMO_PASSWORD}
        )
        if username in ADMINS:
            if "/otp/" not in location:
                raise RuntimeError(f"{username}: expected the two-factor step, got {location!r}")
            location = self.post_form("/accounts/login/otp/", {"token": totp(DEMO_TOTP_SECRET)})
        if "/accounts/" in location:
            raise RuntimeError(f"{username}: sign-in did not finish, redirected to {location!r}")


def timed_get(client: Client, path: str) -> float:
    """One GET in ms; anything but 200 (e.g. a redirect to sign-in) is an error."""
    start = time.perf_counter()
    status, location, _ = client.request("GET", path)
    elapsed = (time.perf_counter() - start) * 1000
    if status != 200:
        raise RuntimeError(f"GET {path}: status {status} {location}".strip())
    return elapsed


def child_env(var_dir: str) -> dict[str, str]:
    """The environment of every child: a clean Houqin config pointing at var_dir."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("HOUQIN_") and k != "DATABASE_URL"
    }
    env.update(
        HOUQIN_VAR_DIR=var_dir,
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    return env


def prepare(env: dict[str, str]) -> None:
    """Migrate, seed the demo center and DATASETS, collect static files."""
    seed = f"from bench.seed import run; run({DATASETS!r})"
    for args in (
        ["migrate", "--noinput", "-v0"],
        ["seed_demo"],
        ["shell", "-c", seed],
        ["collectstatic", "--noinput", "-v0"],
    ):
        subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(env: dict[str, str], var_dir: str, port: int) -> subprocess.Popen[bytes]:
    """gunicorn as scripts/serve runs it (sync, 2 workers), in its own process group."""
    log = Path(var_dir) / "log"
    args = [GUNICORN, "houqin.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    args += [
        "--access-logfile",
        str(log / "access.log"),
        "--error-logfile",
        str(log / "gunicorn.log"),
    ]
    server = subprocess.Popen(args, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            tail = (log / "gunicorn.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"gunicorn exited with {server.returncode}:\n{tail}")
        try:
            if Client(port).request("GET", "/healthz")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz within 30 s")


def stop_gunicorn(server: subprocess.Popen[bytes]) -> None:
    """TERM the whole process group, KILL it if it lingers."""
    if server.poll() is not None:
        return
    pgid = os.getpgid(server.pid)
    os.killpg(pgid, signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(pgid, signal.SIGKILL)
        server.wait()


def largest_worker_rss_mb(master_pid: int) -> float:
    """VmRSS of the largest child of the gunicorn master, in MB."""
    children: list[int] = []
    for task in Path(f"/proc/{master_pid}/task").iterdir():
        children += [int(pid) for pid in (task / "children").read_text().split()]
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        if match:
            sizes.append(int(match[1]) / 1024)
    if not sizes:
        raise RuntimeError("no gunicorn workers found")
    return max(sizes)


def report(figure: str, ratio: float, target: float, misses: list[str]) -> None:
    print(f"{figure}: {ratio:.2f}x (target ≤ {target:g}x)")
    if ratio > target:
        misses.append(figure)


def measure(port: int, master_pid: int) -> None:
    """Sign in once per login, time the floors and pages in interleaved rounds (so load
    from other processes hits all figures alike), then print the figures."""
    clients: dict[str | None, Client] = {}
    pages = [FLOOR, SIGNED_FLOOR, *PAGES]
    for login in {page.login for page in pages}:
        clients[login] = Client(port)
        if login is not None:
            clients[login].login(login)
    samples: dict[Page, list[float]] = {page: [] for page in pages}
    for i in range(WARMUP + RUNS):
        for page in pages:
            elapsed = timed_get(clients[page.login], page.path)
            if i >= WARMUP:
                samples[page].append(elapsed)
    ms = {page: statistics.median(times) for page, times in samples.items()}
    rss = largest_worker_rss_mb(master_pid)
    for page in pages:
        print(f"# {page.figure} {page.path} as {page.login or 'anonymous'}: {ms[page]:.2f} ms")
    print(f"# largest gunicorn worker RSS: {rss:.1f} MB (medians of {RUNS} after {WARMUP})")
    misses: list[str] = []
    for page in PAGES:
        report(page.figure, ms[page] / ms[FLOOR], page.target, misses)
    report("worker memory after warm-up", rss / MEMORY_TARGET_MB, 1.0, misses)
    for figure in misses:
        print(f"# MISSED: {figure}")


def main() -> int:
    """Prepare, serve, measure, print; always stop gunicorn and remove the state dir."""
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the cleanup on TERM too
    var_dir = tempfile.mkdtemp(prefix="houqin-bench-")
    server = None
    try:
        env = child_env(var_dir)
        prepare(env)
        port = free_port()
        server = start_gunicorn(env, var_dir, port)
        measure(port, server.pid)
    finally:
        if server is not None:
            stop_gunicorn(server)
        shutil.rmtree(var_dir, ignore_errors=True)
    print(f"# total {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
