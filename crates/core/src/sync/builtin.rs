//! The jobs Loket ships with. View ids, ranges and schedules are defaults the admin may edit.
//!
//! JADWAL_DOKTER and BOOKING_PASIEN follow the dashboard workshop (views 123 and 239;
//! BOOKING_PASIEN maps every column of its `dashboard_239` table). Views 301–310 use
//! `tanggal_awal`/`tanggal_akhir`. Every job sends its dates the way the seed's request does
//! ([`DateParam::WibMidnightUtc`]): over a date column it fetches at most one extra day, never
//! one too few.

use super::job::{DateParam, DaysRange, FieldKind, FieldMap, IncrementalRun, JobConfig, DEFAULT_PAGE_LIMIT};
use super::schedule::{Hari, Schedule};

fn f(name: &str, kind: FieldKind) -> FieldMap {
    FieldMap {
        source: name.into(),
        column: name.into(),
        kind,
        required: false,
        default: None,
    }
}

fn req(name: &str, kind: FieldKind) -> FieldMap {
    FieldMap {
        required: true,
        ..f(name, kind)
    }
}

fn text<'a>(names: &'a [&'a str]) -> impl Iterator<Item = FieldMap> + 'a {
    names.iter().map(|n| f(n, FieldKind::Text))
}

#[allow(clippy::too_many_arguments)]
fn job(
    name: &str,
    description: &str,
    view_id: u32,
    dates: (&str, &str),
    table: &str,
    key: &[&str],
    days: (u32, u32),
    fields: Vec<FieldMap>,
    schedule: Schedule,
) -> JobConfig {
    JobConfig {
        name: name.into(),
        description: description.into(),
        view_id,
        start_field: dates.0.into(),
        end_field: dates.1.into(),
        date_param: DateParam::WibMidnightUtc,
        table: table.into(),
        key: key.iter().map(|k| k.to_string()).collect(),
        default_days: DaysRange {
            back: days.0,
            forward: days.1,
        },
        page_limit: DEFAULT_PAGE_LIMIT,
        fields,
        schedule,
        incremental: IncrementalRun::default(),
    }
}

const TANGGAL: (&str, &str) = ("tanggal_awal", "tanggal_akhir");

fn jadwal_dokter() -> JobConfig {
    use FieldKind::*;
    let mut fields = vec![req("id_jadwal_dokter", Integer), f("id_dokter", Integer)];
    fields.extend(text(&["nama_dokter"]));
    fields.push(f("id_spesialis", Integer));
    fields.extend(text(&["spesialis", "kode_poli_bpjs", "kode_dokter_bpjs"]));
    fields.push(req("tanggal", Date));
    fields.extend(text(&["hari"]));
    fields.extend([
        f("mulai", Time),
        f("selesai", Time),
        f("kuota", Integer),
        f("kuota_jkn", Integer),
        f("kuota_vip", Integer),
        f("status", Text),
    ]);
    job(
        "JADWAL_DOKTER",
        "Jadwal praktik dokter (dashboard 123)",
        123,
        TANGGAL,
        "sync_jadwal_dokter",
        &["id_jadwal_dokter", "tanggal"],
        (1, 14),
        fields,
        Schedule::Daily { hour: 5, minute: 0 },
    )
}

/// Every column of the seed's `dashboard_239`, in its order.
fn booking_pasien() -> JobConfig {
    use FieldKind::*;
    let mut fields = vec![req("booking_id", Integer), f("id_tagihan", Integer)];
    fields.extend(text(&[
        "no_rm",
        "nama_rm",
        "nik_rm",
        "telepon",
        "no_hp",
        "status_booking",
        "status_registrasi",
    ]));
    fields.push(f("tanggal_registrasi_filter", DateTime));
    fields.extend(text(&["status_rekam_medis"]));
    // TIMESTAMP in the seed's table, a date in its sample answer: the WIB date either way.
    fields.push(f("tanggal_antrian", Date));
    fields.extend(text(&[
        "antrian",
        "asal_booking",
        "no_asuransi",
        "no_rujukan",
        "no_kontrol",
        "asuransi",
        "code",
    ]));
    fields.push(f("id_spesialis", Integer));
    fields.extend(text(&["spesialis"]));
    fields.extend([f("id_jadwal_dokter", Integer), f("id_dokter", Integer)]);
    fields.extend(text(&["dokter", "poliklinik", "hari"]));
    fields.extend([
        f("mulai", Time),
        f("selesai", Time),
        f("kuota", Integer),
        f("kuota_jkn", Integer),
        f("kuota_vip", Integer),
    ]);
    fields.extend(text(&["catatan", "alasan_batal", "versi", "inserted_user"]));
    fields.push(f("inserted_date", DateTime));
    fields.extend(text(&["updated_user"]));
    fields.push(f("update_date", DateTime));
    let weekly = job(
        "BOOKING_PASIEN",
        "Sinkronisasi data booking/registrasi pasien (dashboard 239)",
        239,
        ("waktu_registrasi_awal", "waktu_registrasi_akhir"),
        "sync_booking_pasien",
        &["booking_id"],
        (14, 0),
        fields,
        Schedule::Weekly {
            day: Hari::Senin,
            hour: 0,
            minute: 0,
        },
    );
    JobConfig {
        incremental: IncrementalRun {
            schedule: Schedule::Daily { hour: 0, minute: 0 },
            days: DaysRange { back: 1, forward: 0 },
        },
        ..weekly
    }
}

fn deposit_pasien() -> JobConfig {
    use FieldKind::*;
    let mut fields = vec![req("id_deposit", Integer)];
    fields.extend(text(&["no_rm", "nama_rm"]));
    fields.extend([req("tanggal", Date), req("jumlah", Rupiah)]);
    fields.extend(text(&["metode", "keterangan", "status"]));
    job(
        "DEPOSIT_PASIEN",
        "Deposit pasien",
        301,
        TANGGAL,
        "sync_deposit_pasien",
        &["id_deposit"],
        (7, 0),
        fields,
        Schedule::Every { minutes: 15 },
    )
}

fn tagihan_pasien() -> JobConfig {
    use FieldKind::*;
    let mut fields = vec![req("id_tagihan_item", Integer), f("id_tagihan", Integer)];
    fields.extend(text(&["no_rm"]));
    fields.push(req("tanggal", Date));
    fields.extend(text(&["kode_item", "nama_item"]));
    fields.push(req("jumlah", Decimal));
    fields.push(FieldMap {
        default: Some("1".into()),
        ..f("faktor", Decimal)
    });
    fields.push(f("status", Text));
    job(
        "TAGIHAN_PASIEN",
        "Rincian tagihan pasien",
        302,
        TANGGAL,
        "sync_tagihan_pasien",
        &["id_tagihan_item"],
        (7, 0),
        fields,
        Schedule::Every { minutes: 15 },
    )
}

fn tarif() -> JobConfig {
    use FieldKind::*;
    job(
        "TARIF",
        "Tarif layanan",
        303,
        TANGGAL,
        "sync_tarif",
        &["kode_item", "berlaku_mulai"],
        (3650, 365),
        vec![
            req("kode_item", Text),
            f("nama_item", Text),
            req("harga", Rupiah),
            req("berlaku_mulai", Date),
        ],
        Schedule::Daily { hour: 4, minute: 0 },
    )
}

fn kunjungan() -> JobConfig {
    use FieldKind::*;
    let mut fields = vec![req("id_kunjungan", Integer)];
    fields.extend(text(&["no_rm", "nama_rm"]));
    fields.extend([
        f("jenis_kelamin", Enum(vec!["L".into(), "P".into()])),
        req("tanggal_kunjungan", Date),
        f("kode_icd10", CodeList),
        f("poliklinik", Text),
        f("status", Text),
    ]);
    job(
        "KUNJUNGAN",
        "Kunjungan pasien dan diagnosis ICD-10",
        310,
        TANGGAL,
        "sync_kunjungan",
        &["id_kunjungan"],
        (31, 0),
        fields,
        Schedule::Daily { hour: 1, minute: 0 },
    )
}

/// The six jobs Loket ships with, in the order the settings screen lists them.
pub fn builtin_jobs() -> Vec<JobConfig> {
    vec![
        jadwal_dokter(),
        booking_pasien(),
        deposit_pasien(),
        tagihan_pasien(),
        tarif(),
        kunjungan(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(j: &JobConfig) -> Vec<&str> {
        j.columns()
    }

    #[test]
    fn booking_maps_every_column_of_dashboard_239() {
        // The seed's mapBookingData, in order.
        let seed = [
            "booking_id",
            "id_tagihan",
            "no_rm",
            "nama_rm",
            "nik_rm",
            "telepon",
            "no_hp",
            "status_booking",
            "status_registrasi",
            "tanggal_registrasi_filter",
            "status_rekam_medis",
            "tanggal_antrian",
            "antrian",
            "asal_booking",
            "no_asuransi",
            "no_rujukan",
            "no_kontrol",
            "asuransi",
            "code",
            "id_spesialis",
            "spesialis",
            "id_jadwal_dokter",
            "id_dokter",
            "dokter",
            "poliklinik",
            "hari",
            "mulai",
            "selesai",
            "kuota",
            "kuota_jkn",
            "kuota_vip",
            "catatan",
            "alasan_batal",
            "versi",
            "inserted_user",
            "inserted_date",
            "updated_user",
            "update_date",
        ];
        let b = booking_pasien();
        assert_eq!(columns(&b), seed);
        assert!(b.fields.iter().all(|f| f.source == f.column));
        assert_eq!((b.view_id, b.default_days.back), (239, 14));
    }

    #[test]
    fn the_other_jobs_have_the_issue_fields() {
        assert_eq!(
            columns(&jadwal_dokter()),
            [
                "id_jadwal_dokter",
                "id_dokter",
                "nama_dokter",
                "id_spesialis",
                "spesialis",
                "kode_poli_bpjs",
                "kode_dokter_bpjs",
                "tanggal",
                "hari",
                "mulai",
                "selesai",
                "kuota",
                "kuota_jkn",
                "kuota_vip",
                "status"
            ]
        );
        assert_eq!(
            columns(&deposit_pasien()),
            [
                "id_deposit",
                "no_rm",
                "nama_rm",
                "tanggal",
                "jumlah",
                "metode",
                "keterangan",
                "status"
            ]
        );
        assert_eq!(
            columns(&tagihan_pasien()),
            [
                "id_tagihan_item",
                "id_tagihan",
                "no_rm",
                "tanggal",
                "kode_item",
                "nama_item",
                "jumlah",
                "faktor",
                "status"
            ]
        );
        assert_eq!(columns(&tarif()), ["kode_item", "nama_item", "harga", "berlaku_mulai"]);
        assert_eq!(
            columns(&kunjungan()),
            [
                "id_kunjungan",
                "no_rm",
                "nama_rm",
                "jenis_kelamin",
                "tanggal_kunjungan",
                "kode_icd10",
                "poliklinik",
                "status"
            ]
        );
        let views: Vec<(u32, String, String)> = builtin_jobs()
            .into_iter()
            .map(|j| (j.view_id, j.start_field, j.end_field))
            .collect();
        let t = |v: u32| (v, "tanggal_awal".to_string(), "tanggal_akhir".to_string());
        assert_eq!(
            views,
            [
                t(123),
                (239, "waktu_registrasi_awal".into(), "waktu_registrasi_akhir".into()),
                t(301),
                t(302),
                t(303),
                t(310)
            ]
        );
    }
}
