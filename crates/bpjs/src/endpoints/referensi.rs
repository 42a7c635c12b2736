//! `ref/poli`, `ref/dokter`.

use super::OK_REF;
use crate::client::Client;
use crate::error::Result;
use crate::model::{Dokter, Poli};

impl Client {
    /// `GET ref/poli`: polyclinics and their sub-specialities.
    pub async fn ref_poli(&self) -> Result<Vec<Poli>> {
        self.get_list("ref/poli", "ref/poli", OK_REF).await
    }

    /// `GET ref/dokter`: doctors registered in HFIS.
    pub async fn ref_dokter(&self) -> Result<Vec<Dokter>> {
        self.get_list("ref/dokter", "ref/dokter", OK_REF).await
    }
}
