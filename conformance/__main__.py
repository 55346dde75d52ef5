"""``python -m ec2_conformance``: the same as the ``ec2-conformance`` console script."""

import sys

from .cli import main

sys.exit(main())
