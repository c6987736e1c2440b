# Sourced by the scripts: quiet, offline Rasa (the settings of deploy/rasa.env).
set -a
# shellcheck source=../../deploy/rasa.env
source "$(dirname "${BASH_SOURCE[0]}")/../../deploy/rasa.env"
set +a
