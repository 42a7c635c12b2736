//! Task-order rules of `antrean/updatewaktu` (spec §7), as a pure function.

use std::collections::BTreeMap;

/// What the server answers to one task update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskVerdict {
    /// Record it.
    Accept,
    /// `208`: already recorded.
    Duplicate(String),
    /// `201` with the message.
    Reject(String),
}

/// Decides a task update given the tasks already recorded (99 included) and whether the
/// booking was cancelled through `antrean/batal`.
pub fn decide_task<V>(recorded: &BTreeMap<i64, V>, cancelled: bool, taskid: i64) -> TaskVerdict {
    if recorded.contains_key(&taskid) {
        return TaskVerdict::Duplicate(format!("TaskId={taskid} sudah ada"));
    }
    if cancelled || recorded.contains_key(&99) {
        return TaskVerdict::Reject("TaskId terakhir 99".into());
    }
    if taskid == 99 {
        return TaskVerdict::Accept;
    }
    if !(1..=7).contains(&taskid) {
        return TaskVerdict::Reject(format!("TaskId={taskid} tidak valid"));
    }
    let latest = recorded.keys().copied().filter(|t| *t != 99).max();
    match latest {
        None => match taskid {
            1 | 3 => TaskVerdict::Accept,
            n => TaskVerdict::Reject(format!("TaskId={} belum ada", n - 1)),
        },
        Some(latest) if taskid < latest => TaskVerdict::Reject(format!("TaskId terakhir {latest}")),
        Some(1) if taskid == 3 => TaskVerdict::Reject("Task=1 ada. TaskId=2 belum ada".into()),
        Some(latest) if taskid == latest + 1 => TaskVerdict::Accept,
        Some(_) => TaskVerdict::Reject(format!(
            "TaskId={taskid} tidak valid / TaskId sebelumnya belum terkirim"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(tasks: &[i64]) -> BTreeMap<i64, ()> {
        tasks.iter().map(|t| (*t, ())).collect()
    }

    #[test]
    fn table() {
        use TaskVerdict::*;
        let cases: &[(&[i64], bool, i64, TaskVerdict)] = &[
            (&[], false, 1, Accept),
            (&[], false, 3, Accept),
            (&[], false, 2, Reject("TaskId=1 belum ada".into())),
            (&[], false, 4, Reject("TaskId=3 belum ada".into())),
            (&[1], false, 2, Accept),
            (&[1], false, 3, Reject("Task=1 ada. TaskId=2 belum ada".into())),
            (&[3], false, 4, Accept),
            (&[3], false, 3, Duplicate("TaskId=3 sudah ada".into())),
            (&[3, 4, 5], false, 4, Duplicate("TaskId=4 sudah ada".into())),
            (
                &[3, 4, 5],
                false,
                7,
                Reject("TaskId=7 tidak valid / TaskId sebelumnya belum terkirim".into()),
            ),
            (&[3, 4, 5, 6], false, 2, Reject("TaskId terakhir 6".into())),
            (&[3], false, 99, Accept),
            (&[3, 99], false, 4, Reject("TaskId terakhir 99".into())),
            (&[3], true, 4, Reject("TaskId terakhir 99".into())),
            (&[99], false, 99, Duplicate("TaskId=99 sudah ada".into())),
        ];
        for (recorded, cancelled, taskid, expected) in cases {
            assert_eq!(
                &decide_task(&with(recorded), *cancelled, *taskid),
                expected,
                "{recorded:?} + {taskid}"
            );
        }
    }
}
