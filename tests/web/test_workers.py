"""The real server: two gunicorn workers share the login limit through Redis."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_is_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not redis_is_up(), reason="Redis is not running on 127.0.0.1:6379 (CI starts it)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path, database_url):
    """gunicorn with two workers, Redis for shared state, on a fresh SQLite file (or the suite's PostgreSQL)."""
    env = {**os.environ, "DEBRIEF_INSTANCE": str(tmp_path), "DEBRIEF_CONFIG": "default",
           "SECRET_KEY": uuid.uuid4().hex * 2, "REDIS_URL": REDIS_URL,
           "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}", "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute"}
    if not database_url.startswith("sqlite"):
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    flask = [str(BIN / "flask"), "--app", "app"]
    subprocess.run([*flask, "db", "upgrade", "heads"], cwd=REPO, env=env, check=True, capture_output=True)
    subprocess.run([*flask, "users", "create", "--email", "pupil@example.org", "--name", "Pupil",
                    "--password", "right password here"], cwd=REPO, env=env, check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "-w", "2", "-b", f"127.0.0.1:{port}",
         "--access-logfile", "/dev/null", "app:app"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).close()  # noqa: S310 - our own local server
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("gunicorn did not start")
    yield base, env["RATELIMIT_KEY_PREFIX"]
    process.terminate()
    process.wait(timeout=10)


def attempt_login(base: str, password: str) -> int:
    """One log-in in a new browser (new connection, new cookies); returns the status."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/auth/login", timeout=5).read().decode()
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"email": "pupil@example.org", "password": password, "csrf_token": token})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener.add_handler(NoRedirect())
    try:
        return opener.open(base + "/auth/login", data=data.encode(), timeout=5).status
    except urllib.error.HTTPError as error:
        return error.code


def test_login_limit_is_shared_across_two_workers(server):
    """Failed log-ins counted by either worker add up: the limit holds however requests are spread."""
    import redis

    base, prefix = server
    statuses = [attempt_login(base, "wrong password") for _ in range(3)]
    statuses += [attempt_login(base, "right password here") for _ in range(3)]
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3:] == [429, 429, 429]
    keys = redis.Redis.from_url(REDIS_URL).keys(f"LIMITS:LIMITER/{prefix}/*")
    assert keys, "the counts live in Redis, where every worker sees them"
