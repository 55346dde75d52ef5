"""ec2-conformance: a property-based conformance suite and fuzzer for the EC2 Query API."""

from .catalog import DEFAULT_API_VERSION, load_catalog
from .protocol import Client, serialize

__version__ = "0.1.0"
__all__ = ["Client", "DEFAULT_API_VERSION", "__version__", "load_catalog", "serialize"]
