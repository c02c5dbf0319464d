package server_test

import (
	"bytes"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/xuri/excelize/v2"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/statement"
	"github.com/carmed/carmed/store"
)

// The monthly statements (R-DECOMPTE, R-DECOMPTE-SPP) through the signed faces: lines paid in
// November 2025, the month closed by the business clock, the CPAS's statement fetched on the CPAS
// face, the SPP IS file from the harness.

func statementXML(op, ticket, cbe, body string) string {
	return `<cpas:` + op + `Request xmlns:cpas="urn:carmed:cpas:v1"><informationCustomer><ticket>` + ticket +
		`</ticket><timestampSent>2025-12-02T09:00:00Z</timestampSent><customerIdentification><cbeNumber>` + cbe +
		`</cbeNumber></customerIdentification></informationCustomer><legalContext>MEDIPRIMA:DECISION</legalContext>` +
		body + `</cpas:` + op + `Request>`
}

// paidNovember sends Adam's care of November: two hospital invoices (three lines, one rejected)
// and a GP consultation.
func paidNovember(t *testing.T, e *env) {
	t.Helper()
	e.oneLine("nov-h1", hospLine("H-1", "2025-11-20"))
	a := e.caami(hospital, sendXML("nov-h2", hospitalID,
		invoice{ref: "INV-2", ssin: adam, cpas: namurCBE, lines: []line{hospLine("H-2", "2025-11-21"), hospLine("H-3", "2025-11-29")}}))
	wantLine(t, a, "H-2", "ACCEPTED", "")
	wantLine(t, a, "H-3", "REJECTED", rules.CodeCareFuture)
	a = e.caami(gp, sendXML("nov-g1", gpID, invoice{ref: "GP-1", ssin: adam, cpas: namurCBE,
		lines: []line{{ref: "G-1", date: "2025-11-24", careType: "doctor", code: "101010", refund: 1}}}))
	wantLine(t, a, "G-1", "ACCEPTED", "")
}

// statementFile fetches the CPAS's statement of month as cpas-namur and decodes its file.
func (e *env) statementFile(ticket, month string) (*client.Answer, []byte) {
	e.t.Helper()
	a := e.send("cpas-namur", "/cpas/v1", statementXML("getStatement", ticket, namurCBE, "<month>"+month+"</month>"), nil)
	c := a.Payload.FindElement("file/content")
	if c == nil {
		return a, nil
	}
	b, err := base64.StdEncoding.DecodeString(c.Text())
	if err != nil {
		e.t.Fatalf("the statement file is not base64: %v", err)
	}
	return a, b
}

func xmllintFile(t *testing.T, xsd string, content []byte) {
	t.Helper()
	lint := needTool(t, "xmllint")
	f := filepath.Join(t.TempDir(), "file.xml")
	if err := os.WriteFile(f, content, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(lint, "--noout", "--schema", xsd, f).CombinedOutput(); err != nil {
		t.Fatalf("the file does not validate against %s:\n%s", xsd, out)
	}
}

func TestCAAMIMonthlyStatementXML(t *testing.T) {
	e := caamiEnv(t, true)
	paidNovember(t, e)
	a := e.harness("../testdata/requests/harness/set-statement-format.xml", nil)
	wantOutcome(t, a, "DATA_FOUND", "OK")

	t.Run("R-DECOMPTE/a statement of November asked on 2025-11-28 is rejected as the month is open", func(t *testing.T) {
		a, _ := e.statementFile("stmt-open", "2025-11")
		wantOutcome(t, a, "NO_RESULT", rules.CodeMonthOpen)
		a = e.harness("../testdata/requests/harness/close-month.xml", map[string]string{"ticket": "close-open"})
		wantOutcome(t, a, "NO_RESULT", rules.CodeMonthOpen)
	})
	// The clock crosses into December: the next request closes November.
	a = e.harness("../testdata/requests/harness/set-clock.xml", map[string]string{"today": "2025-12-02"})
	wantOutcome(t, a, "DATA_FOUND", "OK")
	var closed store.MonthClosing
	if err := e.st.View(func(r store.Reader) (err error) { closed, err = r.MonthClosing(202511); return err }); err != nil {
		t.Fatalf("moving the clock to December did not close November: %v", err)
	}

	t.Run("R-DECOMPTE/the November statement is answered in XML with every line paid for the CPAS's decisions", func(t *testing.T) {
		a := e.send("cpas-namur", "/cpas/v1", statementXML("listStatements", "stmt-list", namurCBE, ""), nil)
		wantOutcome(t, a, "DATA_FOUND", "OK")
		if n := len(a.Payload.SelectElements("statement")); n != 1 || text(a, "statement/format") != "XML" || text(a, "statement/lines") != "3" {
			t.Fatalf("list: %s", payloadString(a))
		}
		a, file := e.statementFile("stmt-get", "2025-11")
		wantOutcome(t, a, "DATA_FOUND", "OK")
		if text(a, "file/mediaType") != "application/xml" || !strings.HasSuffix(text(a, "file/fileName"), ".xml") {
			t.Fatalf("file %s %s, want the detailed XML", text(a, "file/fileName"), text(a, "file/mediaType"))
		}
		xmllintFile(t, "../xsd/carmed-statement-v1.xsd", file)
		doc := etree.NewDocument()
		if err := doc.ReadFromBytes(file); err != nil {
			t.Fatal(err)
		}
		var refs []string
		for _, l := range doc.FindElements("//line/lineRef") {
			refs = append(refs, l.Text())
		}
		if got := strings.Join(refs, " "); got != "H-1 H-2 G-1" && got != "G-1 H-1 H-2" {
			t.Fatalf("statement lines %q, want the three paid lines (H-3 was rejected)", got)
		}
		if closed.ClosedOn != rules.MustDate("2025-12-02") {
			t.Fatalf("closed on %s", closed.ClosedOn)
		}
	})
	t.Run("R-DECOMPTE/a provider certificate asking a CPAS statement is refused", func(t *testing.T) {
		a := e.send(hospital, "/cpas/v1", statementXML("getStatement", "stmt-prov", namurCBE, "<month>2025-11</month>"), nil)
		if a.Outcome != client.Faulted || !strings.Contains(a.Code, "NOT_AUTHORIZED") {
			t.Fatalf("got %v %s, want the NOT_AUTHORIZED fault", a.Outcome, a.Code)
		}
	})
	t.Run("R-DECOMPTE/a line paid after the closing is answered in December, not in the closed November", func(t *testing.T) {
		e.oneLine("dec-h1", hospLine("H-4", "2025-11-30"))
		_, file := e.statementFile("stmt-get-again", "2025-11")
		if bytes.Contains(file, []byte("H-4")) {
			t.Fatal("a line paid in December is in the closed November statement")
		}
	})
	t.Run("R-DECOMPTE-SPP/the SPP IS file of November is answered with every paid line of every CPAS", func(t *testing.T) {
		a := e.harness("../testdata/requests/harness/get-spp-file.xml", nil)
		wantOutcome(t, a, "DATA_FOUND", "OK")
		file, err := base64.StdEncoding.DecodeString(text(a, "file/content"))
		if err != nil {
			t.Fatal(err)
		}
		xmllintFile(t, "../xsd/carmed-statement-v1.xsd", file)
		if !bytes.Contains(file, []byte("<scope>SPP</scope>")) || bytes.Count(file, []byte("<lineRef>")) != 3 {
			t.Fatalf("SPP file:\n%s", file)
		}
	})
	t.Run("R-DECOMPTE-SPP/the SPP IS file of a month not over is rejected", func(t *testing.T) {
		a := e.harness("../testdata/requests/harness/get-spp-file.xml", map[string]string{"ticket": "spp-dec", "month": "2025-12"})
		wantOutcome(t, a, "NO_RESULT", rules.CodeMonthOpen)
	})
}

func TestCAAMIMonthlyStatementWorkbook(t *testing.T) {
	e := caamiEnv(t, true)
	paidNovember(t, e)
	a := e.harness("../testdata/requests/harness/set-clock.xml", map[string]string{"today": "2025-12-01"})
	wantOutcome(t, a, "DATA_FOUND", "OK")
	a = e.harness("../testdata/requests/harness/close-month.xml", nil)
	wantOutcome(t, a, "DATA_FOUND", "OK")
	if text(a, "statement/format") != "XLSX" || text(a, "statement/invoices") != "3" {
		t.Fatalf("closing: %s", payloadString(a))
	}
	a, file := e.statementFile("stmt-xlsx", "2025-11")
	wantOutcome(t, a, "DATA_FOUND", "OK")
	if text(a, "file/mediaType") != statement.MediaTypeXLSX {
		t.Fatalf("media type %s, want the workbook's (the default format)", text(a, "file/mediaType"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(statement.SheetName)
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, c := range rows[statement.FirstInvoiceRow-2] {
		col[c] = i
	}
	body := rows[statement.FirstInvoiceRow-1:]
	if len(body) != 4 { // three invoices and the total
		t.Fatalf("%d rows after the titles, want 3 invoices and a total: %v", len(body), body)
	}
	state := map[string]string{}
	for _, r := range body[:3] {
		state[r[col["Invoice"]]] = r[col["State part"]] + "/" + r[col["Lines"]]
	}
	// H-1 and H-2 are day prices of 48000 paid whole; the GP consultation 3100 paid whole (refund code 1).
	if state["INV-nov-h1"] != "48000/1" || state["INV-2"] != "48000/1" || state["GP-1"] != "3100/1" {
		t.Fatalf("invoice rows %v", state)
	}
	if tot := body[3]; tot[0] != "Total" || tot[col["State part"]] != strconv.Itoa(48000+48000+3100) {
		t.Fatalf("total row %v", tot)
	}
}
