"""The request options of a provider profile, as the Providers dialog edits them."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QSpinBox


def option_widgets() -> tuple[QDoubleSpinBox, QSpinBox, QComboBox, QCheckBox]:
    """(timeout, max retries, Chat token-limit name, permissive) controls, configured."""
    timeout = QDoubleSpinBox(minimum=1, maximum=3600, value=600, suffix=" s")
    timeout.setToolTip("Request timeout in seconds")
    retries = QSpinBox(minimum=0, maximum=10, value=2)
    retries.setToolTip("How often the SDK retries 408, 409, 429 and 5xx answers")
    token_name = QComboBox()
    token_name.addItem("auto: max_completion_tokens on OpenAI, else max_tokens", "auto")
    token_name.addItem("max_tokens", "max_tokens")
    token_name.addItem("max_completion_tokens", "max_completion_tokens")
    token_name.setToolTip(
        "Chat Completions' name for the output-token limit, for models the catalog does "
        "not know (catalog models use their own)"
    )
    permissive = QCheckBox("Accept any model id (permissive)")
    permissive.setToolTip("The simulator answers any model id, to try custom names")
    return timeout, retries, token_name, permissive
