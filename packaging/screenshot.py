"""The README's screenshot, taken from the real app on the offline simulator.

Composes the app on a throw-away data folder (no key, no keyring: nothing of this machine shows),
opens a workspace with a tool and a conversation, runs it (the simulator calls the tool), steps
through the tool call on its mock, lets the answer stream in, and saves the window as
resources/screenshots/main-window.png.

Usage: python packaging/screenshot.py [--dark] [--size WxH] [--out PATH]
       [--setup Parameters|Tools|"Output format"] [--side Raw|Findings|Code|History] [--compare]

--compare runs the request in Compare mode (two variants side by side) instead of the tool loop.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
HOME = Path(tempfile.mkdtemp(prefix="playground-screenshot-"))
for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[var] = str(HOME / var.lower())

import keyring.backends.fail  # noqa: E402
import qasync  # noqa: E402

from playground.core.profiles import SIMULATOR  # noqa: E402
from playground.core.workspace import FunctionTool, Message, Parameters, Workspace  # noqa: E402
from playground.services.keystore import KeyStore  # noqa: E402
from playground.ui import theme  # noqa: E402
from playground.ui.app import Playground  # noqa: E402
from playground.ui.launch import make_application  # noqa: E402

SIZE = (1366, 768)

DEMO = Workspace(
    profile=SIMULATOR,
    model="gpt-6-luna",
    instructions="You are a concise assistant for a travel app. Use the tools you are given.",
    messages=[Message(role="user", content="What's the weather in Lisbon right now?")],
    params=Parameters(reasoning_effort="none", temperature=0.3),
    tools=[
        FunctionTool(
            name="get_weather",
            description="Current weather for a city",
            strict=True,
            parameters={
                "type": "object",
                "properties": {
                    "city": {"type": "string", "description": "City name"},
                    "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                },
                "required": ["city", "unit"],
                "additionalProperties": False,
            },
            mock_output='{"temp_c": 21, "sky": "clear"}',
        )
    ],
)


async def shoot(out: Path, dark: bool, setup: str, side: str, compare: bool) -> None:
    pg = Playground(
        HOME / "settings.json",
        keys=KeyStore(keyring.backends.fail.Keyring()),
        env={},
        simulator_speed=None,
        data_dir=HOME / "data",
    )
    window = pg.open_window(DEMO)
    window.banner.setVisible(False)  # the no-keyring notice is this machine's
    window.resize(*SIZE)
    window.show()
    await asyncio.sleep(0.3)
    if compare:
        window.compare.set_compare(True)
        await asyncio.sleep(0.3)
        window.run()
        await asyncio.sleep(0.2)
        await _until(lambda: not pg.runs.busy)
    else:
        window.run()
        await _until(lambda: not pg.runs.busy and bool(window.conversation.transient))
        step = window.conversation.transient[0]
        step.mocks.click()  # "Run with mocks": the mock output goes back, the answer comes
        await asyncio.sleep(0.2)
        await _until(lambda: not pg.runs.busy)
    await asyncio.sleep(0.5)
    window.conversation.scroll_to_end()
    _show_tab(window.setup_tabs, setup)
    _show_tab(window.side, side)
    await asyncio.sleep(0.3)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        raise SystemExit(f"could not write {out}")
    print(f"wrote {out} ({'dark' if dark else 'light'})")
    window.hide()
    await pg.aclose()


def _show_tab(tabs, title: str) -> None:  # type: ignore[no-untyped-def]
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    if title not in titles:
        raise SystemExit(f"no tab {title!r}: {', '.join(titles)}")
    tabs.setCurrentIndex(titles.index(title))


async def _until(condition, limit_s: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(limit_s / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise SystemExit("the run did not finish in time")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--size", default="1366x768", help="window size, WIDTHxHEIGHT")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "resources/screenshots/main-window.png"
    )
    parser.add_argument("--setup", default="Parameters", help="the setup tab to show")
    parser.add_argument("--side", default="Raw", help="the side tab to show")
    parser.add_argument("--compare", action="store_true", help="Compare mode, run")
    args = parser.parse_args()
    app = make_application()
    theme.apply(app, dark=args.dark)
    global SIZE
    SIZE = tuple(int(n) for n in args.size.split("x"))  # type: ignore[assignment]
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(shoot(args.out, args.dark, args.setup, args.side, args.compare))


if __name__ == "__main__":
    main()
