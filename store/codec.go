package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// codecJSON1 is the first byte of every stored value: JSON of the Go value. A later encoding gets
// a new byte so old records stay readable.
const codecJSON1 byte = 1

// compressJSONAbove: JSON records longer than this (decision versions) are stored deflated
// (codecJSONDeflate) when that saves bytes; shorter ones (persons, notices) stay plain.
const compressJSONAbove = 1024

// encode wraps v in the versioned envelope.
func encode(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("store: encode %s: %w", typeName(v), err)
	}
	if len(b) > compressJSONAbove {
		if z, err := deflate(b); err == nil && len(z) < len(b) {
			return append([]byte{codecJSONDeflate}, z...), nil
		}
	}
	return append([]byte{codecJSON1}, b...), nil
}

// decode reads an envelope into v. b may be bbolt memory: json.Unmarshal copies what it keeps.
func decode(b []byte, v any) error {
	if len(b) == 0 {
		return fmt.Errorf("store: empty record for %s", typeName(v))
	}
	body := b[1:]
	switch b[0] {
	case codecJSON1:
	case codecJSONDeflate:
		var err error
		if body, err = inflate(body); err != nil {
			return fmt.Errorf("store: decode %s: %w", typeName(v), err)
		}
	default:
		return fmt.Errorf("store: record for %s has unknown encoding %d", typeName(v), b[0])
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("store: decode %s: %s", typeName(v), jsonProblem(err)) // no values: they may be personal data
	}
	return nil
}

// jsonProblem says what is wrong with JSON input and where, without echoing values.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("not valid JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q must be %s", typ.Field, typ.Type)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "JSON ends too early"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return strings.TrimPrefix(err.Error(), "json: ") // names a field, never a value
	default:
		return "not valid JSON"
	}
}

// typeName names the stored type in errors ("rules.Version", not "*rules.Version").
func typeName(v any) string {
	switch v.(type) {
	case versionRecord, *versionRecord:
		return "rules.Version" // what the record stores
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", v), "*")
}
