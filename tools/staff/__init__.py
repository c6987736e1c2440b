"""Tools for the support staff: test dialogues, NLU report, conversation review."""
