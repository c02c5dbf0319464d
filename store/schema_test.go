package store

import (
	"bytes"
	"reflect"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/carmed/carmed/rules"
)

func TestAFileFromBeforeTheNoticeBucketsStillOpens(t *testing.T) {
	// Build what the previous version wrote: the same schema byte, no mutation or notice buckets.
	b, path := openTemp(t, Options{NoSync: true})
	putVersions(t, b, version("000000000001", 1, ssinA, cbeA))
	rawBolt(t, b, func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketMutations, bucketMutationsBySSIN, bucketNotices, bucketNoticesPending} {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	b2, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatalf("Open of an older file: %v", err)
	}
	defer b2.Close()
	if problems := b2.Check(); len(problems) != 0 {
		t.Errorf("check of the reopened file: %v", problems)
	}
	n := rules.Notice{Manager: cbeA, SSIN: ssinA, Number: "000000000001", Version: 1}
	err = b2.Update(func(w Writer) error {
		if err := w.PutMutation(rules.Mutation{Seq: 1, Kind: rules.MutDeath, SSIN: ssinA}, t0); err != nil {
			return err
		}
		return w.PutNotice(&n)
	})
	if err != nil || n.ID != "000000000001" {
		t.Errorf("writing a mutation and a notice to the older file: %v (id %q)", err, n.ID)
	}
	_ = b2.View(func(r Reader) error {
		if d, err := r.Decision("000000000001"); err != nil || len(d.Versions) != 1 {
			t.Errorf("the older file's decision: %+v, %v", d, err)
		}
		return nil
	})
}

// replyHash is a recognizable BodyHash for the golden records below.
var replyHash = [32]byte{1, 2, 3}

// goldenReplyV1 is a reply record exactly as schema 1 wrote it: the signed envelope under
// "Response". goldenReplyV2 is the record this binary writes: the answer's Body content.
const (
	goldenReplyV1 = "\x01{\"BodyHash\":[1,2,3,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]," +
		"\"Response\":\"PEVudmVsb3BlLz4=\",\"Number\":\"000000000001\",\"Version\":1}"
	goldenReplyV2 = "\x01{\"BodyHash\":[1,2,3,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]," +
		"\"Body\":\"PGFuc3dlci8+\",\"Number\":\"000000000001\",\"Version\":1}"
	// goldenReplyV3: codec 2, then tag ‖ length ‖ data: 1 the body hash, 2 the Body (too short
	// to deflate), 6 the number, 7 the version (uvarint).
	goldenReplyV3 = "\x02" + "\x01\x20\x01\x02\x03" + "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" + "\x02\x09<answer/>" + "\x06\x0c000000000001" + "\x07\x01\x01"
)

func TestAReplyRecordIsStoredAsPinned(t *testing.T) {
	b := openTestDB(t)
	putVersions(t, b, version("000000000001", 1, ssinA, cbeA))
	r := Reply{BodyHash: replyHash, Body: []byte("<answer/>"), Number: "000000000001", Version: 1}
	if err := b.Update(func(w Writer) error { return w.PutReply(cbeA, "t-1", r) }); err != nil {
		t.Fatal(err)
	}
	k, _ := replyKey(cbeA, "t-1")
	var raw []byte
	b.rawUpdate(t, func(tx kvTx) error {
		raw = append(raw, tx.Bucket(bucketReplies).Get(k)...)
		return nil
	})
	if string(raw) != goldenReplyV3 {
		t.Errorf("stored reply record changed (bump schemaVersion and keep reading the old one):\n got %q\nwant %q", raw, goldenReplyV3)
	}
	// The schema 2 record of the same reply still reads the same.
	if got, err := decodeReply([]byte(goldenReplyV2)); err != nil || !reflect.DeepEqual(got, r) {
		t.Errorf("the schema 2 record reads %+v, %v", got, err)
	}
}

func TestAFileOfSchema1OpensAndItsRepliesStillRead(t *testing.T) {
	// Build what a schema 1 binary left: its schema byte and a reply holding the signed envelope.
	b, path := openTemp(t, Options{NoSync: true})
	putVersions(t, b, version("000000000001", 1, ssinA, cbeA))
	k, _ := replyKey(cbeA, "t-1")
	b.rawUpdate(t, func(tx kvTx) error {
		if err := tx.Bucket(bucketMeta).Put(keySchema, []byte{1}); err != nil {
			return err
		}
		return tx.Bucket(bucketReplies).Put(k, []byte(goldenReplyV1))
	})
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	b2, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatalf("Open of a schema 1 file: %v", err)
	}
	defer b2.Close()
	_ = b2.View(func(r Reader) error {
		got, err := r.Reply(cbeA, "t-1")
		want := Reply{BodyHash: replyHash, Envelope: []byte("<Envelope/>"), Number: "000000000001", Version: 1}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("the schema 1 reply reads %+v, %v; want %+v", got, err, want)
		}
		return nil
	})
	if problems := b2.Check(); len(problems) != 0 {
		t.Errorf("check of the reopened file: %v", problems)
	}
	// The file now says schema 3, so an older binary refuses it rather than misread new replies.
	var schema []byte
	b2.rawUpdate(t, func(tx kvTx) error {
		schema = append(schema, tx.Bucket(bucketMeta).Get(keySchema)...)
		return nil
	})
	if !bytes.Equal(schema, []byte{schemaVersion}) || schemaVersion != 3 {
		t.Errorf("schema byte after opening = %v, want [3]", schema)
	}
}

func TestAFileOfANewerSchemaIsRefused(t *testing.T) {
	b, path := openTemp(t, Options{NoSync: true})
	b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketMeta).Put(keySchema, []byte{schemaVersion + 1}) })
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if b2, err := Open(path, Options{NoSync: true}); err == nil {
		b2.Close()
		t.Fatal("a file of a newer schema opened")
	}
}
