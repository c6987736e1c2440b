"""What every webhook of this project's channels starts with."""

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse


def webhook_blueprint(name: str) -> Blueprint:
    """A channel's blueprint with the health route Rasa's channels answer on `/`."""
    webhook = Blueprint(name, __name__)

    @webhook.route("/", methods=["GET"])
    async def health(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    return webhook
