"""gunicorn settings for Hotline: `gunicorn -c config/gunicorn.conf.py hotline.wsgi:app`.

Flask-SocketIO runs in threading mode with simple-websocket, which gunicorn's `gthread`
worker supports: each open WebSocket (a console, a dashboard) holds one thread for as
long as the page is open, so `threads` must cover the pages open on this process plus
the requests in flight.

Workers: Socket.IO's long-polling transport needs every request of one browser to reach
the same process, and gunicorn cannot do that (no sticky sessions). So scale out with
several gunicorn instances of one worker each (hotline-web@8001, @8002, …) behind nginx
`ip_hash`, all sharing Redis for queues, presence and events. Raise HOTLINE_WEB_WORKERS
above 1 only when every browser connects with the WebSocket transport alone.

Every value comes from the environment (config/systemd/hotline.env.example).
"""
import os

from hotline.logging_setup import gunicorn_logconfig


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name} 需要正整数 / must be a positive whole number, got {raw!r}")
    return int(raw)


wsgi_app = "hotline.wsgi:app"
bind = [os.environ.get("HOTLINE_WEB_BIND", "127.0.0.1:8000")]
worker_class = "gthread"
workers = _int("HOTLINE_WEB_WORKERS", 1)
threads = _int("HOTLINE_WEB_THREADS", 32)
timeout = 60                 # a worker that stops heart-beating this long is replaced
graceful_timeout = _int("HOTLINE_WEB_GRACEFUL_TIMEOUT", 20)   # on restart: finish calls' webhooks
keepalive = 5
preload_app = False          # create_app starts the ticker thread: it must start in each worker
max_requests = 0             # recycling a worker would cut every open console's WebSocket
secure_scheme_headers = {}   # forwarded headers are trusted in one place: ProxyFix (HOTLINE_TRUSTED_PROXIES)
control_socket_disable = True   # gunicorn ≥25: one shared ~/.gunicorn/gunicorn.ctl would clash between instances
proc_name = os.environ.get("HOTLINE_WEB_NAME", "hotline-web")
logconfig_dict = gunicorn_logconfig()
accesslog = None             # nginx keeps the access log


def on_starting(server) -> None:
    """Once, in the master, before any worker forks: secrets, embedded Redis, migrations."""
    from hotline.cli.deploy import prepare

    prepare()


def on_reload(server) -> None:
    """`systemctl reload` (HUP) brings new code: migrate before the new workers start."""
    from hotline.cli.deploy import prepare

    prepare()


def post_fork(server, worker) -> None:
    server.log.info("Hotline 工作进程启动 / worker %s started", worker.pid)


def child_exit(server, worker) -> None:
    """With PROMETHEUS_MULTIPROC_DIR (several workers), forget a dead worker's figures."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
