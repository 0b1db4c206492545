"""The tester's fault in the window: answered on one profile with a reasoning model (store on,
Send everything), then switched to a profile on another server, Run succeeds: the reasoning
item that server never stored is left out and the findings say so."""

from __future__ import annotations

from playground.core.profiles import ProviderProfile
from playground.core.reasoning_items import ELSEWHERE, is_reasoning
from playground.core.workspace import Message, Workspace
from playground.services.simulator import Simulator
from tests.ui.conftest import App


def test_switching_to_another_server_leaves_its_reasoning_out(app: App) -> None:
    w = app.window
    w.load(Workspace(profile="Offline simulator", model="gpt-6-luna",
                     messages=[Message(content="What is the weather in Paris?")]))  # fmt: skip
    app.run()
    kept = [m for m in w.ws.messages if is_reasoning(m.item)]
    assert len(kept) == 1 and kept[0].answered_by == "Offline simulator"
    with Simulator(speed=None) as other:
        second = ProviderProfile(name="Second sim", kind="custom", base_url=other.base_url)
        w.set_profiles([*w.profiles, second])
        w._on_profiles_changed(w.profiles)
        app.pg.providers.save_key("Second sim", "sk-second")
        app.qtbot.waitUntil(lambda: ("playground-openai", "Second sim") in app.keyring.items)
        ws = w.ws
        w.load(ws.model_copy(update={"messages": [*ws.messages, Message(content="And Rome?")]}))
        w.provider.setCurrentText("Second sim")
        app.qtbot.waitUntil(lambda: any(f.code == ELSEWHERE for f in w.findings), timeout=3000)
        said = [f.message for f in w.findings if f.code == ELSEWHERE]
        assert said[0].startswith("1 reasoning item came from another server than 'Second sim'")
        w.run()
        app.qtbot.waitUntil(lambda: bool(other.requests), timeout=5000)
        app.wait_idle()
        body = other.bodies()[-1]
        assert [i.get("type", "message") for i in body["input"]] == [
            "message", "message", "message"
        ]  # fmt: skip
        answer = w.conversation.cards[-1].message()
        assert answer.role == "assistant" and "Simulated answer" in answer.text
        assert w.ws.messages[-1].response_id  # answered: no failure card
