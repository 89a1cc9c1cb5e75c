"""Every page names the icon, and /favicon.ico (asked by browsers anyway) is no 404."""
from __future__ import annotations

import re


def test_favicon_ico_answers_with_the_svg_icon_without_sign_in(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data


def test_every_page_links_the_icon_and_the_icon_is_served(client, signed_in):
    login_page = client.get("/login").get_data(as_text=True)
    link = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)"', login_page)
    assert link, "the sign-in page links no icon"
    assert client.get(link.group(1)).status_code == 200
    signed_in("supervisor")
    for path in ("/dashboard", "/dashboard?wall=1", "/reports"):
        assert 'rel="icon"' in client.get(path).get_data(as_text=True), path
