package store

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/carmed/carmed/rules"
)

// goldenAudit is an audit record of schema 3 whose fields are too short to deflate: codec 2,
// then tag ‖ length ‖ data — 1 the request, 3 the signed answer, 6 the signer, 7 the time
// (time.Time.MarshalBinary), 8 the key of the reply holding the answer's Body.
const goldenAudit = "\x02" + "\x01\x10<Body>req</Body>" + "\x03\x0b<Envelope/>" + "\x06\x0a0212344876" +
	"\x07\x0f\x01\x00\x00\x00\x0e\xdf\x54\xca\x98\x00\x00\x00\x00\xff\xff" + "\x08\x0e\x0a0212344876t-1"

func rawGet(t *testing.T, b testStore, bucket, key []byte) []byte {
	t.Helper()
	var raw []byte
	b.rawUpdate(t, func(tx kvTx) error {
		raw = bytes.Clone(tx.Bucket(bucket).Get(key))
		return nil
	})
	return raw
}

// An audit written pending with its reply and completed afterwards, as Once writes it, is stored
// as pinned, and comes back whole.
func TestAnAuditRecordIsStoredAsPinned(t *testing.T) {
	b := openTestDB(t)
	pending := Audit{Request: []byte("<Body>req</Body>"), Signer: cbeA, At: t0}
	if err := b.Update(func(w Writer) error {
		if err := w.PutVersion(version("000000000001", 1, ssinA, cbeA)); err != nil {
			return err
		}
		if err := w.PutAudit("000000000001", 1, pending); err != nil {
			return err
		}
		return w.PutReply(cbeA, "t-1", Reply{BodyHash: replyHash, Body: []byte("<answer/>"), Number: "000000000001", Version: 1})
	}); err != nil {
		t.Fatal(err)
	}
	signed := pending
	signed.Response = []byte("<Envelope/>")
	if err := b.Update(func(w Writer) error { return w.PutAudit("000000000001", 1, signed) }); err != nil {
		t.Fatal(err)
	}
	if raw := rawGet(t, b, bucketAudit, versionKey(1, 1)); string(raw) != goldenAudit {
		t.Errorf("stored audit record changed (bump schemaVersion and keep reading the old one):\n got %q\nwant %q", raw, goldenAudit)
	}
	_ = b.View(func(r Reader) error {
		if got, err := r.Audit("000000000001", 1); err != nil || !reflect.DeepEqual(got, signed) {
			t.Errorf("got %+v, %v", got, err)
		}
		return nil
	})
}

// A real signed answer is stored once: kept as the bytes around its reply's Body, its audit record is
// a fraction of the answer, and it reads back byte for byte.
func TestASignedAnswerIsStoredOnce(t *testing.T) {
	b := openTestDB(t)
	// Digests stand for the content that does not repeat (tickets, numbers, dates, texts).
	var varied strings.Builder
	sum := sha256.Sum256([]byte("seed"))
	for range 40 {
		sum = sha256.Sum256(sum[:])
		fmt.Fprintf(&varied, "<m>%x</m>", sum[:12])
	}
	body := []byte(`<tns:createCarmedResponse xmlns:tns="urn:carmed:cpas:v1">` + varied.String() + `</tns:createCarmedResponse>`)
	envelope := []byte(`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>` +
		`<wsse:Security>MIIC+zCCAeOgAwIBAgIJAKf0</wsse:Security></soap:Header><soap:Body wsu:Id="id-1">` +
		string(body) + `</soap:Body></soap:Envelope>`)
	pending := Audit{Request: bytes.Repeat([]byte("<ssin>85031412302</ssin>"), 40), Signer: cbeA, At: t0}
	if err := b.Update(func(w Writer) error {
		if err := w.PutVersion(version("000000000001", 1, ssinA, cbeA)); err != nil {
			return err
		}
		if err := w.PutAudit("000000000001", 1, pending); err != nil {
			return err
		}
		return w.PutReply(cbeA, "t-1", Reply{BodyHash: replyHash, Body: body, Number: "000000000001", Version: 1})
	}); err != nil {
		t.Fatal(err)
	}
	signed := pending
	signed.Response = envelope
	if err := b.Update(func(w Writer) error { return w.PutAudit("000000000001", 1, signed) }); err != nil {
		t.Fatal(err)
	}
	raw := rawGet(t, b, bucketAudit, versionKey(1, 1))
	plain, _ := deflate(envelope)
	if len(raw) >= len(plain)/2 {
		t.Errorf("audit record %d bytes: the answer's Body was stored again (answer alone deflated: %d)", len(raw), len(plain))
	}
	_ = b.View(func(r Reader) error {
		if got, err := r.Audit("000000000001", 1); err != nil || !reflect.DeepEqual(got, signed) {
			t.Errorf("the audit does not read back: %v", err)
		}
		return nil
	})
	if problems := b.Check(); len(problems) != 0 {
		t.Errorf("check: %v", problems)
	}
}

// storeSnapshot is everything a store of the demo fixture holds that an upgrade must keep.
type storeSnapshot struct {
	Decision rules.Decision
	Audits   []Audit
	Replies  []Reply
}

func snapshot(t *testing.T, b testStore) storeSnapshot {
	t.Helper()
	var s storeSnapshot
	if err := b.View(func(r Reader) error {
		var err error
		if s.Decision, err = r.Decision("000000000001"); err != nil {
			return err
		}
		for v := 1; v <= len(s.Decision.Versions); v++ {
			a, err := r.Audit("000000000001", v)
			if err != nil {
				return err
			}
			s.Audits = append(s.Audits, a)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	b.rawUpdate(t, func(tx kvTx) error {
		return tx.Bucket(bucketReplies).ForEach(func(_, v []byte) error {
			r, err := decodeReply(v)
			s.Replies = append(s.Replies, r)
			return err
		})
	})
	return s
}

func bucketBytes(t *testing.T, b testStore, buckets ...[]byte) int {
	n := 0
	b.rawUpdate(t, func(tx kvTx) error {
		for _, name := range buckets {
			_ = tx.Bucket(name).ForEach(func(k, v []byte) error { n += len(k) + len(v); return nil })
		}
		return nil
	})
	return n
}

// testdata/schema2-demo.db.gz was written by the gateway of schema 2 (before this encoding):
// the demo create, modify, a registry mutation that suspends the decision (three versions, each
// with its reply and audit) and a consult. Opening it upgrades every record, keeps what each
// says, and `store check` tells the format before and after.
func TestAStoreOfSchema2IsUpgradedOnOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "carmed.db")
	f, err := os.Open("testdata/schema2-demo.db.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, z); err != nil {
		t.Fatal(err)
	}
	out.Close()

	old, err := Open(path, Options{NoSync: true, KeepFormat: true})
	if err != nil {
		t.Fatal(err)
	}
	if f := old.Format(); !strings.HasPrefix(f, "schema 2:") {
		t.Errorf("format of the fixture: %s", f)
	}
	before := snapshot(t, old)
	sizeBefore := bucketBytes(t, old, bucketVersions, bucketReplies, bucketAudit)
	if len(before.Decision.Versions) != 3 || len(before.Replies) != 3 || len(before.Audits[2].Response) == 0 {
		t.Fatalf("fixture: %d versions, %d replies", len(before.Decision.Versions), len(before.Replies))
	}
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}

	b, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if f := b.Format(); !strings.HasPrefix(f, "schema 3:") {
		t.Errorf("format after the upgrade: %s", f)
	}
	after := snapshot(t, b)
	if !reflect.DeepEqual(before, after) {
		t.Error("the upgrade changed what the records say")
	}
	if problems := b.Check(); len(problems) != 0 {
		t.Errorf("check after the upgrade: %v", problems)
	}
	sizeAfter := bucketBytes(t, b, bucketVersions, bucketReplies, bucketAudit)
	t.Logf("versions + replies + audits: %d bytes per version before, %d after", sizeBefore/3, sizeAfter/3)
	if sizeAfter >= sizeBefore/2 {
		t.Errorf("upgraded records take %d bytes, schema 2 took %d", sizeAfter, sizeBefore)
	}
	// A record of each kind is in the new encoding: a second open has nothing to move.
	if n, err := b.upgrade(); err != nil || n != 0 {
		t.Errorf("a second upgrade moved %d records: %v", n, err)
	}
}

// A request long enough to be stored deflated keeps the field written with the pending audit when
// the audit is linked to its reply and completed (it is not deflated again): the completed record
// is byte for byte what encoding it afresh gives, and reads back whole.
func TestACompletedAuditKeepsItsDeflatedRequestAsWritten(t *testing.T) {
	b := openTestDB(t)
	req := []byte("<Body>" + strings.Repeat("<ssin>85031412302</ssin><ticket>t-1</ticket>", 60) + "</Body>")
	pending := Audit{Request: req, Signer: cbeA, At: t0}
	answer := []byte("<answer>" + strings.Repeat("<n>000000000001</n>", 80) + "</answer>")
	if err := writeBatch(b, func(w Writer) error {
		if err := w.PutVersion(version("000000000001", 1, ssinA, cbeA)); err != nil {
			return err
		}
		if err := w.PutAudit("000000000001", 1, pending); err != nil {
			return err
		}
		return w.PutReply(cbeA, "t-1", Reply{BodyHash: replyHash, Body: answer, Number: "000000000001", Version: 1})
	}); err != nil {
		t.Fatal(err)
	}
	signed := pending
	signed.Response = []byte("<Envelope><Header/><Body>" + string(answer) + "</Body></Envelope>")
	if err := writeBatch(b, func(w Writer) error { return w.PutAudit("000000000001", 1, signed) }); err != nil {
		t.Fatal(err)
	}
	key, err := replyKey(cbeA, "t-1")
	if err != nil {
		t.Fatal(err)
	}
	want, err := encodeAudit(auditRecord{Audit: signed, replyKey: key}, answer)
	if err != nil {
		t.Fatal(err)
	}
	raw := rawGet(t, b, bucketAudit, versionKey(1, 1))
	if !bytes.Equal(raw, want) {
		t.Errorf("stored audit differs from a fresh encoding:\n got %q\nwant %q", raw, want)
	}
	if !bytes.Contains(raw, []byte{tagAuditRequestDeflate}) || len(raw) >= len(req) {
		t.Errorf("the request was not stored deflated (%d bytes for a %d-byte request)", len(raw), len(req))
	}
	_ = b.View(func(r Reader) error {
		if got, err := r.Audit("000000000001", 1); err != nil || !reflect.DeepEqual(got, signed) {
			t.Errorf("got %+v, %v", got, err)
		}
		return nil
	})
}
