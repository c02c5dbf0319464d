package store

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/carmed/carmed/rules"
)

// P4 of issue 14, second half: the store part of a consultCarmed (the person, DecisionsBySSIN
// and every version of those decisions, in one read) at 10,000 decisions and at SCALE_N
// (make bench-scale: default 1,000,000). Only run when SCALE_N is set: filling takes minutes.
//
// The records are the gateway's own: the demo create and modify of testdata/schema2-demo.db.gz
// (written by a real gateway, upgraded on open), each decision a copy with its own number, SSIN
// and ticket, written as server/once.go writes them: version, pending audit and reply, then the
// audit completed with the signed answer. Every person has two decisions (last year's and this
// year's); every tenth decision has a second version.

const (
	scaleBase      = 10_000 // the reference size
	scaleSamples   = 20_000 // consults measured at each size, in rounds alternating between the two
	scaleBatch     = 5_000  // decisions per fill transaction
	scaleModifyOne = 10     // one decision in scaleModifyOne gets a second version
)

// scaleTemplate is one decision as the gateway stored it: versions 1 and 2 with their audits
// and replies.
type scaleTemplate struct {
	versions [2]rules.Version
	audits   [2]Audit
	replies  [2]Reply
	// auditRecords are the audits as stored once completed, but for the reply they name: the
	// last field, added per decision
	auditRecords [2][]byte
	replyRecords [2][]byte // the same for the replies: their number and version are added
}

func loadScaleTemplate(b *testing.B) scaleTemplate {
	path := filepath.Join(b.TempDir(), "demo.db")
	f, err := os.Open("testdata/schema2-demo.db.gz")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	out, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, z); err != nil {
		b.Fatal(err)
	}
	out.Close()
	db, err := Open(path, Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var tp scaleTemplate
	err = db.View(func(r Reader) error {
		d, err := r.Decision("000000000001")
		if err != nil {
			return err
		}
		for i := range tp.versions {
			tp.versions[i] = d.Versions[i]
			if tp.audits[i], err = r.Audit("000000000001", i+1); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := db.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketReplies).ForEach(func(_, v []byte) error {
			r, err := decodeReply(v)
			if err == nil && r.Number == "000000000001" && r.Version >= 1 && r.Version <= 2 {
				tp.replies[r.Version-1] = r
			}
			return err
		})
	}); err != nil {
		b.Fatal(err)
	}
	for i := range tp.replies {
		if len(tp.replies[i].Body) == 0 || len(tp.audits[i].Response) == 0 {
			b.Fatalf("fixture: version %d has no reply or no signed answer", i+1)
		}
		if tp.replyRecords[i], err = encodeReply(Reply{BodyHash: tp.replies[i].BodyHash, Body: tp.replies[i].Body}); err != nil {
			b.Fatal(err)
		}
		if tp.auditRecords[i], err = encodeAudit(auditRecord{Audit: tp.audits[i]}, tp.replies[i].Body); err != nil {
			b.Fatal(err)
		}
	}
	return tp
}

// scaleSSIN is the i-th person's SSIN: valid (mod 97), born from 1950 on, 900 a day, so it
// never meets the persons `carmed load` makes (born from 1930 on).
func scaleSSIN(i int) (string, rules.Date) {
	day := rules.MustDate("1950-01-01").AddDays(i / 900)
	base := day.String()[2:4] + day.String()[5:7] + day.String()[8:10] + fmt.Sprintf("%03d", i%900+1)
	b9, _ := strconv.Atoi(base)
	return fmt.Sprintf("%s%02d", base, 97-b9%97), day
}

// shiftYear moves every date of the content back by days (last year's decision).
func shiftContent(v *rules.Version, days int) {
	v.DecisionDate = v.DecisionDate.AddDays(-days)
	v.Period.Start, v.Period.End = v.Period.Start.AddDays(-days), v.Period.End.AddDays(-days)
	v.Covers = slices.Clone(v.Covers)
	for i := range v.Covers {
		c := &v.Covers[i]
		c.Period.Start, c.Period.End = c.Period.Start.AddDays(-days), c.Period.End.AddDays(-days)
	}
}

// fillScale writes decisions from..to-1 (and their persons) in transactions of scaleBatch.
func fillScale(b *testing.B, db *Bolt, tp scaleTemplate, from, to int) {
	for start := from; start < to; start += scaleBatch {
		end := min(start+scaleBatch, to)
		err := db.Update(func(w Writer) error {
			for i := start; i < end; i++ {
				ssin, born := scaleSSIN(i / 2)
				if i%2 == 0 {
					p := rules.Person{SSIN: ssin, LastName: "Scale", FirstName: "Eve", Gender: "F", BirthDate: born,
						DeathDate: rules.NoDate, Situations: []rules.Situation{{From: rules.MustDate("2020-01-01"), Kind: rules.SitIllegal}}}
					if err := w.PutPerson(p); err != nil {
						return err
					}
				}
				number, err := w.NextNumber()
				if err != nil {
					return err
				}
				versions := 1
				if i%scaleModifyOne == scaleModifyOne-1 {
					versions = 2
				}
				for k := 0; k < versions; k++ {
					v := tp.versions[k]
					v.Number, v.Beneficiary.SSIN = number, ssin
					if i%2 == 0 {
						shiftContent(&v, 365)
					}
					if err := w.PutVersion(v); err != nil {
						return err
					}
					ticket := fmt.Sprintf("scale-%d-%d", i, k+1)
					a := tp.audits[k]
					if i == from {
						// as server/once.go: the pending audit and the reply in the decision's
						// transaction, then the audit completed with the signed answer
						r := tp.replies[k]
						r.Number = number
						if err := w.PutAudit(number, k+1, Audit{Request: a.Request, Signer: a.Signer, At: a.At}); err != nil {
							return err
						}
						if err := w.PutReply(a.Signer, ticket, r); err != nil {
							return err
						}
						if err := w.PutAudit(number, k+1, a); err != nil {
							return err
						}
					}
					// The others get the same records as bytes: the templates' with the fields
					// that differ appended (checked above against the first decision's), without
					// deflating the same answer three times per version.
					key, err := replyKey(a.Signer, ticket)
					if err != nil {
						return err
					}
					reply := &recordWriter{b: slices.Clone(tp.replyRecords[k])}
					reply.field(tagReplyNumber, []byte(number))
					reply.field(tagReplyVersion, binary.AppendUvarint(nil, uint64(k+1)))
					audit := &recordWriter{b: slices.Clone(tp.auditRecords[k])}
					audit.field(tagAuditReply, key)
					n, _ := parseNumber(number)
					tx := w.(*txn).tx
					for _, rec := range []struct {
						bucket, key, raw []byte
					}{{bucketReplies, key, reply.b}, {bucketAudit, versionKey(n, k+1), audit.b}} {
						if i > from {
							if err := tx.Bucket(rec.bucket).Put(rec.key, rec.raw); err != nil {
								return err
							}
						} else if got := tx.Bucket(rec.bucket).Get(rec.key); !bytes.Equal(got, rec.raw) {
							return fmt.Errorf("the fill's %s record differs from the gateway's:\n%q\n%q", rec.bucket, got, rec.raw)
						}
					}
				}
			}
			return nil
		})
		if err != nil {
			b.Fatalf("fill %d..%d: %v", start, end, err)
		}
	}
}

// consultOnce is the store part of a consultCarmed by SSIN for a random person among the first
// persons ones, timed.
func consultOnce(b *testing.B, db *Bolt, persons int, rng *rand.Rand) time.Duration {
	ssin, _ := scaleSSIN(rng.IntN(persons))
	start := time.Now()
	var found int
	err := db.View(func(r Reader) error {
		if _, err := r.Person(ssin); err != nil {
			return err
		}
		ds, err := r.DecisionsBySSIN(ssin)
		for _, d := range ds {
			found += len(d.Versions)
		}
		return err
	})
	elapsed := time.Since(start)
	if err != nil || found < 2 {
		b.Fatalf("consult: %d versions, %v", found, err)
	}
	return elapsed
}

func pct(d []time.Duration, p float64) float64 {
	return float64(d[int(float64(len(d)-1)*p)].Nanoseconds()) / 1e3
}

// BenchmarkConsultAtScale fills a file to 10,000 decisions, keeps a copy of it, fills the file
// on to SCALE_N, then measures both, reopened with fsync on as the gateway runs them, in
// alternating rounds, so that whatever else the machine does weighs on both alike. Run it with
// -benchtime 1x (make bench-scale): one run is the measurement. With SCALE_KEEP=DIR the large
// file is DIR/carmed.db and stays, for a gateway to serve (tools/scale-e2e.sh).
func BenchmarkConsultAtScale(b *testing.B) {
	n, _ := strconv.Atoi(os.Getenv("SCALE_N"))
	if n == 0 {
		b.Skip("SCALE_N not set (make bench-scale)")
	}
	if n < scaleBase {
		b.Fatalf("SCALE_N=%d: at least %d", n, scaleBase)
	}
	tp := loadScaleTemplate(b)
	dir := b.TempDir()
	smallPath, largePath := filepath.Join(dir, "small.db"), filepath.Join(dir, "large.db")
	if keep := os.Getenv("SCALE_KEEP"); keep != "" {
		// tools/scale-e2e.sh serves the large file afterwards: it is left there, and removed
		// by that script
		largePath = filepath.Join(keep, "carmed.db")
	}
	fill := func(from, to int) {
		db, err := Open(largePath, Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		fillScale(b, db, tp, from, to)
		if err := db.db.Sync(); err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		b.Logf("filled %d..%d in %s (%.0f decisions/s); %d bytes per version (store check's figure)",
			from, to, took.Round(time.Millisecond), float64(to-from)/took.Seconds(), db.BytesPerVersion())
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	fill(0, scaleBase)
	copyFile(b, largePath, smallPath)
	fill(scaleBase, n)

	type side struct {
		decisions int
		db        *Bolt
		lat       []time.Duration
		minflt    int64 // page faults of the process during this side's counted rounds
		majflt    int64
	}
	sides := []*side{{decisions: scaleBase}, {decisions: n}}
	for i, path := range []string{smallPath, largePath} {
		db, err := Open(path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		sides[i].db = db
	}
	rng := rand.New(rand.NewPCG(14, 4))
	const rounds = 20
	for r := -1; r < rounds; r++ { // round -1 warms both up and is not counted
		for _, s := range sides {
			min0, maj0 := pageFaults(b)
			for range scaleSamples / rounds {
				d := consultOnce(b, s.db, s.decisions/2, rng)
				if r >= 0 {
					s.lat = append(s.lat, d)
				}
			}
			if min1, maj1 := pageFaults(b); r >= 0 {
				s.minflt += min1 - min0
				s.majflt += maj1 - maj0
			}
		}
	}
	b.StopTimer()
	small, large := sides[0].lat, sides[1].lat
	slices.Sort(small)
	slices.Sort(large)
	for i, s := range sides {
		fi, _ := os.Stat([]string{smallPath, largePath}[i])
		b.Logf("%9d decisions (%5d MB file): consult p50 %6.1f µs, p90 %6.1f µs, p99 %7.1f µs (%d consults; page faults per consult: %.2f minor, %.3f major)",
			s.decisions, fi.Size()>>20, pct(s.lat, .5), pct(s.lat, .9), pct(s.lat, .99), len(s.lat),
			float64(s.minflt)/float64(len(s.lat)), float64(s.majflt)/float64(len(s.lat)))
	}
	for _, q := range []struct {
		name string
		p    float64
	}{{"p50", .5}, {"p90", .9}, {"p99", .99}} {
		b.ReportMetric(pct(small, q.p), q.name+"-10k-µs")
		b.ReportMetric(pct(large, q.p), q.name+"-N-µs")
		b.ReportMetric(pct(large, q.p)/pct(small, q.p), q.name+"-ratio")
	}
	b.Logf("P4: consult p50 at %d decisions = %.2f× at %d (goal ≤ 1.3×); p90 %.2f×, p99 %.2f×", n,
		pct(large, .5)/pct(small, .5), scaleBase, pct(large, .9)/pct(small, .9), pct(large, .99)/pct(small, .99))
}

func copyFile(b *testing.B, from, to string) {
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}

// pageFaults is this process's minor and major page faults so far (/proc/self/stat fields 10
// and 12): a consult on a page of the mapped file not touched yet costs a fault, a major one
// when the page is not in the page cache either.
func pageFaults(b *testing.B) (minor, major int64) {
	raw, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, 0 // not Linux: the figures read 0
	}
	// the command name (field 2) may hold spaces: count from the ')' that ends it
	f := strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+1:]))
	minor, _ = strconv.ParseInt(f[7], 10, 64)
	major, _ = strconv.ParseInt(f[9], 10, 64)
	return minor, major
}
