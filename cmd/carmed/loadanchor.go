package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// signingAnchors measures, on every core at once, how many RSA-2048 and ECDSA P-256 SHA-256
// signatures Go makes per second: the floors the goals are stated against, measured in
// the same run (and on the same machine state) as the load.
func signingAnchors() (rsaRate, ecRate float64, err error) {
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return 0, 0, err
	}
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return 0, 0, err
	}
	return signRate(rk), signRate(ek), nil
}

func signRate(k crypto.Signer) float64 {
	digest := sha256.Sum256([]byte("carmed load anchor"))
	var n atomic.Int64
	var wg sync.WaitGroup
	begin := time.Now()
	deadline := begin.Add(anchorTime)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if _, err := k.Sign(rand.Reader, digest[:], crypto.SHA256); err != nil {
					return
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(n.Load()) / time.Since(begin).Seconds()
}
