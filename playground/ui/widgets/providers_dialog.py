"""Provider profiles: base URL, auth style, query parameters, organization, project, headers;
the key goes to the OS keyring, never into a header."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from playground.core.profiles import ProviderProfile, base_url_problem
from playground.ui.theme import accent
from playground.ui.widgets.common import html_text
from playground.ui.widgets.header_lines import credential_headers, pairs, take_key
from playground.ui.widgets.profile_list import ProfileList
from playground.ui.widgets.profile_options import option_widgets


class ProvidersDialog(QDialog):
    """Edits profiles; asks (by signal) to store, delete or test keys. Opened with open().
    There is no Cancel: edits are kept on closing, by Close, Escape or the title bar alike."""

    profiles_changed = Signal(list)
    """The edited list of ProviderProfile."""
    key_save_requested = Signal(str, str)
    """(profile name, key) to store in the keyring."""
    key_delete_requested = Signal(str)
    """Delete the stored key of this profile."""
    key_rename_requested = Signal(str, str)
    """(old name, new name): a profile was renamed; its stored key moves with it."""
    key_status_requested = Signal(str)
    """Ask whether a key is stored for this profile."""
    test_requested = Signal(object, str)
    """(ProviderProfile, key typed in the field or empty) to test."""

    def __init__(
        self,
        profiles: list[ProviderProfile],
        keyring_note: str,
        parent: QWidget | None = None,
        read_only: str = "",
    ) -> None:
        """`read_only`: why the settings cannot be saved; profiles are then shown, not edited
        (keys still go to the keyring)."""
        super().__init__(parent)
        self.setWindowTitle("Providers")
        self.resize(780, 600)
        self._profiles = [p.model_copy() for p in profiles]
        self._row = -1
        self.read_only = read_only
        self._setup_ui(keyring_note)
        self.list.setCurrentRow(0)

    # -- public ------------------------------------------------------------------------------

    def profiles(self) -> list[ProviderProfile]:
        self._store_form()
        return [p.model_copy() for p in self._profiles]

    def select(self, name: str) -> None:
        for i, p in enumerate(self._profiles):
            if p.name == name:
                self.list.setCurrentRow(i)

    def show_key_status(self, name: str, stored: bool, where: str) -> None:
        current = self._current()
        if current is None or current.name != name:
            return
        self.key_status.setText(f"A key is stored ({where})." if stored else "No key stored.")

    def show_test_result(self, text: str, ok: bool) -> None:
        self.test_result.setText(text)
        self.test_result.setStyleSheet(f"color: {accent('ok' if ok else 'error').name()};")

    # -- private -----------------------------------------------------------------------------

    def _setup_ui(self, keyring_note: str) -> None:
        outer = QVBoxLayout(self)
        self.read_only_note = QLabel(
            "⚠ <b>Profiles cannot be changed here:</b> "
            + html_text(self.read_only)
            + " Keys can still be stored in the keyring."
        )
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setObjectName("banner")
        self.read_only_note.setVisible(bool(self.read_only))
        outer.addWidget(self.read_only_note)
        body = QHBoxLayout()
        left = QVBoxLayout()
        self.list = ProfileList([p.name for p in self._profiles])
        self.list.currentRowChanged.connect(self._on_row_changed)
        left.addWidget(self.list)
        buttons = QHBoxLayout()
        add = self.add = QPushButton("Add")
        add.setToolTip("Add a profile for any OpenAI-compatible server")
        add.clicked.connect(self._on_add_clicked)
        self.remove = QPushButton("Remove")
        self.remove.setToolTip("Remove this profile (built-in profiles stay)")
        self.remove.clicked.connect(self._on_remove_clicked)
        buttons.addWidget(add)
        buttons.addWidget(self.remove)
        left.addLayout(buttons)
        body.addLayout(left, 1)

        form_box = QWidget()
        form = QFormLayout(form_box)
        self.name = QLineEdit()
        self.name.setToolTip("A name for this profile")
        self.name.textEdited.connect(self._on_name_edited)
        form.addRow("Name", self.name)
        self.base_url = QLineEdit()
        self.base_url.setPlaceholderText("https://api.openai.com/v1")
        self.base_url.setToolTip(
            "Base URL of an OpenAI-compatible API (Azure OpenAI, Ollama, "
            "vLLM, LM Studio, …); empty for api.openai.com"
        )
        form.addRow("Base URL", self.base_url)
        self.base_url_problem = QLabel()  # said as it is typed, not only at Test or Run
        self.base_url_problem.setWordWrap(True)
        self.base_url_problem.setStyleSheet(f"color: {accent('error').name()};")
        self.base_url_problem.setVisible(False)
        form.addRow("", self.base_url_problem)
        self.base_url.textChanged.connect(self._on_base_url_changed)
        self.org = QLineEdit()
        self.org.setToolTip("OpenAI-Organization header (optional)")
        form.addRow("Organization", self.org)
        self.project = QLineEdit()
        self.project.setToolTip("OpenAI-Project header (optional)")
        form.addRow("Project", self.project)
        self.auth = QComboBox()
        self.auth.addItem("Authorization: Bearer (OpenAI and most servers)", "bearer")
        self.auth.addItem("api-key header (Azure OpenAI)", "api-key")
        self.auth.setToolTip("How the key from the keyring is sent")
        form.addRow("Send the key as", self.auth)
        self.timeout, self.retries, self.token_name, self.permissive = option_widgets()
        form.addRow("Chat token limit", self.token_name)
        self.query = QPlainTextEdit()
        self.query.setPlaceholderText("api-version=2024-10-21")
        self.query.setToolTip(
            "Query parameters sent with every request, one 'name=value' per line "
            "(Azure OpenAI deployments need api-version)"
        )
        self.query.setFixedHeight(44)
        form.addRow("Query parameters", self.query)
        self.headers = QPlainTextEdit()
        self.headers.setPlaceholderText("Header-Name: value")
        self.headers.setToolTip(
            "Extra HTTP headers, one 'Name: value' per line; never a key (keys go to the keyring)"
        )
        self.headers.setFixedHeight(60)
        self.headers.textChanged.connect(self._on_headers_changed)
        form.addRow("Extra headers", self.headers)
        warning_row = QHBoxLayout()
        warning_row.setContentsMargins(0, 0, 0, 0)
        self.headers_warning = QLabel()
        self.headers_warning.setWordWrap(True)
        self.headers_warning.setStyleSheet(f"color: {accent('error').name()};")
        warning_row.addWidget(self.headers_warning, 1)
        self.move_key = QPushButton("Move to the keyring")
        self.move_key.setToolTip(
            "Take the key out of the headers, store it in the OS keyring and send it "
            "with the matching auth style"
        )
        self.move_key.clicked.connect(self._on_move_key_clicked)
        warning_row.addWidget(self.move_key)
        self.headers_warning_row = QWidget()
        self.headers_warning_row.setLayout(warning_row)
        self.headers_warning_row.hide()
        form.addRow("", self.headers_warning_row)
        form.addRow("Timeout", self.timeout)
        form.addRow("Max retries", self.retries)
        form.addRow("", self.permissive)

        key_row = QHBoxLayout()
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText("sk-…  (stored in the OS keyring, never in a file)")
        self.key.setToolTip("API key; Save key writes it to the OS keyring")
        key_row.addWidget(self.key, 1)
        self.show_key = QPushButton("Show")
        self.show_key.setCheckable(True)
        self.show_key.setToolTip("Show or hide the key you typed")
        self.show_key.toggled.connect(self._on_show_toggled)
        key_row.addWidget(self.show_key)
        save = QPushButton("Save key")
        save.setToolTip("Store this key in the OS keyring")
        save.clicked.connect(self._on_save_key)
        key_row.addWidget(save)
        delete = QPushButton("Delete key")
        delete.setToolTip("Remove this profile's key from the OS keyring")
        delete.clicked.connect(self._on_delete_key)
        key_row.addWidget(delete)
        form.addRow("API key", key_row)
        self.key_status = QLabel()
        form.addRow("", self.key_status)
        note = QLabel(keyring_note)
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {accent('muted').name()};")
        form.addRow("", note)
        test_row = QHBoxLayout()
        self.test = QPushButton("Test connection")
        self.test.setToolTip("List the models this server offers")
        self.test.clicked.connect(self._on_test_clicked)
        test_row.addWidget(self.test)
        test_row.addStretch(1)
        form.addRow("", test_row)
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        form.addRow("", self.test_result)
        body.addWidget(form_box, 3)
        outer.addLayout(body)
        if self.read_only:  # shown, not edited: nothing typed here could be saved
            fields: list[QWidget] = [self.name, self.base_url, self.org, self.project]
            fields += [self.query, self.headers, self.timeout, self.retries, self.permissive]
            fields.append(self.token_name)
            for field in fields:
                field.setEnabled(False)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.close)
        outer.addWidget(box)

    def _current(self) -> ProviderProfile | None:
        return self._profiles[self._row] if 0 <= self._row < len(self._profiles) else None

    def _store_form(self) -> None:
        cur = self._current()
        if cur is None or self.read_only:
            return
        name = self.name.text().strip() or cur.name
        if name != cur.name and any(p.name == name for p in self._profiles):
            name = cur.name  # two profiles with one name would share one keyring entry
            self.name.setText(name)
        # model_validate, not model_copy: validation drops any credential header typed here
        self._profiles[self._row] = ProviderProfile.model_validate(
            {
                **cur.model_dump(),
                "name": name,
                "base_url": self.base_url.text().strip() or None,
                "organization": self.org.text().strip() or None,
                "project": self.project.text().strip() or None,
                "headers": pairs(self.headers.toPlainText(), ":"),
                "auth": self.auth.currentData(),
                "query": pairs(self.query.toPlainText(), "="),
                "timeout": self.timeout.value(),
                "max_retries": self.retries.value(),
                "permissive": self.permissive.isChecked() and cur.kind == "simulator",
                "chat_token_param": self.token_name.currentData(),
            }
        )
        if name != cur.name:
            self.key_rename_requested.emit(cur.name, name)
        self.list.set_name(self._row, self._profiles[self._row].name)

    def _on_row_changed(self, row: int) -> None:
        self._store_form()
        self._row = row
        cur = self._current()
        if cur is None:
            return
        builtin = cur.kind in ("openai", "simulator")
        sim = cur.kind == "simulator"
        self.name.setText(cur.name)
        self.name.setReadOnly(builtin or bool(self.read_only))
        self.base_url.setText(cur.base_url or "")
        self.base_url.setPlaceholderText(
            "built in: runs in this app" if sim else "https://api.openai.com/v1"
        )
        for field in (self.base_url, self.org, self.project, self.query, self.headers):
            field.setReadOnly(sim or bool(self.read_only))  # the simulator sends nothing
        for box in (self.timeout, self.retries):
            box.setReadOnly(sim or bool(self.read_only))
        unused = "not used: the simulator runs in this app" if sim else ""
        for line in (self.org, self.project):
            line.setPlaceholderText(unused)
        self.query.setPlaceholderText(unused or "api-version=2024-10-21")
        self.headers.setPlaceholderText(unused or "Header-Name: value")
        self.org.setText(cur.organization or "")
        self.project.setText(cur.project or "")
        self.headers.setPlainText("\n".join(f"{k}: {v}" for k, v in cur.headers.items()))
        self.auth.setCurrentIndex(max(self.auth.findData(cur.auth), 0))
        self.auth.setEnabled(cur.needs_key and not self.read_only)
        self.query.setPlainText("\n".join(f"{k}={v}" for k, v in cur.query.items()))
        self.timeout.setValue(cur.timeout)
        self.retries.setValue(cur.max_retries)
        self.permissive.setChecked(cur.permissive)
        self.token_name.setCurrentIndex(max(self.token_name.findData(cur.chat_token_param), 0))
        self.permissive.setVisible(sim)  # only the simulator can answer any id
        self.remove.setEnabled(not builtin and not self.read_only)
        self.add.setEnabled(not self.read_only)
        self.key.clear()
        self.key.setEnabled(cur.needs_key)
        self.key_status.setText(
            "The offline simulator needs no key." if not cur.needs_key else "Checking the keyring…"
        )
        self.test_result.clear()
        if cur.needs_key:
            self.key_status_requested.emit(cur.name)

    def _on_name_edited(self, text: str) -> None:
        """The list shows the name as it is typed (it is kept when the field is left)."""
        cur = self._current()
        if cur is not None:
            self.list.set_name(self._row, text.strip() or cur.name)

    def _on_add_clicked(self) -> None:
        if self.read_only:
            return
        self._store_form()
        names = {p.name for p in self._profiles}
        n = 1
        while f"Custom {n}" in names:
            n += 1
        self._profiles.append(
            ProviderProfile(name=f"Custom {n}", base_url="http://localhost:11434/v1")
        )
        self.list.add_name(f"Custom {n}")
        self.list.setCurrentRow(len(self._profiles) - 1)
        self.profiles_changed.emit(self.profiles())

    def _on_remove_clicked(self) -> None:
        cur = self._current()
        if cur is None or cur.kind != "custom" or self.read_only:
            return
        row = self._row
        del self._profiles[row]
        self._row = -1
        self.list.takeItem(row)
        self.list.setCurrentRow(max(row - 1, 0))
        self.profiles_changed.emit(self.profiles())

    def _on_base_url_changed(self, text: str) -> None:
        cur = self._current()
        sim = cur is not None and cur.kind == "simulator"
        problem = None if sim or not text.strip() else base_url_problem(text.strip())
        self.base_url_problem.setText((problem or "")[:1].upper() + (problem or "")[1:])
        self.base_url_problem.setVisible(problem is not None)

    def _on_show_toggled(self, shown: bool) -> None:
        self.key.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.show_key.setText("Hide" if shown else "Show")

    def _on_headers_changed(self) -> None:
        found = credential_headers(self.headers.toPlainText())
        self.headers_warning_row.setVisible(bool(found))
        if found:
            self.headers_warning.setText(
                f"“{found[0]}”: this header carries a key; put the key in the key field, it "
                "goes to the keyring (headers are saved in a file, so it is not kept here)."
            )

    def _on_move_key_clicked(self) -> None:
        """Take the first credential header out of the headers field, pick the auth style
        that sends it the same way, and store its value as this profile's key."""
        taken = take_key(self.headers.toPlainText())
        if taken is None:
            return
        remaining, key, auth = taken
        if auth is not None:
            self.auth.setCurrentIndex(self.auth.findData(auth))
        self.headers.setPlainText(remaining)
        self.key.setText(key)
        self._on_save_key()

    def _on_save_key(self) -> None:
        self._store_form()  # the key goes under the name the profile has now
        cur = self._current()
        if cur is not None and self.key.text().strip():
            self.key_save_requested.emit(cur.name, self.key.text().strip())
            self.key.clear()

    def _on_delete_key(self) -> None:
        cur = self._current()
        if cur is not None:
            self.key_delete_requested.emit(cur.name)

    def _on_test_clicked(self) -> None:
        self._store_form()
        cur = self._current()
        if cur is not None:
            self.test_result.setText("Connecting…")
            self.test_requested.emit(cur, self.key.text().strip())

    def done(self, result: int) -> None:
        """Closing keeps the edits, however the dialog is closed (Close, Escape, the title
        bar): a profile's fields apply as made, as keys do, like a settings window's."""
        if not self.read_only and self.isVisible():
            self.profiles_changed.emit(self.profiles())
        super().done(result)
