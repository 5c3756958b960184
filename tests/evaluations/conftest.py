"""Fixtures the evaluations app's tests share across its test packages."""

import pytest

from tests.factories.meetings import held
from tests.factories.times import at


@pytest.fixture
def meeting(tree):
    """November's regular meeting of the cell (03/11/2026, 08:00), held: attendance
    prefilled, minutes filled with the secretary in the chair and the member taking
    them."""
    meeting, _minutes = held(
        tree.cell, starts_at=at(2026, 11, 3), chair=tree.secretary, taker=tree.member
    )
    return meeting
