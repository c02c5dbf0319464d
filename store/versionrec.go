package store

import (
	"time"

	"github.com/carmed/carmed/rules"
)

// versionRecord is how a decision version is stored: the store's own mirror of rules.Version,
// its JSON keys pinned by tags to the names schemas 1 and 2 wrote (rules.Version's field names
// then, Content's promoted to the top), so records of every schema read alike. Renaming or
// retyping a field of rules breaks the conversions below at build time instead of silently
// changing the file; a field added to rules.Version fails TestAVersionRecordCarriesEveryField
// until it is mirrored here. Dates are rules.Date's day numbers (int32), as before.
type versionRecord struct {
	Number      string `json:"Number"`
	Version     int    `json:"Version"`
	Manager     string `json:"Manager"`
	Beneficiary struct {
		SSIN      string `json:"SSIN"`
		LastName  string `json:"LastName"`
		FirstName string `json:"FirstName"`
		Gender    string `json:"Gender"`
		BirthDate int32  `json:"BirthDate"`
		DeathDate int32  `json:"DeathDate"`
	} `json:"Beneficiary"`
	DecisionDate        int32         `json:"DecisionDate"`
	Period              periodRecord  `json:"Period"`
	JudicialDecision    bool          `json:"JudicialDecision"`
	IncomeAboveRI       bool          `json:"IncomeAboveRI"`
	NoStateIntervention bool          `json:"NoStateIntervention"`
	Covers              []coverRecord `json:"Covers"`
	State               struct {
		RefundCode        int           `json:"RefundCode"`
		JustificationFr   string        `json:"JustificationFr"`
		JustificationNl   string        `json:"JustificationNl"`
		BeneficiaryStatus string        `json:"BeneficiaryStatus"`
		AMU               bool          `json:"AMU"`
		Mutuality         bool          `json:"Mutuality"`
		Hospital          percentRecord `json:"Hospital"`
		Ambulatory        percentRecord `json:"Ambulatory"`
		Other             percentRecord `json:"Other"`
	} `json:"State"`
	Status           string             `json:"Status"`
	Cause            string             `json:"Cause"`
	Author           string             `json:"Author"`
	Created          time.Time          `json:"Created"`
	WrittenOn        int32              `json:"WrittenOn"`
	Suspensions      []suspensionRecord `json:"Suspensions"`
	EverStoppedRetro bool               `json:"EverStoppedRetro"`
}

type periodRecord struct {
	Start int32 `json:"Start"`
	End   int32 `json:"End"`
}

type percentRecord struct {
	AmiPart     int `json:"AmiPart"`
	PatientPart int `json:"PatientPart"`
}

type coverRecord struct {
	Kind    string       `json:"Kind"`
	Period  periodRecord `json:"Period"`
	Support struct {
		AmiPart      string `json:"AmiPart"`
		PatientPart  string `json:"PatientPart"`
		Supplement   string `json:"Supplement"`
		Convention   *bool  `json:"Convention"`
		Prescription *bool  `json:"Prescription"`
	} `json:"Support"`
	MaxPatientPart  *int64   `json:"MaxPatientPart"`
	MaxSupplement   *int64   `json:"MaxSupplement"`
	SupplementTypes []string `json:"SupplementTypes"`
	Providers       []string `json:"Providers"`
}

type suspensionRecord struct {
	Reason        string `json:"Reason"`
	Date          int32  `json:"Date"`
	Mutation      uint64 `json:"Mutation"`
	OldRefundCode int    `json:"OldRefundCode"`
	NewRefundCode int    `json:"NewRefundCode"`
	OldSSIN       string `json:"OldSSIN"`
}

func toPeriodRecord(p rules.Period) periodRecord {
	return periodRecord{Start: int32(p.Start), End: int32(p.End)}
}

func (p periodRecord) period() rules.Period {
	return rules.Period{Start: rules.Date(p.Start), End: rules.Date(p.End)}
}

func toVersionRecord(v rules.Version) versionRecord {
	var r versionRecord
	r.Number, r.Version, r.Manager = v.Number, v.Version, v.Manager
	b := v.Beneficiary
	r.Beneficiary.SSIN, r.Beneficiary.LastName, r.Beneficiary.FirstName = b.SSIN, b.LastName, b.FirstName
	r.Beneficiary.Gender, r.Beneficiary.BirthDate, r.Beneficiary.DeathDate = b.Gender, int32(b.BirthDate), int32(b.DeathDate)
	r.DecisionDate, r.Period = int32(v.DecisionDate), toPeriodRecord(v.Period)
	r.JudicialDecision, r.IncomeAboveRI, r.NoStateIntervention = v.JudicialDecision, v.IncomeAboveRI, v.NoStateIntervention
	for _, c := range v.Covers {
		cr := coverRecord{Kind: string(c.Kind), Period: toPeriodRecord(c.Period),
			MaxPatientPart: c.MaxPatientPart, MaxSupplement: c.MaxSupplement,
			SupplementTypes: c.SupplementTypes, Providers: c.Providers}
		s := c.Support
		cr.Support.AmiPart, cr.Support.PatientPart, cr.Support.Supplement = string(s.AmiPart), string(s.PatientPart), string(s.Supplement)
		cr.Support.Convention, cr.Support.Prescription = s.Convention, s.Prescription
		r.Covers = append(r.Covers, cr)
	}
	st := v.State
	r.State.RefundCode, r.State.JustificationFr, r.State.JustificationNl = st.RefundCode, st.JustificationFr, st.JustificationNl
	r.State.BeneficiaryStatus, r.State.AMU, r.State.Mutuality = st.BeneficiaryStatus, st.AMU, st.Mutuality
	r.State.Hospital = percentRecord{st.Hospital.AmiPart, st.Hospital.PatientPart}
	r.State.Ambulatory = percentRecord{st.Ambulatory.AmiPart, st.Ambulatory.PatientPart}
	r.State.Other = percentRecord{st.Other.AmiPart, st.Other.PatientPart}
	r.Status, r.Cause, r.Author, r.Created = string(v.Status), string(v.Cause), v.Author, v.Created
	r.WrittenOn, r.EverStoppedRetro = int32(v.WrittenOn), v.EverStoppedRetro
	for _, s := range v.Suspensions {
		r.Suspensions = append(r.Suspensions, suspensionRecord{Reason: s.Reason, Date: int32(s.Date), Mutation: s.Mutation,
			OldRefundCode: s.OldRefundCode, NewRefundCode: s.NewRefundCode, OldSSIN: s.OldSSIN})
	}
	return r
}

func (r *versionRecord) version() rules.Version {
	v := rules.Version{Number: r.Number, Version: r.Version, Manager: r.Manager}
	b := r.Beneficiary
	v.Beneficiary = rules.Beneficiary{SSIN: b.SSIN, LastName: b.LastName, FirstName: b.FirstName, Gender: b.Gender,
		BirthDate: rules.Date(b.BirthDate), DeathDate: rules.Date(b.DeathDate)}
	v.DecisionDate, v.Period = rules.Date(r.DecisionDate), r.Period.period()
	v.JudicialDecision, v.IncomeAboveRI, v.NoStateIntervention = r.JudicialDecision, r.IncomeAboveRI, r.NoStateIntervention
	for _, c := range r.Covers {
		v.Covers = append(v.Covers, rules.Cover{Kind: rules.CoverKind(c.Kind), Period: c.Period.period(),
			Support: rules.Support{AmiPart: rules.Share(c.Support.AmiPart), PatientPart: rules.Share(c.Support.PatientPart),
				Supplement: rules.Share(c.Support.Supplement), Convention: c.Support.Convention, Prescription: c.Support.Prescription},
			MaxPatientPart: c.MaxPatientPart, MaxSupplement: c.MaxSupplement,
			SupplementTypes: c.SupplementTypes, Providers: c.Providers})
	}
	st := r.State
	v.State = rules.StatePart{RefundCode: st.RefundCode, JustificationFr: st.JustificationFr, JustificationNl: st.JustificationNl,
		BeneficiaryStatus: st.BeneficiaryStatus, AMU: st.AMU, Mutuality: st.Mutuality,
		Hospital:   rules.Percent{AmiPart: st.Hospital.AmiPart, PatientPart: st.Hospital.PatientPart},
		Ambulatory: rules.Percent{AmiPart: st.Ambulatory.AmiPart, PatientPart: st.Ambulatory.PatientPart},
		Other:      rules.Percent{AmiPart: st.Other.AmiPart, PatientPart: st.Other.PatientPart}}
	v.Status, v.Cause, v.Author, v.Created = rules.Status(r.Status), rules.Cause(r.Cause), r.Author, r.Created
	v.WrittenOn, v.EverStoppedRetro = rules.Date(r.WrittenOn), r.EverStoppedRetro
	for _, s := range r.Suspensions {
		v.Suspensions = append(v.Suspensions, rules.Suspension{Reason: s.Reason, Date: rules.Date(s.Date), Mutation: s.Mutation,
			OldRefundCode: s.OldRefundCode, NewRefundCode: s.NewRefundCode, OldSSIN: s.OldSSIN})
	}
	return v
}

// encodeVersion and decodeVersion are the only way versions go to and from the file.
func encodeVersion(v rules.Version) ([]byte, error) { return encode(toVersionRecord(v)) }

func decodeVersion(b []byte) (rules.Version, error) {
	var r versionRecord
	if err := decode(b, &r); err != nil {
		return rules.Version{}, err
	}
	return r.version(), nil
}
