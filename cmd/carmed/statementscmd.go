package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/carmed/carmed/face"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/store"
)

// cmdStatements is `carmed statements export`: the SPP IS file of a closed month (R-DECOMPTE-SPP),
// or with --cpas one CPAS's statement in the format it receives (R-DECOMPTE), written from the
// store (the gateway must be stopped: the store is opened directly).
func cmdStatements(args []string) int {
	if len(args) == 0 || args[0] != "export" {
		return fail("usage: carmed statements export --data DIR --month YYYY-MM [--cpas CBE] [--out FILE]")
	}
	fs := flag.NewFlagSet("statements export", flag.ContinueOnError)
	data := fs.String("data", "data", "data directory (holds carmed.db)")
	monthFlag := fs.String("month", "", "the closed month, YYYY-MM")
	cpas := fs.String("cpas", "", "a CPAS's statement (its CBE) instead of the SPP IS file of every CPAS")
	out := fs.String("out", "", "file to write (default: the file's own name in the current directory)")
	if err := fs.Parse(args[1:]); err != nil {
		return exitError
	}
	m, err := rules.ParseMonth(*monthFlag)
	if err != nil {
		return fail("--month: want YYYY-MM")
	}
	path := filepath.Join(*data, "carmed.db")
	if _, err := os.Stat(path); err != nil {
		return fail("no store at %s", path)
	}
	st, err := store.Open(path, store.Options{Timeout: 2 * time.Second})
	if err != nil {
		return fail("%v (is the gateway running? stop it first)", err)
	}
	defer st.Close()
	var f face.File
	err = st.View(func(r store.Reader) error {
		mc, err := r.MonthClosing(m)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("%s is not closed (harness closeMonth, or a business clock past its end)", m)
		}
		if err != nil {
			return err
		}
		if *cpas == "" {
			f, err = face.SPPFile(r, mc)
			return err
		}
		recs, err := r.Statements(*cpas, m, m)
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return fmt.Errorf("CPAS %s has no statement for %s (no line paid for its decisions)", *cpas, m)
		}
		f, err = face.StatementFile(r, recs[0])
		return err
	})
	if err != nil {
		return fail("statements export: %v", err)
	}
	name := *out
	if name == "" {
		name = f.Name
	}
	if err := os.WriteFile(name, f.Content, 0o600); err != nil {
		return fail("%v", err)
	}
	fmt.Printf("statements export: %s written (%s, %d bytes)\n", name, f.MediaType, len(f.Content))
	return exitOK
}
