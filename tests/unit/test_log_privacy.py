"""Patients' words and ids never reach a log at INFO or above."""

import logging

from assistant import log_privacy


def test_remembered_texts_and_ids_are_scrubbed_from_records_at_info_and_above(caplog):
    log_privacy.install()
    log_privacy.remember("je ne sens plus mes jambes MARQUEUR-1", "rest:patient-42", "oui")
    logger = logging.getLogger("any.library")
    with caplog.at_level(logging.DEBUG):
        logger.warning(
            "Message %s from %s", "je ne sens plus mes jambes MARQUEUR-1", "rest:patient-42"
        )
        logger.info("oui is too short to be anyone's")
        try:
            raise ValueError("je ne sens plus mes jambes MARQUEUR-1")
        except ValueError:
            logger.exception("failed")
        logger.debug("debug keeps rest:patient-42")
    text = caplog.text
    assert "MARQUEUR-1" not in text and "rest:patient-42" not in text.replace(
        "debug keeps rest:patient-42", ""
    )
    assert log_privacy.REDACTED in text and "oui is too short" in text
    assert "debug keeps rest:patient-42" in text


def test_a_normal_websocket_close_is_not_logged_as_an_error(caplog):
    from sanic.exceptions import ServerError

    from assistant.channels.socketio import QuietWebSocketClose

    logger = logging.getLogger("test.sanic.error")
    logger.addFilter(QuietWebSocketClose())
    with caplog.at_level(logging.INFO):
        for uri in (
            "ws://host/socket.io/?transport=websocket",
            "http://host/webhooks/rest/webhook",
        ):
            try:
                raise ServerError("Invalid response type None (need HTTPResponse)")
            except ServerError:
                logger.exception("Exception occurred while handling uri: %r", uri)
    assert "ws://" not in caplog.text and "http://host/webhooks" in caplog.text
