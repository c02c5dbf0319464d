package server_test

import (
	"bytes"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/store"
)

// crashAfterCommit lets every odd-numbered Update of a request commit and refuses the even ones
// while armed: Once's first commit (the version, the reply, the pending audit) lands, and the
// second (the signed answer into the audit) is lost, as a crash between them would lose it.
type crashAfterCommit struct {
	store.Store
	armed *atomic.Bool
	n     *atomic.Int64
}

func (s crashAfterCommit) Update(fn func(store.Writer) error) error {
	if s.armed.Load() && s.n.Add(1)%2 == 0 {
		return errors.New("injected crash before the second commit")
	}
	return s.Store.Update(fn)
}

// The answer is signed outside the write transaction: a write whose signed answer never became
// durable is never acknowledged, its version is, and the retry's answer — the one the client
// gets — completes the audit.
func TestAWriteIsAcknowledgedOnlyOnceItsSignedAnswerIsDurable(t *testing.T) {
	armed, n := &atomic.Bool{}, &atomic.Int64{}
	e := newEnv(t, func(o *envOpt) {
		o.wrap = func(s store.Store) store.Store { return crashAfterCommit{Store: s, armed: armed, n: n} }
	})
	armed.Store(true)
	lost := e.call("cpas-namur", demoFile("create.xml"), nil)
	armed.Store(false)
	if lost.Outcome != client.Faulted {
		t.Fatalf("an answer whose signed bytes were not durable was sent: %v %s", lost.Outcome, lost.StatusValue)
	}
	if n := versionsOf(t, e, "000000000001"); n != 1 {
		t.Fatalf("the first commit did not land: %d versions", n)
	}
	if a := e.audit("000000000001", 1); len(a.Response) != 0 || !bytes.Contains(a.Request, []byte("demo-create-0001")) {
		t.Fatalf("the audit after the lost commit: request %v, response %d bytes", len(a.Request) > 0, len(a.Response))
	}
	retry := e.call("cpas-namur", demoFile("create.xml"), nil)
	wantOutcome(t, retry, "DATA_FOUND", "OK")
	if n := versionsOf(t, e, "000000000001"); n != 1 {
		t.Fatalf("the retry wrote a version: %d", n)
	}
	if a := e.audit("000000000001", 1); !bytes.Equal(a.Response, retry.Raw) {
		t.Fatal("the audit must hold the signed answer that was sent")
	}
	again := e.call("cpas-namur", demoFile("create.xml"), nil)
	wantOutcome(t, again, "DATA_FOUND", "OK")
	if a := e.audit("000000000001", 1); !bytes.Equal(a.Response, retry.Raw) {
		t.Fatal("a later retry replaced the audit's signed answer")
	}
}
