"""WSGI entry point for gunicorn: `gunicorn -k gthread --threads 16 hotline.wsgi:app`.

Settings come from the environment; apply migrations first (`hotline db upgrade`).
"""
from hotline.app import create_app

app = create_app()
