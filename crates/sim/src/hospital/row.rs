//! One row of a list, with its fields in the API's order (serde_json's own map would sort them,
//! and turning on `preserve_order` would change every crate of the workspace).

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

/// Field name and value pairs, serialised as a JSON object in this order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Row(pub(crate) Vec<(&'static str, Value)>);

impl Row {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Self(Vec::with_capacity(n))
    }

    /// Appends a field.
    pub(crate) fn put(&mut self, key: &'static str, value: impl Into<Value>) -> &mut Self {
        self.0.push((key, value.into()));
        self
    }

    /// Replaces the value of a field (appends it when absent).
    pub(crate) fn set(&mut self, key: &'static str, value: Value) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key, value)),
        }
    }

    /// Leaves a field out.
    pub(crate) fn remove(&mut self, key: &str) {
        self.0.retain(|(k, _)| *k != key);
    }
}

impl Serialize for Row {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// `Some(text)` as a string, `None` as `null`.
pub(crate) fn opt(text: Option<impl Into<String>>) -> Value {
    text.map_or(Value::Null, |t| Value::String(t.into()))
}
