"""A stand-in for Facebook's Graph API Send endpoint that records what the bot sends (the
machine has no internet, and tests must see every outbound message)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List


class GraphApiRecorder:
    def __init__(self) -> None:
        self.calls: List[Dict[str, Any]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                recorder.calls.append({"path": self.path, "body": json.loads(body or b"{}")})
                answer = json.dumps(
                    {"recipient_id": "0", "message_id": f"m{len(recorder.calls)}"}
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v15.0"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def messages_to(self, recipient: str) -> List[Dict[str, Any]]:
        """The messages (not the typing indicators) sent to one Messenger user."""
        return [
            call["body"]["message"]
            for call in self.calls
            if call["body"].get("recipient", {}).get("id") == recipient
            and "message" in call["body"]
        ]

    def close(self) -> None:
        self._server.shutdown()
