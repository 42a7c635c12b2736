#!/usr/bin/env bash
# The machine-checkable Architecture Invariants of ARCHITECTURE.md. Exits non-zero on a breach.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
say() { printf '%s\n' "$*"; }

# 1. core depends on no IO crate (normal and build dependencies, transitively).
forbidden='^(rusqlite|reqwest|tokio|tauri|hyper|axum|refinery|keyring)$'
core_deps=$(cargo tree -p loket-core -e normal,build --prefix none --format '{p}' --offline 2>/dev/null || cargo tree -p loket-core -e normal,build --prefix none --format '{p}')
bad=$(printf '%s\n' "$core_deps" | awk '{print $1}' | grep -E "$forbidden" | sort -u || true)
if [ -n "$bad" ]; then
  say "INVARIANT BROKEN: loket-core depends on IO crates: $(echo $bad)"; fail=1
else
  say "ok: loket-core depends on no IO crate (rusqlite, reqwest, tokio, tauri, ...)"
fi

# 2. Only the app package depends on tauri.
members=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print("\n".join(p["name"] for p in json.load(sys.stdin)["packages"]))')
for m in $members; do
  [ "$m" = "loket-desk" ] && continue
  if cargo tree -p "$m" -e normal,build --prefix none --format '{p}' | awk '{print $1}' | grep -qE '^tauri(-.*)?$'; then
    say "INVARIANT BROKEN: $m depends on tauri (only loket-desk may)"; fail=1
  fi
done
[ $fail -eq 0 ] && say "ok: only loket-desk depends on tauri"

# 3. core performs no IO and reads no clock or environment.
if grep -rnE 'std::(fs|net|process|env)\b|Utc::now|Local::now|SystemTime::now|Instant::now' crates/core/src; then
  say "INVARIANT BROKEN: crates/core must not touch files, network, processes, the environment or the clock"; fail=1
else
  say "ok: crates/core has no IO, environment or clock access"
fi

# 4. The event log, the settings history and the balance ledger are append-only in the schema;
#    outbox items are never deleted.
for t in opd_events settings_changes balance_ledger; do
  for op in UPDATE DELETE; do
    if ! grep -qE "BEFORE $op ON $t" migrations/*.sql; then
      say "INVARIANT BROKEN: no trigger refusing $op on $t"; fail=1
    fi
  done
done
if ! grep -qE "BEFORE DELETE ON outbox_items" migrations/*.sql; then
  say "INVARIANT BROKEN: no trigger refusing DELETE on outbox_items"; fail=1
fi
[ $fail -eq 0 ] && say "ok: opd_events, settings_changes and balance_ledger refuse UPDATE and DELETE; outbox_items refuse DELETE"

# 5. Components reach Rust only through ui/src/lib/ipc (ESLint also enforces this).
if grep -rnE "from ['\"]@tauri-apps/api/core['\"]" ui/src --include=*.ts --include=*.svelte | grep -v '^ui/src/lib/ipc/'; then
  say "INVARIANT BROKEN: only ui/src/lib/ipc may import @tauri-apps/api/core"; fail=1
fi

exit $fail
