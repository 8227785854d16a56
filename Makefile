# cascade: the two set-up commands are `make run` and `make test`.
GO       ?= go
BIN      := bin/cascade
SCENARIO ?= aug2024
OUT      ?= out/$(SCENARIO)

.PHONY: all build run test bench vet clean

all: build

build:
	$(GO) build -trimpath -o $(BIN) ./cmd/cascade

# Builds the binary and runs the default replay, writing outputs and plots to $(OUT).
run: build
	./$(BIN) run $(SCENARIO) --out $(OUT) --force

test: vet
	$(GO) test ./...

vet:
	$(GO) vet ./...

# Benchmarks (never timed assertions in tests): ns per agent-tick of the standard run.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 50x ./sim/

clean:
	rm -rf bin out
