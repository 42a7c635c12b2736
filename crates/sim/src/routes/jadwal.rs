//! `jadwaldokter/kodepoli/{kodepoli}/tanggal/{tanggal}`, `jadwaldokter/updatejadwaldokter`.

use super::{parse_date, AppState};
use crate::reply::{parse_body, serve, Reply};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use loket_bpjs::model::UpdateJadwalDokter;

pub(super) async fn by_poli_tanggal(
    State(s): State<AppState>,
    Path((kodepoli, tanggal)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    serve(&s, "jadwaldokter", &headers, |st, _| {
        let Some(date) = parse_date(&tanggal) else {
            return Reply::meta(201, "Format tanggal tidak valid");
        };
        if !st.hfis.knows_poli(&kodepoli) {
            return Reply::meta(201, "Poli tidak ditemukan");
        }
        let items = st.hfis.jadwal(&kodepoli, date);
        if items.is_empty() {
            Reply::meta(201, "Jadwal dokter tidak ditemukan")
        } else {
            Reply::encrypted(200, "Ok", &items)
        }
    })
    .await
}

pub(super) async fn update(State(s): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    serve(&s, "jadwaldokter/updatejadwaldokter", &headers, |st, ctx| {
        let update: UpdateJadwalDokter = match parse_body(&body) {
            Ok(u) => u,
            Err(reply) => return reply,
        };
        match st.hfis.update_schedule(&update, ctx.today) {
            Ok(()) => Reply::ok(),
            Err(message) => Reply::meta(201, message),
        }
    })
    .await
}
