package wssec

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	_ "crypto/sha1" // registers SHA-1 for the legacy switch
	_ "crypto/sha256"
	_ "crypto/sha512"
	"errors"
	"math/big"
)

// sigMethod is an allowed SignatureMethod.
type sigMethod struct {
	hash  crypto.Hash
	ecdsa bool
}

var signatureMethods = map[string]sigMethod{
	algRSASHA1:     {crypto.SHA1, false},
	algRSASHA256:   {crypto.SHA256, false},
	algRSASHA384:   {crypto.SHA384, false},
	algRSASHA512:   {crypto.SHA512, false},
	algECDSASHA1:   {crypto.SHA1, true},
	algECDSASHA256: {crypto.SHA256, true},
	algECDSASHA384: {crypto.SHA384, true},
	algECDSASHA512: {crypto.SHA512, true},
}

var digestMethods = map[string]crypto.Hash{
	algSHA1:   crypto.SHA1,
	algSHA256: crypto.SHA256,
	algSHA384: crypto.SHA384,
	algSHA512: crypto.SHA512,
}

var errAlgorithm = errors.New("algorithm not in the allow-list")

func (v *Verifier) signatureMethod(uri string) (sigMethod, error) {
	m, ok := signatureMethods[uri]
	if !ok || (m.hash == crypto.SHA1 && !v.AllowSHA1) {
		return m, errAlgorithm
	}
	return m, nil
}

func (v *Verifier) digestMethod(uri string) (crypto.Hash, error) {
	h, ok := digestMethods[uri]
	if !ok || (h == crypto.SHA1 && !v.AllowSHA1) {
		return 0, errAlgorithm
	}
	return h, nil
}

var (
	errKeyType   = errors.New("certificate key does not match the signature method")
	errWeakKey   = errors.New("certificate key is too weak")
	errSigFormat = errors.New("ECDSA signature is not r||s of the curve size")
)

// checkKey refuses keys the verifier will not accept whatever the signature says.
func checkKey(pub crypto.PublicKey) error {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < minRSABits {
			return errWeakKey
		}
		return nil
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256(), elliptic.P384(), elliptic.P521():
			return nil
		}
		return errWeakKey
	}
	return errKeyType
}

// verifySignature checks sig over signed with pub. ECDSA signatures are the XMLDSig 1.1 form:
// r and s as big-endian integers of the curve's size, concatenated.
func verifySignature(pub crypto.PublicKey, m sigMethod, signed, sig []byte) error {
	h := m.hash.New()
	h.Write(signed)
	digest := h.Sum(nil)
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if m.ecdsa {
			return errKeyType
		}
		return rsa.VerifyPKCS1v15(k, m.hash, digest, sig)
	case *ecdsa.PublicKey:
		if !m.ecdsa {
			return errKeyType
		}
		size := (k.Curve.Params().BitSize + 7) / 8
		if len(sig) != 2*size {
			return errSigFormat
		}
		r := new(big.Int).SetBytes(sig[:size])
		s := new(big.Int).SetBytes(sig[size:])
		if !ecdsa.Verify(k, digest, r, s) {
			return errors.New("ecdsa: verification error")
		}
		return nil
	}
	return errKeyType
}
