"""The TwiML text we send is always a document an XML parser accepts."""
from __future__ import annotations

from xml.etree import ElementTree

from hypothesis import given, strategies as st
from twilio.twiml.voice_response import VoiceResponse

from hotline.telephony.twiml import hangup, to_xml


@given(st.text(max_size=40))
def test_any_text_echoed_into_twiml_still_parses(text):
    response = VoiceResponse()
    response.dial().conference(text)
    response.say(text)
    root = ElementTree.fromstring(to_xml(response))
    assert root.tag == "Response"
    printable = "".join(ch for ch in text if ch in "\t\n\r" or (ord(ch) >= 0x20 and not 0xD800 <= ord(ch) <= 0xDFFF
                                                                 and ch not in "\ufffe\uffff"))
    printable = printable.replace("\r\n", "\n").replace("\r", "\n")   # XML's own line-end rule
    assert root.find("Say").text == (printable or None)


def test_plain_twiml_is_unchanged():
    response = hangup("再见 / goodbye")
    assert to_xml(response) == str(response)
