package store

import (
	"time"

	"github.com/carmed/carmed/rules"
)

// Fault injection seams for tests: they let a test make the store refuse the k-th write of a
// transaction and check that a request is applied whole or not at all. Production code never
// wraps its writers.

// FailAfter returns a Writer that passes every call through to w, except that the (n+1)-th write
// call (PutVersion, PutPerson, PutNotice, PutMutation, PutReply, PutAudit, AckNotices, NextNumber,
// NextMutationSeq) returns err without being performed. Reads are never counted nor refused.
// The refusal poisons w's transaction as a real write failure does, so it rolls back even if the
// caller swallows err. Later calls pass through again. n < 0 counts as 0.
func FailAfter(w Writer, n int, err error) Writer {
	return &failingWriter{Writer: w, left: max(n, 0), err: err}
}

// FailUpdates wraps s so that every Update's Writer is FailAfter(w, n, err), counted afresh in
// each transaction: the seam for code that takes a Store rather than a Writer.
func FailUpdates(s Store, n int, err error) Store {
	return &failingStore{Store: s, n: n, err: err}
}

type failingStore struct {
	Store
	n   int
	err error
}

func (s *failingStore) Update(fn func(Writer) error) error {
	return s.Store.Update(func(w Writer) error { return fn(FailAfter(w, s.n, s.err)) })
}

type failingWriter struct {
	Writer
	left int // write calls still allowed; the next one fails when it is 0
	done bool
	err  error
}

// poisoner is a Writer whose transaction can be marked failed (txn).
type poisoner interface{ fail(error) error }

// refuse counts one write call and reports whether it is the one to fail.
func (f *failingWriter) refuse() bool {
	if f.done {
		return false
	}
	if f.left > 0 {
		f.left--
		return false
	}
	f.done = true
	if p, ok := f.Writer.(poisoner); ok {
		_ = p.fail(f.err)
	}
	return true
}

var _ CPASReader = (*failingWriter)(nil)

// NumbersByCPAS keeps the optional CPASReader of the wrapped writer visible.
func (f *failingWriter) NumbersByCPAS(cbe string) ([]string, error) {
	if c, ok := f.Writer.(CPASReader); ok {
		return c.NumbersByCPAS(cbe)
	}
	return nil, ErrNotFound
}

func (f *failingWriter) NextNumber() (string, error) {
	if f.refuse() {
		return "", f.err
	}
	return f.Writer.NextNumber()
}

func (f *failingWriter) PutVersion(v rules.Version) error {
	if f.refuse() {
		return f.err
	}
	return f.Writer.PutVersion(v)
}

func (f *failingWriter) PutReply(cbe, ticket string, r Reply) error {
	if f.refuse() {
		return f.err
	}
	return f.Writer.PutReply(cbe, ticket, r)
}

func (f *failingWriter) PutAudit(number string, version int, a Audit) error {
	if f.refuse() {
		return f.err
	}
	return f.Writer.PutAudit(number, version, a)
}

func (f *failingWriter) PutPerson(p rules.Person) error {
	if f.refuse() {
		return f.err
	}
	return f.Writer.PutPerson(p)
}

func (f *failingWriter) NextMutationSeq() (uint64, error) {
	if f.refuse() {
		return 0, f.err
	}
	return f.Writer.NextMutationSeq()
}

func (f *failingWriter) PutMutation(m rules.Mutation, at time.Time) error {
	if f.refuse() {
		return f.err
	}
	return f.Writer.PutMutation(m, at)
}

func (f *failingWriter) PutNotice(n *rules.Notice) error {
	if f.refuse() {
		return f.err
	}
	return f.Writer.PutNotice(n)
}

func (f *failingWriter) AckNotices(cbe string, ids []string) ([]string, error) {
	if f.refuse() {
		return nil, f.err
	}
	return f.Writer.AckNotices(cbe, ids)
}
