"""Input and output channels adapted for patients (credentials.yml names them)."""
