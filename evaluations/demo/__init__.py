"""Demo data for evaluations, called by the seed_demo command: the demo cells' past
(past.py: who plays, which departures, the schedule), each planned meeting's life
(story.py) lived through the real services on a travelled clock (timeline.py)."""

from .past import Cast, Past, build_past, past_years

__all__ = ["Cast", "Past", "build_past", "past_years"]
