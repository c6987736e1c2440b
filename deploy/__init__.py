"""Starting the assistant: its processes, the production profile, the nginx template and the
settings they share."""
