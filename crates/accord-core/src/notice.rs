//! The words of the banner, in French first and English second, in plain language.
//! The UI only places them; the receipt (issue 6) hashes exactly what was shown.

use super::config::{Config, Controller, Lang, Prospection, TransferBasis};
use super::json::{Fields, ToJson};
use super::prospection::Audience;

/// Every fixed text of the widget in one language.
pub struct Words {
    /// The banner's heading.
    pub banner_title: &'static str,
    /// Followed by the controller's name and the purposes.
    pub intro: &'static str,
    /// Says that partners set some of the trackers (when the config has vendors).
    pub partners_note: &'static str,
    /// Says that refusing keeps the whole site usable.
    pub refuse_note: &'static str,
    /// Says how to change one's mind later (« Gérer mes cookies »).
    pub change_note: &'static str,
    /// `{n}` is replaced by the number of months.
    pub kept_note: &'static str,
    /// The same when a refusal is kept longer than a consent: `{n}` and `{r}` months.
    pub kept_note_refusal: &'static str,
    /// The « Tout accepter » button.
    pub accept_all: &'static str,
    /// The « Tout refuser » button.
    pub refuse_all: &'static str,
    /// The button that opens the preferences.
    pub customize: &'static str,
    /// The close button (closing without choosing is a refusal).
    pub close: &'static str,
    /// The link that opens the partner list.
    pub partners: &'static str,
    /// The preferences' save button.
    pub save: &'static str,
    /// The « Gérer mes cookies » control that reopens the choices.
    pub manage: &'static str,
    /// The partner list's button back to the previous layer.
    pub back: &'static str,
    /// The preferences' heading.
    pub prefs_title: &'static str,
    /// The preferences' first line: nothing is ticked in advance.
    pub prefs_intro: &'static str,
    /// The note of a necessary purpose: always on.
    pub necessary_note: &'static str,
    /// `{n}` is replaced by the months the data is kept.
    pub exempt_note: &'static str,
    /// The opt-out control (SPEC §6): its state, and its button in both directions.
    pub optout_active: &'static str,
    /// The state once the person objected.
    pub optout_objected: &'static str,
    /// The button that objects.
    pub optout_object: &'static str,
    /// The button that undoes the objection.
    pub optout_undo: &'static str,
    /// `data-accord-optout` names a consent purpose: its state (`{purpose}`: its
    /// title) and its button in both directions.
    pub optout_consent_on: &'static str,
    /// The state while the purpose is not granted.
    pub optout_consent_off: &'static str,
    /// The button that withdraws the consent.
    pub optout_withdraw: &'static str,
    /// The button that gives it.
    pub optout_grant: &'static str,
    /// `data-accord-optout` names no purpose that can be refused: what the page shows.
    pub optout_unavailable: &'static str,
    /// The partner list's heading.
    pub partners_title: &'static str,
    /// Partner list column: the vendor's name.
    pub col_partner: &'static str,
    /// Partner list column: the purpose it serves.
    pub col_purpose: &'static str,
    /// Partner list column: its country.
    pub col_country: &'static str,
    /// Partner list column: the safeguard of a transfer outside the EU.
    pub col_transfer: &'static str,
    /// Partner list column: the link to its privacy policy.
    pub col_privacy: &'static str,
    /// The text of the link to a vendor's privacy policy.
    pub privacy_link: &'static str,
    /// The transfer column when no safeguard is needed: EU or adequate country.
    pub in_eu: &'static str,
    /// The text of the link to the controller's privacy policy.
    pub privacy_policy: &'static str,
    /// The label before a list of partners.
    pub vendors_label: &'static str,
    /// Held embedded content: `{vendor}` and `{purpose}` are filled in.
    pub placeholder_title: &'static str,
    /// What showing the content lets the vendor do.
    pub placeholder_text: &'static str,
    /// The button that grants the purpose and shows the content.
    pub placeholder_button: &'static str,
    /// The button that downloads the consent receipt.
    pub download_receipt: &'static str,
    /// Under Global Privacy Control; `{purposes}` is filled in.
    pub gpc_note: &'static str,
    /// The receipt file's name, before `-<record id>.json`.
    pub receipt_file: &'static str,
}

/// The French words.
pub const FR: Words = Words {
    banner_title: "Vos choix sur les cookies",
    intro: "utilise des cookies et d'autres traceurs pour :",
    partners_note: "Certains sont déposés par nos partenaires.",
    refuse_note: "Vous pouvez refuser : le site reste entièrement utilisable.",
    change_note: "Vous pouvez changer d'avis à tout moment avec « Gérer mes cookies », en bas de chaque page.",
    kept_note: "Votre choix est gardé {n} mois, puis nous vous le redemanderons.",
    kept_note_refusal: "Votre accord est gardé {n} mois et votre refus {r} mois, puis nous vous redemanderons votre choix.",
    accept_all: "Tout accepter",
    refuse_all: "Tout refuser",
    customize: "Personnaliser",
    close: "Fermer sans accepter",
    partners: "Liste des partenaires",
    save: "Enregistrer mes choix",
    manage: "Gérer mes cookies",
    back: "Retour",
    prefs_title: "Personnaliser mes choix",
    prefs_intro: "Cochez ce que vous acceptez. Rien n'est coché d'avance.",
    necessary_note: "Toujours actifs : le site en a besoin pour fonctionner.",
    exempt_note: "Active sans accord préalable, car cette mesure est exemptée : des statistiques de visite pour ce site seulement, sans publicité ni suivi sur d'autres sites. Ses cookies durent 13 mois au plus, les données sont gardées {n} mois au plus. Vous pouvez vous y opposer à tout moment, ici ou depuis « Gérer mes cookies ».",
    optout_active: "La mesure d'audience est active.",
    optout_objected: "Vous vous êtes opposé à la mesure d'audience : plus rien n'est envoyé à l'outil de mesure depuis ce navigateur.",
    optout_object: "M'opposer à la mesure d'audience",
    optout_undo: "Ne plus m'opposer à la mesure d'audience",
    optout_consent_on: "Vous avez accepté « {purpose} ».",
    optout_consent_off: "« {purpose} » est désactivé : rien n'est envoyé sans votre accord.",
    optout_withdraw: "Retirer mon accord",
    optout_grant: "Donner mon accord",
    optout_unavailable: "Ce réglage n'est pas disponible ici : utilisez « Gérer mes cookies ».",
    partners_title: "Nos partenaires",
    col_partner: "Partenaire",
    col_purpose: "Utilisation",
    col_country: "Pays",
    col_transfer: "Garantie si hors UE",
    col_privacy: "Confidentialité",
    privacy_link: "Sa politique",
    in_eu: "Union européenne ou pays reconnu adéquat",
    privacy_policy: "Notre politique de confidentialité",
    vendors_label: "Partenaires :",
    placeholder_title: "Contenu de {vendor} ({purpose})",
    placeholder_text: "L'afficher permet à {vendor} de déposer des traceurs sur votre appareil. Rien n'est chargé tant que vous ne l'avez pas autorisé.",
    placeholder_button: "Autoriser et afficher",
    download_receipt: "Télécharger ma preuve de consentement",
    gpc_note: "Votre navigateur envoie le signal « Global Privacy Control » : nous le respectons, et « Tout accepter » n'active pas {purposes}. Vous pouvez toujours l'accepter vous-même dans « Personnaliser ».",
    receipt_file: "preuve-consentement",
};

/// The English words.
pub const EN: Words = Words {
    banner_title: "Your cookie choices",
    intro: "uses cookies and other trackers for:",
    partners_note: "Some are set by our partners.",
    refuse_note: "You can refuse: the whole site keeps working.",
    change_note:
        "You can change your mind at any time with “Manage cookies”, at the bottom of every page.",
    kept_note: "Your choice is kept for {n} months, then we will ask again.",
    kept_note_refusal: "Your consent is kept for {n} months and your refusal for {r} months, then we will ask again.",
    accept_all: "Accept all",
    refuse_all: "Reject all",
    customize: "Customize",
    close: "Close without accepting",
    partners: "List of partners",
    save: "Save my choices",
    manage: "Manage cookies",
    back: "Back",
    prefs_title: "Customize my choices",
    prefs_intro: "Tick what you accept. Nothing is ticked in advance.",
    necessary_note: "Always on: the site needs them to work.",
    exempt_note: "On without prior consent, because this measurement is exempt: visit statistics for this site only, with no advertising and no tracking on other sites. Its cookies last 13 months at most, the data is kept {n} months at most. You can object at any time, here or from “Manage cookies”.",
    optout_active: "Audience measurement is on.",
    optout_objected: "You have objected to audience measurement: nothing is sent to the measurement tool from this browser any more.",
    optout_object: "Object to audience measurement",
    optout_undo: "Stop objecting to audience measurement",
    optout_consent_on: "You have accepted “{purpose}”.",
    optout_consent_off: "“{purpose}” is off: nothing is sent without your consent.",
    optout_withdraw: "Withdraw my consent",
    optout_grant: "Give my consent",
    optout_unavailable: "This setting is not available here: use “Manage cookies”.",
    partners_title: "Our partners",
    col_partner: "Partner",
    col_purpose: "Use",
    col_country: "Country",
    col_transfer: "Safeguard outside the EU",
    col_privacy: "Privacy",
    privacy_link: "Their policy",
    in_eu: "European Union or adequate country",
    privacy_policy: "Our privacy policy",
    vendors_label: "Partners:",
    placeholder_title: "Content from {vendor} ({purpose})",
    placeholder_text: "Showing it lets {vendor} set trackers on your device. Nothing is loaded until you allow it.",
    placeholder_button: "Allow and show",
    download_receipt: "Download my consent receipt",
    gpc_note: "Your browser sends the Global Privacy Control signal: we respect it, and “Accept all” does not turn on {purposes}. You can still accept it yourself under “Customize”.",
    receipt_file: "consent-receipt",
};

/// The fixed texts in `lang`.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Fr => &FR,
        Lang::En => &EN,
    }
}

/// The language to speak: the page's `lang` when the config offers it, else the
/// config's first language (French unless the config says otherwise).
pub fn pick_language(config: &Config, page_lang: Option<&str>) -> Lang {
    let page = page_lang
        .map(|l| l.trim().to_ascii_lowercase())
        .and_then(|l| Lang::from_code(l.split(['-', '_']).next().unwrap_or("")));
    match page {
        Some(l) if config.languages.contains(&l) => l,
        _ => config.languages.first().copied().unwrap_or(Lang::Fr),
    }
}

/// The partner list's name for a transfer safeguard in `lang`; `None`: EU or
/// adequate country.
pub fn transfer_label(basis: Option<TransferBasis>, lang: Lang) -> &'static str {
    match (basis, lang) {
        (None, l) => words(l).in_eu,
        (Some(TransferBasis::Adequacy), Lang::Fr) => "Décision d'adéquation",
        (Some(TransferBasis::Adequacy), Lang::En) => "Adequacy decision",
        (Some(TransferBasis::Scc), Lang::Fr) => "Clauses contractuelles types",
        (Some(TransferBasis::Scc), Lang::En) => "Standard contractual clauses",
        (Some(TransferBasis::Bcr), Lang::Fr) => "Règles d'entreprise contraignantes",
        (Some(TransferBasis::Bcr), Lang::En) => "Binding corporate rules",
        (Some(TransferBasis::Art49), Lang::Fr) => "Dérogation (article 49 du RGPD)",
        (Some(TransferBasis::Art49), Lang::En) => "Derogation (GDPR article 49)",
    }
}

/// The sentence shown under Global Privacy Control, if any purpose is refused by it.
pub fn gpc_note(config: &Config, lang: Lang) -> Option<String> {
    let titles: Vec<&str> = config
        .choosable()
        .filter(|p| p.refused_by_gpc())
        .map(|p| p.title.get(lang))
        .collect();
    (!titles.is_empty()).then(|| {
        let list = titles
            .iter()
            .map(|t| format!("« {t} »"))
            .collect::<Vec<_>>()
            .join(", ");
        words(lang).gpc_note.replace("{purposes}", &list)
    })
}

/// One piece of a notice, in the order it is shown. The UI renders each block as it
/// is (the renderer adds only navigation: links, column headers, the opt-out control)
/// and a receipt hashes their text ([`Notice::text`]): one source for both.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Block {
    /// A layer's heading.
    Title(String),
    /// A paragraph.
    Text(String),
    /// A paragraph said with emphasis: that refusing is fine (CNIL 2020-092, § 31).
    Strong(String),
    /// Why « Tout accepter » leaves a purpose out under Global Privacy Control.
    Gpc(String),
    /// A list, one item a line (the purposes of the first layer).
    List(Vec<String>),
    /// The first layer's buttons: accepting, refusing and customizing side by side,
    /// and closing, which is a refusal (CNIL 2020-092, § 34).
    Actions {
        /// « Tout accepter ».
        accept: String,
        /// « Tout refuser ».
        refuse: String,
        /// « Personnaliser ».
        customize: String,
        /// « Fermer sans accepter ».
        close: String,
    },
    /// A purpose of the preferences, with its description and what the notice adds
    /// (always on, or exempt and how to object).
    Purpose {
        /// Its config id (the renderer's key to its checkbox).
        id: String,
        /// Its title, the checkbox's name.
        title: String,
        /// Its description.
        description: String,
        /// The note after the description, if any.
        note: Option<String>,
    },
    /// A row of the partner list (CNIL 2020-092, § 24: every recipient named).
    Partner {
        /// The vendor's config id.
        id: String,
        /// Its name.
        name: String,
        /// The title of the purpose it serves.
        purpose: String,
        /// Its country.
        country: String,
        /// The safeguard of a transfer outside the EU (GDPR art. 44 to 49).
        transfer: String,
        /// Its privacy policy's address.
        privacy_url: String,
    },
    /// A link (the forms' notice ends with the controller's privacy policy).
    Link {
        /// The link's text.
        label: String,
        /// Its address.
        href: String,
    },
}

/// serde's shape of an enum (`{"Variant": content}`), which the dialogs module reads;
/// `tests/views_json.rs` checks it against serde_json's.
impl ToJson for Block {
    fn write_json(&self, out: &mut String) {
        let variant = |out: &mut String, tag: &str, content: &dyn ToJson| {
            Fields(&[(tag, content)]).write_json(out)
        };
        match self {
            Block::Title(t) => variant(out, "Title", t),
            Block::Text(t) => variant(out, "Text", t),
            Block::Strong(t) => variant(out, "Strong", t),
            Block::Gpc(t) => variant(out, "Gpc", t),
            Block::List(items) => variant(out, "List", items),
            Block::Actions {
                accept,
                refuse,
                customize,
                close,
            } => variant(
                out,
                "Actions",
                &Fields(&[
                    ("accept", accept),
                    ("refuse", refuse),
                    ("customize", customize),
                    ("close", close),
                ]),
            ),
            Block::Purpose {
                id,
                title,
                description,
                note,
            } => variant(
                out,
                "Purpose",
                &Fields(&[
                    ("id", id),
                    ("title", title),
                    ("description", description),
                    ("note", note),
                ]),
            ),
            Block::Partner {
                id,
                name,
                purpose,
                country,
                transfer,
                privacy_url,
            } => variant(
                out,
                "Partner",
                &Fields(&[
                    ("id", id),
                    ("name", name),
                    ("purpose", purpose),
                    ("country", country),
                    ("transfer", transfer),
                    ("privacy_url", privacy_url),
                ]),
            ),
            Block::Link { label, href } => {
                variant(out, "Link", &Fields(&[("label", label), ("href", href)]))
            }
        }
    }
}

impl Block {
    /// The block as lines of the canonical text.
    fn lines(&self, out: &mut Vec<String>) {
        match self {
            Block::Title(t) | Block::Text(t) | Block::Strong(t) | Block::Gpc(t) => {
                out.push(t.clone())
            }
            Block::List(items) => out.extend(items.iter().map(|i| format!("- {i}"))),
            Block::Actions {
                accept,
                refuse,
                customize,
                close,
            } => out.push(format!("[{accept}] [{refuse}] [{customize}] [{close}]")),
            Block::Purpose {
                title,
                description,
                note,
                ..
            } => out.push(match note {
                Some(n) => format!("{title}: {description} {n}"),
                None => format!("{title}: {description}"),
            }),
            Block::Partner {
                name,
                purpose,
                country,
                transfer,
                privacy_url,
                ..
            } => out.push(format!(
                "{name} | {purpose} | {country} | {transfer} | {privacy_url}"
            )),
            Block::Link { label, href } => out.push(format!("{label} <{href}>")),
        }
    }
}

/// The text of `blocks`, one line per block (one per item of a list).
pub fn text_of(blocks: &[Block]) -> String {
    let mut lines = Vec::new();
    for b in blocks {
        b.lines(&mut lines);
    }
    lines.join("\n")
}

/// The notice a person is shown, layer by layer, each as ordered blocks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// The first layer: who, why, that refusing is fine, the buttons.
    pub banner: Vec<Block>,
    /// The preferences: every purpose with its description and note.
    pub prefs: Vec<Block>,
    /// The partner list.
    pub partners: Vec<Block>,
}

impl Notice {
    /// The notice as one text: the first layer, then the preferences, then the partner
    /// list, one item a line, in the order the widget shows them. Its SHA-256 is what a
    /// receipt proves was shown (GDPR art. 7(1); CNIL 2020-092, § 41);
    /// `accordctl notice` prints it for the archives of each policy version.
    pub fn text(&self) -> String {
        [
            text_of(&self.banner),
            text_of(&self.prefs),
            text_of(&self.partners),
        ]
        .join("\n")
    }
}

/// The notice shown for `config` in `lang`, with the GPC note when the browser sends
/// Global Privacy Control.
pub fn notice(config: &Config, lang: Lang, gpc: bool) -> Notice {
    use super::config::Basis;
    let w = words(lang);
    let mut banner = vec![
        Block::Title(w.banner_title.to_owned()),
        Block::Text(format!("{} {}", config.controller.name, w.intro)),
        Block::List(
            config
                .purposes
                .iter()
                .filter(|p| p.basis != Basis::Necessary)
                .map(|p| p.title.get(lang).to_owned())
                .collect(),
        ),
    ];
    if !config.vendors.is_empty() {
        banner.push(Block::Text(w.partners_note.to_owned()));
    }
    banner.push(Block::Strong(w.refuse_note.to_owned()));
    if let Some(note) = gpc.then(|| gpc_note(config, lang)).flatten() {
        banner.push(Block::Gpc(note));
    }
    banner.push(Block::Text(format!(
        "{} {}",
        w.change_note,
        kept_note(lang, config)
    )));
    banner.push(Block::Actions {
        accept: w.accept_all.to_owned(),
        refuse: w.refuse_all.to_owned(),
        customize: w.customize.to_owned(),
        close: w.close.to_owned(),
    });
    let mut prefs = vec![
        Block::Title(w.prefs_title.to_owned()),
        Block::Text(format!("{} {}", w.prefs_intro, w.refuse_note)),
    ];
    prefs.extend(config.purposes.iter().map(|p| Block::Purpose {
        id: p.id.clone(),
        title: p.title.get(lang).to_owned(),
        description: p.description.get(lang).to_owned(),
        note: match p.basis {
            Basis::Necessary => Some(w.necessary_note.to_owned()),
            Basis::ExemptAudience => Some(exempt_note(config, &p.id, lang)),
            Basis::Consent => None,
        },
    }));
    let mut partners = vec![Block::Title(w.partners_title.to_owned())];
    partners.extend(config.vendors.iter().map(|v| {
        Block::Partner {
            id: v.id.clone(),
            name: v.name.clone(),
            purpose: config
                .purpose(&v.purpose)
                .map(|p| p.title.get(lang))
                .unwrap_or("")
                .to_owned(),
            country: v.country.clone(),
            transfer: transfer_label(v.transfer_basis, lang).to_owned(),
            privacy_url: v.privacy_url.clone(),
        }
    }));
    Notice {
        banner,
        prefs,
        partners,
    }
}

/// The notice as the one text a receipt hashes ([`Notice::text`]).
pub fn canonical_text(config: &Config, lang: Lang, gpc: bool) -> String {
    notice(config, lang, gpc).text()
}

impl Words {
    /// The opt-out control's status line and button, objected or not.
    pub fn optout(&self, objected: bool) -> (&'static str, &'static str) {
        if objected {
            (self.optout_objected, self.optout_undo)
        } else {
            (self.optout_active, self.optout_object)
        }
    }
}

/// What the notice says of an exempt audience purpose: measured without prior consent,
/// cookies 13 months, data kept as long as its longest-keeping vendor says (25 months
/// when none says), and how to object.
pub fn exempt_note(config: &Config, purpose: &str, lang: Lang) -> String {
    let months = config
        .vendors_of(purpose)
        .filter_map(|v| v.data_retention_months)
        .max()
        .unwrap_or(crate::law::MAX_EXEMPT_RETENTION_MONTHS);
    words(lang).exempt_note.replace("{n}", &months.to_string())
}

/// How long a choice is kept, in words: one number when a consent and a refusal are
/// kept as long, both otherwise (`refusal_lifetime_months`).
pub fn kept_note(lang: Lang, config: &Config) -> String {
    let (n, r) = (
        config.choice_lifetime_months,
        config.refusal_lifetime_months,
    );
    let w = words(lang);
    if n == r {
        w.kept_note.replace("{n}", &n.to_string())
    } else {
        w.kept_note_refusal
            .replace("{n}", &n.to_string())
            .replace("{r}", &r.to_string())
    }
}

/// Words of the forms' block and notice, French then English. The notice says what NS 56 « Information et
/// droits des personnes » lists: the controller, the purposes, the recipients, the
/// transfers outside the EU (or that there are none), the rights under the law and the
/// GDPR with where to exercise them, and how long prospect data are kept (NS 56
/// « Durées de conservation »: 3 years from collection or the last contact for a
/// prospect, from the end of the relationship for a client).
struct FormWords {
    legend: &'static str,
    notice_title: &'static str,
    controller: &'static str,
    purposes: &'static str,
    default_purposes: &'static str,
    recipients: &'static str,
    partners: &'static str,
    transfers: &'static str,
    no_transfer: &'static str,
    rights: &'static str,
    complaint: &'static str,
    kept_prospect: &'static str,
    kept_client: &'static str,
    kept_either: &'static str,
    unsubscribe: &'static str,
}

const FORM_FR: FormWords = FormWords {
    legend: "Vos choix pour recevoir nos offres",
    notice_title: "Vos données personnelles",
    controller: "Responsable du traitement :",
    purposes: "Utilisation :",
    default_purposes: "traiter votre demande et, selon vos choix ci-dessus, vous adresser nos offres commerciales.",
    recipients: "Destinataires :",
    partners: "Nos partenaires, informés de votre opposition :",
    transfers: "Transferts hors de l'Union européenne :",
    no_transfer: "Vos données ne sont pas transférées hors de l'Union européenne.",
    rights: "Vous pouvez accéder à vos données, les faire rectifier ou effacer, en limiter l'utilisation et vous opposer à leur utilisation, gratuitement et à tout moment, en écrivant à",
    complaint: "Vous pouvez aussi adresser une réclamation à la CNIL (www.cnil.fr).",
    kept_prospect: "Durée de conservation : 3 ans après leur collecte ou votre dernier contact avec nous.",
    kept_client: "Durée de conservation : pour vous proposer nos offres, 3 ans après la fin de votre contrat.",
    kept_either: "Durée de conservation : 3 ans après leur collecte ou votre dernier contact avec nous ; si vous êtes client, 3 ans après la fin de votre contrat.",
    unsubscribe: "Pour ne plus recevoir nos offres :",
};

const FORM_EN: FormWords = FormWords {
    legend: "Your choices about our offers",
    notice_title: "Your personal data",
    controller: "Controller:",
    purposes: "Use:",
    default_purposes: "handling your request and, according to your choices above, sending you our commercial offers.",
    recipients: "Recipients:",
    partners: "Our partners, told of your objection:",
    transfers: "Transfers outside the European Union:",
    no_transfer: "Your data are not transferred outside the European Union.",
    rights: "You can access your data, have it corrected or erased, restrict its use and object to its use, free of charge and at any time, by writing to",
    complaint: "You can also complain to the CNIL, the French data protection authority (www.cnil.fr).",
    kept_prospect: "How long we keep them: 3 years after we collect them or after your last contact with us.",
    kept_client: "How long we keep them: to offer you our products, 3 years after your contract ends.",
    kept_either: "How long we keep them: 3 years after we collect them or after your last contact with us; if you are a client, 3 years after your contract ends.",
    unsubscribe: "To stop receiving our offers:",
};

fn form_words(lang: Lang) -> &'static FormWords {
    match lang {
        Lang::Fr => &FORM_FR,
        Lang::En => &FORM_EN,
    }
}

/// The legend of a form's prospection block (« Vos choix pour recevoir nos offres »).
pub fn form_legend(lang: Lang) -> &'static str {
    form_words(lang).legend
}

/// The information notice next to a form's prospection block, all from the config,
/// as ordered blocks (NS 56 « Information et droits des personnes »; GDPR art. 13):
/// the controller, the purposes, the recipients, the partners and their transfers
/// outside the EU/EEA (or that there are none), the rights and where to exercise
/// them, the CNIL, how long the data are kept for `audience`, how to unsubscribe, the
/// privacy policy.
///
/// `c` and `p` are a config's `controller` and `prospection`, from a [`Config`] or a
/// [`FormsConfig`](super::config::FormsConfig).
pub fn form_notice(
    c: &Controller,
    p: Option<&Prospection>,
    lang: Lang,
    audience: Option<Audience>,
) -> Vec<Block> {
    use super::config::{country_needs_no_basis, in_eu_eea, Partner};
    let w = form_words(lang);
    let mut out = vec![Block::Title(w.notice_title.to_owned())];
    let mut who = c.name.clone();
    if !c.address.is_empty() {
        who.push_str(", ");
        who.push_str(&c.address);
    }
    out.push(Block::Text(format!("{} {who}.", w.controller)));
    let purposes = p
        .and_then(|p| p.purposes.as_ref())
        .map_or(w.default_purposes, |t| t.get(lang));
    out.push(Block::Text(format!("{} {purposes}", w.purposes)));
    if let Some(t) = p.and_then(|p| p.recipients.as_ref()) {
        out.push(Block::Text(format!("{} {}", w.recipients, t.get(lang))));
    }
    let partners = p.map(|p| p.partners.as_slice()).unwrap_or_default();
    // The transfer basis of a partner outside the EU/EEA: the declared one, or the
    // country's adequacy decision (GDPR art. 45 and 46).
    let basis = |x: &Partner| {
        let b = x
            .transfer_basis
            .or_else(|| country_needs_no_basis(&x.country).then_some(TransferBasis::Adequacy));
        b.map(|b| format!(" — {}", transfer_label(Some(b), lang)))
            .unwrap_or_default()
    };
    if !partners.is_empty() {
        out.push(Block::Text(w.partners.to_owned()));
        out.push(Block::List(
            partners
                .iter()
                .map(|x| {
                    let transfer = if country_needs_no_basis(&x.country) {
                        String::new()
                    } else {
                        basis(x)
                    };
                    format!("{} ({}){transfer}", x.name, x.country)
                })
                .collect(),
        ));
    }
    // Transfers outside the EU/EEA (adequate countries included, with their basis), or
    // that there are none.
    let abroad: Vec<String> = partners
        .iter()
        .filter(|x| !in_eu_eea(&x.country))
        .map(|x| format!("{} ({}){}", x.name, x.country, basis(x)))
        .collect();
    out.push(Block::Text(if abroad.is_empty() {
        w.no_transfer.to_owned()
    } else {
        format!("{} {}.", w.transfers, abroad.join(" ; "))
    }));
    let mut rights = format!("{} {}", w.rights, c.contact);
    if !c.dpo.is_empty() {
        rights.push_str(&format!(" ({})", c.dpo));
    }
    rights.push('.');
    out.push(Block::Text(rights));
    out.push(Block::Text(w.complaint.to_owned()));
    out.push(Block::Text(
        match audience {
            Some(Audience::Prospect) => w.kept_prospect,
            Some(Audience::Client) => w.kept_client,
            None => w.kept_either,
        }
        .to_owned(),
    ));
    if let Some(p) = p.filter(|p| !p.unsubscribe_contact.is_empty()) {
        out.push(Block::Text(format!(
            "{} {}",
            w.unsubscribe, p.unsubscribe_contact
        )));
    }
    if !c.privacy_url.is_empty() {
        out.push(Block::Link {
            label: words(lang).privacy_policy.to_owned(),
            href: c.privacy_url.clone(),
        });
    }
    out
}
