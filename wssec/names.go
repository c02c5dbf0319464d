package wssec

// Namespaces.
const (
	nsSOAP11  = "http://schemas.xmlsoap.org/soap/envelope/"
	nsSOAP12  = "http://www.w3.org/2003/05/soap-envelope"
	nsWSSE    = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	nsWSU     = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
	nsDS      = "http://www.w3.org/2000/09/xmldsig#"
	nsExcC14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
	nsXML     = "http://www.w3.org/XML/1998/namespace"
	nsXSI     = "http://www.w3.org/2001/XMLSchema-instance"
)

// NSDS is the XML signature namespace, for a caller that writes a ds:KeyInfo of its own.
const NSDS = nsDS

// SOAP actor/role values that designate the ultimate receiver (us) besides an absent attribute.
const (
	actorNext11    = "http://schemas.xmlsoap.org/soap/actor/next"
	roleNext12     = "http://www.w3.org/2003/05/soap-envelope/role/next"
	roleUltimate12 = "http://www.w3.org/2003/05/soap-envelope/role/ultimateReceiver"
)

// Token profile URIs.
const (
	valueTypeX509v3  = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
	valueTypePKIPath = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509PKIPathv1"
	valueTypeSKI     = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509SubjectKeyIdentifier"
	// valueTypeThumbprint is a WSS 1.1 KeyIdentifier: SHA-1 of the DER certificate. SHA-1 here
	// only names a certificate the trust file lists; it vouches for nothing.
	valueTypeThumbprint = "http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#ThumbprintSHA1"
	encodingBase64      = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)

// Algorithm URIs.
const (
	algExcC14N     = "http://www.w3.org/2001/10/xml-exc-c14n#"
	algEnveloped   = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
	algRSASHA1     = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
	algRSASHA256   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	algRSASHA384   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384"
	algRSASHA512   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
	algECDSASHA1   = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1"
	algECDSASHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
	algECDSASHA384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384"
	algECDSASHA512 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512"
	algSHA1        = "http://www.w3.org/2000/09/xmldsig#sha1"
	algSHA256      = "http://www.w3.org/2001/04/xmlenc#sha256"
	algSHA384      = "http://www.w3.org/2001/04/xmldsig-more#sha384"
	algSHA512      = "http://www.w3.org/2001/04/xmlenc#sha512"
)
