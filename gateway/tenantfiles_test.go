package gateway

import (
	"strings"
	"testing"
)

// A tenant's own trust file may name no file of the gateway's machine: a CA path, a certificate
// list, or a token service's certificate are refused; SPKI pins are accepted.
func TestATenantTrustFileNamingFilesIsRefused(t *testing.T) {
	pin := `{"id":"0212345668","kind":"cpas","match":{"spkiSha256":"00"}}`
	for name, tc := range map[string]struct {
		doc  string
		want string
	}{
		"pinned parties are accepted": {`{"parties":[` + pin + `]}`, ""},
		"a CA path is refused":        {`{"parties":[{"id":"x","match":{"ca":"ca.crt","subject":"CN=x"}}]}`, "spkiSha256 only"},
		"certificates are refused":    {`{"parties":[` + pin + `],"certificates":["a.crt"]}`, "certificates"},
		"token issuers are refused":   {`{"parties":[` + pin + `],"tokenIssuers":[{"certificate":"sts.crt"}]}`, "tokenIssuers"},
	} {
		t.Run(name, func(t *testing.T) {
			err := pinnedOnly([]byte(tc.doc))
			if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}
