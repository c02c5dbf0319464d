package wssec

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/beevik/etree"
)

// SealBody wraps payload — one operation element standing alone, declaring the namespaces it
// uses — in a SOAP envelope of version v (prefix env) and signs it as SignEnvelope does: a
// BinarySecurityToken, a Timestamp and one ds:Signature over the Body and the Timestamp.
//
// The gateway writes its own answers, so nothing is parsed back: the Body and the Timestamp are
// written in their exclusive canonical form, digested as written, and the SignedInfo is written
// canonical by construction and signed as written. The envelope's bytes then contain the
// digested bytes verbatim (redundant namespace declarations included, which keep each signed
// part's canonical form equal to what it is in place). A payload outside the byte
// canonicalizer's subset (c14n_bytes.go), or a signer with a non-default form (another token
// reference, no Expires, SAML), takes the tree path: parse, SignEnvelope, write.
func (s *Signer) SealBody(v SOAPVersion, payload []byte) ([]byte, error) {
	if s.KeyRef != RefBST || s.Assertion != nil || s.NoExpires {
		return s.sealTree(v, payload)
	}
	alg, err := s.algorithm()
	if err != nil {
		return nil, err
	}
	digestURI, digestHash, err := s.digest()
	if err != nil {
		return nil, err
	}
	bodyID := newID("Body-")
	body, prefixes, err := canonicalBody(v, bodyID, payload)
	if err != nil {
		return s.sealTree(v, payload)
	}

	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	created := now().UTC().Truncate(time.Millisecond)
	expires := created.Add(orDefault(s.TTL, DefaultSignTTL))
	bstID, tsID := newID("X509-"), newID("TS-")

	mu := "1"
	if v == SOAP12 {
		mu = "true"
	}
	// One buffer: the Timestamp and the SignedInfo are digested and signed where they are written.
	out := make([]byte, 0, len(body)+len(s.Cert.Raw)*4/3+3000)
	out = append(out, `<env:Envelope xmlns:env="`...)
	out = append(out, v.ns()...)
	out = append(out, `"><env:Header><wsse:Security xmlns:wsse="`+nsWSSE+`" xmlns:wsu="`+nsWSU+`" env:mustUnderstand="`...)
	out = append(out, mu...)
	out = append(out, `"><wsse:BinarySecurityToken EncodingType="`+encodingBase64+`" ValueType="`+valueTypeX509v3+`" wsu:Id="`...)
	out = append(out, bstID...)
	out = append(out, `">`...)
	out = base64.StdEncoding.AppendEncode(out, s.Cert.Raw)
	out = append(out, `</wsse:BinarySecurityToken>`...)
	tsStart := len(out)
	out = append(out, `<wsu:Timestamp xmlns:wsu="`+nsWSU+`" wsu:Id="`...)
	out = append(out, tsID...)
	out = append(out, `"><wsu:Created>`...)
	out = created.AppendFormat(out, timestampLayout)
	out = append(out, `</wsu:Created><wsu:Expires>`...)
	out = expires.AppendFormat(out, timestampLayout)
	out = append(out, `</wsu:Expires></wsu:Timestamp>`...)
	ts := out[tsStart:len(out):len(out)]
	out = append(out, `<ds:Signature xmlns:ds="`+nsDS+`">`...)
	siStart := len(out)
	out = append(out, `<ds:SignedInfo xmlns:ds="`+nsDS+`"><ds:CanonicalizationMethod Algorithm="`+algExcC14N+
		`"></ds:CanonicalizationMethod><ds:SignatureMethod Algorithm="`...)
	out = append(out, alg.uri...)
	out = append(out, `"></ds:SignatureMethod>`...)
	for _, part := range []struct {
		id, prefixes string
		data         []byte
	}{
		{bodyID, prefixes, body},
		{tsID, "", ts},
	} {
		out = append(out, `<ds:Reference URI="#`...)
		out = append(out, part.id...)
		out = append(out, `"><ds:Transforms><ds:Transform Algorithm="`+algExcC14N+`">`...)
		if part.prefixes != "" {
			out = append(out, `<ec:InclusiveNamespaces xmlns:ec="`+nsExcC14N+`" PrefixList="`...)
			out = append(out, part.prefixes...)
			out = append(out, `"></ec:InclusiveNamespaces>`...)
		}
		out = append(out, `</ds:Transform></ds:Transforms><ds:DigestMethod Algorithm="`...)
		out = append(out, digestURI...)
		out = append(out, `"></ds:DigestMethod><ds:DigestValue>`...)
		sum := digestHash.New()
		sum.Write(part.data)
		out = base64.StdEncoding.AppendEncode(out, sum.Sum(nil))
		out = append(out, `</ds:DigestValue></ds:Reference>`...)
	}
	out = append(out, `</ds:SignedInfo>`...)
	value, err := s.sign(alg, out[siStart:])
	if err != nil {
		return nil, err
	}
	out = append(out, `<ds:SignatureValue>`...)
	out = base64.StdEncoding.AppendEncode(out, value)
	out = append(out, `</ds:SignatureValue><ds:KeyInfo><wsse:SecurityTokenReference><wsse:Reference URI="#`...)
	out = append(out, bstID...)
	out = append(out, `" ValueType="`+valueTypeX509v3+`"/></wsse:SecurityTokenReference></ds:KeyInfo></ds:Signature></wsse:Security></env:Header>`...)
	out = append(out, body...)
	out = append(out, `</env:Envelope>`...)
	return out, nil
}

// canonicalBody is the exclusive canonical form of an env:Body with the wsu:Id id holding
// payload, as it stands in SealBody's envelope, and the PrefixList of its Reference: the
// prefixes used as QNames in its text (qnamePrefixes' rule).
func canonicalBody(v SOAPVersion, id string, payload []byte) ([]byte, string, error) {
	vns := v.ns()
	// In scope at the Body and rendered by its canonical start tag: env and wsu.
	ctx := []binding{{"", ""}, {"xml", nsXML}, {"xmlns", nsXMLNS}, {"env", vns}, {"wsu", nsWSU}}
	inner, qnames, err := canonicalFragment(payload, ctx, ctx, nil)
	if err == nil && len(qnames) > 0 {
		// A listed prefix is rendered where it is declared: canonicalize again with the list.
		inner, _, err = canonicalFragment(payload, ctx, ctx, qnames)
	}
	if err != nil {
		return nil, "", err
	}
	body := make([]byte, 0, len(inner)+300)
	body = append(body, `<env:Body xmlns:env="`...)
	body = append(body, vns...)
	body = append(body, `" xmlns:wsu="`+nsWSU+`" wsu:Id="`...)
	body = append(body, id...)
	body = append(body, `">`...)
	body = append(body, inner...)
	body = append(body, `</env:Body>`...)
	return body, strings.Join(qnames, " "), nil
}

// sealTree is SealBody by the tree: the payload parsed into an envelope that SignEnvelope signs.
func (s *Signer) sealTree(v SOAPVersion, payload []byte) ([]byte, error) {
	p := etree.NewDocument()
	if err := p.ReadFromBytes(payload); err != nil {
		return nil, fmt.Errorf("wssec: the payload to seal: %w", err)
	}
	if p.Root() == nil {
		return nil, fmt.Errorf("wssec: the payload to seal has no element")
	}
	doc := etree.NewDocument()
	env := doc.CreateElement("env:Envelope")
	env.CreateAttr("xmlns:env", v.ns())
	env.CreateElement("env:Header")
	env.CreateElement("env:Body").AddChild(p.Root())
	if err := s.SignEnvelope(doc); err != nil {
		return nil, err
	}
	return doc.WriteToBytes()
}
