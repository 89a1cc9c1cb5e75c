"""JSON log lines: one object per line, numbers masked, the call id only from /voice/."""
from __future__ import annotations

import io
import json
import logging

import pytest
from flask import Flask, request

from hotline.logging_setup import (CallSidFilter, configure_logging, current_call_sid, log_format_from_env,
                                   make_handler, quiet_noisy_loggers)

SID = "CA" + "0123456789abcdef" * 2


@pytest.fixture
def capture():
    """A private logger with a JSON Hotline handler; yields (logger, read_lines)."""
    stream = io.StringIO()
    logger = logging.getLogger("hotline.test.ops")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    handler = make_handler("json", stream=stream)
    logger.addHandler(handler)
    yield logger, lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.propagate = True


def test_one_json_object_per_line_with_the_fields(capture):
    logger, lines = capture
    logger.info("排队 %d 位 / %d waiting", 3, 3)
    logger.warning("second")
    first, second = lines()
    assert first["message"] == "排队 3 位 / 3 waiting"
    assert (first["level"], first["logger"]) == ("INFO", "hotline.test.ops")
    assert first["ts"].endswith("+00:00") and "T" in first["ts"]
    assert "call_sid" not in first and second["level"] == "WARNING"


def test_phone_numbers_are_masked_in_json_too(capture):
    logger, lines = capture
    logger.warning("来电 %s 与 +8613551585969，座机 028-8757-7510", "13800000000")
    try:
        raise RuntimeError("caller +8613900000000 hung up")
    except RuntimeError:
        logger.exception("failed for 13700000000")
    text = json.dumps(lines(), ensure_ascii=False)
    for number in ("13800000000", "13551585969", "8757", "13900000000", "13700000000"):
        assert number not in text
    warning, error = lines()
    assert warning["message"].count("[REDACTED-PHONE]") == 3
    assert "RuntimeError" in error["exc"] and "[REDACTED-PHONE]" in error["exc"]


def test_call_sid_from_a_parsed_voice_form(capture):
    logger, lines = capture
    app = Flask(__name__)
    with app.test_request_context("/voice/incoming", method="POST",
                                  data={"CallSid": SID, "From": "+8613551585969"}):
        assert request.form["CallSid"] == SID            # the view has parsed the form
        logger.info("routed")
    with app.test_request_context(f"/voice/wait?line=x&CallSid={SID}", method="POST"):
        logger.info("from the query")
    assert [line.get("call_sid") for line in lines()] == [SID, SID]
    assert "13551585969" not in json.dumps(lines())


def test_the_filter_never_parses_a_body_itself():
    app = Flask(__name__)
    with app.test_request_context("/voice/incoming", method="POST", data={"CallSid": SID}):
        assert current_call_sid() is None                 # the form is not parsed yet
        assert "form" not in request._get_current_object().__dict__
        assert request.form["CallSid"] == SID             # still readable by the view


@pytest.mark.parametrize("path,sid", [("/console/api/state", SID), ("/voice/incoming", "CA123"),
                                      ("/voice/incoming", "+8613551585969"), ("/voice/incoming", SID + "x")])
def test_no_call_sid_outside_voice_or_when_malformed(path, sid):
    app = Flask(__name__)
    with app.test_request_context(path, method="POST", data={"CallSid": sid}):
        request.form  # noqa: B018  (parsed, as a view would)
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
        CallSidFilter().filter(record)
        assert record.call_sid is None


def test_text_stays_the_default_and_bad_values_are_refused():
    assert log_format_from_env("") == "text" and log_format_from_env("JSON") == "json"
    with pytest.raises(ValueError, match="HOTLINE_LOG_FORMAT"):
        log_format_from_env("yaml")
    stream = io.StringIO()
    handler = make_handler("text", stream=stream)
    handler.handle(logging.LogRecord("hotline.x", logging.INFO, __file__, 1, "call to %s", ("13800000000",), None))
    assert stream.getvalue().rstrip().endswith("INFO hotline.x: call to [REDACTED-PHONE]")


def test_werkzeug_request_lines_only_when_debugging():
    werkzeug = logging.getLogger("werkzeug")
    before = werkzeug.level
    try:
        quiet_noisy_loggers("INFO")
        assert werkzeug.level == logging.WARNING
        quiet_noisy_loggers("DEBUG")
        assert werkzeug.level == logging.DEBUG
    finally:
        werkzeug.setLevel(before)


def test_configure_logging_installs_one_handler_only():
    root = logging.getLogger()
    saved, level = list(root.handlers), root.level
    try:
        for handler in [h for h in root.handlers if getattr(h, "_hotline", False)]:
            root.removeHandler(handler)
        configure_logging("INFO", "json")
        configure_logging("INFO", "text")
        ours = [h for h in root.handlers if getattr(h, "_hotline", False)]
        assert len(ours) == 1
        assert type(ours[0].formatter).__name__ == "JsonFormatter"
    finally:
        root.handlers[:] = saved
        root.setLevel(level)
