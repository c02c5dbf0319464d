package wssec

import (
	"errors"

	"github.com/beevik/etree"
)

// SOAPVersion is the SOAP version of an envelope.
type SOAPVersion int

// The two SOAP versions.
const (
	SOAP11 SOAPVersion = 11
	SOAP12 SOAPVersion = 12
)

func (v SOAPVersion) String() string {
	if v == SOAP12 {
		return "SOAP 1.2"
	}
	return "SOAP 1.1"
}

func (v SOAPVersion) ns() string {
	if v == SOAP12 {
		return nsSOAP12
	}
	return nsSOAP11
}

// envelope holds the parts of a SOAP envelope found by position.
type envelope struct {
	version            SOAPVersion
	root, header, body *etree.Element
}

// is reports whether el is the element {ns}local, prefixes resolved.
func is(el *etree.Element, ns, local string) bool {
	return el.Tag == local && el.NamespaceURI() == ns
}

var errEnvelopeShape = errors.New("not a SOAP envelope with at most one Header followed by one Body")

// findEnvelope checks the root is a SOAP 1.1 or 1.2 Envelope whose element children are an
// optional Header followed by exactly one Body, and nothing else.
func findEnvelope(doc *etree.Document) (envelope, error) {
	var env envelope
	root := doc.Root()
	if root == nil || root.Tag != "Envelope" {
		return env, errEnvelopeShape
	}
	switch root.NamespaceURI() {
	case nsSOAP11:
		env.version = SOAP11
	case nsSOAP12:
		env.version = SOAP12
	default:
		return env, errEnvelopeShape
	}
	env.root = root
	ns := env.version.ns()
	for _, c := range root.ChildElements() {
		switch {
		case env.header == nil && env.body == nil && is(c, ns, "Header"):
			env.header = c
		case env.body == nil && is(c, ns, "Body"):
			env.body = c
		default:
			// A second Header or Body, a Header after the Body, or anything else: a shape that
			// only attacks and broken clients produce.
			return env, errEnvelopeShape
		}
	}
	if env.body == nil {
		return env, errEnvelopeShape
	}
	return env, nil
}

// securityHeaders returns the wsse:Security headers addressed to this node: no actor/role, the
// "next" or "ultimateReceiver" role, or one of extra.
func securityHeaders(env envelope, extra []string) []*etree.Element {
	if env.header == nil {
		return nil
	}
	var out []*etree.Element
	for _, h := range env.header.ChildElements() {
		if is(h, nsWSSE, "Security") && targetsUs(env.version, h, extra) {
			out = append(out, h)
		}
	}
	return out
}

func targetsUs(v SOAPVersion, h *etree.Element, extra []string) bool {
	name, ours := "actor", []string{actorNext11}
	if v == SOAP12 {
		name, ours = "role", []string{roleNext12, roleUltimate12}
	}
	for i := range h.Attr {
		a := &h.Attr[i]
		if a.Key != name || attrNS(h, a) != v.ns() {
			continue
		}
		if a.Value == "" {
			return true
		}
		for _, s := range append(ours, extra...) {
			if a.Value == s {
				return true
			}
		}
		return false
	}
	return true
}

// children returns the element children of el named {ns}local.
func children(el *etree.Element, ns, local string) []*etree.Element {
	var out []*etree.Element
	for _, c := range el.ChildElements() {
		if is(c, ns, local) {
			out = append(out, c)
		}
	}
	return out
}

// child returns the only child {ns}local of el, or nil if there is none or more than one.
func child(el *etree.Element, ns, local string) *etree.Element {
	cs := children(el, ns, local)
	if len(cs) != 1 {
		return nil
	}
	return cs[0]
}

// contains reports whether anc is el or one of its ancestors.
func contains(anc, el *etree.Element) bool {
	for e := el; e != nil; e = e.Parent() {
		if e == anc {
			return true
		}
	}
	return false
}
