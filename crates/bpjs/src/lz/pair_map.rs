//! An open-addressing map from `(phrase code, next unit)` to the code of the longer phrase:
//! the compressor's dictionary, without hashing strings.

const EMPTY: u64 = u64::MAX;

pub(super) struct PairMap {
    keys: Vec<u64>,
    values: Vec<u32>,
    len: usize,
    mask: usize,
}

#[inline(always)]
fn key(prefix: u32, unit: u16) -> u64 {
    (u64::from(prefix) << 16) | u64::from(unit)
}

#[inline(always)]
fn slot(k: u64, mask: usize) -> usize {
    (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize & mask
}

impl PairMap {
    pub(super) fn with_capacity(n: usize) -> Self {
        let cap = (n.max(8) * 2).next_power_of_two();
        Self {
            keys: vec![EMPTY; cap],
            values: vec![0; cap],
            len: 0,
            mask: cap - 1,
        }
    }

    #[inline]
    pub(super) fn get(&self, prefix: u32, unit: u16) -> Option<u32> {
        let k = key(prefix, unit);
        let mut i = slot(k, self.mask);
        loop {
            let found = self.keys[i];
            if found == k {
                return Some(self.values[i]);
            }
            if found == EMPTY {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Inserts a key known to be absent.
    #[inline]
    pub(super) fn insert_new(&mut self, prefix: u32, unit: u16, value: u32) {
        if (self.len + 1) * 2 > self.keys.len() {
            self.grow();
        }
        let k = key(prefix, unit);
        let mut i = slot(k, self.mask);
        while self.keys[i] != EMPTY {
            i = (i + 1) & self.mask;
        }
        self.keys[i] = k;
        self.values[i] = value;
        self.len += 1;
    }

    fn grow(&mut self) {
        let cap = self.keys.len() * 2;
        let old_keys = std::mem::replace(&mut self.keys, vec![EMPTY; cap]);
        let old_values = std::mem::replace(&mut self.values, vec![0; cap]);
        self.mask = cap - 1;
        for (k, v) in old_keys.into_iter().zip(old_values) {
            if k != EMPTY {
                let mut i = slot(k, self.mask);
                while self.keys[i] != EMPTY {
                    i = (i + 1) & self.mask;
                }
                self.keys[i] = k;
                self.values[i] = v;
            }
        }
    }
}
