"""Account pages."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from quiz.auth import bp
from quiz.auth.forms import ChangePasswordForm, LoginForm, ProfileForm, SignupForm
from quiz.auth.models import User
from quiz.auth.services import AuthError, authenticate, change_password, end_all_sessions, sign_up
from quiz.extensions import db, limiter, login_manager
from quiz.forms import EmptyForm
from quiz.security import safe_next_url

LOGIN_FAILED = "That email and password do not match an account."
TOO_MANY_ATTEMPTS = "Too many failed log-in attempts. Please wait a few minutes and try again."


@login_manager.user_loader
def load_user(login_id: str) -> User | None:
    """Find the user for a session id ``"<user id>:<session version>"``; stale versions log out."""
    user_id, _, version = login_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user


def _login_failed(response) -> bool:
    """Only failed attempts count towards the login limits: a class behind one address can log in."""
    return response.status_code not in (302, 303)


def _account_key() -> str:
    return "login-account:" + request.form.get("email", "").strip().lower()


def _start_session(user: User, remember: bool) -> None:
    """A fresh session for the logged-in user: nothing from before login carries over."""
    session.clear()
    login_user(user, remember=remember)
    session.permanent = True


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    """Create a student or teacher account."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = sign_up(form.email.data, form.display_name.data, form.password.data,
                           form.role.data, form.invite_code.data or "")
        except AuthError as error:
            getattr(form, error.field or "email").errors.append(str(error))
        else:
            _start_session(user, remember=False)
            flash(f"Welcome to Debrief, {user.display_name}!", "success")
            return redirect(url_for("main.dashboard"))
    return render_template("auth/signup.html", form=form), 200 if not form.errors else 422


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"],
               deduct_when=_login_failed, error_message=TOO_MANY_ATTEMPTS)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], methods=["POST"],
               key_func=_account_key, deduct_when=_login_failed, error_message=TOO_MANY_ATTEMPTS)
def login():
    """Log in; ``next`` only ever leads to a page of this site."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            _start_session(user, remember=form.remember.data)
            return redirect(safe_next_url(form.next.data) or url_for("main.dashboard"))
        form.form_errors.append(LOGIN_FAILED)
    status = 401 if form.form_errors else (422 if form.errors else 200)
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    """Log out everywhere: this session, other devices and remember-me cookies."""
    form = EmptyForm()
    if form.validate_on_submit():
        end_all_sessions(current_user)
        logout_user()
        session.clear()
        flash("You have been logged out.", "info")
    return redirect(url_for("main.index"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """See and change one's name."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        current_user.display_name = form.display_name.data
        db.session.commit()
        flash("Your profile has been saved.", "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form), 200 if not form.errors else 422


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's password."""
    form = ChangePasswordForm(email=current_user.email)
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current_password.data, form.password.data)
        except AuthError as error:
            form.current_password.errors.append(str(error))
        else:
            _start_session(current_user, remember=False)
            flash("Your password has been changed. Other devices have been logged out.", "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/password.html", form=form), 200 if not form.errors else 422
