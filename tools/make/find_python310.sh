#!/usr/bin/env bash
# Prints the path of a working Python 3.10 (Rasa 3.6 needs Python < 3.11).
# The pyenv shim `python3.10` fails while another version is pyenv's global one, so the
# interpreters are looked up directly.
set -uo pipefail

candidates=()
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  while read -r version; do
    candidates+=("$root/versions/$version/bin/python3.10")
  done < <(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.[0-9]+)?$' | sort -t. -k3 -n -r)
fi
for dir in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*; do
  candidates+=("$dir/bin/python3.10")
done
candidates+=(/usr/local/bin/python3.10 /usr/bin/python3.10)

for candidate in "${candidates[@]}"; do
  if [ -x "$candidate" ] && "$candidate" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
    echo "$candidate"
    exit 0
  fi
done
echo "Python 3.10 was not found. Install it, for example: pyenv install 3.10.13" >&2
exit 1
