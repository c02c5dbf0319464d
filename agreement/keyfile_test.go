package agreement

import (
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeKeyFile(t *testing.T, body string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "agreement-keys.json")
	if err := os.WriteFile(path, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // umask may have narrowed it
		t.Fatal(err)
	}
	return path
}

func b64(fill byte, n int) string {
	return base64.StdEncoding.EncodeToString([]byte(strings.Repeat(string(rune(fill)), n)))
}

func TestLoadKeyringReadsTheJSONKeyFile(t *testing.T) {
	path := writeKeyFile(t, `{"current":"k2","keys":{"k1":"`+b64('a', 32)+`","k2":"`+b64('b', 48)+`"}}`, 0o600)
	k, err := LoadKeyring(path)
	if err != nil {
		t.Fatal(err)
	}
	if k.Current() != "k2" || strings.Join(k.IDs(), ",") != "k1,k2" {
		t.Errorf("current %q ids %v", k.Current(), k.IDs())
	}
}

func TestLoadKeyringRefusesAnUnsafeOrBrokenFile(t *testing.T) {
	good := b64('a', 32)
	cases := []struct {
		name string
		body string
		mode os.FileMode
		want error
		say  string
	}{
		{"a world-readable file is refused", `{"current":"k1","keys":{"k1":"` + good + `"}}`, 0o644, ErrKeyFileMode, "chmod 600"},
		{"a group-readable file is refused", `{"current":"k1","keys":{"k1":"` + good + `"}}`, 0o640, ErrKeyFileMode, "0640"},
		{"a short key is refused", `{"current":"k1","keys":{"k1":"` + b64('a', 31) + `"}}`, 0o600, ErrBadKeyring, "31 bytes"},
		{"an unknown current id is refused", `{"current":"k3","keys":{"k1":"` + good + `"}}`, 0o600, ErrBadKeyring, `"k3"`},
		{"a key that is not base64 is refused", `{"current":"k1","keys":{"k1":"not base64!"}}`, 0o600, ErrBadKeyring, "base64"},
		{"a misspelt field is refused", `{"curent":"k1","keys":{"k1":"` + good + `"}}`, 0o600, ErrBadKeyring, "not a key file"},
		{"trailing data is refused", `{"current":"k1","keys":{"k1":"` + good + `"}} {}`, 0o600, ErrBadKeyring, "after the JSON"},
		{"an empty file is refused", ``, 0o600, ErrBadKeyring, "not a key file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := writeKeyFile(t, tc.body, tc.mode)
			_, err := LoadKeyring(path)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.say) {
				t.Fatalf("got %v, want %v saying %q", err, tc.want, tc.say)
			}
			if strings.Contains(err.Error(), good) {
				t.Errorf("error %q shows key material", err)
			}
		})
	}
}

func TestLoadKeyringNamesAMissingFile(t *testing.T) {
	_, err := LoadKeyring(filepath.Join(t.TempDir(), "none.json"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("got %v, want a not-exist error", err)
	}
}

func TestWriteNewKeyringMakesAPrivateFileThatLoadsBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	k, err := WriteNewKeyring(path)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %04o, want 0600", st.Mode().Perm())
	}
	back, err := LoadKeyring(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := back.Verify(mustIssue(t, k, sample())); err != nil {
		t.Fatalf("the written key does not verify what the returned ring issued: %v", err)
	}
	// Two fresh files hold different keys.
	other, err := WriteNewKeyring(filepath.Join(t.TempDir(), "keys.json"))
	if err != nil {
		t.Fatal(err)
	}
	if mustIssue(t, other, sample()) == mustIssue(t, k, sample()) {
		t.Error("two fresh key files issue the same number")
	}
}

func TestWriteNewKeyringNeverReplacesExistingKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	k, err := WriteNewKeyring(path)
	if err != nil {
		t.Fatal(err)
	}
	tok := mustIssue(t, k, sample())
	if _, err := WriteNewKeyring(path); !errors.Is(err, os.ErrExist) {
		t.Fatalf("second WriteNewKeyring = %v, want an exists error", err)
	}
	back, err := LoadKeyring(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := back.Verify(tok); err != nil {
		t.Fatalf("the first key was lost: %v", err)
	}
}

func TestRotateFileKeepsOldNumbersValidAcrossRestarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	k1, err := WriteNewKeyring(path)
	if err != nil {
		t.Fatal(err)
	}
	old := mustIssue(t, k1, sample())
	rotated, err := RotateFile(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if rotated.Current() != "k2" {
		t.Fatalf("current %q, want k2", rotated.Current())
	}
	restarted, err := LoadKeyring(path)
	if err != nil {
		t.Fatal(err)
	}
	if restarted.Current() != "k2" {
		t.Errorf("the rotation was not saved: current %q", restarted.Current())
	}
	if _, err := restarted.Verify(old); err != nil {
		t.Errorf("a number from before the rotation: %v", err)
	}
	if _, err := restarted.Verify(mustIssue(t, rotated, sample())); err != nil {
		t.Errorf("a number from after the rotation: %v", err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("saved with mode %04o, want 0600", st.Mode().Perm())
	}
}
