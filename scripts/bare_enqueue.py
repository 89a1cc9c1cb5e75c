"""The baseline of scripts/bench_routing.py: a bare Flask endpoint answering a small `<Enqueue>`
TwiML, under the same gunicorn configuration as Hotline (`gunicorn scripts.bare_enqueue:app`)."""
from flask import Flask, Response

app = Flask(__name__)
TWIML = ('<?xml version="1.0" encoding="UTF-8"?><Response><Say language="zh-CN">您好</Say>'
         '<Enqueue waitUrl="/voice/wait?line=chengdu">chengdu</Enqueue></Response>')


@app.post("/voice/incoming")
def incoming() -> Response:
    return Response(TWIML, mimetype="text/xml")


@app.get("/healthz")
def healthz() -> Response:
    return Response("ok", mimetype="text/plain")
