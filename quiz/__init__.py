"""Debrief's web app: the application factory."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from quiz.config import CONFIGS
from quiz.extensions import csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "migrations"


def create_app(config: str | type | None = None, **overrides) -> Flask:
    """Make the app: ``config`` names a config class (default: ``$DEBRIEF_CONFIG`` or "default")."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=os.environ.get("DEBRIEF_INSTANCE") or str(ROOT / "instance"),
    )
    register_config(app, config, overrides)
    register_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_security(app)
    register_errors(app)
    register_commands(app)
    register_template_helpers(app)
    return app


def register_config(app: Flask, config, overrides: dict) -> None:
    """Load the chosen config class, then any explicit overrides (used by tests)."""
    if config is None or isinstance(config, str):
        name = config or os.environ.get("DEBRIEF_CONFIG", "default")
        if name not in CONFIGS:
            raise RuntimeError(f"Unknown DEBRIEF_CONFIG {name!r}; choose one of {sorted(CONFIGS)}.")
        config = CONFIGS[name]
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_object(config(app.instance_path))
    app.config.update(overrides)
    if "SQLALCHEMY_DATABASE_URI" in overrides:
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = config.engine_options(
            overrides["SQLALCHEMY_DATABASE_URI"])
    if app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=1)


def register_logging(app: Flask) -> None:
    """Log to stderr (Flask's default handler) at ``LOG_LEVEL``; gunicorn and ``flask run`` show it."""
    app.logger.setLevel(app.config["LOG_LEVEL"])


def register_extensions(app: Flask) -> None:
    """Bind the extensions created in ``quiz.extensions``."""
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


def register_blueprints(app: Flask) -> None:
    """One blueprint per feature."""
    from quiz.auth import bp as auth_bp
    from quiz.bank import bp as bank_bp
    from quiz.classes import bp as classes_bp
    from quiz.debates import bp as debates_bp
    from quiz.discussions import bp as discussions_bp
    from quiz.essays import bp as essays_bp
    from quiz.main import bp as main_bp
    from quiz.practice import bp as practice_bp
    from quiz.progress import bp as progress_bp
    from quiz.quizzes import bp as quizzes_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(classes_bp, url_prefix="/classes")
    app.register_blueprint(bank_bp, url_prefix="/bank")
    app.register_blueprint(quizzes_bp, url_prefix="/quizzes")
    app.register_blueprint(debates_bp, url_prefix="/debates")
    app.register_blueprint(discussions_bp, url_prefix="/discussions")
    app.register_blueprint(essays_bp, url_prefix="/essays")
    app.register_blueprint(practice_bp, url_prefix="/practice")
    app.register_blueprint(progress_bp, url_prefix="/progress")


def register_security(app: Flask) -> None:
    """Security headers on every response; requests that change things write in one SQLite transaction."""
    from quiz.database import immediate_transactions, reset_transactions, writers
    from quiz.security import set_security_headers

    app.after_request(set_security_headers)

    @app.before_request
    def writes_begin_immediately() -> None:
        view = app.view_functions.get(request.endpoint)
        if request.method not in ("GET", "HEAD", "OPTIONS") and not getattr(view, "conditional_writes", False):
            g.sqlite_begin_token = immediate_transactions()

    @app.teardown_request
    def restore_transaction_mode(error=None) -> None:
        token = g.pop("sqlite_begin_token", None)
        if token is not None:
            reset_transactions(token)
        writers.give_back()  # normally given back already, when the connection went back to the pool


def register_errors(app: Flask) -> None:
    """Friendly error pages, and a rollback whenever a request fails."""
    from quiz.errors import register_error_handlers

    register_error_handlers(app)


def register_commands(app: Flask) -> None:
    """The ``flask`` command groups."""
    from quiz.bank.cli import bank_cli
    from quiz.cli import backup_command, demo_cli, restore_command, users_cli
    from quiz.debates.cli import debates_cli
    from quiz.quizzes.cli import quizzes_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(demo_cli)
    app.cli.add_command(bank_cli)
    app.cli.add_command(debates_cli)
    app.cli.add_command(quizzes_cli)


def register_template_helpers(app: Flask) -> None:
    """Names every template may use."""
    from quiz.answering import positions_of
    from quiz.auth.models import Role
    from quiz.forms import field_attrs
    from quiz.templating import highlight, local_time

    app.jinja_env.globals.update(Role=Role, field_attrs=field_attrs, positions=positions_of)
    app.jinja_env.filters["highlight"] = highlight
    app.jinja_env.filters["local"] = local_time
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
