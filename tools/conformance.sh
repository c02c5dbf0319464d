#!/usr/bin/env bash
# make conformance: a gateway on a free loopback port with a fresh data directory and PKI, the whole
# reference suite (testdata/conformance) run against it with JUnit output, then the gateway stopped.
# Env: CASES (folders or cases, default testdata/conformance), JUNIT (default bin/conformance-junit.xml),
# PARALLEL (cases at once, default 4), REPLAY_FLAGS (more flags for carmed replay, e.g. --update),
# STORE=etcd (the gateway keeps its store on a fresh one-member etcd, as `serve --store etcd://…`).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=bin/carmed
cases=${CASES:-testdata/conformance}
junit=${JUNIT:-bin/conformance-junit.xml}
work=$(mktemp -d)
. tools/gateway.sh
. tools/etcd.sh
trap 'gateway_stop; etcd_stop; rm -rf "$work"' EXIT

store=()
if [ "${STORE:-}" = etcd ]; then
  etcd_start "$work" 1
  store=(--store "etcd://$etcd_endpoints/conformance")
fi
gateway_start "$bin" "$work" "" --registry testdata/registry --today 2026-12-01 --harness "${store[@]}"
echo "gateway on $gw_url (fresh data in $work${store:+, store on etcd $etcd_endpoints})"
status=0
# shellcheck disable=SC2086
"$bin" replay --url "$gw_url" --pki "$work/pki" --junit "$junit" --parallel "${PARALLEL:-4}" \
  ${REPLAY_FLAGS:-} $cases || status=$?
if [ -f "$junit" ]; then
  echo "JUnit: $junit: $(grep -o '<testsuite [^>]*>' "$junit" | grep -o 'tests="[0-9]*" failures="[0-9]*" errors="[0-9]*" skipped="[0-9]*"')"
fi
exit $status
