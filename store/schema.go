package store

import (
	"encoding/binary"
	"fmt"
)

// Every bucket of the file is declared here, with the layout of its keys and values.
// Composite keys in flat buckets rather than a nested bucket per decision: a nested bucket
// costs a page once it outgrows inline storage, and flat keys map one-to-one onto an
// etcd-shaped key space later.
var (
	// bucketMeta: "schema" → one byte, the layout version of this file.
	// Its bucket sequence is the decision-number counter (NextNumber).
	bucketMeta = []byte("meta")
	// bucketVersions: number(8, big-endian) ‖ version(4, big-endian) → envelope(versionRecord):
	// the store's pinned mirror of rules.Version (versionrec.go).
	// Written once, never changed; a cursor walks a decision's versions in order.
	bucketVersions = []byte("versions")
	// bucketLatest: number(8) → version(4): the newest version of each decision.
	bucketLatest = []byte("latest")
	// bucketBySSIN: ssin ‖ 0x00 ‖ number(8) → empty. Keyed on the SSIN of each decision's
	// latest version, so an SSIN mutation moves the decision under the new SSIN.
	bucketBySSIN = []byte("by_ssin")
	// bucketByCPAS: cbe ‖ 0x00 ‖ number(8) → empty. Keyed on the latest version's manager.
	bucketByCPAS = []byte("by_cpas")
	// bucketPersons: ssin → envelope(rules.Person).
	bucketPersons = []byte("persons")
	// bucketReplies: len(cbe)(1) ‖ cbe ‖ ticket → envelope(Reply). The length prefix keeps the
	// pair unambiguous whatever bytes the ticket holds.
	bucketReplies = []byte("replies")
	// bucketAudit: number(8) ‖ version(4) → envelope(Audit).
	bucketAudit = []byte("audit")
	// bucketReplay: sha256(signature key) → expiry(8, see timeKey).
	bucketReplay = []byte("replay")
	// bucketReplayExp: expiry(8) ‖ sha256(32) → empty: the replay cache ordered by expiry, for pruning.
	bucketReplayExp = []byte("replay_exp")

	// bucketMutations: seq(8, big-endian) → envelope(mutationRecord): the registry mutation log,
	// written once. Its bucket sequence is the mutation counter (NextMutationSeq).
	bucketMutations = []byte("mutations")
	// bucketMutationsBySSIN: ssin ‖ 0x00 ‖ seq(8) → empty, for both the SSIN and the new SSIN of
	// an SSIN mutation: a person's mutation history, oldest first.
	bucketMutationsBySSIN = []byte("mutations_by_ssin")
	// bucketNotices: id(8, big-endian) → envelope(rules.Notice). Its bucket sequence is the notice
	// counter; a record is rewritten only to set Acknowledged.
	bucketNotices = []byte("notices")
	// bucketNoticesPending: cbe ‖ 0x00 ‖ id(8) → empty: the unacknowledged notices of each
	// managing CPAS, so consultNotices walks one prefix rather than every notice ever made.
	bucketNoticesPending = []byte("notices_pending")

	// bucketAttestations: number(8, big-endian) → envelope(rules.Attestation): the urgent-medical-aid
	// attestations (rules.md §10), "UMA" + 12 digits on the wire. Its bucket sequence is the
	// attestation counter. A record is rewritten once, by its delete, to mark it deleted.
	bucketAttestations = []byte("attestations")
	// bucketAttestationsBySSIN: ssin ‖ 0x00 ‖ number(8) → empty: a beneficiary's attestations,
	// deleted ones included.
	bucketAttestationsBySSIN = []byte("attestations_by_ssin")
	// bucketAttestationAudit: number(8) ‖ event(1: 1 send, 2 delete) → envelope(Audit): the
	// evidence of each send and delete, written once.
	bucketAttestationAudit = []byte("attestation_audit")
	// The CAAMI back office (caami.go); keys join their parts with a NUL byte (sep).
	// bucketCaamiSends: provider ‖ sendID → envelope(SendRecord): each invoice send, written once.
	bucketCaamiSends = []byte("caami_sends")
	// bucketCaamiRefs: provider ‖ lineRef → sendID: the accepted line references (R-INVOICE-ONCE).
	bucketCaamiRefs = []byte("caami_refs")
	// bucketCaamiPaid: month(4, yyyymm big-endian) ‖ cpas ‖ provider ‖ sendID ‖ invoiceRef ‖
	// lineRef → envelope(rules.PaidLine): every paid line, filed for the monthly statements in
	// their order, written once.
	bucketCaamiPaid = []byte("caami_paid")
	// bucketCaamiPayments: provider ‖ paymentDate(4, see dateKey) ‖ sendID → sendID: a
	// provider's payments by date (consultPayments by period).
	bucketCaamiPayments = []byte("caami_payments")
	// bucketCaamiMonths: month(4) → envelope(MonthClosing): the closed months.
	bucketCaamiMonths = []byte("caami_months")
	// bucketCaamiStatements: month(4) ‖ cpas → envelope(StatementRecord), written at closing.
	bucketCaamiStatements = []byte("caami_statements")
	// bucketCaamiFormats: cpas → "XLSX" or "XML": the one statement format each CPAS receives.
	bucketCaamiFormats = []byte("caami_formats")

	// allBuckets are created by Open when missing, so a file written before a bucket existed
	// still opens: adding a bucket needs no schema bump.
	allBuckets = [][]byte{bucketMeta, bucketVersions, bucketLatest, bucketBySSIN, bucketByCPAS,
		bucketPersons, bucketReplies, bucketAudit, bucketReplay, bucketReplayExp,
		bucketMutations, bucketMutationsBySSIN, bucketNotices, bucketNoticesPending,
		bucketAttestations, bucketAttestationsBySSIN, bucketAttestationAudit,
		bucketCaamiSends, bucketCaamiRefs, bucketCaamiPaid, bucketCaamiPayments, bucketCaamiMonths,
		bucketCaamiStatements, bucketCaamiFormats}

	keySchema = []byte("schema")
)

// schemaVersion is the layout of the buckets above; bump it (and migrate) when a key or value
// layout changes.
//
//	1: the first layout.
//	2: a Reply keeps the answer's Body (sealed again for each retry) instead of the signed
//	   envelope. Schema 1 replies stay readable as they are (Reply.Envelope), so opening a
//	   schema 1 file only raises its schema byte: a binary of schema 1 then refuses the file
//	   rather than answer a retry with a reply it cannot read.
//	3: replies and audits in the store's own tagged encoding, large fields deflated, an audit's
//	   signed answer stored as the bytes around its reply's Body (records.go); decision versions
//	   as the store's pinned versionRecord (versionrec.go, the keys schema 2 wrote), deflated. Open upgrades a file of schema 1 or 2 (upgrade.go) unless
//	   Options.KeepFormat; records of either encoding are read.
const schemaVersion byte = 3

const (
	numberDigits = 12 // decision numbers are 12 zero-padded digits
	numberLen    = 8  // a number key: uint64 big-endian
	versionLen   = 4  // a version key suffix: uint32 big-endian
	maxNumber    = 999_999_999_999
)

// parseNumber turns a 12-digit decision number into its integer; ok is false for anything else.
func parseNumber(s string) (uint64, bool) {
	if len(s) != numberDigits {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}

func formatNumber(n uint64) string { return fmt.Sprintf("%0*d", numberDigits, n) }

func numberKey(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

func versionKey(n uint64, version int) []byte {
	k := make([]byte, 0, numberLen+versionLen)
	k = binary.BigEndian.AppendUint64(k, n)
	return binary.BigEndian.AppendUint32(k, uint32(version))
}

// splitVersionKey is the inverse of versionKey.
func splitVersionKey(k []byte) (n uint64, version int, ok bool) {
	if len(k) != numberLen+versionLen {
		return 0, 0, false
	}
	return binary.BigEndian.Uint64(k), int(binary.BigEndian.Uint32(k[numberLen:])), true
}

// indexPrefix is the part of an index key shared by every decision of one SSIN or CBE.
func indexPrefix(id string) []byte {
	k := make([]byte, 0, len(id)+1+numberLen)
	k = append(k, id...)
	return append(k, 0)
}

func indexKey(id string, n uint64) []byte {
	return binary.BigEndian.AppendUint64(indexPrefix(id), n)
}

// splitIndexKey returns the id and number of an index key.
func splitIndexKey(k []byte) (id string, n uint64, ok bool) {
	if len(k) < 1+numberLen || k[len(k)-numberLen-1] != 0 {
		return "", 0, false
	}
	return string(k[:len(k)-numberLen-1]), binary.BigEndian.Uint64(k[len(k)-numberLen:]), true
}

func replyKey(cbe, ticket string) ([]byte, error) {
	if len(cbe) == 0 || len(cbe) > 255 {
		return nil, fmt.Errorf("store: CBE of %d bytes cannot key a reply", len(cbe))
	}
	k := make([]byte, 0, 1+len(cbe)+len(ticket))
	k = append(k, byte(len(cbe)))
	k = append(k, cbe...)
	return append(k, ticket...), nil
}

// validIndexID refuses ids that would make an index key ambiguous.
func validIndexID(id string) bool {
	if id == "" {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] == 0 {
			return false
		}
	}
	return true
}
