"""Logging to a file in the log dir, with keys and Authorization headers redacted."""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

LOG_NAME = "playground.log"
_SECRETS = [
    (re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?bearer\s+)[^\s'\",}]+"), r"\1[redacted]"),
    # any name that says key, token, secret, password or credential, then : or = and a value
    (
        re.compile(
            r"(?i)([\w-]*(?:key|token(?!s)|secret|passw|credential)[\w-]*['\"]?\s*[:=]\s*['\"]?)"
            r"(?!\[redacted\])[^\s'\",}]+"
        ),
        r"\1[redacted]",
    ),
    (re.compile(r"\bsk-[A-Za-z0-9_\-]{8,}"), "sk-[redacted]"),
]
# Keys this process has read from or written to the key store: redacted wherever they appear.
_KNOWN: set[str] = set()


def redact_also(secret: str) -> None:
    """Redact `secret` verbatim from every later log line (the key store calls this)."""
    if len(secret) >= 8:
        _KNOWN.add(secret)


def redact(text: str) -> str:
    """`text` with bearer tokens, values of key/token/secret fields, sk- keys and every key
    the key store has handled replaced by [redacted]."""
    for secret in _KNOWN:
        text = text.replace(secret, "[redacted]")
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Log to log_dir/playground.log (rotated at 1 MB, 3 files kept); returns the path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_NAME
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "playground", False)]:
        root.removeHandler(old)
        old.close()
    handler.playground = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return path


def close_logging() -> None:
    """Detach and close the log file handler."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "playground", False)]:
        root.removeHandler(handler)
        handler.close()
