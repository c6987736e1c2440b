# Sourced by the scripts: quiet, offline Rasa.
export RASA_TELEMETRY_ENABLED=false
export TF_CPP_MIN_LOG_LEVEL=2
export TF_ENABLE_ONEDNN_OPTS=0
# The same data and seed give the same model.
export TF_DETERMINISTIC_OPS=1
export PYTHONWARNINGS=ignore
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export LOG_LEVEL_LIBRARIES=ERROR
