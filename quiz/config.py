"""Configuration classes. Values come from the environment when the app is made, never at import."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

WEAK_SECRETS = {"dev", "development", "secret", "changeme", "change-me", "default", "please-change"}
MIN_SECRET_LENGTH = 32


def database_url(raw: str | None, instance_path: str) -> str:
    """The SQLAlchemy URL: ``DATABASE_URL`` (PostgreSQL through psycopg 3) or SQLite in ``instance/``."""
    if not raw:
        return "sqlite:///" + str(Path(instance_path) / "debrief.sqlite")
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix):]
    return raw


def instance_secret(instance_path: str) -> str:
    """A random key generated once and kept in ``instance/secret_key`` (readable by the owner only)."""
    path = Path(instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class DefaultConfig:
    """Settings for running Debrief on one machine: SQLite unless ``DATABASE_URL`` says otherwise."""

    NAME = "default"

    def __init__(self, instance_path: str) -> None:
        env = os.environ
        self.SECRET_KEY = env.get("SECRET_KEY") or instance_secret(instance_path)
        self.SQLALCHEMY_DATABASE_URI = database_url(env.get("DATABASE_URL"), instance_path)
        self.SQLALCHEMY_ENGINE_OPTIONS = self.engine_options(self.SQLALCHEMY_DATABASE_URI)
        self.REDIS_URL = env.get("REDIS_URL", "")
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        self.RATELIMIT_KEY_PREFIX = env.get("RATELIMIT_KEY_PREFIX", "debrief")
        self.LOGIN_LIMIT_PER_ACCOUNT = env.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per minute;20 per hour")
        self.LOGIN_LIMIT_PER_ADDRESS = env.get("LOGIN_LIMIT_PER_ADDRESS", "30 per minute")
        https = _flag("DEBRIEF_HTTPS", self.https_by_default)
        self.PREFERRED_URL_SCHEME = "https" if https else "http"
        self.SESSION_COOKIE_SECURE = https
        self.REMEMBER_COOKIE_SECURE = https
        self.PROXY_FIX_X_FOR = int(env.get("PROXY_FIX_X_FOR", "0"))
        self.LOG_LEVEL = env.get("LOG_LEVEL", "INFO")
        self.TIMEZONE = env.get("DEBRIEF_TIMEZONE", "UTC")
        """The school's time zone: how dates are typed into forms and shown on pages."""

    https_by_default = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 14
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    WTF_CSRF_TIME_LIMIT = 60 * 60 * 6
    MAX_CONTENT_LENGTH = 6 * 1024 * 1024
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    PASSWORD_MIN_LENGTH = 8
    # argon2id at one of OWASP's equivalent minimum settings: 7 MiB, five passes, one lane. Of the five
    # it is the cheapest to verify here (16 ms against 21 ms for 19 MiB and two passes; bench/RESULTS.md),
    # which matters when a whole class logs in within seconds, and it holds the least memory per worker.
    # Hashes made with other settings are redone at the next successful login.
    PASSWORD_HASH = {"time_cost": 5, "memory_cost": 7 * 1024, "parallelism": 1}
    DEMO_MODE = False

    @staticmethod
    def engine_options(url: str) -> dict:
        """Pool settings per backend: PostgreSQL checks connections before use so restarts heal."""
        if url.startswith("sqlite"):
            return {"connect_args": {"timeout": 15}}
        return {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 10}


class TestingConfig(DefaultConfig):
    """Tests: a database chosen by the fixtures, cheap password hashing, everything else as shipped."""

    NAME = "testing"
    TESTING = True
    PASSWORD_HASH = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}

    def __init__(self, instance_path: str) -> None:
        super().__init__(instance_path)
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.SECRET_KEY = secrets.token_hex(32)


class ProductionConfig(DefaultConfig):
    """Serving real users: refuses to start without a strong ``SECRET_KEY`` in the environment."""

    NAME = "production"
    https_by_default = True

    def __init__(self, instance_path: str) -> None:
        super().__init__(instance_path)
        key = os.environ.get("SECRET_KEY", "")
        if not key:
            raise RuntimeError("SECRET_KEY must be set in the environment in production.")
        if len(key) < MIN_SECRET_LENGTH or key.lower() in WEAK_SECRETS:
            raise RuntimeError(
                f"SECRET_KEY is too weak: use at least {MIN_SECRET_LENGTH} random characters "
                '(python -c "import secrets; print(secrets.token_hex(32))").'
            )


class DemoConfig(DefaultConfig):
    """`make run`: the local demo, which may create demo accounts."""

    NAME = "demo"
    DEMO_MODE = True


CONFIGS = {cls.NAME: cls for cls in (DefaultConfig, TestingConfig, ProductionConfig, DemoConfig)}
