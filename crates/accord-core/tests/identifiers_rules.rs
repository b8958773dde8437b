#![cfg(not(target_arch = "wasm32"))]
//! The identifier guard (SPEC §7, `data-accord-guard="internal-code"`) as tables: NS 56,
//! « Catégories de données » : the internal code « ne peut être le numéro … de sécurité
//! sociale, ni le numéro de carte bancaire, ni le numéro d'un titre d'identité ».

use accord_core::config::Lang;
use accord_core::identifiers::{
    check_internal_code, check_internal_code_with, luhn_valid, nir_key, CodeShape, Refusal,
};

use Refusal::{IdentityCard, Mrz, Nir, Passport, PaymentCard};

const PASS: Result<(), Refusal> = Ok(());

/// The one assertion of this file: each row is `(value, expected, why)`.
fn table(rows: &[(&str, Result<(), Refusal>, &str)]) {
    for (value, expected, why) in rows {
        assert_eq!(
            check_internal_code(value),
            *expected,
            "value {value:?} ({why})"
        );
    }
}

#[test]
fn nir_keys_are_computed_with_the_insee_formula() {
    #[rustfmt::skip]
    let rows: &[(&str, Option<u8>, &str)] = &[
        // 1841276451089 = 97 × 18 982 231 454 + 51  →  key = 97 − 51 = 46
        ("1841276451089", Some(46), "man, born Dec 1984, Seine-Maritime (76)"),
        // 2690575112345 = 97 × 27 737 887 756 + 13  →  key = 97 − 13 = 84
        ("2690575112345", Some(84), "woman, born May 1969, Paris (75)"),
        // Corsica: 2A read as 19: 2690519004012 = 97 × 27 737 309 319 + 69  →  key = 97 − 69 = 28
        ("269052A004012", Some(28), "Corse-du-Sud (2A → 19)"),
        // Corsica: 2B read as 18: 1550818033045 = 97 × 15 987 814 773 + 64  →  key = 97 − 64 = 33
        ("155082B033045", Some(33), "Haute-Corse (2B → 18)"),
        // born in Corsica before 1976: department 20, no substitution;
        // 1550820033045 mod 97 = 21  →  key = 76
        ("1550820033045", Some(76), "Corsica before 1976 (20)"),
        // 2950399350123 mod 97 = 58  →  key = 39
        ("2950399350123", Some(39), "born abroad (99), country 350"),
        // 7850199123456 mod 97 = 66  →  key = 31
        ("7850199123456", Some(31), "provisional number (sex digit 7)"),
        ("5841276451089", None, "5 is no sex digit"),
        ("184127645108", None, "12 characters"),
        ("184127A451089", None, "a letter outside the department"),
        ("269053A004012", None, "3A is no department"),
    ];
    for (body, key, why) in rows {
        assert_eq!(nir_key(body), *key, "body {body:?} ({why})");
    }
}

#[test]
fn social_security_numbers_are_refused() {
    #[rustfmt::skip]
    table(&[
        // NIR with its key (NS 56: « numéro de sécurité sociale »; SPEC §7: mod-97 key)
        ("184127645108946", Err(Nir), "valid key 46"),
        ("1 84 12 76 451 089 46", Err(Nir), "grouped as on the carte Vitale"),
        ("1.84.12.76.451.089.46", Err(Nir), "dots"),
        ("1-84-12-76-451-089-46", Err(Nir), "dashes"),
        ("1 84 12 76 451 089 / 46", Err(Nir), "key after a slash"),
        ("1\u{a0}84\u{a0}12\u{a0}76\u{a0}451\u{a0}089\u{a0}46", Err(Nir), "no-break spaces"),
        ("1\u{202f}84\u{202f}12\u{202f}76\u{202f}451\u{202f}089\u{202f}46", Err(Nir), "narrow no-break spaces"),
        ("  184127645108946\n", Err(Nir), "surrounding whitespace"),
        ("2 69 05 75 112 345 84", Err(Nir), "woman, key 84"),
        ("2 95 03 99 350 123 39", Err(Nir), "born abroad, key 39"),
        ("7 85 01 99 123 456 31", Err(Nir), "provisional number, key 31"),
        // Corsica (SPEC §7: « Corsica 2A/2B included »)
        ("2 69 05 2A 004 012 28", Err(Nir), "2A, key 28"),
        ("2 69 05 2a 004 012 28", Err(Nir), "2a lowercase"),
        ("269052A00401228", Err(Nir), "2A, no spaces"),
        ("1 55 08 2B 033 045 33", Err(Nir), "2B, key 33"),
        ("1 55 08 20 033 045 76", Err(Nir), "Corsica before 1976, department 20, key 76"),
        // NIR without its key: refused when shaped like one (conservative)
        ("1841276451089", Err(Nir), "13 characters, month 12, department 76"),
        ("1 84 12 76 451 089", Err(Nir), "13 characters, grouped"),
        ("269052A004012", Err(Nir), "13 characters, Corsica"),
        ("1843176451089", Err(Nir), "fictitious month 31"),
        ("1847576451089", Err(Nir), "fictitious month 75"),
        // not NIRs: wrong key, impossible shape (and not Luhn-valid either)
        ("1 84 12 76 451 089 47", PASS, "wrong key (46 expected)"),
        ("184127645108900", PASS, "wrong key 00"),
        ("2 69 05 2A 004 012 01", PASS, "2A with the key of 20 (no Corsica rule)"),
        ("2 69 05 2A 004 012 29", PASS, "2A, wrong key"),
        ("5841276451089", PASS, "sex digit 5"),
        ("6841276451089", PASS, "sex digit 6"),
        ("1841376451089", PASS, "month 13"),
        ("1840076451089", PASS, "month 00"),
        ("1844376451089", PASS, "month 43"),
        ("1841200451089", PASS, "department 00"),
    ]);
}

#[test]
fn payment_card_numbers_are_refused() {
    #[rustfmt::skip]
    table(&[
        // NS 56: « ni le numéro de carte bancaire »; SPEC §7: Luhn, with spaces or dashes
        ("4970101234567893", Err(PaymentCard), "CB-style 16 digits, Luhn-valid"),
        ("4970 1012 3456 7893", Err(PaymentCard), "groups of 4"),
        ("4970-1012-3456-7893", Err(PaymentCard), "dashes"),
        ("4970.1012.3456.7893", Err(PaymentCard), "dots"),
        ("4970\u{2013}1012\u{2013}3456\u{2013}7893", Err(PaymentCard), "en dashes"),
        ("4970_1012_3456_7893", Err(PaymentCard), "underscores"),
        (" 4970 1012 3456 7893 ", Err(PaymentCard), "surrounding spaces"),
        ("4111 1111 1111 1111", Err(PaymentCard), "Visa test number"),
        ("5555 5555 5555 4444", Err(PaymentCard), "Mastercard test number"),
        ("2223 0031 2200 3222", Err(PaymentCard), "Mastercard 2-series"),
        ("3782 822463 10005", Err(PaymentCard), "Amex, 15 digits (not a NIR: its key would be 31)"),
        ("3056 930902 5904", Err(PaymentCard), "Diners, 14 digits"),
        ("6011 1111 1111 1117", Err(PaymentCard), "Discover"),
        ("6799 9901 0000 0000 019", Err(PaymentCard), "Maestro, 19 digits"),
        ("4123456789011", Err(PaymentCard), "13 digits: Luhn names it before the NIR shape"),
        ("4222222222222", Err(PaymentCard), "13 digits, NIR-shaped too: the card comes first"),
        // Luhn-invalid: not a card number, so an ordinary code
        ("4970 1012 3456 7890", PASS, "Luhn-invalid 16 digits"),
        ("4111 1111 1111 1112", PASS, "Luhn-invalid Visa-like"),
        ("1234 5678 9012 3456", PASS, "Luhn-invalid"),
        // leading zero: no payment card starts with 0 (ISO/IEC 7812 industry 0)
        ("0000 0000 0000 0000", PASS, "zero-padded, Luhn-valid but starts with 0"),
        // length outside 13–19
        ("411111111111", PASS, "12 digits"),
        ("41111111111111111111", PASS, "20 digits"),
    ]);
}

#[test]
fn identity_documents_are_refused() {
    #[rustfmt::skip]
    table(&[
        // NS 56: « ni le numéro d'un titre d'identité »
        // French passport: 2 digits, 2 letters, 5 digits
        ("12AB34567", Err(Passport), "passport"),
        ("12ab34567", Err(Passport), "lowercase"),
        ("12 AB 34567", Err(Passport), "grouped"),
        ("09FR-12345", Err(Passport), "dash"),
        // identity card 1988–2021: YYMM (issue) + 3-char department + 5 digits
        ("880692310285", Err(IdentityCard), "June 1988, department 923"),
        ("8806 923 10285", Err(IdentityCard), "grouped"),
        ("94092A012345", Err(IdentityCard), "Corsica office 2A0"),
        ("151275000123", Err(IdentityCard), "Dec 2015, Paris"),
        ("210775001234", Err(IdentityCard), "July 2021, last year of the format"),
        ("871201234567", PASS, "1987: before the format"),
        ("220112345678", PASS, "2022: after the format"),
        ("881301234567", PASS, "month 13"),
        ("880092310285", PASS, "month 00"),
        ("8806923102A5", PASS, "letter in the serial"),
        // identity card 2021: 9 letters and digits, alternating at least twice
        ("X4RTBPFW4", Err(IdentityCard), "the 2021 specimen number"),
        ("x4rt bpfw4", Err(IdentityCard), "lowercase, spaced (a copy may add spaces)"),
        // issue 13: printed with no separator, so a hyphen, dot, slash or underscore
        // inside makes it a code
        ("CLI-8R5T2W", PASS, "a plausible insurer client code, hyphenated"),
        ("X4RT-BPFW4", PASS, "hyphenated: not as a card prints it"),
        ("AB.12CD.345", PASS, "dotted"),
        ("AB/12CD/345", PASS, "slashed"),
        ("D2H6862M2", Err(IdentityCard), "six runs"),
        ("AB12CD345", Err(IdentityCard), "four runs"),
        ("MUT7781XY", Err(IdentityCard), "accepted false positive: letters, digits, letters"),
        ("AB1234567", PASS, "letter prefix then digits: a client-code shape"),
        ("1234567AB", PASS, "digits then a letter suffix: a client-code shape"),
        ("ABCDEFGHI", PASS, "letters only"),
        ("123456789", PASS, "digits only (a SIREN)"),
        ("X4RTBPFW", PASS, "8 characters"),
        ("X4RTBPFW4X", PASS, "10 characters"),
    ]);
}

#[test]
fn machine_readable_zones_are_refused() {
    const TD3_1: &str = "P<FRAMARTIN<<JEAN<<<<<<<<<<<<<<<<<<<<<<<<<<<";
    const TD3_2: &str = "12AB345673FRA8001014M3001019<<<<<<<<<<<<<<<6";
    const TD2_1: &str = "IDFRAMARTIN<<<<<<<<<<<<<<<<<<<923011";
    const TD2_2: &str = "8806923102858JEAN<<<<<<<<<<8001014M4";
    const TD1_1: &str = "IDFRAX4RTBPFW46<<<<<<<<<<<<<<<";
    const TD1_2: &str = "8001014M3108011FRA<<<<<<<<<<<6";
    const TD1_3: &str = "MARTIN<<JEAN<<<<<<<<<<<<<<<<<<";
    for (line, len) in [
        (TD3_1, 44),
        (TD3_2, 44),
        (TD2_1, 36),
        (TD2_2, 36),
        (TD1_1, 30),
        (TD1_2, 30),
        (TD1_3, 30),
    ] {
        assert_eq!(line.len(), len, "{line}");
    }
    let td3 = format!("{TD3_1}\n{TD3_2}");
    let td1 = format!("{TD1_1}\r\n{TD1_2}\r\n{TD1_3}");
    let single = format!("<{}", "A".repeat(35)); // one filler, 36 characters
    #[rustfmt::skip]
    table(&[
        // NS 56: a title's number; the MRZ carries it (SPEC §7: « MRZ lines »)
        (TD3_1, Err(Mrz), "passport (TD3) line 1"),
        (TD3_2, Err(Mrz), "passport (TD3) line 2"),
        (TD2_1, Err(Mrz), "identity card 1988–2021 line 1"),
        (TD2_2, Err(Mrz), "identity card 1988–2021 line 2"),
        (TD1_1, Err(Mrz), "identity card 2021 (TD1) line 1"),
        (TD1_2, Err(Mrz), "identity card 2021 (TD1) line 2"),
        (TD1_3, Err(Mrz), "identity card 2021 (TD1) line 3"),
        (&td3, Err(Mrz), "both passport lines pasted"),
        (&td1, Err(Mrz), "the three TD1 lines pasted"),
        ("p<framartin<<jean", Err(Mrz), "a cut line, lowercase: << is the MRZ name separator"),
        (&single, Err(Mrz), "a line length with one filler"),
        ("A<B", PASS, "one filler, not a line length"),
        ("CLI<42>", PASS, "other characters"),
    ]);
}

#[test]
fn ordinary_client_codes_pass() {
    let long_digits = "9".repeat(100_000);
    let long_letters = "A".repeat(1_000_000);
    let long_fillers = "<".repeat(100_000);
    #[rustfmt::skip]
    table(&[
        // NS 56: « le code interne de traitement » is what the insurer assigns
        ("CLI-2024-00042", PASS, "prefix, year, number"),
        ("AB123456", PASS, "letters then digits"),
        ("00012345", PASS, "zero-padded"),
        ("MUT-7781", PASS, "short"),
        ("4512345678", PASS, "10-digit policy number"),
        ("12345678", PASS, "8-digit number"),
        ("POL 2024 001 234", PASS, "grouped policy number"),
        ("2024/000123", PASS, "year/number"),
        ("202401000123", PASS, "12 digits, 2020 and month 24: not an identity card"),
        ("00000000000000000", PASS, "17 zeros"),
        ("ADH-000042-B", PASS, "member number with a letter suffix"),
        ("C-1", PASS, "tiny"),
        // empty: required-ness is the form's business
        ("", PASS, "empty"),
        ("   ", PASS, "blank"),
        ("\t\n", PASS, "whitespace only"),
        // anything the identifiers are never written with: not judged further
        ("Çà-été-0042", PASS, "non-ASCII letters"),
        ("日本語", PASS, "CJK"),
        ("😀😀😀", PASS, "emoji"),
        ("1 84 12 76 451 089 46 é", PASS, "a NIR plus an accented letter is no longer the whole value"),
        ("１８４１２７６４５１０８９４６", PASS, "full-width digits: accepted false negative"),
        ("CLI184127645108946", PASS, "a NIR inside a longer code: the guard judges the whole value"),
        (&long_digits, PASS, "100 000 digits"),
        (&long_letters, PASS, "a million letters"),
        (&long_fillers, Err(Mrz), "100 000 fillers are still filler"),
    ]);
}

#[test]
fn never_panics_on_odd_input() {
    // Every prefix of awkward strings (char boundaries), none may panic.
    let samples = [
        "2A2B2A2B2A2B2A2B",
        "1 84 12 76 451 089 46",
        "<<<\u{0}\u{7f}é\u{2028}",
        "99999999999999999999999999",
        "2 69 05 2A 004 012 28",
        "\u{feff}X4RTBPFW4",
    ];
    for s in samples {
        for (i, _) in s.char_indices() {
            let _ = check_internal_code(&s[..i]);
            let _ = check_internal_code(&s[i..]);
            let _ = nir_key(&s[i..]);
            let _ = luhn_valid(&s[i..]);
        }
    }
}

#[test]
fn luhn_table() {
    #[rustfmt::skip]
    let rows = [
        ("4970101234567893", true), ("4970101234567890", false),
        ("378282246310005", true), ("0", true), ("", false), ("4111 1111", false),
    ];
    for (digits, valid) in rows {
        assert_eq!(luhn_valid(digits), valid, "{digits:?}");
    }
}

#[test]
fn messages_say_why_in_plain_words() {
    #[rustfmt::skip]
    let rows = [
        (Nir, "nir", "numéro de sécurité sociale", "social-security number"),
        (PaymentCard, "payment_card", "numéro de carte bancaire", "payment card number"),
        (IdentityCard, "identity_card", "numéro de carte d'identité", "identity card number"),
        (Passport, "passport", "numéro de passeport", "passport number"),
        (Mrz, "mrz", "bande de lecture automatique", "machine-readable zone"),
    ];
    for (r, code, fr, en) in rows {
        assert_eq!(r.code(), code);
        let (mfr, men) = (r.message_fr(), r.message_en());
        assert!(mfr.starts_with("Ce code ressemble à "), "{mfr}");
        assert!(
            mfr.ends_with(" : il ne peut pas servir de code client."),
            "{mfr}"
        );
        assert!(mfr.contains(fr), "{mfr}");
        assert!(men.starts_with("This looks like "), "{men}");
        assert!(
            men.ends_with(": it cannot be used as a client code."),
            "{men}"
        );
        assert!(men.contains(en), "{men}");
        assert_eq!(r.message(Lang::Fr), mfr);
        assert_eq!(r.message(Lang::En), men);
    }
    assert_eq!(
        Nir.message_fr(),
        "Ce code ressemble à un numéro de sécurité sociale : il ne peut pas servir de code client."
    );
    assert_eq!(
        Nir.message_en(),
        "This looks like a social-security number: it cannot be used as a client code."
    );
}

#[test]
fn a_declared_shape_is_the_insurers_own_code() {
    // Issue 13, NS 56: a guard that blocks customers is worse than none. A value of a
    // declared shape is refused only when it is a checksum-verified identifier.
    let shapes: Vec<CodeShape> = [
        "CLI-******",
        "#########",
        "@@-###############",
        "###############",
    ]
    .iter()
    .map(|s| CodeShape::parse(s).expect("a valid shape"))
    .collect();
    #[rustfmt::skip]
    let rows: &[(&str, Result<(), Refusal>, &str)] = &[
        ("CLI-8R5T2W", PASS, "the audit's client code"),
        ("CLI8R5T2W", PASS, "the same without its hyphen: separators are not significant"),
        ("cli 8r5t2w", PASS, "lowercase, spaced"),
        ("CLI-X4RTBP", PASS, "whatever its letters and digits"),
        ("123456789", PASS, "nine digits"),
        ("12AB34567", Err(Passport), "not of a declared shape: the heuristics still apply"),
        ("X4RTBPFW4", Err(IdentityCard), "not of a declared shape: the heuristics still apply"),
        // checksum-verified identifiers are refused whatever the shape
        ("184127645108946", Err(Nir), "a NIR with its key, of the 15-digit shape"),
        ("184127645108947", PASS, "the same with a wrong key: of the declared shape, passes"),
        ("1841276451089", Err(Nir), "13 digits are of no declared shape: the keyless NIR heuristic applies"),
        ("4970101234567893", Err(PaymentCard), "no declared 16-digit shape: a Luhn-valid card"),
        ("FR-4970101234567893", PASS, "a card number after a prefix is not the whole value"),
        ("", PASS, "empty"),
    ];
    for (value, expected, why) in rows {
        assert_eq!(
            check_internal_code_with(value, &shapes),
            *expected,
            "value {value:?} ({why})"
        );
    }
    // a Luhn-valid number of a declared shape is still a card
    let cards = [CodeShape::parse("################").unwrap()];
    assert_eq!(
        check_internal_code_with("4970 1012 3456 7893", &cards),
        Err(PaymentCard)
    );
    assert_eq!(
        check_internal_code_with("4970101234567890", &cards),
        PASS,
        "Luhn-invalid: the insurer's own number"
    );
    // no shape declared: exactly check_internal_code
    for v in ["CLI8R5T2W", "12AB34567", "184127645108946", "AB1234567"] {
        assert_eq!(
            check_internal_code_with(v, &[]),
            check_internal_code(v),
            "{v}"
        );
    }
}

#[test]
fn shapes_are_read_strictly() {
    for ok in ["CLI-******", "#", "@@ ## **", "AB/####.##"] {
        assert!(CodeShape::parse(ok).is_ok(), "{ok}");
    }
    for bad in [
        "CLIENT",
        "",
        "---",
        "CLI-é**",
        "CLI\u{0}##",
        "CLI+######", // a value with a + is never judged as a code: it could never match
        &"#".repeat(65),
    ] {
        assert!(CodeShape::parse(bad).is_err(), "{bad:?}");
    }
}
