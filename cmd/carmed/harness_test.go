package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// smallRegistry holds two invented persons absent from testdata/registry (valid SSINs, mod 97).
const smallRegistry = `{"persons": [
  {"ssin": "77040912388", "lastName": "Testload", "firstName": "Zoe", "gender": "F", "birthDate": "1977-04-09",
   "situations": [{"from": "2020-01-01", "kind": "ILLEGAL"}, {"from": "2021-03-01", "kind": "ASYLUM", "residenceIns": "92094"}]},
  {"ssin": "01020345603", "lastName": "Chargement", "gender": "", "birthDate": "2001-02-03",
   "situations": [{"from": "2020-01-01", "kind": "ILLEGAL"}]}
]}`

// TestHarnessCommands drives `carmed harness …` and `carmed agreement verify --url` against a
// gateway served with --harness on business date 2026-12-01, in the order a tester would: load
// persons, create a decision and take an agreement on it, mutate the person, read the notices,
// move the clock. The subtests share that gateway and run in order.
func TestHarnessCommands(t *testing.T) {
	bin := carmedBinary(t)
	run := runner(t, bin)
	dir := t.TempDir()
	pkiDir := filepath.Join(dir, "pki")
	if code, _, errs := run("pki", "init", "--dir", pkiDir); code != 0 {
		t.Fatalf("pki init: %s", errs)
	}
	srv := startServe(t, bin, "--data", filepath.Join(dir, "data"), "--pki", pkiDir,
		"--registry", "testdata/registry", "--today", "2026-12-01", "--harness")
	gateway := "--url=http://" + srv.addr
	harness := func(sub string, args ...string) (int, string, string) {
		return run(append([]string{"harness", sub, gateway, "--pki", pkiDir}, args...)...)
	}
	call := func(party, url, file string, extra ...string) (int, string, string) {
		args := append([]string{"call", "--url=http://" + srv.addr + url, "--pki", pkiDir, "--as", party}, extra...)
		return run(append(args, file)...)
	}

	t.Run("a registry file loads, shows in person, and a second identical load is all unchanged", func(t *testing.T) {
		file := filepath.Join(dir, "small.json")
		if err := os.WriteFile(file, []byte(smallRegistry), 0o600); err != nil {
			t.Fatal(err)
		}
		if code, out, errs := harness("load", file); code != exitOK || out != "loaded 2, unchanged 0\n" {
			t.Fatalf("first load: exit %d %q %s", code, out, errs)
		}
		code, out, errs := harness("person", "77040912388")
		if code != exitOK || !strings.Contains(out, "77040912388  Testload, Zoe  F  born 1977-04-09") ||
			!strings.Contains(out, "from 2021-03-01  ASYLUM (residence INS 92094)") {
			t.Fatalf("person: exit %d\n%s%s", code, out, errs)
		}
		if code, out, errs := harness("load", file); code != exitOK || out != "loaded 0, unchanged 2\n" {
			t.Fatalf("second load: exit %d %q %s", code, out, errs)
		}
	})

	t.Run("a registry file with a bad SSIN is refused before sending, naming the person not the value", func(t *testing.T) {
		file := filepath.Join(dir, "bad.json")
		bad := strings.Replace(smallRegistry, "01020345603", "01020345604", 1)
		if err := os.WriteFile(file, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errs := harness("load", file)
		if code != exitError || !strings.Contains(errs, "person 1: ssin") || strings.Contains(errs, "01020345604") || out != "" {
			t.Fatalf("exit %d %q %q", code, out, errs)
		}
	})

	if code, _, errs := call("cpas-namur", "/cpas/v1", "testdata/requests/demo/create.xml"); code != exitOK {
		t.Fatalf("create: exit %d %s", code, errs)
	}

	t.Run("agreement verify --url prints the guaranteed covers; a tampered number exits 1", func(t *testing.T) {
		code, out, errs := call("hospital-chr", "/MediPrima/Consult/v2", "testdata/provider/request-reference-date.xml")
		m := regexp.MustCompile(`<AgreementNumber>([^<]+)</AgreementNumber>`).FindStringSubmatch(out)
		if code != exitOK || m == nil {
			t.Fatalf("provider consult gave no agreement: exit %d\n%s%s", code, out, errs)
		}
		token := m[1]
		code, out, errs = run("agreement", "verify", token, gateway, "--pki", pkiDir)
		for _, want := range []string{
			"agreement: valid (checked by the gateway",
			"decision   000000000001 version 1",
			"provider   71012345 (NIHII)",
			"for care from 2026-12-01 to 2026-12-30",
			"validity   2026-12-01 to 2027-02-28, status ACTIVE",
			"refund     code 1; State part (AMI/patient %): hospitalisation 100/100",
			// the decision's covers run to 2027-02-28: the guarantee cuts them at 2026-12-30
			"hospitalization            2026-12-01 to 2026-12-30  NOTHING / NOTHING / PARTIAL, supplement at most 500.00 EUR",
			"pharmaceuticalDrug         2026-12-01 to 2026-12-30  NOTHING / NOTHING / NOTHING",
		} {
			if code != exitOK || !strings.Contains(out, want) {
				t.Fatalf("verify --url: exit %d, missing %q in\n%s%s", code, want, out, errs)
			}
		}
		code, out, _ = run("agreement", "verify", token, "--keys", filepath.Join(pkiDir, agreementKeyFile))
		if code != exitOK || !strings.Contains(out, "decision   000000000001 version 1") || !strings.Contains(out, "ask the gateway with --url") ||
			strings.Contains(out, "hospitalization") {
			t.Fatalf("verify with the keyring only: exit %d\n%s", code, out)
		}
		code, out, errs = run("agreement", "verify", tamper(token), gateway, "--pki", pkiDir)
		if code != exitRejected || !strings.Contains(out, "agreement: NOT VALID (gateway: AGREEMENT_VOID tampered)") {
			t.Fatalf("tampered number: exit %d\n%s%s", code, out, errs)
		}
	})

	t.Run("a situation mutation suspends the decision, notifies its manager and freezes it", func(t *testing.T) {
		code, out, errs := harness("mutate", "--ssin", "85031412302", "--date", "2026-12-15", "--situation", "REGULARISED")
		m := regexp.MustCompile(`decision 000000000001 version 2 SUSPENDED, manager 0212345668, notice (\d{12})`).FindStringSubmatch(out)
		if code != exitOK || !strings.HasPrefix(out, "mutation ") || !strings.Contains(out, ": SITUATION") || m == nil {
			t.Fatalf("mutate: exit %d\n%s%s", code, out, errs)
		}
		code, out, errs = harness("notices", "--cbe", "0212345668")
		if code != exitOK || !strings.Contains(out, "notice "+m[1]+" to 0212345668: decision 000000000001/2 SUSPENDED, SITUATION effective 2026-12-15") ||
			!strings.Contains(out, "next: STOP on 2026-12-14") || !strings.Contains(out, "pending") {
			t.Fatalf("notices: exit %d\n%s%s", code, out, errs)
		}
		if code, out, _ := harness("notices", "--cbe", "0207456769"); code != exitOK || out != "no notices\n" {
			t.Fatalf("another CPAS's notices: exit %d %q", code, out)
		}
		code, out, errs = call("cpas-namur", "/cpas/v1", "testdata/requests/demo/modify.xml", "--set", "versionNumber=2")
		if code != exitRejected || !strings.Contains(out, "SUSP_REFUND") {
			t.Fatalf("modify of the suspended decision: exit %d\n%s%s", code, out, errs)
		}
	})

	t.Run("clock --advance 3 moves the date once per ticket", func(t *testing.T) {
		if code, out, _ := harness("clock"); code != exitOK || out != "business date 2026-12-01 (frozen)\n" {
			t.Fatalf("clock: exit %d %q", code, out)
		}
		for i := 0; i < 2; i++ {
			if code, out, errs := harness("clock", "--advance", "3", "--ticket", "test-advance-1"); code != exitOK || out != "business date 2026-12-04 (frozen)\n" {
				t.Fatalf("advance, attempt %d: exit %d %q %s", i+1, code, out, errs)
			}
		}
		if code, out, _ := harness("clock"); code != exitOK || out != "business date 2026-12-04 (frozen)\n" {
			t.Fatalf("a retried advance moved the date again: exit %d %q", code, out)
		}
	})

	t.Run("bad flag combinations exit 3 with a clear message", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			args []string
			want string
		}{
			{"a mutation with two changes", []string{"mutate", "--ssin", "85031412302", "--date", "2026-12-15", "--death", "--gender", "F"},
				"exactly one change: --name, --gender, --birth, --new-ssin, --death or --situation (got --death, --gender)"},
			{"a mutation with no change", []string{"mutate", "--ssin", "85031412302", "--date", "2026-12-15"}, "(got none)"},
			{"a mutation with an unknown situation", []string{"mutate", "--ssin", "85031412302", "--date", "2026-12-15", "--situation", "TOURIST"},
				"--situation: kind is one of ILLEGAL"},
			{"a clock set and advanced at once", []string{"clock", "--set", "2027-01-01", "--advance", "2"}, "--set or --advance, not both"},
			{"a ticket over 32 characters", []string{"clock", "--ticket", strings.Repeat("t", 33)}, "--ticket: at most 32 characters"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				code, out, errs := harness(tc.args[0], tc.args[1:]...)
				if code != exitError || !strings.Contains(errs, tc.want) || out != "" {
					t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
				}
			})
		}
	})

	t.Run("a command signed by a CPAS is refused by the harness with a SOAP fault", func(t *testing.T) {
		code, _, errs := harness("clock", "--as", "cpas-namur")
		if code != exitFault || !strings.Contains(errs, "SOAP fault") {
			t.Fatalf("exit %d %s", code, errs)
		}
	})
}

// tamper changes one character in the middle of an agreement number to another of its alphabet,
// so the MAC no longer matches.
func tamper(token string) string {
	i := len(token) / 2
	for token[i] == '-' {
		i++
	}
	c := byte('0')
	if token[i] == '0' {
		c = '1'
	}
	return token[:i] + string(c) + token[i+1:]
}
