//! Texts that live as long as the program and are the same on every call (the module's
//! constant files, the trust policies of a partition): JS receives each once per instance
//! (src/tape.rs numbers them by address). Other serializers, serde_json among them, write them
//! as the strings they are.

use std::borrow::Cow;

use serde::{Serialize, Serializer};

/// The newtype-struct name by which a `&'static str` says it is a kept text.
pub(crate) const KEPT_TEXT: &str = "$iam_metaflow::KeptText";

/// Serializes a text that lives as long as the program as a kept text.
pub(crate) fn kept_text<S: Serializer>(
    text: &&'static str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_newtype_struct(KEPT_TEXT, *text)
}

/// A text to serialize: kept when borrowed for the program's life, else a string.
pub(crate) struct Text<'a>(pub(crate) &'a Cow<'static, str>);

impl Serialize for Text<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Cow::Borrowed(kept) => kept_text(kept, serializer),
            Cow::Owned(text) => serializer.serialize_str(text),
        }
    }
}
