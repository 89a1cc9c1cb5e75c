"""Sign-in tests run on both SQLite and PostgreSQL, with test-only probe routes.

The shared account helpers (make_user, login, csrf_token, signed_in) live in
tests/conftest.py.
"""
from __future__ import annotations

import pytest

from hotline.settings import testing_settings
from tests.conftest import PASSWORD, csrf_token, sign_in, token_in  # noqa: F401  (re-exported)


@pytest.fixture
def settings(tmp_path, redis_url, redis_prefix, database_url):
    return testing_settings(tmp_path, redis_url=redis_url, redis_prefix=redis_prefix,
                            database_url=database_url)


@pytest.fixture
def app(app):
    """The shared app plus test-only routes (tests/integration/auth/probe.py)."""
    from tests.integration.auth.probe import bp

    app.register_blueprint(bp)
    return app
