"""What a failed publication of an anchor raises."""

from __future__ import annotations

from planning_core.errors import PluginError
from planning_core.ledger._anchor import Anchor

__all__ = ["AnchorNotPublishedError"]


class AnchorNotPublishedError(PluginError):
    """The anchor was recorded in the store, but a plugin failed to publish it.

    The anchor is not lost: it stays recorded (and :attr:`anchor` holds it), so the host can
    publish it by hand or call the hook again once the plugin is fixed. Taking a new anchor
    instead would leave a recorded one nobody ever saw.

    :param anchor: the anchor that was recorded.
    :param failure: the plugin's failure, as :class:`~planning_core.plugins.Hooks` raised it.
    """

    def __init__(self, anchor: Anchor, failure: PluginError) -> None:
        super().__init__(failure.plugin, failure.hook, failure.__cause__)
        self.anchor = anchor
        self.args = (
            f"{self.args[0]} The anchor of {anchor.day.isoformat()} (root "
            f"{anchor.root[:16]}…) is recorded in the store all the same: publish it by hand "
            f"(--out FILE writes it) or once the plugin is fixed.",
        )
