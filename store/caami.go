package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/carmed/carmed/rules"
)

// The CAAMI back office's records (rules.md §11, §12): invoice sends, the accepted line
// references per provider (R-INVOICE-ONCE), payments, month closings and statement summaries.
// Bucket layouts are declared in schema.go.

var (
	// ErrLineAccepted: PutSend was given a line whose reference this provider already had accepted
	// (R-INVOICE-ONCE) — a concurrent send got there first; the face controls the send again.
	ErrLineAccepted = errors.New("store: a line of this reference was already accepted")
	// ErrMonthClosed: PutSend was given a line paid in a month already closed.
	ErrMonthClosed = errors.New("store: the payment month is closed")
)

// SendRecord is one invoice send as stored: the hash of the verified request Body, the answer's
// Body (a retry with the same ticket is answered with it, like Reply), and the payment.
type SendRecord struct {
	BodyHash [32]byte
	Body     []byte
	Payment  rules.Payment
	At       time.Time
}

// MonthClosing records that a month was closed and its statements made (R-DECOMPTE).
type MonthClosing struct {
	Month    rules.Month
	ClosedOn rules.Date // business date of the closing
	At       time.Time
}

// StatementRecord is a CPAS's statement of a closed month without its file: the file is written
// from the paid lines when fetched (they never change once the month is closed), in Format, the
// one the CPAS had chosen at closing.
type StatementRecord struct {
	CPAS     string
	Month    rules.Month
	Format   rules.StatementFormat
	ClosedOn rules.Date
	Invoices int
	Lines    int
	Totals   rules.Amounts
}

// CaamiReader reads the CAAMI records; part of Reader.
type CaamiReader interface {
	// Send returns a provider's send by its id (the request's ticket).
	Send(provider, sendID string) (SendRecord, error)
	// LineAccepted reports whether the provider already had a line of that reference accepted.
	LineAccepted(provider, lineRef string) (bool, error)
	// Payments lists the provider's payments whose date lies in p, oldest first.
	Payments(provider string, p rules.Period) ([]rules.Payment, error)
	// PaidLines walks the lines paid in month m charged to cpas ("" = every CPAS: the SPP IS
	// file) in statement order (rules.StatementLess), one at a time: memory stays bounded.
	PaidLines(m rules.Month, cpas string, fn func(*rules.PaidLine) error) error
	// MonthClosing returns the closing of m, ErrNotFound when m is open.
	MonthClosing(m rules.Month) (MonthClosing, error)
	// LastClosedMonth is the newest closed month, 0 when none.
	LastClosedMonth() (rules.Month, error)
	// Statements lists cpas's statements of the closed months from..to (0 = no bound), oldest first.
	Statements(cpas string, from, to rules.Month) ([]StatementRecord, error)
	// StatementFormat is the format cpas receives (rules.DefaultStatementFormat until it chose).
	StatementFormat(cpas string) (rules.StatementFormat, error)
}

// CaamiWriter writes the CAAMI records; part of Writer.
type CaamiWriter interface {
	// PutSend stores a controlled send in one go: its record, every paid line (filed for the
	// statements), the accepted references and the payment index. The same send again is a
	// no-op; another record under the same id is ErrAlreadyWritten; a line reference already
	// accepted is ErrLineAccepted, a payment in a closed month ErrMonthClosed (nothing written).
	PutSend(provider, sendID string, rec SendRecord, paid []rules.PaidLine) error
	// CloseMonth closes m: one statement record per CPAS with lines paid in m, in the format
	// each CPAS has chosen. Closing a closed month again changes nothing and returns its closing.
	CloseMonth(m rules.Month, closedOn rules.Date, at time.Time) (MonthClosing, error)
	// SetStatementFormat records the one format cpas receives from the next closing on.
	SetStatementFormat(cpas string, f rules.StatementFormat) error
}

// sep separates the parts of a composite CAAMI key; no part may contain it (validIndexID).
const sep = 0

// compositeKey joins parts with sep; it refuses a part that is empty or holds sep.
func compositeKey(prefix []byte, parts ...string) ([]byte, error) {
	k := append([]byte(nil), prefix...)
	for i, p := range parts {
		if !validIndexID(p) {
			return nil, fmt.Errorf("store: key part %d is empty or holds a NUL byte", i+1)
		}
		if i > 0 || len(prefix) > 0 {
			k = append(k, sep)
		}
		k = append(k, p...)
	}
	return k, nil
}

func monthKey(m rules.Month) []byte { return binary.BigEndian.AppendUint32(nil, uint32(m)) }

func dateKey(d rules.Date) []byte { return binary.BigEndian.AppendUint32(nil, uint32(int64(d)+1<<31)) }

// paidKey files a paid line for the statements: month ‖ cpas ‖ provider ‖ send ‖ invoice ‖ line,
// so a cursor walks a CPAS's month in rules.StatementLess order.
func paidKey(l *rules.PaidLine) ([]byte, error) {
	return compositeKey(monthKey(rules.MonthOf(l.PaidOn)), l.CPAS, l.Provider, l.SendID, l.InvoiceRef, l.LineRef)
}

// Send implements CaamiReader.
func (t *txn) Send(provider, sendID string) (SendRecord, error) {
	k, err := compositeKey(nil, provider, sendID)
	if err != nil {
		return SendRecord{}, ErrNotFound
	}
	raw := t.tx.Bucket(bucketCaamiSends).Get(k)
	if raw == nil {
		return SendRecord{}, ErrNotFound
	}
	var r SendRecord
	return r, decode(raw, &r)
}

// LineAccepted implements CaamiReader.
func (t *txn) LineAccepted(provider, lineRef string) (bool, error) {
	k, err := compositeKey(nil, provider, lineRef)
	if err != nil {
		return false, nil
	}
	return t.tx.Bucket(bucketCaamiRefs).Get(k) != nil, nil
}

// Payments implements CaamiReader.
func (t *txn) Payments(provider string, p rules.Period) ([]rules.Payment, error) {
	prefix, err := compositeKey(nil, provider)
	if err != nil {
		return nil, nil
	}
	prefix = append(prefix, sep)
	from := append(append([]byte(nil), prefix...), dateKey(p.Start)...)
	end := binary.BigEndian.Uint32(dateKey(p.End)) // once, not per payment walked
	var out []rules.Payment
	c := t.tx.Bucket(bucketCaamiPayments).PrefixCursor(prefix)
	for k, v := c.Seek(from); k != nil; k, v = c.Next() {
		if len(k) < len(prefix)+4 || binary.BigEndian.Uint32(k[len(prefix):]) > end {
			break
		}
		rec, err := t.Send(provider, string(v))
		if err != nil {
			return nil, fmt.Errorf("store: payment index names a missing send: %w", err)
		}
		out = append(out, rec.Payment)
	}
	return out, nil
}

// PaidLines implements CaamiReader.
func (t *txn) PaidLines(m rules.Month, cpas string, fn func(*rules.PaidLine) error) error {
	prefix := monthKey(m)
	if cpas != "" {
		k, err := compositeKey(prefix, cpas)
		if err != nil {
			return nil
		}
		prefix = append(k, sep)
	}
	c := t.tx.Bucket(bucketCaamiPaid).PrefixCursor(prefix)
	var l rules.PaidLine
	for k, v := c.First(); k != nil; k, v = c.Next() {
		l = rules.PaidLine{}
		if err := decode(v, &l); err != nil {
			return err
		}
		if err := fn(&l); err != nil {
			return err
		}
	}
	return nil
}

// MonthClosing implements CaamiReader.
func (t *txn) MonthClosing(m rules.Month) (MonthClosing, error) {
	raw := t.tx.Bucket(bucketCaamiMonths).Get(monthKey(m))
	if raw == nil {
		return MonthClosing{}, ErrNotFound
	}
	var mc MonthClosing
	return mc, decode(raw, &mc)
}

// LastClosedMonth implements CaamiReader.
func (t *txn) LastClosedMonth() (rules.Month, error) {
	k, _ := t.tx.Bucket(bucketCaamiMonths).Cursor().Last()
	if k == nil {
		return 0, nil
	}
	if len(k) != 4 {
		return 0, errors.New("store: a month closing key is damaged")
	}
	return rules.Month(binary.BigEndian.Uint32(k)), nil
}

// Statements implements CaamiReader.
func (t *txn) Statements(cpas string, from, to rules.Month) ([]StatementRecord, error) {
	var out []StatementRecord
	c := t.tx.Bucket(bucketCaamiStatements).Cursor()
	for k, v := c.Seek(monthKey(from)); k != nil; k, v = c.Next() {
		if to != 0 && binary.BigEndian.Uint32(k) > uint32(to) {
			break
		}
		if string(k[5:]) != cpas {
			continue
		}
		var r StatementRecord
		if err := decode(v, &r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// StatementFormat implements CaamiReader.
func (t *txn) StatementFormat(cpas string) (rules.StatementFormat, error) {
	if v := t.tx.Bucket(bucketCaamiFormats).Get([]byte(cpas)); v != nil {
		return rules.StatementFormat(v), nil
	}
	return rules.DefaultStatementFormat, nil
}

// PutSend implements CaamiWriter.
func (t *txn) PutSend(provider, sendID string, rec SendRecord, paid []rules.PaidLine) error {
	return t.fail(t.putSend(provider, sendID, rec, paid))
}

func (t *txn) putSend(provider, sendID string, rec SendRecord, paid []rules.PaidLine) error {
	key, err := compositeKey(nil, provider, sendID)
	if err != nil {
		return err
	}
	if len(rec.Body) == 0 {
		return errors.New("store: a send record holds the answer's Body")
	}
	raw, err := encode(rec)
	if err != nil {
		return err
	}
	sends := t.tx.Bucket(bucketCaamiSends)
	if old := sends.Get(key); old != nil {
		if bytes.Equal(old, raw) {
			return nil
		}
		return fmt.Errorf("%w: a different send under this id", ErrAlreadyWritten)
	}
	refs, lines, months := t.tx.Bucket(bucketCaamiRefs), t.tx.Bucket(bucketCaamiPaid), t.tx.Bucket(bucketCaamiMonths)
	for i := range paid {
		l := &paid[i]
		if l.Provider != provider || l.SendID != sendID {
			return fmt.Errorf("store: paid line %d is not of this send", i+1)
		}
		if months.Get(monthKey(rules.MonthOf(l.PaidOn))) != nil {
			return ErrMonthClosed
		}
		rk, err := compositeKey(nil, provider, l.LineRef)
		if err != nil {
			return err
		}
		if refs.Get(rk) != nil {
			return fmt.Errorf("%w (line %d of the send)", ErrLineAccepted, i+1)
		}
		pk, err := paidKey(l)
		if err != nil {
			return err
		}
		v, err := encode(l)
		if err != nil {
			return err
		}
		if err := refs.Put(rk, []byte(sendID)); err != nil {
			return err
		}
		if err := lines.Put(pk, v); err != nil {
			return err
		}
	}
	pay, err := compositeKey(nil, provider)
	if err != nil {
		return err
	}
	pay = append(append(append(pay, sep), dateKey(rec.Payment.PaidOn)...), sendID...)
	if err := t.tx.Bucket(bucketCaamiPayments).Put(pay, []byte(sendID)); err != nil {
		return err
	}
	return sends.Put(key, raw)
}

// CloseMonth implements CaamiWriter.
func (t *txn) CloseMonth(m rules.Month, closedOn rules.Date, at time.Time) (MonthClosing, error) {
	mc, err := t.closeMonth(m, closedOn, at)
	return mc, t.fail(err)
}

func (t *txn) closeMonth(m rules.Month, closedOn rules.Date, at time.Time) (MonthClosing, error) {
	if mc, err := t.MonthClosing(m); err == nil {
		return mc, nil
	} else if !errors.Is(err, ErrNotFound) {
		return MonthClosing{}, err
	}
	byCPAS := map[string]*StatementRecord{}
	var order []string
	var prev rules.PaidLine // the line walked before: the walk is in statement order, so an invoice's lines are adjacent
	err := t.PaidLines(m, "", func(l *rules.PaidLine) error {
		r := byCPAS[l.CPAS]
		if r == nil {
			f, err := t.StatementFormat(l.CPAS)
			if err != nil {
				return err
			}
			r = &StatementRecord{CPAS: l.CPAS, Month: m, Format: f, ClosedOn: closedOn}
			byCPAS[l.CPAS] = r
			order = append(order, l.CPAS)
		}
		if r.Lines == 0 || !rules.SameInvoice(&prev, l) {
			r.Invoices++
		}
		prev = *l
		r.Lines++
		r.Totals.Add(l.Amounts)
		return nil
	})
	if err != nil {
		return MonthClosing{}, err
	}
	for _, cpas := range order {
		k, err := compositeKey(monthKey(m), cpas)
		if err != nil {
			return MonthClosing{}, err
		}
		v, err := encode(byCPAS[cpas])
		if err != nil {
			return MonthClosing{}, err
		}
		if err := t.tx.Bucket(bucketCaamiStatements).Put(k, v); err != nil {
			return MonthClosing{}, err
		}
	}
	mc := MonthClosing{Month: m, ClosedOn: closedOn, At: at}
	v, err := encode(mc)
	if err != nil {
		return MonthClosing{}, err
	}
	return mc, t.tx.Bucket(bucketCaamiMonths).Put(monthKey(m), v)
}

// SetStatementFormat implements CaamiWriter.
func (t *txn) SetStatementFormat(cpas string, f rules.StatementFormat) error {
	if f != rules.FormatXLSX && f != rules.FormatXML {
		return t.fail(fmt.Errorf("store: unknown statement format %q", f))
	}
	if !validIndexID(cpas) {
		return t.fail(errors.New("store: empty CPAS"))
	}
	return t.fail(t.tx.Bucket(bucketCaamiFormats).Put([]byte(cpas), []byte(f)))
}

// checkCaamiInTx is the CAAMI part of `store check`: every accepted reference belongs to a stored
// send and is filed once as a paid line of that send; every statement summary is the sum of its
// month's paid lines and its month is closed; no line is paid in a month after it was closed.
func checkCaamiInTx(tx kvTx, add func(string, ...any)) {
	t := &txn{tx: tx}
	refs := map[string]string{} // provider NUL lineRef → send id
	_ = tx.Bucket(bucketCaamiRefs).ForEach(func(k, v []byte) error {
		refs[string(k)] = string(v)
		prov, _, _ := bytes.Cut(k, []byte{sep})
		if _, err := t.Send(string(prov), string(v)); err != nil {
			add("an accepted line reference of provider %s names send %q, which is not stored", prov, v)
		}
		return nil
	})
	type sum struct {
		invoices, lines int
		totals          rules.Amounts
		last            string
	}
	sums := map[string]*sum{} // month key ‖ cpas → what the statement must say
	seen := map[string]bool{}
	_ = tx.Bucket(bucketCaamiPaid).ForEach(func(k, v []byte) error {
		var l rules.PaidLine
		if err := decode(v, &l); err != nil {
			add("a paid line does not decode: %v", err)
			return nil
		}
		if pk, err := paidKey(&l); err != nil || !bytes.Equal(pk, k) {
			add("paid line %s of send %q is filed under another key", l.LineRef, l.SendID)
		}
		rk := l.Provider + "\x00" + l.LineRef
		if refs[rk] != l.SendID {
			add("paid line %s of provider %s has no accepted reference of its send", l.LineRef, l.Provider)
		}
		if seen[rk] {
			add("line %s of provider %s is paid twice", l.LineRef, l.Provider)
		}
		seen[rk] = true
		if mc, err := t.MonthClosing(rules.MonthOf(l.PaidOn)); err == nil && l.PaidOn > mc.ClosedOn {
			add("line %s of provider %s was paid on %s, after its month closed on %s", l.LineRef, l.Provider, l.PaidOn, mc.ClosedOn)
		}
		sk := string(monthKey(rules.MonthOf(l.PaidOn))) + "\x00" + l.CPAS
		s := sums[sk]
		if s == nil {
			s = &sum{}
			sums[sk] = s
		}
		if inv := l.Provider + "\x00" + l.SendID + "\x00" + l.InvoiceRef; s.last != inv {
			s.last = inv
			s.invoices++
		}
		s.lines++
		s.totals.Add(l.Amounts)
		return nil
	})
	for k := range seen {
		delete(refs, k)
	}
	for k := range refs {
		prov, ref, _ := bytes.Cut([]byte(k), []byte{sep})
		add("accepted line reference %s of provider %s has no paid line", ref, prov)
	}
	_ = tx.Bucket(bucketCaamiStatements).ForEach(func(k, v []byte) error {
		var r StatementRecord
		if err := decode(v, &r); err != nil {
			add("a statement record does not decode: %v", err)
			return nil
		}
		if tx.Bucket(bucketCaamiMonths).Get(k[:4]) == nil {
			add("the statement of CPAS %s for %s names a month that is not closed", r.CPAS, r.Month)
		}
		s := sums[string(k[:4])+"\x00"+r.CPAS]
		if s == nil || s.lines != r.Lines || s.invoices != r.Invoices || s.totals != r.Totals {
			add("the statement of CPAS %s for %s is not the sum of its paid lines", r.CPAS, r.Month)
		}
		return nil
	})
}
