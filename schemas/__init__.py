"""Generated XSD schemas, one per API version (data only; see ec2_conformance.checks)."""
