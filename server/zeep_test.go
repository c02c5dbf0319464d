package server_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carmed/carmed/face/provider"
	"github.com/carmed/carmed/internal/needtool"
	"github.com/carmed/carmed/pki"
)

// zeepScript is the independent provider client: it knows the gateway only through the served WSDL.
var zeepScript = filepath.Join("..", "interop", "python", "zeep_client.py")

// needZeep finds Python with zeep and xmlsec: missing, the test fails under CI and is skipped elsewhere.
func needZeep(t *testing.T) string {
	t.Helper()
	return needtool.PythonWith(t, "zeep", "xmlsec")
}

// zeepSummary is what the script prints: an answer, a SOAP fault, or another error.
type zeepSummary struct {
	Status       string `json:"status"`
	SubStatus    string `json:"subStatus"`
	InResponseTo string `json:"inResponseTo"`
	RequestID    string `json:"requestId"`
	EchoedSsin   string `json:"echoedSsin"`
	Count        int    `json:"count"`
	Carmed       []struct {
		CarmedNumber    string `json:"carmedNumber"`
		Version         int    `json:"version"`
		Ssin            string `json:"ssin"`
		HasContent      bool   `json:"hasContent"`
		AgreementNumber bool   `json:"agreementNumber"`
		RefundCode      *int   `json:"refundCode"`
	} `json:"carmed"`
	Fault *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"fault"`
	Error   string `json:"error"`
	Message string `json:"message"`
}

// runZeep runs the client as party and returns its exit code and summary; the exchanged
// envelopes are kept in a temporary folder and logged when the test fails.
func runZeep(t *testing.T, e *env, py, party string, extra ...string) (int, zeepSummary) {
	t.Helper()
	dump := filepath.Join(t.TempDir(), "exchange")
	args := append([]string{zeepScript,
		"--url", e.url,
		"--key", filepath.Join(e.pki, party+".key"),
		"--cert", filepath.Join(e.pki, party+".crt"),
		"--server-cert", filepath.Join(e.pki, pki.GatewayCertFile),
		"--now", e.clock.Now().Format(time.RFC3339),
		"--ssin", "85031412302",
		"--date", demoToday.String(),
		"--dump", dump,
	}, extra...)
	cmd := exec.Command(py, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("running the zeep client: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			req, _ := os.ReadFile(dump + "-request.xml")
			ans, _ := os.ReadFile(dump + "-answer.xml")
			t.Logf("zeep stderr:\n%s\nsent:\n%s\nreceived:\n%s", stderr.String(), req, ans)
		}
	})
	var s zeepSummary
	if err := json.Unmarshal(bytes.TrimSpace(stdout.Bytes()), &s); err != nil {
		t.Fatalf("zeep client (exit %d) printed no summary: %v\nstdout: %s\nstderr: %s", code, err, stdout.String(), stderr.String())
	}
	return code, s
}

// TestZeepProviderClient: a provider client built with Python zeep from the WSDL and XSDs the gateway
// serves, signing with python-xmlsec (ECDSA-SHA256 or RSA-SHA256, as the demo key is; signed
// Timestamp) and verifying every answer against the gateway certificate, consults a decision and gets its payment commitment; refused requests come
// back as signed SOAP Faults that zeep raises as such. Both gateway key kinds sign the answers.
func TestZeepProviderClient(t *testing.T) {
	py := needZeep(t)
	for _, gatewayKey := range []string{pki.GatewayECDSA, pki.GatewayRSA} {
		t.Run("gateway key "+gatewayKey, func(t *testing.T) {
			e := newEnv(t, func(o *envOpt) { o.gatewayKey = gatewayKey })
			wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
			zeepConsultations(t, e, py)
		})
	}
}

func zeepConsultations(t *testing.T, e *env, py string) {
	t.Run("a consultation for today returns the decision with an agreement number", func(t *testing.T) {
		code, s := runZeep(t, e, py, "hospital-chr")
		if code != 0 {
			t.Fatalf("zeep client exit %d: %+v", code, s)
		}
		if s.Status != provider.StatusSuccess || s.SubStatus != "" {
			t.Fatalf("status %q / %q, want %s alone", s.Status, s.SubStatus, provider.StatusSuccess)
		}
		if s.InResponseTo != s.RequestID || !strings.HasPrefix(s.RequestID, "R") {
			t.Errorf("InResponseTo %q, want the request Id %q", s.InResponseTo, s.RequestID)
		}
		if s.EchoedSsin != "85031412302" {
			t.Errorf("echoed criteria Ssin %q", s.EchoedSsin)
		}
		if s.Count != 1 || len(s.Carmed) != 1 {
			t.Fatalf("%d Carmed, want 1: %+v", s.Count, s.Carmed)
		}
		c := s.Carmed[0]
		if c.CarmedNumber != "000000000001" || c.Version != 1 || c.Ssin != "85031412302" {
			t.Errorf("Carmed %s v%d for %s, want 000000000001 v1 for the requested SSIN", c.CarmedNumber, c.Version, c.Ssin)
		}
		if !c.HasContent {
			t.Error("a hospital, with no designated-provider list on the decision, must see the covers")
		}
		if !c.AgreementNumber {
			t.Error("a ReferenceDate of today must give an AgreementNumber")
		}
		if c.RefundCode == nil || *c.RefundCode != 1 {
			t.Errorf("refund code %v, want 1", c.RefundCode)
		}
	})

	t.Run("zeep's Signature with X509Data in the KeyInfo instead of a BinarySecurityToken succeeds", func(t *testing.T) {
		code, s := runZeep(t, e, py, "hospital-chr", "--x509data")
		if code != 0 || s.Status != provider.StatusSuccess || s.Count != 1 {
			t.Fatalf("exit %d: %+v", code, s)
		}
	})

	// Each refusal must come back as a Fault signed by the gateway: zeep verifies the answer
	// before it looks for a Fault, so an unsigned one would surface as a signature failure (exit 1).
	refusals := []struct {
		name, party string
		args        []string
		faultCode   string
	}{
		{"a request changed after signing is refused as a failed check", "hospital-chr", []string{"--tamper"}, "wsse:FailedCheck"},
		{"SHA-1 signature and digests (zeep's default) are refused as an unsupported algorithm", "hospital-chr", []string{"--sha1"}, "wsse:UnsupportedAlgorithm"},
		{"a request without a Timestamp (zeep's default) is refused as invalid security", "hospital-chr", []string{"--no-timestamp"}, "wsse:InvalidSecurity"},
		{"a CPAS certificate is refused on the provider face", "cpas-namur", nil, "env:Client"},
	}
	for _, r := range refusals {
		t.Run(r.name+" in a signed SOAP Fault", func(t *testing.T) {
			code, s := runZeep(t, e, py, r.party, r.args...)
			if code != 2 || s.Fault == nil {
				t.Fatalf("exit %d, summary %+v: want zeep to raise a verified Fault", code, s)
			}
			// the prefix is the server's choice; the local name is the contract
			if _, local, _ := strings.Cut(r.faultCode, ":"); !strings.HasSuffix(s.Fault.Code, ":"+local) {
				t.Errorf("fault code %q, want %s", s.Fault.Code, r.faultCode)
			}
			if strings.Contains(s.Fault.Message, "8503141230") {
				t.Errorf("the fault text carries personal data: %q", s.Fault.Message)
			}
		})
	}

	// The control for the refusals: the client really checks who signed the answer.
	t.Run("an answer signed by another key than the pinned gateway certificate is rejected by zeep", func(t *testing.T) {
		code, s := runZeep(t, e, py, "hospital-chr", "--server-cert", filepath.Join(e.pki, "gp-dupont.crt"))
		if code != 1 || s.Error != "SignatureVerificationFailed" {
			t.Fatalf("exit %d, summary %+v: want SignatureVerificationFailed", code, s)
		}
	})
}
