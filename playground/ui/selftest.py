"""`playground --self-test`: is this installation able to run the app? A short report.

Checks, in order: the Qt platform plugin (in a child process, because Qt ends a process whose
plugin fails to load), the keyring backend (reported; an insecure one is a warning, not a
failure), the offline simulator, one streamed request through the real backend and SDK, one
paint of the real main window, and Evaluate mode's charts drawn once (pyqtgraph). The window
and the request use a throw-away data folder: the user's settings, session and history are not
touched. Exit status 0 when every check passed, 1 otherwise; each failed line says why.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from playground.core.qt_diagnosis import (
    display_problem,
    display_unreachable,
    explain,
    missing_libraries,
)

PROBE_FLAG = "--probe-qt"


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    warning: bool = False

    def line(self) -> str:
        mark = "ok  " if self.ok and not self.warning else ("warn" if self.ok else "FAIL")
        return f"[{mark}] {self.name:<10} {self.detail}"


def self_command() -> list[str]:
    """How to start this program again: the bundle's executable, or Python on the package."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "playground"]


def probe_qt() -> int:
    """Child side of the platform check: start a QApplication, print what Qt chose."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    sys.stdout.write(f"{app.platformName()} (PySide6 {pyside_version}, Qt {qVersion()})\n")
    return 0


def check_platform(env: dict[str, str]) -> Check:
    """Start Qt in a child process with the plugin loader's own report on (QT_DEBUG_PLUGINS),
    so a failure names the library the loader could not find."""
    try:
        proc = subprocess.run(
            [*self_command(), PROBE_FLAG],
            env={**env, "QT_DEBUG_PLUGINS": "1"},
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Check("Qt", False, f"could not start a Qt process: {exc}")
    if proc.returncode == 0 and proc.stdout.strip():
        return Check("Qt", True, f"platform plugin {proc.stdout.strip().splitlines()[-1]}")
    return Check("Qt", False, f"the platform plugin did not load: {platform_reason(proc, env)}")


def platform_reason(proc: subprocess.CompletedProcess[str], env: dict[str, str]) -> str:
    """What stopped the probe: a missing library or display named from the loader's output,
    else Qt's last lines, else the exit status."""
    output = proc.stderr + "\n" + proc.stdout
    no_display = display_problem(env, sys.platform) is not None
    if not missing_libraries(output) and display_unreachable(output) is not None and no_display:
        return "no display: DISPLAY and WAYLAND_DISPLAY are not set"
    return explain(output) or _qt_reason(proc.stderr) or f"exit status {proc.returncode}"


def _qt_reason(stderr: str) -> str:
    lines = [
        line.strip()
        for line in stderr.splitlines()
        if line.strip() and not line.startswith(("qt.core.", " ", "{", "}"))  # loader chatter
    ]
    wanted = [
        line
        for line in lines
        if "plugin" in line.lower() or "could not" in line.lower() or "cannot" in line.lower()
    ]
    return " / ".join((wanted or lines)[-3:])


def check_keyring() -> Check:
    from playground.services.keystore import describe_backend

    try:
        status = describe_backend()
    except Exception as exc:  # noqa: BLE001 - any keyring failure is a finding to report
        return Check("keyring", True, f"unusable ({exc}); keys would be kept in memory", True)
    if status.secure:
        return Check("keyring", True, f"{status.name} (secure)")
    return Check("keyring", True, f"{status.name}: not secure. {status.detail}", warning=True)


async def _one_request(base_url: str) -> str:
    """Through the request process, as the window runs requests."""
    from playground.services import worker
    from playground.services.warmup import one_request

    try:
        turn = await one_request(base_url, "responses", backend=worker.WorkerBackend(strict=True))
    finally:
        worker.shutdown()
    if turn.failure is not None:
        raise RuntimeError(turn.failure.message)
    if not turn.text:
        raise RuntimeError("the answer was empty")
    return turn.text


def check_catalog() -> Check:
    """The model catalog and its schema load, and a broken override is named at its line."""
    from playground.core import catalog

    try:
        count = len(catalog.models())
        try:
            catalog.parse('{\n  "models": [{"id": 1}]\n}', "sample")
        except catalog.CatalogError as exc:
            if exc.line != 2:
                raise RuntimeError(
                    f"a broken override was named at {exc.line}:{exc.column}"
                ) from None
        else:
            raise RuntimeError("a broken override was taken")
    except Exception as exc:  # noqa: BLE001 - reported as the reason
        return Check("catalog", False, f"{type(exc).__name__}: {exc}")
    return Check("catalog", True, f"{count} models, checked {catalog.checked()}")


def check_request() -> tuple[Check, Check]:
    from playground.services.simulator import Simulator

    started = time.perf_counter()
    try:
        sim = Simulator(speed=None).start()
    except Exception as exc:  # noqa: BLE001 - reported as the reason
        failed = Check("simulator", False, f"did not start: {exc}")
        return failed, Check("request", False, "skipped: no simulator")
    try:
        sim_check = Check("simulator", True, f"listening on {sim.base_url}")
        try:
            text = asyncio.run(_one_request(sim.base_url))
        except Exception as exc:  # noqa: BLE001 - reported as the reason
            return sim_check, Check("request", False, f"{type(exc).__name__}: {exc}")
        ms = (time.perf_counter() - started) * 1000
        words = " ".join(text.split()[:6])
        return sim_check, Check(
            "request",
            True,
            f"streamed a Responses answer in the request process in {ms:.0f} ms: “{words} …”",
        )
    finally:
        sim.stop()


def check_window(folder: Path) -> Check:
    """Compose the real app on a throw-away folder, show the window, grab one frame."""
    import keyring.backends.fail
    import qasync

    from playground.services.keystore import KeyStore
    from playground.ui.app import Playground
    from playground.ui.launch import make_application

    app = make_application()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    result: list[Check] = []

    async def go() -> None:
        pg = Playground(
            folder / "settings.json",
            keys=KeyStore(keyring.backends.fail.Keyring()),  # the user's keyring is not read
            env={},
            simulator_speed=None,
            data_dir=folder / "data",
        )
        window = pg.open_window()
        window.show()
        await asyncio.sleep(0.3)
        image = window.grab().toImage()
        window.hide()  # not close(): that would save this window's layout as the user's
        await pg.aclose()
        size = f"{image.width()}×{image.height()}"
        colours = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in (40, 200)}
        if image.isNull() or len(colours) < 3:
            result.append(Check("window", False, f"painted nothing visible ({size})"))
        else:
            result.append(Check("window", True, f"main window painted ({size})"))

    with loop:
        loop.run_until_complete(go())
    return result[0]


def check_charts() -> Check:
    """Draw Evaluate mode's four charts once, offscreen: pyqtgraph and numpy load here as
    they do in the window (lazily, so a bundle that lacks them would fail only then)."""
    try:
        from PySide6.QtGui import QImage

        from playground.core.evaluation_results import Cell, summarize
        from playground.ui.launch import make_application
        from playground.ui.widgets.chart_draw import pyqtgraph
        from playground.ui.widgets.eval_charts import chart_images

        make_application()
        cell = Cell("a", "r0", "passed", total_ms=120.0, output_tokens=9, cost_usd=1e-5)
        images = chart_images(summarize([cell]), {"a": "self-test"}, width=320, height=160)
        drawn = [title for title, png in images if not QImage.fromData(png).isNull()]
        version = pyqtgraph().__version__
    except Exception as exc:  # noqa: BLE001 - reported as the reason
        return Check("charts", False, f"{type(exc).__name__}: {exc}")
    if len(drawn) != 4:
        return Check("charts", False, f"drew {len(drawn)} of 4 charts")
    return Check("charts", True, f"{', '.join(drawn)} drawn (pyqtgraph {version})")


def _write(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def run_self_test(write: Callable[[str], None] = _write) -> int:
    from playground import __version__

    write(f"Playground {__version__} self-test (Python {sys.version.split()[0]})")
    env = dict(os.environ)
    checks = [check_platform(env)]
    if not checks[0].ok and env.get("QT_QPA_PLATFORM") != "offscreen":
        # go on offscreen, so the rest of the report still says something
        env["QT_QPA_PLATFORM"] = "offscreen"
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        offscreen = check_platform(env)
        checks.append(
            Check(
                "Qt",
                offscreen.ok,
                "offscreen works: the rest runs offscreen"
                if offscreen.ok
                else "offscreen fails too: " + offscreen.detail,
                warning=offscreen.ok,
            )
        )
    for check in checks:
        write(check.line())
    qt_usable = checks[-1].ok
    rest = [check_keyring(), check_catalog(), *check_request()]
    for check in rest:
        write(check.line())
    checks += rest
    if qt_usable:
        with tempfile.TemporaryDirectory(prefix="playground-self-test-") as folder:
            window = check_window(Path(folder))
    else:
        window = Check("window", False, "skipped: Qt cannot start")
    write(window.line())
    checks.append(window)
    charts = check_charts() if qt_usable else Check("charts", False, "skipped: Qt cannot start")
    write(charts.line())
    checks.append(charts)
    failed = [c for c in checks if not c.ok]
    write("all checks passed" if not failed else f"{len(failed)} check(s) failed")
    return 0 if not failed else 1
