"""A Twilio webhook request read straight from the WSGI environ (issue #18).

Twilio posts a small urlencoded form and reads back TwiML: no session, cookie, CSRF token,
template or Content-Security-Policy is part of it. Reading it here, rather than through a
Flask request, is a third of a webhook's CPU. Forms in another encoding (multipart, which
Twilio does not send) are still read by werkzeug's parser, with the same size limit.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request

URLENCODED = "application/x-www-form-urlencoded"


class TooLarge(Exception):
    """The body is over the limit: it cannot be read, nor its signature checked."""


@dataclass(frozen=True)
class VoiceRequest:
    path: str
    query: str                        # the query string as Twilio signed it
    args: MultiDict                   # the query's parameters (line=..., counselor=...)
    form: MultiDict                   # every value of every form parameter, as signed
    signature: str                    # X-Twilio-Signature

    def arg(self, name: str) -> str:
        """A query parameter, stripped and cut to an id's length."""
        return (self.args.get(name) or "").strip()[:64]


def path_of(environ: dict) -> str:
    """PATH_INFO as text (WSGI hands it over as latin-1 code points of the raw bytes)."""
    return _text(environ.get("PATH_INFO") or "")


def args_of(environ: dict) -> MultiDict:
    """The query's parameters (readable even when the body is not)."""
    return _pairs(_query(environ))


def read(environ: dict, max_bytes: int) -> VoiceRequest:
    """The request's parts; TooLarge when the body is over max_bytes (declared or sent)."""
    query = _query(environ)
    return VoiceRequest(path=path_of(environ), query=query, args=_pairs(query), form=_form(environ, max_bytes),
                        signature=environ.get("HTTP_X_TWILIO_SIGNATURE") or "")


def _query(environ: dict) -> str:
    return _text(environ.get("QUERY_STRING") or "")


def _form(environ: dict, max_bytes: int) -> MultiDict:
    declared = environ.get("CONTENT_LENGTH") or ""
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLarge(declared)
    content_type = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
    if content_type not in ("", URLENCODED):
        request = Request(environ)
        request.max_content_length = max_bytes
        return request.form
    body = _body(environ, int(declared) if declared.isdigit() else None, max_bytes)
    return _pairs(body.decode("utf-8", "replace"))


def _body(environ: dict, length: int | None, max_bytes: int) -> bytes:
    stream = environ["wsgi.input"]
    if length is not None:
        return stream.read(length)
    if not environ.get("wsgi.input_terminated"):   # no length and no end marked: nothing to read safely
        return b""
    body = stream.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise TooLarge("chunked")
    return body


def _pairs(text: str) -> MultiDict:
    return MultiDict(parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="replace"))


def _text(wsgi_string: str) -> str:
    return wsgi_string.encode("latin-1", "replace").decode("utf-8", "replace")
