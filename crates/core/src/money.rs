//! Money is an integer number of rupiah. There is no floating point money anywhere in Loket.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, Neg, Sub};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(transparent)]
pub struct Rupiah(pub i64);

impl Rupiah {
    pub const ZERO: Rupiah = Rupiah(0);
    pub fn checked_add(self, other: Rupiah) -> Option<Rupiah> {
        self.0.checked_add(other.0).map(Rupiah)
    }
}

impl Add for Rupiah {
    type Output = Rupiah;
    fn add(self, o: Rupiah) -> Rupiah {
        Rupiah(self.0 + o.0)
    }
}
impl Sub for Rupiah {
    type Output = Rupiah;
    fn sub(self, o: Rupiah) -> Rupiah {
        Rupiah(self.0 - o.0)
    }
}
impl Neg for Rupiah {
    type Output = Rupiah;
    fn neg(self) -> Rupiah {
        Rupiah(-self.0)
    }
}

/// Indonesian notation: `Rp 1.234.567`, `-Rp 5.000`.
impl fmt::Display for Rupiah {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.unsigned_abs().to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push('.');
            }
            grouped.push(c);
        }
        if self.0 < 0 {
            write!(f, "-Rp {grouped}")
        } else {
            write!(f, "Rp {grouped}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_indonesian_notation() {
        assert_eq!(Rupiah(0).to_string(), "Rp 0");
        assert_eq!(Rupiah(999).to_string(), "Rp 999");
        assert_eq!(Rupiah(1000).to_string(), "Rp 1.000");
        assert_eq!(Rupiah(1_234_567).to_string(), "Rp 1.234.567");
        assert_eq!(Rupiah(-50_000).to_string(), "-Rp 50.000");
    }

    #[test]
    fn arithmetic_is_exact() {
        assert_eq!(Rupiah(100) + Rupiah(250) - Rupiah(50), Rupiah(300));
        assert_eq!(Rupiah(i64::MAX).checked_add(Rupiah(1)), None);
    }
}
