"""Model meetings (sinh hoạt chi bộ điểm, DOMAIN.md §3.6), one module per concern:

- `selectors`: the committee's plan and its coverage of cell types, who is invited;
- `services`: plan a model meeting, generate and send the invitations, record the
  invitees' attendance;
- `forms`, `views`, `urls`: the committee's plan page and a model meeting's page.

The lesson-drawing sessions that follow model meetings are the evaluations app's
(evaluations/lessons/).
"""
