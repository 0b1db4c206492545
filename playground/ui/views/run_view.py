"""What a tab shows of its runs: the live answer card, the Raw pane, the status line, the retry
countdown, the failure card and the tool step. One per tab; it is handed each run's events and
raises what the user asks for (run again, mock loop, providers) as signals."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from playground.core import event_text, sent_marks, variables
from playground.core.errors import FailureKind
from playground.core.events import (
    BackgroundStatus,
    HostedProgress,
    ReasoningDelta,
    RefusalDelta,
    Retrying,
    RunStarted,
    StreamEvent,
    TextDelta,
    ToolCallStarted,
    Usage,
)
from playground.core.mcp_items import pending_approvals
from playground.core.mcp_tools import approval_response
from playground.core.reasoning_items import from_origin, is_reasoning
from playground.core.reducer import AssistantTurn, kept_items, pending_calls
from playground.core.workspace import Message, ToolCall, Workspace
from playground.services.cache_use import CacheNote
from playground.services.file_upload import with_file_ids
from playground.ui.presenter import (
    DEFAULT_TIER,
    PICK_UP,
    badge_structured,
    cached_figures,
    failure_card,
    figures,
    mark_cached,
)
from playground.ui.widgets.card_list import keep_sent
from playground.ui.widgets.mcp_view import McpApprovalStep
from playground.ui.widgets.tool_step import ErrorCard, ToolStep

if TYPE_CHECKING:
    from playground.ui.views.workspace_view import WorkspaceView

PROGRESS_MS = 250
"""The status line's streaming figures change at most four times a second."""


class RunPresenter(QObject):
    """Shows one tab's runs as they happen (see the module docstring)."""

    status_changed = Signal(str)
    run_requested = Signal()
    """Run the tab's request again (a tool step submitted, Retry on an error card)."""
    mock_loop_requested = Signal(int)
    action_requested = Signal(str)
    """An error card's action other than retry: "set_key", "drop", "default_tier"."""
    pickup_requested = Signal()
    """Pick the background run the tab's last run picked up again (its failure card)."""
    tool_results = Signal(dict)
    """Tool outputs to add to the conversation, by call id."""

    def __init__(self, view: WorkspaceView) -> None:
        super().__init__(view)
        self.view = view
        self.status = ""
        self.learned_offer: Callable[[], Any] = lambda: None
        self.request_id: str | None = None
        self.picking_up = False
        """The tab's run picks up a background run (set by the window when it starts)."""
        self._deltas = 0
        self._tokens = 0
        self._progress_ms = 0.0
        self._retry: Retrying | None = None
        self._cache_note: CacheNote | None = None
        self._resumed: BackgroundStatus | None = None  # the last resume of a background run
        self._prefix = ""
        self._retry_left = 0.0
        self._retry_timer = QTimer(self, interval=1000)
        self._retry_timer.timeout.connect(self._tick_retry)

    def set_status(self, text: str) -> None:
        self.status = text
        self.status_changed.emit(text)

    # -- a run's events ----------------------------------------------------------------------

    def started(self, built: object) -> None:
        raw = self.view.raw
        raw.set_request(getattr(built, "body", {}))
        raw.clear_events()
        self.set_status("Running…")
        self.request_id = None
        self._deltas = 0
        self._tokens = 0
        self._progress_ms = -PROGRESS_MS
        self._prefix = ""  # "Background run · " once a run says it is one
        if self.view.conversation.live is None:
            self.view.conversation.begin_live()

    def events(self, batch: list[tuple[StreamEvent, float]]) -> None:
        """A frame's worth of events: deltas are joined and shown in one go."""
        live = self.view.conversation.live
        text: list[str] = []
        reasoning: list[str] = []
        refusal: list[str] = []
        for event, _ms in batch:
            if isinstance(event, TextDelta):
                if event.choice == 0:
                    text.append(event.text)
            elif isinstance(event, ReasoningDelta):
                reasoning.append(event.text)
            elif isinstance(event, RefusalDelta):
                refusal.append(event.text)
            elif isinstance(event, RunStarted):
                self.request_id = event.request_id
            elif isinstance(event, ToolCallStarted) and live is not None:
                live.set_badge(f"calling {event.name}…", "info")
            elif isinstance(event, HostedProgress) and live is not None:  # searching…
                live.set_badge(event_text.hosted_step(event), "info")
            elif isinstance(event, Usage):
                self._tokens = event.output_tokens
            elif isinstance(event, BackgroundStatus):
                self._background(event)
        self._deltas += len(text) + len(reasoning) + len(refusal)
        if self._retry is not None and (text or reasoning or refusal):
            self._end_retry()  # a retry went through: the answer flows again
        if live is not None:
            if text:
                live.append_text("".join(text))
            if reasoning:
                live.append_reasoning("".join(reasoning))
            if refusal:
                live.append_refusal("".join(refusal))
        self.view.raw.add_events(batch)
        if not isinstance(batch[-1][0], BackgroundStatus):  # the status line says it now
            self._show_progress(batch[-1][1])

    def files_uploaded(self, ids: dict[str, str], origin: tuple[str, str]) -> None:
        """The run uploaded the tab's files marked for upload ({path: file id}) to `origin`
        (profile name, server): the tab keeps their ids and origin (one undo step), so the
        next run there sends them without uploading."""
        doc = self.view.doc
        self.view.binder.flush()
        doc.commit(with_file_ids(doc.workspace, ids, origin), "Upload files")

    def cache_noted(self, note: CacheNote) -> None:
        """What the response cache did for the turn that is about to finish."""
        self._cache_note = note

    def retrying(self, event: Retrying) -> None:
        """Show the SDK's retries: a countdown while it waits, the attempt while it sends."""
        self._retry = event
        self._retry_left = event.delay_s or 0.0
        self._tick_retry()
        if event.delay_s:
            self._retry_timer.start()

    def finished(
        self,
        turn: AssistantTurn,
        stopped: bool,
        looping: bool,
        sent: Workspace | None = None,
        origin: tuple[str, str] | None = None,
    ) -> None:
        """The run ended; `looping`: a mock loop answers its calls (no tool step); `sent`:
        the workspace it started from, so the answer records what was sent
        (core/sent_marks.py); `origin`: where it was answered (file_inputs.origin_of), which
        its reasoning items record (a failed or stopped turn keeps none: kept_items)."""
        self._retry_timer.stop()
        self._retry = None
        note, self._cache_note = self._cache_note, None
        resumed, self._resumed = self._resumed, None
        self.view.raw.flush()
        conversation = self.view.conversation
        live = conversation.live
        calls = [
            ToolCall(
                id=c.call_id,
                name=c.name,
                arguments=c.arguments,
                item_id=c.item_id,
                kind="custom" if c.kind == "custom" else "function",
            )
            for c in turn.tool_calls
        ]
        self.view.binder.flush()  # what was typed meanwhile is a step of its own
        if live is not None:
            kept, answer = kept_items(turn, stopped)
            keep = bool(turn.text or turn.refusal or calls)
            rid = turn.response_id if not stopped else None
            for n, item in enumerate(kept):  # reasoning, a hosted call, an MCP item: above
                last = n == len(kept) - 1 and not keep  # the turn ends with it: its id
                said = Message(role="assistant", item=dict(item), response_id=rid if last else None)
                conversation.insert_before_live(from_origin(said, origin))
            live.finish_stream(calls, stopped, answer, rid)
            if resumed is not None and not stopped:  # the card says it was resumed
                _badge(live, resumed)
            if any(is_reasoning(i) for i in kept):
                live.drop_reasoning()  # its summary is on the reasoning item's card
            if keep and not stopped and turn.stopped_at_limit:
                live.mark_stopped_at_limit()  # a partial answer: Continue runs with it
            elif keep and not stopped:
                badge_structured(live, self.view.doc.workspace.output_format, turn.text)
            if keep and note is not None and note.hit:
                mark_cached(live, note)
            conversation.end_live(keep)
        if sent is not None:  # in the same undo step as the answer
            now = conversation.apply(self.view.doc.workspace)
            if (marked := sent_marks.stamped(now, sent)) is not now:
                keep_sent(conversation, marked.messages)
        status = figures(turn, self.request_id, timed=not self.picking_up) or "Done"
        if self.picking_up:  # its stream replays the response: no speed to tell
            status = f"Picked up  ·  {status}" if status != "Done" else "Picked up"
            if turn.failure is not None and not stopped:
                status = f"Picking up the background run failed: {turn.failure.title}"
        elif turn.failure is not None and not stopped:  # never "Done" for a failed run
            status = f"Failed: {turn.failure.title}"  # the card below says what to do
        if note is not None and note.hit:
            status = cached_figures(turn, note)
        elif note is not None and note.reason:
            status = f"{note.reason}  ·  {status}"
        self.set_status(status)
        self.view.binder.flush("Answer")
        if turn.failure is not None and not stopped:
            self._show_failure(turn)
        elif turn.stopped_at_limit:
            pass  # its calls, if any, were cut off: nothing to answer
        elif calls and not stopped and not looping:
            self.show_tool_step(self.view.doc.workspace)
        ws = self.view.doc.workspace
        if turn.items and not stopped and not (looping and ws.mcp_auto_approve):
            self.show_approval_step(ws)

    def show_approval_step(self, ws: Workspace) -> None:
        """Offer Approve / Deny for the MCP approval requests left open."""
        pending = pending_approvals(ws)
        if not pending:
            return
        step = McpApprovalStep(pending)
        step.answered.connect(self._on_approvals)
        self.view.conversation.add_transient(step)

    def add_approvals(self, decisions: dict[str, bool]) -> None:
        """Append an `mcp_approval_response` message per {request id: approved}."""
        for rid, approve in decisions.items():
            item = approval_response(rid, approve)
            self.view.conversation.add_message("user", "", focus=False, item=item)
        self.view.conversation.clear_transient()

    def add_tool_results(self, outputs: dict[str, str]) -> None:
        for call_id, output in outputs.items():
            self.view.conversation.add_message("tool", output, focus=False, tool_call_id=call_id)
        self.view.conversation.clear_transient()

    def loop_limit(self, limit: int) -> None:
        card = ErrorCard(
            "Mock loop stopped",
            f"The loop reached its limit of {limit} iterations; the model was still calling tools.",
            "Raise the limit or answer the calls by hand.",
            [("retry", "Run again")],
        )
        card.action_requested.connect(self._on_error_action)
        self.view.conversation.add_transient(card)

    def show_tool_step(self, ws: Workspace) -> None:
        """Offer to answer the calls the conversation's last answer left open."""
        pending = pending_calls(ws)
        if not pending:
            return
        step = ToolStep.for_workspace(pending, variables.filled(ws))  # mocks filled
        step.submit_requested.connect(self._on_submit_outputs)
        step.mock_loop_requested.connect(self.mock_loop_requested)
        self.view.conversation.add_transient(step)

    # -- private -----------------------------------------------------------------------------

    def _background(self, event: BackgroundStatus) -> None:
        """A background run's status (or a resumed stream) on its card and the status line."""
        self._prefix = "Background run · "
        if event.resumed:
            self._resumed = event
            self._end_retry()  # the SDK's retry of the reopen is over: the stream is back
            self._prefix = f"Background run · resumed from event {event.sequence + 1} · "
        said = event_text.background_step(event)
        live = self.view.conversation.live
        if live is not None:
            _badge(live, event)
        self.set_status(f"Background run: {said.removeprefix('background: ')}")

    def _show_progress(self, ms: float) -> None:
        """The status line while a run streams: deltas so far and their rate."""
        if self._retry is not None or ms <= 0 or ms - self._progress_ms < PROGRESS_MS:
            return
        self._progress_ms = ms
        count = self._tokens or self._deltas
        if self.picking_up:  # a replay of the response from its start: no rate to tell
            self.set_status(f"{self._prefix}Picking up…  {count} tokens")
            return
        rate = count / (ms / 1000)
        shown = f"{count} tokens  ·  {ms / 1000:.1f} s  ·  {rate:.0f}/s"
        self.set_status(f"{self._prefix}Streaming…  {shown}")

    def _end_retry(self) -> None:
        self._retry_timer.stop()
        self._retry = None
        self._progress_ms = -PROGRESS_MS  # the next batch says how the stream goes

    def _tick_retry(self) -> None:
        event = self._retry
        if event is None:
            return
        attempt = f"attempt {event.attempt + (event.status is not None)} of {event.max_attempts}"
        if event.status is None or self._retry_left <= 0:
            self._retry_timer.stop()
            self.set_status(f"Retrying now ({attempt})…")
            return
        reason = "Rate limited" if event.status == 429 else f"Server answered {event.status}"
        self.set_status(f"{reason}: retrying in {self._retry_left:.0f} s ({attempt})")
        self._retry_left -= 1

    def _show_failure(self, turn: AssistantTurn) -> None:
        assert turn.failure is not None
        pickup = self.picking_up and turn.failure.kind is not FailureKind.BACKGROUND_GONE
        card = failure_card(turn.failure, self.learned_offer(), tier_action=True, pickup=pickup)
        card.action_requested.connect(self._on_error_action)
        self.view.conversation.add_transient(card)
        if turn.failure.param:
            self.view.params.highlight(turn.failure.param)
            self.view.setup_tabs.setCurrentIndex(0)

    def _on_error_action(self, action: str) -> None:
        if action == PICK_UP:
            self.pickup_requested.emit()
        elif action in ("set_key", "drop", DEFAULT_TIER):
            self.action_requested.emit(action)
        else:
            self.run_requested.emit()

    def _on_approvals(self, decisions: dict[str, bool]) -> None:
        self.add_approvals(decisions)
        self.view.binder.flush()
        self.run_requested.emit()

    def _on_submit_outputs(self, outputs: dict[str, str]) -> None:
        self.add_tool_results(outputs)
        self.view.binder.flush()
        self.run_requested.emit()


def _badge(card: Any, event: BackgroundStatus) -> None:
    """A background run's status on its card: short enough for the card's header ("resumed
    from event 8"), the whole sentence in the tooltip."""
    said = event_text.background_step(event)
    card.set_badge(
        said.removeprefix("connection dropped; "), "warning" if event.resumed else "info"
    )
    card.badge.setToolTip(said[:1].upper() + said[1:] + ".")
