"""Opening the Providers dialog from the window, wired to the providers controller."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playground.ui.widgets.providers_dialog import ProvidersDialog

if TYPE_CHECKING:
    from playground.ui.main_window import MainWindow


def open_providers_dialog(window: MainWindow) -> ProvidersDialog:
    """Open the dialog (window-modal) on the current provider; its edits reach the window."""
    providers = window.providers
    dialog = ProvidersDialog(
        window.profiles, providers.keyring_note, window, read_only=window.settings_read_only
    )
    dialog.key_status_requested.connect(providers.request_key_status)
    dialog.key_save_requested.connect(providers.save_key)
    dialog.key_delete_requested.connect(providers.delete_key)
    dialog.key_rename_requested.connect(providers.rename_key)
    dialog.test_requested.connect(providers.test)
    dialog.profiles_changed.connect(window.profiles_edited)
    providers.key_status.connect(dialog.show_key_status)
    providers.test_result.connect(dialog.show_test_result)
    dialog.select(window.provider.currentText())
    dialog.open()
    return dialog
