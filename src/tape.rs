//! How results cross to JS: any `Serialize` value written as a tape of `u32` operations and
//! one UTF-8 text holding every string back to back (no escaping), which JS decodes once and
//! slices where it is ASCII, as it almost always is (js/boundary.js `buildResult`). The JS value built is the one `JSON.parse` makes of
//! serde_json's text for the same value: same keys, key order and values.
//!
//! The tape, in serde's data model as serde_json writes it:
//! - `NULL`, `TRUE`, `FALSE`; `NUMBER lo hi` (the f64's bits; integers as `as f64`,
//!   non-finite floats as `NULL`); `STRING start end` (byte offsets into the text);
//! - `ARRAY n` and n values; `OBJECT n` and n entries, each a key then a value;
//! - keys: `KEY id` (a struct field name sent before), `NEW_KEY id start end` (a struct field
//!   name sent now, kept by JS under `id` for later calls), `DYN_KEY start end` (a map key);
//! - `KEY id` and `NEW_KEY id start end` as values: a kept text (src/kept.rs: the module
//!   files that are constants, the trust policies), numbered and kept by JS as the names are;
//! - `RAW start end`: JSON text JS parses with `JSON.parse` ([`ForJs`] sends each policy's
//!   `document` so, as its `minified_json`, rather than transcoding it value by value);
//!   `RAW_KEPT` then `KEY`/`NEW_KEY`: the same for JSON text that is a kept text (the trust
//!   policies);
//! - `JOINED n` and n strings (`STRING`, or a kept text as `KEY`/`NEW_KEY`): one string, their
//!   concatenation (src/kept.rs `Joined`: a text whose constant parts are kept texts).
//!
//! Struct field names and kept texts are `&'static str`: [`Keys`] numbers them by address, so
//! each crosses once per instance rather than once per object or call.

use std::borrow::Cow;

use serde::ser::{self, Serialize, SerializeStruct};

use crate::hcl::ModuleFiles;
use crate::kept::{Joined, Part, JOINED_TEXT, KEPT_TEXT};
use crate::mem::AppendStr;
use crate::{Generated, Hcl, InlinePolicy, Policy, Role};

/// A null.
pub(crate) const NULL: u32 = 0;
/// `true`.
pub(crate) const TRUE: u32 = 1;
/// `false`.
pub(crate) const FALSE: u32 = 2;
/// A number: two words follow, the low and high halves of the f64's bits.
pub(crate) const NUMBER: u32 = 3;
/// A string: its start and end in the text, in bytes.
pub(crate) const STRING: u32 = 4;
/// An array: its length, then its elements.
pub(crate) const ARRAY: u32 = 5;
/// An object: its entry count, then each key and value.
pub(crate) const OBJECT: u32 = 6;
/// A key numbered before: its number.
pub(crate) const KEY: u32 = 7;
/// A key numbered now: its number, start and end.
pub(crate) const NEW_KEY: u32 = 8;
/// A key not numbered: its start and end.
pub(crate) const DYN_KEY: u32 = 9;
/// JSON text for JS's `JSON.parse`: its start and end.
pub(crate) const RAW: u32 = 10;
/// JSON text that is a kept text: `KEY` or `NEW_KEY` follows.
pub(crate) const RAW_KEPT: u32 = 11;
/// A string joined from parts: their count, then each part.
pub(crate) const JOINED: u32 = 12;

/// The newtype-struct name by which a string says it is JSON text to cross as [`RAW`].
static RAW_JSON: &str = "$iam_metaflow::tape::RawJson";
/// The same for a `&'static str`, to cross as [`RAW_KEPT`].
static RAW_KEPT_JSON: &str = "$iam_metaflow::tape::RawKeptJson";

/// Slots of the key table (a power of two); at most 3/4 of them are used.
const SLOTS: usize = 256;

/// The struct field names numbered so far, by address: an open-addressing table.
pub(crate) struct Keys {
    slots: Vec<Option<(usize, usize, u32)>>,
    count: u32,
}

impl Default for Keys {
    fn default() -> Self {
        Keys {
            slots: vec![None; SLOTS],
            count: 0,
        }
    }
}

impl Keys {
    /// The number of `key`, and whether it is new; `None` when the table is full.
    /// Callers pass texts that live as long as the program (field names, the kept texts of
    /// src/kept.rs), so an address is never another text's.
    fn number(&mut self, key: &str) -> Option<(u32, bool)> {
        let address = key.as_ptr() as usize;
        let mut slot = (address >> 2 ^ key.len().wrapping_mul(31)) % SLOTS;
        loop {
            match self.slots.get_mut(slot)? {
                Some((a, l, id)) if *a == address && *l == key.len() => return Some((*id, false)),
                Some(_) => slot = (slot + 1) % SLOTS,
                free @ None => {
                    if self.count as usize >= SLOTS / 4 * 3 {
                        return None;
                    }
                    let id = self.count;
                    *free = Some((address, key.len(), id));
                    self.count += 1;
                    return Some((id, true));
                }
            }
        }
    }
}

/// A value written for JS: the operations and the text of all strings.
#[derive(Default)]
pub(crate) struct Tape {
    /// The operations.
    pub(crate) ops: Vec<u32>,
    /// Every string, back to back.
    pub(crate) text: String,
}

/// Why a value cannot be written: a map key that is not a string, or a custom error.
#[derive(Debug)]
pub(crate) struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// Writes `value` onto `tape`, numbering field names in `keys`. On an error the tape is
/// incomplete and `keys` may hold names JS never received: reset both.
pub(crate) fn write<T: Serialize + ?Sized>(
    value: &T,
    tape: &mut Tape,
    keys: &mut Keys,
) -> Result<(), Error> {
    value.serialize(&mut Writer {
        tape,
        keys,
        next: Next::Plain,
    })
}

impl Tape {
    /// Empties the tape, dropping buffers larger than `kept` bytes.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
    pub(crate) fn clear(&mut self, kept: usize) {
        if self.ops.capacity() * 4 > kept || self.text.capacity() > kept {
            *self = Tape::default();
        }
        self.ops.clear();
        self.text.clear();
    }

    /// Appends `s` to the text; its start and end (byte offsets).
    fn push_text(&mut self, s: &str) -> (u32, u32) {
        let start = self.text.len() as u32;
        self.text.append_str(s);
        (start, self.text.len() as u32)
    }

    fn string(&mut self, s: &str) {
        let (start, end) = self.push_text(s);
        self.ops.extend_from_slice(&[STRING, start, end]);
    }

    fn number(&mut self, n: f64) {
        if n.is_finite() {
            let bits = n.to_bits();
            self.ops
                .extend_from_slice(&[NUMBER, bits as u32, (bits >> 32) as u32]);
        } else {
            self.ops.push(NULL);
        }
    }

    /// Starts an array or object: the index of its count, filled in by [`Tape::close`].
    fn open(&mut self, op: u32) -> usize {
        self.ops.extend_from_slice(&[op, 0]);
        self.ops.len() - 1
    }

    fn close(&mut self, at: usize, count: u32) {
        if let Some(slot) = self.ops.get_mut(at) {
            *slot = count;
        }
    }
}

/// What the next string is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Next {
    /// A string.
    Plain,
    /// JSON text ([`RAW_JSON`]).
    Raw,
    /// A `&'static str` to keep ([`KEPT_TEXT`]: `KEY` or `NEW_KEY` as a value).
    Kept,
    /// JSON text that is a `&'static str` ([`RAW_KEPT_JSON`]).
    RawKept,
    /// The parts of one string ([`JOINED_TEXT`]): the next sequence is written as `JOINED`.
    Joined,
}

/// The serializer: a tape and the key table.
pub(crate) struct Writer<'a> {
    tape: &'a mut Tape,
    keys: &'a mut Keys,
    next: Next,
}

impl Writer<'_> {
    /// Writes a text that lives as long as the program (a struct field name, a kept text) as
    /// `KEY` or `NEW_KEY`, numbered by its address; false when the table is full.
    fn numbered(&mut self, text: &str) -> bool {
        match self.keys.number(text) {
            Some((id, false)) => self.tape.ops.extend_from_slice(&[KEY, id]),
            Some((id, true)) => {
                let (start, end) = self.tape.push_text(text);
                self.tape.ops.extend_from_slice(&[NEW_KEY, id, start, end]);
            }
            None => return false,
        }
        true
    }

    /// Writes JSON text as [`RAW`].
    fn raw(&mut self, text: &str) {
        let (start, end) = self.tape.push_text(text);
        self.tape.ops.extend_from_slice(&[RAW, start, end]);
    }

    fn field_key(&mut self, key: &'static str) {
        if !self.numbered(key) {
            self.dyn_key(key);
        }
    }

    fn dyn_key(&mut self, key: &str) {
        let (start, end) = self.tape.push_text(key);
        self.tape.ops.extend_from_slice(&[DYN_KEY, start, end]);
    }

    /// `{ variant: ... }`: opens the object and writes the key.
    fn variant(&mut self, variant: &'static str) -> usize {
        let at = self.tape.open(OBJECT);
        self.tape.close(at, 1);
        self.field_key(variant);
        at
    }
}

/// An array or object being written: where its count goes and the count so far.
pub(crate) struct Compound<'a, 'b> {
    writer: &'b mut Writer<'a>,
    at: usize,
    count: u32,
}

impl<'a, 'b> Compound<'a, 'b> {
    fn new(writer: &'b mut Writer<'a>, op: u32) -> Self {
        let at = writer.tape.open(op);
        Compound {
            writer,
            at,
            count: 0,
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.count += 1;
        value.serialize(&mut *self.writer)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.count += 1;
        self.writer.field_key(key);
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), Error> {
        self.writer.tape.close(self.at, self.count);
        Ok(())
    }
}

impl<'a, 'b> ser::Serializer for &'b mut Writer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, 'b>;
    type SerializeTuple = Compound<'a, 'b>;
    type SerializeTupleStruct = Compound<'a, 'b>;
    type SerializeTupleVariant = Compound<'a, 'b>;
    type SerializeMap = Compound<'a, 'b>;
    type SerializeStruct = Compound<'a, 'b>;
    type SerializeStructVariant = Compound<'a, 'b>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.tape.ops.push(if v { TRUE } else { FALSE });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        // JSON.parse reads the integer's text to the nearest f64, as `as` rounds.
        self.serialize_f64(v as f64)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.serialize_f64(v as f64)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        // serde_json writes an f32's shortest text, which JS reads as an f64.
        let n = if v.is_finite() {
            v.to_string().parse().unwrap_or(f64::NAN)
        } else {
            f64::NAN
        };
        self.serialize_f64(n)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.tape.number(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.tape.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        match std::mem::replace(&mut self.next, Next::Plain) {
            // A joined text of one string is that string.
            Next::Plain | Next::Joined => self.tape.string(v),
            Next::Raw => self.raw(v),
            Next::RawKept => {
                let at = self.tape.ops.len();
                self.tape.ops.push(RAW_KEPT);
                if !self.numbered(v) {
                    self.tape.ops.truncate(at);
                    self.raw(v);
                }
            }
            // Numbered as a field name is, or a string when the table is full.
            Next::Kept => {
                if !self.numbered(v) {
                    self.tape.string(v);
                }
            }
        }
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut seq = Compound::new(self, ARRAY);
        for b in v {
            seq.element(b)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.tape.ops.push(NULL);
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        // Our markers are statics that serde passes on as they are, so their address tells
        // them (comparing their texts is a byte loop in the wasm); any other name is a plain
        // newtype.
        let is = |marker: &'static str| std::ptr::eq(name, marker);
        self.next = if is(RAW_JSON) {
            Next::Raw
        } else if is(RAW_KEPT_JSON) {
            Next::RawKept
        } else if is(KEPT_TEXT) {
            Next::Kept
        } else if is(JOINED_TEXT) {
            Next::Joined
        } else {
            Next::Plain
        };
        let written = value.serialize(&mut *self);
        self.next = Next::Plain;
        written
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.variant(variant);
        value.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a, 'b>, Error> {
        let op = match std::mem::replace(&mut self.next, Next::Plain) {
            Next::Joined => JOINED,
            _ => ARRAY,
        };
        Ok(Compound::new(self, op))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a, 'b>, Error> {
        Ok(Compound::new(self, ARRAY))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'b>, Error> {
        Ok(Compound::new(self, ARRAY))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'b>, Error> {
        self.variant(variant);
        Ok(Compound::new(self, ARRAY))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a, 'b>, Error> {
        Ok(Compound::new(self, OBJECT))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a, 'b>, Error> {
        Ok(Compound::new(self, OBJECT))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'b>, Error> {
        self.variant(variant);
        Ok(Compound::new(self, OBJECT))
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.count += 1;
        key.serialize(MapKey(&mut *self.writer))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

/// A map key: strings and chars as they are, integers and bools as their text (as serde_json
/// writes them), unit variants as their name; anything else is an error.
struct MapKey<'w, 'a>(&'w mut Writer<'a>);

impl MapKey<'_, '_> {
    fn text(self, key: &str) -> Result<(), Error> {
        self.0.dyn_key(key);
        Ok(())
    }
}

fn key_error() -> Error {
    Error("a map key that is not a string".to_owned())
}

impl ser::Serializer for MapKey<'_, '_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.text(if v { "true" } else { "false" })
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.text(&v.to_string())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.text(&v.to_string())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.text(&v.to_string())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.text(&v.to_string())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.text(&v.to_string())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.text(&v.to_string())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.text(&v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.text(&v.to_string())
    }
    fn serialize_f32(self, _v: f32) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_f64(self, _v: f64) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.text(v)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.text(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_error())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_error())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_error())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_error())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_error())
    }
}

/// JSON text that crosses as [`RAW`] (or [`RAW_KEPT`] and the kept text, when it lives as long
/// as the program) through this module's writer (other serializers would write it as a
/// string: use it with [`write`] only).
struct RawJson<'a>(&'a Cow<'static, str>);

impl Serialize for RawJson<'_> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Cow::Borrowed(kept) => serializer.serialize_newtype_struct(RAW_KEPT_JSON, *kept),
            Cow::Owned(text) => serializer.serialize_newtype_struct(RAW_JSON, text),
        }
    }
}

/// A [`Generated`] as JS receives it: what its `Serialize` writes, keys in the same order,
/// except that each policy's `document` crosses as its `minified_json` for JS to parse
/// (the same value: `document` is defined as `minified_json` read as JSON). The structs are
/// destructured exhaustively, so a new field fails to compile here until it is written.
pub(crate) struct ForJs<'a>(pub(crate) &'a Generated);

impl Serialize for ForJs<'_> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Generated {
            roles,
            outputs,
            hcl,
            files,
            diagnostics,
        } = self.0;
        let mut s = serializer.serialize_struct("Generated", 5)?;
        s.serialize_field("roles", &Roles(roles))?;
        s.serialize_field("outputs", outputs)?;
        s.serialize_field("hcl", &JsHcl(hcl, roles))?;
        s.serialize_field("files", files)?;
        s.serialize_field("diagnostics", diagnostics)?;
        s.end()
    }
}

/// The HCL texts made for the roles, with the README and `resources` as joined texts: their
/// constant parts kept.
struct JsHcl<'a>(&'a Hcl, &'a [Role]);

impl Serialize for JsHcl<'_> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Hcl {
            module_call,
            module,
            resources,
            integrations,
        } = self.0;
        let resources = crate::hcl::resources_parts(resources, self.1);
        let mut s = serializer.serialize_struct("Hcl", 4)?;
        s.serialize_field("module_call", module_call)?;
        s.serialize_field("module", &JsModuleFiles(module))?;
        s.serialize_field("resources", &Joined(&resources))?;
        s.serialize_field("integrations", integrations)?;
        s.end()
    }
}

struct JsModuleFiles<'a>(&'a ModuleFiles);

impl Serialize for JsModuleFiles<'_> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let ModuleFiles {
            readme,
            main_tf,
            outputs_tf,
            variables_tf,
            versions_tf,
        } = self.0;
        let mut s = serializer.serialize_struct("ModuleFiles", 5)?;
        s.serialize_field("README.md", &Joined(&crate::hcl::readme_parts(readme)))?;
        for (name, text) in [
            ("main.tf", *main_tf),
            ("outputs.tf", *outputs_tf),
            ("variables.tf", *variables_tf),
            ("versions.tf", *versions_tf),
        ] {
            s.serialize_field(name, &Part::Kept(text))?;
        }
        s.end()
    }
}

struct Roles<'a>(&'a [Role]);

impl Serialize for Roles<'_> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(JsRole))
    }
}

struct JsRole<'a>(&'a Role);

impl Serialize for JsRole<'_> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Role {
            key,
            name,
            path,
            arn,
            address,
            assume_role_policy,
            managed_policy_arns,
            inline_policy,
            tags,
            instance_profile,
        } = self.0;
        let mut s = serializer.serialize_struct("Role", 10)?;
        s.serialize_field("key", key)?;
        s.serialize_field("name", name)?;
        s.serialize_field("path", path)?;
        s.serialize_field("arn", arn)?;
        s.serialize_field("address", address)?;
        s.serialize_field("assume_role_policy", &JsPolicy(None, assume_role_policy))?;
        s.serialize_field("managed_policy_arns", managed_policy_arns)?;
        let inline = inline_policy.as_ref().map(|inline| {
            let InlinePolicy {
                name,
                address,
                policy,
            } = inline;
            JsPolicy(Some((name, address)), policy)
        });
        s.serialize_field("inline_policy", &inline)?;
        s.serialize_field("tags", tags)?;
        s.serialize_field("instance_profile", instance_profile)?;
        s.end()
    }
}

/// A policy, after the `name` and `address` of an inline policy (flattened into it).
struct JsPolicy<'a>(Option<(&'a String, &'a String)>, &'a Policy);

impl Serialize for JsPolicy<'_> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Policy {
            json,
            minified_json,
        } = self.1;
        let mut s = serializer.serialize_struct("Policy", 5)?;
        if let Some((name, address)) = self.0 {
            s.serialize_field("name", name)?;
            s.serialize_field("address", address)?;
        }
        s.serialize_field("document", &RawJson(minified_json))?;
        s.serialize_field("json", &crate::kept::Text(json))?;
        s.serialize_field("minified_json", &crate::kept::Text(minified_json))?;
        s.end()
    }
}

#[cfg(test)]
mod tests {
    //! The tape read back by a transliteration of js/boundary.js's `buildResult` must be what
    //! serde_json (the independent writer) makes of the same value, key order included.

    use super::*;
    use proptest::prelude::*;
    use serde_json::{json, Map, Number, Value};

    /// Reads a tape as `buildResult` does; `keys` persists across calls as JS's array does.
    fn read(tape: &Tape, keys: &mut Vec<String>) -> Value {
        let mut at = 0;
        let value = read_value(&tape.ops, &mut at, tape.text.as_bytes(), keys);
        assert_eq!(at, tape.ops.len(), "the whole tape is read");
        value
    }

    fn slice(text: &[u8], start: u32, end: u32) -> String {
        String::from_utf8(text[start as usize..end as usize].to_vec()).unwrap()
    }

    fn read_value(ops: &[u32], at: &mut usize, units: &[u8], keys: &mut Vec<String>) -> Value {
        let mut next = || {
            *at += 1;
            ops[*at - 1]
        };
        match next() {
            NULL => Value::Null,
            TRUE => Value::Bool(true),
            FALSE => Value::Bool(false),
            NUMBER => {
                let (lo, hi) = (next(), next());
                let n = f64::from_bits(u64::from(lo) | u64::from(hi) << 32);
                // As JSON.parse gives it: integers and floats alike are f64 in JS.
                Value::Number(Number::from_f64(n).unwrap())
            }
            STRING => {
                let (start, end) = (next(), next());
                Value::String(slice(units, start, end))
            }
            RAW => {
                let (start, end) = (next(), next());
                as_js(serde_json::from_str(&slice(units, start, end)).unwrap())
            }
            RAW_KEPT => match read_value(ops, at, units, keys) {
                Value::String(text) => as_js(serde_json::from_str(&text).unwrap()),
                other => panic!("RAW_KEPT of {other}"),
            },
            KEY => Value::String(keys[next() as usize].clone()),
            NEW_KEY => {
                let (id, start, end) = (next(), next(), next());
                assert_eq!(id as usize, keys.len(), "keys are numbered in order");
                keys.push(slice(units, start, end));
                Value::String(keys[id as usize].clone())
            }
            ARRAY => {
                let n = next();
                Value::Array((0..n).map(|_| read_value(ops, at, units, keys)).collect())
            }
            JOINED => {
                let n = next();
                let parts = (0..n).map(|_| match read_value(ops, at, units, keys) {
                    Value::String(part) => part,
                    other => panic!("a part that is not a string: {other}"),
                });
                Value::String(parts.collect())
            }
            OBJECT => {
                let n = next();
                let mut map = Map::new();
                for _ in 0..n {
                    let key = match ops[*at] {
                        KEY => {
                            *at += 2;
                            keys[ops[*at - 1] as usize].clone()
                        }
                        NEW_KEY => {
                            let (id, start, end) = (ops[*at + 1], ops[*at + 2], ops[*at + 3]);
                            *at += 4;
                            assert_eq!(id as usize, keys.len(), "keys are numbered in order");
                            keys.push(slice(units, start, end));
                            keys[id as usize].clone()
                        }
                        DYN_KEY => {
                            *at += 3;
                            slice(units, ops[*at - 2], ops[*at - 1])
                        }
                        op => panic!("not a key: {op}"),
                    };
                    let value = read_value(ops, at, units, keys);
                    map.insert(key, value);
                }
                Value::Object(map)
            }
            op => panic!("not a value: {op}"),
        }
    }

    /// serde_json's value as JS holds it: every number an f64.
    fn as_js(v: Value) -> Value {
        match v {
            Value::Number(n) => Value::Number(Number::from_f64(n.as_f64().unwrap()).unwrap()),
            Value::Array(items) => Value::Array(items.into_iter().map(as_js).collect()),
            Value::Object(map) => {
                Value::Object(map.into_iter().map(|(k, v)| (k, as_js(v))).collect())
            }
            v => v,
        }
    }

    fn check<T: Serialize>(value: &T, keys: &mut Keys, js_keys: &mut Vec<String>) {
        let mut tape = Tape::default();
        write(value, &mut tape, keys).unwrap();
        let ours = read(&tape, js_keys);
        let theirs = as_js(serde_json::to_value(value).unwrap());
        // Text comparison: key order too.
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            serde_json::to_string(&theirs).unwrap()
        );
    }

    /// [`ForJs`]'s tape, read back, is what serde_json makes of the `Generated` itself.
    fn check_for_js(generated: &Generated, keys: &mut Keys, js_keys: &mut Vec<String>) {
        let mut tape = Tape::default();
        write(&ForJs(generated), &mut tape, keys).unwrap();
        assert!(tape.ops.contains(&RAW), "documents cross as JSON text");
        let ours = read(&tape, js_keys);
        let theirs = as_js(serde_json::to_value(generated).unwrap());
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            serde_json::to_string(&theirs).unwrap()
        );
    }

    #[test]
    fn constant_texts_cross_once_per_instance() {
        let inputs: Value =
            serde_json::from_str(include_str!("../tests/fixtures/seed/advanced.tfvars.json"))
                .unwrap();
        let generated = crate::generate(&inputs, None).unwrap();
        let module = &generated.hcl.module;
        let kept = [
            module.main_tf,
            module.outputs_tf,
            module.variables_tf,
            module.versions_tf,
            crate::hcl::README_TAIL,
            match crate::hcl::resources_parts(&generated.hcl.resources, &generated.roles) {
                [_, Part::Kept(outputs)] => outputs,
                _ => panic!("the outputs at the end of resources are not kept"),
            },
        ];
        assert!(kept.iter().all(|text| text.len() > 100));
        let (mut keys, mut js_keys) = (Keys::default(), Vec::new());
        let texts: Vec<String> = (0..2)
            .map(|_| {
                let mut tape = Tape::default();
                write(&ForJs(&generated), &mut tape, &mut keys).unwrap();
                let ours = read(&tape, &mut js_keys);
                assert_eq!(ours, as_js(serde_json::to_value(&generated).unwrap()));
                tape.text
            })
            .collect();
        // The first call sent every numbered text (names and kept texts), the second none.
        for text in kept {
            assert!(js_keys.iter().any(|sent| sent == text));
        }
        let sent: usize = js_keys.iter().map(String::len).sum();
        assert_eq!(texts[0].len() - texts[1].len(), sent);
    }

    #[derive(serde::Serialize)]
    enum Shape {
        Unit,
        Newtype(u8),
        Tuple(i32, String),
        Struct { a: Option<bool>, b: char },
    }

    #[derive(serde::Serialize)]
    struct Everything {
        shapes: Vec<Shape>,
        unit: (),
        tuple: (u64, i64, f32, f64),
        bytes: serde_bytes_like::Bytes,
        map: std::collections::BTreeMap<i32, &'static str>,
        bool_keys: std::collections::BTreeMap<bool, u8>,
        nan: f64,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        #[serde(flatten)]
        flat: Flat,
    }

    #[derive(serde::Serialize)]
    struct Flat {
        inner: &'static str,
        #[serde(rename = "__proto__")]
        proto: u8,
    }

    mod serde_bytes_like {
        pub struct Bytes(pub Vec<u8>);
        impl serde::Serialize for Bytes {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(&self.0)
            }
        }
    }

    #[test]
    fn writes_serdes_data_model_as_serde_json_does() {
        let (mut keys, mut js_keys) = (Keys::default(), Vec::new());
        let value = Everything {
            shapes: vec![
                Shape::Unit,
                Shape::Newtype(7),
                Shape::Tuple(-3, "é🎉".into()),
                Shape::Struct { a: None, b: '漢' },
            ],
            unit: (),
            tuple: (u64::MAX, i64::MIN, 0.5, -0.0),
            bytes: serde_bytes_like::Bytes(vec![0, 255]),
            map: [(10, "ten"), (-1, "minus one")].into_iter().collect(),
            bool_keys: [(true, 1)].into_iter().collect(),
            nan: f64::NAN,
            skipped: None,
            flat: Flat {
                inner: "x",
                proto: 1,
            },
        };
        // An f32 reads as JSON.parse reads serde_json's shortest text for it.
        assert_eq!(serde_json::to_string(&0.1f32).unwrap(), "0.1");
        let mut tape = Tape::default();
        write(&0.1f32, &mut tape, &mut keys).unwrap();
        assert_eq!(read(&tape, &mut js_keys), json!(0.1f64));
        // Twice: the second time every field name is a number sent before.
        check(&value, &mut keys, &mut js_keys);
        let sent = js_keys.len();
        check(&value, &mut keys, &mut js_keys);
        assert_eq!(js_keys.len(), sent, "no name is sent twice");
    }

    #[test]
    fn writes_every_fixture_result_as_serde_json_does() {
        let (mut keys, mut js_keys) = (Keys::default(), Vec::new());
        let dirs = [
            "tests/fixtures/inputs",
            "tests/fixtures/seed",
            "pkg-tests/fixtures",
        ];
        let mut seen = 0;
        for dir in dirs {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if !name.ends_with(".json")
                    || !(dir != "pkg-tests/fixtures" || name.ends_with(".tfvars.json"))
                {
                    continue;
                }
                let mut inputs: Value =
                    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                if !inputs.is_object() {
                    continue;
                }
                let options = inputs.as_object_mut().and_then(|m| m.remove("options"));
                match crate::generate(&inputs, options.as_ref()) {
                    Ok(generated) => check_for_js(&generated, &mut keys, &mut js_keys),
                    Err(e) => check(&e.diagnostics, &mut keys, &mut js_keys),
                }
                seen += 1;
            }
        }
        assert!(seen >= 10, "fixtures read: {seen}");
    }

    proptest! {
        /// Any JSON value, and the result for inputs holding any strings.
        #[test]
        fn writes_any_value_as_serde_json_does(
            s in any::<String>(),
            k in any::<String>(),
            n in any::<i64>(),
            f in any::<f64>(),
        ) {
            let (mut keys, mut js_keys) = (Keys::default(), Vec::new());
            check(&json!({ "s": s, k.clone(): [n, f, null, true, {}], "t": { "u": [] } }), &mut keys, &mut js_keys);
            let inputs = json!({
                "name_prefix": "p",
                "tags": { k.clone(): s.clone() },
                "custom_job_policy_statements": { k: { "actions": [s], "resources": ["*"] } },
            });
            match crate::generate(&inputs, None) {
                Ok(generated) => check_for_js(&generated, &mut keys, &mut js_keys),
                Err(e) => check(&e.diagnostics, &mut keys, &mut js_keys),
            }
        }
    }
}
