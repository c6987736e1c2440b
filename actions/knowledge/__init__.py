"""The reviewed knowledge base: one YAML file per topic, loaded by `knowledge_base.py`."""
