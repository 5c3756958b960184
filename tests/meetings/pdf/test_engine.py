"""The one WeasyPrint engine (meetings/pdf/engine.py, the door meetings.api):
any HTML to PDF bytes with a static stylesheet and its embedded fonts, PDF/A-3b
with attachments, and nothing fetched from outside static/."""

import io
import re

import pytest
from pypdf import PdfReader

from meetings import api, pdf

HTML = "<html><body><p>Chi bộ khối phố 5</p><p><b>Đảng viên</b></p></body></html>"


def test_render_pdf_embeds_the_stylesheet_fonts():
    content = api.render_pdf(HTML, stylesheet="evaluations/dashboard_print.css")

    reader = PdfReader(io.BytesIO(content))
    assert content.startswith(b"%PDF-")
    assert "Chi bộ khối phố 5" in reader.pages[0].extract_text()
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
    assert names
    assert all("Chibo-Serif" in name for name in names), names
    assert reader.attachments == {}


def test_render_pdf_archival_is_pdf_a_3b_with_the_attachment():
    content = api.render_pdf(
        HTML,
        stylesheet="pdf/print.css",
        archival=True,
        attachments=[api.FileAttachment(name="data.json", string='{"a": 1}')],
    )

    reader = PdfReader(io.BytesIO(content))
    assert reader.attachments == {"data.json": [b'{"a": 1}']}
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part(=\"|>)3", raw), raw[:500]
    assert re.search(r"pdfaid:conformance(=\"|>)B", raw), raw[:500]


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/logo.png",
        "file:///etc/passwd",
        "http://127.0.0.1/x",
        # a prefix check alone let these through
        (pdf.STATIC_DIR / "fonts").as_uri() + "/../../../../../etc/passwd",
        (pdf.STATIC_DIR).as_uri() + "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "file://evil.example" + pdf.STATIC_DIR.as_posix() + "/css/app.css",
    ],
)
def test_only_static_files_may_be_fetched(url):
    with pytest.raises(ValueError, match="refused to fetch"):
        pdf.static_url_fetcher(url)


def test_static_fonts_are_fetched():
    font = pdf.STATIC_DIR / "fonts" / "LiberationSerif-Regular.ttf"

    response = pdf.static_url_fetcher(font.as_uri())

    try:
        assert response.read()[:4] == b"\x00\x01\x00\x00"  # a TrueType font
    finally:
        response.close()


def test_a_resource_outside_static_is_left_out_of_the_document(caplog):
    html = '<p>Chi bộ</p><img src="file:///etc/hostname" alt="">'

    content = api.render_pdf(html, stylesheet="pdf/print.css")

    assert content.startswith(b"%PDF-")
    assert "refused to fetch 'file:///etc/hostname'" in caplog.text
