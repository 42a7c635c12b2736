//! `updatewaktu`, `batal` and `getlisttask`: the task-order rules and their messages.

use crate::support::{booking, world};
use loket_bpjs::model::{BatalAntrean, UpdateWaktu};
use loket_bpjs::{Error, Outcome};

fn task(kodebooking: &str, taskid: i64, waktu: i64) -> UpdateWaktu {
    UpdateWaktu {
        kodebooking: kodebooking.into(),
        taskid,
        waktu,
        jenisresep: None,
    }
}

fn refused(result: Result<Outcome, Error>) -> String {
    match result {
        Err(Error::Business { code: 201, message }) => message,
        other => panic!("expected a 201, got {other:?}"),
    }
}

#[tokio::test]
async fn task_order_cancel_and_list() {
    let w = world().await;
    let client = w.client();
    let slot = w.open_slot();
    assert!(matches!(
        client.antrean_add(&booking(&slot, "T-1")).await.unwrap(),
        Outcome::Done { .. }
    ));
    let t = 1_700_100_000_000;

    assert_eq!(
        refused(client.update_waktu(&task("T-1", 4, t)).await),
        "TaskId=3 belum ada"
    );
    assert!(matches!(
        client.update_waktu(&task("T-1", 3, t)).await.unwrap(),
        Outcome::Done { .. }
    ));
    let dup = client.update_waktu(&task("T-1", 3, t)).await.unwrap();
    assert_eq!(
        dup,
        Outcome::AlreadyDone {
            code: 208,
            message: "TaskId=3 sudah ada".into()
        }
    );
    assert_eq!(
        refused(client.update_waktu(&task("T-1", 5, t)).await),
        "TaskId=5 tidak valid / TaskId sebelumnya belum terkirim"
    );
    assert!(client
        .update_waktu(&task("T-1", 4, t + 60_000))
        .await
        .unwrap()
        .is_success());
    assert_eq!(
        refused(client.update_waktu(&task("T-1", 2, t)).await),
        "TaskId terakhir 4"
    );

    let tasks = client.list_task("T-1").await.unwrap();
    assert_eq!(tasks.iter().map(|r| r.taskid).collect::<Vec<_>>(), vec![3, 4]);
    assert_eq!(tasks[0].wakturs, "16-11-2023 09:00:00 WIB");
    assert_eq!(tasks[0].taskname, "akhir waktu layan admisi/mulai waktu tunggu poli");
    assert_eq!(
        client.pendaftaran_by_kodebooking("T-1").await.unwrap()[0].status,
        "Sedang dilayani"
    );

    let batal = BatalAntrean {
        kodebooking: "T-1".into(),
        keterangan: "Pasien tidak hadir".into(),
    };
    assert!(matches!(
        client.batal_antrean(&batal).await.unwrap(),
        Outcome::Done { .. }
    ));
    assert_eq!(
        refused(client.update_waktu(&task("T-1", 5, t)).await),
        "TaskId terakhir 99"
    );
    // A repeated cancel (e.g. a retry after a lost answer) is already done.
    assert!(client.batal_antrean(&batal).await.unwrap().is_already_done());
    assert_eq!(
        client.pendaftaran_by_kodebooking("T-1").await.unwrap()[0].status,
        "Batal"
    );
    assert!(client.pendaftaran_aktif().await.unwrap().is_empty());
}

#[tokio::test]
async fn new_patient_path_and_unknown_booking() {
    let w = world().await;
    let client = w.client();
    let slot = w.open_slot();
    let mut add = booking(&slot, "T-2");
    add.pasienbaru = 1;
    assert!(matches!(client.antrean_add(&add).await.unwrap(), Outcome::Done { .. }));
    let t = 1_700_100_000_000;
    assert!(matches!(
        client.update_waktu(&task("T-2", 1, t)).await.unwrap(),
        Outcome::Done { .. }
    ));
    assert_eq!(
        refused(client.update_waktu(&task("T-2", 3, t)).await),
        "Task=1 ada. TaskId=2 belum ada"
    );
    // A booking without tasks lists as an empty (encrypted) array.
    assert!(matches!(
        client.antrean_add(&booking(&slot, "T-3")).await.unwrap(),
        Outcome::Done { .. }
    ));
    assert!(client.list_task("T-3").await.unwrap().is_empty());
    assert!(matches!(
        client.list_task("nope").await,
        Err(Error::Business { code: 201, .. })
    ));
    assert!(matches!(
        client.update_waktu(&task("nope", 3, t)).await,
        Err(Error::Business { code: 201, .. })
    ));
}
