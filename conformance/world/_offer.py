"""What the target offers: its Availability Zones, images and instance types.

The one reader of them: the world builds on them, and a machine session fills
what its config leaves open from them.  Each read is sent once, when first
asked for; a read the target refuses offers nothing.
"""

from __future__ import annotations

import functools
from typing import Any

from ..protocol import all_texts, parse_or_none

DEFAULT_INSTANCE_TYPES = ("t2.micro", "m1.small")


class TargetOffer:
    """``TargetOffer(client).zones``; every list is in the target's order."""

    def __init__(self, client: Any):
        self.client = client

    @functools.cached_property
    def zones(self) -> list[str]:
        return self._texts("DescribeAvailabilityZones", [], "zoneName")

    @functools.cached_property
    def images(self) -> list[str]:
        """Amazon's Amazon Linux images, else any of Amazon's, else any the target lists (an
        emulator may have no owners).  The name filter keeps the answer small: Amazon's
        whole list is thousands of images (moto's: 1.2 MB, most of a world's set-up)."""
        return (self._texts("DescribeImages", [("Owner.1", "amazon"), ("Filter.1.Name", "name"),
                                               ("Filter.1.Value.1", "amzn-ami-*")], "imageId")
                or self._texts("DescribeImages", [("Owner.1", "amazon")], "imageId")
                or self._texts("DescribeImages", [], "imageId"))

    @functools.cached_property
    def machine_image(self) -> str | None:
        """One Amazon image for the machines to launch: an Amazon Linux HVM one, else any
        of Amazon's (a name filter keeps the answer small: an unfiltered list can be
        thousands); the same on every run (the smallest ID)."""
        named = self._texts("DescribeImages", [("Owner.1", "amazon"), ("Filter.1.Name", "name"),
                                               ("Filter.1.Value.1", "amzn-ami-hvm-*")], "imageId")
        images = named or self._texts("DescribeImages", [("Owner.1", "amazon")], "imageId")
        return sorted(images)[0] if images else None

    @functools.cached_property
    def instance_types(self) -> list[str]:
        """The preferred small types first when offered, then up to eight others (the
        spot price history is the one listing of types the 2014-10-01 API has; the first
        zone's, which keeps the answer small)."""
        zone = [("Filter.1.Name", "availability-zone"), ("Filter.1.Value.1", self.zones[0])] \
            if self.zones else []  # one zone's prices: moto ignores MaxResults (1.5 MB)
        types = sorted(set(self._texts("DescribeSpotPriceHistory",
                                       [("MaxResults", "50")] + zone, "instanceType")))
        preferred = [t for t in DEFAULT_INSTANCE_TYPES if t in types]
        rest = [t for t in types if t not in preferred][:8]
        return preferred + rest or list(DEFAULT_INSTANCE_TYPES)

    def _texts(self, action: str, pairs: list[tuple[str, str]], element: str) -> list[str]:
        exchange = self.client.call_pairs(
            [("Action", action), ("Version", self.client.api_version)] + pairs)
        response = exchange.response
        root = parse_or_none(response.body) if response is not None and response.status == 200 else None
        return all_texts(root, element) if root is not None else []
