"""Playground: a desktop playground for the OpenAI API."""

__version__ = "0.1.0"
