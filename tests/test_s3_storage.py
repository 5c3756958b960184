"""FILE_STORAGE=s3 (issue 4): locked minutes PDFs stored through django-storages' S3
backend on an S3-compatible server run in the test (moto's server mode on a free port;
S3 itself is a remote service we do not run). The object lands in the bucket with the
recorded SHA-256, private; the download view streams the same bytes to a member;
verify_minutes checks the chain against the bucket and reports an altered object.
"""

import hashlib
import io
import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from moto.server import ThreadedMotoServer
from storages.backends.s3 import S3Storage

from meetings import pdf
from meetings.models import MinutesPdf
from tests.factories.meetings import full_meeting
from tests.factories.times import at

ROOT = Path(__file__).resolve().parents[1]
BUCKET = "chibo-files"
KEYS = {"access_key": "test-access-key", "secret_key": "test-secret-key"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3(s3_endpoint, settings):
    """The bucket, and settings switched to the S3 backend exactly as
    chibo/settings.py builds them for FILE_STORAGE=s3."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                **KEYS,
                "addressing_style": "path",
                "signature_version": "s3v4",
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
            },
        },
    }
    yield client
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in listed:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


PROBE = (
    "import json; from django.core.files.storage import default_storage as s; "
    "print(json.dumps([s.__class__.__name__, "
    "s.bucket_name, s.endpoint_url, s.region_name, s.access_key, s.secret_key, "
    "s.addressing_style, s.default_acl, s.querystring_auth, s.file_overwrite]))"
)


def test_file_storage_s3_builds_the_backend_from_the_environment():
    # Arrange: a fresh process with FILE_STORAGE=s3 and the documented variables
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("S3_", "FILE_STORAGE", "DJANGO_ALLOW_ASYNC"))
    }
    environment.update(
        FILE_STORAGE="s3",
        S3_BUCKET="chi-bo",
        S3_ENDPOINT_URL="https://minio.example.vn",
        S3_REGION="ap-southeast-1",
        S3_ACCESS_KEY_ID="AK",
        S3_SECRET_ACCESS_KEY="SK",
        S3_ADDRESSING_STYLE="path",
    )

    # Act
    done = subprocess.run(  # noqa: S603 — our own manage.py
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    # Assert: django-storages' S3 backend, private objects, signed URLs only
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [
        "S3Storage",
        "chi-bo",
        "https://minio.example.vn",
        "ap-southeast-1",
        "AK",
        "SK",
        "path",
        "private",
        True,
        False,
    ]


@pytest.mark.django_db
def test_minutes_pdf_stored_private_in_the_bucket_and_verified(
    tree, users, place, s3, s3_endpoint, persona_client
):
    # Arrange: the settings override reaches the storage the PDF records use
    assert isinstance(default_storage, S3Storage)
    assert default_storage.bucket_name == BUCKET

    # Act: lock two meetings' minutes and render the cell's pending PDFs
    first = full_meeting(tree, users, when=at(2026, 10, 5, 19, 30), tasks=False)
    second = full_meeting(tree, users, when=at(2026, 11, 3, 19, 30), tasks=False)
    pdf.render_pending(cell_id=tree.cell.pk)

    # Assert: each object is in the bucket with the recorded SHA-256 and size
    one = MinutesPdf.objects.get(minutes__meeting=first)
    two = MinutesPdf.objects.get(minutes__meeting=second)
    assert one.status == two.status == MinutesPdf.Status.DONE
    keys = sorted(item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"])
    assert keys == sorted([one.file.name, two.file.name])
    assert one.file.name == pdf.storage_name(one)
    for record in (one, two):
        body = s3.get_object(Bucket=BUCKET, Key=record.file.name)["Body"].read()
        assert hashlib.sha256(body).hexdigest() == record.sha256
        assert pdf.sha256(body) == record.sha256
        assert len(body) == record.size
        assert body.startswith(b"%PDF-")
    assert two.previous_sha256 == one.sha256

    # the object is private: no public grant, and an anonymous GET is refused
    acl = s3.get_object_acl(Bucket=BUCKET, Key=one.file.name)
    grantees = [grant["Grantee"] for grant in acl["Grants"]]
    assert all("URI" not in grantee for grantee in grantees)
    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(  # noqa: S310 — http URL of the test server
            f"{s3_endpoint}/{BUCKET}/{one.file.name}", timeout=10
        )
    assert refused.value.code == 403

    # the download view streams exactly the bucket's bytes to a member of the cell
    response = persona_client("member").get(
        reverse("meetings:minutes-pdf", args=[first.pk])
    )
    assert response.status_code == 200
    streamed = b"".join(response.streaming_content)
    assert hashlib.sha256(streamed).hexdigest() == one.sha256
    assert response["X-Content-SHA256"] == one.sha256
    # ...and not to anyone outside the cell's reach
    outside = persona_client("outsider").get(
        reverse("meetings:minutes-pdf", args=[first.pk])
    )
    assert outside.status_code == 404

    # verify_minutes recomputes the chain from the bucket
    out = io.StringIO()
    call_command("verify_minutes", "--cell", str(tree.cell.pk), stdout=out)
    assert f"cell {tree.cell.pk}: OK — 2 stored, 0 pending" in out.getvalue()

    # an object altered in the bucket is reported as a break of exactly that link
    altered = bytearray(streamed)
    altered[len(altered) // 2] ^= 0x01
    s3.put_object(Bucket=BUCKET, Key=one.file.name, Body=bytes(altered))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 break"):
        call_command("verify_minutes", "--cell", str(tree.cell.pk), stdout=out)
    assert [line for line in out.getvalue().splitlines() if "BROKEN" in line] == [
        f"cell {tree.cell.pk}: BROKEN at link 1 — meeting {first.pk} "
        f"(record {one.pk}): file altered (SHA-256 differs)"
    ]
