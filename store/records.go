package store

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"
)

// The store's own record encoding (schema 3), for the two records that hold evidence: Reply and
// Audit. Explicit and pinned — a tag per field, written and read by the functions below, never
// by reflection — so renaming a Go field cannot change or break what is on disk; the golden test
// (records_test.go) holds the bytes. Large byte fields are DEFLATE-compressed when that saves
// bytes, and an audit's signed answer is stored as the bytes around its reply's Body when it
// carries that Body verbatim: the Body is then stored once, in the reply.
//
//	record = codecRecord1 ‖ field*        field = tag(1) ‖ uvarint(len(data)) ‖ data
const codecRecord1 byte = 2

// codecJSONDeflate is a JSON record (codecJSON1) compressed with DEFLATE: records longer than
// compressAbove that shrink.
const codecJSONDeflate byte = 3

// compressAbove: shorter byte fields and JSON records are stored as they are (DEFLATE's own
// framing would eat the gain).
const compressAbove = 256

// Field tags. Append only; a tag's meaning never changes.
const (
	tagReplyBodyHash        = 1 // 32 bytes
	tagReplyBody            = 2
	tagReplyBodyDeflate     = 3
	tagReplyEnvelope        = 4 // schema 1's signed envelope, carried over by the upgrade
	tagReplyEnvelopeDeflate = 5
	tagReplyNumber          = 6
	tagReplyVersion         = 7 // uvarint
	tagReplyAttestation     = 8

	tagAuditRequest         = 1
	tagAuditRequestDeflate  = 2
	tagAuditResponse        = 3
	tagAuditResponseDeflate = 4
	tagAuditResponseHead    = 5 // the signed answer up to the Body of the reply named by tagAuditReply
	tagAuditSigner          = 6
	tagAuditAt              = 7 // time.Time.MarshalBinary
	tagAuditReply           = 8 // the key of the reply holding this answer's Body
	tagAuditResponseHeadDef = 9
	tagAuditResponseTail    = 10 // the signed answer after that Body
	tagAuditResponseTailDef = 11
)

type recordWriter struct{ b []byte }

func newRecord() *recordWriter { return &recordWriter{b: []byte{codecRecord1}} }

func (w *recordWriter) field(tag byte, data []byte) {
	w.b = append(w.b, tag)
	w.b = binary.AppendUvarint(w.b, uint64(len(data)))
	w.b = append(w.b, data...)
}

// bytesField writes data under tag, or deflated under packed when shorter.
func (w *recordWriter) bytesField(tag, packed byte, data []byte) error {
	if data == nil {
		return nil
	}
	if len(data) > compressAbove {
		z, err := deflate(data)
		if err != nil {
			return err
		}
		if len(z) < len(data) {
			w.field(packed, z)
			return nil
		}
	}
	w.field(tag, data)
	return nil
}

// bytesOf reads back a field bytesField wrote: inflated when it came under the packed tag, else
// copied (data aliases bbolt memory).
func bytesOf(data []byte, packed bool) ([]byte, error) {
	if packed {
		return inflate(data)
	}
	return bytes.Clone(data), nil
}

// deflaters are reused: a flate.Writer holds some hundreds of KB of tables.
var deflaters = sync.Pool{New: func() any {
	zw, _ := flate.NewWriter(nil, flate.DefaultCompression) // a valid level: no error
	return zw
}}

func deflate(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := deflaters.Get().(*flate.Writer)
	defer deflaters.Put(zw)
	zw.Reset(&buf)
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// maxInflated bounds what one stored field may inflate to: a damaged file must not exhaust memory.
const maxInflated = 64 << 20

// inflaters are reused: a flate reader holds tens of KB of window and tables.
var inflaters sync.Pool

func inflate(z []byte) ([]byte, error) {
	src := bytes.NewReader(z)
	r, _ := inflaters.Get().(io.ReadCloser)
	if r == nil {
		r = flate.NewReader(src)
	} else if err := r.(flate.Resetter).Reset(src, nil); err != nil {
		return nil, err
	}
	defer inflaters.Put(r)
	out, err := io.ReadAll(io.LimitReader(r, maxInflated+1))
	if err != nil {
		return nil, fmt.Errorf("compressed field: %w", err)
	}
	if len(out) > maxInflated {
		return nil, errors.New("compressed field too large")
	}
	return out, nil
}

// fields walks a record's fields; data aliases b (bbolt memory: copy what is kept).
func fields(b []byte, fn func(tag byte, data []byte) error) error {
	if len(b) == 0 || b[0] != codecRecord1 {
		return errors.New("not a record of the store's encoding")
	}
	for p := b[1:]; len(p) > 0; {
		tag := p[0]
		n, k := binary.Uvarint(p[1:])
		if k <= 0 || uint64(len(p)-1-k) < n {
			return errors.New("damaged record: a field runs past the end")
		}
		data := p[1+k : 1+k+int(n)]
		if err := fn(tag, data); err != nil {
			return err
		}
		p = p[1+k+int(n):]
	}
	return nil
}

func encodeReply(r Reply) ([]byte, error) {
	w := newRecord()
	w.field(tagReplyBodyHash, r.BodyHash[:])
	if err := w.bytesField(tagReplyBody, tagReplyBodyDeflate, r.Body); err != nil {
		return nil, err
	}
	if err := w.bytesField(tagReplyEnvelope, tagReplyEnvelopeDeflate, r.Envelope); err != nil {
		return nil, err
	}
	if r.Number != "" {
		w.field(tagReplyNumber, []byte(r.Number))
	}
	if r.Version != 0 {
		w.field(tagReplyVersion, binary.AppendUvarint(nil, uint64(r.Version)))
	}
	if r.Attestation != "" {
		w.field(tagReplyAttestation, []byte(r.Attestation))
	}
	return w.b, nil
}

func decodeReply(b []byte) (Reply, error) {
	if len(b) > 0 && b[0] == codecJSON1 {
		var r Reply
		err := decode(b, &r)
		return r, err
	}
	var r Reply
	err := fields(b, func(tag byte, data []byte) error {
		var err error
		switch tag {
		case tagReplyBodyHash:
			if len(data) != len(r.BodyHash) {
				return errors.New("reply: damaged body hash")
			}
			copy(r.BodyHash[:], data)
		case tagReplyBody, tagReplyBodyDeflate:
			r.Body, err = bytesOf(data, tag == tagReplyBodyDeflate)
		case tagReplyEnvelope, tagReplyEnvelopeDeflate:
			r.Envelope, err = bytesOf(data, tag == tagReplyEnvelopeDeflate)
		case tagReplyNumber:
			r.Number = string(data)
		case tagReplyVersion:
			v, k := binary.Uvarint(data)
			if k != len(data) {
				return errors.New("reply: damaged version")
			}
			r.Version = int(v)
		case tagReplyAttestation:
			r.Attestation = string(data)
		default:
			return fmt.Errorf("reply: unknown field %d", tag)
		}
		return err
	})
	if err != nil {
		return Reply{}, fmt.Errorf("store: decode reply: %w", err)
	}
	return r, nil
}

// auditRecord is an Audit as stored: replyKey names the reply whose Body the signed answer
// carries (nil: none).
type auditRecord struct {
	Audit
	replyKey []byte
	// requestField is the request's field as read from the file (tag, length, the bytes as
	// stored): written back as is when the same record is written again (linked to its reply,
	// completed with its answer), instead of deflating the same request once more. nil: encode.
	requestField []byte
}

// encodeAudit writes a; body is the Body of the reply named by a.replyKey (nil: none). When the
// signed answer holds body verbatim, only the bytes around it are stored.
func encodeAudit(a auditRecord, body []byte) ([]byte, error) {
	w := newRecord()
	if a.requestField != nil {
		w.b = append(w.b, a.requestField...)
	} else if err := w.bytesField(tagAuditRequest, tagAuditRequestDeflate, a.Request); err != nil {
		return nil, err
	}
	at := -1
	if len(body) > 0 {
		at = bytes.Index(a.Response, body)
	}
	if at < 0 {
		if err := w.bytesField(tagAuditResponse, tagAuditResponseDeflate, a.Response); err != nil {
			return nil, err
		}
	} else {
		if err := w.bytesField(tagAuditResponseHead, tagAuditResponseHeadDef, a.Response[:at:at]); err != nil {
			return nil, err
		}
		if err := w.bytesField(tagAuditResponseTail, tagAuditResponseTailDef, a.Response[at+len(body):]); err != nil {
			return nil, err
		}
	}
	if a.Signer != "" {
		w.field(tagAuditSigner, []byte(a.Signer))
	}
	stamp, err := a.At.MarshalBinary()
	if err != nil {
		return nil, err
	}
	w.field(tagAuditAt, stamp)
	if a.replyKey != nil {
		w.field(tagAuditReply, a.replyKey)
	}
	return w.b, nil
}

// decodeAudit reads an audit record of either encoding; body fetches a reply's Body by key.
func decodeAudit(b []byte, body func(replyKey []byte) ([]byte, error)) (auditRecord, error) {
	var a auditRecord
	if len(b) > 0 && b[0] == codecJSON1 {
		err := decode(b, &a.Audit)
		return a, err
	}
	var head, tail []byte
	spliced := false
	err := fields(b, func(tag byte, data []byte) error {
		var err error
		switch tag {
		case tagAuditRequest, tagAuditRequestDeflate:
			a.Request, err = bytesOf(data, tag == tagAuditRequestDeflate)
			a.requestField = binary.AppendUvarint([]byte{tag}, uint64(len(data)))
			a.requestField = append(a.requestField, data...)
		case tagAuditResponse, tagAuditResponseDeflate:
			a.Response, err = bytesOf(data, tag == tagAuditResponseDeflate)
		case tagAuditResponseHead, tagAuditResponseHeadDef:
			spliced = true
			head, err = bytesOf(data, tag == tagAuditResponseHeadDef)
		case tagAuditResponseTail, tagAuditResponseTailDef:
			spliced = true
			tail, err = bytesOf(data, tag == tagAuditResponseTailDef)
		case tagAuditSigner:
			a.Signer = string(data)
		case tagAuditAt:
			var t time.Time
			if err := t.UnmarshalBinary(data); err != nil {
				return errors.New("audit: damaged time")
			}
			a.At = t
		case tagAuditReply:
			a.replyKey = bytes.Clone(data)
		default:
			return fmt.Errorf("audit: unknown field %d", tag)
		}
		return err
	})
	if err == nil && spliced {
		var mid []byte
		if a.replyKey == nil {
			err = errors.New("audit: an answer around no reply's Body")
		} else if mid, err = body(a.replyKey); err == nil {
			a.Response = slices.Concat(head, mid, tail)
		}
	}
	if err != nil {
		return auditRecord{}, fmt.Errorf("store: decode audit: %w", err)
	}
	return a, nil
}
