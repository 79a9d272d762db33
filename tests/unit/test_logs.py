import json
import logging

from zhibiao.plumbing import logs


def test_every_line_names_the_service_and_the_document(capsys):
    logs.configure("extract")
    log = logging.getLogger("t")
    log.info("outside")
    with logs.document_context("ab" * 32):
        log.info("inside")
    err = capsys.readouterr().err.splitlines()
    assert " extract INFO doc=- t: outside" in err[0]
    assert " extract INFO doc=abababababab t: inside" in err[1]


def test_json_lines_for_collectors(capsys):
    logs.configure("store", fmt="json")
    with logs.document_context("cd" * 32):
        logging.getLogger("t").warning("slow")
    line = json.loads(capsys.readouterr().err.strip())
    assert line["service"] == "store" and line["document_id"] == "cd" * 32 and line["message"] == "slow"
