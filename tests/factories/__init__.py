"""factory_boy factories, one module per app; every factory is importable from here.

Only the members app has factories: meetings and evaluations tests build their rows
with services and helpers."""

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
