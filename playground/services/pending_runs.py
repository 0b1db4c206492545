"""Background runs that are still going, kept in a file so the app picks them up again after
it restarts: each one's response id, the provider profile it ran on, the workspace tab it
belongs to, the number of that tab's messages the run answers (its answer goes after them;
a partial answer kept at quit is replaced when the run is picked up), and the last sequence
number of its stream the app saw.

The file is JSON (`{"schema_version": 1, "runs": [...]}`), written atomically and privately
(services/files.atomic_write). A file from a newer version, or one that cannot be read, is
never overwritten: `load` gives no runs and `save` refuses (the run ids stay on the server
for the API's roughly ten minutes of background storage, the background guide says).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from playground.services.files import atomic_write

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class PendingRun:
    """One background response the app is following."""

    response_id: str
    profile: str
    tab: str = ""
    last_sequence: int = -1
    answers: int = -1
    """How many of the tab's messages the run answers (-1: not known)."""


class PendingRuns:
    """The pending background runs at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._readable = True

    def load(self) -> list[PendingRun]:
        """The runs in the file ([] when there is none, or it cannot be read)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError):
            self._readable = False
            return []
        if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
            self._readable = False
            return []
        runs = []
        for entry in data.get("runs") or []:
            if not isinstance(entry, dict) or not isinstance(entry.get("response_id"), str):
                continue
            runs.append(
                PendingRun(
                    entry["response_id"],
                    str(entry.get("profile") or ""),
                    str(entry.get("tab") or ""),
                    int(entry.get("last_sequence", -1)),
                    int(entry.get("answers", -1)),
                )
            )
        return runs

    def save(self, runs: list[PendingRun]) -> None:
        """Write `runs`; OSError when the file is one this version must not overwrite."""
        if not self._readable:
            raise OSError(f"{self.path} was written by another version; it is left as it is")
        text = json.dumps(
            {"schema_version": SCHEMA_VERSION, "runs": [asdict(r) for r in runs]}, indent=1
        )
        atomic_write(self.path, text, private=True)

    def add(self, run: PendingRun) -> None:
        self.save([r for r in self.load() if r.response_id != run.response_id] + [run])

    def seen(self, response_id: str, last_sequence: int) -> None:
        """Record the last sequence number seen of a run's stream."""
        self.save(
            [
                replace(r, last_sequence=last_sequence) if r.response_id == response_id else r
                for r in self.load()
            ]
        )

    def remove(self, response_id: str) -> None:
        self.save([r for r in self.load() if r.response_id != response_id])
