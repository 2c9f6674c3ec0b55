"""``python -m question_bank``: see ``question_bank.cli``."""

import sys

from question_bank.cli import main

sys.exit(main())
