"""What the headless CLI says, as a user at a terminal reads it: settings it could not use, one
line per failure, where a run went, flags that change nothing, hints a CLI user can follow."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.cli_settings import base_url_problem
from playground.services.simulator import Simulator
from tests.e2e.test_cli_keys import cli, workspace

SETTINGS_JSON = ("xdg_config_home", "playground", "settings.json")
SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
    "additionalProperties": False,
}
TOOL = {"name": "get_weather", "strict": True, "parameters": SCHEMA}


def settings_file(home: Path, text: str) -> Path:
    path = home.joinpath(*SETTINGS_JSON)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# -- settings notices ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"schema_version": 99, "profiles": []}', "schema_version 99"),
        (
            '{"schema_version": 1, "profiles": [{"name": "Mine", "timeout": "soon"}]}',
            "profiles.0.timeout",
        ),
        ("{not json", "moved to"),
    ],
)
def test_a_settings_file_the_cli_cannot_use_is_named_once(
    tmp_path: Path, text: str, says: str
) -> None:
    path = settings_file(tmp_path, text)
    proc = cli(tmp_path, "run", workspace(tmp_path), "--profile", "Mine")
    assert proc.returncode == 2
    notes = [line for line in proc.stderr.splitlines() if str(path) in line and says in line]
    assert len(notes) == 1, proc.stderr  # said once, naming the file and what was wrong
    failure = proc.stderr.splitlines()[-1]
    assert failure.startswith("the provider profile 'Mine' given with --profile is not in")
    assert "could not be used as written (see the note above)" in failure
    assert "name one with --profile" not in failure.lower()
    assert not failure.startswith(str(tmp_path))  # the name came from --profile, not the file
    # export reads the settings too, and says so too
    settings_file(tmp_path, text)  # (a file that was not JSON has been moved aside)
    exp = cli(tmp_path, "export", workspace(tmp_path), "--format", "json")
    assert exp.returncode == 0
    assert sum(says in line for line in exp.stderr.splitlines()) == 1, exp.stderr


def test_a_profile_named_by_the_workspace_is_blamed_on_the_workspace(tmp_path: Path) -> None:
    ws = workspace(tmp_path, profile="Gone")
    proc = cli(tmp_path, "run", ws)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"{ws}: the workspace's provider profile 'Gone' is not in")
    assert "Name one with --profile" in proc.stderr
    assert "'OpenAI', 'Offline simulator'" in proc.stderr  # what there is to name
    assert "see the note above" not in proc.stderr  # the settings were fine


# -- one line per failure, and where a run went ------------------------------------------------


def test_a_failed_run_says_its_failure_once(simulator: Simulator, tmp_path: Path) -> None:
    simulator.api_key = "sk-the-right-one"
    proc = cli(
        tmp_path,
        "run",
        workspace(tmp_path),
        "--base-url",
        simulator.base_url,
        env={"OPENAI_API_KEY": "sk-a-wrong-one-123"},
    )
    assert proc.returncode == 4
    assert proc.stderr.count("Incorrect API key provided") == 1, proc.stderr
    assert "run failed" not in proc.stderr
    log = tmp_path / "xdg_state_home" / "playground" / "log" / "playground.log"
    assert "run failed" in log.read_text()  # the log line is in the log file
    assert "sk-a-wrong-one-123" not in log.read_text() + proc.stderr


def test_a_refused_key_names_where_it_came_from(simulator: Simulator, tmp_path: Path) -> None:
    simulator.api_key = "sk-the-right-one"
    ws, url = workspace(tmp_path), simulator.base_url
    env = cli(tmp_path, "run", ws, "--base-url", url, env={"OPENAI_API_KEY": "sk-wrong-one-1"})
    assert "The key from OPENAI_API_KEY was refused" in env.stderr
    named = cli(
        tmp_path,
        "run",
        ws,
        "--base-url",
        url,
        "--api-key-env",
        "MY_KEY",
        env={"MY_KEY": "sk-wrong-one-2"},
    )
    assert "The key from --api-key-env MY_KEY was refused" in named.stderr
    for proc in (env, named):
        assert proc.returncode == 4
        assert "provider profile" not in proc.stderr  # an ad-hoc run has no profile


def test_a_run_says_where_it_went_and_its_response_id(simulator: Simulator, tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    adhoc = cli(tmp_path, "run", ws, "--base-url", simulator.base_url, env={"OPENAI_API_KEY": "k"})
    assert adhoc.returncode == 0, adhoc.stderr
    line = next(x for x in adhoc.stderr.splitlines() if x.startswith("via "))
    assert re.fullmatch(
        rf"via custom endpoint {re.escape(simulator.base_url)} · response resp_\w+", line
    ), line
    settings_file(
        tmp_path,
        json.dumps(
            {"schema_version": 1, "profiles": [{"name": "Mine", "base_url": simulator.base_url}]}
        ),
    )
    named = cli(tmp_path, "run", ws, "--profile", "Mine", "--api-key-env", "K", env={"K": "k"})
    assert named.returncode == 0, named.stderr
    assert f"via profile 'Mine' at {simulator.base_url} · response resp_" in named.stderr
    chat = cli(
        tmp_path,
        "run",
        workspace(tmp_path, api="chat"),
        "--profile",
        "Mine",
        "--api-key-env",
        "K",
        env={"K": "k"},
    )
    assert re.search(r"^via profile 'Mine' at \S+ · completion \S+$", chat.stderr, re.M)


def test_timing_without_streaming_is_the_total_only(tmp_path: Path) -> None:
    proc = cli(tmp_path, "run", workspace(tmp_path, profile="Offline simulator"), "--no-stream")
    assert proc.returncode == 0, proc.stderr
    timing = next(x for x in proc.stderr.splitlines() if x.startswith("timing:"))
    assert re.fullmatch(r"timing: total \d+ ms", timing), timing


def test_the_output_limit_note_names_what_a_cli_user_can_do(tmp_path: Path) -> None:
    ws = workspace(tmp_path, profile="Offline simulator", params={"max_output_tokens": 16})
    proc = cli(tmp_path, "run", ws)
    assert proc.returncode == 5
    assert (
        "stopped at the output-token limit: the answer is partial (raise max_output_tokens "
        "in the workspace, or use Continue in the window)" in proc.stderr
    )


# -- arguments checked up front --------------------------------------------------------------


@pytest.mark.parametrize("url", ["http://localhost:99999/v1", "http://localhost:port/v1"])
def test_a_port_out_of_range_is_named_as_such(url: str) -> None:
    assert base_url_problem(url) == (
        f"--base-url: the base URL “{url}” has a port that is not a number from 1 to 65535, "
        "e.g. http://localhost:8000/v1"
    )


@pytest.mark.parametrize("url", ["notaurl", "ftp://host/v1", "http://", "localhost:8000/v1"])
def test_a_base_url_that_is_no_url_is_refused_at_once(tmp_path: Path, url: str) -> None:
    proc = cli(tmp_path, "run", workspace(tmp_path), "--base-url", url, env={"OPENAI_API_KEY": "k"})
    assert proc.returncode == 2
    said = proc.stderr.strip()
    assert said.startswith(f"--base-url: the base URL “{url}” ") and "\n" not in said
    assert said.endswith("e.g. http://localhost:8000/v1")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_base_url_check_accepts_exactly_http_urls_with_a_host(text: str) -> None:
    from urllib.parse import urlsplit

    problem = base_url_problem(text)
    try:
        parts = urlsplit(text)
        good = parts.scheme in ("http", "https") and bool(parts.hostname)
        good = good and parts.port != 0 and not any(c.isspace() for c in text)
        good = good and "%20" not in parts.netloc
    except ValueError:
        good = False
    assert (problem is None) == (good or not text.strip())
    if problem is not None:
        assert problem.startswith(f"--base-url: the base URL “{text}” ")


@given(
    st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z][a-z0-9-]{0,20}(\.[a-z]{2,5}){0,2}", fullmatch=True),
    st.one_of(st.none(), st.integers(1, 65535)),
    st.from_regex(r"(/[a-z0-9]{1,8}){0,3}", fullmatch=True),
)
def test_every_http_url_with_a_host_is_a_base_url(
    scheme: str, host: str, port: int | None, path: str
) -> None:
    url = f"{scheme}://{host}{'' if port is None else f':{port}'}{path}"
    assert base_url_problem(url) is None


def test_a_taken_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = cli(tmp_path, "simulator", "--port", str(port))
    assert proc.returncode == 2
    assert proc.stderr == (
        f"port {port} on 127.0.0.1 is in use; pick another with --port, or --port 0 for any "
        "free port\n"
    )


def test_an_unreadable_import_source_is_said_in_words(tmp_path: Path) -> None:
    proc = cli(tmp_path, "import", str(tmp_path / "nonexistent"))
    assert proc.returncode == 2
    assert proc.stderr == f"{tmp_path / 'nonexistent'}: cannot read: No such file or directory\n"
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    proc = cli(tmp_path, "import", str(binary))
    assert proc.returncode == 2 and proc.stderr == f"{binary}: cannot read: not UTF-8 text\n"


# -- export flags that change nothing --------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "args", "note"),
    [
        (
            {"output_format": {"type": "json_schema", "name": "City", "json_schema": SCHEMA}},
            ("--format", "curl", "--pydantic"),
            "note: --pydantic is for Python (--format python or python-sync); curl ignores it",
        ),
        (
            {},
            ("--pydantic",),
            "note: --pydantic: the workspace has no json_schema output format; ignored",
        ),
        (
            {"tools": [TOOL]},
            ("--format", "json", "--tool-loop"),
            "note: --tool-loop is for Python (--format python or python-sync); json ignores it",
        ),
        ({}, ("--tool-loop",), "note: --tool-loop: the workspace has no enabled tools; ignored"),
    ],
)
def test_export_says_when_a_flag_changes_nothing(
    tmp_path: Path, fields: dict[str, object], args: tuple[str, ...], note: str
) -> None:
    ws = workspace(tmp_path, **fields)
    proc = cli(tmp_path, "export", ws, *args)
    assert proc.returncode == 0
    assert proc.stderr.splitlines() == [note]
    plain = [a for a in args if a not in ("--pydantic", "--tool-loop")]
    assert proc.stdout == cli(tmp_path, "export", ws, *plain).stdout  # and it changed nothing


def test_export_flags_that_apply_say_nothing(tmp_path: Path) -> None:
    ws = workspace(
        tmp_path,
        api="chat",
        model="gpt-5.4",  # takes function tools on Chat with its default settings
        tools=[TOOL],
        output_format={"type": "json_schema", "name": "City", "json_schema": SCHEMA},
    )
    for flag in ("--pydantic", "--tool-loop"):
        proc = cli(tmp_path, "export", ws, flag)
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr


def test_an_import_that_cannot_be_written_is_said_in_words(tmp_path: Path) -> None:
    src = tmp_path / "body.json"
    src.write_text(json.dumps({"model": "gpt-4o", "input": "hi"}))
    proc = cli(tmp_path, "import", str(src), "-o", str(tmp_path))  # a folder
    assert proc.returncode == 2
    assert proc.stderr == f"{tmp_path}: cannot write: Is a directory\n"


def test_add_profile_leaves_keys_an_older_version_stored_for_the_window_to_move(
    tmp_path: Path,
) -> None:
    secret = "c0ffee11c0ffee11c0ffee11c0ffee11"
    text = json.dumps(
        {"schema_version": 1, "profiles": [{"name": "Old", "headers": {"api-key": secret}}]}
    )
    path = settings_file(tmp_path, text)
    src = tmp_path / "azure.sh"
    src.write_text(
        'curl "https://contoso.openai.azure.com/openai/v1/responses" '
        """--json '{"model": "gpt-4o", "input": "hi"}'\n"""
    )
    proc = cli(tmp_path, "import", str(src), "-o", str(tmp_path / "ws.json"), "--add-profile")
    assert proc.returncode == 2
    assert path.read_text() == text  # the key is not dropped before it reaches the keyring
    assert "holds keys in extra headers (Old: api-key)" in proc.stderr
    assert secret not in proc.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--port", "70000"), "argument --port: '70000' is not a port (0 to 65535)"),
        (("--host", "nohost.invalid"), "cannot listen on nohost.invalid port 0: "),
    ],
)
def test_a_simulator_that_cannot_listen_says_why_in_one_line(
    tmp_path: Path, args: tuple[str, ...], says: str
) -> None:
    proc = cli(tmp_path, "simulator", *args)
    assert proc.returncode == 2
    assert says in proc.stderr and "Traceback" not in proc.stderr
    if args[0] == "--host":
        assert len(proc.stderr.splitlines()) == 1, proc.stderr


def test_an_unreadable_stream_suggests_a_flag_the_cli_has(
    simulator: Simulator, tmp_path: Path
) -> None:
    from playground.services.simulator import Scenario
    from tests.services.test_real_streams import keep_alive_stream

    simulator.enqueue(Scenario(raw_sse=keep_alive_stream()))
    ws = workspace(tmp_path, api="chat")
    proc = cli(tmp_path, "run", ws, "--base-url", simulator.base_url, env={"OPENAI_API_KEY": "k"})
    assert proc.returncode == 4
    failure = proc.stderr.splitlines()[-1]
    assert failure.endswith("Run again, or run with --no-stream."), failure
    assert "turn streaming off" not in proc.stderr


def test_a_refused_openai_key_on_the_openai_profile_names_the_variable(
    simulator: Simulator, tmp_path: Path
) -> None:
    simulator.api_key = "sk-the-right-one"
    proc = cli(
        tmp_path,
        "run",
        workspace(tmp_path),
        "--profile",
        "OpenAI",
        "--base-url",
        simulator.base_url,
        env={"OPENAI_API_KEY": "sk-wrong-one-3"},
    )
    assert proc.returncode == 4
    assert f"via profile 'OpenAI' at {simulator.base_url}" in proc.stderr
    assert "The key from OPENAI_API_KEY was refused" in proc.stderr
    assert "Check the API key of this provider profile" not in proc.stderr


@pytest.mark.parametrize("fmt", ["python", "python-sync", "curl"])
def test_export_never_sends_a_missing_profiles_request_to_openai(tmp_path: Path, fmt: str) -> None:
    """A workspace made for an endpoint this machine has no profile for (an Azure import on
    another machine): its code would call api.openai.com; export says so and writes nothing.
    The JSON body names no endpoint, and --profile picks a stored one."""
    ws = workspace(tmp_path, profile="Azure contoso", api="chat", model="gpt4o")
    proc = cli(tmp_path, "export", ws, "--format", fmt)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "the provider profile 'Azure contoso' of" in proc.stderr
    assert "--profile NAME" in proc.stderr
    assert cli(tmp_path, "export", ws, "--format", "json").returncode == 0
    chosen = cli(tmp_path, "export", ws, "--format", fmt, "--profile", "OpenAI")
    assert chosen.returncode == 0 and "gpt4o" in chosen.stdout
    gone = cli(tmp_path, "export", ws, "--format", fmt, "--profile", "Nope")
    assert gone.returncode == 2 and "'Nope' given with --profile" in gone.stderr
