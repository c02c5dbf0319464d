// Package conformance reads conformance cases (testdata/conformance/CASE/case.yaml and the request
// files beside it) and runs them against any server that speaks carmed's contracts: the CPAS face,
// the eHealth provider face and, for cases that need persons or a business date, the harness face.
// `carmed replay` is its command line; tools/rulesreport counts its cases per rule id.
//
// A case is data a person can read without knowing Go: a manifest says what the case shows (a
// sentence and the rule ids), the business date, the persons it needs (given fresh SSINs on each
// run, so a case runs again on the same server), the parties that sign, and ordered steps; each
// step names a request file, the party that signs it and the answer expected: an outcome, reason
// codes, rule ids, and optionally a golden answer in which volatile values are masked by declared
// rules (suite.yaml and the case's own masks), never by hand.
//
// Values flow through placeholders written ${…} in request files and step settings:
//
//	${ssin.NAME}            the SSIN given to person NAME for this run
//	${birth.NAME}           that person's birth date (random unless the manifest fixes it)
//	${ticket}               a fresh ticket (the idempotency key of writes)
//	${ticket.STEP}          the ticket that step STEP sent (an idempotent retry)
//	${cap.NAME}             a value captured from an earlier step's answer
//	${today}, ${today+N}, ${today-N}   the case's business date, or N days from it
//
// Golden answers show these placeholders instead of the run's values, so they do not change
// from run to run or from server to server.
package conformance
