"""The world: a small set of real resources on the target for valid requests to use."""

from ._world import RUN_TAG, Resource, World, WorldError, load_plan

__all__ = ["RUN_TAG", "Resource", "World", "WorldError", "load_plan"]
