# Sourced by scripts that need an etcd cluster on loopback (Debian's etcd-server).
#
#   etcd_start DIR N [ETCD-FLAGS…]   N members on free ports, data in DIR/etcd-I; sets etcd_endpoints
#                                    (HOST:PORT,…) and etcd_pids, waits until the cluster answers
#   etcd_stop

etcd_pids=()
etcd_endpoints=

etcd_start() {
  local dir=$1 n=$2
  shift 2
  command -v etcd >/dev/null || { echo "etcd is not installed (Debian: apt-get install etcd-server)" >&2; return 1; }
  local ports cluster="" i
  ports=($(/usr/bin/python3 -c "
import socket
ss=[socket.socket() for _ in range(2*$n)]
for s in ss: s.bind(('127.0.0.1', 0))
print(' '.join(str(s.getsockname()[1]) for s in ss))"))
  for ((i = 0; i < n; i++)); do
    cluster+="${cluster:+,}m$i=http://127.0.0.1:${ports[2*i+1]}"
  done
  etcd_endpoints=
  for ((i = 0; i < n; i++)); do
    local c=http://127.0.0.1:${ports[2*i]} p=http://127.0.0.1:${ports[2*i+1]}
    mkdir -p "$dir"
    etcd --name "m$i" --data-dir "$dir/etcd-$i" --listen-client-urls "$c" --advertise-client-urls "$c" \
      --listen-peer-urls "$p" --initial-advertise-peer-urls "$p" --initial-cluster "$cluster" \
      --initial-cluster-state new "$@" >"$dir/etcd-$i.log" 2>&1 &
    etcd_pids+=($!)
    etcd_endpoints+="${etcd_endpoints:+,}127.0.0.1:${ports[2*i]}"
  done
  for _ in $(seq 200); do
    if curl -fsS "http://${etcd_endpoints%%,*}/health" 2>/dev/null | grep -q '"health":"true"'; then return 0; fi
    sleep 0.1
  done
  echo "etcd did not become healthy; see $dir/etcd-*.log" >&2
  return 1
}

etcd_stop() {
  local p
  for p in "${etcd_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${etcd_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  etcd_pids=()
}
