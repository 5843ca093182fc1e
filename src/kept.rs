//! Texts that live as long as the program and are the same on every call (the module's
//! constant files, the trust policies of a partition): JS receives each once per instance
//! (src/tape.rs numbers them by address). Other serializers, serde_json among them, write them
//! as the strings they are.

use std::borrow::Cow;

use serde::{Serialize, Serializer};

/// The newtype-struct name by which a `&'static str` says it is a kept text. A `static`, as the
/// other such names: src/tape.rs knows them by address.
pub(crate) static KEPT_TEXT: &str = "$iam_metaflow::KeptText";

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

// Joined texts: for the tape only (src/tape.rs), which only the wasm build and the tests have.
#[cfg(any(target_arch = "wasm32", test))]
pub(crate) use joined::{Joined, Part, JOINED_TEXT};

#[cfg(any(target_arch = "wasm32", test))]
mod joined {
    use serde::{Serialize, Serializer};

    use super::kept_text;

    /// The newtype-struct name by which a list of parts says it is one text, their concatenation.
    pub(crate) static JOINED_TEXT: &str = "$iam_metaflow::JoinedText";

    /// A part of a [`Joined`] text.
    pub(crate) enum Part<'a> {
        /// A text that lives as long as the program, sent as a kept text.
        Kept(&'static str),
        /// Any other text.
        Text(&'a str),
    }

    /// A text made of parts, some of them kept texts (the README's constant sections, say): sent
    /// as its parts, which JS joins, so that the constant ones cross once per instance. Only
    /// src/tape.rs knows it: serde_json would write the parts as a list.
    pub(crate) struct Joined<'a>(pub(crate) &'a [Part<'a>]);

    impl Serialize for Joined<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_newtype_struct(JOINED_TEXT, &Parts(self.0))
        }
    }

    struct Parts<'a>(&'a [Part<'a>]);

    impl Serialize for Parts<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_seq(self.0.iter())
        }
    }

    impl Serialize for Part<'_> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            match self {
                Part::Kept(kept) => kept_text(kept, serializer),
                Part::Text(text) => serializer.serialize_str(text),
            }
        }
    }
}
