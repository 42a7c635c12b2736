// The Antrean screen's vocabulary: Indonesian labels for the queue's codes, which actions a token
// allows in each status, and small pure helpers. The backend decides everything; this only words it.

import type { Jenis, Poli, SlotView, Source, Status, TokenAction, TokenView } from "./ipc";

export const STATUS_LABEL: Record<Status, string> = {
  confirmed: "Terkonfirmasi",
  waitlisted: "Daftar tunggu",
  in_progress: "Dilayani",
  completed: "Selesai",
  cancelled: "Batal",
  no_show: "Tidak hadir",
};

export const SOURCE_LABEL: Record<Source, string> = {
  online: "Online",
  walk_in: "Datang langsung",
  follow_up: "Kontrol",
  emergency: "Gawat darurat",
};

/** The order the issue form offers sources in (walk-in first: it is the default at the desk). */
export const SOURCES: readonly Source[] = ["walk_in", "online", "follow_up", "emergency"];

export const JENIS_LABEL: Record<Jenis, string> = {
  jkn: "JKN",
  non_jkn: "Non-JKN",
};

export const ACTION_LABEL: Record<TokenAction, string> = {
  call: "Panggil",
  complete: "Selesai",
  no_show: "Tidak hadir",
  cancel: "Batal",
};

/** The state-changing actions a token in `status` offers, in button order. Reprint is always offered too. */
export function actionsFor(status: Status): TokenAction[] {
  switch (status) {
    case "confirmed":
      return ["call", "no_show", "cancel"];
    case "waitlisted":
      return ["cancel"];
    case "in_progress":
      return ["complete"];
    default:
      return [];
  }
}

/** Actions that cannot be undone and so ask the clerk first. */
export function needsConfirmation(action: TokenAction): action is "cancel" | "no_show" {
  return action === "cancel" || action === "no_show";
}

/** Finished tokens (shown dimmed at the end of their slot). */
export function isDone(status: Status): boolean {
  return status === "completed" || status === "cancelled" || status === "no_show";
}

/** "#1" for a confirmed token, "tunggu #2" for a waitlisted one, "" otherwise. */
export function positionLabel(t: Pick<TokenView, "position" | "waitlist_position">): string {
  if (t.position != null) return `#${t.position}`;
  if (t.waitlist_position != null) return `tunggu #${t.waitlist_position}`;
  return "";
}

/** "RM 001234 · Budi Santoso", either part alone, or "" when the token names nobody. */
export function patientLabel(t: Pick<TokenView, "norm" | "name">): string {
  const parts: string[] = [];
  if (t.norm) parts.push(`RM ${t.norm}`);
  if (t.name) parts.push(t.name);
  return parts.join(" · ");
}

export function slotTimeLabel(slot: Pick<SlotView, "start_label" | "end_label">): string {
  return `${slot.start_label}–${slot.end_label}`;
}

/** "08:00–09:00 · 3/4 terisi · 2 menunggu". */
export function slotHeader(slot: Pick<SlotView, "start_label" | "end_label" | "occupied" | "capacity" | "waitlisted">): string {
  return `${slotTimeLabel(slot)} · ${slot.occupied}/${slot.capacity} terisi · ${slot.waitlisted} menunggu`;
}

/** "Anak (ANA)" when the poli is in the settings' list, else the bare code. */
export function poliLabel(code: string, polis: readonly Poli[]): string {
  const p = polis.find((x) => x.kode === code);
  return p && p.nama ? `${p.nama} (${code})` : code;
}

/** A whole number typed by the clerk ("  12 " → 12), or null when it is not one. */
export function parseWholeNumber(s: string): number | null {
  const t = s.trim();
  if (!/^\d{1,6}$/.test(t)) return null;
  return Number(t);
}

/** Where a typed letter belongs to the field, not to a screen shortcut. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !["checkbox", "radio", "button", "submit", "reset", "range", "color", "file", "image"].includes(target.type);
  }
  return false;
}

/** A form's keydown handler: Enter submits from every field (radios, checkbox and selects too), not only from text inputs; a button or text area keeps its own Enter. */
export function submitOnEnter(e: KeyboardEvent, form: HTMLFormElement) {
  if (e.key !== "Enter" || e.isComposing) return;
  const t = e.target as HTMLElement | null;
  if (t instanceof HTMLButtonElement || t instanceof HTMLTextAreaElement) return;
  e.preventDefault();
  form.requestSubmit();
}
