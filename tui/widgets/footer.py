"""The footer of every screen: Textual's, rebuilt only when the keys it shows change.

Textual's footer throws away and mounts all of its key widgets again whenever the screen's
bindings may have changed — every focus change, every screen resume — although the keys it
shows are almost always the same. Each rebuild restyles a dozen widgets: before the first frame
of the dashboard that happened three times, about a quarter of the start-up's styling work.
Each key is also created with the footer's ``compact`` value, so it is styled once.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeysFooter(Footer):
    """A :class:`~textual.widgets.Footer` that skips a rebuild showing the same keys."""

    def __init__(self, *children: Any, **options: Any) -> None:
        super().__init__(*children, **options)
        self._shown: tuple[Any, ...] | None = None

    def _keys(self) -> tuple[Any, ...]:
        """What the footer shows: the bindings it lists and the command palette's key."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (
                binding.key,
                binding.action,
                binding.description,
                binding.group.description if binding.group is not None else None,
                enabled,
                tooltip,
            )
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )

    def compose(self) -> ComposeResult:
        """The stock keys, born with the footer's ``compact`` value: each would otherwise
        style itself compact on mounting, then again when bound to the footer's value (the
        command palette's key is not bound to it and stays as it is).

        The keys are there from the first compose: the stock footer starts empty and fills in
        after the screen first announces its bindings, a few frames later — the first frame
        would lack the keys."""
        self.set_reactive(Footer._bindings_ready, True)
        self._shown = self._keys()
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        keys = self._keys()
        if keys == self._shown:
            return
        self._shown = keys
        await super().recompose()
