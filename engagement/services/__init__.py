"""Use cases, one module per area. Each function takes the session of the unit of work it runs
in (opened by :class:`engagement.tracker.Tracker`) and returns pydantic read models."""
