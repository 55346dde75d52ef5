"""The one reader of what the target offers, against the embedded moto server."""

from __future__ import annotations

from ec2_conformance.protocol import Client
from ec2_conformance.world import TargetOffer

from .conftest import Counting


def test_reads_zones_images_and_types_once_each(moto_target):
    with Client(moto_target.endpoint) as real:
        client = Counting(real)
        offer = TargetOffer(client)
        assert offer.zones and all(z.startswith(real.region) for z in offer.zones)
        assert offer.images and all(i.startswith("ami-") for i in offer.images)
        assert offer.machine_image in offer.images  # one of Amazon's, the smallest ID
        assert offer.machine_image == TargetOffer(real).machine_image
        assert offer.instance_types
        sent = list(client.sent)
        assert offer.zones and offer.images and offer.instance_types and offer.machine_image
        assert client.sent == sent  # each read went out once


def test_a_refused_read_offers_nothing(moto_target):
    with Client(moto_target.endpoint) as real:
        assert TargetOffer(real)._texts("DescribeNoSuchThing", [], "zoneName") == []


class Sizing(Counting):
    """Counting, and keeping each answer's size."""

    def call_pairs(self, pairs):
        exchange = super().call_pairs(pairs)
        self.sizes = [*getattr(self, "sizes", []), len(exchange.response.body)]
        return exchange


def test_every_read_asks_for_a_small_answer(moto_target):
    """moto answers Amazon's whole image list with 1.2 MB and its whole spot price history
    with 1.5 MB; the name and zone filters keep each read of the offer a fraction of that."""
    with Client(moto_target.endpoint) as real:
        client = Sizing(real)
        offer = TargetOffer(client)
        assert len(offer.images) >= 5 and len(offer.instance_types) >= 5
        assert offer.machine_image
        assert max(client.sizes) < 400_000, list(zip(client.sent, client.sizes))
