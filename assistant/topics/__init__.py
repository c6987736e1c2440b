"""Finding which exam, treatment or symptom a patient's question is about."""
