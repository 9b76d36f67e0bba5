"""Work derived from a configuration section, done once per section.

Config sections are immutable and a reload replaces them whole, so a
section's identity says when the derived work must be redone.
"""

from collections.abc import Callable
from typing import Any, TypeVar

Section = TypeVar("Section")
Derived = TypeVar("Derived")

_MAX_SECTIONS = 16  # config versions live at once: current, plus in-flight


def per_section(build: Callable[[Section], Derived]) -> Callable[[Section], Derived]:
    """`build(section)` memoised by the section object itself."""
    cache: dict[int, tuple[Any, Derived]] = {}

    def derived(section: Section) -> Derived:
        hit = cache.get(id(section))
        if hit is not None and hit[0] is section:
            return hit[1]

        if len(cache) >= _MAX_SECTIONS:
            cache.clear()
        # The section is kept alive with the entry, so its id cannot be reused.
        value = build(section)
        cache[id(section)] = (section, value)
        return value

    return derived
