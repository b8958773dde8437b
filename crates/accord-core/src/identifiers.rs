//! The identifier guard (`data-accord-guard="internal-code"`): a client code may not be
//! a social-security, payment card or identity-document number (NS 56).
//!
//! NS 56, « Catégories de données » : « Ce code interne de traitement ne peut être le
//! numéro d'inscription au répertoire national d'identification des personnes physiques
//! (numéro de sécurité sociale), ni le numéro de carte bancaire, ni le numéro d'un titre
//! d'identité. »
//!
//! The value is normalized first: trimmed, ASCII letters uppercased, and for every check
//! but the MRZ one the separators people type between groups removed (whitespace,
//! including no-break spaces, `.`, `-`, `_`, `/` and the Unicode dashes). The *whole*
//! value is judged, never a part of it. The checks run in this order and the first that matches
//! names the refusal:
//!
//! 1. **MRZ** ([`Refusal::Mrz`]): with only whitespace removed, every character is
//!    `A–Z`, `0–9` or `<`, and either the length is that of an ICAO line or of a whole
//!    zone (30, 36, 44; 60, 72, 88, 90) with at least one `<`, or it contains `<<` (the
//!    name separator, which no client code uses).
//! 2. **NIR with its key** ([`Refusal::Nir`]): 15 characters, the first a sex digit
//!    (1, 2, 3, 4, 7 or 8), then digits, with `2A`/`2B` allowed as the department
//!    (6th–7th characters), and a key equal to `97 - (number mod 97)`, the number being
//!    the first 13 characters with `2A` read as `19` and `2B` as `18` (INSEE). A
//!    15-digit value with a wrong key is not a NIR.
//! 3. **Payment card** ([`Refusal::PaymentCard`]): 13 to 19 digits, Luhn-valid, not
//!    starting with `0` (ISO/IEC 7812 issues no payment card under major industry
//!    identifier 0, and zero-padded client numbers often start with it). A Luhn-invalid
//!    number is not a card number: it passes.
//! 4. **NIR without its key** ([`Refusal::Nir`]): 13 characters shaped like the NIR's
//!    body (same sex digit and `2A`/`2B` rule) with a plausible month (01–12, or the
//!    INSEE fictitious months 20–42 and 50–99) and department (01–99, 2A, 2B).
//!    Conservative: any 13-digit value of that shape is refused.
//! 5. **French passport** ([`Refusal::Passport`]): 2 digits, 2 letters, 5 digits
//!    (`12AB34567`).
//! 6. **Identity card, 1988–2021 format** ([`Refusal::IdentityCard`]): 12 characters
//!    `YYMM` `DDD` `NNNNN` as printed and in the card's MRZ: year of issue `88`–`99` or
//!    `00`–`21`, month of issue `01`–`12`, the 3-character issuing department code
//!    (digits or letters: `923`, `2A0`), then 5 digits.
//! 7. **Identity card, 2021 format** ([`Refusal::IdentityCard`]): 9 letters and digits
//!    that alternate at least twice (letters then digits then letters, or the reverse:
//!    `X4RTBPFW4`). The number is not structured further in public sources, so the
//!    guard leaves alone the two shapes client codes take, a letter prefix then digits
//!    (`AB1234567`) and digits then a letter suffix (`1234567AB`), and all-digit or
//!    all-letter values.
//!
//! **A declared shape** ([`CodeShape`], the config's `internal_code.shapes`) changes the
//! order: a value of a shape the insurer declared is its own client code, refused only
//! when it is also a checksum-verified identifier (a NIR whose key is right, a
//! Luhn-valid card number), never by the shape heuristics (3 and 4 to 7 above). A
//! guard that blocks real customers is worse than none.
//!
//! The 2021 identity card (7) is printed as nine characters with no separator, so a
//! value written with a hyphen, dot, slash or underscore inside (`CLI-8R5T2W`) is not
//! one; spaces are not proof (a copy may add them).
//!
//! False positives accepted: a 13-digit number of NIR shape (about half of them); a
//! 13–19-digit number not starting with 0 that happens to be Luhn-valid (1 in 10); a
//! 12-digit number starting with a year 88–21 and a month (about 4 in 100); a
//! 9-character code mixing letters and digits in three or more runs (`MUT7781XY`).
//! False negatives accepted: a 2021 identity-card number that happens to have one of
//! the client-code shapes (about 1 in 8 if its characters are random); a NIR typed with a
//! wrong key; identifiers written with non-ASCII digits or embedded in a longer code.

use crate::lang::Lang;

/// Why a value cannot be a client code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A French social-security number (NIR), with or without its key.
    Nir,
    /// A payment card number (13–19 digits, Luhn).
    PaymentCard,
    /// A French identity-card number (1988–2021 or 2021 format).
    IdentityCard,
    /// A French passport number.
    Passport,
    /// A line (or the whole) of a machine-readable zone of an identity document.
    Mrz,
}

impl Refusal {
    /// Stable name, for the page (`data-accord-refusal`) and for tests.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Nir => "nir",
            Refusal::PaymentCard => "payment_card",
            Refusal::IdentityCard => "identity_card",
            Refusal::Passport => "passport",
            Refusal::Mrz => "mrz",
        }
    }

    /// The inline error, in plain French.
    pub fn message_fr(self) -> &'static str {
        match self {
            Refusal::Nir => "Ce code ressemble à un numéro de sécurité sociale : il ne peut pas servir de code client.",
            Refusal::PaymentCard => "Ce code ressemble à un numéro de carte bancaire : il ne peut pas servir de code client.",
            Refusal::IdentityCard => "Ce code ressemble à un numéro de carte d'identité : il ne peut pas servir de code client.",
            Refusal::Passport => "Ce code ressemble à un numéro de passeport : il ne peut pas servir de code client.",
            Refusal::Mrz => "Ce code ressemble à la bande de lecture automatique d'une pièce d'identité : il ne peut pas servir de code client.",
        }
    }

    /// The inline error, in plain English.
    pub fn message_en(self) -> &'static str {
        match self {
            Refusal::Nir => "This looks like a social-security number: it cannot be used as a client code.",
            Refusal::PaymentCard => "This looks like a payment card number: it cannot be used as a client code.",
            Refusal::IdentityCard => "This looks like an identity card number: it cannot be used as a client code.",
            Refusal::Passport => "This looks like a passport number: it cannot be used as a client code.",
            Refusal::Mrz => "This looks like the machine-readable zone of an identity document: it cannot be used as a client code.",
        }
    }

    /// The inline error in `lang`.
    pub fn message(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fr => self.message_fr(),
            Lang::En => self.message_en(),
        }
    }
}

/// Line lengths of the ICAO machine-readable zones (TD1 30, TD2 and the 1988–2021
/// French identity card 36, TD3 passports 44) and of whole zones pasted as one value
/// (2 × 30, 3 × 30, 2 × 36, 2 × 44).
const MRZ_LENGTHS: &[usize] = &[30, 36, 44, 60, 72, 88, 90];

/// The shape of an insurer's own client code, as its config declares it: `#` a digit,
/// `@` a letter, `*` a letter or a digit, any other character itself (letters in any
/// case). Separators (spaces, `.`, `-`, `_`, `/`, dashes) are not significant: the
/// value and the shape are compared without them, so `CLI-******` also matches
/// `cli 8r5t2w` and `CLI8R5T2W`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeShape {
    /// As written in the config.
    pub text: String,
    /// Without separators, letters uppercased.
    compact: Vec<u8>,
}

impl CodeShape {
    /// Reads a declared shape; the error says what is wrong with it, in plain words.
    pub fn parse(text: &str) -> Result<CodeShape, &'static str> {
        if text.chars().count() > 64 {
            return Err("is longer than 64 characters");
        }
        let mut compact = Vec::with_capacity(text.len());
        for ch in text.chars() {
            if is_separator(ch) {
                continue;
            }
            if !(ch.is_ascii_alphanumeric() || matches!(ch, '#' | '@' | '*')) {
                // a value holding anything else is never judged as a code (see compact)
                return Err("may hold only #, @, *, ASCII letters, digits and separators");
            }
            compact.push(ch.to_ascii_uppercase() as u8);
        }
        if !compact.iter().any(|b| matches!(b, b'#' | b'@' | b'*')) {
            return Err("has no # (digit), @ (letter) or * (letter or digit): it would match one value only");
        }
        Ok(CodeShape {
            text: text.to_owned(),
            compact,
        })
    }

    /// Does a value (already without separators, uppercased) have this shape?
    fn matches(&self, value: &[u8]) -> bool {
        value.len() == self.compact.len()
            && self.compact.iter().zip(value).all(|(&s, &v)| match s {
                b'#' => v.is_ascii_digit(),
                b'@' => v.is_ascii_uppercase(),
                b'*' => v.is_ascii_alphanumeric(),
                lit => lit == v,
            })
    }
}

/// May `value` be used as an internal client code? Empty passes (whether the field is
/// required is the form's business). Never panics, whatever the input.
pub fn check_internal_code(value: &str) -> Result<(), Refusal> {
    check_internal_code_with(value, &[])
}

/// [`check_internal_code`] when the insurer declared the shapes of its own codes.
pub fn check_internal_code_with(value: &str, shapes: &[CodeShape]) -> Result<(), Refusal> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Ok(());
    }
    let compacted = compact(trimmed);
    if let Some(c) = compacted
        .as_deref()
        .filter(|c| shapes.iter().any(|s| s.matches(c)))
    {
        // The insurer's own shape: only a checksum-verified identifier is refused.
        if is_nir_with_key(c) {
            return Err(Refusal::Nir);
        }
        if is_payment_card(c) {
            return Err(Refusal::PaymentCard);
        }
        return Ok(());
    }
    if is_mrz(trimmed) {
        return Err(Refusal::Mrz);
    }
    let Some(c) = compacted else {
        // Something other than ASCII letters, digits and separators: none of the
        // identifiers is written that way.
        return Ok(());
    };
    let c = c.as_slice();
    if is_nir_with_key(c) {
        return Err(Refusal::Nir);
    }
    if is_payment_card(c) {
        return Err(Refusal::PaymentCard);
    }
    if is_nir_without_key(c) {
        return Err(Refusal::Nir);
    }
    if is_passport(c) {
        return Err(Refusal::Passport);
    }
    // A 2021 card number is printed as nine characters with no separator: a value
    // written with a hyphen, dot, slash or underscore inside is a code, not a card
    // (spaces may come from a copy and are not proof).
    let punctuated = trimmed
        .chars()
        .any(|ch| is_separator(ch) && !ch.is_whitespace());
    if is_identity_card_1988(c) || (!punctuated && is_identity_card_2021(c)) {
        return Err(Refusal::IdentityCard);
    }
    Ok(())
}

/// The NIR key of a 13-character NIR body (`2A`/`2B` allowed as the department):
/// `97 - (number mod 97)`, or `None` when `body` is not shaped like one.
pub fn nir_key(body: &str) -> Option<u8> {
    nir_number(body.as_bytes()).map(key_of)
}

/// Luhn (ISO/IEC 7812-1) over ASCII digits; `false` if anything else is present or
/// the input is empty.
pub fn luhn_valid(digits: &str) -> bool {
    luhn(digits.as_bytes())
}

/// Separators people put between groups: whitespace (no-break spaces included), `.`,
/// `-`, `_`, `/` and the Unicode hyphens, dashes and minus.
fn is_separator(ch: char) -> bool {
    ch.is_whitespace()
        || matches!(
            ch,
            '.' | '-' | '_' | '/' | '\u{2010}'..='\u{2015}' | '\u{2212}'
        )
}

/// The value without separators, ASCII letters uppercased; `None` if anything but
/// ASCII letters and digits remains.
fn compact(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len().min(64));
    for ch in s.chars() {
        if is_separator(ch) {
            continue;
        }
        if !ch.is_ascii_alphanumeric() {
            return None;
        }
        out.push(ch.to_ascii_uppercase() as u8);
    }
    Some(out)
}

fn is_mrz(s: &str) -> bool {
    let mut len = 0usize;
    let mut fillers = 0usize;
    let mut double = false;
    let mut previous_filler = false;
    for ch in s.chars() {
        if ch.is_whitespace() {
            continue;
        }
        let ch = ch.to_ascii_uppercase();
        if !(ch.is_ascii_uppercase() || ch.is_ascii_digit() || ch == '<') {
            return false;
        }
        len += 1;
        let filler = ch == '<';
        if filler {
            fillers += 1;
            double |= previous_filler;
        }
        previous_filler = filler;
    }
    double || (fillers > 0 && MRZ_LENGTHS.contains(&len))
}

fn all_digits(b: &[u8]) -> bool {
    b.iter().all(u8::is_ascii_digit)
}

/// Two ASCII digits as a number (the caller has checked they are digits).
fn two(b: &[u8]) -> u8 {
    (b[0] - b'0') * 10 + (b[1] - b'0')
}

/// The 13-character NIR body as the number the key is computed on, if it is shaped
/// like one: sex digit 1, 2, 3, 4, 7 or 8; digits; `2A`/`2B` read as 19/18 at the
/// department.
fn nir_number(b: &[u8]) -> Option<u64> {
    if b.len() != 13 || !matches!(b[0], b'1' | b'2' | b'3' | b'4' | b'7' | b'8') {
        return None;
    }
    let mut n: u64 = 0;
    for (i, &ch) in b.iter().enumerate() {
        let d = match (i, ch) {
            (_, b'0'..=b'9') => u64::from(ch - b'0'),
            // Corsica (INSEE): 2A is read as 19 and 2B as 18, so the 2 already taken
            // in at index 5 becomes a 1.
            (6, b'A' | b'B') if b[5] == b'2' => {
                n -= 1;
                if ch == b'A' {
                    9
                } else {
                    8
                }
            }
            _ => return None,
        };
        n = n * 10 + d;
    }
    Some(n)
}

fn key_of(n: u64) -> u8 {
    (97 - n % 97) as u8
}

fn is_nir_with_key(b: &[u8]) -> bool {
    if b.len() != 15 || !all_digits(&b[13..]) {
        return false;
    }
    match nir_number(&b[..13]) {
        Some(n) => two(&b[13..]) == key_of(n),
        None => false,
    }
}

fn is_nir_without_key(b: &[u8]) -> bool {
    // nir_number guarantees digits everywhere but a 2A/2B department.
    if nir_number(b).is_none() {
        return false;
    }
    let month = two(&b[3..5]);
    let month_ok = matches!(month, 1..=12 | 20..=42 | 50..=99);
    let department_ok = matches!(&b[5..7], b"2A" | b"2B") || two(&b[5..7]) >= 1;
    month_ok && department_ok
}

fn luhn(b: &[u8]) -> bool {
    if b.is_empty() || !all_digits(b) {
        return false;
    }
    let sum: u32 = b
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &ch)| {
            let d = u32::from(ch - b'0');
            if i % 2 == 1 {
                let dd = d * 2;
                if dd > 9 {
                    dd - 9
                } else {
                    dd
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

fn is_payment_card(b: &[u8]) -> bool {
    (13..=19).contains(&b.len()) && b[0] != b'0' && luhn(b)
}

fn is_passport(b: &[u8]) -> bool {
    b.len() == 9
        && all_digits(&b[..2])
        && b[2..4].iter().all(u8::is_ascii_uppercase)
        && all_digits(&b[4..])
}

fn is_identity_card_1988(b: &[u8]) -> bool {
    if b.len() != 12 || !all_digits(&b[..4]) || !all_digits(&b[7..]) {
        return false;
    }
    let year = two(&b[..2]);
    let month = two(&b[2..4]);
    matches!(year, 88..=99 | 0..=21) && (1..=12).contains(&month)
}

fn is_identity_card_2021(b: &[u8]) -> bool {
    if b.len() != 9 || !b.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let runs = 1 + b
        .windows(2)
        .filter(|w| w[0].is_ascii_digit() != w[1].is_ascii_digit())
        .count();
    runs >= 3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corsica_is_read_as_19_and_18() {
        // INSEE: 2A → 19, 2B → 18 for the key computation only.
        assert_eq!(nir_number(b"269052A004012"), Some(2_690_519_004_012));
        assert_eq!(nir_number(b"155082B033045"), Some(1_550_818_033_045));
        assert_eq!(nir_number(b"1841276451089"), Some(1_841_276_451_089));
        // A or B anywhere else, or after anything but 2, is not a NIR.
        assert_eq!(nir_number(b"269053A004012"), None);
        assert_eq!(nir_number(b"2690520A04012"), None);
        assert_eq!(nir_number(b"26905AA004012"), None);
    }

    #[test]
    fn luhn_basics() {
        assert!(luhn(b"0"));
        assert!(luhn(b"79927398713"));
        assert!(!luhn(b"79927398710"));
        assert!(!luhn(b""));
        assert!(!luhn(b"12a4"));
    }
}
