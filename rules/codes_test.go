package rules

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var codeShape = regexp.MustCompile(`^[A-Z0-9_]{1,16}$`)

func TestCatalogueEveryCodeIsShortUniqueAndHasBothTexts(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Catalogue() {
		if !codeShape.MatchString(c.Code) {
			t.Errorf("%q: a reason code is 1..16 chars of A-Z, 0-9, _", c.Code)
		}
		if seen[c.Code] {
			t.Errorf("%q: repeated", c.Code)
		}
		seen[c.Code] = true
		if strings.TrimSpace(c.Fr) == "" || strings.TrimSpace(c.Nl) == "" {
			t.Errorf("%q: fr and nl texts are required", c.Code)
		}
		if !strings.HasPrefix(c.Rule, "R-") {
			t.Errorf("%q: rule id %q", c.Code, c.Rule)
		}
		if m := NewMessage(c.Code); m.Code != c.Code || m.Rule != c.Rule || m.Fr != c.Fr || m.Technical != c.Technical {
			t.Errorf("%q: NewMessage does not carry the catalogue entry", c.Code)
		}
	}
	if len(seen) < 20 {
		t.Fatalf("catalogue has %d codes", len(seen))
	}
}

func TestMessagesAreClippedToTheWireLimits(t *testing.T) {
	long := strings.Repeat("é", 200) // 400 bytes
	m := NewMessage(CodeOverlapOther, Info{strings.Repeat("n", 70), long}, Info{"a", "1"}, Info{"b", "2"},
		Info{"c", "3"}, Info{"d", "4"}, Info{"e", "5"})
	if len(m.Info) != MaxInfo {
		t.Fatalf("info pairs = %d, want %d", len(m.Info), MaxInfo)
	}
	if n := len(m.Info[0].Name); n != MaxInfoNameLen {
		t.Fatalf("name length = %d", n)
	}
	if v := m.Info[0].Value; len(v) > MaxInfoValueLen || len(v) < MaxInfoValueLen-1 || !utf8.ValidString(v) {
		t.Fatalf("value clipped to %d bytes, valid UTF-8 %v", len(v), utf8.ValidString(v))
	}
}

func TestNewMessagePanicsOnAnUncataloguedCode(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("want a panic")
		}
	}()
	NewMessage("NOT_A_CODE")
}

func TestTheServerFacingConstructorsCarryTheirCodes(t *testing.T) {
	for _, c := range []struct {
		m    Message
		code string
	}{
		{MsgCBEMismatch(), CodeCBEMismatch},
		{MsgCBEInvalid("0123456789"), CodeCBEInvalid},
		{MsgSSINInvalid(), CodeSSINInvalid},
		{MsgTicketReused("T-42"), CodeTicketReused},
	} {
		if c.m.Code != c.code || c.m.Severity != SevError || c.m.Fr == "" {
			t.Errorf("%s: got %+v", c.code, c.m)
		}
	}
	if v, _ := infoValue(MsgTicketReused("T-42"), "ticket"); v != "T-42" {
		t.Fatalf("ticket info = %q", v)
	}
}
