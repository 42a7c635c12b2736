//! Clerk-facing explanations in Bahasa Indonesia.

use super::{Error, NetworkKind};

pub(super) fn penjelasan(e: &Error) -> String {
    match e {
        Error::Network { kind: NetworkKind::Timeout, .. } => {
            "BPJS tidak menjawab dalam batas waktu. Jaringan lambat atau server BPJS sibuk; coba lagi sebentar lagi.".into()
        }
        Error::Network { kind: NetworkKind::Connect, .. } => {
            "Jaringan tidak tersedia: komputer tidak dapat terhubung ke server BPJS. Periksa koneksi internet.".into()
        }
        Error::Network { .. } => "Jaringan tidak tersedia: koneksi ke BPJS terputus. Coba lagi.".into(),
        Error::Http { status: 429, .. } => {
            "Server BPJS menolak karena terlalu banyak permintaan. Tunggu sebentar lalu coba lagi.".into()
        }
        Error::Http { status, .. } if *status >= 500 => {
            format!("Server BPJS sedang bermasalah (HTTP {status}). Coba lagi beberapa saat lagi.")
        }
        Error::Http { status: 401 | 403, .. } => {
            "Akses ke BPJS ditolak: periksa Cons ID, secret dan user_key Antrean.".into()
        }
        Error::Http { status, .. } => format!("Permintaan ke BPJS gagal (HTTP {status})."),
        Error::NotJson { .. } => {
            "BPJS mengirim halaman yang tidak dikenali (mungkin halaman gangguan gateway). Coba lagi nanti; bila berulang, hubungi IT.".into()
        }
        Error::Business { code, message } => business(*code, message),
        Error::Decrypt(_) | Error::Decompress(_) => {
            "Jawaban BPJS tidak dapat dibuka: periksa Cons ID dan secret, dan pastikan jam komputer tepat.".into()
        }
        Error::Schema { field, .. } => {
            format!("Format data dari BPJS tidak sesuai (kolom {field}). Hubungi IT.")
        }
        Error::Config(_) => "Pengaturan BPJS belum benar: periksa alamat server, Cons ID, secret dan user_key.".into(),
    }
}

fn business(code: i64, message: &str) -> String {
    let lower = message.to_lowercase();
    if lower.contains("signature") {
        "Tanda tangan (signature) ditolak BPJS: periksa Cons ID dan secret.".into()
    } else if lower.contains("timestamp") || lower.contains("expired") || lower.contains("kedaluwarsa") {
        "Jam komputer berbeda dengan server BPJS: samakan jam dan zona waktu komputer (sinkronkan NTP).".into()
    } else if lower.contains("user_key") || lower.contains("user key") || lower.contains("not registered") {
        "Cons ID atau user_key tidak terdaftar untuk layanan Antrean RS: periksa user_key Antrean (berbeda dengan user_key VClaim).".into()
    } else if code == 208 {
        format!("Data sudah tercatat di BPJS: {message}")
    } else if message.is_empty() {
        format!("BPJS menolak permintaan (kode {code}).")
    } else {
        format!("BPJS menolak permintaan: {message}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_and_clock() {
        let sig = Error::business(401, "Authentication failed: invalid signature");
        assert!(sig.penjelasan().starts_with("Tanda tangan (signature) ditolak BPJS"));
        let ts = Error::business(401, "Authentication failed: X-timestamp expired");
        assert!(ts.penjelasan().starts_with("Jam komputer berbeda dengan server BPJS"));
        let net = Error::Network {
            kind: NetworkKind::Connect,
            detail: String::new(),
        };
        assert!(net.penjelasan().starts_with("Jaringan tidak tersedia"));
    }
}
