"""Test tools for hosts and plugin authors: the storage conformance suite and more.

Import :mod:`planning_core.testing.storage` in a backend's test suite and subclass
:class:`~planning_core.testing.storage.StoreConformance` (needs pytest).
"""

__all__: list[str] = []
