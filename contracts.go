// Package carmed holds the service contracts (WSDL and XSD) so the binary can serve them at ?wsdl.
package carmed

import "embed"

// Contracts is wsdl/ and xsd/ as shipped: the source of gen/ and what clients download.
//
//go:embed wsdl/*.wsdl xsd/*.xsd
var Contracts embed.FS
