"""The lifecycle steps of a standard with their own rules (consultation, comments, review,
approval, taking effect, periodic review) and their notifications."""

from __future__ import annotations

from typing import Any


def transition_notify(*, standard: Any, name: str, actor: Any) -> None:
    """Tell the people concerned about a lifecycle step (after it commits)."""
