"""The redaction filter on every handler takes any record any library logs: it removes
feed and unsubscribe tokens and never raises (a raising filter hides the record and,
in the dev server, drops the connection it was logging)."""

import logging
import socket

import pytest
from django.test import RequestFactory

from chibo.ratelimit import RedactSecretsFilter

TOKEN = "Zx9-secret-token"


def _record(name, msg, args=(), **extra):
    record = logging.LogRecord(name, logging.INFO, __file__, 1, msg, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_django_request_records_lose_the_token_and_the_request():
    request = RequestFactory().get(f"/calendar/{TOKEN}.ics")
    record = _record(
        "django.request", "Not Found: %s", (request.path,), request=request
    )

    assert RedactSecretsFilter().filter(record) is True

    assert record.getMessage() == "Not Found: /calendar/[redacted].ics"
    assert not hasattr(record, "request")


def test_django_request_records_without_a_secret_keep_their_request():
    request = RequestFactory().get("/meetings/4/")
    record = _record("django.request", "Not Found: %s", ("/meetings/4/",))
    record.request = request

    assert RedactSecretsFilter().filter(record) is True

    assert record.request is request
    assert record.getMessage() == "Not Found: /meetings/4/"


def test_dev_server_records_carry_a_socket_and_pass():
    """runserver's access lines attach the socket as `request` (no .path)."""
    left, right = socket.socketpair()
    try:
        record = _record(
            "django.server",
            '"%s" %s %s',
            (f"GET /calendar/{TOKEN}.ics HTTP/1.1", "200", "512"),
            request=left,
            status_code=200,
        )

        assert RedactSecretsFilter().filter(record) is True

        assert record.getMessage() == '"GET /calendar/[redacted].ics HTTP/1.1" 200 512'
        assert record.request is left
    finally:
        left.close()
        right.close()


def test_celery_records_with_dict_arguments_pass():
    record = _record(
        "celery.app.trace",
        "Task %(name)s[%(id)s] succeeded in %(runtime)ss: %(return_value)s",
        ({"name": "meetings.send", "id": "abc", "runtime": 0.1, "return_value": 3},),
    )

    assert RedactSecretsFilter().filter(record) is True

    assert record.getMessage() == "Task meetings.send[abc] succeeded in 0.1s: 3"


def test_gunicorn_access_records_pass():
    record = _record(
        "gunicorn.access",
        '%(h)s "%(r)s" %(s)s',
        ({"h": "10.0.0.1", "r": f"GET /calendar/{TOKEN}.ics HTTP/1.1", "s": "200"},),
    )

    assert RedactSecretsFilter().filter(record) is True

    assert TOKEN not in record.getMessage()
    assert record.getMessage() == '10.0.0.1 "GET /calendar/[redacted].ics HTTP/1.1" 200'


@pytest.mark.parametrize(
    ("msg", "args", "expected"),
    [
        ("two %s %s", ("only one",), "two %s %s ('only one',)"),
        ("%d items", ("not a number",), "%d items ('not a number',)"),
        (
            f"GET /calendar/{TOKEN}.ics %s",
            (1, 2),
            "GET /calendar/[redacted].ics %s (1, 2)",
        ),
        (12345, (), "12345"),  # not a string at all
    ],
)
def test_malformed_records_never_raise(msg, args, expected):
    record = _record("somewhere", msg, args)

    assert RedactSecretsFilter().filter(record) is True

    assert record.getMessage() == expected


class _Unprintable:
    def __str__(self):
        raise RuntimeError("no")


def test_records_that_cannot_be_printed_never_raise():
    record = _record("somewhere", _Unprintable(), ("x",))

    assert RedactSecretsFilter().filter(record) is True

    assert record.getMessage() == "[unprintable log record]"


def test_a_handler_with_the_filter_writes_dev_server_lines(capsys):
    """The whole path as runserver uses it: logger → handler with the filter."""
    logger = logging.getLogger("chibo.tests.server")
    handler = logging.StreamHandler()
    handler.addFilter(RedactSecretsFilter())
    logger.addHandler(handler)
    logger.propagate = False
    left, right = socket.socketpair()
    try:
        logger.warning(
            '"%s" %s',
            f"GET /calendar/{TOKEN}.ics HTTP/1.1",
            404,
            extra={"request": left},
        )
    finally:
        logger.removeHandler(handler)
        left.close()
        right.close()

    err = capsys.readouterr().err
    assert err == '"GET /calendar/[redacted].ics HTTP/1.1" 404\n'
    assert "Traceback" not in err


def test_client_errors_are_logged_without_a_traceback():
    """Django logs a 403 with the PermissionDenied traceback; a refused page is the
    client's doing and must not bury the server's errors. A 500 keeps its traceback."""
    try:
        raise PermissionError("no")
    except PermissionError:
        import sys

        info = sys.exc_info()
    refused = _record("django.request", "Forbidden (Permission denied): %s", ("/x/",))
    refused.exc_info, refused.status_code = info, 403
    failed = _record("django.request", "Internal Server Error: %s", ("/x/",))
    failed.exc_info, failed.status_code = info, 500

    assert RedactSecretsFilter().filter(refused) is True
    assert RedactSecretsFilter().filter(failed) is True

    assert refused.exc_info is None
    assert failed.exc_info is info
