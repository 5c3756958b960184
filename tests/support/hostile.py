"""Hostile and random input for the property-based tests (hypothesis): the strings
that break forms, and what stored text must look like."""

import unicodedata

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

HOSTILE = st.sampled_from(
    [
        "<script>alert('x')</script>",
        "' OR 1=1; --",
        "\x00\x01\x02 nul",
        "Nguye\u0302\u0303n Va\u0306n A",  # decomposed: must be stored as NFC
        "🙂" * 40,
        "../../etc/passwd",
        "31/02/2020",
        "-1",
        "99999999999999999999999",
        "",
        " ",
        "a" * 5000,
        "Ω≈ç√∫˜µ≤≥÷",
        "\u202eRTL override",
    ]
)
TEXT = st.one_of(HOSTILE, st.text(max_size=300))
NUMBER = st.one_of(st.integers(min_value=-(10**12), max_value=10**12).map(str), TEXT)
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_clean(text):
    assert unicodedata.is_normalized("NFC", text)
    assert not any(ord(c) < 32 and c not in "\t\n\r" for c in text)
