"""Estimation scales and Definition of Ready rules: pure rules, no Qt, no SQL."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cspo_desktop.domain.errors import InvalidInput
from cspo_desktop.domain.estimation import (
    DEFAULT_TSHIRT_POINTS,
    FIBONACCI_POINTS,
    MAX_POINTS,
    MAX_VALUES,
    MIN_VALUES,
    EstimationScale,
    ScaleKind,
    format_points,
    parse_custom_values,
    point_label,
    validate_sizes,
)
from cspo_desktop.domain.readiness import (
    DEFAULT_MAX_POINTS,
    RULE_LABELS,
    ItemFacts,
    ReadyRules,
    check_max_points,
    describe_change,
    reasons_not_ready,
)

# ---------------------------------------------------------------- custom scale parser


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("1, 2, 3, 5, 8", (1, 2, 3, 5, 8)),
        ("8 5 3 2 1", (1, 2, 3, 5, 8)),
        ("0;0.5;1", (0, 0.5, 1)),
        ("½, 1, 2", (0.5, 1, 2)),
        ("  1 ·  2 ·4 ", (1, 2, 4)),
        ("1,\t2,\n3", (1, 2, 3)),
        (".5, 2.", (0.5, 2)),
        ("0, 10000", (0, 10_000)),
    ],
)
def test_custom_values_are_read_and_sorted(text: str, values: tuple[float, ...]) -> None:
    assert parse_custom_values(text) == tuple(float(v) for v in values)


def test_bad_words_and_negative_numbers_are_all_named() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_custom_values("3, x, -1")
    message = str(caught.value)
    assert "“x” is not a number" in message
    assert "“-1” is negative" in message
    assert "e.g. 1, 2, 3, 5, 8" in message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "Type the values"),
        ("  , ;", "Type the values"),
        ("1, 1.0, 2", "1 appears more than once"),
        ("2, 3, 2, 3", "2 and 3 appear more than once"),
        ("5", f"at least {MIN_VALUES} values"),
        ("1, 20000", "at most 10,000"),
        ("1, inf", "“inf” is not a number"),
        ("1, nan", "“nan” is not a number"),
        ("1, 1e3", "“1e3” is not a number"),
        ("1, +2", "“+2” is not a number"),
        ("1, ٣", "“٣” is not a number"),  # Arabic-Indic three: digits are ASCII only
        ("1, 2, \N{MINUS SIGN}3", "“\N{MINUS SIGN}3” is negative"),
        ("one, two", "“one” and “two” are not numbers"),
        (", ".join(str(n) for n in range(MAX_VALUES + 1)), f"at most {MAX_VALUES} values"),
    ],
)
def test_bad_custom_values_are_refused_with_a_reason(text: str, words: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(words)):
        parse_custom_values(text)


SEPARATORS = st.sampled_from([", ", ",", ";", " ", " · ", ",\t", "\n"])
POINTS = st.decimals(min_value=0, max_value=MAX_POINTS, places=2, allow_nan=False).map(float)


@given(
    st.lists(POINTS, min_size=MIN_VALUES, max_size=MAX_VALUES, unique=True),
    SEPARATORS,
)
def test_typed_numbers_come_back_sorted(values: list[float], sep: str) -> None:
    text = sep.join(format_points(v) for v in values)
    assert parse_custom_values(text) == tuple(sorted(values))


@given(st.text(max_size=60))
@example("3, x, -1")
@example("½ ½")
@example("0.0, 0")
@example("1e309, 2")
def test_any_text_is_a_valid_scale_or_a_readable_refusal(text: str) -> None:
    refusal = ""
    values: tuple[float, ...] = ()
    try:
        values = parse_custom_values(text)
    except InvalidInput as exc:
        refusal = str(exc)
    if refusal:
        assert "Traceback" not in refusal
        return
    assert MIN_VALUES <= len(values) <= MAX_VALUES
    assert list(values) == sorted(set(values))
    assert all(math.isfinite(v) and 0 <= v <= MAX_POINTS for v in values)


# ---------------------------------------------------------------- T-shirt sizes


def test_the_default_tshirt_table() -> None:
    scale = EstimationScale.tshirt()
    assert list(scale.sizes) == [("XS", 1), ("S", 2), ("M", 3), ("L", 5), ("XL", 8)]
    assert list(scale.values) == [1, 2, 3, 5, 8]
    assert scale.describe() == "XS 1 · S 2 · M 3 · L 5 · XL 8"
    assert scale.label(3) == "M"
    assert scale.label(4) == "4"
    assert scale.label(None) == ""
    assert scale.choices()[0] == ("XS", 1)


@pytest.mark.parametrize(
    ("sizes", "words"),
    [
        ([("S", 2), ("M", 2)], r"M \(2\) is not more than S \(2\)"),
        ([("S", 3), ("M", 2)], "is not more than"),
        ([("S", 1), (" ", 2)], "needs a name"),
        ([("M", 1), ("m", 2)], "twice"),
        ([("S", 1), ("ExtraExtraLarge", 2)], "at most 12 characters"),
        ([("S", -1), ("M", 2)], "between 0 and"),
        ([("S", math.nan), ("M", 2)], "between 0 and"),
        ([("M", 3)], "at least 2 sizes"),
    ],
)
def test_bad_tshirt_tables_are_refused(sizes: list[tuple[str, float]], words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        validate_sizes(sizes)


def test_size_names_are_kept_as_typed() -> None:
    assert validate_sizes([(" s", 1), ("Médium ✓", 2)]) == ((" s", 1), ("Médium ✓", 2))


# ---------------------------------------------------------------- storing a scale


def test_fibonacci_is_stored_as_empty_text() -> None:
    scale = EstimationScale.fibonacci()
    assert scale.to_stored() == ""
    assert scale.values == tuple(float(v) for v in FIBONACCI_POINTS)
    assert scale.describe() == "0 · ½ · 1 · 2 · 3 · 5 · 8 · 13 · 20 · 40 · 100"
    assert EstimationScale.from_stored("fibonacci", "") == scale


def test_stored_forms_are_readable_json() -> None:
    assert EstimationScale.custom([8, 0.5, 2]).to_stored() == "[0.5, 2, 8]"
    tshirt = EstimationScale.tshirt()
    assert tshirt.to_stored() == '{"XS": 1, "S": 2, "M": 3, "L": 5, "XL": 8}'
    assert EstimationScale.from_stored("tshirt", tshirt.to_stored()) == tshirt


@given(st.lists(POINTS, min_size=MIN_VALUES, max_size=MAX_VALUES, unique=True))
def test_custom_scales_round_trip(values: list[float]) -> None:
    scale = EstimationScale.custom(values)
    assert EstimationScale.from_stored("custom", scale.to_stored()) == scale
    assert parse_custom_values(scale.typed()) == scale.values


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("custom", "not json", EstimationScale.default(ScaleKind.CUSTOM)),
        ("custom", '["a", 1]', EstimationScale.default(ScaleKind.CUSTOM)),
        ("custom", "[1, 1]", EstimationScale.default(ScaleKind.CUSTOM)),
        ("custom", "[true, 2]", EstimationScale.default(ScaleKind.CUSTOM)),
        ("tshirt", "[1, 2]", EstimationScale.tshirt()),
        ("tshirt", '{"S": 3, "M": 1}', EstimationScale.tshirt()),
        ("tshirt", "", EstimationScale.tshirt()),
        ("planning-poker", "[1, 2]", EstimationScale.fibonacci()),
    ],
)
def test_unreadable_stored_scales_fall_back_to_the_default(
    kind: str, text: str, expected: EstimationScale
) -> None:
    assert EstimationScale.from_stored(kind, text) == expected


def test_points_read_as_a_po_writes_them() -> None:
    assert point_label(0.5) == "½"
    assert point_label(13) == "13"
    assert DEFAULT_TSHIRT_POINTS["XL"] == 8


# ---------------------------------------------------------------- Definition of Ready


def test_every_rule_is_on_by_default_with_a_limit_of_eight() -> None:
    rules = ReadyRules()
    assert rules.max_points == DEFAULT_MAX_POINTS == 8
    assert rules.active() == list(RULE_LABELS)
    assert ReadyRules.from_row((1, 1, 8, 1, 1, 1)) == rules


def test_rules_switch_one_at_a_time() -> None:
    rules = ReadyRules().with_rule("needs_estimate", False).with_rule("max_points", None)
    assert not rules.is_on("needs_estimate")
    assert not rules.is_on("max_points")
    assert ReadyRules.from_row((1, 0, None, 1, 1, 1)) == rules
    with pytest.raises(InvalidInput):
        rules.with_rule("be_nice", True)
    with pytest.raises(InvalidInput):
        rules.with_rule("max_points", True)


@pytest.mark.parametrize(
    ("old", "new", "text"),
    [
        (ReadyRules(), ReadyRules(needs_estimate=False), "Turn off ready rule 'Estimated'"),
        (ReadyRules(not_blocked=False), ReadyRules(), "Turn on ready rule 'Not blocked'"),
        (
            ReadyRules(),
            ReadyRules(max_points=None),
            "Turn off ready rule 'Not bigger than 8 points'",
        ),
        (
            ReadyRules(max_points=None),
            ReadyRules(max_points=13),
            "Turn on ready rule 'Not bigger than 13 points'",
        ),
        (ReadyRules(), ReadyRules(max_points=5), "Set ready size limit to 5 points"),
        (ReadyRules(), ReadyRules(False, False), "Change Definition of Ready"),
    ],
)
def test_a_change_of_rules_is_named_for_undo(old: ReadyRules, new: ReadyRules, text: str) -> None:
    assert describe_change(old, new) == text


@pytest.mark.parametrize("limit", [0, -1, 1001])
def test_a_size_limit_out_of_range_is_refused(limit: int) -> None:
    with pytest.raises(InvalidInput, match="between 1 and 1,000"):
        check_max_points(limit)


def test_reasons_follow_the_rules_that_are_on() -> None:
    item = ItemFacts(
        criteria=0, points=13, open_questions=2, unfinished_dependencies=1, blocked=True
    )
    assert reasons_not_ready(ReadyRules(), item) == [
        "No acceptance criteria",
        "Bigger than 8 points (13): split it",
        "2 open questions",
        "Depends on 1 unfinished item",
        "Blocked",
    ]
    assert reasons_not_ready(ReadyRules(), ItemFacts()) == [
        "No acceptance criteria",
        "Not estimated",
    ]
    off = ReadyRules(False, False, None, False, False, False)
    assert reasons_not_ready(off, item) == []
    ready = ItemFacts(criteria=3, points=5)
    assert reasons_not_ready(ReadyRules(), ready) == []
