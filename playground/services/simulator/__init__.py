"""The offline simulator: an OpenAI-compatible HTTP server for people and for tests."""

from playground.services.simulator.scenarios import HttpError, Scenario, ScriptedCall
from playground.services.simulator.server import RecordedRequest, Simulator

__all__ = ["HttpError", "RecordedRequest", "Scenario", "ScriptedCall", "Simulator"]
