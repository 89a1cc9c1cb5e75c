"""What a view holds: this process's use cases (hotline.bootstrap.Hotline)."""
from __future__ import annotations

from flask import current_app

from hotline.bootstrap import Hotline


def hotline() -> Hotline:
    """The use cases wired by create_app for this process."""
    return current_app.extensions["hotline"]
