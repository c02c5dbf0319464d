# gen.mk: regenerate gen/ from the contracts in wsdl/ and xsd/ (included by the Makefile; also works
# alone as `make -f gen.mk gen`). Each WSDLS entry is a WSDL path, optionally followed by :PKG.
# Without :PKG the WSDL becomes gen/<name>.go in package gen; with it, gen/PKG/<name>.go in package
# PKG (for a contract whose type names clash with another's, e.g. the eHealth provider face).
# <name> is the file name without the "carmed-" prefix and the "-vN" suffix, dashes as underscores
# (wsdl/carmed-cpas-v1.wsdl → gen/cpas.go). Every package gets its own xsdtypes.go with the
# Date/DateTime/Decimal/Integer/… helper types its files share.

GO ?= go
WSDLS ?= wsdl/carmed-cpas-v1.wsdl wsdl/ehealth-mediprima-consult-v2.wsdl:provider wsdl/carmed-harness-v1.wsdl:harness wsdl/ehealth-mediprima-uma-v1.wsdl:uma wsdl/carmed-caami-v1.wsdl:caami
GEN_DIR ?= gen
GEN_PKG ?= gen

# $(call gen-into,DIR): gowsdl each WSDL into a scratch folder, genfix the result, and only when every
# WSDL succeeded replace DIR with it (a failure leaves DIR as it was). gowsdl's chatter goes to a log
# that is shown only when it fails.
define gen-into
set -e; \
dest="$(1)"; scratch=$$(mktemp -d); trap 'rm -rf "$$scratch"' EXIT; \
out="$$scratch/out"; mkdir -p "$$out"; \
for spec in $(WSDLS); do \
	w="$${spec%%:*}"; pkg="$(GEN_PKG)"; dir="$$out"; \
	case "$$spec" in *:*) pkg="$${spec#*:}"; dir="$$out/$$pkg";; esac; \
	n=$$(basename "$$w" .wsdl | sed -e 's/^carmed-//' -e 's/-v[0-9][0-9]*$$//' -e 's/-/_/g'); \
	if [ -e "$$dir/$$n.go" ] || [ "$$n" = xsdtypes ]; then echo "gen: $$w would overwrite $$pkg/$$n.go" >&2; exit 1; fi; \
	raw="$$scratch/raw-$$pkg-$$n"; mkdir -p "$$raw" "$$dir"; \
	if ! $(GO) tool gowsdl -p "$$pkg" -o "$$n.go" -d "$$raw" "$$w" >"$$raw.log" 2>&1 \
		|| [ ! -s "$$raw/$$pkg/$$n.go" ]; then \
		cat "$$raw.log" >&2; echo "gen: gowsdl failed on $$w" >&2; exit 1; \
	fi; \
	$(GO) run ./tools/genfix -wsdl "$$w" -in "$$raw/$$pkg/$$n.go" \
		-out "$$dir/$$n.go" -helpers "$$dir/xsdtypes.go"; \
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
