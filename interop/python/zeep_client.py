#!/usr/bin/python3
"""An independent eHealth MediPrima Consult v2 provider client: Python zeep + python-xmlsec.

It knows carmed only through the contract the server publishes: it loads the WSDL (and, through
it, the XSDs) from the running server, builds the request with zeep's typed factory, signs it with
WS-Security (BinarySecurityToken, ECDSA-SHA256 or RSA-SHA256, SHA-256 digests, signed Timestamp)
and verifies the answer's signature against the gateway certificate before reading it.

Prints a JSON summary on stdout. Exit codes: 0 answer read, 2 the server answered a SOAP Fault
(zeep raised zeep.exceptions.Fault after the fault's signature verified), 1 anything else
(transport, signature of the answer, unexpected content).

Written for carmed's interop test (server/zeep_test.go); run it with Debian's /usr/bin/python3
(packages python3-zeep and python3-xmlsec).
"""
import argparse
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
        signed = [("Body", envelope.find("{%s}Body" % ns.SOAP_ENV_11))]
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
        body = envelope.find("{%s}Body" % ns.SOAP_ENV_11)
        if body is None or body.get("{%s}Id" % ns.WSU) not in ids:
            raise SignatureVerificationFailed("answer Body is not signed")
        ts = envelope.find("{%s}Header/{%s}Security/{%s}Timestamp" % (ns.SOAP_ENV_11, ns.WSSE, ns.WSU))
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
        ssin = envelope.find(".//{%s}Body//BySsin/Ssin" % ns.SOAP_ENV_11)
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", required=True, help="gateway base URL, e.g. http://127.0.0.1:8080")
    ap.add_argument("--key", required=True, help="provider private key (PEM)")
    ap.add_argument("--cert", required=True, help="provider certificate (PEM)")
    ap.add_argument("--server-cert", required=True, help="the gateway's certificate (PEM)")
    ap.add_argument("--now", required=True, help="wall clock to sign with (RFC 3339)")
    ap.add_argument("--ssin", required=True)
    ap.add_argument("--date", required=True, help="ReferenceDate (YYYY-MM-DD)")
    ap.add_argument("--rsa", action="store_true", help="the key is RSA (default ECDSA P-256)")
    ap.add_argument("--tamper", action="store_true", help="change the Ssin after signing")
    ap.add_argument("--x509data", action="store_true", help="zeep's Signature (X509Data in the STR) instead of BinarySignature")
    ap.add_argument("--sha1", action="store_true", help="zeep's defaults: rsa-sha1 / ecdsa-sha1 and sha1 digests")
    ap.add_argument("--no-timestamp", action="store_true", help="as zeep does out of the box: no wsu:Timestamp")
    ap.add_argument("--dump", help="write the request and answer envelopes with this path prefix")
    a = ap.parse_args()

    now = parse_utc(a.now)
    T = xmlsec.Transform
    if a.sha1:
        method, digest = (T.RSA_SHA1 if a.rsa else T.ECDSA_SHA1), T.SHA1
    else:
        method, digest = (T.RSA_SHA256 if a.rsa else T.ECDSA_SHA256), T.SHA256
    kind = GatewayX509DataSignature if a.x509data else GatewayBinarySignature
    signer = kind(a.key, a.cert, a.server_cert, now, not a.no_timestamp, signature_method=method, digest_method=digest)
    chain = ([] if a.no_timestamp else [AddTimestamp(now)]) + [signer] + ([TamperAfterSigning()] if a.tamper else [])

    code = 0
    try:
        # The contract comes from the running server; so does the endpoint address (the WSDL's soap:address).
        client = Client(a.url + SERVICE_PATH + "?wsdl", wsse=Compose(chain),
                        transport=DumpTransport(a.dump) if a.dump else None)
        core = client.type_factory(NS_CORE)
        criteria = core.ConsultCarmedDataType(
            BySsin=core.BySsinType(Ssin=a.ssin, ReferenceDate=datetime.date.fromisoformat(a.date)))
        request_type = client.get_element("{%s}ConsultCarmedInterventionRequest" % NS_PROTOCOL).type
        request_id = "R" + str(uuid.uuid4())
        request = request_type(Id=request_id, IssueInstant=now, SelectionCriteria=criteria)

        resp = client.service.consultCarmedIntervention(
            Id=request.Id, IssueInstant=request.IssueInstant, SelectionCriteria=request.SelectionCriteria)
        print(json.dumps(summarize(request_id, resp), sort_keys=True))
    except Fault as f:
        code = 2
        detail = etree.tostring(f.detail, encoding="unicode") if f.detail is not None else None
        print(json.dumps({"fault": {"code": text(f.code), "message": text(f.message), "detail": detail}}, sort_keys=True))
    except Exception as e:  # noqa: BLE001 - report anything else as a failure of the exchange
        code = 1
        print(json.dumps({"error": type(e).__name__, "message": str(e)}, sort_keys=True))
    return code


if __name__ == "__main__":
    sys.exit(main())
