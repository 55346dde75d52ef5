"""The world: a small set of real resources on the target for valid requests to use."""

from ._offer import TargetOffer
from ._steps import StepError, StepResult, StepRunner, placeholders
from ._world import Resource, World, WorldError, describe_spec, load_plan

__all__ = ["Resource", "StepError", "StepResult", "StepRunner", "TargetOffer", "World", "WorldError",
           "describe_spec", "load_plan", "placeholders"]
