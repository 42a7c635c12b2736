// Pure display helpers. Time is shown in WIB (UTC+7, no daylight saving), whatever the OS zone is.

const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;

function pad2(n: number): string {
  return n.toString().padStart(2, "0");
}

/** "2026-01-19T01:00:00Z" → "19/01/2026 08:00 WIB"; null for an unparseable instant. */
export function formatWib(iso: string): string | null {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms + WIB_OFFSET_MS);
  const date = `${pad2(d.getUTCDate())}/${pad2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
  return `${date} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())} WIB`;
}

/** Basis points to the decimal string the backend accepts: 3000 → "0.30", 3333 → "0.3333", 10000 → "1.00". */
export function formatRatioBp(bp: number): string {
  const whole = Math.trunc(bp / 10000);
  let frac = Math.abs(bp % 10000)
    .toString()
    .padStart(4, "0");
  while (frac.length > 2 && frac.endsWith("0")) frac = frac.slice(0, -1);
  return `${whole}.${frac}`;
}
