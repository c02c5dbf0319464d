#!/usr/bin/env bash
# make soak: P5 of issue 14, second half — is the gateway's memory flat under saturation?
# One gateway on a free loopback port (fresh PKI and data directory, fsync on), driven for
# SOAK_DURATION by two lanes of `carmed load` rounds, staggered so that one lane drives while the
# other presigns its next envelopes: lane 0 runs consult then create, lane 1 create then consult,
# so consults and creates meet. Each round is a new `carmed load` (its pool is presigned and
# bounded) with persons of its own (--first-person). Every SOAK_SAMPLE the gateway's VmRSS is
# read from /proc/PID/status (RssAnon too: VmRSS also counts the pages of the bbolt file mapped
# in, which grow with the store), and at the end: the samples, the peak, and the slope of the
# second half in MB/min (least squares). Flat: slope about 0, peak ≤ 150 MB.
# Env: SOAK_DURATION (default 10m), SOAK_PHASE (each phase of a round, default 30s, shorter for a
# short soak), SOAK_CONCURRENCY (per lane, default 8), SOAK_RATE (envelopes presigned per second
# of phase, default 200: about what two busy cores answer, so a round's
# presigning stays short; a pool spent early ends its phase early and the next round starts), SOAK_SAMPLE (seconds, default 10; 2 under 2 minutes), SOAK_OUT (the samples as
# "seconds vmrss_kb rssanon_kb" lines, default bin/soak.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=bin/carmed
out=${SOAK_OUT:-bin/soak.txt}
dur=${SOAK_DURATION:-10m}
conc=${SOAK_CONCURRENCY:-8}
rate=${SOAK_RATE:-200}
work=$(mktemp -d)
. tools/gateway.sh

seconds() { # 10m, 30s, 1h, 90 → seconds
  case $1 in
    *h) echo $((${1%h} * 3600)) ;; *m) echo $((${1%m} * 60)) ;; *s) echo "${1%s}" ;; *) echo "$1" ;;
  esac
}
total=$(seconds "$dur")
phase=$(seconds "${SOAK_PHASE:-$((total / 4 < 30 ? (total / 4 < 5 ? 5 : total / 4) : 30))s}")
max=$((phase * rate))
every=${SOAK_SAMPLE:-$((total < 120 ? 2 : 10))} # a short soak samples more often, for a slope

lanes=()
sampler=
cleanup() {
  for p in "${lanes[@]}" $sampler; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  gateway_stop
  rm -rf "$work"
}
trap cleanup EXIT

gateway_start "$bin" "$work/gw" "--gateway-key rsa" --registry testdata/registry --today 2026-12-01 --harness
echo "== soak: gateway pid $gw_pid, $gw_url; $total s, two lanes of rounds ($phase s a phase, $max envelopes, $conc in flight)"
start=$(date +%s)
deadline=$((start + total))

# lane N: rounds until the deadline; a round starts only if its two phases end before it.
lane() {
  local id=$1 ops=$2 round=0
  while [ $(($(date +%s) + 2 * phase)) -le "$deadline" ]; do
    # persons of their own for each round of each lane: --max creates, one consulted
    "$bin" load --url "$gw_url" --pki "$work/gw/pki" --label "soak$id" --ops "$ops" --duration "${phase}s" \
      --concurrency "$conc" --max "$max" --first-person $(((round * 2 + id) * (max + 10))) \
      >"$work/lane$id-$round.log" 2>&1 || { echo "lane $id round $round failed:"; cat "$work/lane$id-$round.log"; }
    grep -E '^soak' "$work/lane$id-$round.log" | sed "s/^/  [+$(($(date +%s) - start))s] /" || true
    round=$((round + 1))
  done
}

: >"$out"
sample() {
  local now vm anon
  while kill -0 "$gw_pid" 2>/dev/null; do
    now=$(($(date +%s) - start))
    vm=$(awk '/^VmRSS:/ {print $2}' "/proc/$gw_pid/status")
    anon=$(awk '/^RssAnon:/ {print $2}' "/proc/$gw_pid/status")
    echo "$now $vm $anon" >>"$out"
    sleep "$every"
  done
}
sample &
sampler=$!
lane 0 consult,create &
lanes+=($!)
sleep $((phase / 2 > 0 ? phase / 2 : 1)) # stagger: lane 1 presigns while lane 0 drives
lane 1 create,consult &
lanes+=($!)
wait "${lanes[@]}"
lanes=()
sleep 1
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
sampler=

echo "== RSS of the gateway every ${every}s (seconds, VmRSS MB, RssAnon MB): $out"
awk '{printf "  %4ds  %6.1f  %6.1f\n", $1, $2/1024, $3/1024}' "$out"
# peak; slope of the second half (least squares over the samples from total/2 on), MB/min
awk -v half=$((total / 2)) '
  { if ($2 > peak) peak = $2; if ($3 > apeak) apeak = $3
    if ($1 >= half) { n++; sx += $1; sy += $2; sxx += $1*$1; sxy += $1*$2; sa += $3; sxa += $1*$3 } }
  END {
    printf "== peak VmRSS %.1f MB (RssAnon %.1f MB); ", peak/1024, apeak/1024
    if (n < 2) { print "too few samples in the second half for a slope"; exit }
    d = n*sxx - sx*sx
    printf "second half (%d samples): slope %+.2f MB/min VmRSS, %+.2f MB/min RssAnon\n",
      n, (n*sxy - sx*sy)/d*60/1024, (n*sxa - sx*sa)/d*60/1024
    # VmRSS - RssAnon is mostly the bbolt file mapped in: it grows with the store and drops
    # when bbolt remaps a grown file; RssAnon is the Go heap and stacks
    printf "== P5 (RSS <= 150 MB and flat): peak VmRSS %s 150 MB, peak RssAnon %s 150 MB\n",
      (peak/1024 <= 150 ? "within" : "ABOVE"), (apeak/1024 <= 150 ? "within" : "ABOVE")
  }' "$out"
