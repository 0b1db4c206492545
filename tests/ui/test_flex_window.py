"""Flex in the window: the service tier in the Parameters panel and in the body sent, the
estimate at the catalog's flex price, a model without flex warned about, and flex's
429 Resource Unavailable shown in the user's words with "Run on the default tier"."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QScrollArea

from playground.core import catalog, validation
from playground.core.cost import cost_range
from playground.core.service_tiers import CHAT_TIERS, RESPONSES_TIERS
from playground.core.validation import FLEX_NOT_OFFERED
from playground.core.workspace import Message, Parameters, Workspace
from playground.ui.widgets.request_meter import usd
from playground.ui.widgets.tool_step import ErrorCard
from tests.ui.conftest import App
from tests.ui.test_request_meter import settled

MODEL = "gpt-6-luna"  # offers flex in the catalog


def _open(app: App, model: str = MODEL, tier: str | None = None) -> None:
    app.window.load(
        Workspace(
            profile="Offline simulator",
            model=model,
            messages=[Message(role="user", content="Summarise the report, no hurry.")],
            params=Parameters(service_tier=tier),
        )
    )


def _pick_flex(app: App) -> QComboBox:
    params = app.window.params
    params.advanced.setChecked(True)
    combo = params.control("service_tier")
    assert isinstance(combo, QComboBox)
    params.check("service_tier").setChecked(True)
    combo.setCurrentText("flex")
    return combo


def test_the_panel_offers_every_tier_unset_by_default_and_sends_flex(app: App) -> None:
    _open(app)
    w = app.window
    assert not w.params.check("service_tier").isChecked()  # unset: the server's default
    combo = _pick_flex(app)
    assert [combo.itemText(i) for i in range(combo.count())] == list(RESPONSES_TIERS)
    w.resize(1366, 768)
    w.setup_tabs.setCurrentIndex(0)
    scroll = combo.parentWidget()
    while scroll is not None and not isinstance(scroll, QScrollArea):
        scroll = scroll.parentWidget()
    assert scroll is not None
    scroll.ensureWidgetVisible(combo, 0, 120)
    w.collect()  # the edit is taken in: the Raw pane shows the body that will be sent
    app.qtbot.wait(300)
    app.shot(w, "flex_parameters_1366x768")
    app.run()
    assert app.last_body()["service_tier"] == "flex"
    assert w.collect().params.service_tier == "flex"
    # the run is billed at the tier the response said served it
    factor = catalog.lookup(MODEL).tier_factor("flex")
    assert f"(flex x{factor:g})" in w.status.text()


def test_the_estimate_is_at_the_catalogs_flex_price(app: App) -> None:
    _open(app)
    settled(app)
    meter = app.window.meter
    reading = app.window.token_counter.reading  # type: ignore[union-attr]
    assert reading is not None
    info = catalog.lookup(MODEL)
    standard = cost_range(info, reading.count.tokens, None, None)
    _pick_flex(app)
    settled(app)
    reading = app.window.token_counter.reading  # type: ignore[union-attr]
    assert reading is not None and reading.tier == "flex"
    flex = cost_range(info, reading.count.tokens, None, "flex")
    assert standard is not None and flex is not None and flex != standard
    assert meter.cost.text() == f"{usd(flex[0])}–{usd(flex[1])}"
    factor = info.tier_factor("flex")
    assert f"at the flex tier (x{factor:g})" in meter.cost.toolTip()


def test_a_model_without_flex_is_a_finding(app: App) -> None:
    no_flex = next(m.id for m in catalog.models() if m.known and "flex" not in m.tiers)
    _open(app, no_flex, "flex")
    codes = [f.code for f in validation.validate(app.window.collect())]
    assert FLEX_NOT_OFFERED in codes
    params = app.window.params  # said under the row where the tier is chosen
    app.qtbot.waitUntil(
        lambda: "does not offer flex" in params.reason("service_tier"), timeout=3000
    )
    assert app.window.run_button.isEnabled()  # a warning: the request may still be sent


def test_short_flex_capacity_offers_the_default_tier(app: App) -> None:
    _open(app, tier="flex")
    app.sim.short_of_flex()
    app.run()
    cards = [c for c in app.window.conversation.transient if isinstance(c, ErrorCard)]
    assert len(cards) == 1
    card = cards[0]
    assert "flex processing has no capacity" in card.message.text().lower()
    assert "default tier" in card.buttons["default_tier"].text()
    app.shot(app.window, "flex_unavailable_card")
    sent = len(app.sim.bodies())
    card.buttons["default_tier"].click()
    app.qtbot.waitUntil(lambda: len(app.sim.bodies()) > sent, timeout=5000)
    app.wait_idle()
    assert app.last_body()["service_tier"] == "default"
    assert app.window.collect().params.service_tier == "default"
    assert app.window.conversation.cards[-1].view  # the answer is shown
    view = app.window.current_view
    assert view is not None
    for _ in range(3):  # the answer is a step of its own; the tier change is one undo step
        if view.doc.undo_label == "Run on the default tier":
            break
        view.doc.undo()
    assert view.doc.undo_label == "Run on the default tier"
    view.doc.undo()
    assert view.doc.workspace.params.service_tier == "flex"


def test_chat_offers_the_tiers_chat_takes(app: App) -> None:
    _open(app, tier="flex")
    combo = app.window.params.control("service_tier")
    assert isinstance(combo, QComboBox)
    chat = app.window.collect().model_copy(update={"api": "chat"})
    app.window.load(chat)
    app.qtbot.waitUntil(lambda: combo.count() == len(CHAT_TIERS), timeout=3000)
    assert [combo.itemText(i) for i in range(combo.count())] == list(CHAT_TIERS)
    assert combo.currentText() == "flex"  # the chosen tier stays chosen
    app.window.load(chat.model_copy(update={"api": "responses"}))
    app.qtbot.waitUntil(lambda: combo.count() == len(RESPONSES_TIERS), timeout=3000)
