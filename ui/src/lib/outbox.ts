// The BPJS outbox in the clerk's words: item states, the filter of the Sinkronisasi screen and
// the report of a run. The backend decides everything; this only words it.

import type { OutboxItemView, RunReport } from "./ipc";

/** How many items the Sinkronisasi screen asks for (unsent first, so what needs attention is always in). */
export const OUTBOX_LIMIT = 200;

/** The states the backend reports (`OutboxItemView.state`). */
export type OutboxState = "pending" | "incomplete" | "sent" | "failed";

export const OUTBOX_STATES: readonly OutboxState[] = ["pending", "incomplete", "sent", "failed"];

export const OUTBOX_STATE_LABEL: Record<OutboxState, string> = {
  pending: "Menunggu",
  incomplete: "Data kurang",
  sent: "Terkirim",
  failed: "Gagal",
};

/** A state this UI knows, or null for one it does not (shown as the raw word, never hidden). */
export function outboxState(s: string): OutboxState | null {
  return (OUTBOX_STATES as readonly string[]).includes(s) ? (s as OutboxState) : null;
}

export function outboxStateLabel(s: string): string {
  const known = outboxState(s);
  return known ? OUTBOX_STATE_LABEL[known] : s;
}

export type OutboxFilter = "all" | "unsent" | "failed";

export const OUTBOX_FILTERS: readonly { id: OutboxFilter; label: string }[] = [
  { id: "all", label: "Semua" },
  { id: "unsent", label: "Belum terkirim" },
  { id: "failed", label: "Gagal" },
];

/** "Belum terkirim" is everything not sent yet (waiting, incomplete or refused). */
export function filterItems(items: readonly OutboxItemView[], filter: OutboxFilter): OutboxItemView[] {
  switch (filter) {
    case "all":
      return [...items];
    case "unsent":
      return items.filter((i) => i.state !== "sent");
    case "failed":
      return items.filter((i) => i.state === "failed");
  }
}

/**
 * "3 dikirim: 1 diterima, 1 dicoba lagi nanti, 1 ditolak", or why nothing went out: with items
 * still waiting (`pending`), they are not due yet or BPJS credentials are missing (the worker then
 * sends nothing and says so only in its log).
 */
export function runReportText(r: RunReport, pending = 0): string {
  if (r.attempted > 0) return `${r.attempted} dikirim: ${r.sent} diterima, ${r.retry_later} dicoba lagi nanti, ${r.failed} ditolak.`;
  if (pending > 0) {
    return "Tidak ada yang dikirim: item yang menunggu belum waktunya dicoba lagi, atau kredensial BPJS belum diatur (Pengaturan, Alt+6).";
  }
  return "Tidak ada yang perlu dikirim sekarang.";
}
