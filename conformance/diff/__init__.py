"""Differential mode: the same examples against two targets, or against a recording.

``DifferentialSession`` drives the unchanged engine with a client that sends
every request to the reference side (``--against``: an endpoint or a cassette)
and, with resource IDs remapped, to the endpoint under test; each pair of
answers is normalised against the catalog's types (``_normalise``, ``_masks``)
and compared (``_compare``); what differs becomes ``difference`` findings
(``_findings``).  ``record`` runs save every exchange as a cassette
(``_cassette``; format in ``docs/cassette.md``).
"""

from ._cassette import FORMAT, FORMAT_VERSION, Cassette, CassetteError, load_cassette
from ._compare import ASPECTS, Difference, compare
from ._masks import MaskTable, mask_table
from ._normalise import Answer, Node, normalise
from ._options import against_is_url, differential, read_only, reference_options
from ._session import DifferentialSession

__all__ = ["ASPECTS", "Answer", "Cassette", "CassetteError", "Difference",
           "DifferentialSession", "FORMAT", "FORMAT_VERSION", "MaskTable", "Node",
           "against_is_url", "compare", "differential", "load_cassette", "mask_table",
           "normalise", "read_only", "reference_options"]
