"""The demo's past as a timeline: each step is run with the clock moved to the moment
it would have happened, so the real services stamp their records (notified at,
adopted at, locked at, report filed at…) and apply their date rules as on that day.

Steps are collected first, then run in time order across every cell (the clock only
moves forward); a step later than the present has not happened yet and is left out.
The clock is moved with time-machine, a development requirement: the demo seeds only
with DEBUG on, from `make run`, which installs it.
"""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(order=True)
class Step:
    moment: datetime
    order: int
    run: object = field(compare=False)


class Timeline:
    def __init__(self, now):
        self.now = now
        self.steps = []

    def at(self, moment, run):
        """Run `run()` at `moment` (an aware datetime) unless that is in the future."""
        self.steps.append(Step(moment, len(self.steps), run))

    def run(self):
        """Run the steps up to now in time order; return how many ran."""
        import time_machine

        due = sorted(step for step in self.steps if step.moment <= self.now)
        self.steps = []
        if not due:
            return 0
        with time_machine.travel(due[0].moment, tick=False) as traveller:
            for step in due:
                traveller.move_to(step.moment)
                step.run()
        return len(due)


def travel(moment):
    """A frozen clock at `moment` (a context manager)."""
    import time_machine

    return time_machine.travel(moment, tick=False)
