package server

import (
	"bytes"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strings"

	"github.com/carmed/carmed"
)

// siblingSchema matches a schemaLocation naming another file of xsd/.
var siblingSchema = regexp.MustCompile(`schemaLocation="([A-Za-z0-9._-]+\.xsd)"`)

// serveContract answers GET PATH?wsdl with the service's WSDL and GET PATH?xsd=NAME with one of its
// schemas. The WSDL's schemaLocation and address are rewritten so a client can follow them from here,
// through a trusted proxy too (proxy.go), and under a tenant's prefix (Config.Prefix).
func (s *Server) serveContract(w http.ResponseWriter, r *http.Request, wsdlName, svcPath string) {
	docPath := svcPath // the path the document's own address names
	svcPath = s.cfg.Prefix + svcPath
	q := r.URL.Query()
	switch {
	case q.Has("wsdl"):
		b, err := fs.ReadFile(carmed.Contracts, "wsdl/"+wsdlName)
		if err != nil {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		a := s.publicAddr(r)
		b = bytes.ReplaceAll(b, []byte(`schemaLocation="../xsd/`), []byte(`schemaLocation="`+a.prefix+svcPath+`?xsd=`))
		if a.host != "" { // else the document's own address stays
			b = bytes.ReplaceAll(b, []byte("http://127.0.0.1:8080"+docPath), []byte(a.scheme+"://"+a.host+a.prefix+svcPath))
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		_, _ = w.Write(b)
	case q.Get("xsd") != "":
		name := q.Get("xsd")
		if path.Base(name) != name || !strings.HasSuffix(name, ".xsd") {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		b, err := fs.ReadFile(carmed.Contracts, "xsd/"+name)
		if err != nil {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		// imports between our schemas are relative file names: point them back here
		b = siblingSchema.ReplaceAll(b, []byte(`schemaLocation="`+s.publicAddr(r).prefix+svcPath+`?xsd=$1"`))
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		_, _ = w.Write(b)
	default:
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("carmed SOAP service: POST signed SOAP here; GET ?wsdl for the contract\n"))
	}
}
