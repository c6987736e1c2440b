"""`python -m rasa_fixes run ...`: the `rasa` command with this project's fixes applied."""

import sys

from rasa_fixes import apply

apply()

from rasa.__main__ import main  # noqa: E402 - after the fixes

sys.exit(main())
