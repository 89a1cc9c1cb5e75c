"""WSGI entry point for gunicorn: `gunicorn -c config/gunicorn.conf.py hotline.wsgi:app`.

Settings come from the environment; config/gunicorn.conf.py applies pending
migrations once on start, before the workers fork.
"""
from hotline.app import create_app

app = create_app()
