# The Makefile is the interface (and the CI): README and .ci/run call these targets.
GO      ?= go
BIN     := bin/carmed
DEMO    := demo
LISTEN  ?= 127.0.0.1:8080
DEMO_TODAY ?= 2026-12-01
PKGS    := ./...

.PHONY: help build run run-cluster test test-deps lint bench fuzz deps clean rules-report conformance conformance-etcd interop load load-etcd bench-scale bench-scale-e2e soak

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | sort | awk -F'\t' '{printf "  %-12s %s\n", $$1, $$2}'

build: ## build bin/carmed
	$(GO) build -o $(BIN) ./cmd/carmed

run: build ## demo: PKI in demo/pki, registry from testdata/registry, serve on 127.0.0.1:8080
	@test -f $(DEMO)/pki/trust.json || ./$(BIN) pki init --dir $(DEMO)/pki
	./$(BIN) serve --listen $(LISTEN) --data $(DEMO)/data --pki $(DEMO)/pki --registry testdata/registry --today $(DEMO_TODAY) --harness --sts-allow-sha1 --console-demo

run-cluster: build ## demo of issue 16: three etcd members (demo/cluster) and two gateways on them, 127.0.0.1:8081 and :8082; Ctrl-C stops all
	./tools/run-cluster.sh

test: test-deps ## all tests (installs the cross-check tools first when missing: see test-deps), then the store's on etcd
	$(GO) test -count=1 $(PKGS)
	CARMED_TEST_STORE=etcd $(GO) test -count=1 ./store/

# The Debian packages of the tools the cross-check tests run against; zeep and python-xmlsec
# are checked with Debian's Python, where the tests look for them (internal/needtool).
DEPS_DEB := libxml2-utils xmlsec1 python3-zeep python3-xmlsec etcd-server
deps-missing = $$( { command -v xmllint >/dev/null || echo xmllint; \
	command -v xmlsec1 >/dev/null || echo xmlsec1; \
	command -v etcd >/dev/null || echo etcd; \
	/usr/bin/python3 -c 'import zeep, xmlsec' >/dev/null 2>&1 || echo zeep; } | xargs)

test-deps: ## make sure xmllint, xmlsec1, zeep and etcd are there, so no cross-check is skipped
	@missing="$(deps-missing)"; [ -z "$$missing" ] && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "test: missing $$missing: installing $(DEPS_DEB)"; \
		$(MAKE) --no-print-directory deps || exit 1; \
		missing="$(deps-missing)"; [ -z "$$missing" ] && exit 0; \
		echo "test: still missing after make deps: $$missing" >&2; exit 1; \
	fi; \
	echo "test: missing $$missing (the cross-checks would be skipped); run: sudo make deps" >&2; exit 1

lint: ## gofmt, go vet, go mod tidy -diff
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GO) mod tidy -diff

bench: ## benchmarks: verify, handler create/consult, store commit, sign, CAAMI send control and a 10,000-line send through the face, statements
	$(GO) test -run '^$$' -bench . -benchmem ./server/... ./wssec/ ./trust/ ./schema/ ./store/ ./rules/ ./agreement/ ./statement/

# Minimizing a new input of a few KB (a signed envelope) takes up to the default 60 s, during which
# nothing else runs or is counted: FuzzVerify then showed ~50 execs for a whole short run.
fuzz: ## run every fuzz target of the repo in turn (FUZZTIME each, default 30s); crashers land in testdata/fuzz
	@set -e; for f in $$(grep -rlE --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*\(' . | sort); do \
	  for t in $$(sed -nE 's/^func (Fuzz[A-Za-z0-9_]*)\(.*/\1/p' $$f); do \
	    echo "== $$(dirname $$f) $$t"; \
	    $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $${FUZZTIME:-30s} -fuzzminimizetime $${FUZZMINTIME:-2s} ./$$(dirname $$f)/; \
	  done; done

conformance: build ## the reference conformance suite against a fresh gateway (JUnit in bin/conformance-junit.xml)
	./tools/conformance.sh

conformance-etcd: build ## the same suite against a gateway whose store is on a fresh etcd (serve --store etcd://…)
	STORE=etcd ./tools/conformance.sh

load: build ## presigned load on loopback against fresh gateways (RSA, then P-256 key): rate, p50/p90/p99, CPU, RSS, the goals of issue 14 (LOAD_DURATION, LOAD_CONCURRENCY)
	./tools/load.sh

# P4 of issue 14: the store part of a consult at 10,000 decisions and at SCALE_N, measured in
# alternating rounds on two bbolt files under the test's temp dir (removed after; 1 M is ~4 GB).
bench-scale: ## consult p50/p90/p99 at 10k vs SCALE_N decisions (default 1000000) in a bbolt store, and the ratio (P4 of issue 14)
	SCALE_N=$${SCALE_N:-1000000} $(GO) test -run '^$$' -bench '^BenchmarkConsultAtScale$$' -benchtime 1x -timeout 60m ./store/

bench-scale-e2e: build ## the same end to end: carmed load consults on a gateway serving SCALE_N decisions vs one on a fresh store, p50 ratio (E2E_ROUNDS, E2E_DURATION)
	./tools/scale-e2e.sh

soak: build ## a gateway under repeated `carmed load` rounds for SOAK_DURATION (default 10m): its RSS every 10 s, peak, slope (P5 of issue 14)
	./tools/soak.sh

load-etcd: build ## issue 16 figures: consult and create rates on bbolt, on a 3-member etcd with one gateway and with two (LOAD_DURATION, LOAD_CONCURRENCY)
	./tools/load-etcd.sh

# Rule ids allowed to lack an accepting or a rejecting case: the ids rules.md added for work not
# built yet. Take each id out when its cases land.
RULES_ALLOW_MISSING ?=

rules-report: ## per rule id of ../shared/rules.md: the tests and fixtures that pin it (fails on a gap)
	$(GO) run ./tools/rulesreport -rules ../shared/rules.md -allow-missing '$(RULES_ALLOW_MISSING)'

deps: ## install the Debian tools the tests use (xmllint, xmlsec1, zeep + python-xmlsec, etcd)
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEPS_DEB)

interop: ## every independent client (zeep, node-soap, WSS4J + wsimport, xmlsec1) against a gateway it starts; table in interop/README.md
	@test -d interop/node/node_modules || (cd interop/node && npm ci --no-audit --no-fund)
	bash interop/run.sh

clean: ## remove build output and the demo
	rm -rf bin $(DEMO)

include gen.mk
