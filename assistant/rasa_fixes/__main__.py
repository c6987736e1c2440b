"""`python -m assistant.rasa_fixes run ...`: the `rasa` command with this project's fixes."""

import sys

from assistant.rasa_fixes import run_rasa

sys.exit(run_rasa())
