package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/carmed/carmed/store"
)

func cmdStore(args []string) int {
	if len(args) == 0 {
		return fail("usage: carmed store check|upgrade|backup --data DIR | --store etcd://… [--out FILE]")
	}
	fs := flag.NewFlagSet("store", flag.ContinueOnError)
	data := fs.String("data", "data", "data directory (holds carmed.db)")
	addr := fs.String("store", "", "an etcd store instead (serve --store): check and backup")
	out := fs.String("out", "", "backup file (backup)")
	if err := fs.Parse(args[1:]); err != nil {
		return exitError
	}
	if *addr != "" {
		return etcdStoreCmd(args[0], *addr, *out)
	}
	path := filepath.Join(*data, "carmed.db")
	if _, err := os.Stat(path); err != nil {
		return fail("no store at %s", path)
	}
	// check reports the format it finds; every other command (and serve) upgrades an older one.
	st, err := store.Open(path, store.Options{Timeout: 2 * time.Second, KeepFormat: args[0] == "check"})
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()
	switch args[0] {
	case "check":
		fmt.Printf("format: %s\n", st.Format())
		if n := st.BytesPerVersion(); n > 0 {
			fmt.Printf("stored per decision version (version, replies, audits): %d bytes\n", n)
		}
		return checkReport(st, path)
	case "upgrade": // the open above did it
		fmt.Printf("store upgrade: %s\nformat: %s\n", path, st.Format())
		return exitOK
	case "backup":
		if *out == "" {
			return fail("backup needs --out FILE")
		}
		return backupTo(st, *out)
	}
	return fail("unknown store command %q", args[0])
}

// backupTo writes a new file with st's backup, synced before it is reported written.
func backupTo(st store.Store, out string) int {
	f, err := os.OpenFile(out, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fail("%v", err)
	}
	if err := st.Backup(f); err != nil {
		f.Close()
		return fail("backup: %v", err)
	}
	if err := f.Sync(); err != nil {
		return fail("backup: %v", err)
	}
	f.Close()
	fmt.Printf("store backup: %s written\n", out)
	return exitOK
}

// etcdStoreCmd checks an etcd store or backs it up as a bbolt file (serve --data can start on it).
func etcdStoreCmd(cmd, addr, out string) int {
	o, err := store.ParseEtcdURL(addr)
	if err != nil {
		return fail("%v", err)
	}
	st, err := store.OpenEtcd(o)
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()
	switch cmd {
	case "check":
		return checkReport(st, addr)
	case "backup":
		if out == "" {
			return fail("backup needs --out FILE")
		}
		return backupTo(st, out)
	}
	return fail("store %s: not for an etcd store (it has no older format to upgrade)", cmd)
}

// checkReport prints every problem st.Check finds in the store at where, and the verdict.
func checkReport(st store.Store, where string) int {
	problems := st.Check()
	for _, p := range problems {
		fmt.Println("problem:", p)
	}
	if len(problems) > 0 {
		fmt.Printf("store check: %d problem(s) in %s\n", len(problems), where)
		return exitRejected
	}
	fmt.Printf("store check: ok (%s)\n", where)
	return exitOK
}
