"""The conformance suite as pytest tests: ``pytest --pyargs ec2_conformance.suite``.

``ec2-conformance run`` runs exactly these modules through the same plugin, so
``pytest --pyargs ec2_conformance.suite --ec2-endpoint URL`` gives the same results.
"""
