"""Our signature check answers exactly as the twilio library's validate() does (issue #18 made
it compute one HMAC where the library computes two), on every URL form and parameter shape."""
from __future__ import annotations

from hypothesis import given, strategies as st
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

from hotline.telephony.signature import is_signed

TOKEN = "test-auth-token"
urls = st.sampled_from(["https://hotline.example.org/voice/incoming", "https://hotline.example.org:443/voice/incoming",
                        "http://127.0.0.1:5000/voice/wait?line=chengdu", "http://127.0.0.1/voice/status",
                        "https://hotline.example.org/voice/bridge?counselor=1&x=%20"])
pairs = st.lists(st.tuples(st.sampled_from(["CallSid", "From", "To", "Digits", "Called"]),
                           st.text(max_size=12)), max_size=6)


@given(url=urls, signed_url=urls, items=pairs, tamper=st.booleans(), garbage=st.text(max_size=30))
def test_is_signed_agrees_with_the_library(url, signed_url, items, tamper, garbage):
    validator = RequestValidator(TOKEN)
    params = MultiDict(items)
    for signature in (validator.compute_signature(signed_url, params), garbage, ""):
        if tamper and signature:
            signature = signature[:-2] + ("AA" if not signature.endswith("AA") else "BB")
        assert is_signed(TOKEN, url, params, signature) == (bool(signature) and validator.validate(url, params,
                                                                                                  signature))


def test_a_request_signed_for_the_url_with_its_default_port_still_passes():
    validator = RequestValidator(TOKEN)
    params = MultiDict([("CallSid", "CA1"), ("From", "+8613800000000")])
    signature = validator.compute_signature("https://hotline.example.org:443/voice/incoming", params)
    assert is_signed(TOKEN, "https://hotline.example.org/voice/incoming", params, signature)
    assert not is_signed(TOKEN, "https://hotline.example.org/voice/incoming", MultiDict([("CallSid", "CA2")]),
                         signature)
