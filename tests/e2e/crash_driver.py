"""Drives the real app in a subprocess for the crash test (not a test module itself).

`run`: open the window, edit the message, wait for the autosave, start a slow stream and say
STREAMING once text arrives, then keep streaming until killed.
`inspect`: open the window on the same data dir and print the restored tabs as JSON.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring.backends.fail
import qasync

from playground import paths
from playground.services.keystore import KeyStore
from playground.ui.app import Playground
from playground.ui.launch import make_application


async def run_until_killed(pg: Playground) -> None:
    window = pg.window
    assert window is not None and pg.documents is not None
    window.conversation.cards[0].editor.setPlainText("An unsaved edit made before the crash")
    autosave = pg.documents.store.autosave_path(pg.documents.docs[0].tab.id)
    for _ in range(500):
        await asyncio.sleep(0.02)
        if autosave.exists() and "before the crash" in autosave.read_text():
            break
    window.run()
    for _ in range(1000):
        await asyncio.sleep(0.02)
        live = window.conversation.live
        if live is not None and len(live.view.text) > 20:
            print("STREAMING", flush=True)
            break
    await asyncio.sleep(60)


async def inspect(pg: Playground) -> None:
    assert pg.documents is not None
    pg.window.collect()  # type: ignore[union-attr]
    tabs = [[{"role": m.role, "text": m.text} for m in d.ws.messages] for d in pg.documents.docs]
    print(json.dumps(tabs), flush=True)


def main() -> None:
    app = make_application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    pg = Playground(
        paths.settings_file(),
        keys=KeyStore(keyring.backends.fail.Keyring()),
        env={},
        simulator_speed=30.0,
    )
    window = pg.open_window()
    window.show()
    job = run_until_killed if sys.argv[1] == "run" else inspect
    with loop:
        loop.run_until_complete(job(pg))
        loop.run_until_complete(pg.aclose())


if __name__ == "__main__":
    main()
