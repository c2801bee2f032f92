# llm-memviz — the front door. The README's two commands are `make serve` and `make test`;
# both install what is missing (scripts/setup.sh) and nothing twice.
SHELL := /bin/bash
PORT ?= 8080

.PHONY: serve test dist bench fuzz mutants screenshots clean

serve: ## Build the release site and serve it on http://127.0.0.1:$(PORT)
	scripts/setup.sh serve
	scripts/build-dist.sh
	node scripts/serve.mjs --port $(PORT)

test: ## Every test (what CI runs)
	scripts/test.sh

dist: ## Release site into dist/
	scripts/setup.sh serve
	scripts/build-dist.sh

bench: ## Browser benchmark: transfer size, load time, slider latency, memory (prints numbers)
	scripts/setup.sh test
	scripts/build-dist.sh
	cd tests/e2e && node bench.mjs

screenshots: ## Regenerate the README's screenshots (docs/*.png) from the release build
	scripts/setup.sh test
	scripts/build-dist.sh
	cd tests/e2e && node docs-screenshots.mjs

fuzz: ## Long fuzz/property run of the link decoder, config importer and estimator
	LLM_MEMVIZ_FUZZ_CASES=$${LLM_MEMVIZ_FUZZ_CASES:-1000000} cargo test --release --test fuzz -- --nocapture

mutants: ## Mutation testing (cargo-mutants, crates.io) of src/estimate, src/share and src/state.rs: lists the survivors; slow (MUTANTS_ARGS='--file src/estimate/kv.rs' for one file)
	command -v cargo-mutants >/dev/null 2>&1 || cargo install --locked cargo-mutants || cargo install cargo-mutants
	cargo mutants --no-shuffle --timeout 300 $${MUTANTS_ARGS:---file 'src/estimate/**' --file 'src/share/**' --file src/state.rs} -- --lib --tests

clean:
	cargo clean
	rm -rf dist tests/e2e/node_modules
