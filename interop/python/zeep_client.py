#!/usr/bin/python3
"""An independent carmed client: Python zeep + python-xmlsec, for both faces.

Provider face (default): an eHealth MediPrima Consult v2 consultCarmedIntervention built with
zeep's typed factory. CPAS face (--request FILE): the createCarmed / consultCarmed / ... payload in
FILE, read by zeep against the served schema and sent as typed values.

It knows carmed only through the contract the server publishes: it loads the WSDL (and, through
it, the XSDs) from the running server, signs with WS-Security (a BinarySecurityToken or X509Data,
RSA or ECDSA as the key is, SHA-256 or SHA-512, signed Timestamp) and verifies the answer's
signature against the gateway certificate before reading it.

Prints a JSON summary on stdout. Exit codes: 0 answer read, 2 the server answered a SOAP Fault
(zeep raised zeep.exceptions.Fault after the fault's signature verified), 1 anything else
(transport, signature of the answer, unexpected content).

Used by server/zeep_test.go and by `make interop` (interop/python/run); run it with Debian's
/usr/bin/python3 (packages python3-zeep and python3-xmlsec).
"""
import argparse
import base64
import datetime
import json
import sys
import uuid

import xmlsec
from lxml import etree
from zeep import Client, ns
from zeep.exceptions import Fault, SignatureVerificationFailed
from zeep.transports import Transport
from zeep.wsse.compose import Compose
from zeep.wsse.signature import BinarySignature, Signature, _make_verify_key, _verify_envelope_with_key
from zeep.wsse.utils import WSU, ensure_id, get_security_header

SERVICE_PATH = "/MediPrima/Consult/v2"
CPAS_PATH = "/cpas/v1"
CPAS_SERVICE, CPAS_SOAP12_PORT = "CarmedCpasService", "CarmedCpasSoap12Port"
SOAP_ENV_12 = "http://www.w3.org/2003/05/soap-envelope"
NS_PROTOCOL = "urn:be:fgov:ehealth:mediprima:protocol:v2"
NS_CORE = "urn:be:fgov:ehealth:mediprima:core:v2"
TIMESTAMP_TTL = datetime.timedelta(minutes=5)  # what zeep users and WSS4J commonly send
# Our own check of the answer's Timestamp: the server's clock may differ from the one we were given.
CLOCK_SKEW = datetime.timedelta(minutes=5)


def utc_text(t):
    return t.astimezone(datetime.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text):
    return datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))


class AddTimestamp:
    """zeep never adds a wsu:Timestamp: put one in the Security header before the signer runs
    (zeep's signer references the Timestamp it finds there)."""

    def __init__(self, now):
        self.now = now

    def apply(self, envelope, headers):
        security = get_security_header(envelope)
        ts = WSU.Timestamp(WSU.Created(utc_text(self.now)), WSU.Expires(utc_text(self.now + TIMESTAMP_TTL)))
        ensure_id(ts)
        security.append(ts)
        return envelope, headers

    def verify(self, envelope):
        return envelope


RSA_OID = bytes.fromhex("2a864886f70d010101")  # rsaEncryption, in the DER of a PKCS#8 key
EC_OID = bytes.fromhex("2a8648ce3d0201")  # id-ecPublicKey


def key_is_rsa(key_file):
    """Whether a PEM private key (PKCS#8, PKCS#1 or SEC 1) is RSA; python-xmlsec needs to be told."""
    with open(key_file) as f:
        pem = f.read()
    if "BEGIN RSA PRIVATE KEY" in pem or "BEGIN EC PRIVATE KEY" in pem:
        return "BEGIN RSA" in pem
    der = base64.b64decode("".join(l for l in pem.splitlines() if l and not l.startswith("-----")))
    if RSA_OID in der[:32]:
        return True
    if EC_OID in der[:32]:
        return False
    raise ValueError("%s: neither an RSA nor an ECDSA key" % key_file)


def body_of(envelope):
    body = envelope.find("{%s}Body" % ns.SOAP_ENV_11)
    return body if body is not None else envelope.find("{%s}Body" % SOAP_ENV_12)


def referenced_ids(envelope):
    sig = envelope.find(".//{%s}Security/{%s}Signature" % (ns.WSSE, ns.DS))
    if sig is None:
        return sig, []
    refs = sig.findall("{%s}SignedInfo/{%s}Reference" % (ns.DS, ns.DS))
    return sig, [r.get("URI", "")[1:] for r in refs]


class GatewayVerify:
    """Mixin for zeep's signers: checks their work after signing and verifies answers against the
    gateway's certificate (zeep's verify would use the client's own certificate)."""

    def __init__(self, key_file, cert_file, server_cert_file, now, want_timestamp, **kw):
        super().__init__(key_file, cert_file, **kw)
        with open(server_cert_file, "rb") as f:
            self.server_cert = f.read()
        self.now = now
        self.want_timestamp = want_timestamp

    def apply(self, envelope, headers):
        envelope, headers = super().apply(envelope, headers)
        _, ids = referenced_ids(envelope)
        signed = [("Body", body_of(envelope))]
        if self.want_timestamp:
            signed.append(("Timestamp", envelope.find(".//{%s}Security/{%s}Timestamp" % (ns.WSSE, ns.WSU))))
        for what, node in signed:
            if node is None or node.get("{%s}Id" % ns.WSU) not in ids:
                raise RuntimeError("zeep did not sign the %s" % what)
        return envelope, headers

    def verify(self, envelope):
        # zeep's check: the signature verifies with the given key (it resolves wsu:Id only).
        _verify_envelope_with_key(envelope, _make_verify_key(self.server_cert))
        # zeep does not check WHAT was signed: a reader must only trust a signed Body and Timestamp.
        _, ids = referenced_ids(envelope)
        for i in ids:
            if len(envelope.xpath("//*[@wsu:Id=$i]", namespaces={"wsu": ns.WSU}, i=i)) != 1:
                raise SignatureVerificationFailed("reference %r is not exactly one element" % i)
        body = body_of(envelope)
        if body is None or body.get("{%s}Id" % ns.WSU) not in ids:
            raise SignatureVerificationFailed("answer Body is not signed")
        ts = envelope.find("{*}Header/{%s}Security/{%s}Timestamp" % (ns.WSSE, ns.WSU))
        if ts is None or ts.get("{%s}Id" % ns.WSU) not in ids:
            raise SignatureVerificationFailed("answer Timestamp is missing or not signed")
        created = parse_utc(ts.findtext("{%s}Created" % ns.WSU))
        expires = parse_utc(ts.findtext("{%s}Expires" % ns.WSU))
        if created - CLOCK_SKEW > self.now or expires + CLOCK_SKEW < self.now:
            raise SignatureVerificationFailed("answer Timestamp is not current")
        return envelope


class GatewayBinarySignature(GatewayVerify, BinarySignature):
    """KeyInfo: a SecurityTokenReference to a BinarySecurityToken holding the certificate."""


class GatewayX509DataSignature(GatewayVerify, Signature):
    """KeyInfo: a SecurityTokenReference holding X509Data (issuer/serial and the certificate)."""


class TamperAfterSigning:
    """Test only: change the Ssin once the signature is made, as a man in the middle would."""

    def apply(self, envelope, headers):
        ssin = body_of(envelope).find(".//{*}Ssin")
        if ssin is None:
            ssin = body_of(envelope).find(".//{*}ssin")
        ssin.text = ssin.text[:-1] + str((int(ssin.text[-1]) + 1) % 10)
        return envelope, headers

    def verify(self, envelope):
        return envelope


class DumpTransport(Transport):
    """Writes the exact bytes sent and received (debugging a failed exchange)."""

    def __init__(self, prefix):
        super().__init__()
        self.prefix = prefix

    def post(self, address, message, headers):
        with open(self.prefix + "-request.xml", "wb") as f:
            f.write(message if isinstance(message, bytes) else message.encode())
        response = super().post(address, message, headers)
        with open(self.prefix + "-answer.xml", "wb") as f:
            f.write(response.content)
        return response


def text(v):
    return None if v is None else str(v)


def summarize(request_id, resp):
    status = resp.Status.StatusCode
    out = {
        "status": status.Value,
        "subStatus": status.StatusCode.Value if status.StatusCode is not None else None,
        "id": resp.Id,
        "inResponseTo": resp.InResponseTo,
        "requestId": request_id,
        "echoedSsin": resp.SelectionCriteria.BySsin.Ssin,
        "carmed": [],
    }
    for c in (resp.Result.Carmed if resp.Result is not None else []):
        refund = c.CarmedContent.RefundPodmiSppis if c.CarmedContent is not None else None
        out["carmed"].append({
            "carmedNumber": c.CarmedIdentifier.CarmedNumber,
            "version": int(c.CarmedIdentifier.VersionNumber),
            "ssin": c.CarmedIdentifier.Beneficiary.Ssin,
            "hasContent": c.CarmedContent is not None,
            "agreementNumber": bool(c.AgreementNumber),
            "refundCode": int(refund.RefundCode) if refund is not None else None,
            "medicalUrgency": bool(refund.MedicalUrgencyInd) if refund is not None else None,
        })
    out["count"] = len(out["carmed"])
    return out


def summarize_cpas(resp):
    status = resp.status
    return {"status": status.value, "subStatus": status.code, "ticket": resp.informationCustomer.ticket}


def call_cpas(a, wsse, transport):
    """Sends the CPAS payload in a.request through the operation its root element names."""
    client = Client(a.url + CPAS_PATH + "?wsdl", wsse=wsse, transport=transport)
    service = client.bind(CPAS_SERVICE, CPAS_SOAP12_PORT) if a.soap12 else client.service
    payload = etree.parse(a.request).getroot()
    value = client.get_element(payload.tag).parse(payload, client.wsdl.types)
    operation = etree.QName(payload).localname[:-len("Request")]
    resp = getattr(service, operation)(**{k: value[k] for k in value})
    return summarize_cpas(resp)


def call_provider(a, now, wsse, transport):
    # The contract comes from the running server; so does the endpoint address (the WSDL's soap:address).
    client = Client(a.url + SERVICE_PATH + "?wsdl", wsse=wsse, transport=transport)
    core = client.type_factory(NS_CORE)
    criteria = core.ConsultCarmedDataType(
        BySsin=core.BySsinType(Ssin=a.ssin, ReferenceDate=datetime.date.fromisoformat(a.date)))
    request_type = client.get_element("{%s}ConsultCarmedInterventionRequest" % NS_PROTOCOL).type
    request_id = "R" + str(uuid.uuid4())
    request = request_type(Id=request_id, IssueInstant=now, SelectionCriteria=criteria)
    resp = client.service.consultCarmedIntervention(
        Id=request.Id, IssueInstant=request.IssueInstant, SelectionCriteria=request.SelectionCriteria)
    return summarize(request_id, resp)


def parser():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", required=True, help="gateway base URL, e.g. http://127.0.0.1:8080")
    ap.add_argument("--key", required=True, help="provider private key (PEM)")
    ap.add_argument("--cert", required=True, help="provider certificate (PEM)")
    ap.add_argument("--server-cert", required=True, help="the gateway's certificate (PEM)")
    ap.add_argument("--now", required=True, help="wall clock to sign with (RFC 3339)")
    ap.add_argument("--ssin", help="provider face: the Ssin to consult")
    ap.add_argument("--date", help="provider face: ReferenceDate (YYYY-MM-DD)")
    ap.add_argument("--request", help="CPAS face: the request payload (XML) to send")
    ap.add_argument("--soap12", action="store_true", help="CPAS face: the SOAP 1.2 port")
    ap.add_argument("--sha512", action="store_true", help="rsa-sha512 / ecdsa-sha512 and sha512 digests")
    ap.add_argument("--tamper", action="store_true", help="change the Ssin after signing")
    ap.add_argument("--x509data", action="store_true", help="zeep's Signature (X509Data in the STR) instead of BinarySignature")
    ap.add_argument("--sha1", action="store_true", help="zeep's defaults: rsa-sha1 / ecdsa-sha1 and sha1 digests")
    ap.add_argument("--no-timestamp", action="store_true", help="as zeep does out of the box: no wsu:Timestamp")
    ap.add_argument("--dump", help="write the request and answer envelopes with this path prefix")
    return ap


def run(a):
    """One exchange; returns (exit code, summary)."""
    now = parse_utc(a.now)
    T = xmlsec.Transform
    rsa = key_is_rsa(a.key)
    if a.sha1:
        method, digest = (T.RSA_SHA1 if rsa else T.ECDSA_SHA1), T.SHA1
    elif a.sha512:
        method, digest = (T.RSA_SHA512 if rsa else T.ECDSA_SHA512), T.SHA512
    else:
        method, digest = (T.RSA_SHA256 if rsa else T.ECDSA_SHA256), T.SHA256
    kind = GatewayX509DataSignature if a.x509data else GatewayBinarySignature
    signer = kind(a.key, a.cert, a.server_cert, now, not a.no_timestamp, signature_method=method, digest_method=digest)
    chain = ([] if a.no_timestamp else [AddTimestamp(now)]) + [signer] + ([TamperAfterSigning()] if a.tamper else [])

    wsse = Compose(chain)
    transport = DumpTransport(a.dump) if a.dump else None
    try:
        if a.request:
            return 0, call_cpas(a, wsse, transport)
        return 0, call_provider(a, now, wsse, transport)
    except Fault as f:
        detail = etree.tostring(f.detail, encoding="unicode") if f.detail is not None else None
        return 2, {"fault": {"code": text(f.code), "message": text(f.message), "detail": detail}}
    except Exception as e:  # noqa: BLE001 - report anything else as a failure of the exchange
        return 1, {"error": type(e).__name__, "message": str(e)}


def main():
    a = parser().parse_args()
    if not a.request and not (a.ssin and a.date):
        parser().error("give --request (CPAS face) or --ssin and --date (provider face)")
    code, summary = run(a)
    print(json.dumps(summary, sort_keys=True))
    return code


if __name__ == "__main__":
    sys.exit(main())
