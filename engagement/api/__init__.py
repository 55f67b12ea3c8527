"""The pieces of the :class:`engagement.tracker.Tracker` facade, one module per area.

Each mixin adds the use cases of its area; each method is one unit of work on ``self.db``.
"""
