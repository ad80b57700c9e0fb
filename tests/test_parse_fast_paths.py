"""The second round of parse speed-ups gives what the plain definitions give: each cheap
pre-check before a pattern refuses only lines the pattern refuses."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coreplan_analysis._parser import _BARE_MARKER, _MARKER, _marker, _read_marker
from coreplan_analysis._profile import _LETTER_LINE, _ROMAN_LINE

# Lines made of marker-ish pieces, so that the patterns match often.
_LINE = st.lists(st.sampled_from(list("aAiIvVxXbB1290.)( \t-*#:") + ["ii", "IV", "1.2", "١", "²", "  ", "Goal"]),
                 max_size=12).map("".join)


@settings(max_examples=800, deadline=None)
@given(_LINE)
def test_marker_precheck_gives_the_plain_reading(line):
    # The plain reading: the pattern tried on every line (what _marker did before its pre-check).
    m = _MARKER.match(line)
    assert _marker(line) == (None if m is None else _read_marker(line, m))


@settings(max_examples=600, deadline=None)
@given(_LINE)
def test_line_pattern_prechecks(line):
    # The bare-marker check runs only on lines ending with "." or ")"; infer_profile tries Roman
    # and letter lines only where their first characters fit.
    if _BARE_MARKER.match(line):
        assert line.endswith((".", ")"))
    if line and _ROMAN_LINE.match(line):
        assert line[0] in "IVX"
    if _LETTER_LINE.match(line):
        assert line[1:2] in (".", ")")
