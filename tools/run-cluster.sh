#!/usr/bin/env bash
# make run-cluster: a demo of issue 16's cluster for a person to try. Three etcd members on
# loopback (Debian etcd-server; data under demo/cluster/etcd-N, kept between runs) and two
# gateways on them (`carmed serve --store etcd://…`, on 127.0.0.1:8081 and :8082, each with its own
# local --data), with the PKI and flags of `make run`. Ctrl-C stops everything; so does any of
# the five processes ending. `make clean` removes demo/ with the cluster's data.
# Env: DEMO (default demo), DEMO_TODAY (default 2026-12-01), CLUSTER_GATEWAYS (default
# 127.0.0.1:8081 127.0.0.1:8082), CLUSTER_ETCD_PORT (first client port, default 12379: members on
# 12379, 22379, 32379, peers one above; not 2379, where Debian's own etcd service may listen).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=bin/carmed
demo=${DEMO:-demo}
today=${DEMO_TODAY:-2026-12-01}
read -r -a gateways <<<"${CLUSTER_GATEWAYS:-127.0.0.1:8081 127.0.0.1:8082}"
base=${CLUSTER_ETCD_PORT:-12379}
dir=$demo/cluster

if ! command -v etcd >/dev/null; then
  echo "run-cluster: etcd is missing: sudo apt-get install etcd-server (Debian), or sudo make deps" >&2
  exit 1
fi

pids=()
stop() {
  trap - INT TERM EXIT
  [ ${#pids[@]} -eq 0 ] || echo "run-cluster: stopping (the etcd leader may take a few seconds to give up)" >&2
  # gateways first, so none writes to a cluster that is going away
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ ${#pids[@]} -eq 0 ] || echo "run-cluster: stopped (data kept under $dir; logs $dir/*.log)"
}
trap stop INT TERM EXIT

# get HOST:PORT PATH: the body of an HTTP GET, over bash's /dev/tcp (no curl needed).
get() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/${1%:*}/${1##*:}" && printf "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n" "$2" "$1" >&3 && cat <&3' _ "$1" "$2" 2>/dev/null || true
}
# taken HOST:PORT: something already listens there.
taken() { (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null; }
# wait_for WHAT PID LOG HOST:PORT PATH PATTERN: poll until the answer matches; the process
# ending first is a failure, with its log.
wait_for() {
  local what=$1 pid=$2 log=$3 addr=$4 path=$5 pattern=$6
  for _ in $(seq 300); do
    if get "$addr" "$path" | grep -q "$pattern"; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "run-cluster: $what ended before it was ready; the end of $log:" >&2
      tail -n 20 "$log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "run-cluster: $what not ready after 30 s; see $log" >&2
  return 1
}

clients=() peers=() initial=()
for i in 1 2 3; do
  port=$((base + (i - 1) * 10000))
  clients+=("127.0.0.1:$port")
  peers+=("127.0.0.1:$((port + 1))")
  initial+=("etcd-$i=http://127.0.0.1:$((port + 1))")
done
for addr in "${clients[@]}" "${peers[@]}" "${gateways[@]}"; do
  if taken "$addr"; then
    echo "run-cluster: $addr is in use (another make run-cluster?); set CLUSTER_ETCD_PORT / CLUSTER_GATEWAYS" >&2
    exit 1
  fi
done

test -x "$bin" || { echo "run-cluster: no $bin: make run-cluster builds it" >&2; exit 1; }
# flag parsing alone (--help ends serve before it opens anything): a carmed without the etcd
# store says so before three members are started for nothing
probe=$("$bin" serve --store etcd://127.0.0.1:1 --help 2>&1 || true)
if grep -q "not defined: -store" <<<"$probe"; then
  echo "run-cluster: this $bin does not serve on etcd yet (serve --store etcd://…, issue 16 item 2)" >&2
  exit 1
fi
mkdir -p "$dir"
test -f "$demo/pki/trust.json" || "$bin" pki init --dir "$demo/pki" >/dev/null

cluster=$(
  IFS=,
  echo "${initial[*]}"
)
for i in 1 2 3; do
  state=new
  [ -d "$dir/etcd-$i/member" ] && state=existing # a second run starts on the kept data
  etcd --name "etcd-$i" --data-dir "$dir/etcd-$i" \
    --listen-client-urls "http://${clients[i - 1]}" --advertise-client-urls "http://${clients[i - 1]}" \
    --listen-peer-urls "http://${peers[i - 1]}" --initial-advertise-peer-urls "http://${peers[i - 1]}" \
    --initial-cluster "$cluster" --initial-cluster-state "$state" --initial-cluster-token carmed-demo \
    --logger zap --log-outputs stderr --log-level warn 2>"$dir/etcd-$i.log" &
  pids+=($!)
done
for i in 1 2 3; do
  wait_for "etcd member $i" "${pids[i - 1]}" "$dir/etcd-$i.log" "${clients[i - 1]}" /health '"health":"true"'
done
store=etcd://$(
  IFS=,
  echo "${clients[*]}"
)
echo "run-cluster: etcd members on ${clients[*]} (data $dir/etcd-N): $store"

n=0
for addr in "${gateways[@]}"; do
  n=$((n + 1))
  "$bin" serve --store "$store" --listen "$addr" --data "$dir/gateway-$n" --pki "$demo/pki" \
    --registry testdata/registry --today "$today" --harness --sts-allow-sha1 --console-demo 2>"$dir/gateway-$n.log" &
  pids+=($!)
  wait_for "gateway $n" "$!" "$dir/gateway-$n.log" "$addr" /readyz .
  echo "run-cluster: gateway $n on http://$addr (log $dir/gateway-$n.log)"
done

a=${gateways[0]} b=${gateways[1]:-${gateways[0]}}
cat <<EOF

Two gateways, one world. In another terminal:
  # CPAS de Namur creates a decision through the first gateway
  $bin call --as cpas-namur --url http://$a/cpas/v1 testdata/requests/demo/create.xml
  # and consults it through the second
  $bin call --as cpas-namur --url http://$b/cpas/v1 testdata/requests/demo/consult.xml
  # modify version 1 through the second; the same modify again through the first: VERSION_CONFLICT
  $bin call --as cpas-namur --url http://$b/cpas/v1 testdata/requests/demo/modify.xml
  $bin call --as cpas-namur --url http://$a/cpas/v1 --set ticket=again testdata/requests/demo/modify.xml
Consoles: http://$a/console/ and http://$b/console/. Ctrl-C stops the gateways and the members.
EOF
wait -n # Ctrl-C, or one process ending, stops them all (the trap)
echo "run-cluster: a process ended; stopping the others" >&2
