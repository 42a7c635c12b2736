-- Saldo pasien (issue 7): the balance of each patient, calculated from the synced deposits
-- (sync_deposit_pasien), charge items (sync_tagihan_pasien) and tariffs (sync_tarif).
--
-- `balance_ledger` is append-only (triggers abort UPDATE and DELETE): every deposit that counts
-- and every charge item that counts and has a price is recognized by one entry. When a source
-- row's effect changes (a tariff reprices it, it becomes Batal, its quantity, date or patient
-- changes) a reversal of the entry in force is appended, then the new entry: nothing is ever
-- rewritten. `amount` is the signed effect on the patient's balance (a deposit +, a charge −,
-- a reversal the opposite of the entry it reverses), so the sum of a patient's entries of a
-- month is that month's deposits − charges. The entry in force for a source is its latest one,
-- when that is a recognition.
--
-- `balance_months`, `balance_transactions` and `balance_unpriced` are projections: rebuilt
-- from the synced rows (`loket balance sync --force`), rewritten from the earliest affected
-- month whenever a sync page changes a deposit, a charge or a tariff.
CREATE TABLE balance_ledger (
    seq        INTEGER PRIMARY KEY,
    no_rm      TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('deposit', 'charge')),
    -- id_deposit or id_tagihan_item.
    source_id  INTEGER NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('recognize', 'reverse')),
    -- The entry a reversal cancels.
    reverses   INTEGER REFERENCES balance_ledger (seq),
    year_month TEXT NOT NULL,
    tanggal    TEXT NOT NULL,
    amount     INTEGER NOT NULL,
    -- Charges: jumlah × faktor (exact decimal text, negated in a reversal).
    volume     TEXT,
    -- Charges: the tariff row used, as JSON {kode_item, berlaku_mulai, harga}.
    pricing    TEXT,
    -- When the entry was appended (UTC, RFC 3339).
    at         TEXT NOT NULL,
    CHECK ((action = 'reverse') = (reverses IS NOT NULL)),
    CHECK ((kind = 'charge') = (volume IS NOT NULL AND pricing IS NOT NULL))
) STRICT;
CREATE INDEX balance_ledger_patient ON balance_ledger (no_rm, kind, source_id, seq);
CREATE INDEX balance_ledger_source ON balance_ledger (kind, source_id, seq);

CREATE TRIGGER balance_ledger_append_only_update BEFORE UPDATE ON balance_ledger
BEGIN SELECT RAISE(ABORT, 'balance_ledger is append-only'); END;
CREATE TRIGGER balance_ledger_append_only_delete BEFORE DELETE ON balance_ledger
BEGIN SELECT RAISE(ABORT, 'balance_ledger is append-only'); END;

-- One row per patient and month, from the first activity through the current month (the seed's
-- monthly_customer_balances). Money in whole rupiah.
CREATE TABLE balance_months (
    no_rm               TEXT NOT NULL,
    year_month          TEXT NOT NULL,
    opening_balance     INTEGER NOT NULL,
    total_deposits      INTEGER NOT NULL,
    total_purchases     INTEGER NOT NULL,
    closing_balance     INTEGER NOT NULL,
    -- Exact decimal text: the volume of the priced charges.
    total_volume        TEXT NOT NULL,
    -- JSON {deposit_count, charge_count, unpriced_count}.
    calculation_details TEXT NOT NULL,
    last_calculated_at  TEXT NOT NULL,
    PRIMARY KEY (no_rm, year_month)
) STRICT, WITHOUT ROWID;

-- One row per charge item that counts and has a price (the seed's transaction_calculations).
CREATE TABLE balance_transactions (
    id_tagihan_item INTEGER PRIMARY KEY,
    id_tagihan      INTEGER NOT NULL,
    no_rm           TEXT NOT NULL,
    year_month      TEXT NOT NULL,
    tanggal         TEXT NOT NULL,
    kode_item       TEXT NOT NULL,
    jumlah          TEXT NOT NULL,
    faktor          TEXT NOT NULL,
    volume          TEXT NOT NULL,
    harga           INTEGER NOT NULL,
    amount          INTEGER NOT NULL,
    -- JSON: the tariff row used {kode_item, berlaku_mulai, harga}.
    pricing_used    TEXT NOT NULL,
    calculated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX balance_transactions_patient ON balance_transactions (no_rm, year_month, tanggal);

-- Charge items that count but cannot be priced: no tariff in force on their date
-- (`tanpa_tarif`), or a quantity Loket cannot calculate exactly (`jumlah_tidak_valid`).
-- Never counted as zero; listed until the cause is fixed.
CREATE TABLE balance_unpriced (
    id_tagihan_item INTEGER PRIMARY KEY,
    id_tagihan      INTEGER NOT NULL,
    no_rm           TEXT NOT NULL,
    kode_item       TEXT NOT NULL,
    tanggal         TEXT NOT NULL,
    reason          TEXT NOT NULL CHECK (reason IN ('tanpa_tarif', 'jumlah_tidak_valid'))
) STRICT;
CREATE INDEX balance_unpriced_patient ON balance_unpriced (no_rm, tanggal);
