"""Runs `rasa data validate` and fails on any warning, except the responses that Rasa's
validator cannot see in use: the form's questions (asked by the form itself), the responses
named in config.yml's policies (said by the policy code), the safety path's responses (said
by the SafetyGuardPolicy, assistant/safety/turn.py), and utter_default (said by Rasa's own
fallback action and by actions/knowledge_answers.py). `make test-data`."""

import re
import subprocess
import sys

from assistant.channels.limits import TOO_LONG_RESPONSE
from assistant.safety.turn import is_safety_response
from content import DOMAIN_DIR, read_domain, read_yaml
from deploy.settings import PROJECT, VENV_BIN

# A response a custom action sends: `dispatcher.utter_message(response="utter_...")`.
SAID_BY_AN_ACTION = re.compile(r'response="(utter_[a-z0-9_]+)"')
USED_BY_CODE = re.compile(r"The utterance '(utter_[a-z0-9_]+)' is not used in any story or rule")


def responses_used_by_code() -> set:
    domain = read_domain()
    config = read_yaml(PROJECT / "config.yml")
    asked_by_forms = {
        f"utter_ask_{slot}"
        for form in domain.get("forms", {}).values()
        for slot in form["required_slots"]
    }
    said_by_policies = {p["response"] for p in config["policies"] if "response" in p}
    said_by_the_safety_path = {name for name in domain["responses"] if is_safety_response(name)}
    said_by_the_actions = {
        name
        for path in (PROJECT / "actions").glob("*.py")
        for name in SAID_BY_AN_ACTION.findall(path.read_text(encoding="utf-8"))
    }
    said_by_the_channels = {TOO_LONG_RESPONSE}
    return (
        asked_by_forms
        | said_by_policies
        | said_by_the_safety_path
        | said_by_the_actions
        | said_by_the_channels
    )


def main() -> int:
    result = subprocess.run(
        [
            str(VENV_BIN / "rasa"),
            "data",
            "validate",
            "--max-history",
            "5",
            "--domain",
            str(DOMAIN_DIR),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT,
    )
    output = result.stdout + result.stderr
    allowed = responses_used_by_code()
    problems = []
    for line in output.splitlines():
        if "UserWarning" not in line and "ERROR" not in line:
            continue
        used = USED_BY_CODE.search(line)
        if used and used.group(1) in allowed:
            continue
        if "Slot auto-fill has been removed" in line:  # printed by Rasa 3.6 for every domain
            continue
        if "TF_DETERMINISTIC_OPS" in line:  # a warning for GPUs; training runs on the CPU
            continue
        problems.append(line.strip())
    if result.returncode != 0 or problems:
        print("\n".join(problems) or output)
        print("rasa data validate: NOT clean")
        return 1
    print(f"rasa data validate: clean ({len(allowed)} responses used from code or forms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
