"""A message card: role, text, images, tool calls; assistant cards render Markdown and stream."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from playground.core.reasoning_items import is_reasoning
from playground.core.workspace import ImagePart, Message, TextPart, ToolCall
from playground.ui.theme import accent
from playground.ui.widgets.attachments import Attachments
from playground.ui.widgets.card_actions import CardActions, calls_html, head_buttons
from playground.ui.widgets.card_head import item_kind, role_and_kind, show_kind
from playground.ui.widgets.common import tool_button
from playground.ui.widgets.elided_label import RoomLabel
from playground.ui.widgets.growing_text_edit import GrowingTextEdit
from playground.ui.widgets.hosted_results import HostedResults, shown_markdown

if TYPE_CHECKING:
    from playground.ui.widgets.markdown_view import MarkdownView

_KEPT = {"response_id", "sent_digest", "sent_prefix", "answered_by", "answer_server"}
"""Message fields the card keeps as they are (the app's records; the card does not edit them)."""


class MessageCard(QFrame):
    """One message of the conversation. Emits intents; owns no state beyond its message."""

    changed = Signal()
    """The message was edited."""
    delete_requested = Signal()
    """The user asked to delete this message."""
    move_requested = Signal(int)
    """Move by -1 (up) or +1 (down)."""
    duplicate_requested = Signal()
    """The user asked for a copy of this message below it."""
    continue_requested = Signal()
    """The user asked the model to continue this answer (it stopped at the token limit)."""
    reasoning: MarkdownView | None
    """The reasoning summary, made at its first text."""
    regenerate_requested = Signal()
    """Run again, replacing this answer (the last one)."""
    run_from_requested = Signal()
    """Drop the messages after this one and run."""
    fork_requested = Signal()
    """A new tab with the conversation up to this message."""
    image_saver: Callable[[QImage], str] | None = None  # set by app.py: stores a pasted image
    run_actions: CardActions  # these three are made by head_buttons
    copy: QToolButton
    raw_toggle: QToolButton

    def __init__(self, message: Message | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._tool_calls: list[ToolCall] = []
        self._item: dict | None = None  # an item sent exactly as given (Message.item)
        self._finish: str | None = None  # "length": stopped at the output-token limit
        # kept by the app, never shown: response_id, sent_digest, sent_prefix
        self._kept: dict[str, str | None] = {}
        self._streaming = False
        self._text = ""  # the text while the editor is not loaded (a rendered answer)
        self._editor_loaded = True
        self._setup_ui()
        self.set_message(message or Message())

    # -- public ------------------------------------------------------------------------------

    def set_message(self, msg: Message) -> None:
        self.role.blockSignals(True)
        self.role.setCurrentText(msg.role)
        self.role.blockSignals(False)
        self._text = msg.text
        rendered = msg.role == "assistant" and bool(msg.text) and not self._streaming
        # a rendered answer's editor is filled when the raw text is asked for
        self._fill_editor("" if rendered else msg.text)
        self._editor_loaded = not rendered
        self.attachments.set_parts(
            [] if isinstance(msg.content, str) else [p for p in msg.content if p.type != "text"]
        )
        self._tool_calls = list(msg.tool_calls)
        self._item = msg.item
        self._finish = msg.finish if msg.role == "assistant" else None
        self._kept = msg.model_dump(include=_KEPT)
        self.limit_row.setVisible(self._finish == "length" and not self._streaming)
        self.editor.setReadOnly(msg.item is not None)
        self._was_parts = not isinstance(msg.content, str)
        self.call_id.setText(msg.tool_call_id or "")
        self.call_id.setCursorPosition(0)  # a long id shows its start, "call_…"
        self._name = msg.name
        self._refresh()
        if rendered:
            self.view.set_markdown(shown_markdown(msg.text, msg.item))
            self._show_rendered(True)

    def message(self) -> Message:
        role = self.role.currentText()
        text = self.text()
        content: str | list = text
        parts = self.attachments.parts()
        if parts or self._was_parts:
            content = [*([TextPart(text=text)] if text else []), *parts]
        return Message(
            role=role,
            content=content,  # type: ignore[arg-type]
            tool_calls=self._tool_calls if role == "assistant" else [],
            tool_call_id=(self.call_id.text().strip() or None) if role == "tool" else None,
            name=self._name,
            item=self._item,
            finish=self._finish if role == "assistant" else None,  # type: ignore[arg-type]
            **self._kept,
        )

    def keep_sent(self, msg: Message) -> None:
        """Take what `msg` records of what was sent of it (core/sent_marks.py), nothing else."""
        self._kept |= msg.model_dump(include={"sent_digest", "sent_prefix"})

    def busy(self) -> bool:
        """Streaming, or a big paste still going in: the card must stay as it is."""
        return self._streaming or self.editor.pasting

    def text(self) -> str:
        """The message text as it stands (streamed so far, while streaming)."""
        if self._streaming:
            return self.view.text
        return self.editor.toPlainText() if self._editor_loaded else self._text

    # -- streaming (assistant output) ------------------------------------------------------

    def begin_stream(self) -> None:
        self._streaming = True
        self._reasoning_parts: list[str] = []
        self._refusal_parts: list[str] = []
        self.role.setCurrentText("assistant")
        self.view.reset()
        self._show_rendered(True)
        self.limit_row.setVisible(False)
        self.set_badge("streaming…", "info")

    def append_text(self, delta: str) -> None:
        self.view.append(delta)

    def append_reasoning(self, delta: str) -> None:
        self._reasoning_parts.append(delta)
        self.reasoning_toggle.setVisible(True)
        if self.reasoning is None:  # Markdown, rendered as the answer is
            from playground.ui.widgets.markdown_view import MarkdownView

            view = MarkdownView()
            view.setStyleSheet(f"color: {accent('muted').name()};")
            view.setVisible(self.reasoning_toggle.isChecked())
            self._layout.insertWidget(self._reasoning_at, view)
            self.reasoning = view
        self.reasoning.append(delta)

    def append_refusal(self, delta: str) -> None:
        self._refusal_parts.append(delta)
        self.refusal.setVisible(True)
        self.refusal.setText("".join(self._refusal_parts))

    def finish_stream(
        self,
        tool_calls: list[ToolCall],
        stopped: bool,
        item: dict | None = None,
        response_id: str | None = None,
    ) -> None:
        """The answer is whole; `item`: its output item kept as given (annotations);
        `response_id`: the response it ends (where a chain or a conversation goes on)."""
        self._kept["response_id"] = response_id
        self.view.finish()
        if self.reasoning is not None:
            self.reasoning.finish()
        self._streaming = False
        self._text = self.view.text or "".join(self._refusal_parts)
        self._unload_editor()
        self._tool_calls, self._item = tool_calls, item
        if item is not None:  # its citations, numbered
            self.view.set_markdown(shown_markdown(self._text, item))
        self._refresh()
        self.set_badge("stopped" if stopped else "", "warning")

    def drop_reasoning(self) -> None:
        """The reasoning summary lives in its reasoning item's card now: hide it here."""
        self.reasoning_toggle.setVisible(False)
        if self.reasoning is not None:
            self.reasoning.setVisible(False)

    def mark_stopped_at_limit(self) -> None:
        """The answer is partial: the model stopped at the output-token limit. Offer Continue."""
        self._finish = "length"
        self.limit_row.setVisible(True)

    def set_badge(self, text: str, kind: str = "info") -> None:
        self.badge.setText(text)
        self.badge.setVisible(bool(text))
        self.badge.setStyleSheet(f"color: {accent(kind).name()};")

    # -- private -----------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        from playground.ui.widgets.markdown_view import MarkdownView

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        head = QHBoxLayout()
        self.role, self.kind = role_and_kind(head)  # an item that is no message shows its kind
        self.role.currentTextChanged.connect(self._on_role_changed)
        self.badge = RoomLabel(max_width=10_000, text_tip=True)  # elides before buttons wrap
        self.badge.setObjectName("badge")
        self.badge.setVisible(False)
        head.addWidget(self.badge, 1)
        self.call_id = QLineEdit()
        self.call_id.setPlaceholderText("tool call id this result answers")
        self.call_id.setToolTip("The id of the tool call this result answers (call_…)")
        self.call_id.setMinimumWidth(110)  # "call_…" fits; a narrow pane keeps its buttons
        self.call_id.textEdited.connect(self.changed)
        head.addWidget(self.call_id, 1)
        # the buttons at the right, wrapping onto a second row in a narrow pane
        head.addWidget(head_buttons(self, head.spacing()))
        layout.addLayout(head)

        self.reasoning_toggle = tool_button(
            "Reasoning summary", "Show or hide the model's reasoning summary", checkable=True
        )
        self.reasoning_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.reasoning_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.reasoning_toggle.setVisible(False)
        self.reasoning_toggle.toggled.connect(self._on_reasoning_toggled)
        layout.addWidget(self.reasoning_toggle)
        self.reasoning = None
        self._layout, self._reasoning_at = layout, layout.count()

        self.stack = QStackedWidget()
        self.editor = GrowingTextEdit()
        self.editor.setPlaceholderText("Message text")
        self.editor.setAccessibleName("Message text")
        self.editor.setToolTip("The message text; paste an image to attach it")
        self.editor.textChanged.connect(self.changed)
        self.editor.image_pasted.connect(self._on_image_pasted)
        self.view = MarkdownView()
        self.view.setAccessibleName("Message")
        self.view.setAccessibleDescription("The message as rendered Markdown")
        self.stack.addWidget(self.editor)
        self.stack.addWidget(self.view)
        self.view.document().contentsChanged.connect(self._fit)
        self.view.rewrapped.connect(self._fit)
        self.editor.document().contentsChanged.connect(self._fit)
        for doc in (self.view.document(), self.editor.document()):  # View > Zoom: new height
            doc.documentLayout().documentSizeChanged.connect(self._fit)
        layout.addWidget(self.stack)
        self.refusal = QLabel(wordWrap=True)
        self.refusal.setStyleSheet(f"color: {accent('error').name()}; font-style: italic;")
        self.refusal.setToolTip("The model refused this request")
        self.refusal.setVisible(False)
        layout.addWidget(self.refusal)
        self.calls = QLabel(wordWrap=True)
        self.calls.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.calls)
        self.results = HostedResults()  # a hosted call's result, an answer's sources
        layout.addWidget(self.results)
        self.limit_row = QWidget()  # under the answer: it stopped at the token limit
        row = QHBoxLayout(self.limit_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.limit_note = QLabel("stopped at the output-token limit")
        self.limit_note.setStyleSheet(f"color: {accent('warning').name()};")
        self.limit_note.setToolTip("The answer is partial: the model used all the output tokens")
        row.addWidget(self.limit_note)
        self.continue_button = tool_button(
            "Continue", "Run again with this partial answer, so the model continues it", raised=True
        )
        self.continue_button.clicked.connect(self._on_continue_clicked)
        row.addWidget(self.continue_button)
        row.addStretch(1)
        self.limit_row.setVisible(False)
        layout.addWidget(self.limit_row)
        self.attachments = Attachments()  # images with their detail, files
        self.attachments.changed.connect(self._on_attachments_changed)
        self.thumbs = self.attachments.thumbs
        layout.addWidget(self.attachments)

    def _show_rendered(self, rendered: bool) -> None:
        assistant = self.role.currentText() == "assistant"
        rendered = rendered and assistant
        if rendered and not self._streaming and self._editor_loaded:
            self._text = self.editor.toPlainText()
            self.view.set_markdown(shown_markdown(self._text, self._item))
            self._unload_editor()
        elif not rendered:
            self._load_editor()
        self.stack.setCurrentWidget(self.view if rendered else self.editor)
        self.raw_toggle.blockSignals(True)
        self.raw_toggle.setChecked(not rendered)
        self.raw_toggle.blockSignals(False)
        self._fit()

    def _fill_editor(self, text: str) -> None:
        self.editor.blockSignals(True)
        self.editor.setPlainText(text)
        self.editor.blockSignals(False)

    def _load_editor(self) -> None:
        if not self._editor_loaded:
            self._editor_loaded = True
            self._fill_editor(self._text)

    def _unload_editor(self) -> None:
        """The text lives in `_text` and the rendered view; the editor holds nothing."""
        if self._editor_loaded:
            self._editor_loaded = False
            self._fill_editor("")

    def _fit(self) -> None:
        current = self.stack.currentWidget()
        if current is not None:
            self.stack.setFixedHeight(current.sizeHint().height())

    def _refresh(self) -> None:
        role = self.role.currentText()
        if self.property("role") != role:  # re-polishing restyles, and re-lays out, every child
            self.setProperty("role", role)
            self.style().unpolish(self)
            self.style().polish(self)
        self.call_id.setVisible(role == "tool")
        given = self._item
        item = bool(item_kind(given))  # an item that is not a message: no Raw, attach, duplicate
        self.raw_toggle.setVisible(role == "assistant" and not item)
        self.run_actions.show_item(item)
        if role != "assistant":
            self._show_rendered(False)
        calls = self._tool_calls if role == "assistant" else []
        self.calls.setVisible(bool(calls) or (given is not None and not is_reasoning(given)))
        # an assistant turn that only called tools has no text to show
        self.stack.setVisible(
            not ((calls or given is not None) and not self.text() and not self._streaming)
        )
        self.calls.setText(calls_html(calls, given))
        self.results.show_item(given)
        show_kind(self.role, self.kind, given)
        self._fit()

    def add_image(self, part: ImagePart) -> None:
        self.attachments.add(part)

    def attach_file(self, path: str) -> str:
        """Attach a file (a PDF or another document); "" or why it was refused (shown)."""
        return self.attachments.attach_file(path)

    def _on_attachments_changed(self) -> None:
        self._fit()
        self.changed.emit()

    def _on_image_pasted(self, image: QImage) -> None:
        saver = type(self).image_saver
        if saver is not None:
            self.add_image(ImagePart(path=saver(image), detail="auto"))

    def _on_continue_clicked(self) -> None:
        self.continue_button.setVisible(False)
        self._finish = None  # continued: the answer that follows carries on from here
        self.continue_requested.emit()

    def _on_role_changed(self, _role: str) -> None:
        self._refresh()
        self.run_actions.refresh()
        self.changed.emit()

    def _on_reasoning_toggled(self, shown: bool) -> None:
        if self.reasoning is not None:
            self.reasoning.setVisible(shown)
        self.reasoning_toggle.setArrowType(
            Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        )
