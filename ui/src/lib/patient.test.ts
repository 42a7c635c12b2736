import { describe, expect, it } from "vitest";
import { draftErrors, draftFrom, emptyDraft, fieldError, isEmptyDraft, missingLabels, tidy, toDetails, type PatientDraft } from "./patient";

const draft = (over: Partial<PatientDraft> = {}): PatientDraft => ({ ...emptyDraft(), ...over });

const COMPLETE: PatientDraft = {
  nomorkartu: "0001234567890",
  nik: "3174012345678901",
  nohp: "081234567890",
  jeniskunjungan: "1",
  nomorreferensi: "0301R0011117B000003",
  pasien_baru: false,
};

describe("patient details: tidying as Rust does", () => {
  it("strips the separators people type inside numbers and upper-cases referrals", () => {
    expect(tidy("nomorkartu", " 0001 2345 67890 ")).toBe("0001234567890");
    expect(tidy("nik", "3174-0123-4567-8901")).toBe("3174012345678901");
    expect(tidy("nik", "3174.0123.4567.8901")).toBe("3174012345678901");
    expect(tidy("nohp", "(0812) 3456-7890")).toBe("081234567890");
    expect(tidy("nohp", "+62 812 3456 7890")).toBe("+6281234567890");
    expect(tidy("nomorreferensi", " 0301r0011023k000001 ")).toBe("0301R0011023K000001");
    expect(tidy("nik", " - ")).toBe("");
  });
});

describe("patient details: format checks", () => {
  it("accepts complete, tidy-able details and blank fields", () => {
    expect(draftErrors(COMPLETE, "jkn")).toEqual({});
    expect(draftErrors(draft({ nomorkartu: "0001 2345 67890", nik: "3174-0123-4567-8901", nohp: "0812-3456-7890" }), "jkn")).toEqual({});
    expect(draftErrors(emptyDraft(), "jkn")).toEqual({});
  });

  it("says what a card number and a NIK must be, naming the field and not the value", () => {
    expect(fieldError("nomorkartu", draft({ nomorkartu: "000123456789" }))).toBe("Nomor kartu BPJS harus 13 angka; yang terisi 12 angka.");
    expect(fieldError("nomorkartu", draft({ nomorkartu: "000123456789A" }))).toBe(
      "Nomor kartu BPJS harus 13 angka, tanpa huruf atau tanda lain.",
    );
    expect(fieldError("nik", draft({ nik: "31740123456789012" }))).toBe("NIK harus 16 angka; yang terisi 17 angka.");
    expect(fieldError("nik", draft({ nik: "3174O12345678901" }))).toBe("NIK harus 16 angka, tanpa huruf atau tanda lain.");
  });

  it("checks phones: 9–15 digits, optionally 0, 62 or +62 first", () => {
    for (const ok of ["081234567890", "6281234567890", "+6281234567890", "0211234567", "812345678", "081234567890123", "0812 3456 7890"]) {
      expect(fieldError("nohp", draft({ nohp: ok })), ok).toBeNull();
    }
    for (const bad of ["08123456", "0812345678901234", "+081234567890", "+1234567890", "08123456789a", "++6281234567"]) {
      expect(fieldError("nohp", draft({ nohp: bad })), bad).toBe(
        "Nomor HP tidak valid: isi 9–15 angka, boleh diawali 0, 62 atau +62 (spasi dan tanda - boleh).",
      );
    }
  });

  it("checks referral numbers: letters, digits, - . / _, at most 40", () => {
    expect(fieldError("nomorreferensi", draft({ nomorreferensi: "0301/R.001_23-K" }))).toBeNull();
    expect(fieldError("nomorreferensi", draft({ nomorreferensi: "A".repeat(40) }))).toBeNull();
    const msg = "Nomor rujukan/surat kontrol tidak valid: hanya huruf, angka, '-', '.', '/' atau '_', paling panjang 40 karakter.";
    expect(fieldError("nomorreferensi", draft({ nomorreferensi: "rujukan #1" }))).toBe(msg);
    expect(fieldError("nomorreferensi", draft({ nomorreferensi: "A".repeat(41) }))).toBe(msg);
  });

  it("judges only the fields shown for the jenis", () => {
    const typed = draft({ nomorkartu: "123", nomorreferensi: "x y", nik: "1" });
    expect(Object.keys(draftErrors(typed, "jkn"))).toEqual(["nomorkartu", "nik", "nomorreferensi"]);
    expect(Object.keys(draftErrors(typed, "non_jkn"))).toEqual(["nik"]);
  });
});

describe("patient details: what BPJS still lacks", () => {
  it("JKN needs card, NIK, phone, visit type and referral; non-JKN NIK and phone", () => {
    expect(missingLabels(emptyDraft(), "jkn")).toEqual(["Nomor kartu BPJS", "NIK", "Nomor HP", "Jenis kunjungan", "Nomor rujukan/surat kontrol"]);
    expect(missingLabels(emptyDraft(), "non_jkn")).toEqual(["NIK", "Nomor HP"]);
    expect(missingLabels(COMPLETE, "jkn")).toEqual([]);
    expect(missingLabels(draft({ nik: COMPLETE.nik, nohp: COMPLETE.nohp }), "non_jkn")).toEqual([]);
    // A malformed field counts as missing.
    expect(missingLabels({ ...COMPLETE, nohp: "0812" }, "jkn")).toEqual(["Nomor HP"]);
  });

  it("sends tidied values, null for blanks and for fields not shown for the jenis", () => {
    expect(toDetails({ ...COMPLETE, nik: "3174 0123 4567 8901", nomorreferensi: " 0301r001 ", pasien_baru: true }, "jkn")).toEqual({
      nomorkartu: "0001234567890",
      nik: "3174012345678901",
      nohp: "081234567890",
      jeniskunjungan: 1,
      nomorreferensi: "0301R001",
      pasien_baru: true,
      norm: null,
    });
    expect(toDetails(COMPLETE, "non_jkn")).toEqual({
      nomorkartu: null,
      nik: "3174012345678901",
      nohp: "081234567890",
      jeniskunjungan: null,
      nomorreferensi: null,
      pasien_baru: false,
      norm: null,
    });
  });
});

describe("patient details: prefill from what is stored", () => {
  it("shows stored fields and leaves absent ones blank", () => {
    expect(
      draftFrom({
        nomorkartu: "0001234567890",
        nik: null,
        nohp: "081234567890",
        jeniskunjungan: 3,
        nomorreferensi: null,
        pasien_baru: true,
        norm: "001234",
      }),
    ).toEqual({ ...emptyDraft(), nomorkartu: "0001234567890", nohp: "081234567890", jeniskunjungan: "3", pasien_baru: true });
  });

  it("knows an untouched draft", () => {
    expect(isEmptyDraft(emptyDraft())).toBe(true);
    expect(isEmptyDraft(draft({ nik: "3" }))).toBe(false);
    expect(isEmptyDraft(draft({ pasien_baru: true }))).toBe(false);
  });
});
