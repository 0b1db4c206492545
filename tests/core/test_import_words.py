"""Importing text that is not a request says so in words, not as a Python syntax error."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playground.core.import_sources import import_text
from playground.core.importer import ImportRefused
from tests.user_words import problems

NOT_A_REQUEST = "this text is not a request: paste a curl command"


def test_plain_text_is_not_a_python_syntax_error() -> None:
    """Pasting prose said "not valid Python at line 1, column 7: invalid syntax"."""
    with pytest.raises(ImportRefused) as refused:
        import_text("Please summarise this article for me.")
    assert str(refused.value).startswith(NOT_A_REQUEST)
    assert "Python at line" not in str(refused.value)


def test_code_meant_as_python_still_names_its_syntax_error() -> None:
    with pytest.raises(ImportRefused, match="not valid Python at line 1"):
        import_text("client.responses.create(model='x'")


words = st.from_regex(r"[A-Za-z]{2,10}", fullmatch=True)
prose = st.lists(words, min_size=2, max_size=12).map(" ".join).map(lambda t: t + ".")


@given(prose)
def test_prose_is_never_read_as_broken_python(text: str) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_text(text)
    said = str(refused.value)
    assert "not valid Python" not in said and problems(said) == []
