import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import BpjsSection from "./BpjsSection.svelte";
import { fakeBackend, makeBpjsView, makeTestOutcome, reject } from "../../test/backend";

const SECRET = "Rahasia#Konsumen-2026";
const USER_KEY = "a1b2c3d4e5f60718293a4b5c6d7e8f90";

const field = (id: string) => document.getElementById(`bpjs-${id}`) as HTMLInputElement;
const text = (testid: string) => screen.getByTestId(testid).textContent?.replace(/\s+/g, " ").trim();

async function renderLoaded() {
  render(BpjsSection);
  await waitFor(() => expect(field("cons_id")).toBeTruthy());
}

describe("BpjsSection", () => {
  it("shows the stored cons id, environment and URL; password fields start empty", async () => {
    const backend = fakeBackend({
      bpjs_credentials_view: () => makeBpjsView({ env: "production", base_url: "https://apijkn.bpjs-kesehatan.go.id/antreanrs" }),
    });
    await renderLoaded();

    expect(backend.callsTo("bpjs_credentials_view")).toEqual([{}]);
    expect(field("cons_id").value).toBe("12345");
    expect((document.getElementById("bpjs-env") as HTMLSelectElement).value).toBe("production");
    expect(field("url").value).toBe("https://apijkn.bpjs-kesehatan.go.id/antreanrs");
    expect(field("secret").type).toBe("password");
    expect(field("user_key").type).toBe("password");
    expect(field("secret").value).toBe("");
    expect(field("user_key").value).toBe("");
    expect(field("secret").placeholder).toContain("••••9Qx2");
    expect(text("bpjs-storage")).toContain("hanya dapat dibaca pemiliknya");
  });

  it("saves with the exact IPC args and never renders the secret back", async () => {
    const backend = fakeBackend({
      bpjs_set_credentials: () => makeBpjsView({ cons_id: "54321", secret_masked: "••••2026", user_key_masked: "••••8f90" }),
    });
    await renderLoaded();

    await fireEvent.input(field("cons_id"), { target: { value: " 54321 " } });
    await fireEvent.input(field("secret"), { target: { value: SECRET } });
    await fireEvent.input(field("user_key"), { target: { value: USER_KEY } });
    expect(text("bpjs-save-result")).toBe("Belum disimpan.");
    await fireEvent.click(screen.getByTestId("bpjs-save"));

    await waitFor(() => expect(text("bpjs-save-result")).toBe("✓ Tersimpan"));
    expect(backend.callsTo("bpjs_set_credentials")).toEqual([
      {
        input: {
          cons_id: "54321",
          secret: SECRET,
          user_key: USER_KEY,
          env: "dev",
          base_url: "https://apijkn-dev.bpjs-kesehatan.go.id/antreanrs_dev",
        },
      },
    ]);
    // The fields are emptied and nothing on the page carries the values.
    expect(field("secret").value).toBe("");
    expect(field("user_key").value).toBe("");
    expect(field("secret").placeholder).toContain("••••2026");
    const html = document.body.innerHTML;
    expect(html).not.toContain(SECRET);
    expect(html).not.toContain(USER_KEY);
    expect(field("cons_id").value).toBe("54321");
  });

  it("sends null for password fields left empty, so the stored ones stay", async () => {
    const backend = fakeBackend({ bpjs_set_credentials: () => makeBpjsView() });
    await renderLoaded();
    await fireEvent.change(document.getElementById("bpjs-env") as HTMLSelectElement, { target: { value: "production" } });
    // The default URL follows the environment.
    expect(field("url").value).toBe("https://apijkn.bpjs-kesehatan.go.id/antreanrs");
    await fireEvent.click(screen.getByTestId("bpjs-save"));
    await waitFor(() => expect(backend.callsTo("bpjs_set_credentials")).toHaveLength(1));
    expect(backend.callsTo("bpjs_set_credentials")[0]).toEqual({
      input: {
        cons_id: "12345",
        secret: null,
        user_key: null,
        env: "production",
        base_url: "https://apijkn.bpjs-kesehatan.go.id/antreanrs",
      },
    });
  });

  it("shows the backend's refusal and keeps what was typed", async () => {
    fakeBackend({
      bpjs_set_credentials: () => reject("invalid_input", "Cons ID hanya berisi angka (paling panjang 20), seperti yang tertera di surat BPJS."),
    });
    await renderLoaded();
    await fireEvent.input(field("cons_id"), { target: { value: "12a" } });
    await fireEvent.click(screen.getByTestId("bpjs-save"));

    await waitFor(() => expect(text("bpjs-save-result")).toContain("Cons ID hanya berisi angka"));
    expect(screen.getByRole("alert").textContent).toContain("Cons ID hanya berisi angka");
    expect(field("cons_id").value).toBe("12a");
  });

  it("Tes koneksi reports success in plain words", async () => {
    const backend = fakeBackend({ bpjs_test_connection: () => makeTestOutcome() });
    await renderLoaded();
    await fireEvent.click(screen.getByTestId("bpjs-test"));

    await waitFor(() => expect(text("bpjs-test-result")).toContain("✓ Koneksi ke BPJS berhasil: 17 poli diterima"));
    expect(backend.callsTo("bpjs_test_connection")).toEqual([{ urlOverride: null }]);
  });

  it("Tes koneksi reports a failed outcome as an alert", async () => {
    fakeBackend({
      bpjs_test_connection: () =>
        makeTestOutcome({
          ok: false,
          kind: "signature",
          message: "Tanda tangan (signature) ditolak BPJS: periksa Cons ID dan secret.",
          poli_count: null,
          error_code: "bpjs.business",
        }),
    });
    await renderLoaded();
    await fireEvent.click(screen.getByTestId("bpjs-test"));

    await waitFor(() => expect(screen.getByRole("alert").textContent).toBe("✗ Tanda tangan (signature) ditolak BPJS: periksa Cons ID dan secret."));
    expect(text("bpjs-test-result")).not.toContain("✓");
  });

  it("Tes koneksi shows an IPC error (e.g. no credentials yet)", async () => {
    fakeBackend({
      bpjs_credentials_view: () => makeBpjsView({ configured: false, cons_id: "", secret_masked: "", user_key_masked: "", storage: "none", storage_detail: "" }),
      bpjs_test_connection: () => reject("not_found", "Kredensial BPJS belum diatur."),
    });
    await renderLoaded();
    expect(field("secret").placeholder).toBe("Wajib diisi");
    expect(text("bpjs-storage")).toBe("Belum ada kredensial BPJS untuk database ini.");
    await fireEvent.click(screen.getByTestId("bpjs-test"));
    await waitFor(() => expect(text("bpjs-test-result")).toBe("Tes koneksi gagal: Kredensial BPJS belum diatur."));
  });

  it("says so when the credentials cannot be loaded", async () => {
    fakeBackend({ bpjs_credentials_view: () => reject("storage", "Berkas kredensial tidak dapat dibaca.") });
    render(BpjsSection);
    await waitFor(() => expect(text("bpjs-load-error")).toContain("Berkas kredensial tidak dapat dibaca."));
  });
});
