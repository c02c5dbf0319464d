package main

import (
	"flag"
	"fmt"
	"path/filepath"

	"github.com/carmed/carmed/agreement"
	gh "github.com/carmed/carmed/gen/harness"
)

// cmdAgreement checks an agreement number (payment commitment) and says what it guarantees, or
// rotates the keyring (new current key; old tokens keep verifying). With --url the running
// gateway checks the number with its own keyring (harness face) and also gives the conditions
// of the guaranteed version, which only its store holds.
func cmdAgreement(args []string) int {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "rotate") {
		return fail("usage: carmed agreement verify TOKEN [--keys FILE | --url URL] | rotate [--keys FILE]")
	}
	fs := flag.NewFlagSet("agreement "+args[0], flag.ContinueOnError)
	keys := fs.String("keys", filepath.Join("demo", "pki", agreementKeyFile), "agreement keyring")
	var h *harnessFlags
	if args[0] == "verify" {
		h = addHarnessFlags(fs, "", "ask this gateway (serve --harness) instead of the keyring, and get the guaranteed conditions")
	}
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return exitError
	}
	if args[0] == "rotate" {
		if len(pos) != 0 {
			return fail("usage: carmed agreement rotate [--keys FILE]")
		}
		ring, err := agreement.RotateFile(*keys, "")
		if err != nil {
			return fail("%v", err)
		}
		fmt.Printf("agreement keys: current key is now %s (kept: %v)\n", ring.Current(), ring.IDs())
		return exitOK
	}
	if len(pos) != 1 {
		return fail("usage: carmed agreement verify TOKEN [--keys FILE | --url URL]")
	}
	if *h.url != "" {
		return verifyAtGateway(h, pos[0])
	}
	ring, err := agreement.LoadKeyring(*keys)
	if err != nil {
		return fail("%v", err)
	}
	c, err := ring.Verify(pos[0])
	if err != nil {
		fmt.Printf("agreement: NOT VALID (%v)\n", err)
		return exitRejected
	}
	g := c.Guarantee()
	fmt.Println("agreement: valid")
	printClaims(c.Number, c.Version, c.Provider, c.ProviderKind(), c.Consulted.String(), c.PeriodStart.String(), g.Start.String(), g.End.String())
	fmt.Println("  conditions (validity, status, refund code, State part, covers): ask the gateway with --url URL")
	return exitOK
}

func printClaims(number string, version int, provider, kind, consulted, periodStart, from, to string) {
	fmt.Printf("  decision   %s version %d\n  provider   %s (%s)\n  consulted  %s, period from %s\n  guarantees the conditions of that version for care from %s to %s\n",
		number, version, provider, kind, consulted, periodStart, from, to)
}

// verifyAtGateway asks the gateway's harness (verifyAgreement) and prints the claims and the
// guaranteed version's conditions; exit 1 when the gateway finds the number void.
func verifyAtGateway(h *harnessFlags, token string) int {
	if err := h.settleTicket(); err != nil {
		return fail("%v", err)
	}
	req := &gh.VerifyAgreementRequestType{RequestBaseType: gh.RequestBaseType{Ticket: h.tk}, AgreementNumber: gh.AgreementNumberType(token)}
	var resp gh.VerifyAgreementResponseType
	code, ok := h.exchange("verifyAgreement", req, &resp)
	if !ok {
		return code
	}
	if code == exitRejected {
		reason := ""
		for _, m := range resp.Message {
			for _, in := range m.Information {
				if in.FieldName == "reason" {
					reason = in.FieldValue
				}
			}
		}
		fmt.Printf("agreement: NOT VALID (gateway: %s %s)\n", resp.Status.Code, reason)
		return exitRejected
	}
	a := resp.Agreement
	if a == nil {
		return fail("agreement: the gateway's answer holds no agreement")
	}
	kind := agreement.Claims{Provider: string(a.ProviderId)}.ProviderKind()
	fmt.Printf("agreement: valid (checked by the gateway, key %s)\n", a.KeyId)
	printClaims(string(a.CarmedNumber), int(a.VersionNumber), string(a.ProviderId), kind, string(a.ConsultationDate),
		string(a.PeriodStart), string(a.GuaranteedFrom), string(a.GuaranteedTo))
	printConditions(a)
	return exitOK
}

// printConditions prints the guaranteed version: validity, status, refund and State part, and
// each cover the provider may invoice, cut to the guarantee window.
func printConditions(a *gh.AgreementType) {
	fmt.Printf("conditions of version %d:\n", a.VersionNumber)
	if v := a.ValidityPeriod; v != nil {
		fmt.Printf("  validity   %s to %s, status %s\n", v.BeginDate, v.EndDate, a.Status)
	}
	fmt.Printf("  manager    %s, beneficiary %s\n", a.ManagerCbe, a.Ssin)
	fmt.Printf("  refund     code %d", a.RefundCode)
	if sp := a.StatePart; sp != nil {
		fmt.Printf("; State part (AMI/patient %%): hospitalisation %s, ambulatory %s, other %s",
			part(sp.Hospitalization), part(sp.Ambulatory), part(sp.Other))
	}
	fmt.Println()
	if len(a.Cover) == 0 {
		fmt.Println("  covers     none this provider may invoice in the guarantee window")
		return
	}
	fmt.Println("  covers (cut to the guarantee; AMI / patient / supplement shares):")
	for _, c := range a.Cover {
		fmt.Printf("    %-26s %s to %s  %s / %s / %s", c.Kind, c.BeginDate, c.EndDate, c.AmiPart, c.PatientPart, c.Supplement)
		if c.MaxPatientPart != nil {
			fmt.Printf(", patient part at most %s", euros(int64(*c.MaxPatientPart)))
		}
		if c.MaxSupplement != nil {
			fmt.Printf(", supplement at most %s", euros(int64(*c.MaxSupplement)))
		}
		if len(c.Provider) > 0 {
			fmt.Printf(", designated providers %v", c.Provider)
		}
		fmt.Println()
	}
}

func part(p *gh.PartType) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%d/%d", p.AmiPart, p.PatientPart)
}

// euros writes an amount in cents as euros.
func euros(cents int64) string { return fmt.Sprintf("%d.%02d EUR", cents/100, cents%100) }
