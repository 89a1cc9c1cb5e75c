"""TwiML parsing and URL resolution / re-basing."""
from __future__ import annotations

import pytest

from hotline.devtools.simulator.twiml import TwimlError, parse
from hotline.devtools.simulator.urls import UrlMapper

PUBLIC = "https://hotline.example.test"


def test_parse_nested_verbs_and_attributes():
    doc = parse('<?xml version="1.0" encoding="UTF-8"?><Response><Gather numDigits="1" action="menu">'
                "<Say>请按1</Say></Gather><Dial><Number sendDigits=\"ww4\">+862812320</Number></Dial></Response>",
                PUBLIC + "/voice/incoming")
    gather, dial = doc.verbs
    assert gather.name == "Gather" and gather.attr("action") == "menu" and gather.number("numDigits", 0) == 1
    assert gather.children[0].text == "请按1"
    assert dial.children[0].attr("sendDigits") == "ww4" and dial.children[0].text == "+862812320"


@pytest.mark.parametrize("body", ["", "not xml", "<html><body/></html>"])
def test_non_twiml_is_refused(body):
    with pytest.raises(TwimlError):
        parse(body, PUBLIC)


def test_bad_numeric_attribute_falls_back_to_default():
    doc = parse('<Response><Pause length="soon"/></Response>', PUBLIC)
    assert doc.verbs[0].number("length", 1) == 1


def test_relative_urls_resolve_against_their_document():
    mapper = UrlMapper(["http://127.0.0.1:5001"], PUBLIC)
    doc = PUBLIC + "/voice/incoming?x=1"
    assert mapper.public_url("menu?line=a", doc) == PUBLIC + "/voice/menu?line=a"
    assert mapper.public_url("/voice/wait", doc) == PUBLIC + "/voice/wait"
    assert mapper.public_url(None or doc, doc) == doc


def test_absolute_urls_are_rebased_onto_the_public_base():
    mapper = UrlMapper(["http://127.0.0.1:5001"], PUBLIC)
    assert mapper.public_url("http://127.0.0.1:5001/voice/bridge?call=CA1") == PUBLIC + "/voice/bridge?call=CA1"
    assert mapper.public_url("https://elsewhere.example/voice/x") == PUBLIC + "/voice/x"


def test_round_robin_over_server_processes():
    mapper = UrlMapper(["http://127.0.0.1:5001/", "http://127.0.0.1:5002"], PUBLIC)
    sent = [mapper.next_send_url(PUBLIC + "/voice/wait?line=a") for _ in range(3)]
    assert sent == ["http://127.0.0.1:5001/voice/wait?line=a", "http://127.0.0.1:5002/voice/wait?line=a",
                    "http://127.0.0.1:5001/voice/wait?line=a"]


def test_public_base_with_a_path_prefix():
    mapper = UrlMapper(["http://127.0.0.1:5001"], "https://example.test/hotline")
    url = mapper.public_url("menu", "https://example.test/hotline/voice/incoming")
    assert url == "https://example.test/hotline/voice/menu"
    assert mapper.next_send_url(url) == "http://127.0.0.1:5001/voice/menu"
