"""The WSGI entry point: ``flask --app app run`` or ``gunicorn -c gunicorn.conf.py app:app``."""

from quiz import create_app

app = create_app()
