import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import DetailsForm from "./DetailsForm.svelte";
import { fakeBackend, makeToken, NO_PATIENT, reject } from "../../../test/backend";
import type { StoredPatientDetails, TokenDetailsOutcome } from "../../ipc";

const byId = (id: string) => screen.getByTestId(id) as HTMLInputElement;
const text = (id: string) => screen.getByTestId(id).textContent?.replace(/\s+/g, " ").trim();
const fill = (id: string, value: string) => fireEvent.input(byId(id), { target: { value } });

const STORED: StoredPatientDetails = {
  nomorkartu: "0001234567890",
  nik: "3174012345678901",
  nohp: null,
  jeniskunjungan: 3,
  nomorreferensi: null,
  pasien_baru: true,
  norm: "001234",
};

function open(jenis: "jkn" | "non_jkn" = "jkn") {
  const onclose = vi.fn();
  render(DetailsForm, { token: makeToken({ token_id: 102, number: 2, jenis }), onclose });
  return onclose;
}

describe("Lengkapi data BPJS", () => {
  it("prefills the stored details of the token, then sends them with what the clerk added", async () => {
    const backend = fakeBackend({
      opd_token_patient: () => STORED,
      opd_token_details: () => ({ sent_to_bpjs: true, missing: ["Nomor rujukan/surat kontrol"] }) satisfies TokenDetailsOutcome,
    });
    open();
    expect(text("details-prefill")).toBe("Memuat data yang tersimpan…");
    await waitFor(() => expect(byId("details-nomorkartu").value).toBe("0001234567890"));
    expect(backend.callsTo("opd_token_patient")).toEqual([{ tokenId: 102 }]);
    expect(byId("details-nik").value).toBe("3174012345678901");
    expect(byId("details-nohp").value).toBe("");
    expect((screen.getByTestId("details-jeniskunjungan") as unknown as HTMLSelectElement).value).toBe("3");
    expect(byId("details-pasien_baru").checked).toBe(true);
    expect(screen.queryByTestId("details-prefill")).toBeNull();
    // The old warning that saving wipes what is stored is gone: the backend merges.
    expect(screen.getByTestId("details-form").textContent).not.toContain("menggantikan");

    await fill("details-nohp", "0812 3456 7890");
    await fireEvent.click(screen.getByTestId("details-submit"));
    await waitFor(() => expect(screen.getByTestId("details-result")).toBeTruthy());
    expect(backend.callsTo("opd_token_details")).toEqual([
      {
        tokenId: 102,
        details: { ...STORED, nohp: "081234567890", norm: null },
      },
    ]);
    expect(text("details-result")).toBe(
      "Tersimpan. Masih kurang untuk BPJS: Nomor rujukan/surat kontrol. Pengiriman ke BPJS menunggu data ini.",
    );
  });

  it("says the details are complete when BPJS lacks nothing", async () => {
    fakeBackend({ opd_token_details: () => ({ sent_to_bpjs: true, missing: [] }) });
    open();
    await waitFor(() => expect(screen.queryByTestId("details-prefill")).toBeNull());
    await fireEvent.click(screen.getByTestId("details-submit"));
    await waitFor(() => expect(text("details-result")).toBe("✓ Tersimpan. Data BPJS lengkap."));
    expect(screen.getByTestId("details-result").classList.contains("ok")).toBe(true);
  });

  it("says a token of a hand-made session does not go to BPJS, whatever is missing", async () => {
    fakeBackend({ opd_token_details: () => ({ sent_to_bpjs: false, missing: [] }) });
    open("non_jkn");
    await waitFor(() => expect(screen.queryByTestId("details-prefill")).toBeNull());
    await fill("details-nik", "3174012345678901");
    await fireEvent.keyDown(byId("details-nik"), { key: "Enter" });
    await waitFor(() =>
      expect(text("details-result")).toBe("Tersimpan. Antrean ini tidak dikirim ke BPJS (sesi dibuat manual)."),
    );
  });

  it("keeps what the clerk typed before the stored details arrived", async () => {
    let answer: (d: StoredPatientDetails) => void = () => {};
    fakeBackend({ opd_token_patient: () => new Promise<StoredPatientDetails>((res) => (answer = res)) });
    open();
    await fill("details-nik", "3174012345678999");
    answer(STORED);
    await waitFor(() => expect(screen.queryByTestId("details-prefill")).toBeNull());
    expect(byId("details-nik").value).toBe("3174012345678999");
    expect(byId("details-nomorkartu").value).toBe("");
  });

  it("still lets the clerk save when the stored details cannot be read", async () => {
    const backend = fakeBackend({
      opd_token_patient: () => reject("storage", "Basis data tidak dapat dibaca."),
      opd_token_details: () => ({ sent_to_bpjs: true, missing: [] }),
    });
    open("non_jkn");
    await waitFor(() => expect(text("details-prefill")).toContain("Data yang tersimpan tidak dapat dimuat (Basis data tidak dapat dibaca.)"));
    await fill("details-nohp", "081234567890");
    await fireEvent.click(screen.getByTestId("details-submit"));
    await waitFor(() => expect(text("details-result")).toBe("✓ Tersimpan. Data BPJS lengkap."));
    expect(backend.callsTo("opd_token_details")).toEqual([{ tokenId: 102, details: { ...NO_PATIENT, nohp: "081234567890" } }]);
  });
});
