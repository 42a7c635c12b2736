//! proptest: random command sequences against a small reference model written from the issue's
//! rules (it shares no code with the engine), plus the engine's invariants after every step.

use super::*;
use proptest::prelude::*;

/// confirmed, waitlisted, in progress, done, cancelled, no-show
#[derive(Clone, Copy, Debug, PartialEq)]
enum St {
    C,
    W,
    P,
    D,
    X,
    N,
}

#[derive(Clone, Debug)]
struct RefToken {
    id: i64,
    number: u32,
    slot: usize,
    prio: i64,
    minute: i64,
    st: St,
}

/// The session 08:00-10:30 in minutes of the day.
struct Model {
    cap: Vec<u32>,
    end: Vec<i64>,
    toks: Vec<RefToken>,
}

type Outcome = std::result::Result<(), ErrorCode>;

impl Model {
    fn new(capacity: u32, minutes: u32) -> Model {
        let (start, stop, m) = (8 * 60, 10 * 60 + 30, i64::from(minutes));
        let mut end = Vec::new();
        let mut t = start;
        while t < stop {
            t = (t + m).min(stop);
            end.push(t);
        }
        let n = end.len() as u32;
        let cap = (0..n).map(|i| capacity / n + u32::from(i < capacity % n)).collect();
        Model {
            cap,
            end,
            toks: Vec::new(),
        }
    }

    fn key(t: &RefToken) -> (i64, i64, u32) {
        (-t.prio, t.minute, t.number)
    }

    fn occ(&self, slot: usize) -> u32 {
        self.toks
            .iter()
            .filter(|t| t.slot == slot && matches!(t.st, St::C | St::P | St::D))
            .count() as u32
    }

    fn lowest_confirmed(&self, slot: usize) -> Option<usize> {
        (0..self.toks.len())
            .filter(|&i| self.toks[i].slot == slot && self.toks[i].st == St::C)
            .max_by_key(|&i| Self::key(&self.toks[i]))
    }

    fn promote(&mut self, slot: usize) {
        while self.occ(slot) < self.cap[slot] {
            let first = (0..self.toks.len())
                .filter(|&i| self.toks[i].slot == slot && self.toks[i].st == St::W)
                .min_by_key(|&i| Self::key(&self.toks[i]));
            match first {
                Some(i) => self.toks[i].st = St::C,
                None => break,
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn request(&mut self, id: i64, number: u32, slot: Option<usize>, src: u8, paid: bool, minute: i64) -> Outcome {
        if self.toks.iter().any(|t| t.id == id || t.number >= number) {
            return Err(ErrorCode::Conflict);
        }
        let n = self.end.len();
        let open: Vec<usize> = (0..n).filter(|&i| self.end[i] > minute).collect();
        let chosen = match slot {
            Some(s) if s >= n => return Err(ErrorCode::NotFound),
            Some(s) => s,
            None => match open.iter().find(|&&i| self.occ(i) < self.cap[i]).or(open.first()) {
                Some(&s) => s,
                None => return Err(ErrorCode::Conflict),
            },
        };
        if open.is_empty() {
            return Err(ErrorCode::Conflict);
        }
        let emergency = src == 3;
        let prio = [50, 100, 200, 0][src as usize] + if paid { 300 } else { 0 } + if emergency { 1000 } else { 0 };
        let me = self.toks.len();
        self.toks.push(RefToken {
            id,
            number,
            slot: chosen,
            prio,
            minute,
            st: St::W,
        });
        let last = if emergency { n - 1 } else { chosen };
        for s in chosen..=last {
            if self.occ(s) < self.cap[s] {
                (self.toks[me].st, self.toks[me].slot) = (St::C, s);
                return Ok(());
            }
            if let Some(l) = self.lowest_confirmed(s) {
                if Self::key(&self.toks[me]) < Self::key(&self.toks[l]) {
                    self.toks[l].st = St::W;
                    (self.toks[me].st, self.toks[me].slot) = (St::C, s);
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    fn transition(&mut self, id: i64, from: &[St], to: St) -> Outcome {
        let Some(i) = self.toks.iter().position(|t| t.id == id) else {
            return Err(ErrorCode::NotFound);
        };
        let was = self.toks[i].st;
        if !from.contains(&was) {
            return Err(ErrorCode::Conflict);
        }
        self.toks[i].st = to;
        if was == St::C && matches!(to, St::X | St::N) {
            self.promote(self.toks[i].slot);
        }
        Ok(())
    }

    fn capacity(&mut self, slot: usize, n: u32) -> Outcome {
        if slot >= self.cap.len() {
            return Err(ErrorCode::NotFound);
        }
        let served = self
            .toks
            .iter()
            .filter(|t| t.slot == slot && matches!(t.st, St::P | St::D))
            .count() as u32;
        if n < served {
            return Err(ErrorCode::Conflict);
        }
        while self.occ(slot) > n {
            let l = self.lowest_confirmed(slot).expect("enough confirmed tokens");
            self.toks[l].st = St::W;
        }
        self.cap[slot] = n;
        self.promote(slot);
        Ok(())
    }
}

#[derive(Debug, Clone)]
enum Op {
    Request {
        slot: Option<usize>,
        src: u8,
        paid: bool,
        step: i64,
        skip: u32,
        stale: bool,
    },
    Cancel(usize),
    NoShow(usize),
    Call(usize),
    Complete(usize),
    Capacity(usize, u32),
}

fn op() -> impl Strategy<Value = Op> {
    let request = (
        prop::option::of(0usize..6),
        0u8..4,
        any::<bool>(),
        0i64..45,
        0u32..3,
        prop::bool::weighted(0.05),
    )
        .prop_map(|(slot, src, paid, step, skip, stale)| Op::Request {
            slot,
            src,
            paid,
            step,
            skip,
            stale,
        });
    prop_oneof![
        6 => request,
        2 => (0usize..64).prop_map(Op::Cancel),
        1 => (0usize..64).prop_map(Op::NoShow),
        2 => (0usize..64).prop_map(Op::Call),
        2 => (0usize..64).prop_map(Op::Complete),
        1 => (0usize..6, 0u32..7).prop_map(|(s, n)| Op::Capacity(s, n)),
    ]
}

const SOURCES: [Source; 4] = [Source::Online, Source::WalkIn, Source::FollowUp, Source::Emergency];

fn status_of(st: St) -> Status {
    match st {
        St::C => Status::Confirmed,
        St::W => Status::Waitlisted,
        St::P => Status::InProgress,
        St::D => Status::Completed,
        St::X => Status::Cancelled,
        St::N => Status::NoShow,
    }
}

/// Applies `op` to the model and returns the engine command for it.
fn step(model: &mut Model, op: &Op) -> (Command, Outcome) {
    // An index past the issued tokens names a token that does not exist.
    let pick = |i: usize| model.toks.get(i % (model.toks.len() + 1)).map_or(999, |t| t.id);
    let last = model.toks.iter().map(|t| t.number).max().unwrap_or(0);
    match *op {
        Op::Request {
            slot,
            src,
            paid,
            step,
            skip,
            stale,
        } => {
            let number = if stale && last > 0 { last } else { last + 1 + skip };
            let id = 1000 + i64::from(number) + if stale { 500 } else { 0 };
            let minute = 7 * 60 + step * 5;
            let source = SOURCES[src as usize];
            let cmd = Command::Request {
                token_id: TokenId(id),
                number,
                slot_id: slot.map(|s| SlotId(11 + s as i64)),
                source,
                paid,
                jenis: Jenis::NonJkn,
                norm: None,
                name: Some("Pasien".into()),
                priority: Weights::default().priority(source, paid),
                requested_at: at("00:00") + chrono::Duration::minutes(minute),
            };
            (cmd, model.request(id, number, slot, src, paid, minute))
        }
        Op::Cancel(i) => {
            let id = pick(i);
            (
                Command::Cancel {
                    token_id: TokenId(id),
                    reason: None,
                },
                model.transition(id, &[St::C, St::W], St::X),
            )
        }
        Op::NoShow(i) => (
            Command::NoShow {
                token_id: TokenId(pick(i)),
            },
            model.transition(pick(i), &[St::C], St::N),
        ),
        Op::Call(i) => (
            Command::Call {
                token_id: TokenId(pick(i)),
            },
            model.transition(pick(i), &[St::C], St::P),
        ),
        Op::Complete(i) => (
            Command::Complete {
                token_id: TokenId(pick(i)),
            },
            model.transition(pick(i), &[St::P], St::D),
        ),
        Op::Capacity(s, n) => (
            Command::ChangeCapacity {
                slot_id: SlotId(11 + s as i64),
                capacity: n,
            },
            model.capacity(s, n),
        ),
    }
}

fn check_invariants(state: &SessionState, log: &[Event]) {
    for slot in &state.slots {
        let occupied = state.occupied(slot.slot_id);
        let waiting = state
            .tokens
            .iter()
            .filter(|t| t.slot_id == slot.slot_id && t.status == Status::Waitlisted)
            .count();
        assert!(occupied <= slot.capacity, "slot {} over capacity", slot.slot_id);
        assert!(
            waiting == 0 || occupied == slot.capacity,
            "slot {} has a waitlist but room",
            slot.slot_id
        );
    }
    assert!(
        state.tokens.windows(2).all(|w| w[0].number < w[1].number),
        "numbers unique and increasing"
    );
    let mut ids: Vec<i64> = state.tokens.iter().map(|t| t.token_id.0).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), state.tokens.len(), "one entry (one status) per token");
    let pos = positions(state);
    for slot in &state.slots {
        for (status, get) in [
            (
                Status::Confirmed,
                (|p: &Position| p.position) as fn(&Position) -> Option<u32>,
            ),
            (Status::Waitlisted, |p: &Position| p.waitlist_position),
        ] {
            let mut seen: Vec<u32> = state
                .tokens
                .iter()
                .filter(|t| t.slot_id == slot.slot_id && t.status == status)
                .map(|t| get(&pos[&t.token_id]).expect("a position"))
                .collect();
            seen.sort_unstable();
            assert_eq!(seen, (1..=seen.len() as u32).collect::<Vec<_>>());
        }
    }
    assert_eq!(
        &SessionState::from_events(log).expect("the log replays"),
        state,
        "replay equals live state"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn engine_agrees_with_the_reference_model(
        capacity in 1u32..=9,
        minutes in prop::sample::select(vec![30u32, 60, 90]),
        ops in prop::collection::vec(op(), 1..70),
    ) {
        let created = plan_session(&spec("08:00-10:30", capacity, minutes)).unwrap();
        let mut model = Model::new(capacity, minutes);
        let mut state = SessionState::from_events(std::slice::from_ref(&created)).unwrap();
        let planned: Vec<(u32, DateTime<Utc>)> = state.slots.iter().map(|s| (s.capacity, s.end)).collect();
        let expected: Vec<(u32, DateTime<Utc>)> =
            model.cap.iter().zip(&model.end).map(|(c, e)| (*c, at("00:00") + chrono::Duration::minutes(*e))).collect();
        prop_assert_eq!(planned, expected);
        let mut log = vec![created];
        for op in &ops {
            let before = state.clone();
            let (cmd, want) = step(&mut model, op);
            let decided = decide(&state, &cmd, now());
            prop_assert_eq!(&state, &before);
            let got = execute(&mut state, &cmd, now());
            prop_assert_eq!(&decided, &got);
            match (got, want) {
                (Ok(events), Ok(())) => log.extend(events),
                (Err(e), Err(code)) => {
                    prop_assert_eq!(e.code, code, "{:?}: {}", op, e.message);
                    prop_assert_eq!(&state, &before);
                }
                (got, want) => prop_assert!(false, "{:?}: engine {:?}, model {:?}", op, got, want),
            }
            let engine: Vec<(i64, Status, i64)> = state.tokens.iter().map(|t| (t.token_id.0, t.status, t.slot_id.0)).collect();
            let reference: Vec<(i64, Status, i64)> =
                model.toks.iter().map(|t| (t.id, status_of(t.st), 11 + t.slot as i64)).collect();
            prop_assert_eq!(engine, reference, "after {:?}", op);
            let caps: Vec<u32> = state.slots.iter().map(|s| s.capacity).collect();
            prop_assert_eq!(&caps, &model.cap);
            check_invariants(&state, &log);
        }
    }
}
