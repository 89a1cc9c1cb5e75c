"""The iCalendar feed: a secret per-counselor URL, reachable without signing in, revocable."""
from datetime import date

import pytest
from icalendar import Calendar
from sqlalchemy import select

from hotline.usecases.roster.feeds import token_hash
from hotline.store.rosters import FeedToken
from tests.conftest import csrf_token, sign_in


@pytest.fixture
def ana(kit):
    ana, _ = kit.counselors("ana", "bo")
    kit.gaoxin_slots()
    kit.pattern("gx", "gx-early gx-late", "ana\nbo", date(2026, 11, 1))
    kit.generate(date(2026, 11, 23), date(2026, 11, 29))
    return ana


def _create_link(client) -> str:
    page = client.post("/roster/mine/feed", data={"csrf_token": csrf_token(client)}).get_data(as_text=True)
    start = page.index('id="feed-url">') + len('id="feed-url">')
    return page[start:page.index("</code>", start)]


def test_feed_lists_only_my_shifts_and_needs_no_sign_in(app, client, ana):
    sign_in(client, "ana")
    url = _create_link(client)
    assert url.startswith("http://127.0.0.1:5000/roster/feed/") and url.endswith(".ics")
    path = url.removeprefix("http://127.0.0.1:5000")
    anonymous = app.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    events = [c for c in Calendar.from_ical(response.data).walk("VEVENT")]
    assert len(events) == 7 and all("成都市高新区" in str(e["summary"]) for e in events)
    assert {str(e["summary"]).split("：")[1].split(" / ")[0] for e in events} == {"早班", "晚班"}
    token = path.removeprefix("/roster/feed/").removesuffix(".ics")
    with app.extensions["hotline"].adapters.db.session() as session:
        stored = session.scalars(select(FeedToken)).one()
        assert stored.token_hash == token_hash(token) and token not in stored.token_hash
        assert stored.last_used_at is not None


def test_regenerating_or_revoking_ends_the_old_link(app, client, ana):
    sign_in(client, "ana")
    old = _create_link(client).removeprefix("http://127.0.0.1:5000")
    new = _create_link(client).removeprefix("http://127.0.0.1:5000")
    anonymous = app.test_client()
    assert anonymous.get(old).status_code == 404 and anonymous.get(new).status_code == 200
    client.post("/roster/mine/feed/revoke", data={"csrf_token": csrf_token(client)})
    assert anonymous.get(new).status_code == 404
    assert anonymous.get("/roster/feed/not-a-token.ics").status_code == 404


def test_feed_changes_need_the_csrf_token(client, ana):
    sign_in(client, "ana")
    assert client.post("/roster/mine/feed").status_code == 400
