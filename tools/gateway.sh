# Sourced by tools/conformance.sh, tools/load.sh and interop/run.sh: a gateway on a free loopback
# port with a fresh PKI and data directory under a folder, stopped by gateway_stop.
#
#   gateway_start BIN DIR "PKI-INIT-FLAGS" [SERVE-FLAGS…]   sets gw_pid and gw_url, logs to DIR/serve.log
#   gateway_stop

gw_pid=
gw_url=

gateway_start() {
  local bin=$1 dir=$2 pki_flags=$3
  shift 3
  mkdir -p "$dir"
  # shellcheck disable=SC2086
  "$bin" pki init --dir "$dir/pki" $pki_flags >/dev/null
  # A free port: bind to 0 and read back what the kernel gave.
  local port
  port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$bin" serve --listen "127.0.0.1:$port" --data "$dir/data" --pki "$dir/pki" "$@" 2>"$dir/serve.log" &
  gw_pid=$!
  gw_url=http://127.0.0.1:$port
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    if ! kill -0 "$gw_pid" 2>/dev/null; then
      echo "gateway did not start:" >&2
      cat "$dir/serve.log" >&2
      gw_pid=
      return 1
    fi
    sleep 0.1
  done
  echo "gateway did not answer on $gw_url" >&2
  return 1
}

gateway_stop() {
  if [ -n "$gw_pid" ]; then kill "$gw_pid" 2>/dev/null || true; wait "$gw_pid" 2>/dev/null || true; fi
  gw_pid=
}
