//! The words of the banner, in French first and English second, in plain language.
//! The UI only places them; the receipt (issue 6) hashes exactly what was shown.

use super::config::{Config, Lang, TransferBasis};

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

/// The notice a person is shown, as one text: the first layer, then the preferences
/// (every purpose with its description and note), then the partner list, one item a
/// line, in the order the widget shows them. Its SHA-256 is what a receipt proves was
/// shown; `accordctl notice` prints it for the archives of each policy version.
pub fn canonical_text(config: &Config, lang: Lang, gpc: bool) -> String {
    use super::config::Basis;
    let w = words(lang);
    let mut lines: Vec<String> = vec![
        w.banner_title.to_owned(),
        format!("{} {}", config.controller.name, w.intro),
    ];
    for p in config
        .purposes
        .iter()
        .filter(|p| p.basis != Basis::Necessary)
    {
        lines.push(format!("- {}", p.title.get(lang)));
    }
    if !config.vendors.is_empty() {
        lines.push(w.partners_note.to_owned());
    }
    lines.push(w.refuse_note.to_owned());
    if let Some(note) = gpc.then(|| gpc_note(config, lang)).flatten() {
        lines.push(note);
    }
    lines.push(format!("{} {}", w.change_note, kept_note(lang, config)));
    lines.push(format!(
        "[{}] [{}] [{}] [{}]",
        w.accept_all, w.refuse_all, w.customize, w.close
    ));
    lines.push(w.prefs_title.to_owned());
    lines.push(format!("{} {}", w.prefs_intro, w.refuse_note));
    for p in &config.purposes {
        let note = match p.basis {
            Basis::Necessary => format!(" {}", w.necessary_note),
            Basis::ExemptAudience => format!(" {}", exempt_note(config, &p.id, lang)),
            Basis::Consent => String::new(),
        };
        lines.push(format!(
            "{}: {}{note}",
            p.title.get(lang),
            p.description.get(lang)
        ));
    }
    lines.push(w.partners_title.to_owned());
    for v in &config.vendors {
        let purpose = config
            .purpose(&v.purpose)
            .map(|p| p.title.get(lang))
            .unwrap_or("");
        lines.push(format!(
            "{} | {purpose} | {} | {} | {}",
            v.name,
            v.country,
            transfer_label(v.transfer_basis, lang),
            v.privacy_url
        ));
    }
    lines.join("\n")
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
