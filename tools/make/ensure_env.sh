#!/usr/bin/env bash
# Writes the untracked .env on first run: a generated API token, the web origins allowed to
# open a socket.io conversation and the key that signs its session ids, local Messenger secrets, so the webhook can be exercised
# without Facebook, and the key of the pseudonyms in exported transcripts (make transcripts).
# Existing values are kept.
set -euo pipefail
cd "$(dirname "$0")/../.."
touch .env
chmod 600 .env
add_if_missing() {
  grep -q "^$1=" .env || echo "$1=$(.venv/bin/python -c 'import secrets; print(secrets.token_hex(32))')" >> .env
}
add_if_missing RASA_AUTH_TOKEN
grep -q "^SOCKETIO_CORS_ORIGINS=" .env || echo "SOCKETIO_CORS_ORIGINS=http://localhost:8080,http://127.0.0.1:8080" >> .env
add_if_missing FB_VERIFY_TOKEN
add_if_missing FB_APP_SECRET
add_if_missing FB_PAGE_ACCESS_TOKEN
add_if_missing TRANSCRIPT_PSEUDONYM_KEY
add_if_missing SOCKETIO_SESSION_SECRET
add_if_missing ACTION_SERVER_TOKEN
