package store

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestReplies(t *testing.T) {
	b := openTestDB(t)
	putVersions(t, b, version("000000000001", 1, ssinA, cbeA))
	first := Reply{BodyHash: sha256.Sum256([]byte("<Body/>")), Body: []byte("<answer>\r\n unsigned \x00bytes</answer>"),
		Number: "000000000001", Version: 1}
	if err := b.Update(func(w Writer) error { return w.PutReply(cbeA, "ticket-1", first) }); err != nil {
		t.Fatal(err)
	}

	t.Run("a stored reply comes back byte for byte", func(t *testing.T) {
		_ = b.View(func(r Reader) error {
			got, err := r.Reply(cbeA, "ticket-1")
			if err != nil || !reflect.DeepEqual(got, first) || !bytes.Equal(got.Body, first.Body) {
				t.Errorf("got %+v, %v", got, err)
			}
			return nil
		})
	})
	t.Run("storing the same reply again is harmless", func(t *testing.T) {
		if err := b.Update(func(w Writer) error { return w.PutReply(cbeA, "ticket-1", first) }); err != nil {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("a different reply to the same ticket is refused and the first is kept", func(t *testing.T) {
		other := first
		other.Body = []byte("<other/>")
		err := b.Update(func(w Writer) error { return w.PutReply(cbeA, "ticket-1", other) })
		if !errors.Is(err, ErrAlreadyWritten) {
			t.Fatalf("err = %v, want ErrAlreadyWritten", err)
		}
		_ = b.View(func(r Reader) error {
			if got, _ := r.Reply(cbeA, "ticket-1"); !bytes.Equal(got.Body, first.Body) {
				t.Errorf("first reply replaced by %q", got.Body)
			}
			return nil
		})
	})
	t.Run("the same ticket from another CPAS is another key", func(t *testing.T) {
		_ = b.View(func(r Reader) error {
			if _, err := r.Reply(cbeB, "ticket-1"); !errors.Is(err, ErrNotFound) {
				t.Errorf("err = %v, want ErrNotFound", err)
			}
			return nil
		})
	})
	t.Run("a CBE that is a prefix of another cannot collide", func(t *testing.T) {
		// Without the length prefix, ("02", "12344876ticket-1") would read ("0212344876", "ticket-1").
		_ = b.View(func(r Reader) error {
			if _, err := r.Reply(cbeA[:2], cbeA[2:]+"ticket-1"); !errors.Is(err, ErrNotFound) {
				t.Errorf("err = %v, want ErrNotFound", err)
			}
			return nil
		})
	})
	t.Run("a reply naming a version that does not exist is refused", func(t *testing.T) {
		bad := Reply{Body: []byte("<x/>"), Number: "000000000001", Version: 2}
		if err := b.Update(func(w Writer) error { return w.PutReply(cbeA, "ticket-2", bad) }); !errors.Is(err, ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
	t.Run("a reply to a rejected request (no decision) is stored", func(t *testing.T) {
		rej := Reply{Body: []byte("<fault/>")}
		if err := b.Update(func(w Writer) error { return w.PutReply(cbeA, "ticket-3", rej) }); err != nil {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("a reply without a Body, or in the schema 1 shape, is refused", func(t *testing.T) {
		for _, r := range []Reply{{}, {Body: []byte("<a/>"), Envelope: []byte("<Envelope/>")}} {
			if err := b.Update(func(w Writer) error { return w.PutReply(cbeA, "ticket-4", r) }); err == nil {
				t.Errorf("PutReply(%+v) accepted", r)
			}
		}
	})
}

func TestAudit(t *testing.T) {
	b := openTestDB(t)
	a := Audit{Request: []byte("<Body>canonical</Body>"), Response: []byte("<Envelope/>"), Signer: cbeA, At: t0}
	err := b.Update(func(w Writer) error {
		if err := w.PutVersion(version("000000000001", 1, ssinA, cbeA)); err != nil {
			return err
		}
		return w.PutAudit("000000000001", 1, a)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the evidence of a version comes back", func(t *testing.T) {
		_ = b.View(func(r Reader) error {
			got, err := r.Audit("000000000001", 1)
			if err != nil || !reflect.DeepEqual(got, a) {
				t.Errorf("got %+v, %v", got, err)
			}
			if _, err := r.Audit("000000000001", 2); !errors.Is(err, ErrNotFound) {
				t.Errorf("missing audit: err = %v", err)
			}
			return nil
		})
	})
	t.Run("evidence is never replaced", func(t *testing.T) {
		forged := a
		forged.At = t0.Add(time.Hour)
		if err := b.Update(func(w Writer) error { return w.PutAudit("000000000001", 1, forged) }); !errors.Is(err, ErrAlreadyWritten) {
			t.Errorf("err = %v, want ErrAlreadyWritten", err)
		}
	})
	t.Run("evidence for a version that does not exist is refused", func(t *testing.T) {
		if err := b.Update(func(w Writer) error { return w.PutAudit("000000000001", 2, a) }); !errors.Is(err, ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
}

// A pending audit (the version is durable, its answer is being signed) is completed once with
// the signed answer, through a group commit; then it is evidence like any other.
func TestAPendingAuditIsCompletedOnceWithItsSignedAnswer(t *testing.T) {
	b := openTestDB(t)
	pending := Audit{Request: []byte("<Body>canonical</Body>"), Signer: cbeA, At: t0}
	if err := writeBatch(b, func(w Writer) error {
		if err := w.PutVersion(version("000000000001", 1, ssinA, cbeA)); err != nil {
			return err
		}
		return w.PutAudit("000000000001", 1, pending)
	}); err != nil {
		t.Fatal(err)
	}
	other := pending
	other.Request, other.Response = []byte("<Body>another</Body>"), []byte("<Envelope/>")
	if err := writeBatch(b, func(w Writer) error { return w.PutAudit("000000000001", 1, other) }); !errors.Is(err, ErrAlreadyWritten) {
		t.Fatalf("another request's answer completed the audit: %v", err)
	}
	signed := pending
	signed.Response = []byte("<Envelope>signed</Envelope>")
	if err := writeBatch(b, func(w Writer) error { return w.PutAudit("000000000001", 1, signed) }); err != nil {
		t.Fatal(err)
	}
	again := signed
	again.Response = []byte("<Envelope>signed again</Envelope>")
	if err := writeBatch(b, func(w Writer) error { return w.PutAudit("000000000001", 1, again) }); !errors.Is(err, ErrAlreadyWritten) {
		t.Fatalf("a completed audit was replaced: %v", err)
	}
	_ = b.View(func(r Reader) error {
		if got, err := r.Audit("000000000001", 1); err != nil || !reflect.DeepEqual(got, signed) {
			t.Errorf("got %+v, %v", got, err)
		}
		return nil
	})
}
