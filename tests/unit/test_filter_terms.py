"""Field terms in the filter line: ``label:payments``, ``type: bug``, ``status:"in progress"``."""

from __future__ import annotations

from cspo_desktop.domain.filters import fields_match, split_query


def test_fields_and_free_words_are_told_apart() -> None:
    words, fields = split_query('Pay label: payments type:BUG status:"In progress" foo:bar')
    assert words == ["pay", "foo:bar"]
    assert fields == {"label": ["payments"], "type": ["bug"], "status": ["inprogress"]}


def test_a_field_without_a_value_asks_for_nothing() -> None:
    for text in ("label:", "label:-", 'label:""', "label: '"):
        assert split_query(text)[1] == {}, text


def test_values_match_loosely_and_every_term_must_match() -> None:
    values = {"status": ["in_progress", "In progress"], "label": ["payments", "ios"]}
    assert fields_match({"status": ["inprogress"]}, values)
    assert fields_match({"label": ["pay", "ios"]}, values)
    assert not fields_match({"label": ["android"]}, values)
    assert not fields_match({"goal": ["grow"]}, values)
