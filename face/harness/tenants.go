package harness

import (
	"errors"
	"fmt"

	"github.com/carmed/carmed/face"
	gh "github.com/carmed/carmed/gen/harness"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
)

// Tenants is the gateway's tenant registry as the harness drives it (design §4; package gateway
// implements it). Only the gateway's own harness has one: a tenant's harness manages its world,
// never the others'.
type Tenants interface {
	Create(spec TenantSpec) (TenantInfo, error)
	List() []TenantInfo // the default tenant first, then by name
	Reset(name string) (TenantInfo, error)
	Delete(name string) error
}

// TenantSpec is a tenant to create. Registry nil means the gateway's start registry; Today
// rules.NoDate the gateway's business date now; Trust nil the gateway's parties.
type TenantSpec struct {
	Name     string
	Today    rules.Date
	Advance  bool
	Registry []rules.Person
	Trust    []byte
}

// TenantInfo describes a tenant for the answers and the command line.
type TenantInfo struct {
	Name          string
	Path          string // its path prefix ("" for the default tenant)
	InitialToday  rules.Date
	Today         rules.Date
	Frozen        bool
	Persons       int // persons of the registry a reset returns to
	OwnTrust      bool
	MaxConcurrent int // 0: unbounded (the default tenant)
	Resets        int // since the gateway started
}

// Reason codes of a refused tenant operation: business-like answers (NO_RESULT), not faults.
const (
	CodeTenantsOff     = "TENANTS_OFF"     // a tenant's harness, or a gateway without tenants
	CodeTenantExists   = "TENANT_EXISTS"   // create: the name is taken
	CodeTenantUnknown  = "TENANT_UNKNOWN"  // reset, delete: no such tenant
	CodeTenantLimit    = "TENANT_LIMIT"    // create: the gateway holds its maximum of tenants
	CodeTenantDefault  = "TENANT_DEFAULT"  // reset, delete, create of the default tenant
	CodeTenantName     = "TENANT_NAME"     // create: the name is not allowed
	CodeTenantTrust    = "TENANT_TRUST"    // create: the trust file is unusable
	CodeTenantRegistry = "TENANT_REGISTRY" // create: a person of the registry is unusable
	CodeTenantRace     = "TENANT_RACE"     // another gateway of the shared store changed the tenants at the same time: try again
)

// TenantRefused is a tenant operation refused for a reason the caller can fix: answered as
// NO_RESULT with Code. Detail is public (it names nothing secret: a name, a limit, an entry).
type TenantRefused struct {
	Code   string
	Detail string
}

func (e *TenantRefused) Error() string { return e.Code + ": " + e.Detail }

// tenantTexts are the fr and nl communications of the refusal codes.
var tenantTexts = map[string][2]string{
	CodeTenantsOff:     {"Les tenants se gèrent par le harness de la passerelle elle-même.", "Tenants worden beheerd via de harness van de gateway zelf."},
	CodeTenantExists:   {"Ce tenant existe déjà.", "Deze tenant bestaat al."},
	CodeTenantUnknown:  {"Ce tenant n'existe pas.", "Deze tenant bestaat niet."},
	CodeTenantLimit:    {"La passerelle a atteint son nombre maximal de tenants.", "De gateway heeft het maximale aantal tenants bereikt."},
	CodeTenantDefault:  {"Le tenant par défaut ne peut être ni créé, ni réinitialisé, ni supprimé.", "De standaardtenant kan niet aangemaakt, teruggezet of verwijderd worden."},
	CodeTenantName:     {"Ce nom de tenant n'est pas permis.", "Deze tenantnaam is niet toegestaan."},
	CodeTenantTrust:    {"Le fichier de confiance du tenant est inutilisable.", "Het vertrouwensbestand van de tenant is onbruikbaar."},
	CodeTenantRegistry: {"Le registre du tenant est inutilisable.", "Het register van de tenant is onbruikbaar."},
	CodeTenantRace:     {"Une autre passerelle a modifié les tenants au même moment : réessayez.", "Een andere gateway wijzigde de tenants op hetzelfde moment: probeer opnieuw."},
}

func tenantMessage(e *TenantRefused) rules.Message {
	t := tenantTexts[e.Code]
	m := rules.Message{Severity: rules.SevError, Code: e.Code, Rule: "tenants", Fr: t[0], Nl: t[1]}
	if e.Detail != "" {
		m.Info = []rules.Info{{Name: "detail", Value: face.Truncate(e.Detail, 256)}}
	}
	return m
}

func wireTenant(t TenantInfo) *gh.TenantType {
	out := &gh.TenantType{Name: gh.TenantNameType(t.Name), Path: t.Path, InitialToday: ghDate(t.InitialToday),
		Today: ghDate(t.Today), Frozen: t.Frozen, Persons: int32(t.Persons), OwnTrust: t.OwnTrust, Resets: int32(t.Resets)}
	if t.MaxConcurrent > 0 {
		n := int32(t.MaxConcurrent)
		out.MaxConcurrent = &n
	}
	return out
}

// tenantWrite runs a tenant change once per ticket (a retried reset must not reset twice) and
// answers the tenant it leaves, or the refusal.
func (s *service) tenantWrite(c *server.Call, name string, ticket gh.TicketType, do func(Tenants) (*TenantInfo, error)) (*server.Answer, error) {
	wrap := func(b gh.ResponseBaseType) any { return &gh.TenantResponseType{ResponseBaseType: b} }
	refuse := func(e *TenantRefused) (*server.Answer, error) {
		return reject(name, e.Code, wrap(harnessBase(ticket, face.StatusRejected, []rules.Message{tenantMessage(e)})))
	}
	if s.Tenants == nil {
		return refuse(&TenantRefused{Code: CodeTenantsOff})
	}
	return c.Once(string(ticket), reused(name, ticket, wrap), func(store.Writer) (*server.Answer, error) {
		info, err := do(s.Tenants)
		var ref *TenantRefused
		if errors.As(err, &ref) {
			return refuse(ref)
		}
		if err != nil {
			return nil, err
		}
		resp := &gh.TenantResponseType{ResponseBaseType: harnessBase(ticket, face.StatusFound, nil)}
		if info != nil {
			resp.Tenant = wireTenant(*info)
		}
		return answer(name, face.StatusFound, face.CodeOK, resp)
	})
}

// createTenant makes a new, isolated world served under /t/NAME.
func (s *service) createTenant(c *server.Call) (*server.Answer, error) {
	var req gh.CreateTenantRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	spec := TenantSpec{Name: string(req.Name), Today: rules.NoDate, Advance: req.Advance != nil && *req.Advance}
	if req.Today != nil {
		d, err := harnessDate(*req.Today)
		if err != nil {
			return nil, server.SchemaFault(err)
		}
		spec.Today = d
	}
	if req.Registry != nil {
		spec.Registry = make([]rules.Person, 0, len(req.Registry.Person))
		for i := range req.Registry.Person {
			p, err := personFromWire(&req.Registry.Person[i])
			if err != nil {
				return nil, server.SchemaFault(fmt.Errorf("registry person %d: %w", i, err))
			}
			spec.Registry = append(spec.Registry, p)
		}
	}
	if req.Trust != nil {
		spec.Trust = []byte(*req.Trust)
	}
	return s.tenantWrite(c, "createTenantResponse", req.Ticket, func(t Tenants) (*TenantInfo, error) {
		info, err := t.Create(spec)
		return &info, err
	})
}

// resetTenant returns a tenant to the registry and business date it was created with.
func (s *service) resetTenant(c *server.Call) (*server.Answer, error) {
	var req gh.TenantNameRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	return s.tenantWrite(c, "resetTenantResponse", req.Ticket, func(t Tenants) (*TenantInfo, error) {
		info, err := t.Reset(string(req.Name))
		return &info, err
	})
}

// deleteTenant removes a tenant and its data.
func (s *service) deleteTenant(c *server.Call) (*server.Answer, error) {
	var req gh.TenantNameRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	return s.tenantWrite(c, "deleteTenantResponse", req.Ticket, func(t Tenants) (*TenantInfo, error) {
		return nil, t.Delete(string(req.Name))
	})
}

// listTenants lists the default tenant and every other, with their business dates now.
func (s *service) listTenants(c *server.Call) (*server.Answer, error) {
	var req gh.ListTenantsRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	const name = "listTenantsResponse"
	if s.Tenants == nil {
		e := &TenantRefused{Code: CodeTenantsOff}
		return reject(name, e.Code, &gh.ListTenantsResponseType{
			ResponseBaseType: harnessBase(req.Ticket, face.StatusRejected, []rules.Message{tenantMessage(e)})})
	}
	resp := &gh.ListTenantsResponseType{ResponseBaseType: harnessBase(req.Ticket, face.StatusFound, nil)}
	for _, t := range s.Tenants.List() {
		resp.Tenant = append(resp.Tenant, *wireTenant(t))
	}
	return answer(name, face.StatusFound, face.CodeOK, resp)
}
