// The Pengaturan form: which settings exist, how they are labelled, and how a `Settings` value
// becomes the strings the clerk edits. The backend validates every value; nothing is checked here.

import { formatRatioBp } from "./format";
import type { Poli, Settings } from "./ipc";

/** Keys sent to `set_setting` as one text input each (`polis` has its own table). */
export type ScalarKey =
  | "hospital_name"
  | "kode_ppk"
  | "desk_id"
  | "clerk"
  | "nonjkn_ratio"
  | "minutes_per_patient"
  | "weight_emergency"
  | "weight_paid"
  | "weight_follow_up"
  | "weight_walk_in"
  | "weight_online"
  | "schedule_refresh_time"
  | "printer_device"
  | "printer_paper"
  | "poli_nonjkn_ratio"
  | "poli_minutes_per_patient"
  | "quota_alert_threshold"
  | "spm_dm_codes"
  | "spm_ht_codes"
  | "spm_targets";

export type SettingKey = ScalarKey | "polis";

export type FieldDef = {
  key: ScalarKey;
  label: string;
  hint?: string;
  placeholder?: string;
  inputmode?: "text" | "numeric" | "decimal";
  maxlength?: number;
  /** A fixed choice: rendered as a `<select>` with the same id and name. */
  options?: { value: string; label: string }[];
};

export type Section = { id: string; title: string; fields: FieldDef[] };

export const SECTIONS: Section[] = [
  {
    id: "identitas",
    title: "Identitas rumah sakit dan loket",
    fields: [
      { key: "hospital_name", label: "Nama rumah sakit", placeholder: "mis. RSUD Sehat Sentosa" },
      { key: "kode_ppk", label: "Kode PPK", hint: "Kode faskes dari BPJS Kesehatan.", inputmode: "text" },
      { key: "desk_id", label: "ID loket", hint: "Penanda loket ini, mis. L01." },
      { key: "clerk", label: "Petugas jaga", hint: "Nama petugas yang sedang bertugas di loket." },
    ],
  },
  {
    id: "kuota",
    title: "Kuota dan layanan",
    fields: [
      {
        key: "nonjkn_ratio",
        label: "Rasio kuota non-JKN",
        hint: "Angka 0 sampai 1, mis. 0.30 berarti 30% kuota untuk pasien non-JKN.",
        placeholder: "0.30",
        inputmode: "decimal",
      },
      {
        key: "minutes_per_patient",
        label: "Menit per pasien",
        hint: "Perkiraan lama layanan satu pasien, untuk estimasi jam dilayani.",
        inputmode: "numeric",
      },
      {
        key: "schedule_refresh_time",
        label: "Jam pembaruan jadwal dokter",
        hint: "Format JJ:MM (WIB), mis. 05:30.",
        placeholder: "JJ:MM",
        inputmode: "numeric",
        maxlength: 5,
      },
      {
        key: "quota_alert_threshold",
        label: "Peringatan kuota hampir penuh",
        hint: "Peringatan muncul saat kuota terisi sebanyak ini: 0 sampai 1, mis. 0.90 (90%). Isi 0 untuk mematikan.",
        placeholder: "0.90",
        inputmode: "decimal",
      },
      {
        key: "poli_nonjkn_ratio",
        label: "Rasio non-JKN per poli",
        hint: "Pengecualian rasio di atas untuk poli tertentu: KODE=rasio dipisah koma, mis. ANA=0.25, BED=0.40. Kosongkan bila tidak ada.",
        placeholder: "ANA=0.25, BED=0.40",
      },
      {
        key: "poli_minutes_per_patient",
        label: "Menit per pasien per poli",
        hint: "Pengecualian menit per pasien untuk poli tertentu: KODE=menit dipisah koma, mis. ANA=8. Kosongkan bila tidak ada.",
        placeholder: "ANA=8",
      },
    ],
  },
  {
    id: "bobot",
    title: "Bobot urutan antrean",
    fields: [
      { key: "weight_emergency", label: "Bobot gawat darurat", inputmode: "numeric" },
      { key: "weight_paid", label: "Bobot pasien bayar (umum)", inputmode: "numeric" },
      { key: "weight_follow_up", label: "Bobot kontrol ulang", inputmode: "numeric" },
      { key: "weight_walk_in", label: "Bobot datang langsung", inputmode: "numeric" },
      { key: "weight_online", label: "Bobot daftar daring", inputmode: "numeric" },
    ],
  },
  {
    id: "spm",
    title: "Laporan SPM",
    fields: [
      {
        key: "spm_dm_codes",
        label: "Kode ICD-10 program DM",
        hint: "Diagnosis yang dihitung sebagai diabetes melitus: kode atau rentang dipisah koma, mis. E10-E14.",
        placeholder: "E10-E14",
      },
      {
        key: "spm_ht_codes",
        label: "Kode ICD-10 program HT",
        hint: "Diagnosis yang dihitung sebagai hipertensi: kode atau rentang dipisah koma, mis. I10-I15.",
        placeholder: "I10-I15",
      },
      {
        key: "spm_targets",
        label: "Target tahunan SPM",
        hint: "Jumlah pasien sasaran per program dan tahun: program:tahun=jumlah, mis. dm:2026=1200, ht:2026=3400. Dasar persentase di Laporan.",
        placeholder: "dm:2026=1200, ht:2026=3400",
      },
    ],
  },
  {
    id: "printer",
    title: "Printer karcis antrean",
    fields: [
      {
        key: "printer_device",
        label: "Printer karcis",
        hint: "Path absolut printer ESC/POS (mis. /dev/usb/lp0) atau file. Kosongkan bila tidak ada printer: karcis tetap bisa dicetak lewat dialog cetak.",
        placeholder: "/dev/usb/lp0",
      },
      {
        key: "printer_paper",
        label: "Lebar kertas karcis",
        hint: "Lebar kertas struk di printer.",
        options: [
          { value: "58", label: "58 mm" },
          { value: "80", label: "80 mm" },
        ],
      },
    ],
  },
];

export function draftsFrom(s: Settings): Record<ScalarKey, string> {
  return {
    hospital_name: s.hospital_name,
    kode_ppk: s.kode_ppk,
    desk_id: s.desk_id,
    clerk: s.clerk,
    nonjkn_ratio: formatRatioBp(s.nonjkn_ratio_bp),
    minutes_per_patient: String(s.minutes_per_patient),
    weight_emergency: String(s.weight_emergency),
    weight_paid: String(s.weight_paid),
    weight_follow_up: String(s.weight_follow_up),
    weight_walk_in: String(s.weight_walk_in),
    weight_online: String(s.weight_online),
    schedule_refresh_time: s.schedule_refresh_time,
    printer_device: s.printer_device,
    printer_paper: s.printer_paper,
    poli_nonjkn_ratio: mapValue(s.poli_nonjkn_ratio_bp, formatRatioBp),
    poli_minutes_per_patient: mapValue(s.poli_minutes_per_patient, String),
    quota_alert_threshold: formatRatioBp(s.quota_alert_threshold_bp),
    spm_dm_codes: s.spm_dm_codes,
    spm_ht_codes: s.spm_ht_codes,
    spm_targets: mapValue(s.spm_targets, String),
  };
}

/** A keyed map as the backend writes it back: `ANA=0.25, BED=0.40`, keys in order. */
export function mapValue(map: Readonly<Record<string, number>>, format: (v: number) => string): string {
  return Object.keys(map)
    .sort()
    .map((k) => `${k}=${format(map[k])}`)
    .join(", ");
}

/** The `polis` value for `set_setting`: trimmed rows, fully blank rows dropped, as a JSON array string. */
export function polisValue(rows: readonly Poli[]): string {
  const clean = rows
    .map((r) => ({ kode: r.kode.trim(), nama: r.nama.trim() }))
    .filter((r) => r.kode !== "" || r.nama !== "");
  return JSON.stringify(clean);
}

export type FieldStatus =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved" }
  | { kind: "error"; message: string };

/** How long "Tersimpan" stays next to a field after its save. */
export const SAVED_NOTICE_MS = 8000;
export const IDLE: FieldStatus = { kind: "idle" };

/**
 * The save status of each field in `statuses` (a $state record, changed in place): `set` shows a
 * status, and a "saved" one goes back to idle after SAVED_NOTICE_MS unless the field has had
 * another status since; `stop` drops the timeouts still pending (call it when the component goes).
 */
export function fieldStatuses<K extends string>(statuses: Partial<Record<K, FieldStatus>>) {
  // Not reactive on purpose: only the timeouts that clear "Tersimpan".
  const timers: Partial<Record<K, ReturnType<typeof setTimeout>>> = {};
  return {
    set(key: K, status: FieldStatus) {
      clearTimeout(timers[key]);
      statuses[key] = status;
      if (status.kind === "saved") {
        timers[key] = setTimeout(() => {
          if (statuses[key]?.kind === "saved") statuses[key] = IDLE;
        }, SAVED_NOTICE_MS);
      }
    },
    stop() {
      Object.values<ReturnType<typeof setTimeout> | undefined>(timers).forEach((t) => clearTimeout(t));
    },
  };
}
