#!/usr/bin/env bash
# Run a command with an unlocked gnome-keyring (the real Secret Service) in this D-Bus session.
# Use under dbus-run-session:  dbus-run-session -- bash tests/with-keyring.sh CMD...
set -eu
if command -v gnome-keyring-daemon >/dev/null 2>&1 && [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
    eval "$(echo -n pass | gnome-keyring-daemon --unlock --components=secrets --daemonize)"
    export GNOME_KEYRING_CONTROL
fi
exec "$@"
