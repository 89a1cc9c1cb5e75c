"""The database stops under a signed-in supervisor: the API answers a bilingual JSON 503
with Retry-After (never an HTML 500), and answers again once the database is back."""
from __future__ import annotations

from hotline.store.users import create_user
from tests.conftest import PASSWORD, sign_in
from tests.integration.faults.test_database_outage import outage  # noqa: F401  (the fixture)


def test_a_database_outage_is_a_json_503(outage):  # noqa: F811
    voice, forwarder, _direct = outage
    services = voice.services
    with services.db.session() as db:
        create_user(db, "zhou", "supervisor", PASSWORD, now=services.now())
    client = voice.app.test_client()
    assert sign_in(client, "zhou").status_code == 302
    assert client.get("/api/referrals/overdue").status_code == 200
    voice.app.config["PROPAGATE_EXCEPTIONS"] = False
    forwarder.stop()                                           # the database goes away
    down = client.get("/api/referrals/overdue")
    assert down.status_code == 503 and down.mimetype == "application/json", down.data[:300]
    body = down.get_json()
    assert body["error"] == 503 and "暂时不可用" in body["message_zh"] and "temporarily unavailable" in body["message_en"]
    assert down.headers["Retry-After"]
    forwarder.start()
    assert client.get("/api/referrals/overdue").status_code == 200
