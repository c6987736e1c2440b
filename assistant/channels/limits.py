"""The one cap on the length of a patient's message: every channel refuses longer messages
before NLU, and the chat widget stops typing at it (web/serve.py writes it for the widget)."""

MAX_MESSAGE_CHARS = 2000
# The domain response that asks for a shorter message (content/domain/conversation.yml).
TOO_LONG_RESPONSE = "utter_message_trop_long"
