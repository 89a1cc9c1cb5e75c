"""Every /voice/ request is signature-checked; a bad one gets 403 and changes nothing."""
import pytest

from tests.integration.voice.conftest import CALLER, GAOXIN
from tests.twilio_fake import call_params, new_call_sid

PATHS = ["/voice/incoming", "/voice/status", "/voice/menu?line=sichuan", "/voice/wait?line=chengdu",
         "/voice/wait-key?line=chengdu", "/voice/queue-result?line=chengdu",
         "/voice/dial-result?line=deyang", "/voice/voicemail?line=chengdu"]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("signature", ["", "bm90IGEgc2lnbmF0dXJl"])
def test_missing_or_wrong_signature_is_refused(voice, path, signature):
    voice.staff("chengdu-gaoxin")
    sid = new_call_sid()
    response = voice.twilio.post(path, call_params(sid, GAOXIN, CALLER), signature=signature)
    assert response.status_code == 403
    voice.flush()
    assert voice.services.queues.call_state(sid) == {}
    assert voice.services.queues.length("chengdu-gaoxin") == 0
    with voice.services.db.session() as session:
        from hotline.store.calls import find

        assert find(session, sid) is None


def test_signature_over_other_url_is_refused(voice):
    """Signed for a different public URL (a replay against another deployment)."""
    from tests.twilio_fake import sign

    params = call_params(new_call_sid(), GAOXIN, CALLER)
    forged = sign(voice.services.settings.twilio_auth_token, "https://elsewhere.example", "/voice/incoming", params)
    assert voice.twilio.post("/voice/incoming", params, signature=forged).status_code == 403


def test_tampered_parameter_is_refused(voice):
    params = call_params(new_call_sid(), GAOXIN, CALLER)
    from tests.twilio_fake import sign

    good = sign(voice.services.settings.twilio_auth_token, voice.services.settings.public_url,
                "/voice/incoming", params)
    params["To"] = "+868386661611"
    assert voice.twilio.post("/voice/incoming", params, signature=good).status_code == 403


def test_correct_signature_is_accepted(voice):
    voice.staff("chengdu-gaoxin")
    sid, response = voice.twilio.call(GAOXIN, CALLER)
    assert response.status_code == 200
    assert b"<Enqueue" in response.data
