# gen.mk: regenerate gen/ from the contracts in wsdl/ and xsd/ (included by the Makefile; also works
# alone as `make -f gen.mk gen`). Each WSDL becomes gen/<name>.go, where <name> is the file name
# without the "carmed-" prefix and the "-vN" suffix (wsdl/carmed-cpas-v1.wsdl → gen/cpas.go);
# gen/xsdtypes.go holds the Date/DateTime types they share.

GO ?= go
WSDLS ?= wsdl/carmed-cpas-v1.wsdl
GEN_DIR ?= gen
GEN_PKG ?= gen

# $(call gen-into,DIR): gowsdl each WSDL into a scratch folder, genfix the result, and only when every
# WSDL succeeded replace DIR with it (a failure leaves DIR as it was). gowsdl's chatter goes to a log
# that is shown only when it fails.
define gen-into
set -e; \
dest="$(1)"; scratch=$$(mktemp -d); trap 'rm -rf "$$scratch"' EXIT; \
out="$$scratch/out"; mkdir -p "$$out"; \
for w in $(WSDLS); do \
	n=$$(basename "$$w" .wsdl | sed -e 's/^carmed-//' -e 's/-v[0-9][0-9]*$$//' -e 's/-/_/g'); \
	if [ -e "$$out/$$n.go" ] || [ "$$n" = xsdtypes ]; then echo "gen: $$w would overwrite $$n.go" >&2; exit 1; fi; \
	mkdir -p "$$scratch/$$n"; \
	if ! $(GO) tool gowsdl -p $(GEN_PKG) -o "$$n.go" -d "$$scratch/$$n" "$$w" >"$$scratch/$$n.log" 2>&1 \
		|| [ ! -s "$$scratch/$$n/$(GEN_PKG)/$$n.go" ]; then \
		cat "$$scratch/$$n.log" >&2; echo "gen: gowsdl failed on $$w" >&2; exit 1; \
	fi; \
	$(GO) run ./tools/genfix -wsdl "$$w" -in "$$scratch/$$n/$(GEN_PKG)/$$n.go" \
		-out "$$out/$$n.go" -helpers "$$out/xsdtypes.go"; \
done; \
gofmt -w "$$out"; \
rm -rf "$$dest"; mkdir -p "$$(dirname "$$dest")"; cp -R "$$out" "$$dest"
endef

.PHONY: gen verify-gen

gen: ## regenerate gen/ from wsdl/ and xsd/ (gowsdl + tools/genfix)
	@$(call gen-into,$(GEN_DIR))
	@echo "gen: wrote $(GEN_DIR)/ from $(WSDLS)"

verify-gen: ## fail when gen/ differs from what wsdl/ and xsd/ generate
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) GEN_DIR="$$tmp/gen" WSDLS="$(WSDLS)" gen >/dev/null; \
	if ! diff -r "$$tmp/gen" $(GEN_DIR); then \
		echo "verify-gen: $(GEN_DIR)/ is not what wsdl/ and xsd/ generate: run 'make gen' and commit the result" >&2; \
		exit 1; \
	fi; \
	echo "verify-gen: $(GEN_DIR)/ is up to date"
