"""The spaCy model as the pipeline uses it (config.yml names `assistant.nlp.spacy_model.LeanSpacyNLP`)."""
