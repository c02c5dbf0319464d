#!/usr/bin/python3
"""The P2 anchor of issue 14: libxmlsec1 (python3-xmlsec, Debian) doing a gateway's signature work
on the same envelopes as `carmed load`: verify a presigned consult (the client's signature over
Body and Timestamp), then sign an answer of the gateway's shape (Body + Timestamp, exc-c14n,
ECDSA P-256 SHA-256) — one round trip. One worker process per core loops for the given time.

    tools/xmlsec_anchor.py --dir SAVED --client-cert CERT --key GATEWAY.key [--duration 10s] [--out JSONL]

SAVED is `carmed load --save`'s directory (req-N.xml, ans-N.xml: the gateway's answers serve as
signature templates, their digests and signature computed again). Prints round trips/s and the
CPU milliseconds each took; --out appends them as a JSON line labelled xmlsec/anchor.
"""
import argparse
import glob
import json
import multiprocessing
import os
import re
import sys
import time

from lxml import etree
import xmlsec

WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DS = "http://www.w3.org/2000/09/xmldsig#"
ID_ATTRS = ("Id", WSU)


def signed_parts(root):
    """Registers the wsu:Id of every element that has one, as a WS-Security verifier must."""
    for el in root.iter():
        if isinstance(el.tag, str) and el.get("{%s}Id" % WSU) is not None:
            xmlsec.tree.add_ids(el, ["Id"])


def template(raw):
    """An answer with its digests and signature value emptied: what xmlsec signs again."""
    root = etree.fromstring(raw)
    for tag in ("DigestValue", "SignatureValue"):
        for el in root.iter("{%s}%s" % (DS, tag)):
            el.text = ""
    return etree.tostring(root)


def keys(args):
    return (xmlsec.Key.from_file(args.client_cert, xmlsec.constants.KeyDataFormatCertPem),
            xmlsec.Key.from_file(args.key, xmlsec.constants.KeyDataFormatPem))


def round_trip(client, key, req, tmpl):
    # verify the consult as received (xmlsec raises on a bad signature)
    doc = etree.fromstring(req)
    signed_parts(doc)
    ctx = xmlsec.SignatureContext()
    ctx.key = client
    ctx.verify(doc.find(".//{%s}Signature" % DS))
    # sign an answer of the gateway's shape, and write it
    ans = etree.fromstring(tmpl)
    signed_parts(ans)
    ctx = xmlsec.SignatureContext()
    ctx.key = key
    ctx.sign(ans.find(".//{%s}Signature" % DS))
    return etree.tostring(ans)


def worker(args, reqs, tmpls, deadline, out):
    client, key = keys(args)
    n, cpu0 = 0, time.process_time()
    while time.monotonic() < deadline:
        i = n % len(reqs)
        round_trip(client, key, reqs[i], tmpls[i])
        n += 1
    out.put((n, time.process_time() - cpu0))


def duration(s):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m|h)", s)
    if not m:
        raise argparse.ArgumentTypeError("a duration: 10s, 1m, 500ms")
    return float(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[m.group(2)]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dir", required=True)
    p.add_argument("--client-cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--duration", type=duration, default="10s", help="like LOAD_DURATION: 10s, 1m, 500ms")
    p.add_argument("--procs", type=int, default=os.cpu_count())
    p.add_argument("--out")
    args = p.parse_args()
    reqs = [open(f, "rb").read() for f in sorted(glob.glob(os.path.join(args.dir, "req-*.xml")))]
    anss = [open(f, "rb").read() for f in sorted(glob.glob(os.path.join(args.dir, "ans-*.xml")))]
    if not reqs or len(reqs) != len(anss):
        sys.exit("xmlsec_anchor: no saved envelopes in %s" % args.dir)
    tmpls = [template(a) for a in anss]
    # one round trip outside the clock: a failure shows before anything is measured, and the
    # answer signed again must differ from the template (xmlsec did sign it)
    client, key = keys(args)
    if b"<ds:SignatureValue></ds:SignatureValue>" in round_trip(client, key, reqs[0], tmpls[0]):
        sys.exit("xmlsec_anchor: the answer was not signed")
    q = multiprocessing.Queue()
    begin = time.monotonic()
    deadline = begin + args.duration
    procs = [multiprocessing.Process(target=worker, args=(args, reqs, tmpls, deadline, q)) for _ in range(args.procs)]
    for pr in procs:
        pr.start()
    results = [q.get() for _ in procs]
    for pr in procs:
        pr.join()
    elapsed = time.monotonic() - begin
    n = sum(r[0] for r in results)
    cpu = sum(r[1] for r in results)
    rate = n / elapsed
    ms = cpu * 1000 / n if n else 0
    print("xmlsec anchor: %d round trips (verify + sign P-256) in %.2fs on %d processes: %.0f/s, %.3f ms CPU each"
          % (n, elapsed, args.procs, rate, ms))
    if args.out:
        with open(args.out, "a") as f:
            f.write(json.dumps({"label": "xmlsec/anchor", "op": "verify+sign", "ok": n, "sent": n,
                                "seconds": elapsed, "rps": rate, "gateway_cpu_ms_req": ms,
                                "gateway_cores": cpu / elapsed, "cores": args.procs}) + "\n")


if __name__ == "__main__":
    main()
