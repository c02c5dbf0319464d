package schema

import "testing"

func BenchmarkValidateCreate(b *testing.B) {
	s := contract(b)
	root := readDoc(b, createXML).Root()
	if err := s.Validate(root); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Validate(root); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateConsultResponse(b *testing.B) {
	s := contract(b)
	root := readDoc(b, responseXML).Root()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Validate(root); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompileContract(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(contractFS(), "xsd/carmed-cpas-v1.xsd"); err != nil {
			b.Fatal(err)
		}
	}
}

// benchValidate validates one file repeatedly: a pooled walker makes it allocation-free.
func benchValidate(b *testing.B, s *Schema, file string) {
	root := readDoc(b, file).Root()
	if err := s.Validate(root); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Validate(root); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateProviderRequest(b *testing.B) { benchValidate(b, provider(b), provPeriod) }

func BenchmarkValidateProviderResponse(b *testing.B) { benchValidate(b, provider(b), provSuccess) }

func BenchmarkValidateProviderBusinessError(b *testing.B) {
	benchValidate(b, provider(b), provBusiness)
}

func BenchmarkCompileProvider(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(contractFS(), providerRoot); err != nil {
			b.Fatal(err)
		}
	}
}
