"""A record change survives the trip through the record stream exactly (issue #18)."""
from datetime import datetime, timedelta, timezone

import pytest

from hotline.live.record_stream import decode, encode
from hotline.ports import RecordOp

AT = datetime(2026, 11, 23, 10, 0, 5, 123456, tzinfo=timezone(timedelta(hours=8)))


def test_changes_round_trip_with_their_times_and_chinese_text():
    ops = [RecordOp("CA1", "received", "received", AT, "+862885337950", "k1",
                    {"status": "received", "caller_region": "四川省成都市"}),
           RecordOp("CA1", "queued", "queued:gaoxin", AT, "+862885337950", "k1",
                    {"status": "queued", "queued_at": AT, "wait_seconds": 3.5}, {"line": "gaoxin"})]
    back = decode(encode(ops))
    assert back == ops
    assert back[1].fields["queued_at"].utcoffset() == timedelta(hours=8)


def test_a_field_that_cannot_cross_is_refused_by_name():
    with pytest.raises(TypeError, match="set"):
        encode([RecordOp("CA1", "x", "x", AT, fields={"lines": {"a"}})])
