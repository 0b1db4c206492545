"""The text of a profile's "name: value" header and "name=value" query fields, and the key a
header line may carry (it belongs in the keyring, not in the settings file)."""

from __future__ import annotations

from playground.core.profiles import is_credential_header


def pairs(text: str, sep: str) -> dict[str, str]:
    """'name<sep>value' lines as a dict; lines without `sep` or a name are skipped."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        if sep in line:
            k, v = line.split(sep, 1)
            if k.strip():
                out[k.strip()] = v.strip()
    return out


def credential_headers(text: str) -> list[str]:
    """The names of the header lines in `text` that carry a key, in order."""
    return [n for n in pairs(text, ":") if is_credential_header(n)]


def take_key(text: str) -> tuple[str, str, str | None] | None:
    """Take the first credential header out of the header lines `text`: (the remaining lines,
    the key, the auth style that sends it the same way: "bearer", "api-key" or None to keep
    the current one); None when no line carries a key."""
    headers = pairs(text, ":")
    name = next((n for n in headers if is_credential_header(n)), None)
    if name is None:
        return None
    value, auth = headers[name], None
    if name.lower() == "authorization" and value.lower().startswith("bearer "):
        value, auth = value[7:].strip(), "bearer"
    elif name.lower() == "api-key":
        auth = "api-key"
    lines = [line for line in text.splitlines() if line.split(":", 1)[0].strip() != name]
    return "\n".join(lines), value, auth
