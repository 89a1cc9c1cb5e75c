"""config/nginx/hotline.conf in front of a real gunicorn: TLS, the http→https redirect, a
signed webhook, the WebSocket upgrade, static files from disk, /metrics for localhost.

Needs an nginx binary: `nginx` on PATH or HOTLINE_TEST_NGINX=/path/to/nginx; else skipped.
Only ports, certificate and log paths and the checkout path are rewritten for the test.
"""
from __future__ import annotations

import datetime
import os
import shutil
import ssl
import subprocess
import time

import pytest
import requests
import urllib3
import websocket

from tests.integration.ops.procs import running_gunicorn
from tests.servers import ROOT, free_port
from tests.twilio_fake import call_params, new_call_sid, sign

NGINX = os.environ.get("HOTLINE_TEST_NGINX") or shutil.which("nginx")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not NGINX, reason="no nginx: install it or set HOTLINE_TEST_NGINX")]


def _self_signed(directory):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=1))
            .not_valid_after(now + datetime.timedelta(hours=1)).sign(key, hashes.SHA256()))
    (directory / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (directory / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                          serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))


def _site(tmp, upstream_port: int, http_port: int, tls_port: int) -> str:
    text = (ROOT / "config" / "nginx" / "hotline.conf").read_text(encoding="utf-8")
    swaps = {"server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_port};",
             "listen [::]:80;": "", "listen [::]:443 ssl;": "",
             "listen 80;": f"listen 127.0.0.1:{http_port};", "listen 443 ssl;": f"listen 127.0.0.1:{tls_port} ssl;",
             "/etc/letsencrypt/live/hotline.example.org/fullchain.pem": str(tmp / "cert.pem"),
             "/etc/letsencrypt/live/hotline.example.org/privkey.pem": str(tmp / "key.pem"),
             "/var/log/nginx/": f"{tmp}/", "/opt/hotline/hotline/web": str(ROOT / "hotline" / "web")}
    for old, new in swaps.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def _main_conf(tmp) -> str:
    temp = " ".join(f"{kind}_temp_path {tmp}/{kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                    "uwsgi", "scgi"))
    return (f"pid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\nevents {{}}\n"
            f"http {{\n access_log {tmp}/access.log;\n {temp}\n include {tmp}/site.conf;\n}}\n")


@pytest.fixture
def stack(tmp_path, redis_url, redis_prefix):
    nginx_dir = tmp_path / "nginx"
    nginx_dir.mkdir()
    http_port, tls_port = free_port(), free_port()
    public = f"https://127.0.0.1:{tls_port}"
    with running_gunicorn(tmp_path, redis_url, redis_prefix, public, HOTLINE_TRUSTED_PROXIES="1") as web:
        _self_signed(nginx_dir)
        (nginx_dir / "site.conf").write_text(_site(nginx_dir, int(web.base.rsplit(":", 1)[1]), http_port,
                                                   tls_port))
        (nginx_dir / "nginx.conf").write_text(_main_conf(nginx_dir))
        args = [NGINX, "-p", str(nginx_dir), "-c", str(nginx_dir / "nginx.conf")]
        checked = subprocess.run([*args, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        process = subprocess.Popen([*args, "-g", "daemon off;"], stderr=subprocess.PIPE)
        try:
            _wait_for_port(tls_port, process)
            yield public, f"http://127.0.0.1:{http_port}"
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_for_port(port: int, process) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()
        try:
            requests.get(f"https://127.0.0.1:{port}/healthz", verify=False, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise AssertionError("nginx did not start")


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_the_site_in_front_of_gunicorn(stack):
    urllib3.disable_warnings()
    public, plain = stack
    assert requests.get(f"{public}/healthz", verify=False, timeout=5).status_code == 200
    redirect = requests.get(f"{plain}/readyz", allow_redirects=False, timeout=5)
    assert redirect.status_code == 301 and redirect.headers["Location"].startswith("https://")
    params = call_params(new_call_sid(), "+862885337950", "+8613551585969")
    signed = {"X-Twilio-Signature": sign("test-auth-token", public, "/voice/incoming", params)}
    assert requests.post(f"{public}/voice/incoming", data=params, headers=signed, verify=False,
                         timeout=5).status_code == 200
    static = requests.get(f"{public}/static/js/console.js", verify=False, timeout=5)
    assert static.status_code == 200 and "max-age=3600" in static.headers.get("Cache-Control", "")
    assert requests.get(f"{public}/metrics", verify=False, timeout=5).status_code == 200
    ws = websocket.create_connection(public.replace("https", "wss") + "/socket.io/?EIO=4&transport=websocket",
                                     sslopt={"cert_reqs": ssl.CERT_NONE}, timeout=5)
    try:
        assert ws.recv().startswith("0{")
    finally:
        ws.close()
