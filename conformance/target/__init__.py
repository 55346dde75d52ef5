"""Targets: the embedded moto server and helpers for telling targets apart."""

from ._embedded import EmbeddedTarget, TargetError, free_port, is_loopback

__all__ = ["EmbeddedTarget", "TargetError", "free_port", "is_loopback"]
