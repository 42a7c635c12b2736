//! `antrean/add`, `antrean/updatewaktu`, `antrean/batal`, `antrean/getlisttask`.

use super::OK;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::antrean::KodeBooking;
use crate::model::{AntreanAdd, BatalAntrean, TaskRecord, UpdateWaktu};
use crate::outcome::Outcome;

/// A cancel that BPJS refuses because the booking is already cancelled.
fn is_already_cancelled(message: &str) -> bool {
    let m = message.to_lowercase();
    m.contains("sudah dibatalkan") || m.contains("sudah batal")
}

impl Client {
    /// `POST antrean/add`: register a booking. A duplicate `kodebooking` (208) is
    /// [`Outcome::AlreadyDone`].
    pub async fn antrean_add(&self, body: &AntreanAdd) -> Result<Outcome> {
        self.post("antrean/add", "antrean/add", body).await?.into_outcome()
    }

    /// `POST antrean/updatewaktu`: report a task time. A task already recorded (208) is
    /// [`Outcome::AlreadyDone`].
    pub async fn update_waktu(&self, body: &UpdateWaktu) -> Result<Outcome> {
        self.post("antrean/updatewaktu", "antrean/updatewaktu", body)
            .await?
            .into_outcome()
    }

    /// `POST antrean/batal`: cancel a booking. An already-cancelled booking is
    /// [`Outcome::AlreadyDone`], so a retried cancel succeeds.
    pub async fn batal_antrean(&self, body: &BatalAntrean) -> Result<Outcome> {
        match self.post("antrean/batal", "antrean/batal", body).await?.into_outcome() {
            Err(Error::Business { code, message }) if is_already_cancelled(&message) => {
                Ok(Outcome::AlreadyDone { code, message })
            }
            other => other,
        }
    }

    /// `POST antrean/getlisttask`: the tasks BPJS recorded for a booking.
    pub async fn list_task(&self, kodebooking: &str) -> Result<Vec<TaskRecord>> {
        let body = KodeBooking {
            kodebooking: kodebooking.to_owned(),
        };
        self.post("antrean/getlisttask", "antrean/getlisttask", &body)
            .await?
            .into_list(OK)
    }
}
