"""`python -m modsl` is the `modsl` command."""

import sys

from modsl.cli import main

sys.exit(main())
