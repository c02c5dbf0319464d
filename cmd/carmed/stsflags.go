package main

import (
	"errors"
	"flag"
	"io/fs"
	"os"

	"github.com/carmed/carmed/pki"
	"github.com/carmed/carmed/wssec"
)

// stsFlags are serve's token-service options: its key (default PKI/sts.crt and sts.key, served
// when present) and its own legacy SHA-1 switch.
type stsFlags struct {
	cert, key *string
	allowSHA1 *bool
}

func addSTSFlags(fs *flag.FlagSet) *stsFlags {
	return &stsFlags{
		cert: fs.String("sts-cert", "", "token service certificate (default PKI/sts.crt; the token service is served when it exists)"),
		key:  fs.String("sts-key", "", "token service key (default PKI/sts.key)"),
		allowSHA1: fs.Bool("sts-allow-sha1", false,
			"legacy, token service only: accept SHA-1 (the official eHealth connector signs its STS request with RSA-SHA1)"),
	}
}

// signer loads the token service's key; nil when no certificate is there (an older demo PKI).
func (f *stsFlags) signer(pick func(v, name string) string) (*wssec.Signer, error) {
	cert, key := pick(*f.cert, pki.STSCertFile), pick(*f.key, pki.STSKeyFile)
	if cert == "" {
		return nil, nil
	}
	if _, err := os.Stat(cert); errors.Is(err, fs.ErrNotExist) && *f.cert == "" {
		return nil, nil
	}
	k, c, err := pki.LoadKeyPair(cert, key)
	if err != nil {
		return nil, err
	}
	return &wssec.Signer{Key: k, Cert: c}, nil
}
