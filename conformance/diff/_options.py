"""What the run options (``options.RunOptions``: ``against``, ``record``, ...) mean for a
differential or recording run."""

from __future__ import annotations

from ..options import RunOptions
from ..target import is_loopback


def differential(options: RunOptions) -> bool:
    """A diff (``against``) or a recording (``record``) rather than a plain run."""
    return bool(options.against or options.record)


def against_is_url(options: RunOptions) -> bool:
    return bool(options.against) and options.against.startswith(("http://", "https://"))


def read_only(options: RunOptions) -> bool:
    """Either side outside loopback keeps the run read-only unless mutations are allowed."""
    if options.allow_mutations:
        return False
    remote = [url for url in (options.endpoint,
                              options.against if against_is_url(options) else None)
              if url and not is_loopback(url)]
    return bool(remote)


def same_start(options: RunOptions) -> bool | None:
    """``--same-start yes/no``; None: decided from both sides being loopback."""
    return {"yes": True, "no": False}.get(options.same_start or "")


def reference_options(options: RunOptions) -> RunOptions:
    """The options of the ``against`` endpoint: its own region and credentials profile,
    everything else (timeout, retries, signing) as the endpoint under test has them."""
    return options.but(endpoint=options.against,
                       region=options.against_region or options.region,
                       aws_profile=options.against_aws_profile)
