"""Remote MCP servers: a list to tick and pick, and an editor for the selected one (label,
URL or connector, description, allowed tools, approval rule, headers, and secret headers whose
values go to the OS keyring, never into the workspace)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from playground.core.mcp_tools import CONNECTORS, McpTool, secret_entry
from playground.core.profiles import is_credential_header
from playground.ui.theme import accent
from playground.ui.widgets.common import html_text
from playground.ui.widgets.flow_layout import FlowLayout
from playground.ui.widgets.item_list import item_list

# (label, require_approval form)
APPROVALS = [
    ("(not sent: always)", None),
    ("Always", "always"),
    ("Never", "never"),
    ("Never for these tools…", "per_tool"),
]


def narrow(combo: QComboBox) -> None:
    """Long entries (connector_outlookcalendar) must not widen the pane."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


class McpToolsEditor(QWidget):
    """Edits Workspace.mcp_tools and mcp_auto_approve."""

    changed = Signal()
    """A server was added, removed or edited."""
    secret_save_requested = Signal(str, str)
    """(keyring entry, value): store a secret header's value (core.mcp_tools.secret_entry)."""
    secret_rename_requested = Signal(str, str)
    """(old entry, new entry): a server was relabelled; its secrets follow it."""
    secret_delete_requested = Signal(str)
    """(keyring entry): a secret header was forgotten; its value goes from the keyring."""
    secret_status_requested = Signal(str)
    """(keyring entry): say whether it holds a value (`set_secret_status` gets the answer)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tools: list[McpTool] = []
        self._loading = False
        self._stored: dict[str, bool] = {}  # keyring entry -> holds a value (as last told)
        self._setup_ui()

    # -- public ------------------------------------------------------------------------------

    def load(self, tools: list[McpTool], auto_approve: bool) -> None:
        self._loading = True
        self._tools = [t.model_copy(deep=True) for t in tools]
        self.auto_approve.setChecked(auto_approve)
        row = self.list.currentRow()
        self._refill(row if 0 <= row < len(self._tools) else (0 if self._tools else -1))
        self._loading = False

    def set_secret_status(self, entry: str, stored: bool, _where: str = "") -> None:
        """The keyring does (or does not) hold a value for `entry`; the panel says so."""
        if not entry.startswith("mcp/"):
            return  # a provider's key
        self._stored[entry] = stored
        tool = self._current()
        if tool is not None:
            self._show_secrets(tool)

    def tools(self) -> list[McpTool]:
        return [t.model_copy(deep=True) for t in self._tools]

    def add_server(self, label: str = "server", url: str = "https://") -> None:
        taken = {t.server_label for t in self._tools}
        n, candidate = 1, label
        while candidate in taken:
            n += 1
            candidate = f"{label}_{n}"
        self._tools.append(McpTool(server_label=candidate, server_url=url))
        self._refill(len(self._tools) - 1)
        self.changed.emit()

    # -- private -----------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        made = item_list(
            layout,
            "MCP servers",
            (
                "Add MCP server",
                "A remote MCP server whose tools the model may use (Responses API)",
                self.add_server,
            ),
            ("Delete the selected MCP server", self._on_remove_clicked),
            ("MCP servers", "Tick a server to send it; select one to edit it", 70),
            self._show,
            self._on_item_changed,
        )
        self.remove, self.list, self.editor, form = made.remove, made.list, made.editor, made.form
        self.label = self._line(form, "Server label", "Names the server in calls and items")
        self.where = QComboBox()
        self.where.addItem("Server URL", None)
        for connector in CONNECTORS:
            self.where.addItem(connector, connector)
        self.where.setToolTip("A server URL, or one of OpenAI's service connectors")
        self.where.setAccessibleName("Where the MCP server is")
        narrow(self.where)
        self.where.currentIndexChanged.connect(self._on_edited)
        form.addRow("Where", self.where)
        self.url = self._line(form, "Server URL", "https://… the MCP server's address")
        self.description = self._line(form, "Description", "Optional: what the server offers")
        self.allowed = self._line(
            form, "Allowed tools", "Tool names, comma-separated; empty: every tool"
        )
        self.read_only = QCheckBox("Only read-only tools")
        self.read_only.setToolTip('Sends {"read_only": true} in the allowed_tools filter')
        self.read_only.toggled.connect(self._on_edited)
        form.addRow("", self.read_only)
        self.approval = QComboBox()
        for text, value in APPROVALS:
            self.approval.addItem(text, value)
        self.approval.setToolTip("Which calls need your approval before the server runs them")
        self.approval.setAccessibleName("Require approval")
        narrow(self.approval)
        self.approval.currentIndexChanged.connect(self._on_edited)
        form.addRow("Require approval", self.approval)
        self.never_for = self._line(form, "", "Tools that need no approval, comma-separated")
        self.headers = QPlainTextEdit()
        self.headers.setPlaceholderText("X-Trace: 1")
        self.headers.setToolTip(
            "Headers sent to the server, one 'Name: value' a line. A credential header "
            "(Authorization, api-key, …) is not kept here: use the secret header below."
        )
        self.headers.setFixedHeight(48)
        self.headers.textChanged.connect(self._on_edited)
        form.addRow("Headers", self.headers)
        self.headers_note = QLabel("")
        self.headers_note.setWordWrap(True)
        self.headers_note.setStyleSheet(f"color: {accent('error').name()};")
        self.headers_note.hide()
        form.addRow("", self.headers_note)
        self.secrets = QLabel("")
        self.secrets.setWordWrap(True)
        form.addRow("Secret headers", self.secrets)
        row = FlowLayout()
        self.secret_name = QLineEdit("Authorization")
        self.secret_name.setAccessibleName("Secret header name")
        self.secret_name.setToolTip("The header's name, e.g. Authorization")
        self.secret_value = QLineEdit()
        self.secret_value.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_value.setPlaceholderText("Bearer …")
        self.secret_value.setToolTip("Stored in the OS keyring; never in the workspace")
        self.secret_value.setAccessibleName("Secret header value")
        self.store_secret = QPushButton("Store in keyring")
        self.store_secret.setToolTip("Keep this header's value in the OS keyring")
        self.store_secret.clicked.connect(self._on_store_secret)
        self.forget_secret = QPushButton("Forget header")
        self.forget_secret.setToolTip("Stop sending this secret header")
        self.forget_secret.clicked.connect(self._on_forget_secret)
        for w in (self.secret_name, self.secret_value, self.store_secret, self.forget_secret):
            row.addWidget(w)
        form.addRow("", row)
        layout.addWidget(self.editor)
        self.auto_approve = QCheckBox("Mocks approve MCP")
        self.auto_approve.setToolTip(
            "Run with mocks approves MCP approval requests by itself (else it stops at them)"
        )
        self.auto_approve.toggled.connect(self._on_auto_toggled)
        layout.addWidget(self.auto_approve)

    def _line(self, form: QFormLayout, label: str, tip: str) -> QLineEdit:
        line = QLineEdit()
        line.setToolTip(tip)
        line.setAccessibleName(label or tip.split(",")[0])
        line.setPlaceholderText(tip if not label else "")
        line.textEdited.connect(self._on_edited)
        form.addRow(label, line)
        return line

    def _refill(self, row: int) -> None:
        self._loading, was = True, self._loading
        self.list.clear()
        for tool in self._tools:
            item = QListWidgetItem(tool.server_label)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if tool.enabled else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.setCurrentRow(row)
        self._show(row)
        self._loading = was

    def _show(self, row: int) -> None:
        self._loading, was = True, self._loading
        tool = self._tools[row] if 0 <= row < len(self._tools) else None
        self.editor.setEnabled(tool is not None)
        self.remove.setEnabled(tool is not None)
        t = tool or McpTool(server_label="")
        self.label.setText(t.server_label)
        self.where.setCurrentIndex(max(0, self.where.findData(t.connector_id)))
        self.url.setText(t.server_url or "")
        self.description.setText(t.server_description or "")
        rule = t.allowed_tools
        names = rule if isinstance(rule, list) else (rule or {}).get("tool_names") or []
        self.allowed.setText(", ".join(names))
        self.read_only.setChecked(isinstance(rule, dict) and rule.get("read_only") is True)
        approval = t.require_approval
        per_tool = isinstance(approval, dict)
        self.approval.setCurrentIndex(self.approval.findData("per_tool" if per_tool else approval))
        never = approval.get("never", {}) if isinstance(approval, dict) else {}
        self.never_for.setText(", ".join(never.get("tool_names") or []))
        self.never_for.setVisible(per_tool)
        self.headers.setPlainText("\n".join(f"{k}: {v}" for k, v in t.headers.items()))
        self._show_secrets(t)
        self._loading = was

    def _show_secrets(self, tool: McpTool) -> None:
        shown = []
        for name in tool.secret_headers:
            entry = secret_entry(tool.server_label, name)
            if entry not in self._stored:
                self._stored[entry] = True  # until the keyring says otherwise
                self.secret_status_requested.emit(entry)
            if self._stored[entry]:
                shown.append(f"{html_text(name)} (from keyring)")
            else:
                color = accent("error").name()
                shown.append(
                    f"{html_text(name)} <span style='color:{color}'>(no value in the keyring: "
                    "type it below and Store in keyring; sent without it until then)</span>"
                )
        self.secrets.setText(", ".join(shown) or "none")

    def _dropped_credentials(self) -> list[str]:
        """Credential headers typed into the plain Headers box (they are not kept there)."""
        lines = (line.partition(":") for line in self.headers.toPlainText().splitlines())
        return [n.strip() for n, sep, _ in lines if sep and is_credential_header(n.strip())]

    def _current(self) -> McpTool | None:
        row = self.list.currentRow()
        return self._tools[row] if 0 <= row < len(self._tools) else None

    def _read(self, tool: McpTool) -> McpTool:
        names = _names(self.allowed.text())
        allowed: Any = names or None
        if self.read_only.isChecked():
            allowed = {"read_only": True, **({"tool_names": names} if names else {})}
        approval: Any = self.approval.currentData()
        if approval == "per_tool":
            approval = {"never": {"tool_names": _names(self.never_for.text())}}
        headers: dict[str, str] = {}
        for line in self.headers.toPlainText().splitlines():
            name, sep, value = line.partition(":")
            if sep and name.strip() and not is_credential_header(name):
                headers[name.strip()] = value.strip()
        connector = self.where.currentData()
        return tool.model_copy(
            update={
                "server_label": self.label.text().strip(),
                "server_url": None if connector else (self.url.text().strip() or None),
                "connector_id": connector,
                "server_description": self.description.text().strip() or None,
                "allowed_tools": allowed,
                "require_approval": approval,
                "headers": headers,
            }
        )

    def _on_edited(self, *_args: object) -> None:
        if self._loading:
            return
        row = self.list.currentRow()
        tool = self._current()
        if tool is None:
            return
        self._tools[row] = self._read(tool)
        dropped = self._dropped_credentials()
        self.headers_note.setText(
            f"{', '.join(dropped)}: a credential is never kept in Headers and is not sent from "
            "here. Store its value as a secret header below (OS keyring)."
        )
        self.headers_note.setVisible(bool(dropped))
        if dropped and not self.secret_value.text():
            self.secret_name.setText(dropped[0])
        new_label = self._tools[row].server_label
        if new_label != tool.server_label:  # the keyring entries follow the label
            for name in tool.secret_headers:
                old, new = secret_entry(tool.server_label, name), secret_entry(new_label, name)
                self.secret_rename_requested.emit(old, new)
        self.never_for.setVisible(self.approval.currentData() == "per_tool")
        self.url.setEnabled(self.where.currentData() is None)
        item = self.list.item(row)
        if item is not None and item.text() != self._tools[row].server_label:
            self._loading = True
            item.setText(self._tools[row].server_label)
            self._loading = False
        self.changed.emit()

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        if self._loading:
            return
        row = self.list.row(item)
        if 0 <= row < len(self._tools):
            checked = item.checkState() == Qt.CheckState.Checked
            self._tools[row] = self._tools[row].model_copy(update={"enabled": checked})
            self.changed.emit()

    def _on_remove_clicked(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._tools):
            del self._tools[row]
            self._refill(min(row, len(self._tools) - 1))
            self.changed.emit()

    def _on_store_secret(self) -> None:
        tool, name = self._current(), self.secret_name.text().strip()
        value = self.secret_value.text()
        if tool is None or not name or not value:
            return
        self.secret_save_requested.emit(secret_entry(tool.server_label, name), value)
        self.secret_value.clear()
        if name not in tool.secret_headers:
            row = self.list.currentRow()
            names = [*tool.secret_headers, name]
            self._tools[row] = tool.model_copy(update={"secret_headers": names})
            self._show_secrets(self._tools[row])
            self.changed.emit()

    def _on_forget_secret(self) -> None:
        tool, name = self._current(), self.secret_name.text().strip()
        if tool is not None and name in tool.secret_headers:
            row = self.list.currentRow()
            names = [n for n in tool.secret_headers if n != name]
            self.secret_delete_requested.emit(secret_entry(tool.server_label, name))
            self._tools[row] = tool.model_copy(update={"secret_headers": names})
            self._show_secrets(self._tools[row])
            self.changed.emit()

    def _on_auto_toggled(self, _on: bool) -> None:
        if not self._loading:
            self.changed.emit()
