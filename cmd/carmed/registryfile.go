package main

import (
	"fmt"

	"github.com/carmed/carmed/face/harness"
	gh "github.com/carmed/carmed/gen/harness"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/store"
)

// maxLoadPersons is the schema's maxOccurs of person in loadRegistryRequest: one load is one
// all-or-nothing transaction, so a bigger file is split by the user, not silently here.
const maxLoadPersons = 1000

// readRegistryFile reads a fixture file (the format of testdata/registry, checked as serve
// --registry checks it) into harness persons. Errors name the person's position, never a value.
func readRegistryFile(path string) ([]gh.PersonType, error) {
	ps, err := store.ReadRegistryFile(path)
	if err != nil {
		return nil, err
	}
	switch {
	case len(ps) == 0:
		return nil, fmt.Errorf("%s: no persons", path)
	case len(ps) > maxLoadPersons:
		return nil, fmt.Errorf("%s: %d persons, at most %d per load: split the file", path, len(ps), maxLoadPersons)
	}
	return wirePersons(ps), nil
}

// wirePersons is ps as the harness's loadRegistry carries them.
func wirePersons(ps []rules.Person) []gh.PersonType {
	out := make([]gh.PersonType, 0, len(ps))
	for _, p := range ps {
		out = append(out, *harness.WirePerson(p))
	}
	return out
}
