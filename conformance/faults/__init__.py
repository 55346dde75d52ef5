"""Faults: a loopback reverse proxy that injects named, data-described faults.

``catalog.json`` lists the project's faults and the reference guards the
self-test target always runs with; ``run_selftest`` measures which faults the
suite detects (``ec2-conformance selftest``).
"""

from . import _guards  # noqa: F401  (registers the request predicates faults name in ``when``)
from ._catalog import CATEGORIES, FaultCatalog, FaultSpec, load_fault_catalog, parse_fault_catalog
from ._probe import ProbeError, answer_digest, run_probe
from ._proxy import EDIT_OPS, Fault, FaultError, FaultProxy
from ._selftest import DEFAULT_SEED, FaultRow, SelftestOptions, SelftestReport, run_selftest
from ._table import render_text, write_report

__all__ = ["CATEGORIES", "DEFAULT_SEED", "EDIT_OPS", "Fault", "FaultCatalog", "FaultError",
           "FaultProxy", "FaultRow", "FaultSpec", "ProbeError", "SelftestOptions", "SelftestReport",
           "answer_digest", "load_fault_catalog", "parse_fault_catalog", "render_text", "run_probe",
           "run_selftest", "write_report"]
