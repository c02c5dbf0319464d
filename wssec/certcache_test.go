package wssec

import (
	"encoding/base64"
	"testing"
	"time"
)

// The certificate cache saves parsing only: a token verified once (its certificate cached) is
// refused once the trust no longer holds its certificate, and the cache stays within its bound.
func TestCachedCertificateIsStillCheckedAgainstTheTrust(t *testing.T) {
	rsaK, _, other := testKeys(t)
	_, doc := reparse(t, signWith(t, rsaK, unsignedEnvelopes[0].xml, testEpoch))
	if _, err := verifierFor(testEpoch, rsaK.cert).Verify(doc); err != nil {
		t.Fatal(err)
	}
	_, doc = reparse(t, signWith(t, rsaK, unsignedEnvelopes[0].xml, testEpoch.Add(time.Second)))
	_, err := verifierFor(testEpoch, other.cert).Verify(doc)
	wantCode(t, err, FailedAuthentication)

	for i := range maxCachedCerts + 10 {
		if _, e := parseCert(base64.StdEncoding.EncodeToString(selfSigned(rsaK.key, "flood").cert.Raw)); e != nil {
			t.Fatal(e, i)
		}
	}
	if n := len(certs.m); n > maxCachedCerts {
		t.Fatalf("%d certificates cached, bound %d", n, maxCachedCerts)
	}
}
