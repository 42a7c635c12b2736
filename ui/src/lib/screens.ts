// The six screens and their keyboard shortcuts (Alt+1 … Alt+6).

export type ScreenId = "antrean" | "kuota" | "saldo" | "laporan" | "sinkronisasi" | "pengaturan";

export type Screen = { id: ScreenId; label: string; key: string };

export const SCREENS: readonly Screen[] = [
  { id: "antrean", label: "Antrean", key: "1" },
  { id: "kuota", label: "Kuota", key: "2" },
  { id: "saldo", label: "Saldo", key: "3" },
  { id: "laporan", label: "Laporan", key: "4" },
  { id: "sinkronisasi", label: "Sinkronisasi", key: "5" },
  { id: "pengaturan", label: "Pengaturan", key: "6" },
];

/** The screen an Alt+digit key press asks for, or null. Reads `code` too: some layouts change `key` under Alt. */
export function screenForShortcut(e: Pick<KeyboardEvent, "altKey" | "ctrlKey" | "metaKey" | "shiftKey" | "key" | "code">): ScreenId | null {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return null;
  const digit = /^Digit([1-9])$/.exec(e.code)?.[1] ?? /^Numpad([1-9])$/.exec(e.code)?.[1] ?? e.key;
  return SCREENS.find((s) => s.key === digit)?.id ?? null;
}
