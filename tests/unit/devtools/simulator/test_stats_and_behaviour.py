"""Percentiles, the summary, outcome precedence, and caller behaviour."""
from __future__ import annotations

import random

import pytest

from hotline.devtools.simulator.behaviour import Behaviour, parse_digit_script
from hotline.devtools.simulator.config import SimConfig, Timing
from hotline.devtools.simulator.record import CallRecord
from hotline.devtools.simulator.stats import SUMMARY_KEYS, percentile, summarise
from hotline.devtools.simulator.targets import Target


def test_percentile_interpolates():
    assert percentile([], 50) is None
    assert percentile([3.0], 99) == 3.0
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile(list(range(101)), 95) == 95
    assert percentile([10, 0], 100) == 10


def _record(**fields) -> CallRecord:
    record = CallRecord("CA" + "0" * 32, "+862812320", "+8613800000000", "成都市")
    for key, value in fields.items():
        setattr(record, key, value)
    return record


def test_outcome_precedence():
    assert _record().outcome == "completed"
    assert _record(abandoned=True, queue_lines=["a"]).outcome == "abandoned"
    assert _record(dialled=[{}]).outcome == "transferred"
    assert _record(dialled=[{}], queue_lines=["a"]).outcome == "rolled_over"
    assert _record(recordings=1, queue_lines=["a"]).outcome == "voicemail"
    assert _record(clients=["c"], dialled=[{}]).outcome == "answered"
    assert _record(clients=["c"], errors=[{"url": "/x", "reason": "HTTP 500"}]).outcome == "error"


def test_summary_counts_and_keys():
    records = [_record(clients=["c"], wait_s=1.0, queue_lines=["a"]),
               _record(abandoned=True, wait_s=3.0, queue_lines=["a"]), _record(errors=[{"url": "/", "reason": "x"}])]
    summary = summarise(records, [10.0, 20.0, 30.0], seed=1)
    assert set(SUMMARY_KEYS) <= set(summary) and len(summary["calls"]) == 3
    assert (summary["offered"], summary["answered"], summary["abandoned"], summary["errors"]) == (3, 1, 1, 1)
    assert summary["wait_p50"] == 2.0 and summary["webhook_p50_ms"] == 20.0 and summary["seed"] == 1


def test_digit_script():
    assert parse_digit_script("1, -,random,") == ("1", "-", "random", "-")
    behaviour = Behaviour(random.Random(1), Timing(), parse_digit_script("12,-"))
    assert behaviour.digits(1) == "1" and behaviour.digits(None) == "" and behaviour.digits(None) == ""


def test_time_scale_and_patience():
    timing = Timing(time_scale=0.1, patience_mean=0)
    behaviour = Behaviour(random.Random(1), timing, ())
    assert behaviour.patience() is None and behaviour.seconds(10) == pytest.approx(1.0)
    assert behaviour.say("一" * 10) == pytest.approx(0.15)
    lognormal = Behaviour(random.Random(1), Timing(patience_mean=60, patience_dist="lognormal"), ())
    values = [lognormal.patience() for _ in range(4000)]
    assert 50 < sum(values) / len(values) < 70


def test_config_is_checked():
    with pytest.raises(ValueError, match="--rate"):
        SimConfig(urls=("http://x",), public_url="http://x", auth_token="t", targets=(Target("+862812320"),),
                  forever=True)
