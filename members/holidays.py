"""Vietnam's public holidays (lunar new year included), from the maintained
`holidays` package: the one source for working-day rules in every app."""

from functools import lru_cache


@lru_cache(maxsize=16)
def _year(year):
    import holidays  # a large table of countries: loaded on first use only

    return frozenset(holidays.country_holidays("VN", years=year))


def public_holidays(*years):
    """The public holidays of these years, as one frozenset (cached per year)."""
    if len(years) == 1:
        return _year(years[0])
    return frozenset().union(*(_year(year) for year in set(years)))


def holidays_around(day):
    """The public holidays from the year before `day` to two years after it: enough
    for any deadline counted in working days from `day`."""
    return public_holidays(day.year - 1, day.year, day.year + 1, day.year + 2)
