"""The offline simulator: an OpenAI-compatible HTTP server for people and for tests."""

from playground.services.simulator.scenarios import HttpError, RateLimit, Scenario, ScriptedCall
from playground.services.simulator.server import RecordedRequest, Simulator

__all__ = ["HttpError", "RateLimit", "RecordedRequest", "Scenario", "ScriptedCall", "Simulator"]
