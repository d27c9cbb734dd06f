"""The return XML inside an answer is read by the encoding it declares and checked against the
bundled return schema — over real HTTP on loopback, from a server written here (not Beian's
simulator, which shares Beian's SOAP code)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

import pytest
from lxml import etree

from beian.authority import soap
from beian.authority.client import AuthorityClient, TransportError
from beian.authority.codec import XsdValidationError
from beian.authority.models import Exchange

pytestmark = pytest.mark.django_db

GBK_RETURN = '<?xml version="1.0" encoding="GBK"?><return version="V.3.0"><msg_code>0</msg_code><msg>操作成功</msg></return>'
NO_CODE = (
    '<?xml version="1.0" encoding="UTF-8"?><return version="V.3.0"><msg>操作成功</msg></return>'
)


def envelope(return_text: str) -> bytes:
    # A SOAP answer as a Java (Axis) server writes it: the return XML escaped inside.
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
        '<soapenv:Body><ns:isp_querypreviousuploadResponse xmlns:ns="http://isp.beian.miit.gov.cn/ws">'
        f"<return>{escape(return_text)}</return></ns:isp_querypreviousuploadResponse>"
        "</soapenv:Body></soapenv:Envelope>"
    ).encode()


@pytest.fixture
def province():
    """A loopback server answering every call with ``province.answer``."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = envelope(server.answer)
            self.send_response(200)
            self.send_header("Content-Type", "text/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.answer = GBK_RETURN
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def client_for(server) -> AuthorityClient:
    return AuthorityClient(
        url=f"http://127.0.0.1:{server.server_address[1]}",
        isp_id=1001,
        user_name="isp1001",
        password="pw",
        timeout=5,
        retries=1,
        backoff=0.01,
    )


def test_a_gbk_declared_answer_reads_as_written(province):
    answer = client_for(province).query_previous_upload()
    assert answer.code == 0
    assert answer.message == "操作成功"  # not 鎿嶄綔鎴愬姛 (its UTF-8 bytes read as GBK)
    assert Exchange.objects.get().return_message == "操作成功"


def test_an_answer_against_its_return_schema_is_not_taken(province):
    province.answer = NO_CODE
    with pytest.raises(TransportError, match="msg_code"):
        client_for(province).query_previous_upload()
    assert "unreadable answer" in Exchange.objects.get().error


def test_parse_return_by_declaration_and_schema():
    assert soap.parse_return("isp_upload", GBK_RETURN).findtext("msg") == "操作成功"
    utf8 = GBK_RETURN.replace("GBK", "UTF-8")
    assert soap.parse_return("isp_upload", utf8).findtext("msg") == "操作成功"
    with pytest.raises(XsdValidationError):
        soap.parse_return("isp_upload", NO_CODE)
    with pytest.raises(etree.XMLSyntaxError):
        soap.parse_return("isp_upload", "<return>")
    # What the old reading gave: the UTF-8 bytes under the GBK declaration.
    wrong = etree.fromstring(GBK_RETURN.encode("utf-8")).findtext("msg")
    assert wrong == "鎿嶄綔鎴愬姛"
