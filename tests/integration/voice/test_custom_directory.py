"""Routing cases that need a directory of their own: extensions, gateways, all closed."""
import textwrap

import pytest

from hotline.app import create_app
from hotline.clock import Clock
from tests.integration.voice.conftest import Voice, local
from tests.twilio_fake import call_params, new_call_sid

DIRECTORY = """
version: 1
lines:
  - id: hub
    name: 统一心理援助热线
    region: 全国
    level: national
    hosted: true
    gateway: true
    numbers: [{number: "028-60000000", schedule: "24小时"}]
    fallback: [national]
  - id: province
    name: 四川省心理援助热线
    region: 四川省
    level: province
    hosted: false
    numbers: [{number: "028-12320-4号线", schedule: "周一至周五，8:00-18:00"}]
    fallback: [national]
  - id: zigong
    name: 自贡市心理援助热线
    region: 自贡市
    level: city
    hosted: false
    numbers: [{number: "0813-5512320", schedule: "每天 9:00-17:00"}]
    fallback: [province, national]
  - id: local
    name: 本地热线
    region: 成都市
    level: city
    hosted: true
    numbers: [{number: "028-61111111", schedule: "周一至周五，9:00-17:00"}]
    fallback: [province, national]
  - id: national
    name: 全国热线
    region: 全国
    level: national
    hosted: false
    numbers: [{number: "4001-888-976", schedule: "每天 8:00-22:00"}]
    fallback: [province]
"""


@pytest.fixture
def custom(tmp_path, settings):
    lines = tmp_path / "lines.yaml"
    lines.write_text(textwrap.dedent(DIRECTORY), encoding="utf-8")
    from hotline.store.migrate import upgrade

    upgrade(settings.database_url)
    app = create_app(settings.with_(lines_file=lines))
    yield Voice(app)
    app.extensions["hotline"].adapters.close()


def test_transfer_sends_extension_digits(custom):
    custom.at(local(2026, 11, 23, 10, 0))   # Monday: local (hosted) open but unstaffed
    twiml = custom.post("/voice/incoming", call_params(new_call_sid(), "+862861111111", "+8613800000000"))
    number = twiml.find("Dial/Number")
    assert number.text == "+862812320"
    assert number.get("sendDigits") == "ww4"


def test_gateway_routes_by_caller_area_code(custom):
    custom.at(local(2026, 11, 23, 10, 0))
    twiml = custom.post("/voice/incoming", call_params(new_call_sid(), "+862860000000", "+868135551234"))
    assert twiml.find("Dial/Number").text == "+868135512320"   # Zigong caller → Zigong line


def test_gateway_falls_back_to_province_then_national(custom):
    custom.at(local(2026, 11, 23, 8, 30))   # Zigong line not yet open, province open
    twiml = custom.post("/voice/incoming", call_params(new_call_sid(), "+862860000000", "+868135551234"))
    assert twiml.find("Dial/Number").text == "+862812320"
    custom.at(local(2026, 11, 28, 20, 0))   # Saturday evening: only the national line
    twiml = custom.post("/voice/incoming", call_params(new_call_sid(), "+862860000000", "+868135551234"))
    assert twiml.find("Dial/Number").text == "+864001888976"


def test_nothing_open_anywhere_tells_hours_and_offers_voicemail(custom):
    custom.at(local(2026, 11, 24, 23, 30))   # Tuesday 23:30: every line closed
    sid = new_call_sid()
    twiml = custom.post("/voice/incoming", call_params(sid, "+862861111111", "+8613800000000"))
    said = twiml.said()
    assert "不在服务时间" in said and "明天9点" in said
    assert "110或120" in said
    assert twiml.find("Record") is not None
    assert twiml.find("Dial") is None
