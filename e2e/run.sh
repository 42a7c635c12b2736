#!/usr/bin/env bash
# End-to-end tests of the real Loket window: Xvfb + a private D-Bus session + a fake desktop
# notification server + tauri-driver/WebKitWebDriver, driven by WebdriverIO from node:test.
#
#   bash e2e/run.sh                         # every e2e/tests/*.test.mjs
#   bash e2e/run.sh tests/settings.test.mjs # some spec files (paths relative to e2e/)
#
# Builds nothing: the app binary is $LOKET_APP (default target/debug/loket-desk, built with
# `npm --prefix ui run build && cargo build -p loket-desk -p loket-cli`) and the CLI
# is $LOKET_CLI (default target/debug/loket). Installs e2e/node_modules (npm install) and the
# Python venv e2e/.venv (jeepney) when they are missing.
# Output (screenshots, logs, TAP results) goes to e2e/out/ or $LOKET_E2E_OUT; temporary files to a
# fresh folder under $TMPDIR, removed at the end unless LOKET_E2E_KEEP=1.
# Ends with the line "N passed, N failed"; exit code 0 only when every test passed.

set -uo pipefail

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$E2E_DIR")
OUT_DIR=${LOKET_E2E_OUT:-$E2E_DIR/out}

say() { echo "e2e: $*" >&2; }
die() {
  say "$*"
  exit 2
}
abs() { case "$1" in /*) echo "$1" ;; *) echo "$REPO_DIR/$1" ;; esac }

# ---------------------------------------------------------------------------------------------
# Outside the bus: prerequisites, then re-run this script inside a private D-Bus session.
if [ "${1:-}" != "--inside-session" ]; then
  START_NS=$(date +%s%N)
  export LOKET_APP LOKET_CLI
  LOKET_APP=$(abs "${LOKET_APP:-target/debug/loket-desk}")
  LOKET_CLI=$(abs "${LOKET_CLI:-target/debug/loket}")

  # tauri-driver: on PATH, else where `cargo install tauri-driver --locked` puts it.
  TAURI_DRIVER=${TAURI_DRIVER:-}
  if [ -z "$TAURI_DRIVER" ]; then
    TAURI_DRIVER=$(command -v tauri-driver || true)
    for candidate in "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" "$HOME/.cargo/bin/tauri-driver"; do
      [ -n "$TAURI_DRIVER" ] || { [ -x "$candidate" ] && TAURI_DRIVER=$candidate; }
    done
  fi
  export TAURI_DRIVER

  missing=()
  [ -n "$TAURI_DRIVER" ] && [ -x "$TAURI_DRIVER" ] || missing+=("tauri-driver (cargo install tauri-driver --locked)")
  need() { command -v "$1" >/dev/null 2>&1 || missing+=("$1 (Debian package $2)"); }
  need WebKitWebDriver webkit2gtk-driver
  need Xvfb xvfb
  need dbus-run-session dbus
  need xwininfo x11-utils
  need import imagemagick
  need sqlite3 sqlite3
  need setsid util-linux
  need ps procps
  need node nodejs
  need npm npm
  need python3 python3
  python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=("python3 venv module (Debian package python3-venv)")
  [ -x "$LOKET_APP" ] || missing+=("app binary LOKET_APP=$LOKET_APP (npm --prefix ui run build && cargo build -p loket-desk)")
  [ -x "$LOKET_CLI" ] || missing+=("CLI binary LOKET_CLI=$LOKET_CLI (cargo build -p loket-cli)")
  if [ ${#missing[@]} -gt 0 ]; then
    say "missing prerequisites:"
    printf '  - %s\n' "${missing[@]}" >&2
    exit 2
  fi
  # A binary built without the custom-protocol feature (a default one; off with
  # --no-default-features) loads the Vite dev server, not ui/dist.
  if grep -q "localhost:5173" "$LOKET_APP" 2>/dev/null && ! grep -q "tauri://localhost" "$LOKET_APP" 2>/dev/null; then
    say "warning: $LOKET_APP looks like a dev build (no custom-protocol feature): it will try the Vite dev server"
  fi

  # Node packages (npm install follows the lockfile; npm ci fails on this registry mirror).
  if [ ! -f "$E2E_DIR/node_modules/webdriverio/package.json" ] ||
    [ "$E2E_DIR/package-lock.json" -nt "$E2E_DIR/node_modules/.package-lock.json" ]; then
    say "installing node packages (npm install)"
    (cd "$E2E_DIR" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error) || die "npm install failed"
  fi
  # Python venv with jeepney for the fake notification server.
  if ! "$E2E_DIR/.venv/bin/python" -c 'import jeepney' >/dev/null 2>&1; then
    say "creating e2e/.venv with jeepney (pip)"
    rm -rf "$E2E_DIR/.venv"
    python3 -m venv "$E2E_DIR/.venv" && "$E2E_DIR/.venv/bin/python" -m pip install --quiet jeepney ||
      die "could not install jeepney into e2e/.venv"
  fi

  rm -rf "$OUT_DIR"
  mkdir -p "$OUT_DIR"
  export LOKET_E2E_START_NS=$START_NS
  # On Ctrl-C or TERM, ask the inner script to clean up (it writes its PID here) and wait for it.
  export LOKET_E2E_INNER_PID_FILE
  LOKET_E2E_INNER_PID_FILE=$(mktemp "${TMPDIR:-/tmp}/loket-e2e-inner.XXXXXX")
  stop_inner() {
    trap '' INT TERM
    local inner
    inner=$(cat "$LOKET_E2E_INNER_PID_FILE" 2>/dev/null)
    [ -z "$inner" ] || kill -TERM "$inner" 2>/dev/null
  }
  trap stop_inner INT TERM
  # The bus daemon's complaint about the fd limit (as root in a container) is noise.
  dbus-run-session --config-file="$E2E_DIR/lib/dbus-session.conf" -- \
    bash "${BASH_SOURCE[0]}" --inside-session "$@" 2> >(
      trap '' INT TERM # outlive a Ctrl-C: the cleanup still has things to say
      exec grep -v --line-buffered "Failed to set fd limit" >&2
    ) &
  bus_pid=$!
  wait "$bus_pid"
  rc=$?
  # `wait` returns early when a signal arrives: then wait for the cleanup to finish.
  while kill -0 "$bus_pid" 2>/dev/null; do wait "$bus_pid"; rc=$?; done
  rm -f "$LOKET_E2E_INNER_PID_FILE"
  wait # for the stderr filter
  exit "$rc"
fi
shift # --inside-session

# ---------------------------------------------------------------------------------------------
# Inside the private D-Bus session.
[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || die "no D-Bus session (dbus-run-session did not set DBUS_SESSION_BUS_ADDRESS)"
[ -z "${LOKET_E2E_INNER_PID_FILE:-}" ] || echo $$ >"$LOKET_E2E_INNER_PID_FILE"

RUN_TMP=$(mktemp -d "${TMPDIR:-/tmp}/loket-e2e.XXXXXX")
export XDG_DATA_HOME=$RUN_TMP/xdg/data XDG_CONFIG_HOME=$RUN_TMP/xdg/config XDG_CACHE_HOME=$RUN_TMP/xdg/cache
export XDG_RUNTIME_DIR=$RUN_TMP/xdg/runtime
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
export NO_AT_BRIDGE=1          # no accessibility bus: GTK would try to start it through D-Bus
export GSETTINGS_BACKEND=memory
export NO_COLOR=1              # plain app logs in tauri-driver.log
export LOKET_DEMO=0            # each test starts on its own empty database; demo tests pass --demo
export LOKET_E2E_TMP=$RUN_TMP LOKET_E2E_OUT=$OUT_DIR
export LOKET_E2E_NOTIFY_LOG=$RUN_TMP/notifications.jsonl

XVFB_PID="" NOTIFY_PID="" DRIVER_PID="" NODE_PID="" RESULT_LINE=""

alive() { # PID [group]: true while the process (or a non-zombie of its process group) lives
  if [ "${2:-}" = group ]; then
    ps -o stat= -g "$1" 2>/dev/null | grep -qv '^Z'
  else
    kill -0 "$1" 2>/dev/null
  fi
}
stop_pid() { # PID [group]: TERM, up to 3 s, then KILL
  local pid=$1 target=$1
  [ -n "$pid" ] || return 0
  [ "${2:-}" = group ] && target="-$pid"
  kill -TERM -- "$target" 2>/dev/null || return 0
  for _ in $(seq 30); do
    alive "$pid" "${2:-}" || return 0
    sleep 0.1
  done
  kill -KILL -- "$target" 2>/dev/null || true
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  trap '' PIPE # a closed stderr must not stop the cleanup half-way
  if [ -n "$DRIVER_PID" ]; then
    # tauri-driver runs in its own session with WebKitWebDriver and every app it launched. A
    # closed WebDriver session ends its app within ~0.1 s (its WebKit helpers follow within ~3 s
    # and are not waited for): an app still running after 2 s is a test that did not close its
    # window, worth knowing about.
    local left="" _
    for _ in $(seq 20); do
      left=$(ps -o pid=,stat=,args= -s "$DRIVER_PID" 2>/dev/null | awk '$2 !~ /^Z/' | grep -F "$LOKET_APP" || true)
      [ -n "$left" ] || break
      sleep 0.1
    done
    [ -z "$left" ] || say "app processes left running after the tests (killed now):"$'\n'"$left"
  fi
  stop_pid "$NODE_PID" group # only when interrupted: the test runner and its spec processes
  stop_pid "$DRIVER_PID" group
  stop_pid "$NOTIFY_PID"
  stop_pid "$XVFB_PID"
  if [ -d "$XDG_DATA_HOME/id.loket.desk/logs" ]; then
    mkdir -p "$OUT_DIR/app-logs" && cp -r "$XDG_DATA_HOME/id.loket.desk/logs/." "$OUT_DIR/app-logs/"
  fi
  [ -f "$LOKET_E2E_NOTIFY_LOG" ] && cp "$LOKET_E2E_NOTIFY_LOG" "$OUT_DIR/notifications.jsonl"
  if [ "${LOKET_E2E_KEEP:-0}" = 1 ]; then say "kept $RUN_TMP"; else rm -rf "$RUN_TMP"; fi
  [ -z "$RESULT_LINE" ] || echo "$RESULT_LINE" # last, after every diagnostic
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_for() { # SECONDS DESCRIPTION COMMAND...: poll every 0.1 s
  local secs=$1 what=$2
  shift 2
  for _ in $(seq $((secs * 10))); do
    "$@" && return 0
    sleep 0.1
  done
  say "timed out after ${secs}s waiting for $what"
  return 1
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
line_in() { [ -s "$1" ] && grep -q . "$1"; }

# 1. X server on a free display (Xvfb picks it and writes the number to fd 3).
# In its own session: an X server acts on Ctrl-C itself, and the app must not lose its display
# before the cleanup closes it.
setsid Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp 3>"$RUN_TMP/display" >"$OUT_DIR/xvfb.log" 2>&1 &
XVFB_PID=$!
wait_for 15 "Xvfb to choose a display" line_in "$RUN_TMP/display" || exit 1
export DISPLAY=":$(head -n1 "$RUN_TMP/display" | tr -d '[:space:]')"

# 2. The fake notification server, before the app, so every Notify call lands in its log.
"$E2E_DIR/.venv/bin/python" "$E2E_DIR/lib/notify_server.py" "$LOKET_E2E_NOTIFY_LOG" "$RUN_TMP/notify.ready" \
  >"$OUT_DIR/notify-server.log" 2>&1 &
NOTIFY_PID=$!
wait_for 15 "the fake notification server to own org.freedesktop.Notifications" line_in "$RUN_TMP/notify.ready" || {
  cat "$OUT_DIR/notify-server.log" >&2
  exit 1
}

# 3. tauri-driver (and through it WebKitWebDriver) on two free ports, in its own process group.
# Ports come from below the kernel's ephemeral range, so that no outgoing connection of another
# program takes one between the check and the bind; a failed start is retried on other ports.
free_ports() {
  python3 -c '
import random, socket
lo = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
found = []
while len(found) < 2:
    port = random.randrange(20000, min(lo, 32000) if lo > 21000 else 32000)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    if port not in found:
        found.append(port)
print(*found)'
}
start_driver() {
  local attempt _
  for attempt in 1 2 3; do
    read -r DRIVER_PORT NATIVE_PORT < <(free_ports)
    echo "--- attempt $attempt: --port $DRIVER_PORT --native-port $NATIVE_PORT" >>"$OUT_DIR/tauri-driver.log"
    setsid "$TAURI_DRIVER" --port "$DRIVER_PORT" --native-port "$NATIVE_PORT" >>"$OUT_DIR/tauri-driver.log" 2>&1 &
    DRIVER_PID=$!
    for _ in $(seq 200); do
      alive "$DRIVER_PID" || break
      port_open "$DRIVER_PORT" && port_open "$NATIVE_PORT" && return 0
      sleep 0.1
    done
    say "tauri-driver did not start on ports $DRIVER_PORT/$NATIVE_PORT (attempt $attempt):"
    tail -n 5 "$OUT_DIR/tauri-driver.log" >&2
    stop_pid "$DRIVER_PID" group
    DRIVER_PID=""
  done
  return 1
}
start_driver || exit 1
export LOKET_E2E_DRIVER_PORT=$DRIVER_PORT
say "DISPLAY=$DISPLAY, tauri-driver :$DRIVER_PORT (native :$NATIVE_PORT), app $LOKET_APP"

# 4. The tests, one spec file at a time (each opens its own window).
cd "$E2E_DIR"
if [ $# -gt 0 ]; then specs=("$@"); else specs=(tests/*.test.mjs); fi
# In the background and in its own process group, so that a signal runs the EXIT trap at once
# and the trap can stop the runner together with the spec processes it started.
setsid node --test --test-concurrency=1 --test-timeout=120000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$OUT_DIR/results.tap" \
  "${specs[@]}" &
NODE_PID=$!
wait "$NODE_PID"
node_rc=$?
NODE_PID=""

count() { sed -n "s/^# $1 \([0-9][0-9]*\)$/\1/p" "$OUT_DIR/results.tap" 2>/dev/null | tail -n1; }
passed=$(count pass) failed=$(count fail) cancelled=$(count cancelled) skipped=$(count skipped) todo=$(count todo)
passed=${passed:-0} failed=$((${failed:-0} + ${cancelled:-0})) skipped=${skipped:-0} todo=${todo:-0}
if [ "$node_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  say "node --test exited with $node_rc without a failed test: counting it as one failure"
  failed=1
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  say "no test ran"
  failed=1
fi
elapsed_ms=$((($(date +%s%N) - ${LOKET_E2E_START_NS:-$(date +%s%N)}) / 1000000))
say "screenshots and logs in $OUT_DIR; total $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000)))s"
RESULT_LINE="$passed passed, $failed failed"
[ "$skipped" -eq 0 ] || RESULT_LINE+=", $skipped skipped"
[ "$todo" -eq 0 ] || RESULT_LINE+=", $todo todo (known bugs, not counted as failures)"
[ "$failed" -eq 0 ] # the EXIT trap cleans up and prints RESULT_LINE
