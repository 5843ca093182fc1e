//! The JS bindings: the only file that knows wasm-bindgen.
