"""When one page read must stop: the extraction's time budget, read from an injected clock.

In:  a clock (seconds, `time.monotonic` in service; tests pass a stepping one) and a budget.
Out: `Deadline(clock, budget_s)`: `reached()` reads the clock and says whether the budget is
     spent; `out_of_time()` is the cheap check the loops that build candidates make at every step;
     `passed` says whether any check found the budget spent (the read was cut short).
"""

from __future__ import annotations

from collections.abc import Callable

# Building a candidate is a small step next to scoring one, so the loops that build candidates read
# the clock once every STRIDE steps, and a stepping test clock still counts mostly scored candidates.
STRIDE = 64


class Deadline:
    def __init__(self, clock: Callable[[], float], budget_s: float, stride: int = STRIDE):
        self.clock = clock
        self.at = clock() + budget_s
        self.passed = False
        self._stride = stride
        self._steps = 0

    def reached(self, grace: float = 0.0) -> bool:
        """Reads the clock: is the budget (plus `grace` seconds) spent?"""
        if self.clock() > self.at + grace:
            self.passed = True
            return True
        return False

    def out_of_time(self) -> bool:
        """One building step: True once the budget is spent (the clock is read every STRIDE steps)."""
        if self.passed:
            return True
        self._steps += 1
        return (self._steps - 1) % self._stride == 0 and self.reached()
