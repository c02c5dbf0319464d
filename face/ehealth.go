package face

// eHealth 2.0 status codes (shared/reference/mediprima-wire.md §4.1), shared by the eHealth faces
// (Consult v2, UMA v1): a client counts only Success as success; a refusal is Requester refined by
// InvalidInput, nothing found Success refined by DataNotFound.
const (
	EHealthSuccess   = "urn:be:fgov:ehealth:2.0:status:Success"
	EHealthRequester = "urn:be:fgov:ehealth:2.0:status:Requester"
	EHealthInvalid   = "urn:be:fgov:ehealth:2.0:status:InvalidInput"
	EHealthNoData    = "urn:be:fgov:ehealth:2.0:status:DataNotFound"
	// EHealthOrigin is where MediPrima's business messages come from: MedicalCardRegistryMessage's
	// Source and UMA's ErrorDetail Origin are always ECARMED.
	EHealthOrigin = "ECARMED"
)
