# datapipe developer targets. `make help` lists them.
GO ?= go
export PATH := /usr/local/go/bin:$(PATH)

.PHONY: help build test test-short lint fmt bench fuzz clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

build: ## build bin/datapipe
	$(GO) build -o bin/datapipe ./cmd/datapipe

test: ## install what tests need, start real servers, run every test (the README/CI command)
	./scripts/test.sh

test-short: ## go test ./... only, no fuzzing
	$(GO) test -short ./...

lint: ## gofmt and go vet
	@test -z "$$(gofmt -l cmd internal)" || (gofmt -l cmd internal; exit 1)
	$(GO) vet ./...

fmt: ## gofmt -w
	gofmt -w cmd internal

bench: ## run the benchmarks (figures go in docs/benchmarks.md)
	$(GO) test -run '^$$' -bench . -benchmem ./internal/...

fuzz: ## fuzz every target for FUZZTIME (default 60s)
	FUZZTIME=$${FUZZTIME:-60s} ./scripts/test.sh

clean: ## remove build output
	rm -rf bin
