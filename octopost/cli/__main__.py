"""`python -m octopost.cli`."""

import sys

from octopost.cli import main

sys.exit(main())
