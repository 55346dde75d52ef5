"""What a check knows besides the exchange: the catalog, the action, the expectation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..catalog import Catalog, load_catalog
from ..outcome import Expectation

if TYPE_CHECKING:
    from ..protocol import Exchange
    from ._analysis import ResponseAnalysis

# The later model extensions are judged against: the newest EC2 API botocore ships.
LATER_VERSION = "2016-11-15"


@dataclass
class CheckContext:
    catalog: Catalog  # the catalog of the requested API version
    action: str | None = None  # the action requested; None when no/unknown Action
    expectation: Expectation | None = None  # None: the caller does not know
    requested_version: str | None = None  # the Version sent; defaults to the catalog's
    later_catalog: Catalog | None = None  # None: load_catalog(LATER_VERSION) when needed
    extensions: bool = True  # False: a later version's additions are plain violations
    _memo: tuple = field(default=(None, None), init=False, repr=False, compare=False)

    @property
    def version(self) -> str:
        return self.requested_version or self.catalog.api_version

    def later(self) -> Catalog | None:
        """The later catalog extensions are decided against, or None when there is none."""
        if not self.extensions:
            return None
        if self.later_catalog is None:
            if LATER_VERSION <= self.catalog.api_version:
                return None
            self.later_catalog = load_catalog(LATER_VERSION)
        newer = self.later_catalog.api_version > self.catalog.api_version
        return self.later_catalog if newer else None

    def analysis(self, exchange: "Exchange") -> "ResponseAnalysis":
        """The exchange's parsed response, computed once and shared by every check."""
        from ._analysis import ResponseAnalysis

        cached_exchange, cached = self._memo
        if cached_exchange is not exchange:
            cached = ResponseAnalysis(exchange, self)
            self._memo = (exchange, cached)
        return cached
