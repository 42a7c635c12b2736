//! Fixed tables the hospital data draws from: patient names, polyclinic names, ICD-10 codes,
//! tariff items, and the words of the booking and billing rows. All synthetic.

/// Male given names.
pub(super) const MALE_NAMES: &[&str] = &[
    "Agus",
    "Ahmad",
    "Andi",
    "Arif",
    "Bambang",
    "Budi",
    "Dedi",
    "Dimas",
    "Eko",
    "Fajar",
    "Hendra",
    "Heri",
    "Imam",
    "Irfan",
    "Joko",
    "Kurniawan",
    "Muhammad",
    "Nur",
    "Rahmat",
    "Rizky",
    "Slamet",
    "Sugeng",
    "Supriyadi",
    "Sutrisno",
    "Taufik",
    "Wahyu",
    "Yanto",
    "Yusuf",
    "Zainal",
    "Hasan",
    "Ilham",
    "Bayu",
];

/// Female given names.
pub(super) const FEMALE_NAMES: &[&str] = &[
    "Aisyah",
    "Ani",
    "Dewi",
    "Dian",
    "Endang",
    "Fitri",
    "Indah",
    "Kartini",
    "Lestari",
    "Lina",
    "Maya",
    "Nurul",
    "Putri",
    "Rina",
    "Ratna",
    "Siti",
    "Sri",
    "Suryani",
    "Tuti",
    "Wati",
    "Yuliana",
    "Yanti",
    "Nining",
    "Rahayu",
    "Sulastri",
    "Wulandari",
    "Novi",
    "Eka",
];

/// Family or second names; some patients have none.
pub(super) const FAMILY_NAMES: &[&str] = &[
    "Santoso",
    "Wijaya",
    "Pratama",
    "Saputra",
    "Hidayat",
    "Nugroho",
    "Kusuma",
    "Siregar",
    "Harahap",
    "Nasution",
    "Lubis",
    "Wibowo",
    "Setiawan",
    "Rahmawati",
    "Hartono",
    "Susanto",
    "Purnomo",
    "Simanjuntak",
    "Syahputra",
    "Handayani",
    "Maharani",
    "Permatasari",
];

/// The hospital's own polyclinic names, by BPJS poli code.
pub(super) fn poliklinik(kodepoli: &str) -> &'static str {
    match kodepoli {
        "ANA" => "Poli Anak",
        "INT" => "Poli Penyakit Dalam",
        "OBG" => "Poli Kebidanan dan Kandungan",
        "MAT" => "Poli Mata",
        "BED" => "Poli Bedah",
        "SAR" => "Poli Saraf",
        "JAN" => "Poli Jantung",
        "THT" => "Poli THT-KL",
        "KLT" => "Poli Kulit dan Kelamin",
        "GIG" => "Poli Gigi",
        "PAR" => "Poli Paru",
        "ORT" => "Poli Orthopedi",
        _ => "Poli Umum",
    }
}

/// Everyday diagnoses per BPJS poli code (WHO ICD-10).
pub(super) fn acute_icd(kodepoli: &str) -> &'static [&'static str] {
    match kodepoli {
        "ANA" => &["J06.9", "A09.0", "J18.9", "R50.9", "B34.9", "L20.9", "K59.0", "J20.9"],
        "INT" => &[
            "K30", "K29.7", "A01.0", "D64.9", "E78.5", "K21.9", "R51", "M79.1", "A91",
        ],
        "OBG" => &["Z34.9", "Z34.0", "N92.0", "N76.0", "O21.0", "Z30.9", "O26.8"],
        "MAT" => &["H10.9", "H52.1", "H25.9", "H40.9", "H57.1", "H11.0"],
        "BED" => &["L02.9", "K40.9", "K60.2", "S61.9", "D17.9", "N20.0"],
        "SAR" => &["G43.9", "I63.9", "G44.2", "M54.5", "G40.9", "R42", "G56.0"],
        "JAN" => &["I25.1", "I50.9", "I48.9", "I20.9", "I11.9", "I10"],
        "THT" => &["H66.9", "J32.9", "J35.0", "H61.2", "J30.4", "H91.9"],
        "KLT" => &["L30.9", "B35.4", "L70.0", "B86", "L50.9", "B36.0"],
        "GIG" => &["K02.9", "K04.7", "K05.1", "K08.1", "K01.1", "K04.0"],
        "PAR" => &["J45.9", "J44.9", "A15.0", "J18.9", "J20.9", "J47"],
        "ORT" => &["M17.9", "M54.5", "S82.9", "M81.9", "M75.1", "S52.5"],
        _ => &["R69"],
    }
}

/// Diabetes mellitus codes (E10–E14 with subcodes); the first is by far the most common.
pub(super) const DM_CODES: &[&str] = &[
    "E11.9", "E11.9", "E11.9", "E11.9", "E11.5", "E11.7", "E11.4", "E11.2", "E11.6", "E11.8", "E10.9", "E12.9",
    "E13.9", "E14.9", "E14.5",
];

/// Hypertension codes (I10–I15).
pub(super) const HT_CODES: &[&str] = &[
    "I10", "I10", "I10", "I10", "I10", "I11.9", "I11.0", "I12.9", "I13.0", "I15.0", "I15.9",
];

/// Comorbidities added now and then to a chronic patient's visit.
pub(super) const COMORBID_CODES: &[&str] = &["E78.5", "E66.9", "N18.9", "M79.1", "E78.0"];

/// A tariff item: code, name, price (rupiah) at the start of history, category.
pub(super) struct TariffItem(pub &'static str, pub &'static str, pub i64, pub ItemKind);

/// What kind of item it is, which decides how it is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ItemKind {
    Admin,
    Consult,
    Lab,
    Radiology,
    Procedure,
    Drug,
}

pub(super) const TARIFF_ITEMS: &[TariffItem] = &[
    TariffItem("ADM001", "Administrasi Rawat Jalan", 25_000, ItemKind::Admin),
    TariffItem("ADM002", "Kartu Berobat Pasien Baru", 15_000, ItemKind::Admin),
    TariffItem("KON001", "Konsultasi Dokter Spesialis Anak", 150_000, ItemKind::Consult),
    TariffItem(
        "KON002",
        "Konsultasi Dokter Spesialis Penyakit Dalam",
        175_000,
        ItemKind::Consult,
    ),
    TariffItem(
        "KON003",
        "Konsultasi Dokter Spesialis Kandungan",
        175_000,
        ItemKind::Consult,
    ),
    TariffItem("KON004", "Konsultasi Dokter Spesialis Mata", 150_000, ItemKind::Consult),
    TariffItem(
        "KON005",
        "Konsultasi Dokter Spesialis Bedah",
        175_000,
        ItemKind::Consult,
    ),
    TariffItem(
        "KON006",
        "Konsultasi Dokter Spesialis Saraf",
        175_000,
        ItemKind::Consult,
    ),
    TariffItem(
        "KON007",
        "Konsultasi Dokter Spesialis Jantung",
        200_000,
        ItemKind::Consult,
    ),
    TariffItem(
        "KON008",
        "Konsultasi Dokter Spesialis THT-KL",
        150_000,
        ItemKind::Consult,
    ),
    TariffItem("KON009", "Konsultasi Dokter Gigi", 100_000, ItemKind::Consult),
    TariffItem("KON010", "Konsultasi Dokter Spesialis Paru", 175_000, ItemKind::Consult),
    TariffItem("LAB001", "Gula Darah Puasa", 25_000, ItemKind::Lab),
    TariffItem("LAB002", "Gula Darah 2 Jam PP", 25_000, ItemKind::Lab),
    TariffItem("LAB003", "HbA1c", 185_000, ItemKind::Lab),
    TariffItem("LAB004", "Kolesterol Total", 40_000, ItemKind::Lab),
    TariffItem("LAB005", "Trigliserida", 45_000, ItemKind::Lab),
    TariffItem("LAB006", "Ureum", 35_000, ItemKind::Lab),
    TariffItem("LAB007", "Kreatinin", 35_000, ItemKind::Lab),
    TariffItem("LAB008", "Darah Rutin", 75_000, ItemKind::Lab),
    TariffItem("LAB009", "Urin Rutin", 45_000, ItemKind::Lab),
    TariffItem("RAD001", "Rontgen Thorax PA", 150_000, ItemKind::Radiology),
    TariffItem("RAD002", "USG Abdomen", 300_000, ItemKind::Radiology),
    TariffItem("TDK001", "EKG", 75_000, ItemKind::Procedure),
    TariffItem("TDK002", "Nebulizer", 60_000, ItemKind::Procedure),
    TariffItem("TDK003", "Perawatan Luka Sedang", 90_000, ItemKind::Procedure),
    TariffItem("TDK004", "Tambal Gigi Komposit", 250_000, ItemKind::Procedure),
    TariffItem("OBT001", "Metformin 500 mg tablet", 450, ItemKind::Drug),
    TariffItem("OBT002", "Glimepiride 2 mg tablet", 1_200, ItemKind::Drug),
    TariffItem("OBT003", "Amlodipine 10 mg tablet", 800, ItemKind::Drug),
    TariffItem("OBT004", "Captopril 25 mg tablet", 350, ItemKind::Drug),
    TariffItem("OBT005", "Candesartan 8 mg tablet", 2_500, ItemKind::Drug),
    TariffItem("OBT006", "Insulin Glargine 100 IU/ml pen", 185_000, ItemKind::Drug),
    TariffItem("OBT007", "Paracetamol 500 mg tablet", 300, ItemKind::Drug),
    TariffItem("OBT008", "Amoxicillin 500 mg kapsul", 700, ItemKind::Drug),
    TariffItem("OBT009", "Omeprazole 20 mg kapsul", 1_100, ItemKind::Drug),
    TariffItem("OBT010", "Simvastatin 20 mg tablet", 900, ItemKind::Drug),
    TariffItem("OBT011", "Sirup Ambroxol 60 ml", 12_500, ItemKind::Drug),
    TariffItem("OBT012", "Salbutamol 2 mg tablet", 250, ItemKind::Drug),
];

/// A drug introduced in the middle of history (no earlier tariff).
pub(super) const NEW_ITEM: TariffItem = TariffItem("OBT013", "Empagliflozin 10 mg tablet", 9_500, ItemKind::Drug);

/// The BPJS consultation item of a poli.
pub(super) fn consult_item(kodepoli: &str) -> &'static str {
    match kodepoli {
        "ANA" => "KON001",
        "INT" => "KON002",
        "OBG" => "KON003",
        "MAT" => "KON004",
        "BED" | "ORT" => "KON005",
        "SAR" => "KON006",
        "JAN" => "KON007",
        "THT" => "KON008",
        "GIG" => "KON009",
        "PAR" => "KON010",
        _ => "KON002",
    }
}

pub(super) const ASAL_BOOKING: &[(&str, &str)] = &[
    ("Mobile JKN", "mobilejkn"),
    ("Mobile JKN", "mobilejkn"),
    ("Mobile JKN", "mobilejkn"),
    ("Website", "web.pendaftaran"),
    ("WhatsApp", "wa.bot"),
    ("Telepon", "cs.rina"),
    ("Loket", "loket.02"),
];

pub(super) const ASURANSI_LAIN: &[&str] = &[
    "Umum",
    "Umum",
    "Umum",
    "Mandiri Inhealth",
    "Prudential",
    "Jasa Raharja",
    "BNI Life",
];

pub(super) const ALASAN_BATAL: &[&str] = &[
    "Pasien berhalangan hadir",
    "Salah memilih poli",
    "Pasien sudah sembuh",
    "Dibatalkan pasien melalui aplikasi",
    "Rujukan belum terbit",
];

/// `alasan_batal` when the doctor is off that day.
pub(super) const ALASAN_DOKTER_LIBUR: &str = "Dokter berhalangan praktik";

pub(super) const CATATAN: &[&str] = &[
    "Kontrol rutin",
    "Membawa hasil laboratorium",
    "Pasien kursi roda",
    "Minta dokter yang sama dengan kunjungan sebelumnya",
];

/// `catatan` of a moved booking.
pub(super) const CATATAN_PINDAH: &str = "Pindah jadwal atas permintaan pasien";

pub(super) const METODE_DEPOSIT: &[&str] = &["Tunai", "Tunai", "Transfer Bank", "QRIS", "Kartu Debit"];

pub(super) const KETERANGAN_DEPOSIT: &[&str] = &[
    "Uang muka rawat inap",
    "Uang muka tindakan operasi",
    "Titipan biaya pemeriksaan",
    "Deposit persalinan",
];

/// Deposit amounts, whole rupiah.
pub(super) const JUMLAH_DEPOSIT: &[i64] = &[
    250_000, 500_000, 500_000, 1_000_000, 1_000_000, 1_500_000, 2_000_000, 2_500_000, 3_000_000, 5_000_000, 7_500_000,
    10_000_000,
];

/// Indonesian weekday names, index 1 = Senin … 7 = Minggu (index 0 unused).
pub(super) const HARI: [&str; 8] = ["", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"];

/// `KULIT DAN KELAMIN` → `Kulit dan Kelamin`; words with `-` (THT-KL) stay as they are.
pub(super) fn title_case(upper: &str) -> String {
    upper
        .split(' ')
        .map(|w| {
            if w.contains('-') || w == "&" {
                w.to_string()
            } else if w.eq_ignore_ascii_case("dan") {
                "dan".to_string()
            } else {
                let lower = w.to_lowercase();
                let mut chars = lower.chars();
                match chars.next() {
                    Some(c) => c.to_uppercase().chain(chars).collect(),
                    None => String::new(),
                }
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn title_cases_poli_names() {
        assert_eq!(super::title_case("KULIT DAN KELAMIN"), "Kulit dan Kelamin");
        assert_eq!(super::title_case("THT-KL"), "THT-KL");
        assert_eq!(super::title_case("OBSTETRI & GINEKOLOGI"), "Obstetri & Ginekologi");
    }
}
