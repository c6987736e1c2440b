"""Token spans (cues, mentions) indexed by where they start, so that the detector's questions
("is there a cue of this kind in this clause?") cost the spans near the answer, not all the
spans of the message: the detector stays linear in the length of the text.

Spans come from patterns of bounded length, so the spans that start within one span's length
of a position are few, whatever the length of the message.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Callable, Generic, Iterator, List, Protocol, Sequence, Tuple, TypeVar


class Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=Span)


class SpanIndex(Generic[S]):
    def __init__(self, spans: Sequence[S]) -> None:
        self._spans: List[S] = sorted(spans, key=lambda span: span.start)
        self._starts = [span.start for span in self._spans]
        self._longest = max((span.end - span.start for span in self._spans), default=0)

    def __bool__(self) -> bool:
        return bool(self._spans)

    def starting_in(self, first: int, last: int) -> Iterator[S]:
        """The spans that start at `first` up to `last` included, in order."""
        i = bisect_left(self._starts, first)
        while i < len(self._spans) and self._spans[i].start <= last:
            yield self._spans[i]
            i += 1

    def overlapping(self, start: int, end: int) -> Iterator[S]:
        """The spans that share a token with [start, end)."""
        return (
            span
            for span in self.starting_in(start - self._longest, end - 1)
            if span.start < end and start < span.end
        )

    def ending_near(self, first: int, last: int) -> Iterator[S]:
        """The spans that end at `first` up to `last` included."""
        return (
            span
            for span in self.starting_in(first - self._longest, last)
            if first <= span.end <= last
        )

    def any_inside(
        self, scope: Tuple[int, int], excluded: Callable[[S], bool] | None = None
    ) -> bool:
        """Whether a span lies within `scope` (and is not `excluded`). Spans are visited from the
        scope's start: the first one that ends in the scope answers, unless excluded, and the
        excluded ones are those around one mention."""
        return any(
            span.end <= scope[1] and not (excluded and excluded(span))
            for span in self.starting_in(scope[0], scope[1])
        )

    def latest_end(self, first_start: int, last_end: int, excluded: Callable[[S], bool]) -> int:
        """The largest end among the spans starting at `first_start` or after and ending by
        `last_end`, not excluded; -1 if there is none. Visits the spans from the last one
        starting before `last_end`, back to where no span can end later."""
        best = -1
        i = bisect_left(self._starts, last_end) - 1
        while i >= 0:
            span = self._spans[i]
            if span.start < first_start or span.start + self._longest <= best:
                break
            if span.end <= last_end and span.end > best and not excluded(span):
                best = span.end
            i -= 1
        return best


class TokenCounts:
    """How many tokens with a property lie in any range of tokens, by prefix sums."""

    def __init__(self, flags: Sequence[bool]) -> None:
        self._before = [0]
        for flag in flags:
            self._before.append(self._before[-1] + int(flag))

    def any_in(self, start: int, end: int) -> bool:
        start = min(max(start, 0), len(self._before) - 1)
        end = min(max(end, start), len(self._before) - 1)
        return self._before[end] > self._before[start]
