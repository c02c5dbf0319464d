package server

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/carmed/carmed/wssec"
)

// releasedFaultCodes are the fault codes clients have seen, in catalogue order. A new code is
// appended to the catalogue and then here; a code is never renamed, removed or moved.
var releasedFaultCodes = []string{
	"MEDIA_TYPE", "BAD_ENCODING", "READ_ERROR", "TOO_LARGE", "NOT_XML", "PI_REFUSED", "DTD_REFUSED",
	"TOO_MANY_ATTRS", "NOT_SOAP", "VERSION_MISMATCH", "MUST_UNDERSTAND", "SCHEMA_INVALID", "REPLAYED",
	"UNKNOWN_OPERATION", "ACTION_MISMATCH", "NOT_AUTHORIZED", "SERVER_ERROR",
	"UnsupportedSecurityToken", "UnsupportedAlgorithm", "InvalidSecurity", "InvalidSecurityToken",
	"FailedAuthentication", "FailedCheck", "SecurityTokenUnavailable", "MessageExpired",
	"SAML_PLACEMENT", "SAML_DUPLICATE_ID", "SAML_TOKEN_REF", "SAML_TOKEN_MISSING", "SAML_MALFORMED",
	"SAML_ISSUER", "SAML_SIGNATURE", "SAML_EXPIRED", "SAML_LIFETIME", "SAML_NOT_HOK", "SAML_HOLDER",
	"SAML_HOLDER_KEY", "SAML_NO_PARTY", "STORE_BUSY", "STORE_LIMIT",
}

// Every SAML check wssec can refuse with is catalogued, sent as the fault code wssec gives it.
func TestEverySAMLCheckIsCataloguedWithItsFaultCode(t *testing.T) {
	for check, code := range wssec.SAMLChecks {
		e, ok := faultIndex[check]
		if !ok || e.WSSE != string(code) {
			t.Errorf("%s: catalogue entry %+v, want one sent as wsse:%s", check, e, code)
		}
	}
}

func TestTheFaultCatalogueIsAppendOnly(t *testing.T) {
	cat := FaultCatalogue()
	if len(cat) < len(releasedFaultCodes) {
		t.Fatalf("the catalogue has %d codes, %d were released: a code was removed", len(cat), len(releasedFaultCodes))
	}
	for i, code := range releasedFaultCodes {
		if cat[i].Code != code {
			t.Errorf("catalogue entry %d is %q, released as %q: codes are never renamed, removed or moved", i, cat[i].Code, code)
		}
	}
	if len(cat) > len(releasedFaultCodes) {
		t.Errorf("codes %v are not in releasedFaultCodes: append them there too", cat[len(releasedFaultCodes):])
	}
}

var projectFaultCode = regexp.MustCompile(`^[A-Z][A-Z0-9_]{1,31}$`)

func TestEveryFaultCodeIsUniqueWellFormedAndHasAPublicText(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range FaultCatalogue() {
		if seen[e.Code] {
			t.Errorf("%q: repeated", e.Code)
		}
		seen[e.Code] = true
		if e.WSSE == "" && !projectFaultCode.MatchString(e.Code) {
			t.Errorf("%q: a project fault code is A-Z, 0-9, _ (at most 32)", e.Code)
		}
		if strings.TrimSpace(e.Reason) == "" {
			t.Errorf("%q: no public text", e.Code)
		}
		if e.WSSE != "" && (e.Server || e.Special != "") {
			t.Errorf("%q: a WS-Security fault is a Client fault", e.Code)
		}
	}
}

// Each code goes on the wire as its catalogue entry says: the SOAP fault code, the text and the
// HTTP status, in both SOAP versions.
func TestEveryCataloguedFaultRendersAsItsEntrySays(t *testing.T) {
	for _, e := range FaultCatalogue() {
		f := newFault(e.Code, nil)
		want11 := "env:Client"
		switch {
		case e.WSSE != "":
			want11 = "wsse:" + e.WSSE
		case e.Special != "":
			want11 = "env:" + e.Special
		case e.Server:
			want11 = "env:Server"
		}
		doc := f.envelope(soap11, nil)
		if got := doc.FindElement("//faultcode").Text(); got != want11 {
			t.Errorf("%s: SOAP 1.1 faultcode %q, want %q", e.Code, got, want11)
		}
		if got := doc.FindElement("//faultstring").Text(); got != e.Reason {
			t.Errorf("%s: faultstring %q", e.Code, got)
		}
		for v, sender := range map[soapVersion]int{soap11: http.StatusInternalServerError, soap12: http.StatusBadRequest} {
			want := sender
			if e.HTTP != 0 {
				want = e.HTTP
			}
			if got := f.status(v); got != want {
				t.Errorf("%s: SOAP %d status %d, want %d", e.Code, v, got, want)
			}
		}
	}
}

func TestAnUncataloguedFaultCodePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("want a panic")
		}
	}()
	newFault("NOT_A_FAULT_CODE", nil)
}
