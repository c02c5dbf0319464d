package store

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/carmed/carmed/rules"
)

const (
	gpNIHII      = "19912345004"
	dentistNIHII = "39912345003"
)

// sent is an attestation as the rules return it from a send: no number yet.
func sent(ssin, author, start, end string) rules.Attestation {
	return rules.Attestation{SSIN: ssin, Period: rules.Period{Start: rules.MustDate(start), End: rules.MustDate(end)},
		Cover: "Consultations", Author: author, AuthorKind: rules.ProviderDoctor,
		Parties: []rules.HcParty{{IDs: []rules.PartyID{{Type: "urn:be:fgov:ehealth:1.0:physician:nihii-number", Value: author}},
			FirstNames: []string{"Jean"}, Name: "Dupont"}},
		Sent: t0, SentOn: rules.DateOf(t0), DeletedOn: rules.NoDate}
}

// sendAndDelete writes what the UMA face writes for a send of UMA000000000001 and of
// UMA000000000002 (both for ssinA, with their audits and replies), then the delete of the second.
func sendAndDelete(t *testing.T, b testStore) {
	t.Helper()
	err := b.Update(func(w Writer) error {
		for i, a := range []rules.Attestation{sent(ssinA, gpNIHII, "2025-02-01", "2025-02-15"), sent(ssinA, gpNIHII, "2025-03-01", "2025-03-01")} {
			if err := w.PutAttestation(&a); err != nil {
				return err
			}
			if err := w.PutAttestationAudit(a.Number, EventSend, Audit{Request: []byte("<send/>"), Response: []byte("<sent/>"), Signer: gpNIHII, At: t0}); err != nil {
				return err
			}
			if err := w.PutReply(gpNIHII, "R-send-"+string(rune('1'+i)), Reply{Body: []byte("<sent/>"), Attestation: a.Number}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	err = b.Update(func(w Writer) error {
		a, err := w.Attestation("UMA000000000002")
		if err != nil {
			return err
		}
		a.Deleted, a.DeletedAt, a.DeletedOn = true, t0.Add(time.Hour), rules.DateOf(t0)
		if err := w.PutAttestation(&a); err != nil {
			return err
		}
		if err := w.PutAttestationAudit(a.Number, EventDelete, Audit{Request: []byte("<delete/>"), Response: []byte("<deleted/>"), Signer: gpNIHII, At: t0.Add(time.Hour)}); err != nil {
			return err
		}
		return w.PutReply(gpNIHII, "R-delete-2", Reply{Body: []byte("<deleted/>"), Attestation: a.Number})
	})
	if err != nil {
		t.Fatalf("delete: %v", err)
	}
}

func attestationsOf(t *testing.T, b testStore, ssin string) []rules.Attestation {
	t.Helper()
	var out []rules.Attestation
	if err := b.View(func(r Reader) error {
		var err error
		out, err = r.AttestationsBySSIN(ssin)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestAttestations(t *testing.T) {
	b := openTestDB(t)
	sendAndDelete(t, b)

	t.Run("sends are numbered UMA and 12 digits in order and filed under their SSIN, the deleted one kept", func(t *testing.T) {
		got := attestationsOf(t, b, ssinA)
		if len(got) != 2 || got[0].Number != "UMA000000000001" || got[1].Number != "UMA000000000002" {
			t.Fatalf("got %+v", got)
		}
		if got[0].Deleted || !got[1].Deleted || !got[1].DeletedAt.Equal(t0.Add(time.Hour)) || got[1].DeletedOn != rules.DateOf(t0) {
			t.Fatalf("deletion flags: %+v / %+v", got[0], got[1])
		}
		want := sent(ssinA, gpNIHII, "2025-02-01", "2025-02-15")
		want.Number = "UMA000000000001"
		if !reflect.DeepEqual(got[0], want) {
			t.Fatalf("stored %+v\nwant   %+v", got[0], want)
		}
		if other := attestationsOf(t, b, ssinB); len(other) != 0 {
			t.Fatalf("another SSIN finds %d attestations", len(other))
		}
	})
	t.Run("each send and delete keeps its audit record", func(t *testing.T) {
		_ = b.View(func(r Reader) error {
			for _, c := range []struct {
				number string
				e      AttestationEvent
				req    string
			}{{"UMA000000000001", EventSend, "<send/>"}, {"UMA000000000002", EventSend, "<send/>"}, {"UMA000000000002", EventDelete, "<delete/>"}} {
				a, err := r.AttestationAudit(c.number, c.e)
				if err != nil || string(a.Request) != c.req || a.Signer != gpNIHII {
					t.Errorf("%s audit of %s: %+v, %v", c.e, c.number, a, err)
				}
			}
			if _, err := r.AttestationAudit("UMA000000000001", EventDelete); !errors.Is(err, ErrNotFound) {
				t.Errorf("delete audit of a live attestation: %v, want ErrNotFound", err)
			}
			return nil
		})
	})
	t.Run("a retried request's reply names the attestation it wrote", func(t *testing.T) {
		_ = b.View(func(r Reader) error {
			if rp, err := r.Reply(gpNIHII, "R-send-1"); err != nil || rp.Attestation != "UMA000000000001" || string(rp.Body) != "<sent/>" {
				t.Errorf("reply %+v, %v", rp, err)
			}
			return nil
		})
	})
	t.Run("a reply naming an attestation that does not exist is refused", func(t *testing.T) {
		err := b.Update(func(w Writer) error {
			return w.PutReply(gpNIHII, "R-x", Reply{Body: []byte("<x/>"), Attestation: "UMA000000000009"})
		})
		if !errors.Is(err, ErrNotFound) {
			t.Fatalf("err = %v, want ErrNotFound", err)
		}
	})
	t.Run("a second delete is refused and the first deletion is kept", func(t *testing.T) {
		err := b.Update(func(w Writer) error {
			a, _ := w.Attestation("UMA000000000002")
			a.DeletedAt = t0.Add(48 * time.Hour)
			return w.PutAttestation(&a)
		})
		if !errors.Is(err, ErrAttestationChange) {
			t.Fatalf("err = %v, want ErrAttestationChange", err)
		}
		if got := attestationsOf(t, b, ssinA)[1]; !got.DeletedAt.Equal(t0.Add(time.Hour)) {
			t.Fatalf("deletion time rewritten to %v", got.DeletedAt)
		}
	})
	t.Run("rewriting a live attestation other than by deleting it is refused", func(t *testing.T) {
		for name, change := range map[string]func(a *rules.Attestation){
			"a new cover":          func(a *rules.Attestation) { a.Cover = "autre" },
			"a deletion elsewhere": func(a *rules.Attestation) { a.Deleted, a.SSIN = true, ssinB },
			"another author":       func(a *rules.Attestation) { a.Deleted, a.Author = true, dentistNIHII },
		} {
			err := b.Update(func(w Writer) error {
				a, _ := w.Attestation("UMA000000000001")
				change(&a)
				return w.PutAttestation(&a)
			})
			if !errors.Is(err, ErrAttestationChange) {
				t.Errorf("%s: err = %v, want ErrAttestationChange", name, err)
			}
		}
		if got := attestationsOf(t, b, ssinA)[0]; got.Deleted || got.Cover != "Consultations" {
			t.Fatalf("attestation changed: %+v", got)
		}
	})
	t.Run("a delete keeps everything the send wrote", func(t *testing.T) {
		b := openTestDB(t)
		sendAndDelete(t, b)
		before := attestationsOf(t, b, ssinA)[0]
		err := b.Update(func(w Writer) error {
			a := before
			a.Deleted, a.DeletedAt, a.DeletedOn = true, t0, rules.DateOf(t0)
			a.Cover, a.Period.End = "rewritten", a.Period.Start
			return w.PutAttestation(&a)
		})
		if err != nil {
			t.Fatal(err)
		}
		after := attestationsOf(t, b, ssinA)[0]
		if !after.Deleted || after.Cover != before.Cover || after.Period != before.Period {
			t.Fatalf("after the delete: %+v", after)
		}
	})
	t.Run("an audit is written once; the same record again is harmless", func(t *testing.T) {
		same := Audit{Request: []byte("<send/>"), Response: []byte("<sent/>"), Signer: gpNIHII, At: t0}
		if err := b.Update(func(w Writer) error { return w.PutAttestationAudit("UMA000000000001", EventSend, same) }); err != nil {
			t.Fatalf("same record: %v", err)
		}
		other := same
		other.Response = []byte("<forged/>")
		if err := b.Update(func(w Writer) error { return w.PutAttestationAudit("UMA000000000001", EventSend, other) }); !errors.Is(err, ErrAlreadyWritten) {
			t.Fatalf("other record: %v, want ErrAlreadyWritten", err)
		}
	})
	t.Run("a delete audit of a live attestation, or any audit of an unknown one, is refused", func(t *testing.T) {
		for _, c := range []struct {
			number string
			e      AttestationEvent
		}{{"UMA000000000001", EventDelete}, {"UMA000000000003", EventSend}, {"000000000001", EventSend}, {"UMA000000000001", 9}} {
			if err := b.Update(func(w Writer) error { return w.PutAttestationAudit(c.number, c.e, Audit{Signer: gpNIHII}) }); err == nil {
				t.Errorf("%s audit of %q accepted", c.e, c.number)
			}
		}
	})
	t.Run("a malformed number is not found", func(t *testing.T) {
		_ = b.View(func(r Reader) error {
			for _, n := range []string{"", "UMA1", "000000000000001", "UMA000000000000", "uma000000000001"} {
				if _, err := r.Attestation(n); !errors.Is(err, ErrNotFound) {
					t.Errorf("%q: %v, want ErrNotFound", n, err)
				}
			}
			return nil
		})
	})
	t.Run("the store is healthy after sends and deletes", func(t *testing.T) {
		if problems := b.Check(); len(problems) != 0 {
			t.Fatalf("check: %v", problems)
		}
	})
}

func TestARefusedSendLeavesNoHoleInTheNumbers(t *testing.T) {
	b := openTestDB(t)
	refused := errors.New("refused after numbering")
	err := b.Update(func(w Writer) error {
		a := sent(ssinA, gpNIHII, "2025-02-01", "2025-02-01")
		if err := w.PutAttestation(&a); err != nil || a.Number != "UMA000000000001" {
			t.Fatalf("first number %q, %v", a.Number, err)
		}
		return refused
	})
	if !errors.Is(err, refused) {
		t.Fatal(err)
	}
	var a rules.Attestation
	if err := b.Update(func(w Writer) error {
		a = sent(ssinA, gpNIHII, "2025-02-01", "2025-02-01")
		return w.PutAttestation(&a)
	}); err != nil {
		t.Fatal(err)
	}
	if a.Number != "UMA000000000001" || len(attestationsOf(t, b, ssinA)) != 1 {
		t.Fatalf("after a rolled-back send the next number is %q", a.Number)
	}
}

func TestAttestationsSurviveAReopenAndTheCounterGoesOn(t *testing.T) {
	b, path := openTemp(t, Options{NoSync: true})
	sendAndDelete(t, b)
	want := attestationsOf(t, b, ssinA)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	b2, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b2.Close()
	if got := attestationsOf(t, b2, ssinA); !reflect.DeepEqual(got, want) {
		t.Fatalf("after reopen:\n%+v\nwant\n%+v", got, want)
	}
	_ = b2.View(func(r Reader) error {
		if a, err := r.AttestationAudit("UMA000000000002", EventDelete); err != nil || string(a.Response) != "<deleted/>" {
			t.Errorf("delete audit after reopen: %+v, %v", a, err)
		}
		if rp, err := r.Reply(gpNIHII, "R-delete-2"); err != nil || rp.Attestation != "UMA000000000002" {
			t.Errorf("reply after reopen: %+v, %v", rp, err)
		}
		return nil
	})
	a := sent(ssinB, dentistNIHII, "2025-04-01", "2025-04-02")
	if err := b2.Update(func(w Writer) error { return w.PutAttestation(&a) }); err != nil || a.Number != "UMA000000000003" {
		t.Fatalf("next number after reopen %q, %v", a.Number, err)
	}
}

// goldenAttestation is an attestation record exactly as this binary writes it.
const goldenAttestation = "\x01{\"Number\":\"UMA000000000001\",\"SSIN\":\"85031412302\",\"Period\":{\"Start\":20120,\"End\":20134}," +
	"\"Cover\":\"Consultations\",\"Author\":\"19912345004\",\"AuthorKind\":\"doctor\",\"Parties\":[{\"IDs\":[{\"Type\":" +
	"\"urn:be:fgov:ehealth:1.0:physician:nihii-number\",\"Value\":\"19912345004\"}],\"FirstNames\":[\"Jean\"],\"Name\":\"Dupont\"}]," +
	"\"Sent\":\"2025-03-01T09:30:00Z\",\"SentOn\":20148,\"Deleted\":false,\"DeletedAt\":\"0001-01-01T00:00:00Z\",\"DeletedOn\":-2147483648}"

func TestAnAttestationRecordIsStoredAsPinned(t *testing.T) {
	b := openTestDB(t)
	a := sent(ssinA, gpNIHII, "2025-02-01", "2025-02-15")
	if err := b.Update(func(w Writer) error { return w.PutAttestation(&a) }); err != nil {
		t.Fatal(err)
	}
	var raw []byte
	b.rawUpdate(t, func(tx kvTx) error {
		raw = append(raw, tx.Bucket(bucketAttestations).Get(numberKey(1))...)
		return nil
	})
	if string(raw) != goldenAttestation {
		t.Fatalf("stored bytes changed (an upgrade path is needed first):\n%q\nwant\n%q", raw, goldenAttestation)
	}
}
