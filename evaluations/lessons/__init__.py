"""Lesson-drawing after model meetings (DOMAIN.md §3.6), one module per concern:

- `services`: open a session, record a peer's feedback (and the lessons their cell
  promises to apply), conclude it, mark a promised lesson applied;
- `selectors`: sessions, the lessons shown in a cell's meetings, the figures;
- `forms`, `views`, `urls`: the pages (included by evaluations/urls.py).
"""
