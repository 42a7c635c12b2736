//! Fixed tables the generator draws from: polyclinics with sub-specialities, name parts,
//! practice windows. All synthetic.

/// A polyclinic: code, name, the title of its specialists, and its sub-specialities as
/// (kdsubspesialis, nmsubspesialis).
pub(super) struct PoliEntry(
    pub &'static str,
    pub &'static str,
    pub &'static str,
    pub &'static [(&'static str, &'static str)],
);

pub(super) const POLIS: &[PoliEntry] = &[
    PoliEntry(
        "ANA",
        "ANAK",
        "Sp.A",
        &[
            ("ANA", "ANAK"),
            ("027", "ANAK ALERGI IMUNOLOGI"),
            ("029", "ANAK GASTROHEPATOLOGI"),
        ],
    ),
    PoliEntry(
        "INT",
        "PENYAKIT DALAM",
        "Sp.PD",
        &[("INT", "PENYAKIT DALAM"), ("012", "PENYAKIT DALAM GINJAL HIPERTENSI")],
    ),
    PoliEntry("OBG", "OBGYN", "Sp.OG", &[("OBG", "OBSTETRI & GINEKOLOGI")]),
    PoliEntry("MAT", "MATA", "Sp.M", &[("MAT", "MATA")]),
    PoliEntry("BED", "BEDAH", "Sp.B", &[("BED", "BEDAH"), ("BDA", "BEDAH ANAK")]),
    PoliEntry("SAR", "SARAF", "Sp.N", &[("SAR", "SARAF")]),
    PoliEntry(
        "JAN",
        "JANTUNG DAN PEMBULUH DARAH",
        "Sp.JP",
        &[("JAN", "JANTUNG DAN PEMBULUH DARAH")],
    ),
    PoliEntry("THT", "THT-KL", "Sp.THT-KL", &[("THT", "THT-KL")]),
    PoliEntry("KLT", "KULIT DAN KELAMIN", "Sp.KK", &[("KLT", "KULIT DAN KELAMIN")]),
    PoliEntry("GIG", "GIGI", "drg.", &[("GIG", "GIGI"), ("GND", "GIGI ENDODONSI")]),
    PoliEntry("PAR", "PARU", "Sp.P", &[("PAR", "PARU")]),
    PoliEntry("ORT", "ORTHOPEDI", "Sp.OT", &[("ORT", "ORTHOPEDI")]),
];

pub(super) const FIRST_NAMES: &[&str] = &[
    "Andi", "Budi", "Citra", "Dewi", "Eka", "Fajar", "Gita", "Hadi", "Indah", "Joko", "Kartika", "Lestari", "Made",
    "Nadia", "Oka", "Putri", "Rizky", "Sari", "Teguh", "Wulan", "Yusuf", "Zahra",
];

pub(super) const LAST_NAMES: &[&str] = &[
    "Wijaya",
    "Santoso",
    "Pratama",
    "Saputra",
    "Hidayat",
    "Nugroho",
    "Kusuma",
    "Siregar",
    "Harahap",
    "Simanjuntak",
    "Lubis",
    "Wibowo",
    "Setiawan",
    "Rahmawati",
    "Gunawan",
    "Permana",
    "Sitompul",
    "Daulay",
];

/// Morning windows, one of which every practice day has.
pub(super) const MORNING: &[(&str, &str)] = &[("08:00", "12:00"), ("09:00", "13:00"), ("07:30", "11:30")];

/// Afternoon or evening windows, added on some days.
pub(super) const AFTERNOON: &[(&str, &str)] = &[("13:00", "16:00"), ("15:00", "17:00"), ("16:45", "19:00")];

/// Upper-case weekday names, index 1 = SENIN … 7 = MINGGU.
pub(super) const NAMAHARI: [&str; 8] = ["", "SENIN", "SELASA", "RABU", "KAMIS", "JUMAT", "SABTU", "MINGGU"];
