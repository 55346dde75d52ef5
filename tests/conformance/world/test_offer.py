"""The one reader of what the target offers, against the embedded moto server."""

from __future__ import annotations

from ec2_conformance.protocol import Client
from ec2_conformance.world import TargetOffer


class Counting:
    """The real client, counting the requests it sends."""

    def __init__(self, client: Client):
        self.client, self.api_version, self.sent = client, client.api_version, []

    def call_pairs(self, pairs):
        self.sent.append(dict(pairs)["Action"])
        return self.client.call_pairs(pairs)


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
