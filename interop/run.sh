#!/usr/bin/env bash
# make interop: every independent client stack against a gateway started here.
#
# Builds carmed, writes a demo PKI (RSA gateway key, so node-soap's xml-crypto can verify the
# answers; RSA party keys, the one kind every stack signs with) and a fresh data directory in a
# temporary folder, serves the demo registry on a free loopback port with a fixed business date,
# runs each client over the variants of cases.tsv, prints the table stack × variant × operation →
# answer, and exits 1 when an expected-to-work combination failed.
#
# STACKS="python node" limits the run to some stacks; KEEP=1 keeps the temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
today=2026-12-01

work=$(mktemp -d "${TMPDIR:-/tmp}/carmed-interop.XXXXXX")
. tools/gateway.sh
cleanup() {
  gateway_stop
  if [ "${KEEP:-}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

go build -o "$work/carmed" ./cmd/carmed
gateway_start "$work/carmed" "$work" "--gateway-key rsa --party-key rsa" \
  --registry testdata/registry --today "$today" --log-level warn
url=$gw_url

# Requests: one create / consult / provider consult per stack × variant, each with its own ticket
# and its own three-day decision period (a create must not overlap the ones before it, R-OVERLAP).
mkdir -p "$work/req"
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
i=0
while IFS=$'\t' read -r stack variant ops expect _; do
  case "$stack" in ''|'#'*) continue ;; esac
  i=$((i + 1))
  start=$(date -u -d "$today + $((4 * i)) days" +%F)
  end=$(date -u -d "$start + 2 days" +%F)
  base=$work/req/$stack-$variant
  sed -e "s|<ticket>[^<]*</ticket>|<ticket>interop-$i-create</ticket>|" \
      -e "s|<timestampSent>[^<]*</timestampSent>|<timestampSent>$now</timestampSent>|" \
      -e "s|<startDate>2026-12-01</startDate>|<startDate>$start</startDate>|g" \
      -e "s|<endDate>2027-02-28</endDate>|<endDate>$end</endDate>|g" \
      testdata/requests/demo/create.xml >"$base-create.xml"
  sed -e "s|<ticket>[^<]*</ticket>|<ticket>interop-$i-consult</ticket>|" \
      -e "s|<timestampSent>[^<]*</timestampSent>|<timestampSent>$now</timestampSent>|" \
      -e "s|<referenceDate>[^<]*</referenceDate>|<referenceDate>$start</referenceDate>|" \
      testdata/requests/demo/consult.xml >"$base-consult.xml"
  sed -e "s|Id=\"[^\"]*\"|Id=\"R-interop-$i-$(date +%s%N)\"|" \
      -e "s|IssueInstant=\"[^\"]*\"|IssueInstant=\"$now\"|" \
      -e "s|<ReferenceDate>[^<]*</ReferenceDate>|<ReferenceDate>$start</ReferenceDate>|" \
      testdata/provider/request-reference-date.xml >"$base-provider.xml"
done <interop/cases.tsv

# Each client gets: the gateway URL, the PKI folder, the requests folder, and its jobs as
# VARIANT:OPERATION words; it prints one line per job:
#   RESULT <tab> stack <tab> variant <tab> operation <tab> answer <tab> verified (yes|no)
jobs_of() {
  awk -F'\t' -v s="$1" '$1 == s { n = split($3, ops, ","); for (k = 1; k <= n; k++) printf "%s:%s ", $2, ops[k] }' interop/cases.tsv
}
: >"$work/results"
for stack in ${STACKS:-python node java xmlsec1}; do
  jobs=$(jobs_of "$stack")
  [ -n "$jobs" ] || continue
  echo "== $stack" >&2
  # shellcheck disable=SC2086
  if ! "interop/$stack/run" "$url" "$work/pki" "$work/req" $jobs >"$work/$stack.out" 2>"$work/$stack.err"; then
    echo "   $stack client exited non-zero; its stderr:" >&2
    tail -n 20 "$work/$stack.err" >&2
  fi
  grep '^RESULT' "$work/$stack.out" >>"$work/results" || true
done

# The table, and the verdict.
awk -F'\t' -v results="$work/results" -v stacks=" ${STACKS:-python node java xmlsec1} " '
  BEGIN {
    while ((getline line < results) > 0) {
      split(line, f, "\t"); key = f[2] SUBSEP f[3] SUBSEP f[4]; answer[key] = f[5]; verified[key] = f[6]
    }
    fmt = "%-8s %-18s %-9s %-40s %-9s %s\n"
    printf fmt, "stack", "variant", "operation", "answer", "verified", "expected"
    bad = 0
  }
  /^#/ || NF < 4 { next }
  index(stacks, " " $1 " ") == 0 { next }
  {
    n = split($3, ops, ",")
    for (k = 1; k <= n; k++) {
      key = $1 SUBSEP $2 SUBSEP ops[k]
      a = (key in answer) ? answer[key] : "no result"
      v = (key in verified) ? verified[key] : "-"
      good = (a !~ /^(fault|error|no result)/ && v == "yes")
      if ($4 == "ok") { verdict = good ? "ok" : "ok: FAILED"; if (!good) bad++ }
      else if ($4 == "pending") { verdict = good ? "pending wssec fix, works now" : "refused (pending wssec fix)" }
      else if ($4 == "fault") { good = (a ~ /^fault/ && v == "yes"); verdict = good ? "fault, verified" : "fault: FAILED"; if (!good) bad++ }
      else if ($4 == "unverified") { verdict = (v == "no") ? "unverified (control)" : "unverified: FAILED"; if (v != "no") bad++ }
      else { verdict = good ? "refused: ACCEPTED" : "refused"; if (good) bad++ }
      printf fmt, $1, $2, ops[k], substr(a, 1, 40), v, verdict
    }
  }
  END { if (bad) { printf "\n%d expected-to-work combination(s) failed\n", bad; exit 1 } }
' interop/cases.tsv
