"""Helpers for the world's tests."""

from __future__ import annotations


class Counting:
    """A real client, counting the actions it sends (the world's and the offer's only
    calls: ``call_pairs``, and ``cleaning`` at teardown)."""

    def __init__(self, client):
        self.client, self.region, self.api_version = client, client.region, client.api_version
        self.sent: list[str] = []

    def call_pairs(self, pairs):
        self.sent.append(dict(pairs)["Action"])
        return self.client.call_pairs(pairs)

    def cleaning(self):
        return self.client.cleaning()
