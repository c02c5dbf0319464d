package store

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/carmed/carmed/rules"
)

// fullVersion sets every field of rules.Version, down to the covers and suspensions.
func fullVersion() rules.Version {
	yes := true
	patient, supplement := int64(1250), int64(50000)
	return rules.Version{Number: "000000000042", Version: 3, Manager: cbeA,
		Beneficiary: rules.Beneficiary{SSIN: ssinA, LastName: "Exemple", FirstName: "Adam", Gender: "M",
			BirthDate: rules.MustDate("1985-03-14"), DeathDate: rules.MustDate("2027-01-02")},
		Content: rules.Content{DecisionDate: rules.MustDate("2026-12-01"),
			Period:           rules.Period{Start: rules.MustDate("2026-12-01"), End: rules.MustDate("2027-02-28")},
			JudicialDecision: true, IncomeAboveRI: true, NoStateIntervention: true,
			Covers: []rules.Cover{{Kind: rules.Hospitalization,
				Period:         rules.Period{Start: rules.MustDate("2026-12-01"), End: rules.MustDate("2027-01-31")},
				Support:        rules.Support{AmiPart: rules.Full, PatientPart: rules.Partial, Supplement: rules.Nothing, Convention: &yes, Prescription: &yes},
				MaxPatientPart: &patient, MaxSupplement: &supplement, SupplementTypes: []string{"ROOM"}, Providers: []string{"71012345"}}}},
		State: rules.StatePart{RefundCode: 3, JustificationFr: "fr", JustificationNl: "nl", BeneficiaryStatus: "I", AMU: true, Mutuality: true,
			Hospital: rules.Percent{AmiPart: 100, PatientPart: 90}, Ambulatory: rules.Percent{AmiPart: 80, PatientPart: 70},
			Other: rules.Percent{AmiPart: 60, PatientPart: 50}},
		Status: rules.Suspended, Cause: rules.CauseMutation, Author: "MEDIPRIMA", Created: t0, WrittenOn: rules.MustDate("2026-12-02"),
		Suspensions: []rules.Suspension{{Reason: "REFUND_CODE", Date: rules.MustDate("2026-12-15"), Mutation: 7,
			OldRefundCode: 1, NewRefundCode: 3, OldSSIN: "90072224663"}},
		EverStoppedRetro: true}
}

// zeroFields names the fields of v (recursively, through slices' first elements and pointers)
// that hold their zero value.
func zeroFields(v reflect.Value, path string) []string {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return []string{path}
		}
		return zeroFields(v.Elem(), path)
	case reflect.Slice:
		if v.Len() == 0 {
			return []string{path}
		}
		return zeroFields(v.Index(0), path+"[0]")
	case reflect.Struct:
		if v.Type().PkgPath() == "time" {
			break
		}
		var out []string
		for i := range v.NumField() {
			out = append(out, zeroFields(v.Field(i), path+"."+v.Type().Field(i).Name)...)
		}
		return out
	}
	if v.IsZero() {
		return []string{path}
	}
	return nil
}

// A version comes back from its record whole, and a field added to rules.Version fails here
// until the store's record (versionrec.go) carries it.
func TestAVersionRecordCarriesEveryField(t *testing.T) {
	v := fullVersion()
	if z := zeroFields(reflect.ValueOf(v), "Version"); len(z) != 0 {
		t.Fatalf("fullVersion leaves %v unset: a new field? set it here and carry it in versionRecord", z)
	}
	raw, err := encodeVersion(v)
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeVersion(raw)
	if err != nil || !reflect.DeepEqual(got, v) {
		t.Fatalf("round trip: %v\n got %+v\nwant %+v", err, got, v)
	}
	// What schemas 1 and 2 wrote — JSON of rules.Version itself — reads the same.
	old, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := decodeVersion(append([]byte{codecJSON1}, old...)); err != nil || !reflect.DeepEqual(got, v) {
		t.Fatalf("a schema 2 record: %v\n got %+v", err, got)
	}
}

// goldenVersionJSON is the record of fullVersion before DEFLATE: the keys are pinned.
const goldenVersionJSON = `{"Number":"000000000042","Version":3,"Manager":"0212344876",` +
	`"Beneficiary":{"SSIN":"85031412302","LastName":"Exemple","FirstName":"Adam","Gender":"M","BirthDate":5551,"DeathDate":20820},` +
	`"DecisionDate":20788,"Period":{"Start":20788,"End":20877},"JudicialDecision":true,"IncomeAboveRI":true,"NoStateIntervention":true,` +
	`"Covers":[{"Kind":"hospitalization","Period":{"Start":20788,"End":20849},` +
	`"Support":{"AmiPart":"FULL","PatientPart":"PARTIAL","Supplement":"NOTHING","Convention":true,"Prescription":true},` +
	`"MaxPatientPart":1250,"MaxSupplement":50000,"SupplementTypes":["ROOM"],"Providers":["71012345"]}],` +
	`"State":{"RefundCode":3,"JustificationFr":"fr","JustificationNl":"nl","BeneficiaryStatus":"I","AMU":true,"Mutuality":true,` +
	`"Hospital":{"AmiPart":100,"PatientPart":90},"Ambulatory":{"AmiPart":80,"PatientPart":70},"Other":{"AmiPart":60,"PatientPart":50}},` +
	`"Status":"SUSPENDED","Cause":"MUTATION","Author":"MEDIPRIMA","Created":"2025-03-01T09:30:00Z","WrittenOn":20789,` +
	`"Suspensions":[{"Reason":"REFUND_CODE","Date":20802,"Mutation":7,"OldRefundCode":1,"NewRefundCode":3,"OldSSIN":"90072224663"}],` +
	`"EverStoppedRetro":true}`

func TestAVersionRecordIsStoredAsPinned(t *testing.T) {
	raw, err := encodeVersion(fullVersion())
	if err != nil {
		t.Fatal(err)
	}
	if raw[0] != codecJSONDeflate {
		t.Fatalf("a version record of %d bytes is stored with codec %d, want %d (deflated)", len(raw), raw[0], codecJSONDeflate)
	}
	plain, err := inflate(raw[1:])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(plain, []byte(goldenVersionJSON)) {
		t.Errorf("stored version record changed (bump schemaVersion and keep reading the old one):\n got %s\nwant %s", plain, goldenVersionJSON)
	}
}
