"""The world: a small set of real resources on the target for valid requests to use."""

from ._world import Resource, World, WorldError, load_plan

__all__ = ["Resource", "World", "WorldError", "load_plan"]
