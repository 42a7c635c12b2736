// A fake Rust core for tests: canned answers per command, and a log of every IPC call with its exact args.
import { mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import type {
  AppStatus,
  BoardShift,
  CurrentBalance,
  CredentialsView,
  DashboardView,
  DeskAlert,
  EventLine,
  IpcError,
  JobConfig,
  MonthPatient,
  MonthRow,
  OutboxItemView,
  OutboxStatus,
  OutboxSummary,
  PatientDetails,
  RefreshReport,
  RunRow,
  SessionSummary,
  SessionView,
  Settings,
  SlotView,
  SpmMonth,
  SpmReport,
  StoredJob,
  SyncProgressValue,
  TestOutcome,
  TicketPreview,
  TokenOutcome,
  TokenView,
  TransactionRow,
  UnpricedRow,
} from "../lib/ipc";

export type Call = { cmd: string; args: unknown };

export function makeStatus(over: Partial<AppStatus> = {}): AppStatus {
  return {
    hospital_name: "RSUD Sehat Sentosa",
    desk_id: "L01",
    clerk: "Siti Aminah",
    bpjs_configured: true,
    bpjs_online: true,
    demo_mode: false,
    last_sync_at: "2026-01-19T01:00:00Z",
    db_path: "/tmp/loket.sqlite3",
    version: "0.1.0",
    ...over,
  };
}

export function makeSettings(over: Partial<Settings> = {}): Settings {
  return {
    hospital_name: "RSUD Sehat Sentosa",
    kode_ppk: "0123R001",
    desk_id: "L01",
    clerk: "Siti Aminah",
    polis: [
      { kode: "ANA", nama: "Anak" },
      { kode: "INT", nama: "Penyakit Dalam" },
    ],
    nonjkn_ratio_bp: 3000,
    minutes_per_patient: 6,
    weight_emergency: 100,
    weight_paid: 20,
    weight_follow_up: 10,
    weight_walk_in: 0,
    weight_online: 5,
    schedule_refresh_time: "05:30",
    printer_device: "",
    printer_paper: "58",
    poli_nonjkn_ratio_bp: {},
    poli_minutes_per_patient: {},
    quota_alert_threshold_bp: 9000,
    spm_dm_codes: "E10-E14",
    spm_ht_codes: "I10-I15",
    spm_targets: {},
    ...over,
  };
}

/** BPJS credentials as Rust shows them: masked, never the secret or the user key. */
export function makeBpjsView(over: Partial<CredentialsView> = {}): CredentialsView {
  return {
    configured: true,
    cons_id: "12345",
    env: "dev",
    base_url: "https://apijkn-dev.bpjs-kesehatan.go.id/antreanrs_dev",
    secret_masked: "••••9Qx2",
    user_key_masked: "••••e1f0",
    storage: "file",
    storage_detail: "/home/loket/.config/id.loket.desk/credentials/6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b.json",
    saved_at: "2026-01-19T01:00:00+00:00",
    ...over,
  };
}

export function makeTestOutcome(over: Partial<TestOutcome> = {}): TestOutcome {
  return {
    ok: true,
    kind: "ok",
    message: "Koneksi ke BPJS berhasil: 17 poli diterima dari server dev (uji coba).",
    poli_count: 17,
    base_url: "https://apijkn-dev.bpjs-kesehatan.go.id/antreanrs_dev",
    env: "dev",
    elapsed_ms: 120,
    error_code: null,
    ...over,
  };
}

type Handler = (args: Record<string, unknown>) => unknown;

/** Installs mockIPC. `handlers` override the defaults; return `reject(code, message)` to answer with an error. */
export function fakeBackend(handlers: Record<string, Handler> = {}) {
  const calls: Call[] = [];
  const defaults: Record<string, Handler> = {
    app_status: () => makeStatus(),
    get_settings: () => makeSettings(),
    set_setting: () => makeSettings(),
    send_test_notification: () => null,
    bpjs_credentials_view: () => makeBpjsView(),
    // An empty day: the Antrean screen (the start screen) loads quietly in tests about other things.
    opd_sessions: () => [],
    // No HFIS snapshot yet: the Kuota screen shows its empty state.
    quota_board: () => [],
    // No open alert: the banner above every screen stays hidden.
    alerts_open: () => [],
    // An empty outbox: the Sinkronisasi screen shows its empty state.
    outbox_status: () => makeOutboxStatus([]),
    // Nothing stored for a token yet: "Lengkapi data BPJS" opens empty.
    opd_token_patient: () => NO_PATIENT,
    // No dashboard job, run or credentials: the dashboard section shows its empty states.
    sync_jobs: () => [],
    sync_runs: () => [],
    sync_credentials_view: () => ({ configured: false, base_url: "" }) satisfies DashboardView,
    // Laporan: no booking on the day, and an SPM year without visits or target.
    stats_bookings: () => [],
    spm_report: (args) => makeSpmReport({ program: args.program === "ht" ? "ht" : "dm", year: Number(args.year) || 2026 }),
    // Saldo: nothing synced yet (no patient found, no balance, nothing unpriced).
    balance_search: () => [],
    balance_current: () => null,
    balance_unpriced: () => [],
  };
  // `shouldMockEvents`: listen/unlisten/emit of `@tauri-apps/api/event` work in memory (not logged in `calls`).
  mockIPC(
    (cmd, args) => {
      calls.push({ cmd, args });
      const handler = handlers[cmd] ?? defaults[cmd];
      if (!handler) return reject("internal", `perintah tak dikenal: ${cmd}`);
      return handler((args ?? {}) as Record<string, unknown>);
    },
    { shouldMockEvents: true },
  );
  return {
    calls,
    callsTo: (cmd: string) => calls.filter((c) => c.cmd === cmd).map((c) => c.args),
    /** What Rust emits after every queue change. */
    emitQueueChanged: (sessionId: number) => emit("queue-changed", { session_id: sessionId }),
    /** What the outbox worker emits after a round that attempted something. */
    emitOutboxChanged: (attempted: number) => emit("outbox-changed", { attempted }),
    /** What a schedule refresh emits after each poli-date. */
    emitRefreshProgress: (done: number, total: number) => emit("refresh-progress", { done, total }),
    /** What a running sync job emits after each page. */
    emitSyncProgress: (job: string, progress: Partial<SyncProgressValue> = {}) =>
      emit("sync-progress", { job, progress: { run_id: 1, pages_done: 1, pages_total: 1, rows: 0, rows_per_second: 0, ...progress } }),
  };
}

// ---- OPD fixtures (shapes as Rust serialises them) ----

export function makeToken(over: Partial<TokenView> = {}): TokenView {
  const number = over.number ?? 1;
  return {
    token_id: 100 + number,
    number,
    code: `ANA-${String(number).padStart(3, "0")}`,
    slot_id: 11,
    source: "walk_in",
    paid: false,
    jenis: "jkn",
    status: "confirmed",
    priority: 100,
    requested_at: "2026-01-19T01:05:00Z",
    position: 1,
    waitlist_position: null,
    norm: "001234",
    name: "Budi Santoso",
    ...over,
  };
}

export function makeSlot(over: Partial<SlotView> = {}): SlotView {
  return {
    slot_id: 11,
    start: "2026-01-19T01:00:00Z",
    end: "2026-01-19T02:00:00Z",
    start_label: "08:00",
    end_label: "09:00",
    capacity: 4,
    occupied: 0,
    waitlisted: 0,
    tokens: [],
    ...over,
  };
}

export function makeSessionView(slots: SlotView[] = [makeSlot()], over: Partial<SessionView["session"]> = {}): SessionView {
  return {
    session: {
      session_id: 1,
      doctor_code: "D001",
      doctor_name: "dr. Andi Wijaya, Sp.A",
      poli_code: "ANA",
      date: "2026-01-19",
      jam: "08:00-10:00",
      capacity: 8,
      slot_minutes: 60,
      ...over,
    },
    slots,
  };
}

export function makeSummary(over: Partial<SessionSummary> = {}): SessionSummary {
  return {
    session_id: 1,
    doctor_code: "D001",
    doctor_name: "dr. Andi Wijaya, Sp.A",
    poli_code: "ANA",
    date: "2026-01-19",
    jam: "08:00-10:00",
    capacity: 8,
    occupied: 0,
    waitlisted: 0,
    ...over,
  };
}

export function makeOutcome(over: Partial<TokenOutcome> = {}): TokenOutcome {
  return {
    token_id: 107,
    session_id: 1,
    number: 7,
    code: "ANA-007",
    slot_id: 11,
    status: "confirmed",
    position: 3,
    waitlist_position: null,
    emergency_unplaced: false,
    ...over,
  };
}

export function makeEventLine(over: Partial<EventLine> = {}): EventLine {
  return {
    seq: 1,
    kind: "requested",
    at: "2026-01-19T01:05:00Z",
    desk_id: "L01",
    clerk: "Siti Aminah",
    summary: "ANA-001 diminta (Datang langsung, JKN)",
    ...over,
  };
}

export function makeTicketPreview(lines: string[], over: Partial<TicketPreview> = {}): TicketPreview {
  return {
    ticket: {
      hospital_name: "RSUD Sehat Sentosa",
      poli: "Anak",
      doctor_name: "dr. Andi Wijaya, Sp.A",
      code: "ANA-007",
      date_label: "Senin, 19 Januari 2026",
      slot_label: "08:00-09:00 WIB",
      estimate_label: "08:18 WIB",
      jenis_label: "JKN",
      status_label: "Terkonfirmasi",
    },
    paper: "58",
    lines,
    ...over,
  };
}

/** The way a Tauri command answers `Err(IpcError)`: the invoke promise rejects with the plain object. */
export function reject(code: IpcError["code"], message: string): Promise<never> {
  return Promise.reject({ code, message } satisfies IpcError);
}

// ---- Kuota fixtures ----

/** One shift of the Kuota board: dr. Andi, ANA, 08:00-12:00, session 1, fetched 05:00 WIB on 19 Jan. */
export function makeBoardShift(over: Partial<BoardShift> = {}): BoardShift {
  return {
    snapshot_id: 1,
    poli_code: "ANA",
    poli_name: "ANAK",
    subspesialis_code: "ANA",
    subspesialis_name: "ANAK",
    doctor_code: "33690",
    doctor_name: "dr. Andi Wijaya, Sp.A",
    date: "2026-01-19",
    jam_praktek: "08:00-12:00",
    libur: false,
    session_id: 1,
    source: "BPJS_HFIS",
    fetched_at: "2026-01-18T22:00:00+00:00",
    fetched_at_wib: "19/01/2026 05:00 WIB",
    stale: false,
    flag_reason: null,
    flagged_at: null,
    kuota_jkn: 20,
    used_jkn: 5,
    sisa_jkn: 15,
    excess_jkn: 0,
    full_jkn: false,
    kuota_nonjkn: 6,
    used_nonjkn: 1,
    sisa_nonjkn: 5,
    excess_nonjkn: 0,
    full_nonjkn: false,
    ...over,
  };
}

export function makeRefreshReport(over: Partial<RefreshReport> = {}): RefreshReport {
  return { fetched_shifts: 0, created_sessions: [], updated_sessions: [], flagged: [], errors: [], ...over };
}

// ---- Outbox and alerts fixtures ----

/** Patient details as the desk sends them when the clerk filled nothing. */
export const NO_PATIENT: PatientDetails = {
  nomorkartu: null,
  nik: null,
  nohp: null,
  jeniskunjungan: null,
  nomorreferensi: null,
  pasien_baru: false,
  norm: null,
};

/** A pending `antrean/add` of booking 0123R0012026011900101, created 08:05 WIB on 19 January. */
export function makeOutboxItem(over: Partial<OutboxItemView> = {}): OutboxItemView {
  return {
    id: 1,
    token_id: 101,
    kodebooking: "0123R0012026011900101",
    seq: 1,
    endpoint: "antrean/add",
    what: "antrean/add",
    state: "pending",
    missing: [],
    attempts: 0,
    next_attempt_at: null,
    last_message: null,
    created_at: "2026-01-19T01:05:00+00:00",
    sent_at: null,
    ...over,
  };
}

/** The outbox with `items`; the summary counts them unless given. */
export function makeOutboxStatus(items: OutboxItemView[], summary: Partial<OutboxSummary> = {}): OutboxStatus {
  const count = (state: string) => items.filter((i) => i.state === state).length;
  return {
    summary: { pending: count("pending"), incomplete: count("incomplete"), sent: count("sent"), failed: count("failed"), ...summary },
    items,
  };
}

export function makeAlert(over: Partial<DeskAlert> = {}): DeskAlert {
  return {
    id: 1,
    kind: "kuota_penuh",
    session_id: 1,
    message: "ANA — dr. Andi Wijaya, Sp.A, 19-01-2026 08:00-12:00: Kuota JKN penuh: 20 dari 20 terpakai.",
    created_at: "2026-01-19T01:30:00+00:00",
    ...over,
  };
}

// ---- Sinkronisasi (dashboard) fixtures ----

/**
 * The BOOKING_PASIEN job (view 239, 14 days around today daily at 05:00 WIB; its incremental run,
 * yesterday and today, daily at 00:00 WIB), enabled.
 */
export function makeJob(config: Partial<JobConfig> = {}, over: Partial<Omit<StoredJob, "config">> = {}): StoredJob {
  return {
    config: {
      name: "BOOKING_PASIEN",
      description: "Booking pasien (dashboard 239)",
      view_id: 239,
      start_field: "tanggal_awal",
      end_field: "tanggal_akhir",
      date_param: "wib_midnight_utc",
      table: "sync_booking_pasien",
      key: ["booking_id"],
      default_days: { back: 14, forward: 14 },
      page_limit: 100,
      fields: [{ source: "booking_id", column: "booking_id", kind: "integer", required: true, default: null }],
      schedule: { kind: "daily", hour: 5, minute: 0 },
      incremental: { schedule: { kind: "daily", hour: 0, minute: 0 }, days: { back: 1, forward: 0 } },
      ...config,
    },
    enabled: true,
    updated_at: "2026-01-18T22:00:00+00:00",
    ...over,
  };
}

/** A finished full run of BOOKING_PASIEN: 3 pages, 120 rows, started 08:00 WIB on 19 January. */
export function makeRun(over: Partial<RunRow> = {}): RunRow {
  return {
    id: 1,
    job: "BOOKING_PASIEN",
    window_from: "2026-01-05",
    window_to: "2026-02-02",
    started_at: "2026-01-19T01:00:00+00:00",
    finished_at: "2026-01-19T01:00:12+00:00",
    status: "ok",
    pages_done: 3,
    pages_total: 3,
    counts: { fetched: 120, inserted: 20, updated: 5, unchanged: 90, skipped: 3, duplicates: 2 },
    skipped_rows: [],
    error: null,
    kind: "full",
    ...over,
  };
}

// ---- Laporan fixtures ----

export function makeSpmMonth(month: number, over: Partial<SpmMonth> = {}): SpmMonth {
  return {
    month,
    visited: 0,
    standard: 0,
    non_standard: 0,
    visited_l: 0,
    visited_p: 0,
    standard_l: 0,
    standard_p: 0,
    non_standard_l: 0,
    non_standard_p: 0,
    percentage: null,
    percentage_text: null,
    ...over,
  };
}

/** A DM year 2026 without visits and without a target (twelve empty months, the backend's note). */
export function makeSpmReport(over: Partial<SpmReport> = {}): SpmReport {
  const program = over.program ?? "dm";
  const year = over.year ?? 2026;
  return {
    program,
    year,
    target: null,
    codes: program === "dm" ? "E10-E14" : "I10-I15",
    distinct_patients: 0,
    distinct_l: 0,
    distinct_p: 0,
    note: `Target tahunan program ${program.toUpperCase()} ${year} belum diisi; persentase tidak dihitung.`,
    months: Array.from({ length: 12 }, (_, i) => makeSpmMonth(i + 1)),
    ...over,
  };
}

export function makeMonthPatient(over: Partial<MonthPatient> = {}): MonthPatient {
  return { no_rm: "001234", sex: "L", first_month: 1, standard: true, break_month: null, ...over };
}

// ---- Saldo fixtures ----

/** January 2024 of patient 00-12-34: a deposit of Rp 500.000, charges of Rp 150.833. */
export function makeMonthRow(over: Partial<MonthRow> = {}): MonthRow {
  return {
    year_month: "2024-01",
    opening_balance: 0,
    total_deposits: 500_000,
    total_purchases: 150_833,
    closing_balance: 349_167,
    total_volume: "4.5",
    last_calculated_at: "2024-02-01T01:00:00+00:00",
    ...over,
  };
}

/** Item 11 of bill 7: 2 × 1 of LAB01 "Hematologi lengkap" at Rp 75.000 (tariff of 1 June 2023). */
export function makeTransaction(over: Partial<TransactionRow> = {}): TransactionRow {
  return {
    id_tagihan_item: 11,
    id_tagihan: 7,
    year_month: "2024-01",
    tanggal: "2024-01-10",
    kode_item: "LAB01",
    nama_item: "Hematologi lengkap",
    jumlah: "2",
    faktor: "1",
    volume: "2",
    harga: 75_000,
    amount: 150_000,
    pricing_used: { kode_item: "LAB01", berlaku_mulai: "2023-06-01", harga: 75_000 },
    calculated_at: "2024-02-01T01:00:00+00:00",
    ...over,
  };
}

export function makeCurrentBalance(over: Partial<CurrentBalance> = {}): CurrentBalance {
  return {
    no_rm: "00-12-34",
    year_month: "2024-04",
    closing_balance: 236_667,
    last_calculated_at: "2024-04-30T01:00:00+00:00",
    unpriced: 0,
    ...over,
  };
}

export function makeUnpriced(over: Partial<UnpricedRow> = {}): UnpricedRow {
  return {
    id_tagihan_item: 14,
    id_tagihan: 9,
    no_rm: "00-12-34",
    kode_item: "RAD99",
    tanggal: "2024-03-12",
    reason: "tanpa_tarif",
    ...over,
  };
}
