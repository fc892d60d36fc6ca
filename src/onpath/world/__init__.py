"""onpath.world: a synthetic Internet in the real formats (SPEC §6), the offline default and a test
bed where the right answers are known. `generate(scale, seed, date, out, topology=None) -> Path`."""

from __future__ import annotations

__all__ = ["SCALES", "generate"]


def __getattr__(name: str):  # lazy: `python -m onpath.world.realism` need not import the builder
    if name in __all__:
        from onpath.world import build

        return getattr(build, name)
    raise AttributeError(name)
