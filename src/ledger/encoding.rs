//! Text encodings of ledger files. Files are UTF-8 (a byte-order mark is dropped); Excel on
//! Chinese Windows saves "CSV" as GB18030/GBK, so a file that is not UTF-8 but is valid GB18030
//! is read as GB18030, and `attrib add` appends to it in GB18030.

use std::borrow::Cow;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Gb18030,
}

/// The file's text and its encoding, or None when it is neither UTF-8 nor GB18030. (UTF-8 is
/// checked by simdutf8: a million rows of mostly Chinese text, several times faster than std.)
pub fn decode(bytes: &[u8]) -> Option<(Cow<'_, str>, Encoding)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Some((Cow::Borrowed(s), Encoding::Utf8));
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| (s, Encoding::Gb18030))
}

/// Text as bytes in the given encoding (GB18030 covers all of Unicode, so nothing is lost).
pub fn encode(text: &str, enc: Encoding) -> Vec<u8> {
    match enc {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Gb18030 => encoding_rs::GB18030.encode(text).0.into_owned(),
    }
}

/// The encoding of a file's bytes (UTF-8 when empty or undecodable).
pub fn detect(bytes: &[u8]) -> Encoding {
    decode(bytes).map(|(_, e)| e).unwrap_or(Encoding::Utf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb18030_round_trips() {
        let text = "id,client\nR-1,张伟\n";
        let bytes = encode(text, Encoding::Gb18030);
        assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
        let (back, enc) = decode(&bytes).unwrap();
        assert_eq!((back.as_ref(), enc), (text, Encoding::Gb18030));
    }

    #[test]
    fn utf8_with_bom_is_utf8() {
        let (t, e) = decode(b"\xEF\xBB\xBFid\n").unwrap();
        assert_eq!((t.as_ref(), e), ("id\n", Encoding::Utf8));
    }

    #[test]
    fn garbage_is_neither() {
        assert!(decode(&[0x81, 0x20, 0xFF]).is_none());
    }
}
