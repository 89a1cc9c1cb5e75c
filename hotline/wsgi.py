"""WSGI entry point for gunicorn: `gunicorn -c config/gunicorn.conf.py hotline.wsgi:app`.

Settings come from the environment; config/gunicorn.conf.py applies pending
migrations once on start, before the workers fork. What building the app made is
frozen out of the garbage collector's walks (hotline/long_lived.py).
"""
from hotline.app import create_app
from hotline.long_lived import freeze_start_objects

app = create_app()
freeze_start_objects()
