"""The SOAP layer of the interface (spec §3.3): six methods, three service addresses.

Every method takes simple parameters and returns one string: an XML document
``<return version="V.3.0"><msg_code>…</msg_code><msg>…</msg>…</return>``. On the wire that
is SOAP 1.1, document/literal wrapped (what the Java services of the provinces publish):
the request element is the method name in the service namespace, its parameters unqualified
child elements; the response is ``<methodResponse><return>string</return></methodResponse>``.

Shared by the client (``beian.authority.client``) and the simulator, which serves a WSDL
built by :func:`wsdl` so third-party SOAP clients (zeep, JAX-WS) can call it.
"""

from __future__ import annotations

import functools
import re
from xml.sax.saxutils import escape

from django.conf import settings
from lxml import etree

from beian.authority.codec.errors import XsdValidationError
from beian.authority.codec.schemas import SAFE_PARSER as SCHEMA_PARSER
from beian.authority.codec.schemas import schema_path

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
DEFAULT_NAMESPACE = "http://isp.beian.miit.gov.cn/ws"
RETURN_VERSION = "V.3.0"

AUTH = [
    ("ispId", "long"),
    ("userName", "string"),
    ("randVal", "string"),
    ("pwdHash", "string"),
]
# service name → URL path (spec: http://<server>/ISPWebService/upDownLoad?wsdl, ...)
SERVICES = {
    "upDownLoad": "/ISPWebService/upDownLoad",
    "queryBeianStatus": "/BeianStatusWebService/queryBeianStatus",
    "verifyBamm": "/BeianStatusWebService/verifyBamm",
}
# method → (service, parameters in prototype order)
METHODS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "isp_upload": (
        "upDownLoad",
        [
            *AUTH,
            ("beianInfo", "string"),
            ("beianInfoHash", "string"),
            ("dataSequence", "long"),
            ("encryptAlgorithm", "int"),
            ("hashAlgorithm", "int"),
            ("compressionFormat", "int"),
        ],
    ),
    "isp_download": ("upDownLoad", [*AUTH, ("hashAlgorithm", "int")]),
    "isp_downloadack": ("upDownLoad", [*AUTH, ("hashAlgorithm", "int"), ("fileName", "string")]),
    "isp_querypreviousupload": ("upDownLoad", [*AUTH, ("hashAlgorithm", "int")]),
    "isp_querybeianstatus": (
        "queryBeianStatus",
        [
            *AUTH,
            ("hashAlgorithm", "int"),
            ("queryConditionType", "int"),
            ("queryCondition", "string"),
        ],
    ),
    "isp_verifybamm": (
        "verifyBamm",
        [*AUTH, ("hashAlgorithm", "int"), ("baxh", "string"), ("bamm", "string")],
    ),
}
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


class SoapFault(Exception):
    """The server answered with a SOAP Fault."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def namespace() -> str:
    return getattr(settings, "BEIAN", {}).get("AUTHORITY_SOAP_NAMESPACE", DEFAULT_NAMESPACE)


def service_of(method: str) -> str:
    return METHODS[method][0]


# ---- requests --------------------------------------------------------------------------------


def request_envelope(method: str, params: dict) -> bytes:
    """The SOAP request for ``method`` with ``params`` (in prototype order)."""
    _service, spec = METHODS[method]
    body = "".join(
        f"<{name}>{escape(str(params[name]))}</{name}>" for name, _type in spec if name in params
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}" xmlns:ns="{namespace()}">'
        f"<soapenv:Body><ns:{method}>{body}</ns:{method}></soapenv:Body></soapenv:Envelope>"
    ).encode()


def parse_request(data: bytes) -> tuple[str, dict[str, str]]:
    """(method, {parameter: text}) of a SOAP request. Raises SoapFault('Client') if bad."""
    try:
        root = etree.fromstring(data, SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise SoapFault("soapenv:Client", f"not XML: {exc}") from exc
    if root.getroottree().docinfo.doctype:
        raise SoapFault("soapenv:Client", "DOCTYPE not allowed")
    body = root.find(f"{{{SOAP_ENV}}}Body")
    call = next((c for c in body if isinstance(c.tag, str)), None) if body is not None else None
    if call is None:
        raise SoapFault("soapenv:Client", "no SOAP Body")
    method = etree.QName(call).localname
    if method not in METHODS:
        raise SoapFault("soapenv:Client", f"unknown method {method}")
    params = {etree.QName(c).localname: (c.text or "") for c in call if isinstance(c.tag, str)}
    return method, params


# ---- responses -------------------------------------------------------------------------------


def response_envelope(method: str, return_xml: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}" xmlns:ns="{namespace()}">'
        f"<soapenv:Body><ns:{method}Response><return>{escape(return_xml)}</return>"
        f"</ns:{method}Response></soapenv:Body></soapenv:Envelope>"
    ).encode()


def fault_envelope(code: str, message: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}"><soapenv:Body><soapenv:Fault>'
        f"<faultcode>{escape(code)}</faultcode><faultstring>{escape(message)}</faultstring>"
        f"</soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    ).encode()


def parse_response(data: bytes) -> str:
    """The ``return`` string of a SOAP response; raises SoapFault for a Fault."""
    try:
        root = etree.fromstring(data, SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise SoapFault("client:NotXml", f"answer is not XML: {exc}") from exc
    body = root.find(f"{{{SOAP_ENV}}}Body")
    if body is None:
        raise SoapFault("client:NoBody", "answer has no SOAP Body")
    fault = body.find(f"{{{SOAP_ENV}}}Fault")
    if fault is not None:
        raise SoapFault(fault.findtext("faultcode") or "", fault.findtext("faultstring") or "")
    wrapper = next((c for c in body if isinstance(c.tag, str)), None)
    if wrapper is None:
        raise SoapFault("client:Empty", "empty SOAP Body")
    ret = next((c for c in wrapper if etree.QName(c).localname == "return"), None)
    return (ret.text or "") if ret is not None else ""


def return_xml(code: int, message: str, *children: str) -> str:
    """``<return version="V.3.0"><msg_code>…</msg_code><msg>…</msg>…</return>``."""
    return (
        f'<return version="{RETURN_VERSION}"><msg_code>{code}</msg_code>'
        f"<msg>{escape(message)}</msg>{''.join(children)}</return>"
    )


def element(tag: str, value) -> str:
    return f"<{tag}>{escape(str(value))}</{tag}>"


# ---- WSDL ------------------------------------------------------------------------------------


XSD_TYPES = {"long": "xsd:long", "int": "xsd:int", "string": "xsd:string"}


def wsdl(service: str, address: str) -> str:
    """A WSDL 1.1 (document/literal wrapped) for one service, with its methods."""
    ns = namespace()
    methods = [m for m, (s, _p) in METHODS.items() if s == service]
    elements, messages, operations, bindings = [], [], [], []
    for m in methods:
        fields = "".join(
            f'<xsd:element name="{n}" type="{XSD_TYPES[t]}"/>' for n, t in METHODS[m][1]
        )
        elements.append(
            f'<xsd:element name="{m}"><xsd:complexType><xsd:sequence>{fields}'
            f"</xsd:sequence></xsd:complexType></xsd:element>"
            f'<xsd:element name="{m}Response"><xsd:complexType><xsd:sequence>'
            f'<xsd:element name="return" type="xsd:string" minOccurs="0"/>'
            f"</xsd:sequence></xsd:complexType></xsd:element>"
        )
        messages.append(
            f'<wsdl:message name="{m}"><wsdl:part name="parameters" element="tns:{m}"/>'
            f'</wsdl:message><wsdl:message name="{m}Response">'
            f'<wsdl:part name="parameters" element="tns:{m}Response"/></wsdl:message>'
        )
        operations.append(
            f'<wsdl:operation name="{m}"><wsdl:input message="tns:{m}"/>'
            f'<wsdl:output message="tns:{m}Response"/></wsdl:operation>'
        )
        bindings.append(
            f'<wsdl:operation name="{m}"><soap:operation soapAction=""/>'
            f'<wsdl:input><soap:body use="literal"/></wsdl:input>'
            f'<wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" '
        f'xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" '
        f'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns="{ns}" '
        f'targetNamespace="{ns}" name="{service}">'
        f'<wsdl:types><xsd:schema targetNamespace="{ns}" elementFormDefault="unqualified">'
        f"{''.join(elements)}</xsd:schema></wsdl:types>"
        f"{''.join(messages)}"
        f'<wsdl:portType name="{service}PortType">{"".join(operations)}</wsdl:portType>'
        f'<wsdl:binding name="{service}Binding" type="tns:{service}PortType">'
        f'<soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>'
        f"{''.join(bindings)}</wsdl:binding>"
        f'<wsdl:service name="{service}"><wsdl:port name="{service}Port" '
        f'binding="tns:{service}Binding"><soap:address location="{escape(address)}"/>'
        f"</wsdl:port></wsdl:service></wsdl:definitions>"
    )


# ---- the return XML inside a response ---------------------------------------------------------

# Each method's return XML and its bundled schema (isp_verifybamm has none in the spec).
RETURN_SCHEMAS = {
    "isp_upload": "isp_upload-return.xsd",
    "isp_download": "isp_download-return.xsd",
    "isp_downloadack": "isp_downloadack-return.xsd",
    "isp_querypreviousupload": "isp_querypreviousupload-return.xsd",
    "isp_querybeianstatus": "isp_querybeianstatus-return.xsd",
}
_DECLARATION = re.compile(r"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["'][^>]*\?>""")


def parse_return(method: str, text: str):
    """The return XML of ``method`` (the ``return`` string of the response), read by the
    encoding it declares and validated against its bundled schema.

    The string's characters are right; its declaration may say GBK. Parsed as UTF-8 bytes
    under a GBK declaration, 操作成功 would read 鎿嶄綔鎴愬姛: so the text is encoded in the
    declared encoding and lxml decodes it by the same. Raises ``etree.XMLSyntaxError`` or
    :class:`XsdValidationError`."""
    found = _DECLARATION.match(text)
    declared = found.group(1) if found else "utf-8"
    try:
        data = text.encode(declared)
    except (LookupError, UnicodeEncodeError):
        data = _DECLARATION.sub("", text, count=1).encode("utf-8")
    root = etree.fromstring(data, SAFE_PARSER)
    if root.getroottree().docinfo.doctype:
        raise etree.XMLSyntaxError("DOCTYPE not allowed", None, 0, 0)
    if method in RETURN_SCHEMAS:
        schema = return_schema(RETURN_SCHEMAS[method])
        if not schema.validate(root):
            errors = [f"line {e.line}: {e.message}" for e in schema.error_log]
            raise XsdValidationError(RETURN_SCHEMAS[method], errors)
    return root


XS = "http://www.w3.org/2001/XMLSchema"


@functools.cache
def return_schema(name: str) -> etree.XMLSchema:
    """A bundled return schema, read as the spec's text means it: every one gives ``msg`` a
    fixed ``xs:length`` of 256, which no answer has (操作成功 is 4 characters; the spec's
    examples are short); it is read as ``xs:maxLength`` 256. Nothing else is changed."""
    with schema_path(name).open("rb") as fh:
        tree = etree.parse(fh, SCHEMA_PARSER)
    for facet in tree.iterfind(f".//{{{XS}}}element[@name='msg']//{{{XS}}}length"):
        facet.tag = f"{{{XS}}}maxLength"
    return etree.XMLSchema(tree)
