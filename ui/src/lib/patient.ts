// What BPJS needs about a patient (card, NIK, phone, visit type, referral, new patient), as the
// clerk types it. Mirrors the Rust rules (crates/core/src/patient.rs): the same tidying, the same
// format checks and the same "missing for BPJS" per jenis, so the desk can say so before sending.
// Every field is optional: a token is issued without them and its BPJS item waits.

import type { Jenis, PatientDetails, StoredPatientDetails } from "./ipc";

/** What the clerk typed, before tidying. `jeniskunjungan` is the select's value ("" = not chosen). */
export type PatientDraft = {
  nomorkartu: string;
  nik: string;
  nohp: string;
  jeniskunjungan: string;
  nomorreferensi: string;
  pasien_baru: boolean;
};

export type PatientField = "nomorkartu" | "nik" | "nohp" | "jeniskunjungan" | "nomorreferensi";

export const NOMORKARTU_LEN = 13;
export const NIK_LEN = 16;
export const NOHP_MIN = 9;
export const NOHP_MAX = 15;
export const NOMORREFERENSI_MAX = 40;

/** The clerk's name of each field (the same words Rust uses for what is missing). */
export const FIELD_LABEL: Record<PatientField, string> = {
  nomorkartu: "Nomor kartu BPJS",
  nik: "NIK",
  nohp: "Nomor HP",
  jeniskunjungan: "Jenis kunjungan",
  nomorreferensi: "Nomor rujukan/surat kontrol",
};

/** `jeniskunjungan` values BPJS knows, in select order. */
export const JENIS_KUNJUNGAN: readonly { value: number; label: string }[] = [
  { value: 1, label: "Rujukan FKTP" },
  { value: 2, label: "Rujukan internal" },
  { value: 3, label: "Kontrol" },
  { value: 4, label: "Rujukan antar RS" },
];

/** The fields BPJS needs for a patient of this jenis, in form order. */
export function fieldsFor(jenis: Jenis): PatientField[] {
  return jenis === "jkn" ? ["nomorkartu", "nik", "nohp", "jeniskunjungan", "nomorreferensi"] : ["nik", "nohp"];
}

export function emptyDraft(): PatientDraft {
  return { nomorkartu: "", nik: "", nohp: "", jeniskunjungan: "", nomorreferensi: "", pasien_baru: false };
}

/** The draft showing what is stored for a token (`opd_token_patient`): absent fields blank. */
export function draftFrom(d: StoredPatientDetails): PatientDraft {
  return {
    nomorkartu: d.nomorkartu ?? "",
    nik: d.nik ?? "",
    nohp: d.nohp ?? "",
    jeniskunjungan: d.jeniskunjungan != null ? String(d.jeniskunjungan) : "",
    nomorreferensi: d.nomorreferensi ?? "",
    pasien_baru: d.pasien_baru,
  };
}

/** True when nothing was typed or chosen. */
export function isEmptyDraft(d: PatientDraft): boolean {
  const e = emptyDraft();
  return (Object.keys(e) as (keyof PatientDraft)[]).every((k) => d[k] === e[k]);
}

/** Trimmed, with the separators people type inside numbers removed; "" when blank. */
function strip(s: string, drop: RegExp): string {
  return s.trim().replace(drop, "");
}

/** The tidied value of a text field, exactly as Rust's `PatientDetails::normalized` makes it. */
export function tidy(field: Exclude<PatientField, "jeniskunjungan">, raw: string): string {
  switch (field) {
    case "nomorkartu":
    case "nik":
      return strip(raw, /[ .-]/g);
    case "nohp":
      return strip(raw, /[ .\-()]/g);
    case "nomorreferensi":
      return raw.trim().toUpperCase();
  }
}

function digitsOnly(s: string): boolean {
  return /^\d+$/.test(s);
}

function nohpOk(s: string): boolean {
  let rest = s;
  if (s.startsWith("+")) {
    rest = s.slice(1);
    if (!rest.startsWith("62")) return false;
  }
  return digitsOnly(rest) && rest.length >= NOHP_MIN && rest.length <= NOHP_MAX;
}

function referensiOk(s: string): boolean {
  return s.length > 0 && s.length <= NOMORREFERENSI_MAX && /^[A-Za-z0-9./_-]+$/.test(s);
}

function fixedDigitsError(label: string, len: number, v: string): string | null {
  if (!digitsOnly(v)) return `${label} harus ${len} angka, tanpa huruf atau tanda lain.`;
  if (v.length !== len) return `${label} harus ${len} angka; yang terisi ${v.length} angka.`;
  return null;
}

/** Why a filled field is not valid (in Bahasa Indonesia, naming the field, never its value); null when fine or blank. */
export function fieldError(field: PatientField, draft: PatientDraft): string | null {
  if (field === "jeniskunjungan") {
    const v = draft.jeniskunjungan;
    if (v === "") return null;
    return JENIS_KUNJUNGAN.some((j) => String(j.value) === v)
      ? null
      : "Jenis kunjungan harus 1 (rujukan FKTP), 2 (rujukan internal), 3 (kontrol) atau 4 (rujukan antar RS).";
  }
  const v = tidy(field, draft[field]);
  if (v === "") return null;
  switch (field) {
    case "nomorkartu":
      return fixedDigitsError("Nomor kartu BPJS", NOMORKARTU_LEN, v);
    case "nik":
      return fixedDigitsError("NIK", NIK_LEN, v);
    case "nohp":
      return nohpOk(v) ? null : "Nomor HP tidak valid: isi 9–15 angka, boleh diawali 0, 62 atau +62 (spasi dan tanda - boleh).";
    case "nomorreferensi":
      return referensiOk(v)
        ? null
        : "Nomor rujukan/surat kontrol tidak valid: hanya huruf, angka, '-', '.', '/' atau '_', paling panjang 40 karakter.";
  }
}

/** The format errors of the fields shown for this jenis (hidden fields are not sent, so not judged). */
export function draftErrors(draft: PatientDraft, jenis: Jenis): Partial<Record<PatientField, string>> {
  const out: Partial<Record<PatientField, string>> = {};
  for (const f of fieldsFor(jenis)) {
    const e = fieldError(f, draft);
    if (e) out[f] = e;
  }
  return out;
}

/** Labels of what BPJS still lacks for this jenis: blank or malformed fields count as missing. */
export function missingLabels(draft: PatientDraft, jenis: Jenis): string[] {
  return fieldsFor(jenis)
    .filter((f) => (f === "jeniskunjungan" ? draft.jeniskunjungan === "" : tidy(f, draft[f]) === "") || fieldError(f, draft) !== null)
    .map((f) => FIELD_LABEL[f]);
}

/**
 * The details to send, tidied; fields not shown for this jenis are sent empty. `norm` stays null:
 * the backend takes the token's No. RM.
 */
export function toDetails(draft: PatientDraft, jenis: Jenis): PatientDetails {
  const shown = new Set(fieldsFor(jenis));
  const text = (f: Exclude<PatientField, "jeniskunjungan">) => (shown.has(f) ? tidy(f, draft[f]) || null : null);
  return {
    nomorkartu: text("nomorkartu"),
    nik: text("nik"),
    nohp: text("nohp"),
    jeniskunjungan: shown.has("jeniskunjungan") && draft.jeniskunjungan !== "" ? Number(draft.jeniskunjungan) : null,
    nomorreferensi: text("nomorreferensi"),
    pasien_baru: draft.pasien_baru,
    norm: null,
  };
}
