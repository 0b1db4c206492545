"""A request body written the ways people paste it: curl for bash, cmd and PowerShell, and Python.

The bash and cmd quoting are ports of Chrome DevTools' "Copy as cURL" escapers
(`escapeStringPosix` and `escapeStringWin` in front_end/panels/network/NetworkLogView.ts,
checked 2026-11-30), so the tests read what browsers really write.
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

from hypothesis import strategies as st

from playground.core.pysource import call, flat

URLS = {
    "chat": "https://api.openai.com/v1/chat/completions",
    "responses": "https://api.openai.com/v1/responses",
}


def chrome_posix(text: str, force_ansi: bool = False) -> str:
    """Chrome's escapeStringPosix: `$'...'` when the text has a quote or control character."""
    if force_ansi or re.search(r"[\x00-\x1f\x7f-\x9f!]|'", text):
        escaped = (
            text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
        )
        escaped = re.sub(r"[\x00-\x1f\x7f-\x9f!]", lambda m: f"\\u{ord(m.group()):04x}", escaped)
        return "$'" + escaped + "'"
    return "'" + text + "'"


def chrome_win(text: str) -> str:
    """Chrome's escapeStringWin: `^"..."^` with every unsure character caret-escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(r"[^a-zA-Z0-9\s_\-:=+~'/.',?;()*`&]", lambda m: "^" + m.group(), escaped)
    escaped = re.sub(r"%(?=[a-zA-Z0-9_])", "%^", escaped)
    escaped = re.sub(r"\r?\n", "^\n\n", escaped)
    return '^"' + escaped + '^"'


def bash_double(text: str) -> str:
    return '"' + re.sub(r'([\\"$`])', r"\\\1", text) + '"'


def powershell_single(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


QUOTERS = {
    "bash": shlex.quote,
    "bash-ansi": lambda t: chrome_posix(t, force_ansi=True),
    "chrome-bash": chrome_posix,
    "bash-double": bash_double,
    "cmd": chrome_win,
    "powershell": powershell_single,
}
CONTINUATION = {"cmd": " ^\n  ", "powershell": " `\n  "}


@st.composite
def curl_commands(draw: st.DrawFn, body: dict[str, Any], api: str) -> str:
    """`body` as a curl command in a drawn dialect, option spelling and order."""
    style = draw(st.sampled_from(sorted(QUOTERS)))
    q = QUOTERS[style]
    data = json.dumps(
        body, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 2]))
    )
    url = URLS[api]
    body_opt = draw(st.sampled_from(["-d", "--data", "--data-raw", "--data-binary", "--json"]))
    parts = [
        q(url) if draw(st.booleans()) else "--url " + q(url),
        draw(st.sampled_from(["-H", "--header"])) + " " + q("Content-Type: application/json"),
        "-H "
        + q(
            "Authorization: Bearer $OPENAI_API_KEY"
            if style != "cmd"
            else "Authorization: Bearer %OPENAI_API_KEY%"
        ),
        f"{body_opt} {q(data)}",
    ]
    extras = draw(
        st.lists(
            st.sampled_from(
                [
                    "-X POST",
                    "--request POST",
                    "-XPOST",
                    "-sS",
                    "--compressed",
                    "--location",
                    "-N",
                    "-L",
                ]
            ),
            max_size=3,
        )
    )
    for extra in extras:
        parts.insert(draw(st.integers(0, len(parts))), extra)
    exe = "curl.exe" if style == "powershell" and draw(st.booleans()) else "curl"
    glue = CONTINUATION.get(style, draw(st.sampled_from([" ", " \\\n  "])))
    return exe + " " + glue.join(parts)


@st.composite
def python_calls(draw: st.DrawFn, body: dict[str, Any], api: str) -> str:
    """`body` as an SDK call in a drawn form: direct keywords, **dict, dict(...), wrappers."""
    method = "chat.completions" if api == "chat" else "responses"
    wrapper = draw(st.sampled_from(["", "with_raw_response.", "with_streaming_response."]))
    client = draw(st.sampled_from(["client", "oai", "openai_client"]))
    asynchronous = draw(st.booleans())
    cls = "AsyncOpenAI" if asynchronous else "OpenAI"
    form = draw(st.sampled_from(["keywords", "dict-literal", "dict-call", "names"]))
    target = f"{client}.{method}.{wrapper}create"
    pre = ""
    if form == "keywords":
        invocation = call(target, body)
    elif form == "dict-literal":
        pre = f"params = {flat(body)}\n"
        invocation = f"{target}(**params)"
    elif form == "dict-call":
        pre = "params = " + call("dict", body, explode=False) + "\n"
        invocation = f"{target}(**params)"
    else:
        names = {k: f"v_{k}" for k in body}
        pre = "".join(f"{names[k]} = {flat(v)}\n" for k, v in body.items())
        invocation = f"{target}(" + ", ".join(f"{k}={names[k]}" for k in body) + ")"
    head = f"from openai import {cls}\n\n{client} = {cls}()\n"
    if asynchronous:
        body_src = pre + f"response = await {invocation}\n"
        indented = "".join("    " + line + "\n" for line in body_src.split("\n") if line)
        return head + "\n\nasync def main():\n" + indented
    return head + pre + f"response = {invocation}\n"
