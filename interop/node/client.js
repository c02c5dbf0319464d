#!/usr/bin/env node
// make interop, node stack: node-soap (npm `soap`, pinned in package.json) loads the served WSDL and
// signs with its WSSecurityCert (RSA only: the demo party keys are RSA by default); the gateway's
// answer is verified with xml-crypto against the gateway certificate (RSA gateway key: xml-crypto
// knows no ECDSA).
//
// Usage: node client.js URL PKI_DIR REQUEST_DIR VARIANT:OPERATION...
// Prints one RESULT line per job (see interop/run.sh).
'use strict';

const fs = require('fs');
const path = require('path');
const soap = require('soap');
const { SignedXml } = require('xml-crypto');
const { DOMParser } = require('@xmldom/xmldom');

const NS_WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const NS_WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';
const NS_DS = 'http://www.w3.org/2000/09/xmldsig#';

// The WSSecurityCert options of each variant, and whether it uses the CPAS SOAP 1.2 port.
const VARIANTS = {
  'bst-sha256': { options: {} },
  'wsu-id': { options: { signerOptions: { idMode: 'wssecurity' } } },
  sha512: {
    options: {
      signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
      digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha512',
    },
  },
  soap12: { options: {}, soap12: true },
  // control: the answer is checked against another certificate than the gateway's
  'wrong-gateway-cert': { options: {}, gatewayCert: 'gp-dupont.crt' },
};

const OPERATIONS = {
  create: { party: 'cpas-namur', path: '/cpas/v1', method: 'createCarmed' },
  consult: { party: 'cpas-namur', path: '/cpas/v1', method: 'consultCarmed' },
  provider: { party: 'hospital-chr', path: '/MediPrima/Consult/v2', method: 'consultCarmedIntervention' },
};

function firstNS(node, ns, name) {
  const list = node.getElementsByTagNameNS(ns, name);
  return list.length ? list[0] : null;
}

// verifyAnswer checks the gateway's signature with xml-crypto, and what xml-crypto leaves to its
// caller: that the Body and the Timestamp are among the signed references, and the Timestamp is current.
function verifyAnswer(xml, gatewayCert) {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const security = firstNS(doc, NS_WSSE, 'Security');
  const signature = security && firstNS(security, NS_DS, 'Signature');
  if (!signature) return 'no Signature in the answer';
  const sig = new SignedXml({ publicCert: gatewayCert });
  sig.loadSignature(signature);
  if (!sig.checkSignature(xml)) return 'signature does not verify';
  const uris = sig.getReferences().map((r) => (r.uri || '').replace(/^#/, ''));
  const body = doc.documentElement.getElementsByTagNameNS(doc.documentElement.namespaceURI, 'Body')[0];
  const ts = firstNS(security, NS_WSU, 'Timestamp');
  for (const [what, el] of [['Body', body], ['Timestamp', ts]]) {
    if (!el || !uris.includes(el.getAttributeNS(NS_WSU, 'Id'))) return `answer ${what} not signed`;
  }
  const expires = firstNS(ts, NS_WSU, 'Expires');
  if (!expires || new Date(expires.textContent) < new Date()) return 'answer Timestamp expired';
  return '';
}

function statusOf(op, result) {
  if (op === 'provider') {
    const code = result && result.Status && result.Status.StatusCode;
    const value = code && code.attributes && code.attributes.Value;
    return value ? value.split(':').pop() : 'no status';
  }
  const s = result && result.status;
  return s ? `${s.value}/${s.code}` : 'no status';
}

function faultCode(raw) {
  const doc = new DOMParser().parseFromString(raw, 'text/xml');
  for (const name of ['faultcode', 'Subcode', 'Code']) {
    const list = doc.getElementsByTagNameNS('*', name);
    if (list.length) return list[0].textContent.trim().split(/\s+/).pop();
  }
  return 'unknown';
}

async function one(url, pki, reqDir, variant, op) {
  const v = VARIANTS[variant];
  const o = OPERATIONS[op];
  const key = fs.readFileSync(path.join(pki, `${o.party}.key`));
  const cert = fs.readFileSync(path.join(pki, `${o.party}.crt`), 'utf8');
  const gatewayCert = fs.readFileSync(path.join(pki, v.gatewayCert || 'gateway.crt'), 'utf8');
  const payload = fs.readFileSync(path.join(reqDir, `node-${variant}-${op}.xml`), 'utf8').replace(/^<\?xml[^>]*\?>\s*/, '');

  const client = await soap.createClientAsync(url + o.path + '?wsdl', { forceSoap12Headers: !!v.soap12 });
  client.setSecurity(new soap.WSSecurityCert(key, cert, '', v.options));
  let method = client[o.method + 'Async'];
  if (v.soap12) {
    method = client.CarmedCpasService.CarmedCpasSoap12Port[o.method];
    method = ((m) => (args) => new Promise((resolve, reject) =>
      m(args, (err, result, raw) => (err ? reject(err) : resolve([result, raw])))))(method);
  }
  let answer;
  let raw;
  try {
    const [result, rawResponse] = await method({ _xml: payload });
    raw = rawResponse;
    answer = statusOf(op, result);
  } catch (err) {
    raw = err.body || (err.response && err.response.data);
    if (!raw || typeof raw !== 'string') return [`error:${err.message}`, 'no'];
    answer = `fault:${faultCode(raw)}`;
  }
  const problem = verifyAnswer(raw, gatewayCert);
  if (problem) return [`${answer} (${problem})`, 'no'];
  return [answer, 'yes'];
}

async function main() {
  const [url, pki, reqDir, ...jobs] = process.argv.slice(2);
  for (const job of jobs) {
    const [variant, op] = job.split(':');
    let answer;
    let verified;
    try {
      [answer, verified] = await one(url, pki, reqDir, variant, op);
    } catch (err) {
      [answer, verified] = [`error:${err.message}`, 'no'];
    }
    console.log(['RESULT', 'node', variant, op, answer.replace(/\s+/g, ' '), verified].join('\t'));
  }
}

main();
