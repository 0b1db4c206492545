"""One tab: its Document, the panels that edit it, its conversation, Raw pane and findings,
and what it shows of its runs. The window places these widgets in its panes and shows the
current tab's; nothing here reaches into the window."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from playground.core import catalog, variables
from playground.core.document import Document
from playground.core.findings import Finding
from playground.services.session import TabRecord
from playground.ui.controllers.document_controller import DocumentBinder
from playground.ui.theme import accent
from playground.ui.views.compare_view import CompareView
from playground.ui.views.evaluate_view import EvaluateView
from playground.ui.views.graders_tab import GradersTab
from playground.ui.views.run_view import RunPresenter
from playground.ui.views.test_set_tab import TestSetTab
from playground.ui.widgets.card_notes import CardNotes
from playground.ui.widgets.conversation import ConversationView
from playground.ui.widgets.conversation_find import ConversationFind
from playground.ui.widgets.output_panel import OutputPanel
from playground.ui.widgets.pane_fit import scrolling
from playground.ui.widgets.params_panel import ParamsPanel
from playground.ui.widgets.raw_panel import RawPanel
from playground.ui.widgets.schema_editor import parse_schema_text
from playground.ui.widgets.state_panel import StatePanel
from playground.ui.widgets.tab_overflow import TabOverflow
from playground.ui.widgets.tools_panel import ToolsPanel
from playground.ui.widgets.variables_panel import VariablesPanel

SETUP_TABS_QSS = """
QTabBar::tab { padding: 4px 7px; border: none; border-bottom: 2px solid transparent; }
QTabBar::tab:selected { border-bottom: 2px solid palette(highlight); }
QTabBar::tab:hover:!selected { border-bottom: 2px solid palette(mid); }
"""


class WorkspaceView(QObject):
    """The widgets of one tab, bound to its Document (see the module docstring)."""

    edited = Signal()
    """The Document changed: validate, retitle, autosave."""
    closing = Signal()
    """The tab is closing: stop what runs for it."""

    def __init__(self, doc: Document, tab: TabRecord, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.tab = tab
        self.closed = False
        """The tab was closed: its widgets are going away."""
        self.findings: list[Finding] = []
        self.problems: list[str] = []
        self.setup_tabs = QTabWidget()
        self.setup_tabs.tabBar().setAccessibleDescription(
            "The request's setup: parameters, tools, output format, variables, test set, graders"
        )
        self.params = ParamsPanel()
        self.state = StatePanel()  # conversation state, above the parameters (state_view.py)
        params_page = QWidget()
        page_layout = QVBoxLayout(params_page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.setSpacing(0)
        page_layout.addWidget(self.state)
        page_layout.addWidget(self.params)
        # rows put their field under the label and wrap their notes when the pane is narrow;
        # narrower than its widest control, it scrolls rather than cut that control off
        params_scroll = scrolling(params_page, 0)
        self.tools = ToolsPanel()
        # a secret header's value goes to the keyring through the providers controller
        providers = getattr(getattr(parent, "window", None), "providers", None)
        if providers is not None:
            self.tools.mcp.secret_save_requested.connect(providers.save_key)
            self.tools.mcp.secret_rename_requested.connect(providers.rename_key)
            self.tools.mcp.secret_delete_requested.connect(providers.delete_key)
            self.tools.mcp.secret_status_requested.connect(providers.request_key_status)
            providers.key_status.connect(self.tools.mcp.set_secret_status)
        self.output = OutputPanel()
        self.variables = VariablesPanel()
        self.variables.value_edited.connect(self._on_variable_edited)
        self.variables.forget_requested.connect(self._on_variable_forgotten)
        self.test_set = TestSetTab(doc, self)
        self.graders = GradersTab(doc)
        # short titles, so that all six show in the pane at 1366x768 (narrower, the ones that
        # do not fit go into a "»" menu); the full names are the accessible names and tooltips
        for page, title, name, tip in (
            (params_scroll, "Params", "Parameters", "The request's parameters"),
            (self.tools, "Tools", "Tools", "The functions and hosted tools the model may call"),
            (self.output, "Output", "Output format", "Text, JSON object or a JSON Schema"),
            (self.variables, "Variables", "Variables", "The {{name}} variables and values"),
            (self.test_set.view, "Tests", "Test set", "The test cases: variable values each"),
            (self.graders, "Graders", "Graders", "What judges each answer of an evaluation"),
        ):
            index = self.setup_tabs.addTab(page, title)
            self.setup_tabs.setTabToolTip(index, f"{name}: {tip}")
            self.setup_tabs.tabBar().setAccessibleTabName(index, name)
        bar = self.setup_tabs.tabBar()
        bar.setExpanding(False)
        bar.setStyleSheet(SETUP_TABS_QSS)  # tighter than the style's: six fit in 340 px
        self.setup_overflow = TabOverflow(self.setup_tabs)  # whole titles, the rest in "»"
        self.conversation = ConversationView()
        self.find = ConversationFind(self.conversation)
        self.card_notes = CardNotes(self.conversation)  # a finding about a message, on its card
        # the center pane: the conversation, in Compare mode the variants side by side, in
        # Evaluate mode the matrix variants x test cases
        self.compare = CompareView(doc)
        self.evaluate = EvaluateView()
        self.center = QStackedWidget()
        for shown in (self.conversation, self.compare, self.evaluate):
            self.center.addWidget(shown)
        doc.changed.connect(self._on_doc_changed)
        self.raw = RawPanel()
        self.findings_list = QListWidget()
        self.findings_list.setAccessibleName("Findings")
        self.findings_list.setWordWrap(True)
        self.findings_list.setToolTip("What validation found; errors block Run")
        self.binder = DocumentBinder(
            doc,
            {
                "params": self.params,
                "tools": self.tools,
                "output": self.output,
                "conversation": self.conversation,
            },
            {
                "params": self._params_drafts,
                "tools": self._tools_drafts,
                "output": self._output_drafts,
            },
            self,
        )
        self.binder.edited.connect(self.edited)
        self.runner = RunPresenter(self)
        self.conversation.said.connect(self.runner.set_status)  # "Saved image to PATH"
        self.state_view: QObject | None = None  # its StateView (window_runs.py binds it)
        self.binder.replaced.connect(self._offer_tool_step)
        self.binder.load()
        self._offer_tool_step()  # calls left unanswered (an import, a restart) can be answered
        self._on_doc_changed("")

    def widgets(self) -> tuple[QTabWidget, QStackedWidget, RawPanel, QListWidget]:
        """(setup pane, center: conversation or compare, Raw pane, findings list): what the
        window places."""
        return self.setup_tabs, self.center, self.raw, self.findings_list

    def show_find(self) -> None:
        """Open the find bar of the conversation (Edit > Find, Ctrl+F)."""
        self.find.open()

    def blocking_problems(self) -> list[str]:
        """Editor problems that block Run: text that does not parse."""
        extra = self.params.extra_body()[1]
        return self.tools.problems() + self.output.problems() + ([extra] if extra else [])

    def show_findings(self, findings: Sequence[Finding], problems: Sequence[str]) -> None:
        self.findings, self.problems = list(findings), list(problems)
        self.params.show_findings(findings)
        self.state.show_findings(findings)
        self.card_notes.show(findings)
        self.findings_list.clear()
        for text in problems:
            self._add_finding("error", text)
        for f in findings:
            self._add_finding(f.severity, f"{f.message}  [{f.path}]")

    def close(self) -> None:
        """The tab closed: let go of the Document and the widgets."""
        self.closed = True
        self.closing.emit()
        self.binder.disconnect_document()
        self.doc.changed.disconnect(self._on_doc_changed)
        self.compare.detach()
        self.test_set.close()
        self.graders.close_tab()
        for widget in self.widgets():
            widget.deleteLater()
        self.deleteLater()

    def _on_doc_changed(self, path: str) -> None:
        ws = self.doc.workspace
        self.variables.show_variables(variables.names(ws), ws.variables)
        if path in ("", "model", "api"):  # an import, an undo: the panel follows the Document
            ws = self.doc.workspace
            self.params.set_model(catalog.lookup(ws.model), ws.api)
        if path in ("", "mode"):
            mode = self.doc.workspace.mode
            if mode == "compare":
                self.compare.sync()
            pages = {"compare": self.compare, "evaluate": self.evaluate}
            self.center.setCurrentWidget(pages.get(mode, self.conversation))

    def _on_variable_edited(self, name: str, value: str | None) -> None:
        """A value typed (None: emptied, no value): one undo step per variable's typing."""
        ws = self.doc.workspace
        values = dict(ws.variables)
        if value is None:
            values.pop(name, None)
        else:
            values[name] = value
        self.doc.commit(
            ws.model_copy(update={"variables": values}),
            f"Edit variable {name}",
            coalesce=f"variables:{name}",
        )

    def _on_variable_forgotten(self, name: str) -> None:
        ws = self.doc.workspace
        values = {k: v for k, v in ws.variables.items() if k != name}
        self.doc.commit(ws.model_copy(update={"variables": values}), f"Forget variable {name}")

    def _offer_tool_step(self) -> None:
        if self.conversation.live is None:
            self.conversation.clear_transient()
            self.runner.show_tool_step(self.doc.workspace)

    # -- drafts: text in an editor that does not parse yet, by Document path ----------------

    def _params_drafts(self) -> dict[str, str]:
        text = self.params.extra.toPlainText()
        return {"extra_body": text} if self.params.extra_body()[1] else {}

    def _tools_drafts(self) -> dict[str, str]:
        return {
            f"tools[{i}].parameters": text
            for i, text in enumerate(self.tools.schema_texts())
            if parse_schema_text(text)[0] is None
        }

    def _output_drafts(self) -> dict[str, str]:
        if not self.output.problems():
            return {}
        return {"output_format.json_schema": self.output.schema.edit.toPlainText()}

    def _add_finding(self, severity: str, text: str) -> None:
        item = QListWidgetItem(f"{severity}: {text}")
        item.setForeground(accent({"error": "error", "warning": "warning"}.get(severity, "info")))
        self.findings_list.addItem(item)
