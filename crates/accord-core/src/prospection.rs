//! NS 56 prospection choices in subscription and contest forms (SPEC §7): each channel's
//! regime, the boxes the block renders, and the `accord_prospection` payload.
//!
//! Two regimes (NS 56, « Information et droits des personnes ») : express consent, a box
//! phrased « J'accepte … » ([`Regime::OptIn`]), or simple opposition, a box phrased « Je
//! m'oppose à … » ([`Regime::Opposition`]). Every box is unchecked by default and none is
//! required, contest forms included (« La participation à un jeu-concours … ne peut être
//! conditionnée à la réception de prospection »). No channel, box or label concerns
//! health data (« Les données de santé sont strictement exclues »).
//!
//! E-mail and SMS/MMS are the channels whose regime depends on the form: opposition
//! only for an existing client and products analogous to those held, opt-in otherwise,
//! and opt-in when the page does not say (`None`). The two uses have different box ids
//! (`email`, `email_analogous`), so a box id always has one regime and `true` always
//! means the same thing.
//!
//! One box per channel (GDPR recital 43 and art. 4(11): consent is specific, so a person
//! can accept e-mail and refuse SMS): e-mail, SMS/MMS, automated calling machines and
//! fax each have their own box. Accord 0.1 had two combined boxes; their payload keys
//! (`email_sms_mms`, `email_sms_mms_analogous`, `automated_call_fax`) are still written,
//! derived from the split boxes so that a server reading only them does nothing the
//! person did not allow ([`LEGACY`]).
//!
//! E-mail open tracking (CNIL deliberation 2026-042) is its own opt-in box, shown when
//! the insurer's e-mails carry an opening pixel (`prospection.email_open_tracking`).
//!
//! Placement: [`boxes`] is the list the block renders before the submit button. The
//! sensitive-data and photo boxes are not in it: each is rendered next to the field it
//! unlocks ([`Channel::from_sensitive`], [`box_for`]). The B2B box is only for forms
//! addressed to professionals ([`professional_boxes`]): on a consumer form it would ask
//! about something that does not concern the person.

use super::config::Lang;

/// Who fills the form (`data-accord-audience`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Not a client yet.
    Prospect,
    /// An existing client.
    Client,
}

impl Audience {
    /// `prospect` or `client`; anything else is `None` (the safe default applies).
    pub fn parse(attr: &str) -> Option<Audience> {
        match attr.trim().to_ascii_lowercase().as_str() {
            "prospect" => Some(Audience::Prospect),
            "client" => Some(Audience::Client),
            _ => None,
        }
    }
}

/// What the prospection is about, relative to what the person holds
/// (`data-accord-product`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Product {
    /// Products or services analogous to those the person holds.
    Analogous,
    /// Any other product or service.
    NonAnalogous,
}

impl Product {
    /// `analogous` or `non-analogous`; anything else is `None` (the safe default
    /// applies).
    pub fn parse(attr: &str) -> Option<Product> {
        match attr.trim().to_ascii_lowercase().as_str() {
            "analogous" => Some(Product::Analogous),
            "non-analogous" => Some(Product::NonAnalogous),
            _ => None,
        }
    }
}

/// The insurer's form (`data-accord-form`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormKind {
    /// A subscription form.
    Subscription,
    /// A contest form (« jeu-concours »).
    Contest,
}

impl FormKind {
    /// `subscription` or `contest`, as `data-accord-form` writes it.
    pub fn code(self) -> &'static str {
        match self {
            FormKind::Subscription => "subscription",
            FormKind::Contest => "contest",
        }
    }
    /// `subscription` or `contest` (any case); anything else is `None`.
    pub fn parse(attr: &str) -> Option<FormKind> {
        match attr.trim().to_ascii_lowercase().as_str() {
            "subscription" => Some(FormKind::Subscription),
            "contest" => Some(FormKind::Contest),
            _ => None,
        }
    }
}

/// Express consent or simple opposition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Regime {
    /// « J'accepte … »: only a ticked box allows it.
    OptIn,
    /// « Je m'oppose à … »: allowed unless the box is ticked.
    Opposition,
}

impl Regime {
    /// As written in the payload.
    pub fn code(self) -> &'static str {
        match self {
            Regime::OptIn => "opt_in",
            Regime::Opposition => "opposition",
        }
    }
}

/// A channel or use of SPEC §7's table (NS 56's two lists).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// E-mail (rows 1 and 6: opt-in, or opposition for analogous products to an existing
    /// client).
    Email,
    /// SMS and MMS (rows 1 and 6, as e-mail).
    SmsMms,
    /// Automated calling machine (row 2).
    AutomatedCall,
    /// Fax (row 2).
    Fax,
    /// Measuring the opening of the insurer's e-mails with a pixel (CNIL deliberation
    /// 2026-042: consent, distinct from the consent to receive the e-mails).
    EmailOpenTracking,
    /// Accord 0.1's combined e-mail, SMS, MMS box: no longer rendered, its payload key
    /// is derived ([`LEGACY`]).
    EmailSmsMms,
    /// Accord 0.1's combined automated calling machine and fax box: as above.
    AutomatedCallFax,
    /// Giving partners the email or phone used for automated-call, fax, SMS, MMS
    /// prospection (row 3).
    PartnersEmailPhone,
    /// Data revealing racial or ethnic origin (row 4).
    Origin,
    /// Data revealing political or philosophical opinions (row 4).
    Opinions,
    /// Data revealing religious beliefs (row 4).
    Beliefs,
    /// Data revealing union membership (row 4).
    Union,
    /// A photo or image of the person (row 4).
    Photo,
    /// Post, or phone with a human (row 5).
    PostPhone,
    /// B2B prospection about the professional's own activity (row 7).
    B2bActivity,
    /// Giving partners the postal address and phone for human prospection (row 8).
    PartnersPostalPhone,
    /// Giving partners identity (never the internal code) and family, economic and
    /// financial data (row 9).
    PartnersIdentity,
}

impl Channel {
    /// Every channel and use, in declaration order.
    pub const ALL: [Channel; 17] = [
        Channel::Email,
        Channel::SmsMms,
        Channel::AutomatedCall,
        Channel::Fax,
        Channel::EmailOpenTracking,
        Channel::EmailSmsMms,
        Channel::AutomatedCallFax,
        Channel::PartnersEmailPhone,
        Channel::Origin,
        Channel::Opinions,
        Channel::Beliefs,
        Channel::Union,
        Channel::Photo,
        Channel::PostPhone,
        Channel::B2bActivity,
        Channel::PartnersPostalPhone,
        Channel::PartnersIdentity,
    ];

    /// The box that unlocks a field marked `data-accord-sensitive="origin" | "opinions"
    /// | "beliefs" | "union" | "photo"`; anything else (health included) is `None`.
    pub fn from_sensitive(attr: &str) -> Option<Channel> {
        match attr.trim().to_ascii_lowercase().as_str() {
            "origin" => Some(Channel::Origin),
            "opinions" => Some(Channel::Opinions),
            "beliefs" => Some(Channel::Beliefs),
            "union" => Some(Channel::Union),
            "photo" => Some(Channel::Photo),
            _ => None,
        }
    }

    /// Is this a box rendered next to a sensitive field rather than in the list?
    pub fn is_sensitive(self) -> bool {
        matches!(
            self,
            Channel::Origin
                | Channel::Opinions
                | Channel::Beliefs
                | Channel::Union
                | Channel::Photo
        )
    }
}

/// The regime of `channel` for this form. `None` is what the page did not say; the
/// answer is then the safe one, opt-in.
pub fn regime(channel: Channel, audience: Option<Audience>, product: Option<Product>) -> Regime {
    match channel {
        // NS 56: consent for « la prospection réalisée au moyen d'un mode de
        // communication électronique (courrier électronique, SMS ou MMS) hors produits
        // ou services analogues »; opposition « pour un produit ou service analogue »,
        // which only an existing client holds.
        Channel::Email | Channel::SmsMms | Channel::EmailSmsMms => match (audience, product) {
            (Some(Audience::Client), Some(Product::Analogous)) => Regime::Opposition,
            _ => Regime::OptIn,
        },
        // NS 56: consent « au moyen d'automates d'appel ou de télécopieurs »; CNIL
        // 2026-042: consent to the opening pixel, whoever the person is.
        Channel::AutomatedCall
        | Channel::Fax
        | Channel::EmailOpenTracking
        | Channel::AutomatedCallFax
        | Channel::PartnersEmailPhone
        | Channel::Origin
        | Channel::Opinions
        | Channel::Beliefs
        | Channel::Union
        | Channel::Photo => Regime::OptIn,
        Channel::PostPhone
        | Channel::B2bActivity
        | Channel::PartnersPostalPhone
        | Channel::PartnersIdentity => Regime::Opposition,
    }
}

/// One box of the block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoxSpec {
    /// Stable snake_case id: the box's key in the payload. One id, one regime.
    pub id: &'static str,
    /// The channel or use the box is about.
    pub channel: Channel,
    /// Opt-in or opposition: what ticking the box means.
    pub regime: Regime,
    /// « J'accepte … » for opt-in, « Je m'oppose à … » for opposition.
    pub label_fr: &'static str,
    /// The same in English.
    pub label_en: &'static str,
    /// Always `false`: nothing is ticked in advance.
    pub checked: bool,
    /// Always `false`: no box is mandatory, contest forms included.
    pub required: bool,
}

impl BoxSpec {
    /// The box's label in `lang`.
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fr => self.label_fr,
            Lang::En => self.label_en,
        }
    }
}

/// Id and labels of a (channel, regime) use; `None` for a pair that never occurs.
fn wording(channel: Channel, regime: Regime) -> Option<(&'static str, &'static str, &'static str)> {
    use Channel as C;
    use Regime::{Opposition, OptIn};
    Some(match (channel, regime) {
        (C::Email, OptIn) => (
            "email",
            "J'accepte de recevoir des offres commerciales par e-mail.",
            "I agree to receive commercial offers by email.",
        ),
        (C::Email, Opposition) => (
            "email_analogous",
            "Je m'oppose à recevoir par e-mail des offres pour des produits ou services semblables à ceux que j'ai déjà.",
            "I object to receiving offers by email for products or services similar to those I already have.",
        ),
        (C::SmsMms, OptIn) => (
            "sms_mms",
            "J'accepte de recevoir des offres commerciales par SMS ou MMS.",
            "I agree to receive commercial offers by SMS or MMS.",
        ),
        (C::SmsMms, Opposition) => (
            "sms_mms_analogous",
            "Je m'oppose à recevoir par SMS ou MMS des offres pour des produits ou services semblables à ceux que j'ai déjà.",
            "I object to receiving offers by SMS or MMS for products or services similar to those I already have.",
        ),
        (C::AutomatedCall, OptIn) => (
            "automated_call",
            "J'accepte de recevoir des offres commerciales par appel automatique (un message enregistré, sans conseiller).",
            "I agree to receive commercial offers by automated call (a recorded message, with no one on the line).",
        ),
        (C::Fax, OptIn) => (
            "fax",
            "J'accepte de recevoir des offres commerciales par fax.",
            "I agree to receive commercial offers by fax.",
        ),
        (C::EmailOpenTracking, OptIn) => (
            "email_open_tracking",
            "J'accepte que vos e-mails mesurent quand je les ouvre (une image invisible vous l'indique).",
            "I agree that your emails measure when I open them (an invisible image tells you).",
        ),
        (C::EmailSmsMms, OptIn) => (
            "email_sms_mms",
            "J'accepte de recevoir des offres commerciales par e-mail, SMS ou MMS.",
            "I agree to receive commercial offers by email, SMS or MMS.",
        ),
        (C::EmailSmsMms, Opposition) => (
            "email_sms_mms_analogous",
            "Je m'oppose à recevoir par e-mail, SMS ou MMS des offres pour des produits ou services semblables à ceux que j'ai déjà.",
            "I object to receiving offers by email, SMS or MMS for products or services similar to those I already have.",
        ),
        (C::AutomatedCallFax, OptIn) => (
            "automated_call_fax",
            "J'accepte de recevoir des offres commerciales par appel automatique (message enregistré, sans conseiller) ou par fax.",
            "I agree to receive commercial offers by automated call (a recorded message, with no one on the line) or by fax.",
        ),
        (C::PartnersEmailPhone, OptIn) => (
            "partners_email_phone",
            "J'accepte que mon adresse e-mail et mon numéro de téléphone soient transmis à des partenaires, pour qu'ils m'envoient leurs offres par e-mail, SMS, MMS, fax ou appel automatique.",
            "I agree that my email address and phone number may be given to partners, so that they can send me their offers by email, SMS, MMS, fax or automated call.",
        ),
        (C::Origin, OptIn) => (
            "sensitive_origin",
            "J'accepte de donner cette information, qui peut révéler mon origine raciale ou ethnique.",
            "I agree to give this information, which may reveal my racial or ethnic origin.",
        ),
        (C::Opinions, OptIn) => (
            "sensitive_opinions",
            "J'accepte de donner cette information, qui peut révéler mes opinions politiques ou philosophiques.",
            "I agree to give this information, which may reveal my political or philosophical opinions.",
        ),
        (C::Beliefs, OptIn) => (
            "sensitive_beliefs",
            "J'accepte de donner cette information, qui peut révéler mes convictions religieuses.",
            "I agree to give this information, which may reveal my religious beliefs.",
        ),
        (C::Union, OptIn) => (
            "sensitive_union",
            "J'accepte de donner cette information, qui peut révéler mon appartenance à un syndicat.",
            "I agree to give this information, which may reveal my trade-union membership.",
        ),
        (C::Photo, OptIn) => (
            "photo",
            "J'accepte de donner ma photo.",
            "I agree to give my photo.",
        ),
        (C::PostPhone, Opposition) => (
            "post_phone",
            "Je m'oppose à recevoir des offres commerciales par courrier ou par téléphone (appel d'un conseiller).",
            "I object to receiving commercial offers by post or by phone (a call from an adviser).",
        ),
        (C::B2bActivity, Opposition) => (
            "b2b_activity",
            "Je m'oppose à recevoir, sur mes coordonnées professionnelles, des offres en lien avec mon activité professionnelle.",
            "I object to receiving, at my work contact details, offers related to my professional activity.",
        ),
        (C::PartnersPostalPhone, Opposition) => (
            "partners_postal_phone",
            "Je m'oppose à ce que mon adresse postale et mon numéro de téléphone soient transmis à des partenaires, pour qu'ils m'envoient leurs offres par courrier ou m'appellent.",
            "I object to my postal address and phone number being given to partners, so that they can send me their offers by post or call me.",
        ),
        (C::PartnersIdentity, Opposition) => (
            "partners_identity",
            "Je m'oppose à ce que mon identité et ma situation familiale, économique et financière soient transmises à des partenaires, pour qu'ils m'adressent leurs offres.",
            "I object to my identity and my family, economic and financial situation being given to partners, so that they can send me their offers.",
        ),
        _ => return None,
    })
}

fn spec(channel: Channel, regime: Regime) -> Option<BoxSpec> {
    let (id, label_fr, label_en) = wording(channel, regime)?;
    Some(BoxSpec {
        id,
        channel,
        regime,
        label_fr,
        label_en,
        checked: false,
        required: false,
    })
}

/// The box of `channel` on this form, unchecked and optional.
pub fn box_for(channel: Channel, audience: Option<Audience>, product: Option<Product>) -> BoxSpec {
    let r = regime(channel, audience, product);
    // Every (channel, regime) that `regime` yields has its wording; the fallback keeps
    // this total should the two tables ever disagree.
    spec(channel, r).unwrap_or(BoxSpec {
        id: "unknown",
        channel,
        regime: r,
        label_fr: "",
        label_en: "",
        checked: false,
        required: false,
    })
}

/// The box with this payload id, if any.
pub fn box_by_id(id: &str) -> Option<BoxSpec> {
    Channel::ALL
        .iter()
        .flat_map(|&c| [spec(c, Regime::OptIn), spec(c, Regime::Opposition)])
        .flatten()
        .find(|b| b.id == id)
}

/// The channels of the list, in the order the block shows them: the person's own
/// contact channels (the open-tracking box right after e-mail, when the insurer's
/// e-mails carry a pixel), then what may be given to partners.
const LISTED: [Channel; 9] = [
    Channel::Email,
    Channel::EmailOpenTracking,
    Channel::SmsMms,
    Channel::AutomatedCall,
    Channel::Fax,
    Channel::PostPhone,
    Channel::PartnersEmailPhone,
    Channel::PartnersPostalPhone,
    Channel::PartnersIdentity,
];

/// The boxes the block lists before the submit button of a form addressed to
/// individuals, one per channel and use. A contest form gets exactly the same boxes,
/// unchecked and optional (NS 56: entry cannot depend on accepting prospection), hence
/// `_kind` changes nothing. `open_tracking`: the insurer's e-mails carry an opening
/// pixel (`prospection.email_open_tracking`), which needs its own box. Sensitive-data
/// and photo boxes go next to their fields, and the B2B box only on professional forms
/// (see [`professional_boxes`]).
pub fn boxes(
    _kind: FormKind,
    audience: Option<Audience>,
    product: Option<Product>,
    open_tracking: bool,
) -> Vec<BoxSpec> {
    LISTED
        .iter()
        .filter(|&&c| open_tracking || c != Channel::EmailOpenTracking)
        .map(|&c| box_for(c, audience, product))
        .collect()
}

/// [`boxes`] plus the B2B box (NS 56: « la prospection entre professionnels … lorsque
/// l'objet du message est en rapport avec l'activité du professionnel »), placed after
/// the person's own channels.
pub fn professional_boxes(
    kind: FormKind,
    audience: Option<Audience>,
    product: Option<Product>,
    open_tracking: bool,
) -> Vec<BoxSpec> {
    let mut list = boxes(kind, audience, product, open_tracking);
    let at = list
        .iter()
        .position(|b| b.channel == Channel::PostPhone)
        .map_or(list.len(), |i| i + 1);
    list.insert(at, box_for(Channel::B2bActivity, audience, product));
    list
}

/// A sentence shown above the boxes of a contest form; `None` for a subscription.
pub fn note(kind: FormKind, lang: Lang) -> Option<&'static str> {
    match (kind, lang) {
        (FormKind::Subscription, _) => None,
        (FormKind::Contest, Lang::Fr) => Some(
            "Ces cases sont facultatives : votre participation au jeu ne dépend pas de vos choix.",
        ),
        (FormKind::Contest, Lang::En) => Some(
            "These boxes are optional: your entry in the contest does not depend on your choices.",
        ),
    }
}

/// Version of the payload format, written as its `format` field. A new format adds a
/// number; receivers keep reading the old ones.
pub const PAYLOAD_FORMAT: u32 = 1;

/// Accord 0.1's combined boxes, still written in the payload for servers that read
/// them: `(key, regime, parts)`. Derived so that a server reading only the old key does
/// nothing the person did not allow: an opt-in key is `true` only when every part is
/// ticked (a consent to all its channels), an opposition key is `true` when any part is
/// ticked (an objection to one channel stops the combined use). Written only when
/// every part is in the form; each entry lists its parts as `derived_from`.
pub const LEGACY: [(&str, Regime, [&str; 2]); 3] = [
    ("email_sms_mms", Regime::OptIn, ["email", "sms_mms"]),
    (
        "email_sms_mms_analogous",
        Regime::Opposition,
        ["email_analogous", "sms_mms_analogous"],
    ),
    (
        "automated_call_fax",
        Regime::OptIn,
        ["automated_call", "fax"],
    ),
];

/// The JSON of the hidden field `accord_prospection`, on one line:
///
/// `{"format":1,"form":"subscription","notice_version":"…","timestamp":"…",`
/// `"choices":{"<box id>":{"regime":"opt_in"|"opposition","checked":true|false},…},`
/// `"partners_to_notify":["…",…]}`
///
/// then, for each of Accord 0.1's combined boxes whose parts are all present, its key
/// derived from them ([`LEGACY`]):
/// `"email_sms_mms":{"regime":"opt_in","checked":false,"derived_from":["email","sms_mms"]}`.
///
/// `values` are the rendered boxes with their state, in order; an id that is no box's
/// (or a legacy key) is left out, and a repeated id keeps its first value. `partners_to_notify` are the
/// controllers the insurer gives the data to, who must be told without delay of an
/// opposition (NS 56, « Après la collecte des données »); always present, possibly
/// empty. The timestamp is written as given (the browser's ISO clock).
pub fn payload(
    kind: FormKind,
    notice_version: &str,
    timestamp_iso: &str,
    values: &[(&str, bool)],
    partners: &[String],
) -> String {
    let mut out = String::with_capacity(256);
    out.push_str(&format!("{{\"format\":{PAYLOAD_FORMAT},\"form\":"));
    out.push_str(&super::json::string(kind.code()));
    out.push_str(",\"notice_version\":");
    out.push_str(&super::json::string(notice_version));
    out.push_str(",\"timestamp\":");
    out.push_str(&super::json::string(timestamp_iso));
    out.push_str(",\"choices\":{");
    let mut seen: Vec<(&str, bool)> = Vec::new();
    let entry = |out: &mut String, first: bool, id: &str, regime: Regime, checked: bool| {
        if !first {
            out.push(',');
        }
        out.push_str(&super::json::string(id));
        out.push_str(":{\"regime\":");
        out.push_str(&super::json::string(regime.code()));
        out.push_str(",\"checked\":");
        out.push_str(if checked { "true" } else { "false" });
    };
    for &(id, checked) in values {
        let legacy = LEGACY.iter().any(|(k, _, _)| *k == id);
        if legacy || seen.iter().any(|(s, _)| *s == id) {
            continue;
        }
        let Some(b) = box_by_id(id) else { continue };
        entry(&mut out, seen.is_empty(), b.id, b.regime, checked);
        out.push('}');
        seen.push((b.id, checked));
    }
    for (key, regime, parts) in LEGACY {
        let states: Vec<bool> = parts
            .iter()
            .filter_map(|p| seen.iter().find(|(s, _)| s == p).map(|(_, v)| *v))
            .collect();
        if states.len() != parts.len() {
            continue;
        }
        let checked = match regime {
            Regime::OptIn => states.iter().all(|v| *v),
            Regime::Opposition => states.iter().any(|v| *v),
        };
        entry(&mut out, seen.is_empty(), key, regime, checked);
        out.push_str(",\"derived_from\":[");
        out.push_str(&parts.map(super::json::string).join(","));
        out.push_str("]}");
    }
    out.push_str("},\"partners_to_notify\":[");
    for (i, p) in partners.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&super::json::string(p));
    }
    out.push_str("]}");
    out
}
