"""Custom actions of the assistant, discovered by rasa-sdk: knowledge answers and the
session welcome. The safety path does not live here: it runs inside Rasa (safety/)."""
