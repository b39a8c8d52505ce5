"""The page benchmark: pages timed as multiples of a bare Django view (see README.md)."""
