# Loket: the two commands. `make run` and `make test` install whatever is missing, then build.
# Debian packages are installed only when absent; npm packages follow the committed lockfiles.

SHELL := /bin/bash
.DEFAULT_GOAL := run

BUILD_PKGS := libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev \
              libssl-dev libxdo-dev build-essential pkg-config file
RUN_PKGS   := xvfb dbus-daemon x11-utils xdotool imagemagick webkit2gtk-driver sqlite3 python3-venv procps util-linux
CARGO_BIN  := $(HOME)/.cargo/bin
APP        := target/debug/loket-desk
CLI        := target/debug/loket
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test deps deps-system deps-node deps-tools ui build lint test-rust test-ui test-e2e invariants bindings bench clean

## Dependencies ---------------------------------------------------------------------------

deps: deps-system deps-node deps-tools

deps-system:
	@missing=""; for p in $(BUILD_PKGS) $(RUN_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# `npm install` (not `npm ci`): the registry lacks other platforms' optional binaries, so the
# lockfile cannot list them; npm install still follows the lockfile.
deps-node:
	@for d in ui e2e crates/bpjs/tests/node; do \
	  if [ -f $$d/package.json ] && { [ ! -d $$d/node_modules ] || [ $$d/package-lock.json -nt $$d/node_modules/.package-lock.json ]; }; then \
	    echo "npm install in $$d"; npm install --prefix $$d --no-audit --no-fund --loglevel=error; \
	  fi; \
	done

deps-tools:
	@command -v tauri-driver >/dev/null 2>&1 || [ -x $(CARGO_BIN)/tauri-driver ] || cargo install tauri-driver --locked

## Build ----------------------------------------------------------------------------------

ui: deps-node
	npm --prefix ui run build

build: ui
	cargo build -p loket-desk -p loket-cli

## The two commands -----------------------------------------------------------------------

run: deps build
	@if [ -z "$${DISPLAY:-}" ] && [ -z "$${WAYLAND_DISPLAY:-}" ]; then \
	  echo "No display: Loket is a desktop app. Run it on a desktop, or headless with: xvfb-run -a make run"; exit 1; fi
	$(APP)

test: deps ui lint invariants test-rust test-ui test-e2e
	@echo "make test: everything passed"

## Checks ---------------------------------------------------------------------------------

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	npm --prefix ui run check
	npm --prefix ui run lint

invariants:
	bash scripts/check-invariants.sh

# Rust tests, including the staleness check of ui/src/lib/ipc/bindings.ts.
test-rust:
	cargo test --workspace

test-ui:
	npm --prefix ui test

test-e2e: build
	LOKET_APP=$(APP) LOKET_CLI=$(CLI) bash e2e/run.sh

# Regenerate the committed TypeScript bindings after changing a command.
bindings:
	LOKET_WRITE_BINDINGS=1 cargo test -p loket-desk bindings

bench:
	cargo bench --workspace

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules e2e/node_modules
