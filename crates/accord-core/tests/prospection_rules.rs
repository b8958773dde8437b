#![cfg(not(target_arch = "wasm32"))]
//! The NS 56 prospection block's pure rules (SPEC §7) as tables: each row of the SPEC
//! table × audience × product gives a regime; the boxes a form renders; the
//! `accord_prospection` payload as golden strings, with its JSON escaping.

use accord_core::config::Lang;
use accord_core::prospection::{
    box_by_id, box_for, boxes, note, payload, professional_boxes, regime, Audience, BoxSpec,
    Channel, FormKind, Product, Regime,
};
use serde_json::{json, Value};

use Regime::{Opposition as O, OptIn as I};

/// The nine forms a page can declare, in the column order of the regime table:
/// audience prospect / client / unspecified × product analogous / non-analogous /
/// unspecified.
const FORMS: [(Option<Audience>, Option<Product>); 9] = [
    (Some(Audience::Prospect), Some(Product::Analogous)),
    (Some(Audience::Prospect), Some(Product::NonAnalogous)),
    (Some(Audience::Prospect), None),
    (Some(Audience::Client), Some(Product::Analogous)),
    (Some(Audience::Client), Some(Product::NonAnalogous)),
    (Some(Audience::Client), None),
    (None, Some(Product::Analogous)),
    (None, Some(Product::NonAnalogous)),
    (None, None),
];

const KINDS: [FormKind; 2] = [FormKind::Subscription, FormKind::Contest];

#[test]
fn every_row_of_the_spec_table_by_audience_and_product() {
    // Columns:  prospect: an nA -   | client: an nA -   | unspecified: an nA -
    #[rustfmt::skip]
    let rows: [(Channel, &str, [Regime; 9]); 17] = [
        (Channel::Email,
         "SPEC §7 rows 1 and 6, e-mail alone (GDPR recital 43: consent is specific)",
         [I, I, I,   O, I, I,   I, I, I]),
        (Channel::SmsMms,
         "SPEC §7 rows 1 and 6, SMS and MMS alone",
         [I, I, I,   O, I, I,   I, I, I]),
        (Channel::AutomatedCall,
         "SPEC §7 row 2; NS 56: consent « au moyen d'automates d'appel »",
         [I, I, I,   I, I, I,   I, I, I]),
        (Channel::Fax,
         "SPEC §7 row 2; NS 56: consent « au moyen … de télécopieurs »",
         [I, I, I,   I, I, I,   I, I, I]),
        (Channel::EmailOpenTracking,
         "CNIL deliberation 2026-042: the opening pixel needs its own consent, client or not",
         [I, I, I,   I, I, I,   I, I, I]),
        (Channel::EmailSmsMms,
         "SPEC §7 rows 1 and 6; NS 56: consent « au moyen d'un mode de communication électronique \
          (courrier électronique, SMS ou MMS) hors produits ou services analogues », opposition \
          « pour un produit ou service analogue »; safe default opt-in",
         [I, I, I,   O, I, I,   I, I, I]),
        (Channel::AutomatedCallFax,
         "SPEC §7 row 2; NS 56: consent « au moyen d'automates d'appel ou de télécopieurs »",
         [I, I, I,   I, I, I,   I, I, I]),
        (Channel::PartnersEmailPhone,
         "SPEC §7 row 3; NS 56: consent for « la cession à des partenaires des adresses \
          électroniques ou des numéros de téléphone » for automated call, fax, SMS, MMS",
         [I, I, I,   I, I, I,   I, I, I]),
        (Channel::Origin,
         "SPEC §7 row 4; NS 56: consent for data revealing « les origines raciales ou ethniques »",
         [I, I, I,   I, I, I,   I, I, I]),
        (Channel::Opinions,
         "SPEC §7 row 4; NS 56: consent for « les opinions politiques, philosophiques »",
         [I, I, I,   I, I, I,   I, I, I]),
        (Channel::Beliefs,
         "SPEC §7 row 4; NS 56: consent for « les opinions … religieuses »",
         [I, I, I,   I, I, I,   I, I, I]),
        (Channel::Union,
         "SPEC §7 row 4; NS 56: consent for « l'appartenance syndicale »",
         [I, I, I,   I, I, I,   I, I, I]),
        (Channel::Photo,
         "SPEC §7 row 4; NS 56: consent for « la collecte de la photographie ou de l'image »",
         [I, I, I,   I, I, I,   I, I, I]),
        (Channel::PostPhone,
         "SPEC §7 row 5; NS 56: opposition « par voie postale ou téléphonique avec intervention humaine »",
         [O, O, O,   O, O, O,   O, O, O]),
        (Channel::B2bActivity,
         "SPEC §7 row 7; NS 56: opposition « entre professionnels … en rapport avec l'activité »",
         [O, O, O,   O, O, O,   O, O, O]),
        (Channel::PartnersPostalPhone,
         "SPEC §7 row 8; NS 56: opposition to « la cession d'adresse postale et de numéros de \
          téléphone » for human prospection",
         [O, O, O,   O, O, O,   O, O, O]),
        (Channel::PartnersIdentity,
         "SPEC §7 row 9; NS 56: opposition to « la cession à des partenaires de données relatives \
          à l'identité … situation familiale, économique et financière »",
         [O, O, O,   O, O, O,   O, O, O]),
    ];
    let mut covered = Vec::new();
    for (channel, why, expected) in rows {
        covered.push(channel);
        for ((audience, product), want) in FORMS.iter().zip(expected) {
            assert_eq!(
                regime(channel, *audience, *product),
                want,
                "{channel:?} for {audience:?} / {product:?}: {why}"
            );
            let b = box_for(channel, *audience, *product);
            assert_eq!(b.regime, want, "{channel:?}: the box says the regime");
            assert_eq!(b.channel, channel);
        }
    }
    assert_eq!(
        covered,
        Channel::ALL.to_vec(),
        "the table covers every channel"
    );
}

/// Labels begin with the regime's words (SPEC §7: « J'accepte … » / « Je m'oppose à … »).
fn assert_label(b: &BoxSpec) {
    let (fr, en) = match b.regime {
        Regime::OptIn => ("J'accepte ", "I agree "),
        Regime::Opposition => ("Je m'oppose à ", "I object to "),
    };
    assert!(b.label_fr.starts_with(fr), "{}: {}", b.id, b.label_fr);
    assert!(b.label_en.starts_with(en), "{}: {}", b.id, b.label_en);
    assert!(
        b.label_fr.ends_with('.') && b.label_en.ends_with('.'),
        "{}",
        b.id
    );
    assert_eq!(b.label(Lang::Fr), b.label_fr);
    assert_eq!(b.label(Lang::En), b.label_en);
    // Plain words, no double negatives: no negation at all in a label.
    for neg in [" ne ", " n'", " pas ", " pas.", " aucun", " jamais"] {
        assert!(
            !b.label_fr.contains(neg),
            "{}: {neg:?} in {}",
            b.id,
            b.label_fr
        );
    }
    for neg in [" not ", "n't", " never "] {
        assert!(
            !b.label_en.contains(neg),
            "{}: {neg:?} in {}",
            b.id,
            b.label_en
        );
    }
}

#[test]
fn the_boxes_of_every_form() {
    // SPEC §7: one box per channel and use (issue 13: e-mail, SMS/MMS, automated calls
    // and fax each their own box); the e-mail and SMS boxes are the opposition ones only
    // for an existing client and analogous products.
    const OWN: [&str; 2] = ["email", "sms_mms"];
    const ANALOGOUS: [&str; 2] = ["email_analogous", "sms_mms_analogous"];
    #[rustfmt::skip]
    let first: [[&str; 2]; 9] = [
        OWN, OWN, OWN,   ANALOGOUS, OWN, OWN,   OWN, OWN, OWN,
    ];
    for kind in KINDS {
        for ((audience, product), [email, sms]) in FORMS.iter().zip(first) {
            for tracking in [false, true] {
                let list = boxes(kind, *audience, *product, tracking);
                let ids: Vec<&str> = list.iter().map(|b| b.id).collect();
                let mut want = vec![email];
                if tracking {
                    // CNIL 2026-042: its own box, right after the e-mail one
                    want.push("email_open_tracking");
                }
                want.extend([
                    sms,
                    "automated_call",
                    "fax",
                    "post_phone",
                    "partners_email_phone",
                    "partners_postal_phone",
                    "partners_identity",
                ]);
                assert_eq!(
                    ids, want,
                    "{kind:?} {audience:?} {product:?} tracking {tracking}"
                );
                for b in &list {
                    // SPEC §7: « all unchecked by default »; contest: « none of them is ever required »
                    assert!(!b.checked, "{kind:?}: {} checked by default", b.id);
                    assert!(!b.required, "{kind:?}: {} required", b.id);
                    assert_eq!(b.regime, regime(b.channel, *audience, *product));
                    assert!(
                        !b.channel.is_sensitive(),
                        "sensitive boxes go next to their fields"
                    );
                    assert_label(b);
                }
            }
        }
    }
}

#[test]
fn contest_forms_get_the_same_unchecked_optional_boxes() {
    // NS 56: « La participation à un jeu-concours … ne peut être conditionnée à la réception
    // de prospection »; SPEC §7: a contest form submits with every box unticked.
    for (audience, product) in FORMS {
        for tracking in [false, true] {
            let contest = boxes(FormKind::Contest, audience, product, tracking);
            assert_eq!(
                contest,
                boxes(FormKind::Subscription, audience, product, tracking)
            );
            assert!(contest.iter().all(|b| !b.checked && !b.required));
            assert_eq!(
                professional_boxes(FormKind::Contest, audience, product, tracking),
                professional_boxes(FormKind::Subscription, audience, product, tracking)
            );
        }
    }
    assert_eq!(
        note(FormKind::Contest, Lang::Fr),
        Some(
            "Ces cases sont facultatives : votre participation au jeu ne dépend pas de vos choix."
        )
    );
    assert_eq!(
        note(FormKind::Contest, Lang::En),
        Some(
            "These boxes are optional: your entry in the contest does not depend on your choices."
        )
    );
    assert_eq!(note(FormKind::Subscription, Lang::Fr), None);
    assert_eq!(note(FormKind::Subscription, Lang::En), None);
}

#[test]
fn professional_forms_add_the_b2b_box() {
    // SPEC §7 row 7; NS 56: « la prospection entre professionnels … lorsque l'objet du
    // message est en rapport avec l'activité du professionnel »: opposition.
    for kind in KINDS {
        for (audience, product) in FORMS {
            let list = professional_boxes(kind, audience, product, false);
            let ids: Vec<&str> = list.iter().map(|b| b.id).collect();
            assert_eq!(ids.len(), 9);
            assert_eq!(ids[4], "post_phone");
            assert_eq!(ids[5], "b2b_activity");
            let b2b = &list[5];
            assert_eq!(b2b.regime, Regime::Opposition);
            assert!(!b2b.checked && !b2b.required);
            assert_label(b2b);
            // consumer forms never show it
            assert!(boxes(kind, audience, product, true)
                .iter()
                .all(|b| b.id != "b2b_activity"));
        }
    }
}

#[test]
fn sensitive_fields_each_have_their_own_opt_in_box() {
    // SPEC §7 row 4 and `data-accord-sensitive`: each its own box, opt-in.
    #[rustfmt::skip]
    let rows: [(&str, Option<(Channel, &str)>); 11] = [
        ("origin", Some((Channel::Origin, "sensitive_origin"))),
        ("opinions", Some((Channel::Opinions, "sensitive_opinions"))),
        ("beliefs", Some((Channel::Beliefs, "sensitive_beliefs"))),
        ("union", Some((Channel::Union, "sensitive_union"))),
        ("photo", Some((Channel::Photo, "photo"))),
        (" Photo ", Some((Channel::Photo, "photo"))),
        // NS 56: « Les données de santé sont strictement exclues »
        ("health", None),
        ("sante", None),
        ("santé", None),
        ("", None),
        ("religion", None),
    ];
    for (attr, expected) in rows {
        let got = Channel::from_sensitive(attr);
        assert_eq!(got, expected.map(|(c, _)| c), "{attr:?}");
        if let Some((channel, id)) = expected {
            assert!(channel.is_sensitive());
            for (audience, product) in FORMS {
                let b = box_for(channel, audience, product);
                assert_eq!(b.id, id);
                assert_eq!(b.regime, Regime::OptIn, "{attr}: always opt-in");
                assert!(!b.checked && !b.required);
                assert_label(&b);
            }
        }
    }
}

/// Every box that can ever exist: each channel on each form.
fn every_box() -> Vec<BoxSpec> {
    let mut all = Vec::new();
    for c in Channel::ALL {
        for (a, p) in FORMS {
            let b = box_for(c, a, p);
            if !all.contains(&b) {
                all.push(b);
            }
        }
    }
    all
}

#[test]
fn ids_are_stable_snake_case_and_one_regime_each() {
    let all = every_box();
    let ids: Vec<&str> = all.iter().map(|b| b.id).collect();
    // The payload keys: a contract (add, never rename).
    assert_eq!(
        ids,
        [
            "email",
            "email_analogous",
            "sms_mms",
            "sms_mms_analogous",
            "automated_call",
            "fax",
            "email_open_tracking",
            "email_sms_mms",
            "email_sms_mms_analogous",
            "automated_call_fax",
            "partners_email_phone",
            "sensitive_origin",
            "sensitive_opinions",
            "sensitive_beliefs",
            "sensitive_union",
            "photo",
            "post_phone",
            "b2b_activity",
            "partners_postal_phone",
            "partners_identity",
        ]
    );
    for b in &all {
        assert!(
            b.id.bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_'),
            "{}",
            b.id
        );
        assert_eq!(
            box_by_id(b.id).as_ref(),
            Some(b),
            "{}: one id, one box",
            b.id
        );
        assert_label(b);
    }
    assert_eq!(box_by_id("health"), None);
    assert_eq!(box_by_id("unknown"), None);
    assert_eq!(box_by_id(""), None);
}

#[test]
fn no_box_ever_concerns_health() {
    // NS 56: « Les données de santé sont strictement exclues du périmètre de la norme »;
    // SPEC §7: « Health fields are never part of the block ».
    for b in every_box() {
        let text = format!("{} {} {}", b.id, b.label_fr, b.label_en).to_lowercase();
        for word in [
            "sant", "health", "médic", "medic", "maladie", "illness", "handicap",
        ] {
            assert!(!text.contains(word), "{word:?} in {}", b.id);
        }
    }
}

#[test]
fn attribute_values_parse_or_fall_back_to_the_safe_default() {
    #[rustfmt::skip]
    let audiences = [
        ("prospect", Some(Audience::Prospect)), ("client", Some(Audience::Client)),
        (" Client ", Some(Audience::Client)), ("customer", None), ("", None),
    ];
    for (attr, want) in audiences {
        assert_eq!(Audience::parse(attr), want, "{attr:?}");
    }
    #[rustfmt::skip]
    let products = [
        ("analogous", Some(Product::Analogous)), ("non-analogous", Some(Product::NonAnalogous)),
        ("ANALOGOUS", Some(Product::Analogous)), ("non_analogous", None), ("similar", None),
        ("", None),
    ];
    for (attr, want) in products {
        assert_eq!(Product::parse(attr), want, "{attr:?}");
    }
    #[rustfmt::skip]
    let kinds = [
        ("subscription", Some(FormKind::Subscription)), ("contest", Some(FormKind::Contest)),
        ("Contest", Some(FormKind::Contest)), ("newsletter", None), ("", None),
    ];
    for (attr, want) in kinds {
        assert_eq!(FormKind::parse(attr), want, "{attr:?}");
        if let Some(k) = want {
            assert_eq!(FormKind::parse(k.code()), Some(k));
        }
    }
    // An unknown value is `None`, which is opt-in for email (SPEC §7: « the safe default
    // is opt-in »).
    assert_eq!(
        regime(
            Channel::EmailSmsMms,
            Audience::parse("customer"),
            Product::parse("analogous")
        ),
        Regime::OptIn
    );
}

#[test]
fn json_strings_are_escaped() {
    #[rustfmt::skip]
    let rows: [(&str, &str); 14] = [
        ("", r#""""#),
        ("plain", r#""plain""#),
        ("say \"hi\"", r#""say \"hi\"""#),
        ("back\\slash", r#""back\\slash""#),
        ("a\nb", r#""a\nb""#),
        ("a\r\nb", r#""a\r\nb""#),
        ("tab\there", r#""tab\there""#),
        ("\u{8}\u{c}", r#""\b\f""#),
        ("\u{0}", r#""\u0000""#),
        ("\u{1}\u{1f}", r#""\u0001\u001f""#),
        ("\u{7f}", "\"\u{7f}\""),
        ("Société Générale d'Assurances", "\"Société Générale d'Assurances\""),
        ("line\u{2028}sep\u{2029}", r#""line\u2028sep\u2029""#),
        ("</script>😀", "\"</script>😀\""),
    ];
    for (raw, want) in rows {
        let got = accord_core::json::string(raw);
        assert_eq!(got, want, "{raw:?}");
        let back: String = serde_json::from_str(&got).unwrap_or_else(|e| panic!("{got}: {e}"));
        assert_eq!(back, raw, "round trip through a real JSON parser");
    }
}

fn partners(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn payload_golden_strings() {
    // SPEC §7 / issue 5: one hidden field `accord_prospection` with every box's explicit
    // true/false, the notice version, the form kind, a timestamp and the partner
    // controllers that must be told of an opposition (NS 56: « informe sans délai de
    // cette opposition tout autre responsable de traitement »).
    #[rustfmt::skip]
    let rows: Vec<(&str, String, &str)> = vec![
        ("subscription, a prospect who accepts e-mail, refuses SMS, and opposes post/phone",
         payload(
            FormKind::Subscription, "2026-11-01", "2026-11-23T04:43:00Z",
            &[("email", true), ("sms_mms", false), ("automated_call", false), ("fax", false),
              ("post_phone", true), ("partners_email_phone", false),
              ("partners_postal_phone", false), ("partners_identity", true)],
            &partners(&["Courtier Exemple", "Assistance Plus"]),
         ),
         // the 0.1 keys follow: e-mail without SMS is no consent to « e-mail, SMS or MMS »
         r#"{"format":1,"form":"subscription","notice_version":"2026-11-01","timestamp":"2026-11-23T04:43:00Z","choices":{"email":{"regime":"opt_in","checked":true},"sms_mms":{"regime":"opt_in","checked":false},"automated_call":{"regime":"opt_in","checked":false},"fax":{"regime":"opt_in","checked":false},"post_phone":{"regime":"opposition","checked":true},"partners_email_phone":{"regime":"opt_in","checked":false},"partners_postal_phone":{"regime":"opposition","checked":false},"partners_identity":{"regime":"opposition","checked":true},"email_sms_mms":{"regime":"opt_in","checked":false,"derived_from":["email","sms_mms"]},"automated_call_fax":{"regime":"opt_in","checked":false,"derived_from":["automated_call","fax"]}},"partners_to_notify":["Courtier Exemple","Assistance Plus"]}"#),
        ("every opt-in ticked, with the open-tracking box: the 0.1 keys are true",
         payload(
            FormKind::Subscription, "2026-11-01", "2026-11-23T04:43:00Z",
            &[("email", true), ("email_open_tracking", false), ("sms_mms", true),
              ("automated_call", true), ("fax", true)],
            &[],
         ),
         r#"{"format":1,"form":"subscription","notice_version":"2026-11-01","timestamp":"2026-11-23T04:43:00Z","choices":{"email":{"regime":"opt_in","checked":true},"email_open_tracking":{"regime":"opt_in","checked":false},"sms_mms":{"regime":"opt_in","checked":true},"automated_call":{"regime":"opt_in","checked":true},"fax":{"regime":"opt_in","checked":true},"email_sms_mms":{"regime":"opt_in","checked":true,"derived_from":["email","sms_mms"]},"automated_call_fax":{"regime":"opt_in","checked":true,"derived_from":["automated_call","fax"]}},"partners_to_notify":[]}"#),
        ("contest submitted untouched: every box explicitly false, no partners",
         payload(
            FormKind::Contest, "v3", "2026-12-01T10:00:00Z",
            &[("email", false), ("sms_mms", false), ("automated_call", false), ("fax", false),
              ("post_phone", false), ("partners_email_phone", false),
              ("partners_postal_phone", false), ("partners_identity", false)],
            &[],
         ),
         r#"{"format":1,"form":"contest","notice_version":"v3","timestamp":"2026-12-01T10:00:00Z","choices":{"email":{"regime":"opt_in","checked":false},"sms_mms":{"regime":"opt_in","checked":false},"automated_call":{"regime":"opt_in","checked":false},"fax":{"regime":"opt_in","checked":false},"post_phone":{"regime":"opposition","checked":false},"partners_email_phone":{"regime":"opt_in","checked":false},"partners_postal_phone":{"regime":"opposition","checked":false},"partners_identity":{"regime":"opposition","checked":false},"email_sms_mms":{"regime":"opt_in","checked":false,"derived_from":["email","sms_mms"]},"automated_call_fax":{"regime":"opt_in","checked":false,"derived_from":["automated_call","fax"]}},"partners_to_notify":[]}"#),
        ("client, analogous products: objecting to SMS alone is an objection under the 0.1 key; a photo field, a professional form",
         payload(
            FormKind::Subscription, "2026-11-01", "2026-11-23T04:43:00Z",
            &[("email_analogous", false), ("sms_mms_analogous", true), ("b2b_activity", false), ("photo", true)],
            &partners(&["Courtier Exemple"]),
         ),
         r#"{"format":1,"form":"subscription","notice_version":"2026-11-01","timestamp":"2026-11-23T04:43:00Z","choices":{"email_analogous":{"regime":"opposition","checked":false},"sms_mms_analogous":{"regime":"opposition","checked":true},"b2b_activity":{"regime":"opposition","checked":false},"photo":{"regime":"opt_in","checked":true},"email_sms_mms_analogous":{"regime":"opposition","checked":true,"derived_from":["email_analogous","sms_mms_analogous"]}},"partners_to_notify":["Courtier Exemple"]}"#),
        ("a 0.1 key sent by the page is never taken as is: only derived",
         payload(
            FormKind::Contest, "v3", "2026-12-01T10:00:00Z",
            &[("email_sms_mms", true), ("email", false)],
            &[],
         ),
         r#"{"format":1,"form":"contest","notice_version":"v3","timestamp":"2026-12-01T10:00:00Z","choices":{"email":{"regime":"opt_in","checked":false}},"partners_to_notify":[]}"#),
        ("an unknown id is left out; a repeated id keeps its first value",
         payload(
            FormKind::Contest, "v3", "2026-12-01T10:00:00Z",
            &[("health", true), ("post_phone", false), ("post_phone", true), ("", true)],
            &[],
         ),
         r#"{"format":1,"form":"contest","notice_version":"v3","timestamp":"2026-12-01T10:00:00Z","choices":{"post_phone":{"regime":"opposition","checked":false}},"partners_to_notify":[]}"#),
        ("no boxes at all",
         payload(FormKind::Subscription, "", "", &[], &[]),
         r#"{"format":1,"form":"subscription","notice_version":"","timestamp":"","choices":{},"partners_to_notify":[]}"#),
        ("escaping in every string the page or config supplies",
         payload(
            FormKind::Subscription, "v\"2\"\\n", "2026-11-23T04:43:00Z\n",
            &[("photo", false)],
            &partners(&["Assur \"Plus\"", "Société\tGénérale", "a\u{1}b"]),
         ),
         r#"{"format":1,"form":"subscription","notice_version":"v\"2\"\\n","timestamp":"2026-11-23T04:43:00Z\n","choices":{"photo":{"regime":"opt_in","checked":false}},"partners_to_notify":["Assur \"Plus\"","Société\tGénérale","a\u0001b"]}"#),
    ];
    for (why, got, want) in rows {
        assert_eq!(got, want, "{why}");
        let parsed: Value = serde_json::from_str(&got).unwrap_or_else(|e| panic!("{why}: {e}"));
        assert!(parsed.is_object(), "{why}");
    }
}

#[test]
fn payload_reads_back_with_a_real_json_parser() {
    let list = boxes(
        FormKind::Contest,
        Some(Audience::Client),
        Some(Product::Analogous),
        true,
    );
    let values: Vec<(&str, bool)> = list.iter().map(|b| (b.id, false)).collect();
    let text = payload(
        FormKind::Contest,
        "2026-11-01",
        "2026-11-23T04:43:00Z",
        &values,
        &partners(&["Courtier \"Exemple\""]),
    );
    let parsed: Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(
        parsed,
        json!({
            "format": 1,
            "form": "contest",
            "notice_version": "2026-11-01",
            "timestamp": "2026-11-23T04:43:00Z",
            "choices": {
                "email_analogous": { "regime": "opposition", "checked": false },
                "email_open_tracking": { "regime": "opt_in", "checked": false },
                "sms_mms_analogous": { "regime": "opposition", "checked": false },
                "automated_call": { "regime": "opt_in", "checked": false },
                "fax": { "regime": "opt_in", "checked": false },
                "post_phone": { "regime": "opposition", "checked": false },
                "partners_email_phone": { "regime": "opt_in", "checked": false },
                "partners_postal_phone": { "regime": "opposition", "checked": false },
                "partners_identity": { "regime": "opposition", "checked": false },
                "email_sms_mms_analogous": { "regime": "opposition", "checked": false,
                    "derived_from": ["email_analogous", "sms_mms_analogous"] },
                "automated_call_fax": { "regime": "opt_in", "checked": false,
                    "derived_from": ["automated_call", "fax"] }
            },
            "partners_to_notify": ["Courtier \"Exemple\""]
        })
    );
}
