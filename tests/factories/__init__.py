"""Builders of test data, one module per app, through the real services:
members.py (factory_boy factories, importable from here, and members with a
standing), meetings.py, evaluations.py, admission.py (members.admission); times.py
(`at`, `on`, `freeze`: Vietnam time), files.py (small valid uploads). facts.py alone
writes straight to the tables: the exact facts the dashboard tests state."""

from .members import (
    MemberFactory,
    OrganizationFactory,
    PositionFactory,
    SupervisionFactory,
    UserFactory,
)

__all__ = [
    "MemberFactory",
    "OrganizationFactory",
    "PositionFactory",
    "SupervisionFactory",
    "UserFactory",
]
