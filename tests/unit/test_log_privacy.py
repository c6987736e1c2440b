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
