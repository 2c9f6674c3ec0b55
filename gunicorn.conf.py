"""Gunicorn settings for production: `gunicorn -c gunicorn.conf.py app:app`."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = 30
graceful_timeout = 30
keepalive = 5
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Production settings unless the environment chooses otherwise (it must then provide SECRET_KEY).
raw_env = [f"DEBRIEF_CONFIG={os.environ.get('DEBRIEF_CONFIG', 'production')}"]
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
