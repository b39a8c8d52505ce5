"""Houqin settings plus the bench URLs (the floor view)."""

from houqin.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
