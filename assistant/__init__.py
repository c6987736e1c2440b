"""What runs inside the Rasa process: the safety path (its core), the NLU components that find
topics, the French matching they share, the channels, the stores and the Rasa fixes."""
