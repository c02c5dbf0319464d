package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestASIGKILLLosesNoAcknowledgedWriteAndReopensNoReplay kills the gateway (SIGKILL) while
// creates are in flight and starts it again on the same data: every create that was answered
// is there, and every request that was answered — consults too, whose replay keys are made
// durable off the request's path — is refused as a replay when its signed bytes come again.
func TestASIGKILLLosesNoAcknowledgedWriteAndReopensNoReplay(t *testing.T) {
	bin := carmedBinary(t)
	run := runner(t, bin)
	dir := t.TempDir()
	pkiDir := filepath.Join(dir, "pki")
	if code, _, errs := run("pki", "init", "--dir", pkiDir); code != 0 {
		t.Fatalf("pki init: %s", errs)
	}
	args := []string{"--data", filepath.Join(dir, "data"), "--pki", pkiDir,
		"--registry", "testdata/registry", "--today", "2026-12-01", "--harness"}
	srv := startServe(t, bin, args...)
	lt, err := newLoadTarget("http://"+srv.addr, pkiDir, 4)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir("../.."); err != nil { // consults reads the request files of testdata/
		t.Fatal(err)
	}
	consults, err := lt.consults(8)
	if err := errors.Join(err, os.Chdir("cmd/carmed")); err != nil {
		t.Fatal(err)
	}
	const n = 60
	ssins, err := lt.persons(n)
	if err != nil {
		t.Fatal(err)
	}
	create, err := os.ReadFile("../../testdata/requests/demo/create.xml")
	if err != nil {
		t.Fatal(err)
	}
	creates, err := lt.presign(create, n, func(i int) map[string]string {
		return map[string]string{"ssin": ssins[i], "ticket": fmt.Sprintf("crash-%d", i)}
	})
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + srv.addr + "/cpas/v1"
	for i, env := range consults {
		if got := lt.post(url, "urn:carmed:cpas:v1:consultCarmed", env); got != "" {
			t.Fatalf("consult %d: %s", i, got)
		}
	}

	var mu sync.Mutex
	var acked []int
	var wg sync.WaitGroup
	next := make(chan int)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if lt.post(url, "urn:carmed:cpas:v1:createCarmed", creates[i]) == "" {
					mu.Lock()
					acked = append(acked, i)
					killNow := len(acked) == n/3
					mu.Unlock()
					if killNow {
						_ = srv.cmd.Process.Kill() // SIGKILL, with creates in flight
					}
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	srv.once.Do(func() { _ = srv.cmd.Wait() })
	if len(acked) < n/3 || len(acked) == n {
		t.Fatalf("%d of %d creates answered: the kill did not land mid-run", len(acked), n)
	}

	srv2 := startServe(t, bin, args...)
	url = "http://" + srv2.addr + "/cpas/v1"
	consult, err := os.ReadFile("../../testdata/requests/demo/consult.xml")
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range acked {
		if got := lt.post(url, "urn:carmed:cpas:v1:createCarmed", creates[i]); got != "fault wsse:InvalidSecurity" {
			t.Errorf("create %d answered before the kill, sent again after: %q, want a replay fault", i, got)
		}
		env, err := lt.signed(consult, map[string]string{"ssin": ssins[i], "ticket": fmt.Sprintf("after-%d", i)})
		if err != nil {
			t.Fatal(err)
		}
		if body := postBody(t, url, env); !bytes.Contains(body, []byte("<value>DATA_FOUND</value>")) {
			t.Errorf("create %d was answered before the kill and is gone after it: %.300s", i, body)
		}
	}
	for i, env := range consults {
		if got := lt.post(url, "urn:carmed:cpas:v1:consultCarmed", env); got != "fault wsse:InvalidSecurity" {
			t.Errorf("consult %d answered before the kill, sent again after: %q, want a replay fault", i, got)
		}
	}
}

func postBody(t *testing.T, url string, env []byte) []byte {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(env))
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", `"urn:carmed:cpas:v1:consultCarmed"`)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return b
}
