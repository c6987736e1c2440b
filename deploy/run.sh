#!/usr/bin/env bash
# Starts the action server (127.0.0.1:5055), Rasa (127.0.0.1:5005: REST, socket.io, Messenger
# webhook, HTTP API with a token) and the demo page of the chat widget (localhost:8080);
# with --shell, chats in the terminal instead; with --interactive, runs `rasa interactive`. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/make/rasa_env.sh
set -a; source .env; set +a
# What the processes write (the SQLite tracker store in var/, logs) is for this user only.
umask 077
mkdir -p var
chmod 700 var
[ -f var/trackers.db ] && chmod 600 var/trackers.db

model=$(tools/make/train_if_needed.sh)
pids=()
stop_all() {
  trap - INT TERM EXIT
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
  wait 2>/dev/null
  echo "Stopped."
}
trap stop_all INT TERM EXIT

SANIC_HOST=127.0.0.1 .venv/bin/rasa run actions --port 5055 --actions actions &
pids+=($!)

case "${1:-}" in
  --shell)
    .venv/bin/metastases-rasa shell --model "$model" --endpoints endpoints.yml
    exit 0 ;;
  --interactive)  # staff: correct the bot turn by turn, save new examples to data/
    .venv/bin/metastases-rasa interactive --model "$model" --endpoints endpoints.yml \
      --config config.yml --domain content/domain --data data --skip-visualization
    exit 0 ;;
esac

# Rasa with this project's fixes (assistant/rasa_fixes/); same arguments as `rasa run`;
# Prometheus metrics on 127.0.0.1:METRICS_PORT (docs/deployment.md). The API token comes from
# RASA_AUTH_TOKEN in the environment (.env), never from the command line.
METRICS_PORT=${METRICS_PORT:-9100} .venv/bin/metastases-rasa run --model "$model" --enable-api \
  --interface 127.0.0.1 --port 5005 --endpoints endpoints.yml --credentials credentials.yml \
  --cors "${CORS_ORIGINS:-http://localhost:8080}" &
pids+=($!)

.venv/bin/metastases-demo-page --port 8080 --rasa-url "${WIDGET_RASA_URL:-http://localhost:5005}" &
pids+=($!)

cat <<TXT

  The assistant starts on http://127.0.0.1:5005 (about 20 s).
  Chat over REST:
    curl -s -X POST http://127.0.0.1:5005/webhooks/rest/webhook \\
         -H 'Content-Type: application/json' \\
         -d '{"sender": "moi", "message": "Quels sont les symptômes ?"}'
  Demo page with the chat widget: http://localhost:8080/  (floating button: /?mode=floating)
  HTTP API (token in .env): curl -s "http://127.0.0.1:5005/conversations/moi/tracker?token=\$RASA_AUTH_TOKEN"
  Metrics (Prometheus): curl -s http://127.0.0.1:${METRICS_PORT:-9100}/metrics
  Terminal chat: make shell.   Stop: Ctrl-C.

TXT
wait -n "${pids[@]}"
