"""Start the GUI: the window's first frame comes first, the rest of the app after it.

This module and `main_window` import PySide6 and little else, so the window paints its chrome
about as soon as a bare PySide6 window would; `playground.ui.app` (the SDK-free core, pydantic,
jsonschema, keyring, the panels) is imported and composed once that frame is out.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from playground import __version__, paths
from playground.core.qt_diagnosis import EXIT_NO_DISPLAY, display_problem
from playground.ui import theme


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    QCoreApplication.setOrganizationName("playground")
    QCoreApplication.setApplicationName("Playground")
    QCoreApplication.setApplicationVersion(__version__)
    QApplication.setDesktopFileName(paths.APP_ID)
    icon = QIcon()
    for size in paths.APP_ICON_SIZES:  # the window system picks the size it needs
        png = paths.resource(f"icons/app/playground-{size}.png")
        if png.exists():
            icon.addFile(str(png))
    QApplication.setWindowIcon(icon)
    theme.apply(app)  # type: ignore[arg-type]
    return app  # type: ignore[return-value]


def run_gui(workspace_path: Path | None = None) -> int:
    """Open the window (optionally on a workspace file) and run until it closes. Without a
    display: one paragraph on stderr and EXIT_NO_DISPLAY, before Qt could abort the process."""
    problem = display_problem(os.environ, sys.platform)
    if problem is not None:
        print(problem, file=sys.stderr)  # noqa: T201 - the CLI's error path
        return EXIT_NO_DISPLAY
    app = make_application()
    if workspace_path is not None:
        from playground.services.files import WorkspaceFileError, load_workspace

        try:
            load_workspace(workspace_path)
        except WorkspaceFileError as exc:
            print(exc, file=sys.stderr)  # noqa: T201 - the CLI's error path
            return 2
    from playground.ui import single_instance

    # A running instance takes the file: two processes never write one session.
    name = single_instance.server_name(paths.data_dir())
    server = single_instance.InstanceServer(name)
    if single_instance.hand_over(name, workspace_path) or (
        not server.listen() and single_instance.hand_over(name, workspace_path)
    ):
        print(handed_over_text(workspace_path))  # noqa: T201 - the CLI's answer
        return 0
    if not server.is_listening():
        print(  # noqa: T201 - the CLI's error path
            "Playground is already running but did not answer; close it and try again.",
            file=sys.stderr,
        )
        return 1
    from playground.ui.main_window import MainWindow

    window = MainWindow()
    window.restore_layout()
    window.show_first_frame()
    from playground.ui.app import run_composed

    return run_composed(app, window, workspace_path, server)


def handed_over_text(path: Path | None) -> str:
    if path is None:
        return "Playground is already running: its window was raised."
    return f"Playground is already running: {path} was handed over to its window."
