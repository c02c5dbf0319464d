#!/usr/bin/env bash
# make conformance: a gateway on a free loopback port with a fresh data directory and PKI, the whole
# reference suite (testdata/conformance) run against it with JUnit output, then the gateway stopped.
# Env: CASES (folders or cases, default testdata/conformance), JUNIT (default bin/conformance-junit.xml),
# PARALLEL (cases at once, default 4), REPLAY_FLAGS (more flags for carmed replay, e.g. --update).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=bin/carmed
cases=${CASES:-testdata/conformance}
junit=${JUNIT:-bin/conformance-junit.xml}
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A free port: bind to 0 and read back what the kernel gave.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" pki init --dir "$work/pki" >/dev/null
"$bin" serve --listen "127.0.0.1:$port" --data "$work/data" --pki "$work/pki" --registry testdata/registry \
  --today 2026-12-01 --harness 2>"$work/serve.log" &
pid=$!
for _ in $(seq 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "gateway did not start:"; cat "$work/serve.log"; exit 1; fi
  sleep 0.1
done
echo "gateway on 127.0.0.1:$port (fresh data in $work)"
status=0
# shellcheck disable=SC2086
"$bin" replay --url "http://127.0.0.1:$port" --pki "$work/pki" --junit "$junit" --parallel "${PARALLEL:-4}" \
  ${REPLAY_FLAGS:-} $cases || status=$?
if [ -f "$junit" ]; then
  echo "JUnit: $junit: $(grep -o '<testsuite [^>]*>' "$junit" | grep -o 'tests="[0-9]*" failures="[0-9]*" errors="[0-9]*" skipped="[0-9]*"')"
fi
exit $status
