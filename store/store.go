// Package store keeps decisions, versions, the person registry, idempotent replies, the
// audit trail and the replay cache. bbolt is used only inside this package.
package store

import (
	"errors"
	"io"
	"time"

	"github.com/carmed/carmed/rules"
)

var (
	// ErrNotFound: no such decision, version, person, reply or audit record.
	ErrNotFound = errors.New("store: not found")
	// ErrLocked: another process holds the database file (lock timeout expired).
	ErrLocked = errors.New("store: database is locked by another process")
	// ErrVersionConflict: PutVersion was not latest+1 (or not 1 for a new decision).
	ErrVersionConflict = errors.New("store: version is not the next one")
)

// Reply is the stored answer to a write, for idempotent retries on (CBE, ticket). It keeps the
// answer's Body content, not its signed envelope: a retry is answered with the same Body sealed
// again (a fresh Timestamp and signature), so a late retry never gets an expired answer. The
// signed bytes of the first answer stay in the Audit of each version it wrote.
type Reply struct {
	BodyHash [32]byte // SHA-256 of the verified canonical request Body
	// Body is the first answer's Body content: its one operation element, serialized on its own
	// (schema 2). PutReply requires it.
	Body []byte `json:",omitempty"`
	// Envelope is what schema 1 stored instead of Body: the first answer's signed envelope, whose
	// Body child is the answer. Read from older files, never written (PutReply refuses it). The
	// JSON key is the one schema 1 wrote.
	Envelope []byte `json:"Response,omitempty"`
	Number   string // decision written, if any
	Version  int
	// Attestation is the urgent-medical-aid attestation the answered request sent or deleted, if
	// any (UMA v1, keyed by the provider's NIHII and the request's Id).
	Attestation string `json:",omitempty"`
}

// Audit is the evidence kept for each written version.
type Audit struct {
	Request []byte // verified canonical request Body bytes
	// Response is the signed response envelope; empty while pending: the version is durable and
	// its answer is being signed outside the write transaction (a crash then leaves it empty, and
	// an idempotent retry of the request files its own signed answer here).
	Response []byte
	Signer   string // party id of the signer (CBE, NIHII, admin name)
	At       time.Time
}

// Reader is a consistent read snapshot.
type Reader interface {
	Decision(number string) (rules.Decision, error)
	DecisionsBySSIN(ssin string) ([]rules.Decision, error) // oldest number first
	Person(ssin string) (rules.Person, error)
	Reply(cbe, ticket string) (Reply, error)
	Audit(number string, version int) (Audit, error)
	// Mutation returns one logged registry mutation and when it was applied.
	Mutation(seq uint64) (rules.Mutation, time.Time, error)
	// MutationsBySSIN is the person's mutation history, oldest first, including the SSIN
	// mutations that moved another SSIN to this one.
	MutationsBySSIN(ssin string) ([]rules.Mutation, error)
	// Notices lists notices in id order (oldest first); more reports that q.Limit cut the list.
	Notices(q NoticeQuery) (ns []rules.Notice, more bool, err error)
	// Attestation returns one urgent-medical-aid attestation, deleted or not.
	Attestation(number string) (rules.Attestation, error)
	// AttestationsBySSIN is the beneficiary's attestations, deleted ones included, oldest first.
	AttestationsBySSIN(ssin string) ([]rules.Attestation, error)
	// AttestationAudit is the evidence of one send or delete of an attestation.
	AttestationAudit(number string, e AttestationEvent) (Audit, error)
	CaamiReader // invoice sends, payments, statements (caami.go)
	// Clock is the business clock last set in this world (clock.go); ok false when none was.
	Clock() (c ClockRecord, ok bool, err error)
}

// NoticeQuery selects notices for Reader.Notices.
type NoticeQuery struct {
	Manager             string // CBE of the addressee; "" = every CPAS (harness view)
	IncludeAcknowledged bool   // false = pending notices only
	Limit               int    // ≤ 0 = DefaultNoticeLimit; capped at MaxNoticeLimit
}

// Writer is an open write transaction; everything it does commits (durably) or not at all.
type Writer interface {
	Reader
	NextNumber() (string, error)      // next 12-digit decision number
	PutVersion(v rules.Version) error // v.Version must be latest+1; indexes and latest updated
	PutReply(cbe, ticket string, r Reply) error
	PutAudit(number string, version int, a Audit) error
	PutPerson(p rules.Person) error
	NextMutationSeq() (uint64, error) // next mutation sequence, 1 first
	// PutMutation logs m (m.Seq ≥ 1, written once) and files it under m.SSIN and m.NewSSIN.
	PutMutation(m rules.Mutation, at time.Time) error
	// PutNotice assigns n.ID and stores n, pending for n.Manager unless n.Acknowledged.
	PutNotice(n *rules.Notice) error
	// AckNotices acknowledges cbe's notices ids, all or none: the ids that do not exist or are
	// another CPAS's come back in unknown (err nil) and then nothing is changed.
	AckNotices(cbe string, ids []string) (unknown []string, err error)
	// PutAttestation writes a sent attestation (a.Number empty: the store numbers it and sets
	// a.Number) or marks a stored one deleted (a.Number set, a.Deleted): nothing else changes one.
	PutAttestation(a *rules.Attestation) error
	// PutAttestationAudit keeps the evidence of an attestation's send or delete, written once.
	PutAttestationAudit(number string, e AttestationEvent, a Audit) error
	CaamiWriter // invoice sends, month closing, statement formats (caami.go)
	// PutClock records the business clock the request set, for the other gateways of the world.
	PutClock(c ClockRecord) error
}

// Store is the storage seam; bbolt today, another implementation later.
type Store interface {
	View(fn func(Reader) error) error
	// Update runs fn in one write transaction; when fn returns nil the writes are durable on return.
	Update(fn func(Writer) error) error
	// SeenSignature records a signature key until expiry and reports whether it was already there
	// (a replay). Persistent, so a restart does not reopen the window; expired keys are pruned.
	SeenSignature(key []byte, expires, now time.Time) (replayed bool, err error)
	// Check runs bbolt's consistency check and the project's invariants; nil = healthy.
	Check() []error
	// Backup writes a consistent hot copy of the database.
	Backup(w io.Writer) error
	Close() error
}
