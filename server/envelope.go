package server

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/internal/xmltree"
)

// SOAP envelope namespaces and media types.
const (
	NSSoap11 = "http://schemas.xmlsoap.org/soap/envelope/"
	NSSoap12 = "http://www.w3.org/2003/05/soap-envelope"

	ctSoap11 = "text/xml"
	ctSoap12 = "application/soap+xml"
)

// soapVersion is the SOAP version of a request, hence of its answer.
type soapVersion int

const (
	soap11 soapVersion = 11
	soap12 soapVersion = 12
)

func (v soapVersion) ns() string {
	if v == soap12 {
		return NSSoap12
	}
	return NSSoap11
}

func (v soapVersion) contentType() string {
	if v == soap12 {
		return ctSoap12 + "; charset=utf-8"
	}
	return ctSoap11 + "; charset=utf-8"
}

// incoming is what the door hands on: the parsed tree and what the HTTP layer said about it.
type incoming struct {
	version    soapVersion
	doc        *etree.Document
	soapAction string // from the SOAPAction header (1.1) or the action parameter (1.2); "" if none
	hasAction  bool
}

// readEnvelope is the one door for untrusted bytes (with the face's Door): media type → size cap → DOCTYPE/PI refusal →
// one parse with depth cap (xmltree.Read for the common shape, else etree: the same tree) →
// element/attribute counts → SOAP version check. Nothing is decoded
// into Go types here; only the verifier's output is.
func readEnvelope(w http.ResponseWriter, r *http.Request, door Door) (*incoming, *Fault) {
	in := &incoming{version: soap11}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case err != nil:
		return in, faultUnsupportedMedia()
	case mt == ctSoap11:
		in.version = soap11
		if a, ok := r.Header["Soapaction"]; ok && len(a) > 0 {
			in.soapAction, in.hasAction = unquote(a[0]), true
		}
	case mt == ctSoap12:
		in.version = soap12
		if a, ok := params["action"]; ok {
			in.soapAction, in.hasAction = a, true
		}
	default:
		return in, faultUnsupportedMedia()
	}
	if cs, ok := params["charset"]; ok && !equalFoldASCII(cs, "utf-8") {
		return in, faultClient(FaultBadEncoding, nil)
	}

	body, err := readBody(http.MaxBytesReader(w, r.Body, door.MaxBodyBytes), r.ContentLength, door.MaxBodyBytes)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return in, faultTooLarge()
		}
		return in, faultClient(FaultReadError, err)
	}
	if f := refuseMarkup(body); f != nil {
		return in, f
	}

	// keep repeated attributes so checkTree can refuse them (XML forbids them; etree would merge them)
	settings := etree.ReadSettings{MaxDepth: MaxDepth, PreserveDuplicateAttrs: true}
	doc, ok := xmltree.Read(body, MaxDepth)
	if !ok {
		doc = etree.NewDocument()
		doc.ReadSettings = settings
		if err := doc.ReadFromBytes(body); err != nil {
			return in, faultClient(FaultNotXML, err)
		}
	}
	doc.ReadSettings = settings
	if f := checkTree(doc, door.MaxElements); f != nil {
		return in, f
	}
	root := doc.Root()
	if root == nil || root.Tag != "Envelope" {
		return in, faultClient(FaultNotSOAP, nil)
	}
	switch root.NamespaceURI() {
	case in.version.ns():
	case NSSoap11, NSSoap12:
		return in, faultVersionMismatch()
	default:
		return in, faultClient(FaultNotSOAP, nil)
	}
	in.doc = doc
	return in, nil
}

// readBody reads all of rd into one buffer sized by the declared length when the door admits it
// (io.ReadAll grows from 512 bytes, copying a signed request four or five times); a wrong or
// missing length only costs the growth.
func readBody(rd io.Reader, declared, max int64) ([]byte, error) {
	if declared <= 0 || declared > max {
		return io.ReadAll(rd)
	}
	buf := make([]byte, 0, declared+1) // +1: the end is seen without growing
	for {
		n, err := rd.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return buf, err
		case len(buf) == cap(buf): // longer than declared: the rest the slow way
			rest, err := io.ReadAll(rd)
			return append(buf, rest...), err
		}
	}
}

// refuseMarkup rejects DTDs (any <!DOCTYPE or <!ENTITY) and processing instructions other than the
// XML declaration before anything parses the bytes (WS-I BP R1008/R1009; libxml2 downstream is less forgiving).
func refuseMarkup(body []byte) *Fault {
	rest := bytes.TrimLeft(body, "\ufeff \t\r\n")
	if bytes.HasPrefix(rest, []byte("<?xml")) {
		end := bytes.Index(rest, []byte("?>"))
		if end < 0 {
			return faultClient(FaultNotXML, nil)
		}
		rest = rest[end+2:]
	}
	if bytes.Contains(rest, []byte("<?")) {
		return faultClient(FaultPIRefused, nil)
	}
	for i := bytes.Index(rest, []byte("<!")); i >= 0; {
		if !bytes.HasPrefix(rest[i:], []byte("<![CDATA[")) && !bytes.HasPrefix(rest[i:], []byte("<!--")) {
			return faultClient(FaultDTDRefused, nil)
		}
		next := bytes.Index(rest[i+2:], []byte("<!"))
		if next < 0 {
			break
		}
		i += 2 + next
	}
	return nil
}

// checkTree enforces the element and attribute budgets and re-checks, on the tree, that no
// directive or processing instruction slipped through.
func checkTree(doc *etree.Document, maxElements int) *Fault {
	count := 0
	var walk func(t etree.Token) *Fault
	walk = func(t etree.Token) *Fault {
		switch x := t.(type) {
		case *etree.Directive:
			return faultClient(FaultDTDRefused, nil)
		case *etree.ProcInst:
			if x.Target != "xml" {
				return faultClient(FaultPIRefused, nil)
			}
		case *etree.Element:
			count++
			if count > maxElements {
				return faultTooLarge()
			}
			if len(x.Attr) > MaxAttributes {
				return faultClient(FaultTooManyAttrs, nil)
			}
			for i := range x.Attr {
				for j := i + 1; j < len(x.Attr); j++ {
					if x.Attr[i].Space == x.Attr[j].Space && x.Attr[i].Key == x.Attr[j].Key {
						return faultClient(FaultNotXML, errors.New("repeated attribute"))
					}
				}
			}
			for _, c := range x.Child {
				if f := walk(c); f != nil {
					return f
				}
			}
		}
		return nil
	}
	for _, t := range doc.Child {
		if f := walk(t); f != nil {
			return f
		}
	}
	return nil
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
