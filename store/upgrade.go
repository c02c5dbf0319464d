package store

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// upgradeBatch is how many records one upgrade transaction rewrites: a big store is moved in
// many bounded commits, and an upgrade cut short by a crash goes on from where it stopped (a
// record already in the new encoding is left as it is; the schema byte is raised last).
const upgradeBatch = 1000

// Format says which layout and record encoding the file has, for `carmed store check`.
func (b *Bolt) Format() string {
	var v byte
	_ = b.db.View(func(tx *bolt.Tx) error {
		if s := tx.Bucket(bucketMeta).Get(keySchema); len(s) == 1 {
			v = s[0]
		}
		return nil
	})
	return formatName(v)
}

func formatName(v byte) string {
	switch {
	case v >= 3:
		return fmt.Sprintf("schema %d: store-owned records (replies and audits tagged and compressed, the signed answer's Body stored once; decision versions as pinned, deflated records)", v)
	case v == 2:
		return "schema 2: JSON records (replies keep the answer's Body); upgraded to schema 3 on the next open by serve or `carmed store upgrade`"
	default:
		return fmt.Sprintf("schema %d: JSON records (replies keep the signed envelope); upgraded to schema 3 on the next open by serve or `carmed store upgrade`", v)
	}
}

// upgrade rewrites the records of a file of an older schema in this schema's encoding, then
// raises its schema byte. Replies and audits move to the store's own encoding (their content
// unchanged: schema 1 replies keep their envelope), decision versions to deflated JSON.
func (b *Bolt) upgrade() (moved int, err error) {
	for _, bucket := range [][]byte{bucketReplies, bucketAudit, bucketAttestationAudit, bucketVersions} {
		var after []byte
		for {
			n, last, err := b.upgradeSome(bucket, after)
			moved += n
			if err != nil {
				return moved, fmt.Errorf("store: upgrade %s: %w", bucket, err)
			}
			if last == nil {
				break
			}
			after = last
		}
	}
	return moved, b.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, []byte{schemaVersion}) })
}

// upgradeSome rewrites up to upgradeBatch JSON records of bucket after key after (nil: from the
// start); last is the key to go on after, nil when the bucket is done.
func (b *Bolt) upgradeSome(bucket, after []byte) (n int, last []byte, err error) {
	err = b.db.Update(func(tx *bolt.Tx) error {
		n, last = 0, nil
		bk := tx.Bucket(bucket)
		c := bk.Cursor()
		k, v := c.First()
		if after != nil {
			if k, v = c.Seek(after); k != nil && bytes.Equal(k, after) {
				k, v = c.Next()
			}
		}
		type rewrite struct{ k, v []byte }
		var out []rewrite
		for ; k != nil; k, v = c.Next() {
			if len(out) == upgradeBatch {
				last = bytes.Clone(out[len(out)-1].k)
				break
			}
			if len(v) == 0 || v[0] != codecJSON1 {
				continue
			}
			raw, err := reencode(bucket, v)
			if err != nil {
				return fmt.Errorf("record %d: %w", len(out), err)
			}
			if bytes.Equal(raw, v) {
				continue // a version too short to deflate: its JSON is already this schema's record
			}
			out = append(out, rewrite{bytes.Clone(k), raw})
		}
		for _, r := range out {
			if err := bk.Put(r.k, r.v); err != nil {
				return err
			}
		}
		n = len(out)
		return nil
	})
	return n, last, err
}

func reencode(bucket, v []byte) ([]byte, error) {
	switch {
	case bytes.Equal(bucket, bucketReplies):
		r, err := decodeReply(v)
		if err != nil {
			return nil, err
		}
		return encodeReply(r)
	case bytes.Equal(bucket, bucketVersions):
		ver, err := decodeVersion(v)
		if err != nil {
			return nil, err
		}
		return encodeVersion(ver)
	default: // the two audit buckets
		a, err := decodeAudit(v, nil)
		if err != nil {
			return nil, err
		}
		return encodeAudit(a, nil)
	}
}

// BytesPerVersion is what the store keeps for each decision version on average: the version,
// replies and audit records (keys and values), divided by the number of versions (P4 of issue
// 14); 0 for a store without versions.
func (b *Bolt) BytesPerVersion() int {
	var n, versions int
	_ = b.db.View(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketVersions, bucketReplies, bucketAudit} {
			_ = tx.Bucket(name).ForEach(func(k, v []byte) error {
				n += len(k) + len(v)
				if bytes.Equal(name, bucketVersions) {
					versions++
				}
				return nil
			})
		}
		return nil
	})
	if versions == 0 {
		return 0
	}
	return n / versions
}
