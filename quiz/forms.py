"""Forms shared by every feature."""

from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    """A form with no fields, for buttons that change something: it carries the CSRF token."""


def field_attrs(field, **attrs) -> dict:
    """HTML attributes for a field: help and error ids for screen readers, and no empty ones."""
    described = []
    if field.description:
        described.append(f"{field.id}-help")
    if field.errors:
        described.append(f"{field.id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.flags.required:
        attrs["required"] = True
    return {name: value for name, value in attrs.items() if value not in (None, False, "")}
