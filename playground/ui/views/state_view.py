"""A tab's conversation state: binds its StatePanel (ui/widgets/state_panel.py) to its Document
and to the window's ConversationController. A mode chosen or an id typed is an undo step;
an id pasted or entered is checked on the server (it exists, what it holds); Create, Items
and Delete go to the controller, and what it reports comes back to this tab's
panel only (signals carry the tab's id)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from playground.core import conversation_seed, sent_marks, state_modes
from playground.core.profiles import ProviderProfile
from playground.core.workspace import Workspace
from playground.ui.controllers.conversation_controller import ConversationController

if TYPE_CHECKING:
    from playground.ui.views.workspace_view import WorkspaceView


class StateView(QObject):
    """See the module docstring."""

    def __init__(
        self,
        view: WorkspaceView,
        controller: ConversationController,
        profile: Callable[[], ProviderProfile],
        reachable: Callable[[], bool] = lambda: True,
    ) -> None:
        """`reachable`: whether the tab's provider can be asked now (its profile exists)."""
        super().__init__(view)
        self.view, self.controller, self._profile = view, controller, profile
        self._reachable = reachable
        self._checking: str | None = None  # the id last checked (a field left is not again)
        self._seeded = conversation_seed.Seed()  # what the Conversation being created holds
        self._seeded_from: Workspace | None = None  # the workspace it was taken from
        self.confirm: QMessageBox | None = None
        """The open "Delete conversation" confirmation (a test clicks it)."""
        self.panel = view.state
        self.panel.state_chosen.connect(self._on_state_chosen)
        self.panel.conversation_id_edited.connect(self._on_id_edited)
        self.panel.conversation_id_entered.connect(self._on_id_entered)
        self.panel.create_requested.connect(self._on_create)
        self.panel.items_requested.connect(self._on_items)
        self.panel.delete_requested.connect(self._on_delete)
        controller.created.connect(self._on_created)
        controller.listed.connect(self._on_listed)
        controller.checked.connect(self._on_checked)
        controller.deleted.connect(self._on_deleted)
        controller.failed.connect(self._on_failed)
        controller.busy_changed.connect(self._on_busy)
        view.doc.changed.connect(self._on_doc_changed)
        view.closing.connect(self._on_closing)
        self.panel.show_state(view.doc.workspace)
        self._answered = tuple(state_modes.chain(view.doc.workspace.messages))

    @property
    def owner(self) -> str:
        return self.view.tab.id

    # -- the Document ------------------------------------------------------------------------

    def _on_doc_changed(self, _path: str) -> None:
        ws = self.view.doc.workspace
        self.panel.show_state(ws)
        answered = tuple(state_modes.chain(ws.messages))
        if answered != self._answered:  # a new answer: the items shown are out of date
            self._answered = answered
            if self.panel.items.isVisible() and ws.state == "conversation" and ws.conversation_id:
                self.controller.list_items(self.owner, self._profile(), ws.conversation_id)

    def _commit(self, label: str, **update: Any) -> None:
        ws = self.view.doc.workspace
        if all(getattr(ws, k) == v for k, v in update.items()):
            return
        self.view.binder.flush()  # what was typed meanwhile is a step of its own
        self.view.doc.commit(self.view.doc.workspace.model_copy(update=update), label)

    def _on_state_chosen(self, state: str) -> None:
        self._commit(f"State: {state_modes.LABELS[state]}", state=state)

    def _on_id_edited(self, text: str) -> None:
        if text != self._checking:
            self._checking = None
        ws = self.view.doc.workspace
        self.view.doc.commit(
            ws.model_copy(update={"conversation_id": text or None}),
            "Edit conversation id",
            coalesce="conversation_id",
        )

    def _on_id_entered(self, conversation_id: str) -> None:
        if conversation_id == self._checking or not self._reachable():
            return
        self._checking = conversation_id
        self.panel.set_note(f"Checking {conversation_id}…", about=conversation_id)
        self.controller.check(self.owner, self._profile(), conversation_id)

    # -- the controller ----------------------------------------------------------------------

    def _on_create(self) -> None:
        # the turns already answered go in first, or a run there would not see them
        self.view.binder.flush()
        seed = conversation_seed.seed(self.view.doc.workspace)
        self._seeded, self._seeded_from = seed, self.view.doc.workspace
        self.panel.set_note("Creating a conversation…")
        self.controller.create(self.owner, self._profile(), seed.items or None)

    def _on_items(self, conversation_id: str) -> None:
        if conversation_id:
            self.panel.set_note("Reading the conversation's items…", about=conversation_id)
            self.controller.list_items(self.owner, self._profile(), conversation_id)

    def _on_delete(self, conversation_id: str) -> None:
        if not conversation_id:
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Delete conversation",
            f"Delete the conversation {conversation_id} and all its items from the server? "
            "This cannot be undone.",
            QMessageBox.StandardButton.Cancel,
            self.view.state,
        )
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def chosen(button: Any) -> None:
            self.confirm = None
            if button is delete:
                self.panel.set_note(f"Deleting {conversation_id}…", about=conversation_id)
                self.controller.delete(self.owner, self._profile(), conversation_id)

        box.buttonClicked.connect(chosen)
        self.confirm = box
        box.open()

    def _on_created(self, owner: str, conversation_id: str) -> None:
        if owner != self.owner:
            return
        self.view.binder.flush()  # what was typed meanwhile is a step of its own
        ws = self.view.doc.workspace
        # it holds the answered turns as they were when it was made (core/sent_marks.py)
        sent = sent_marks.seeded(ws, self._seeded_from or ws).messages
        self._commit(
            "Create conversation",
            conversation_id=conversation_id,
            state="conversation",
            messages=sent,
        )
        self._checking = conversation_id  # just made: nothing to check
        seed, self._seeded, self._seeded_from = self._seeded, conversation_seed.Seed(), None
        said = conversation_seed.created_note(conversation_id, seed)
        self.panel.set_note(said, "warning" if seed.findings else "muted", conversation_id)

    def _on_listed(self, owner: str, conversation_id: str, items: list) -> None:
        if owner == self.owner:
            self.panel.show_items(conversation_id, items)

    def _on_checked(self, owner: str, conversation_id: str, items: list | None) -> None:
        ws = self.view.doc.workspace
        if owner != self.owner or conversation_id != ws.conversation_id:
            return  # another tab's, or the id changed since
        answered = len(state_modes.chain(ws.messages))
        found = conversation_seed.checked(conversation_id, items, answered)
        missing = found.code == conversation_seed.NOT_FOUND
        self.panel.set_missing(conversation_id if missing else None)
        self.panel.show_state(ws)  # "where stored" says nothing is there after a 404
        kind = "muted" if found.severity == "info" else found.severity
        self.panel.set_note(found.message, kind, about=conversation_id)

    def _on_deleted(self, owner: str, conversation_id: str) -> None:
        if owner != self.owner:
            return
        if self.view.doc.workspace.conversation_id == conversation_id:
            self._commit("Delete conversation", conversation_id=None)
        self.panel.items.setVisible(False)
        self.panel.set_note(f"Deleted {conversation_id}.")

    def _on_failed(self, owner: str, message: str) -> None:
        if owner == self.owner:
            self._checking = None  # Enter checks again
            self.panel.set_note(message, "error", self.view.doc.workspace.conversation_id)

    def _on_busy(self, owner: str, busy: bool) -> None:
        if owner == self.owner:
            self.panel.set_busy(busy)

    def _on_closing(self) -> None:
        self.view.doc.changed.disconnect(self._on_doc_changed)
        for signal, slot in (
            (self.controller.created, self._on_created),
            (self.controller.listed, self._on_listed),
            (self.controller.checked, self._on_checked),
            (self.controller.deleted, self._on_deleted),
            (self.controller.failed, self._on_failed),
            (self.controller.busy_changed, self._on_busy),
        ):
            signal.disconnect(slot)
