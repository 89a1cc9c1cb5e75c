"""config/gunicorn.conf.py imports cleanly, its values are sane and gunicorn accepts them."""
from __future__ import annotations

import runpy

import pytest
from gunicorn.config import Config

from tests.servers import ROOT

CONF = ROOT / "config" / "gunicorn.conf.py"
KNOBS = ("HOTLINE_WEB_BIND", "HOTLINE_WEB_WORKERS", "HOTLINE_WEB_THREADS", "HOTLINE_WEB_GRACEFUL_TIMEOUT",
         "HOTLINE_LOG_FORMAT", "HOTLINE_LOG_LEVEL", "HOTLINE_WEB_NAME")


@pytest.fixture
def load(monkeypatch):
    def loaded(**env):
        for name in KNOBS:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(CONF))
    return loaded


def _gunicorn_config(values: dict) -> Config:
    """Feed the module's values through gunicorn's own validators, as `-c` would."""
    config = Config()
    for name, value in values.items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_defaults(load):
    values = load()
    config = _gunicorn_config(values)
    assert config.worker_class_str == "gthread"
    assert config.workers == 1 and config.threads == 32
    assert config.address == [("127.0.0.1", 8000)]
    assert 0 < config.graceful_timeout < config.timeout
    assert config.preload_app is False and config.max_requests == 0
    assert config.secure_scheme_headers == {}
    assert callable(values["on_starting"]) and callable(values["on_reload"])
    assert values["wsgi_app"] == "hotline.wsgi:app"


def test_values_from_the_environment(load):
    values = load(HOTLINE_WEB_BIND="unix:/run/hotline/web.sock", HOTLINE_WEB_WORKERS="3",
                  HOTLINE_WEB_THREADS="64", HOTLINE_LOG_FORMAT="json", HOTLINE_LOG_LEVEL="warning")
    config = _gunicorn_config(values)
    assert config.workers == 3 and config.threads == 64
    assert config.bind == ["unix:/run/hotline/web.sock"]
    logconfig = values["logconfig_dict"]
    assert logconfig["root"]["level"] == "WARNING"
    assert logconfig["handlers"]["hotline"]["log_format"] == "json"
    assert logconfig["loggers"]["gunicorn.access"]["propagate"] is False


@pytest.mark.parametrize("name,value", [("HOTLINE_WEB_WORKERS", "0"), ("HOTLINE_WEB_THREADS", "many"),
                                        ("HOTLINE_LOG_FORMAT", "xml")])
def test_bad_values_stop_the_start(load, name, value):
    with pytest.raises(ValueError, match=name):
        load(**{name: value})
