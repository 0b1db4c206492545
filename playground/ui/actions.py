"""Making a menu action the one way: text, tooltip and status tip, and keys that follow the
platform (QKeySequence standard keys, so macOS gets ⌘), with a fallback where the platform has
none (Quit and Preferences have no standard key on Linux desktops without a platform theme)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

Keys = QKeySequence.StandardKey | str


def key_sequences(keys: Iterable[Keys]) -> list[QKeySequence]:
    """The sequences of `keys` in order, each once: a standard key gives all its platform
    bindings (none on some platforms), a string is one sequence in portable text."""
    found: list[QKeySequence] = []
    for key in keys:
        for sequence in _bindings(key):
            if not sequence.isEmpty() and sequence not in found:
                found.append(sequence)
    return found


def _bindings(key: Keys) -> list[QKeySequence]:
    if isinstance(key, str):
        return [QKeySequence(key)]
    return list(QKeySequence.keyBindings(key))


def make_action(
    parent: QWidget,
    text: str,
    tip: str,
    slot: Callable[[], object] | None = None,
    keys: Iterable[Keys] = (),
    checkable: bool = False,
) -> QAction:
    """An action with `tip` as its tooltip and status tip, and the shortcuts `keys`."""
    action = QAction(text, parent)
    action.setToolTip(tip)
    action.setStatusTip(tip)
    action.setShortcuts(key_sequences(keys))
    action.setCheckable(checkable)
    if slot is not None:
        action.triggered.connect(lambda _checked=False: slot())
    return action


PLACE = "place"
"""The property of a QShortcut made by make_shortcut that says where it works."""


def make_shortcut(
    parent: QWidget,
    key: Keys,
    name: str,
    place: str,
    slot: Callable[[], object],
    context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
) -> QShortcut:
    """A key that works in `parent` only (not a menu action): `name` (its whatsThis) and
    `place` are what Help > Keyboard shortcuts lists for it."""
    shortcut = QShortcut(parent)
    shortcut.setKeys(key_sequences([key]))
    shortcut.setContext(context)
    shortcut.setWhatsThis(name)
    shortcut.setProperty(PLACE, place)
    shortcut.activated.connect(lambda: slot())
    return shortcut


def give_tips(action: QAction, tip: str) -> None:
    """Set `tip` as tooltip and status tip where the action has neither of its own yet."""
    if not action.statusTip():
        action.setStatusTip(action.toolTip() if _own_tooltip(action) else tip)
    if not _own_tooltip(action):
        action.setToolTip(tip)


def _own_tooltip(action: QAction) -> bool:
    """Whether the tooltip says more than the action's text (Qt's default is the text)."""
    plain = action.text().replace("&", "").split("\t")[0].strip()
    return action.toolTip().strip() not in ("", plain)


def walk(bar: QMenuBar | QMenu, path: tuple[str, ...] = ()) -> Iterator[tuple[str, QAction]]:
    """(menu path such as "File › Open Recent", action) of every action under `bar`,
    separators and submenu entries left out."""
    for action in bar.actions():
        if action.isSeparator():
            continue
        label = action.text().replace("&", "")
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            yield from walk(submenu, (*path, label))
        else:
            yield " › ".join(path), action
