"""Read a curl command as people paste it: from API docs, a browser's "Copy as cURL" (bash or
Windows cmd), PowerShell, or a shell history.

The options are curl's own (curl(1), "curl.se/docs/manpage.html", checked 2026-11-30): `--json`
sends its argument as the body and sets `Content-Type` and `Accept` to application/json; `-d`,
`--data`, `--data-binary` and `--json` read a file for `@name`, `--data-raw` never does.
Short options may be bundled (`-sSL`) and carry their value attached (`-XPOST`, `-d@body.json`).
Whatever cannot be taken is refused with one reason that names the option and where it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from playground.core.import_profile import shown
from playground.core.shell_words import Separator, ShellSyntaxError, Word, location, split

FileReader = Callable[[str], str]


class CurlRefused(ValueError):
    """The command cannot be imported; the message says what and where."""


# options that take a value, by every name curl accepts
_VALUE = {
    "-d": "data",
    "--data": "data",
    "--data-ascii": "data",
    "--data-binary": "data",
    "--data-raw": "data-raw",
    "--json": "json",
    "--data-urlencode": "urlencode",
    "-F": "form",
    "--form": "form",
    "--form-string": "form",
    "-T": "upload",
    "--upload-file": "upload",
    "-H": "header",
    "--header": "header",
    "-X": "method",
    "--request": "method",
    "--url": "url",
    "-u": "user",
    "--user": "user",
    "--oauth2-bearer": "user",
    "-b": "cookie",
    "--cookie": "cookie",
    "-A": "agent",
    "--user-agent": "agent",
    "-e": "referer",
    "--referer": "referer",
}
# options that take a value the request does not depend on
_IGNORED_VALUE = frozenset(
    [
        "-o",
        "--output",
        "-m",
        "--max-time",
        "--connect-timeout",
        "-w",
        "--write-out",
        "-x",
        "--proxy",
        "--retry",
        "--retry-delay",
        "--retry-max-time",
        "--cacert",
        "--capath",
        "-E",
        "--cert",
        "--key",
        "--cert-type",
        "--key-type",
        "--resolve",
        "--connect-to",
        "--limit-rate",
        "-c",
        "--cookie-jar",
        "--interface",
        "--dns-servers",
        "-r",
        "--range",
        "-Y",
        "--speed-limit",
        "-y",
        "--speed-time",
        "--max-redirs",
        "--trace",
        "--trace-ascii",
        "--stderr",
        "--keepalive-time",
        "--proxy-user",
        "-U",
        "--expect100-timeout",
        "--happy-eyeballs-timeout-ms",
        "-K",
        "--config",
    ]
)
_FLAGS = frozenset(
    [
        "-s",
        "--silent",
        "-S",
        "--show-error",
        "-N",
        "--no-buffer",
        "-v",
        "--verbose",
        "-i",
        "--include",
        "-L",
        "--location",
        "--compressed",
        "-f",
        "--fail",
        "--fail-with-body",
        "-k",
        "--insecure",
        "-g",
        "--globoff",
        "-#",
        "--progress-bar",
        "--http1.0",
        "--http1.1",
        "--http2",
        "--http2-prior-knowledge",
        "--http3",
        "-0",
        "-1",
        "-2",
        "-3",
        "-4",
        "-6",
        "--ipv4",
        "--ipv6",
        "--no-progress-meter",
        "--location-trusted",
        "--raw",
        "--tr-encoding",
        "--tcp-nodelay",
        "--no-keepalive",
        "--no-sessionid",
        "--no-alpn",
        "--no-npn",
        "--path-as-is",
        "--styled-output",
        "-q",
        "--disable",
        "--ssl-no-revoke",
        "--ssl-revoke-best-effort",
        "--tlsv1.2",
        "--tlsv1.3",
        "-Z",
        "--parallel",
        "--fail-early",
        "--show-headers",
        "-sS",
        "-Ss",
    ]
)
_SHORT_VALUE = {name[1] for name in list(_VALUE) + list(_IGNORED_VALUE) if len(name) == 2}
_SHORT_FLAG = {name[1] for name in _FLAGS if len(name) == 2}


@dataclass
class CurlCommand:
    """What a curl command sends: URL, method, headers in order, and the body text."""

    url: str | None = None
    method: str | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str | None = None
    json_option: bool = False
    notes: list[str] = field(default_factory=list)
    credentials: list[str] = field(default_factory=list)


def parse(text: str, read_file: FileReader | None = None) -> CurlCommand:
    """The request a curl command sends. Raises CurlRefused with a located reason."""
    text = text.strip()
    if text.startswith("$ "):
        text = "  " + text[2:]
    try:
        words = split(text)
    except ShellSyntaxError as exc:
        raise CurlRefused(
            f"the curl command cannot be read: {exc} ({location(text, exc.where)})"
        ) from None
    if not words or words[0].text.lower() not in ("curl", "curl.exe"):
        raise CurlRefused("not a curl command: it does not start with curl")
    return _Reader(text, words, read_file or _read_default).read()


def _read_default(path: str) -> str:
    return Path(path).expanduser().read_text(encoding="utf-8")


class _Reader:
    def __init__(self, text: str, words: list[Word], read_file: FileReader) -> None:
        self.text = text
        self.words = words
        self.read_file = read_file
        self.cmd = CurlCommand()
        self.bodies: list[tuple[str, str, Word]] = []

    def where(self, word: Word) -> str:
        return location(self.text, word.start)

    def refuse(self, what: str, word: Word) -> CurlRefused:
        return CurlRefused(f"{what} ({self.where(word)})")

    def read(self) -> CurlCommand:
        i = 1
        words = self.words
        while i < len(words):
            word = words[i]
            tok = word.text
            i += 1
            if isinstance(word, Separator):
                self.cmd.notes.append(
                    f"{tok} ({self.where(word)}): the command ends here; only the first "
                    "command is imported"
                )
                break
            if tok == "--":
                for rest in words[i:]:
                    self.url(rest)
                break
            if tok.startswith("--"):
                name, eq, attached = tok.partition("=")
                if name in _FLAGS or (name.startswith("--no-") and "--" + name[5:] in _FLAGS):
                    continue
                if name in _VALUE or name in _IGNORED_VALUE:
                    if eq:
                        value = attached
                    elif i < len(words):
                        value, i = words[i].text, i + 1
                    else:
                        raise self.refuse(f"curl option {name} needs a value", word)
                    self.option(name, value, word)
                    continue
                self.cmd.notes.append(
                    f"curl option {name} ({self.where(word)}) is not understood; ignored"
                )
                continue
            if tok.startswith("-") and len(tok) > 1:
                i = self.short(tok, word, i)
                continue
            self.url(word)
        return self.finish()

    def short(self, tok: str, word: Word, i: int) -> int:
        """A bundle of short options (`-sSL`, `-XPOST`, `-d@file`); returns the next index."""
        for k in range(1, len(tok)):
            letter = tok[k]
            if letter in _SHORT_FLAG:
                continue
            if letter in _SHORT_VALUE:
                value = tok[k + 1 :]
                if not value:
                    if i >= len(self.words):
                        raise self.refuse(f"curl option -{letter} needs a value", word)
                    value, i = self.words[i].text, i + 1
                self.option("-" + letter, value, word)
                return i
            self.cmd.notes.append(
                f"curl option -{letter} ({self.where(word)}) is not understood; ignored"
            )
        return i

    def url(self, word: Word) -> None:
        if self.cmd.url is None:
            self.cmd.url = word.text
        else:
            self.cmd.notes.append(
                f"URL {shown(word.text)} ({self.where(word)}): only the first URL is imported"
            )

    def option(self, name: str, value: str, word: Word) -> None:
        kind = _VALUE.get(name)
        cmd = self.cmd
        if kind in ("data", "data-raw", "json"):
            self.bodies.append((kind, value, word))
        elif kind == "header":
            head, colon, rest = value.partition(":")
            if value.startswith("@"):
                raise self.refuse(f"curl option {name} {value} reads headers from a file", word)
            if colon:
                cmd.headers.append((head.strip(), rest.strip()))
            elif value.endswith(";"):  # `-H "X-Empty;"` sends an empty header
                cmd.headers.append((value[:-1].strip(), ""))
        elif kind == "method":
            cmd.method = value.upper()
        elif kind == "url":
            self.url(Word(value, word.start))
        elif kind in ("user", "cookie"):
            cmd.credentials.append(f"{name} ({self.where(word)})")
        elif kind == "urlencode":
            raise self.refuse(
                f"curl option {name} sends a URL-encoded form, not a JSON request body", word
            )
        elif kind == "form":
            raise self.refuse(
                f"curl option {name} sends multipart form data (a file upload), not a JSON "
                "request body",
                word,
            )
        elif kind == "upload":
            raise self.refuse(f"curl option {name} uploads a file with PUT, not a request", word)

    def finish(self) -> CurlCommand:
        cmd = self.cmd
        if not self.bodies:
            what = f"{cmd.method} " if cmd.method and cmd.method != "POST" else ""
            raise CurlRefused(
                f"the curl command sends no JSON body: it is a {what}request to "
                f"{shown(cmd.url) if cmd.url else 'no URL'} without -d, --data, --data-raw "
                "or --json"
            )
        if len(self.bodies) > 1:
            second = self.bodies[1][2]
            raise self.refuse(
                "the curl command has more than one body option (curl would join them); "
                "keep one -d or --json",
                second,
            )
        kind, value, word = self.bodies[0]
        if kind != "data-raw" and value.startswith("@"):
            source = value[1:]
            if source == "-":
                raise self.refuse(
                    "the body comes from standard input (@-); paste the JSON instead", word
                )
            try:
                value = self.read_file(source)
            except (OSError, UnicodeDecodeError) as exc:
                reason = getattr(exc, "strerror", None) or "not UTF-8 text"
                raise self.refuse(f"cannot read the body file {source}: {reason}", word) from None
        cmd.body = value
        cmd.json_option = kind == "json"
        if cmd.method not in (None, "POST"):
            cmd.notes.append(
                f"method {cmd.method}: the API takes requests with POST; imported as a POST"
            )
        return cmd
