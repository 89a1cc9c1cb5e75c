"""`hotline demo-agents`: the demo's machine-played counselors (users named sim*)."""
from __future__ import annotations

import signal
import threading

import click


@click.command("demo-agents")
@click.option("--prefix", default="sim", show_default=True, help="usernames of the counselors to play")
@click.option("--think", default=4.0, show_default=True, help="seconds before accepting an offer (up to)")
@click.option("--wrap", default=8.0, show_default=True, help="seconds of wrap-up before the next call")
@click.option("--url", hidden=True, help="accepted for symmetry with `simulate`; not needed")
@click.option("--logins", hidden=True)
def demo_agents(prefix: str, think: float, wrap: float, url: str | None, logins: str | None) -> None:
    """模拟咨询师（演示用） / counselors played by the machine, for the demo."""
    # lazy: `hotline --help` loads every command module, and only this one needs the console
    from hotline.bootstrap import bootstrap
    from hotline.devtools.virtual_counselors import Persona, VirtualCounselors   # lazy, as above

    hotline = bootstrap()
    personas = [Persona(a.id, a.display_name, tuple(a.lines)) for a in hotline.accounts.all()
                if a.role == "counselor" and a.active and a.username.startswith(prefix)]
    if not personas:
        raise click.ClickException(f"没有 {prefix}* 咨询师 / no counselors named {prefix}*")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    click.echo(f"模拟咨询师上线 / {len(personas)} virtual counselors on duty: "
               + ", ".join(p.name for p in personas))
    if hotline.settings.conference_calls:
        _supervise_now_and_then(hotline, stop)
    try:
        VirtualCounselors(hotline.console, hotline.dispatcher, personas, think_s=think, wrap_s=wrap).run(
            stop, poll_s=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for persona in personas:
            try:
                hotline.console.set_presence(persona.counselor_id, "offline")
            except Exception:   # mid-call (or Redis gone) at shutdown: leave as is
                pass


def _supervise_now_and_then(hotline, stop: threading.Event) -> None:
    """In conference mode the demo has a supervisor (the first admin or supervisor account)
    who listens, coaches or joins a call now and then."""
    from hotline.devtools.virtual_supervisor import VirtualSupervisor   # lazy, like the counselors
    from hotline.usecases.calls.conference_actions import Supervisor   # lazy, as above

    boss = next((a for a in hotline.accounts.all() if a.role in ("supervisor", "admin") and a.active), None)
    if boss is None:
        click.echo("没有督导账号，演示不含督导 / no supervisor account: the demo runs without one")
        return
    player = VirtualSupervisor(hotline.conference_actions, hotline.conference_board.calls,
                               Supervisor(boss.id, boss.role, tuple(boss.lines)))
    threading.Thread(target=player.run, args=(stop,), name="virtual-supervisor", daemon=True).start()
    click.echo(f"模拟督导上线 / virtual supervisor on duty: {boss.display_name}")
