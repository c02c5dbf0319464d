package trust

import "testing"

// The issuer name of an X509IssuerSerial reference comes off the wire, before any
// signature is checked: parseDN must not panic on anything.
func FuzzParseDN(f *testing.F) {
	for _, s := range []string{"CN=a,O=b", `CN=a\,b+OU=c`, `CN="q\"x"`, "E=#0c0161", `CN=x\`, "=", "CN= ", `C=\41`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDN(s)
		if err != nil {
			return
		}
		_ = d.key(true)
		_ = d.reversed().key(false)
	})
}
