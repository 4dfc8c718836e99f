"""Comparisons as views: two calls, two designs, or two timelines side by side, what differs marked.

- ``calls``: what two hook calls did, row by row (who ran where, who answered, what, how long);
- ``designs``: two designs' extension points (modes, call orders, marks), hook by hook;
- ``timelines``: two calls on one time axis (one after the other versus concurrently);
- ``columns``: the labelled side-by-side frame and the marks the three share;
- ``widget``: :class:`CallComparison`, :class:`DesignComparison`, :class:`TimelineComparison`.
"""
